/* SysTick, the ARMv7-M system timer (ARMv7-M ARM B3.3): a 24-bit down
 * counter clocked by the core clock (CSR.CLKSOURCE = 1) or by the external
 * reference, which on the STM32H7 is the core clock divided by 8 (RM0433
 * §8, RCC clock tree: "to Cortex System timer"). When it reaches zero it sets
 * COUNTFLAG and, with TICKINT, pends exception 15; the next tick reloads
 * RVR. It does not count while the core is halted in Debug state.
 *
 * The value is worked out from core time rather than counted: (base_time,
 * base_val) says what the counter held when, and an event on the virtual
 * clock marks each time it reaches zero. */
#include "cpu/core_internal.h"

#include "util/log.h"

#define CSR_ENABLE (1U << 0)
#define CSR_TICKINT (1U << 1)
#define CSR_CLKSOURCE (1U << 2)
#define CSR_COUNTFLAG (1U << 16)
#define RELOAD_MASK 0x00FFFFFFU
/* SYST_CALIB: a reference clock exists (NOREF = 0) and TENMS is not given
 * (SKEW = 1): the reference is the core clock / 8, whose frequency the
 * software sets. */
#define CALIB_VALUE 0x40000000U

static uint32_t divider(const struct core *cpu)
{
	return (cpu->systick.csr & CSR_CLKSOURCE) ? 1U : 8U;
}

static bool counting(const struct core *cpu)
{
	return cpu->systick.csr & CSR_ENABLE;
}

/* Ticks of the counter clock since base_time. */
static uint64_t ticks_since_base(const struct core *cpu)
{
	return (core_time(cpu) - cpu->systick.base_time) / divider(cpu);
}

static uint32_t value_now(const struct core *cpu)
{
	const struct systick_state *st = &cpu->systick;
	uint64_t n;

	if (!counting(cpu))
		return st->base_val;
	n = ticks_since_base(cpu);
	if (n <= st->base_val)
		return st->base_val - (uint32_t)n;
	if (st->rvr == 0)
		return 0;
	/* After reaching zero, the next tick loads RVR. */
	return st->rvr - (uint32_t)((n - st->base_val - 1) % (st->rvr + 1ULL));
}

/* Start a new base at the current tick, keeping the value. */
static void rebase(struct core *cpu)
{
	struct systick_state *st = &cpu->systick;

	if (counting(cpu)) {
		uint64_t n = ticks_since_base(cpu);

		st->base_val = value_now(cpu);
		st->base_time += n * divider(cpu);
	} else {
		st->base_time = core_time(cpu);
	}
}

static void schedule_zero(struct core *cpu)
{
	struct systick_state *st = &cpu->systick;
	uint64_t first, when;

	vclock_cancel(cpu->clk, &st->zero);
	if (!counting(cpu) || cpu->halted)
		return;
	if (st->base_val > 0)
		first = st->base_val;
	else if (st->rvr > 0)
		first = st->rvr + 1ULL;
	else
		return;	/* RVR = 0: the counter stays at zero (B3.3.1) */
	when = st->base_time + first * divider(cpu) + cpu->halted_cycles;
	vclock_schedule_at(cpu->clk, &st->zero, when);
}

static void on_zero(void *ctx)
{
	struct core *cpu = ctx;
	struct systick_state *st = &cpu->systick;
	uint64_t first = st->base_val > 0 ? st->base_val : st->rvr + 1ULL;

	/* The counter reached zero at the event's time; count on from
	 * there even if the event is handled a few cycles late. */
	st->base_time += first * divider(cpu);
	st->base_val = 0;
	st->countflag = true;
	if (st->csr & CSR_TICKINT)
		exc_set_pending(cpu, EXC_SYSTICK, true);
	schedule_zero(cpu);
}

void systick_init(struct core *cpu)
{
	vclock_event_init(&cpu->systick.zero, on_zero, cpu);
}

/* B3.3.2: CSR resets to 0 (CLKSOURCE is implementation defined: 0 here,
 * as ST's PM0253 gives 0x00000000); RVR and CVR are UNKNOWN: zero here. */
void systick_reset(struct core *cpu)
{
	struct systick_state *st = &cpu->systick;

	vclock_cancel(cpu->clk, &st->zero);
	st->csr = 0;
	st->rvr = 0;
	st->countflag = false;
	st->base_val = 0;
	st->base_time = core_time(cpu);
}

uint32_t systick_read(struct core *cpu, uint32_t off, bool debugger)
{
	struct systick_state *st = &cpu->systick;
	uint32_t v;

	switch (off) {
	case 0x010:
		v = st->csr | (st->countflag ? CSR_COUNTFLAG : 0);
		/* B3.3.3: a read by software clears COUNTFLAG; a debugger
		 * looking at the register must not change what the program
		 * will see. */
		if (!debugger)
			st->countflag = false;
		return v;
	case 0x014:
		return st->rvr;
	case 0x018:
		return value_now(cpu);
	default:
		return CALIB_VALUE;
	}
}

void systick_write(struct core *cpu, uint32_t off, uint32_t v)
{
	struct systick_state *st = &cpu->systick;

	switch (off) {
	case 0x010:
		rebase(cpu);
		st->csr = v & (CSR_ENABLE | CSR_TICKINT | CSR_CLKSOURCE);
		/* A divider change starts from the current value too. */
		st->base_time = core_time(cpu);
		break;
	case 0x014:
		/* The new reload value is used at the next reload; a base at
		 * the current tick keeps the period in progress unchanged. */
		rebase(cpu);
		st->rvr = v & RELOAD_MASK;
		break;
	case 0x018:
		/* B3.3.5: any write clears the counter and COUNTFLAG; the
		 * next tick loads RVR. No interrupt. */
		rebase(cpu);
		st->base_val = 0;
		st->countflag = false;
		break;
	default:
		return;
	}
	schedule_zero(cpu);
}

void systick_halted(struct core *cpu, bool halted)
{
	if (halted)
		vclock_cancel(cpu->clk, &cpu->systick.zero);
	else
		schedule_zero(cpu);
}
