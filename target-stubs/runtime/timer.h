/* Time from the DWT cycle counter. Every wait in the stub has a deadline
 * from here and ends as a status, never as a hang. */
#ifndef TARGET_STUBS_TIMER_H
#define TARGET_STUBS_TIMER_H

#include <stdbool.h>
#include <stdint.h>

struct timer {
	uint32_t cycles_per_us;
};

struct deadline {
	uint32_t last;		/* CYCCNT at the previous check */
	uint64_t left;		/* cycles still to wait */
	uint32_t polls_left;	/* backstop if CYCCNT does not count */
};

/* Starts CYCCNT; cpu_hz outside 1 MHz..1 GHz counts as 64 MHz (the H7
 * reset clock) so that waits stay bounded. */
void timer_init(struct timer *t, uint32_t cpu_hz);
/* CYCCNT, 32 bits (deadlines need no more). */
uint32_t timer_now(void);
/* Cycles since timer_init, 64 bits wide: CYCCNT with its wraps counted,
 * which needs one call every 10.7 s (2^32 cycles at 400 MHz). Long loops
 * get it through stub_stop_requested, which they poll, and
 * timer_delay_us; every wait stays on the cheaper timer_now. */
uint64_t timer_now64(void);
void timer_deadline_start(struct deadline *d, const struct timer *t,
			  uint32_t us);
/* True once `us` have passed, or once it was asked more often than that
 * many cycles could allow (each check costs more than a cycle). */
bool timer_deadline_passed(struct deadline *d);
/* Waits `us` asleep (WFI until SysTick has counted the cycles): no bus
 * traffic on a board, no host time on psramsim. Uses SysTick, which the
 * stub owns, and leaves it off. */
void timer_delay_us(const struct timer *t, uint32_t us);

#endif
