/* Sleeping through a wait (ARMv7-M ARM DDI 0403E B1.5.19 WFI, B3.3
 * SysTick, B3.2.4 ICSR).
 *
 * With PRIMASK set, WFI still wakes on an exception that would preempt
 * were PRIMASK clear (B1.5.19), and the exception stays pending rather
 * than being taken. So the stub masks interrupts, lets SysTick raise its
 * exception at the end of each period, sleeps, clears the pending SysTick
 * through ICSR.PENDSTCLR and reads the time from CYCCNT: no handler and
 * no vector table entry are needed. A WFI that returns early (another
 * wake-up event, a debugger's halt and resume) only costs a look at
 * CYCCNT. SysTick counts at most 2^24 cycles a period (RVR.RELOAD, 24
 * bits): 42 ms at 400 MHz, so CYCCNT's 64-bit extension sees every wrap.
 * What it changed (PRIMASK, BASEPRI, SysTick, the pending bit) is put
 * back, so firmware resumed after the stub finds them as it left them,
 * but for SysTick's current value, which a write can only clear. */
#include "runtime/sleep.h"

#include "regs/mmio.h"
#include "regs/regs_scb.h"

#define SYST_CSR_KEPT (SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE)

static uint32_t primask_get(void)
{
	uint32_t v;

	__asm__ volatile("mrs %0, primask" : "=r"(v));
	return v;
}

static uint32_t basepri_get(void)
{
	uint32_t v;

	__asm__ volatile("mrs %0, basepri" : "=r"(v));
	return v;
}

static void basepri_set(uint32_t v)
{
	__asm__ volatile("msr basepri, %0" ::"r"(v) : "memory");
}

/* SysTick raises its exception `cycles` (>= 1) from now, then every
 * `cycles` or 2^24, whichever is less (B3.3.1: a write to CVR clears it
 * and the count restarts from RVR). */
static void systick_period(uint64_t cycles)
{
	uint32_t reload = cycles > SYST_RVR_MAX + 1ULL ? SYST_RVR_MAX
						       : (uint32_t)cycles - 1U;

	if (reload == 0U)
		reload = 1U;	/* B3.3.3: RELOAD 0 never raises it */
	mmio_write32(SYST_CSR, 0U);
	mmio_write32(SYST_RVR, reload);
	mmio_write32(SYST_CVR, 0U);
	mmio_write32(SCB_ICSR, SCB_ICSR_PENDSTCLR);
	mmio_write32(SYST_CSR, SYST_CSR_KEPT);
}

void sleep_us(const struct timer *t, uint32_t us)
{
	uint64_t want = (uint64_t)us * t->cycles_per_us;
	uint64_t start = timer_now64(), done;
	uint32_t csr = mmio_read32(SYST_CSR) & SYST_CSR_KEPT;
	uint32_t rvr = mmio_read32(SYST_RVR);
	uint32_t pending = mmio_read32(SCB_ICSR) & SCB_ICSR_PENDSTSET;
	uint32_t primask = primask_get(), basepri = basepri_get();
	uint64_t period = 0;

	__asm__ volatile("cpsid i" ::: "memory");
	/* A BASEPRI the halted firmware left could mask SysTick, and WFI
	 * would then never wake: the wake rule ignores only PRIMASK. */
	basepri_set(0U);
	while ((done = timer_now64() - start) < want) {
		uint64_t left = want - done;

		/* The last period ends with the wait, not up to 42 ms on. */
		if (period == 0U || left < period) {
			period = left > SYST_RVR_MAX + 1ULL ? SYST_RVR_MAX + 1ULL
							    : left;
			systick_period(period);
		}
		__asm__ volatile("dsb\n\twfi" ::: "memory");
		mmio_write32(SCB_ICSR, SCB_ICSR_PENDSTCLR);
	}
	mmio_write32(SYST_CSR, 0U);
	mmio_write32(SYST_RVR, rvr);
	mmio_write32(SYST_CVR, 0U);
	mmio_write32(SCB_ICSR,
		     pending ? SCB_ICSR_PENDSTSET : SCB_ICSR_PENDSTCLR);
	mmio_write32(SYST_CSR, csr);
	basepri_set(basepri);
	if (!(primask & 1U))
		__asm__ volatile("cpsie i" ::: "memory");
}
