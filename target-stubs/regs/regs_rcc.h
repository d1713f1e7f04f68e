/*
 * RCC registers the stub touches: peripheral clock enables and resets for the
 * xSPI block and the GPIO ports. Offsets and bits from CMSIS stm32h743xx.h,
 * stm32h7a3xx.h (RCC_TypeDef layout) and stm32f767xx.h, as collected in §4 of
 * docs/hardware-stm32h7.md, docs/hardware-stm32h7a3.md and
 * docs/hardware-stm32f7.md (the RCC chapters of RM0433, RM0455 and RM0410).
 * The H7A3 offsets are not the H743 ones.
 */
#ifndef TARGET_STUBS_REGS_RCC_H
#define TARGET_STUBS_REGS_RCC_H

/* STM32H742/743/750/753 (RM0433) */
#define RCC_H7_BASE 0x58024400U
#define RCC_H7_AHB3RSTR 0x07CU
#define RCC_H7_AHB3RSTR_QSPIRST (1U << 14)
#define RCC_H7_AHB3ENR 0x0D4U
#define RCC_H7_AHB3ENR_QSPIEN (1U << 14)
#define RCC_H7_AHB4ENR 0x0E0U
#define RCC_H7_AHB4ENR_GPIOEN(port) (1U << (port))	/* GPIOA..GPIOK = 0..10 */
#define RCC_H7_CSR 0x074U			/* RM0433 §8.7.27 */
#define RCC_H7_CSR_LSION (1U << 0)
#define RCC_H7_CSR_LSIRDY (1U << 1)
#define RCC_H7_APB2ENR 0x0F0U			/* RM0433 §8.7.42 */
#define RCC_H7_APB2ENR_TIM16EN (1U << 17)

/* STM32H7A3/B3/B0 (RM0455): CKGAENR at 0xB0 shifts the enable registers */
#define RCC_H7A3_BASE 0x58024400U
#define RCC_H7A3_AHB3RSTR 0x07CU
#define RCC_H7A3_AHB3RSTR_OCTOSPI1RST (1U << 14)
#define RCC_H7A3_AHB3RSTR_OCTOSPI2RST (1U << 19)
#define RCC_H7A3_AHB3RSTR_IOMNGRRST (1U << 21)
#define RCC_H7A3_AHB3ENR 0x134U
#define RCC_H7A3_AHB3ENR_OCTOSPI1EN (1U << 14)
#define RCC_H7A3_AHB3ENR_OCTOSPI2EN (1U << 19)
#define RCC_H7A3_AHB3ENR_IOMNGREN (1U << 21)
#define RCC_H7A3_AHB4ENR 0x140U
#define RCC_H7A3_AHB4ENR_GPIOEN(port) (1U << (port))

/* STM32F7 (RM0385/RM0410/RM0431): no xSPI kernel-clock mux, HCLK clocks it */
#define RCC_F7_BASE 0x40023800U
#define RCC_F7_AHB3RSTR 0x018U
#define RCC_F7_AHB3RSTR_QSPIRST (1U << 1)
#define RCC_F7_AHB1ENR 0x030U
#define RCC_F7_AHB1ENR_GPIOEN(port) (1U << (port))
#define RCC_F7_AHB3ENR 0x038U
#define RCC_F7_AHB3ENR_QSPIEN (1U << 1)

#define RCC_GPIO_PORTS 11U	/* GPIOA..GPIOK */

#endif
