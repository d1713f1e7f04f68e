/* DWT cycle counter: deadlines and delays. */
#include "runtime/timer.h"

#include "regs/mmio.h"
#include "regs/regs_dwt.h"

#define TIMER_DEFAULT_HZ 64000000U

/* The 64-bit extension of CYCCNT: its last value seen and the wraps. */
static uint32_t cyccnt_last;
static uint32_t cyccnt_wraps;

void timer_init(struct timer *t, uint32_t cpu_hz)
{
	if (cpu_hz < 1000000U || cpu_hz > 1000000000U)
		cpu_hz = TIMER_DEFAULT_HZ;
	t->cycles_per_us = cpu_hz / 1000000U;

	mmio_write32(DEMCR, mmio_read32(DEMCR) | DEMCR_TRCENA);
	/* The M7's DWT ignores software writes until its lock is opened. */
	mmio_write32(DWT_LAR, DWT_LAR_KEY);
	mmio_write32(DWT_CTRL, mmio_read32(DWT_CTRL) | DWT_CTRL_CYCCNTENA);
	cyccnt_last = mmio_read32(DWT_CYCCNT);
	cyccnt_wraps = 0U;
}

uint32_t timer_now(void)
{
	return mmio_read32(DWT_CYCCNT);
}

uint64_t timer_now64(void)
{
	uint32_t now = mmio_read32(DWT_CYCCNT);

	if (now < cyccnt_last)
		cyccnt_wraps++;
	cyccnt_last = now;
	return (uint64_t)cyccnt_wraps << 32 | now;
}

void timer_deadline_start(struct deadline *d, const struct timer *t,
			  uint32_t us)
{
	d->left = (uint64_t)us * t->cycles_per_us;
	d->polls_left = d->left > 0xFFFFFFFFU ? 0xFFFFFFFFU : (uint32_t)d->left;
	d->last = timer_now();
}

bool timer_deadline_passed(struct deadline *d)
{
	uint32_t now = timer_now();
	uint32_t elapsed = now - d->last;

	d->last = now;
	if (elapsed >= d->left || d->polls_left == 0U)
		return true;
	d->left -= elapsed;
	d->polls_left--;
	return false;
}

void timer_delay_us(const struct timer *t, uint32_t us)
{
	struct deadline d;

	timer_deadline_start(&d, t, us);
	while (!timer_deadline_passed(&d))
		(void)timer_now64(); /* a long delay carries the wraps */
}
