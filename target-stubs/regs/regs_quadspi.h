/*
 * QUADSPI registers as on STM32H742/743/750/753 (RM0433) and STM32F7
 * (RM0385/RM0410/RM0431). Written from RM0399 Rev 4 §24.5 "QUADSPI
 * registers" (the same block as RM0433), checked against CMSIS
 * stm32h750xx.h / stm32f767xx.h. All registers reset to 0.
 *
 * Rules that bite (RM0399 §24.3, §24.5; ES0396 §2.6):
 *  - CR.PRESCALER/PMM/APMS/FSEL/DFM/SSHIFT/TCEN, all of DCR, CCR, DLR, ABR,
 *    PSMKR, PSMAR, PIR and LPTR may be written only while SR.BUSY = 0.
 *  - AR writes are ignored while BUSY = 1 or FMODE = 11.
 *  - Writing CCR = 0 hangs the block, even ABORT does not help (ES0396
 *    2.6.2); an indirect read with only a data phase hangs (2.6.3).
 */
#ifndef TARGET_STUBS_REGS_QUADSPI_H
#define TARGET_STUBS_REGS_QUADSPI_H

#define QUADSPI_CR 0x00U
#define QUADSPI_CR_EN (1U << 0)
#define QUADSPI_CR_ABORT (1U << 1)
#define QUADSPI_CR_DMAEN (1U << 2)	/* F7; reserved on H7: keep 0 */
#define QUADSPI_CR_TCEN (1U << 3)
#define QUADSPI_CR_SSHIFT (1U << 4)
/* bit 5 reserved */
#define QUADSPI_CR_DFM (1U << 6)
#define QUADSPI_CR_FSEL (1U << 7)
#define QUADSPI_CR_FTHRES_SHIFT 8U
#define QUADSPI_CR_FTHRES_MASK (0x1FU << 8)
/* bits 15:13 reserved */
#define QUADSPI_CR_TEIE (1U << 16)
#define QUADSPI_CR_TCIE (1U << 17)
#define QUADSPI_CR_FTIE (1U << 18)
#define QUADSPI_CR_SMIE (1U << 19)
#define QUADSPI_CR_TOIE (1U << 20)
/* bit 21 reserved */
#define QUADSPI_CR_APMS (1U << 22)
#define QUADSPI_CR_PMM (1U << 23)
#define QUADSPI_CR_PRESCALER_SHIFT 24U
#define QUADSPI_CR_PRESCALER_MASK (0xFFU << 24)

#define QUADSPI_DCR 0x04U
#define QUADSPI_DCR_CKMODE (1U << 0)
#define QUADSPI_DCR_CSHT_SHIFT 8U
#define QUADSPI_DCR_CSHT_MASK (0x7U << 8)
#define QUADSPI_DCR_FSIZE_SHIFT 16U
#define QUADSPI_DCR_FSIZE_MASK (0x1FU << 16)

#define QUADSPI_SR 0x08U
#define QUADSPI_SR_TEF (1U << 0)
#define QUADSPI_SR_TCF (1U << 1)
#define QUADSPI_SR_FTF (1U << 2)
#define QUADSPI_SR_SMF (1U << 3)
#define QUADSPI_SR_TOF (1U << 4)
#define QUADSPI_SR_BUSY (1U << 5)
#define QUADSPI_SR_FLEVEL_SHIFT 8U
#define QUADSPI_SR_FLEVEL_MASK (0x3FU << 8)

#define QUADSPI_FCR 0x0CU
#define QUADSPI_FCR_CTEF (1U << 0)
#define QUADSPI_FCR_CTCF (1U << 1)
#define QUADSPI_FCR_CSMF (1U << 3)
#define QUADSPI_FCR_CTOF (1U << 4)
#define QUADSPI_FCR_ALL                                                        \
	(QUADSPI_FCR_CTEF | QUADSPI_FCR_CTCF | QUADSPI_FCR_CSMF |             \
	 QUADSPI_FCR_CTOF)

#define QUADSPI_DLR 0x10U	/* DL = bytes - 1 */

#define QUADSPI_CCR 0x14U
#define QUADSPI_CCR_INSTRUCTION_SHIFT 0U
#define QUADSPI_CCR_INSTRUCTION_MASK (0xFFU << 0)
#define QUADSPI_CCR_IMODE_SHIFT 8U
#define QUADSPI_CCR_IMODE_MASK (0x3U << 8)
#define QUADSPI_CCR_ADMODE_SHIFT 10U
#define QUADSPI_CCR_ADMODE_MASK (0x3U << 10)
#define QUADSPI_CCR_ADSIZE_SHIFT 12U
#define QUADSPI_CCR_ADSIZE_MASK (0x3U << 12)
#define QUADSPI_CCR_ABMODE_SHIFT 14U
#define QUADSPI_CCR_ABMODE_MASK (0x3U << 14)
#define QUADSPI_CCR_ABSIZE_SHIFT 16U
#define QUADSPI_CCR_ABSIZE_MASK (0x3U << 16)
#define QUADSPI_CCR_DCYC_SHIFT 18U
#define QUADSPI_CCR_DCYC_MASK (0x1FU << 18)
#define QUADSPI_CCR_DMODE_SHIFT 24U
#define QUADSPI_CCR_DMODE_MASK (0x3U << 24)
#define QUADSPI_CCR_FMODE_SHIFT 26U
#define QUADSPI_CCR_FMODE_MASK (0x3U << 26)
#define QUADSPI_CCR_SIOO (1U << 28)
#define QUADSPI_CCR_FRCM (1U << 29)	/* H7 (RM0399 only, not in CMSIS): keep 0 */
#define QUADSPI_CCR_DHHC (1U << 30)
#define QUADSPI_CCR_DDRM (1U << 31)

/* IMODE/ADMODE/ABMODE/DMODE encodings */
#define QUADSPI_MODE_NONE 0U
#define QUADSPI_MODE_1LINE 1U
#define QUADSPI_MODE_2LINES 2U
#define QUADSPI_MODE_4LINES 3U

/* FMODE encodings */
#define QUADSPI_FMODE_INDIRECT_WRITE 0U
#define QUADSPI_FMODE_INDIRECT_READ 1U
#define QUADSPI_FMODE_AUTO_POLLING 2U
#define QUADSPI_FMODE_MEMORY_MAPPED 3U

#define QUADSPI_AR 0x18U
#define QUADSPI_ABR 0x1CU
#define QUADSPI_DR 0x20U	/* 8/16/32-bit access pushes/pops 1/2/4 bytes */
#define QUADSPI_PSMKR 0x24U
#define QUADSPI_PSMAR 0x28U
#define QUADSPI_PIR 0x2CU
#define QUADSPI_LPTR 0x30U
#define QUADSPI_LPTR_TIMEOUT_MASK 0xFFFFU

/* RM0399 §24.3.5: 32-byte FIFO on H7 (CMSIS: FLEVEL 6 bits); F7 has the
 * same field widths. */
#define QUADSPI_FIFO_BYTES 32U
#define QUADSPI_FSIZE_MAX 31U

#endif
