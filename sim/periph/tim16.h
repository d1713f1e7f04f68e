/* TIM16 of STM32H742/743/750/753 (RM0433 §41, TIM15/TIM16/TIM17) as far
 * as a program measuring the LSI uses it: the time base (CR1.CEN, CNT,
 * PSC, ARR, EGR.UG) on the APB2 timer clock, and channel 1 as an input
 * capture (CCMR1.CC1S = 01, IC1PSC, CCER.CC1E) of TI1 with
 * TISEL.TI1SEL = 0001, the LSI (32 kHz while RCC_CSR says it runs).
 * SR.CC1IF rises at each captured edge and clears on a CCR1 read or a
 * write of 0; a capture while CC1IF is still set raises CC1OF.
 * Not modelled: output compare, PWM, break, interrupts, DMA, the TI1
 * input filter and inputs other than the LSI (they never capture); a
 * program that enables them gets an "unimplemented" warning. */
#ifndef SIM_TIM16_H
#define SIM_TIM16_H

#include "bus.h"
#include "periph/rcc.h"
#include "util/vclock.h"

#define TIM16_H7_BASE 0x40014400U
#define TIM16_REG_SIZE 0x400U

struct tim16;

struct tim16 *tim16_new(struct vclock *clk, const struct rcc *rcc);
void tim16_free(struct tim16 *t);
void tim16_reset(void *t);

extern const struct mmio_ops tim16_ops;

#endif
