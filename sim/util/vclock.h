/* The virtual clock: simulated time in CPU cycles. Instructions advance it
 * by one cycle each; peripheral models add the wire and wait time their
 * transfers take (a stalled bus access stalls the core). DWT CYCCNT and every
 * timing figure psramsim reports come from here, never from the host's
 * wall clock, so results do not depend on how fast the host is. */
#ifndef SIM_VCLOCK_H
#define SIM_VCLOCK_H

#include <stdint.h>

struct vclock {
	uint64_t cycles;	/* CPU cycles since power-on */
	uint32_t cpu_hz;	/* current core clock, set by the RCC model */
};

static inline uint64_t vclock_now(const struct vclock *clk)
{
	return clk->cycles;
}

/* Cycles of the core clock for `ns` nanoseconds, rounded up. */
static inline uint64_t vclock_cycles_for_ns(const struct vclock *clk,
					    uint64_t ns)
{
	return (ns * clk->cpu_hz + 999999999ULL) / 1000000000ULL;
}

static inline uint64_t vclock_ns(const struct vclock *clk, uint64_t cycles)
{
	return clk->cpu_hz ? cycles * 1000000000ULL / clk->cpu_hz : 0;
}

/* A bus access that stalls the core until `until` (e.g. a DR read waiting
 * for the FIFO): time jumps forward, the core does nothing meanwhile. */
static inline void vclock_stall_until(struct vclock *clk, uint64_t until)
{
	if (until > clk->cycles)
		clk->cycles = until;
}

#endif
