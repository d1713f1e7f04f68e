/* The virtual clock: simulated time in CPU cycles. Instructions advance it
 * (one cycle each, plus what their bus accesses cost); peripheral models add
 * the wire and wait time their transfers take (a stalled bus access stalls
 * the core). DWT CYCCNT, SysTick and every timing figure psramsim reports
 * come from here, never from the host's wall clock, so results do not depend
 * on how fast the host is.
 *
 * Events: a model that needs something to happen at a future moment (a PLL
 * that locks, a transfer that completes and raises its interrupt line, a
 * timer that expires) schedules a struct vclock_event. The core stops
 * executing when the clock reaches the earliest event and fires every due
 * event between two instructions, never from inside a bus access. A sleeping
 * core (WFI) and an idle loop jump the clock straight to the next event, so
 * the time a model asks for is the time the guest sees, whether or not the
 * host executes anything meanwhile. */
#ifndef SIM_VCLOCK_H
#define SIM_VCLOCK_H

#include <stdbool.h>
#include <stdint.h>

#define VCLOCK_NEVER UINT64_MAX

typedef void (*vclock_event_fn)(void *ctx);

/* Owned by the model that schedules it; initialise once with
 * vclock_event_init(). While queued it must stay at the same address. */
struct vclock_event {
	uint64_t when;			/* cycle at which it fires */
	vclock_event_fn fire;
	void *ctx;
	struct vclock_event *next;
	bool queued;
};

struct vclock {
	uint64_t cycles;	/* CPU cycles since power-on */
	uint32_t cpu_hz;	/* current core clock, set by the RCC model */
	struct vclock_event *events;	/* queued events, earliest first */
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

void vclock_event_init(struct vclock_event *ev, vclock_event_fn fire,
		       void *ctx);

/* Queues `ev` to fire at cycle `when` (at once, between the next two
 * instructions, if `when` is not in the future). Scheduling a queued event
 * again moves it. */
void vclock_schedule_at(struct vclock *clk, struct vclock_event *ev,
			uint64_t when);

/* The same, `ns` nanoseconds of the current core clock from now. A model
 * whose delay is fixed in time (a PLL lock time, a flash erase) and that
 * sees the core clock change may reschedule with the remaining time. */
void vclock_schedule_in_ns(struct vclock *clk, struct vclock_event *ev,
			   uint64_t ns);

/* Takes `ev` off the queue; harmless if it is not queued. */
void vclock_cancel(struct vclock *clk, struct vclock_event *ev);

static inline bool vclock_event_queued(const struct vclock_event *ev)
{
	return ev->queued;
}

/* The cycle of the earliest queued event, or VCLOCK_NEVER. */
static inline uint64_t vclock_next_event(const struct vclock *clk)
{
	return clk->events ? clk->events->when : VCLOCK_NEVER;
}

/* Fires, in time order, every event due at or before now. An event's
 * callback may schedule events (itself included). Returns how many fired. */
unsigned vclock_fire_due(struct vclock *clk);

/* Moves time forward to `until` (nothing runs meanwhile: a sleeping or
 * halted core) firing the events on the way, each at its own time. */
void vclock_advance_to(struct vclock *clk, uint64_t until);

#endif
