/* The cycle counter the test programs time with: DWT CYCCNT counts core
 * clocks once DEMCR.TRCENA and DWT_CTRL.CYCCNTENA are set (ARMv7-M ARM
 * (DDI 0403E) C1.6.5 DEMCR, C1.8 DWT). */
#ifndef PROGS_DWT_H
#define PROGS_DWT_H

#include <stdint.h>

#define DEMCR (*(volatile uint32_t *)0xE000EDFCU)
#define DWT_CTRL (*(volatile uint32_t *)0xE0001000U)
#define DWT_CYCCNT (*(volatile uint32_t *)0xE0001004U)
#define DWT_LAR (*(volatile uint32_t *)0xE0001FB0U)

static inline void dwt_cycle_counter_on(void)
{
	DEMCR |= 1U << 24;		/* TRCENA */
	/* Cortex-M7: the DWT ignores software writes until LAR is written
	 * (Cortex-M7 TRM 10.4). */
	DWT_LAR = 0xC5ACCE55U;
	DWT_CTRL |= 1U;			/* CYCCNTENA */
}

#endif
