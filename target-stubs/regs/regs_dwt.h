/*
 * Debug exception and monitor control and the DWT cycle counter.
 * ARMv7-M ARM (DDI 0403E) C1.6.5 DEMCR, C1.8 DWT (DWT_CTRL, DWT_CYCCNT);
 * the Cortex-M7 DWT has a CoreSight software lock (LAR) that must be opened
 * before software writes take effect (Cortex-M7 TRM, CoreSight registers;
 * STM32F7 users see CYCCNT stay 0 without it).
 */
#ifndef TARGET_STUBS_REGS_DWT_H
#define TARGET_STUBS_REGS_DWT_H

#define DEMCR 0xE000EDFCU
#define DEMCR_TRCENA (1U << 24)

#define DWT_CTRL 0xE0001000U
#define DWT_CTRL_CYCCNTENA (1U << 0)
#define DWT_CTRL_NOCYCCNT (1U << 25)
#define DWT_CYCCNT 0xE0001004U
#define DWT_LAR 0xE0001FB0U
#define DWT_LAR_KEY 0xC5ACCE55U

#endif
