/* The STM32H7A3 registers the OCTOSPI probe programs (ospi_probe.c,
 * dcache_probe.c) drive, from RM0455 (RCC and OCTOSPI register maps;
 * docs/hardware-stm32h7a3.md §4, §6.2). */
#ifndef PROGS_H7A3_OCTOSPI_H
#define PROGS_H7A3_OCTOSPI_H

#include "xspi_probe.h"

/* RM0455 RCC: AHB3ENR and AHB4ENR follow RSR at 0x130. */
#define RCC_AHB3ENR REG(0x58024534U)
#define RCC_AHB4ENR REG(0x58024540U)
#define AHB3_OCTOSPI1EN (1U << 14)
#define AHB3_OCTOSPI2EN (1U << 19)
#define AHB3_IOMNGREN (1U << 21)

#define OSPI1 0x52005000U
#define OSPI2 0x5200A000U

/* OCTOSPI register offsets (RM0455 OCTOSPI register map). */
#define CR 0x000U
#define DCR1 0x008U
#define DCR2 0x00CU
#define DCR4 0x014U
#define SR 0x020U
#define FCR 0x024U
#define DLR 0x040U
#define AR 0x048U
#define DR 0x050U
#define CCR 0x100U
#define TCR 0x108U
#define IR 0x110U
#define LPTR 0x130U
#define WCCR 0x180U
#define WTCR 0x188U
#define WIR 0x190U

#define CR_EN (1U << 0)
#define CR_ABORT (1U << 1)
#define CR_TCEN (1U << 3)
#define CR_FTHRES(n) ((uint32_t)(n) << 8)
#define CR_FMODE(n) ((uint32_t)(n) << 28)

/* CCR fields: a mode of 1 is one line, 3 four lines. */
#define IMODE(n) ((uint32_t)(n) << 0)
#define ADMODE(n) ((uint32_t)(n) << 8)
#define ADSIZE_24 (2U << 12)
#define DMODE(n) ((uint32_t)(n) << 24)
#define DQSE (1U << 29)

#endif
