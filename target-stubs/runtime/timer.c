/* DWT cycle counter: deadlines and delays. */
#include "runtime/timer.h"

#include "regs/mmio.h"
#include "regs/regs_dwt.h"
#include "regs/regs_scb.h"

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

/* Asleep rather than polling CYCCNT (ARMv7-M ARM B3.3 SysTick, B1.5.19
 * WFI, B3.2.4 ICSR): SysTick counts the processor clock from `n` down and
 * sets COUNTFLAG at 0; with PRIMASK set meanwhile its exception stays
 * pending, not taken, and still wakes WFI. A wake for anything else finds
 * COUNTFLAG clear and sleeps again. The stub owns SysTick (core_setup
 * turned it off); it is off again after and its pending bit cleared
 * before PRIMASK is put back (the stub runs with it clear, so that a
 * BusFault is reported as one rather than escalated, B1.5.14). */
void timer_delay_us(const struct timer *t, uint32_t us)
{
	uint64_t left = (uint64_t)us * t->cycles_per_us;
	uint32_t primask;

	__asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask)::"memory");
	while (left != 0U) {
		/* At most 2^24 cycles a period (RVR.RELOAD); RELOAD 0 never
		 * counts (B3.3.3). */
		uint32_t n = left > SYST_RVR_MAX + 1ULL ? SYST_RVR_MAX + 1U
							: (uint32_t)left;

		mmio_write32(SYST_CSR, 0U);
		mmio_write32(SYST_RVR, n > 1U ? n - 1U : 1U);
		mmio_write32(SYST_CVR, 0U);
		mmio_write32(SCB_ICSR, SCB_ICSR_PENDSTCLR);
		mmio_write32(SYST_CSR, SYST_CSR_ENABLE | SYST_CSR_TICKINT |
					       SYST_CSR_CLKSOURCE);
		while (!(mmio_read32(SYST_CSR) & SYST_CSR_COUNTFLAG))
			__asm__ volatile("dsb\n\twfi" ::: "memory");
		left -= n;
		(void)timer_now64(); /* a long delay carries the wraps */
	}
	mmio_write32(SYST_CSR, 0U);
	mmio_write32(SCB_ICSR, SCB_ICSR_PENDSTCLR);
	if (!(primask & 1U))
		__asm__ volatile("cpsie i" ::: "memory");
}
