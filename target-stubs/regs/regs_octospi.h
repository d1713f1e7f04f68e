/*
 * OCTOSPI registers of the STM32H7A3/B3/B0 (RM0455 "Octo-SPI interface",
 * register map; docs/hardware-stm32h7a3.md §6.2), checked against CMSIS
 * stm32h7a3xx.h. All registers reset to 0.
 *
 * Rules that bite:
 *  - FMODE lives in CR; the instruction has its own register (IR), written
 *    after CCR/TCR/DLR. A command without address starts at the IR write,
 *    one with an address at the AR write, a write with data at the first
 *    DR write (docs/hardware-stm32h7a3.md §6.3).
 *  - DCR1..4, CCR, TCR, IR, DLR, AR and CR.FMODE may be written only while
 *    SR.BUSY = 0; AR writes are ignored while BUSY = 1 or FMODE = 11.
 *  - SSHIFT is in TCR (per command), not in CR.
 */
#ifndef TARGET_STUBS_REGS_OCTOSPI_H
#define TARGET_STUBS_REGS_OCTOSPI_H

#define OCTOSPI_CR 0x000U
#define OCTOSPI_CR_EN (1U << 0)
#define OCTOSPI_CR_ABORT (1U << 1)
#define OCTOSPI_CR_TCEN (1U << 3)
#define OCTOSPI_CR_FTHRES_SHIFT 8U
#define OCTOSPI_CR_FMODE_SHIFT 28U
#define OCTOSPI_CR_FMODE_MASK (0x3U << 28)

#define OCTOSPI_DCR1 0x008U
#define OCTOSPI_DCR1_CKMODE (1U << 0)
#define OCTOSPI_DCR1_CSHT_SHIFT 8U
#define OCTOSPI_DCR1_DEVSIZE_SHIFT 16U
#define OCTOSPI_DCR1_MTYP_SHIFT 24U
#define OCTOSPI_MTYP_STANDARD 2U	/* the HAL's "AP Memory" type */

#define OCTOSPI_DCR2 0x00CU	/* PRESCALER[7:0], WRAPSIZE[18:16] */
#define OCTOSPI_DCR3 0x010U	/* MAXTRAN[7:0], CSBOUND[20:16] */
#define OCTOSPI_DCR3_CSBOUND_SHIFT 16U
#define OCTOSPI_DCR4 0x014U	/* REFRESH */

#define OCTOSPI_SR 0x020U
#define OCTOSPI_SR_TEF (1U << 0)
#define OCTOSPI_SR_TCF (1U << 1)
#define OCTOSPI_SR_FTF (1U << 2)
#define OCTOSPI_SR_SMF (1U << 3)
#define OCTOSPI_SR_TOF (1U << 4)
#define OCTOSPI_SR_BUSY (1U << 5)
#define OCTOSPI_SR_FLEVEL_SHIFT 8U
#define OCTOSPI_SR_FLEVEL_MASK (0x3FU << 8)

#define OCTOSPI_FCR 0x024U
#define OCTOSPI_FCR_CTEF (1U << 0)
#define OCTOSPI_FCR_CTCF (1U << 1)
#define OCTOSPI_FCR_ALL 0x1BU

#define OCTOSPI_DLR 0x040U	/* bytes - 1 */
#define OCTOSPI_AR 0x048U
#define OCTOSPI_DR 0x050U	/* 8/16/32-bit access pushes/pops 1/2/4 bytes */
#define OCTOSPI_LPTR 0x130U

/* CCR, and WCCR for memory-mapped writes */
#define OCTOSPI_CCR 0x100U
#define OCTOSPI_CCR_IMODE_SHIFT 0U
#define OCTOSPI_CCR_ISIZE_SHIFT 4U
#define OCTOSPI_CCR_ADMODE_SHIFT 8U
#define OCTOSPI_CCR_ADSIZE_SHIFT 12U
#define OCTOSPI_CCR_DMODE_SHIFT 24U
#define OCTOSPI_CCR_DQSE (1U << 29)
#define OCTOSPI_TCR 0x108U
#define OCTOSPI_TCR_DCYC_SHIFT 0U
#define OCTOSPI_TCR_SSHIFT (1U << 30)
#define OCTOSPI_IR 0x110U
#define OCTOSPI_WCCR 0x180U
#define OCTOSPI_WTCR 0x188U
#define OCTOSPI_WIR 0x190U

/* *MODE encodings */
#define OCTOSPI_MODE_NONE 0U
#define OCTOSPI_MODE_1LINE 1U
#define OCTOSPI_MODE_2LINES 2U
#define OCTOSPI_MODE_4LINES 3U

#define OCTOSPI_FMODE_INDIRECT_WRITE 0U
#define OCTOSPI_FMODE_INDIRECT_READ 1U
#define OCTOSPI_FMODE_MEMORY_MAPPED 3U

#define OCTOSPI_FIFO_BYTES 32U

#endif
