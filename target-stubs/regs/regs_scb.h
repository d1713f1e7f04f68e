/*
 * Cortex-M7 system control space: SCB, NVIC, SysTick and MPU registers the
 * stub uses. ARMv7-M Architecture Reference Manual (DDI 0403E): B3.2 system
 * control block, B3.3 SysTick, B3.4 NVIC, B3.5 PMSAv7 MPU; cache enable bits
 * in CCR from the Cortex-M7 TRM (DDI 0489) §4.
 */
#ifndef TARGET_STUBS_REGS_SCB_H
#define TARGET_STUBS_REGS_SCB_H

#define SCB_ICSR 0xE000ED04U
#define SCB_ICSR_PENDSTCLR (1U << 25)
#define SCB_ICSR_PENDSTSET (1U << 26)
#define SCB_ICSR_PENDSVCLR (1U << 27)
#define SCB_VTOR 0xE000ED08U
#define SCB_CCR 0xE000ED14U
#define SCB_CCR_DC (1U << 16)		/* data cache enable */
/* Cache identification and maintenance (ARMv7-M ARM B2.2.7, B3.2.3;
 * Cortex-M7 TRM §4.8). */
#define SCB_CCSIDR 0xE000ED80U
#define SCB_CSSELR 0xE000ED84U
#define SCB_DCIMVAC 0xE000EF5CU	/* invalidate by address */
#define SCB_DCISW 0xE000EF60U	/* invalidate by set/way */
#define SCB_DCCIMVAC 0xE000EF70U	/* clean and invalidate by address */
#define SCB_DCCISW 0xE000EF74U	/* clean and invalidate by set/way */
#define CACHE_LINE_BYTES 32U
#define SCB_SHCSR 0xE000ED24U
#define SCB_SHCSR_MEMFAULTENA (1U << 16)
#define SCB_SHCSR_BUSFAULTENA (1U << 17)
#define SCB_SHCSR_USGFAULTENA (1U << 18)
#define SCB_CFSR 0xE000ED28U		/* write 1 to clear */
#define SCB_CFSR_MMARVALID (1U << 7)
#define SCB_CFSR_BFARVALID (1U << 15)
#define SCB_HFSR 0xE000ED2CU		/* write 1 to clear */
#define SCB_MMFAR 0xE000ED34U
#define SCB_BFAR 0xE000ED38U

#define SYST_CSR 0xE000E010U
#define SYST_CSR_ENABLE (1U << 0)
#define SYST_CSR_TICKINT (1U << 1)
#define SYST_CSR_CLKSOURCE (1U << 2)	/* 1: the processor clock */
#define SYST_CSR_COUNTFLAG (1U << 16)	/* reached 0; cleared by a read */
#define SYST_RVR 0xE000E014U		/* RELOAD [23:0] */
#define SYST_RVR_MAX 0x00FFFFFFU
#define SYST_CVR 0xE000E018U		/* any write clears it */

#define NVIC_ICTR 0xE000E004U		/* INTLINESNUM [3:0]: (n + 1) * 32 lines */
#define NVIC_ICTR_INTLINESNUM_MASK 0xFU
#define NVIC_ICER(n) (0xE000E180U + 4U * (n))
#define NVIC_ICPR(n) (0xE000E280U + 4U * (n))

#define MPU_TYPE 0xE000ED90U
#define MPU_TYPE_DREGION_SHIFT 8U
#define MPU_TYPE_DREGION_MASK (0xFFU << 8)
#define MPU_CTRL 0xE000ED94U
#define MPU_CTRL_ENABLE (1U << 0)
#define MPU_CTRL_PRIVDEFENA (1U << 2)	/* default map where no region hits */
#define MPU_RNR 0xE000ED98U
#define MPU_RBAR 0xE000ED9CU		/* ADDR [31:5], base aligned to the size */
#define MPU_RASR 0xE000EDA0U
#define MPU_RASR_ENABLE (1U << 0)
#define MPU_RASR_SIZE_SHIFT 1U		/* region = 2^(SIZE + 1) bytes */
#define MPU_RASR_AP_SHIFT 24U
#define MPU_RASR_AP_NONE 0U		/* no access, privileged or not */
#define MPU_RASR_AP_RO 6U		/* read-only, privileged and not */
#define MPU_RASR_XN (1U << 28)
#define MPU_RASR_AP_FULL 3U		/* read/write, privileged and not */
#define MPU_RASR_TEX_SHIFT 19U
#define MPU_RASR_S (1U << 18)
#define MPU_RASR_C (1U << 17)
#define MPU_RASR_B (1U << 16)
/* TEX = 0, C = 0, B = 0: strongly-ordered, never speculatively read */

#endif
