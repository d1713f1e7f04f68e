/* The RCC of the STM32H7A3/B3/B0 (RM0455 §8): the clock tree and the
 * register behaviour of rcc.c, with the RM0455 register layout. The
 * CPU-domain (CD) and SmartRun-domain (SRD) prescaler registers sit where
 * RM0433 has D1CFGR/D2CFGR/D3CFGR, and CDCCIPR.OCTOSPISEL where D1CCIPR has
 * QSPISEL, so rcc_cpu_hz() and rcc_qspi_kernel_hz() hold as they are; the
 * peripheral enable registers follow CKGAENR and moved up by 0x60. */
#ifndef SIM_RCC_H7A3_H
#define SIM_RCC_H7A3_H

#include "periph/rcc.h"

/* RM0455 §8.7 register map. */
#define RCC_H7A3_RSR 0x130U
#define RCC_H7A3_AHB3RSTR 0x07CU	/* same place as on RM0433 */
#define RCC_H7A3_AHB4RSTR 0x088U
#define RCC_H7A3_AHB3ENR 0x134U
#define RCC_H7A3_AHB4ENR 0x140U
/* AHB3ENR / AHB3RSTR bits (RM0455 §8.7.x: OCTOSPI1EN, OCTOSPI2EN,
 * IOMNGREN). */
#define RCC_H7A3_AHB3_OCTOSPI1 14U
#define RCC_H7A3_AHB3_OCTOSPI2 19U
#define RCC_H7A3_AHB3_IOMNGR 21U

#endif
