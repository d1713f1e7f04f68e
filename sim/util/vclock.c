/* Event queue of the virtual clock (util/vclock.h): a sorted singly linked
 * list; a board has a handful of events at most. */
#include "util/vclock.h"

#include <stddef.h>

void vclock_event_init(struct vclock_event *ev, vclock_event_fn fire,
		       void *ctx)
{
	ev->when = 0;
	ev->fire = fire;
	ev->ctx = ctx;
	ev->next = NULL;
	ev->queued = false;
}

void vclock_cancel(struct vclock *clk, struct vclock_event *ev)
{
	struct vclock_event **p;

	if (!ev->queued)
		return;
	for (p = &clk->events; *p; p = &(*p)->next) {
		if (*p == ev) {
			*p = ev->next;
			break;
		}
	}
	ev->next = NULL;
	ev->queued = false;
}

void vclock_schedule_at(struct vclock *clk, struct vclock_event *ev,
			uint64_t when)
{
	struct vclock_event **p;

	vclock_cancel(clk, ev);
	ev->when = when;
	/* After the events due at the same cycle: they fire in the order
	 * they were scheduled. */
	for (p = &clk->events; *p && (*p)->when <= when; p = &(*p)->next)
		;
	ev->next = *p;
	*p = ev;
	ev->queued = true;
}

void vclock_schedule_in_ns(struct vclock *clk, struct vclock_event *ev,
			   uint64_t ns)
{
	vclock_schedule_at(clk, ev, clk->cycles + vclock_cycles_for_ns(clk, ns));
}

unsigned vclock_fire_due(struct vclock *clk)
{
	unsigned fired = 0;

	while (clk->events && clk->events->when <= clk->cycles) {
		struct vclock_event *ev = clk->events;

		clk->events = ev->next;
		ev->next = NULL;
		ev->queued = false;
		ev->fire(ev->ctx);
		fired++;
	}
	return fired;
}

void vclock_advance_to(struct vclock *clk, uint64_t until)
{
	while (clk->events && clk->events->when <= until) {
		struct vclock_event *ev = clk->events;

		if (ev->when > clk->cycles)
			clk->cycles = ev->when;
		clk->events = ev->next;
		ev->next = NULL;
		ev->queued = false;
		ev->fire(ev->ctx);
	}
	if (until > clk->cycles)
		clk->cycles = until;
}
