/*
 * TIM16 as the stub uses it: input capture of the LSI on channel 1
 * (RM0433 §41, TIM15/TIM16/TIM17: TIM16_TISEL.TI1SEL = 0001 routes the
 * LSI to TI1; register offsets from the TIM16/TIM17 register map and
 * the CMSIS TIM_TypeDef, TISEL at 0x68). docs/clocks.md §3.
 */
#ifndef TARGET_STUBS_REGS_TIM_H
#define TARGET_STUBS_REGS_TIM_H

#define TIM16_H7_BASE 0x40014400U

#define TIM_CR1 0x00U
#define TIM_CR1_CEN (1U << 0)
#define TIM_SR 0x10U
#define TIM_SR_CC1IF (1U << 1)
#define TIM_SR_CC1OF (1U << 9)
#define TIM_EGR 0x14U
#define TIM_EGR_UG (1U << 0)
#define TIM_CCMR1 0x18U
#define TIM_CCMR1_CC1S_TI1 (1U << 0)		/* CC1 is an input, IC1 on TI1 */
#define TIM_CCER 0x20U
#define TIM_CCER_CC1E (1U << 0)
#define TIM_PSC 0x28U
#define TIM_ARR 0x2CU
#define TIM_CCR1 0x34U
#define TIM_TISEL 0x68U
#define TIM16_TISEL_TI1SEL_LSI 1U

#endif
