#include "image/start_check.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/error.h"
#include "report/output.h"

/* ARMv7-M ARM C1.6.2 DHCSR; B3.2.15 CFSR, B3.2.16 HFSR, B3.2.17 MMFAR,
 * B3.2.18 BFAR. */
#define DHCSR 0xE000EDF0u
#define DHCSR_S_HALT (1u << 17)
#define DHCSR_S_LOCKUP (1u << 19)
#define DHCSR_S_RESET_ST (1u << 25)
#define CFSR 0xE000ED28u
#define HFSR 0xE000ED2Cu
#define MMFAR 0xE000ED34u
#define BFAR 0xE000ED38u
#define HFSR_FORCED (1u << 30)
#define HFSR_VECTTBL (1u << 1)

#define SAMPLES 5
#define SAMPLE_MS 100
#define HALT_MS 3000

/* IPSR exception numbers (B1.5.2) of the fault handlers. */
enum { EXC_HARDFAULT = 3, EXC_MEMMANAGE = 4, EXC_BUSFAULT = 5,
       EXC_USAGEFAULT = 6 };

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

void start_vectors_of(const struct image *img, uint32_t base,
		      struct start_vectors *v)
{
	memset(v, 0, sizeof(*v));
	for (size_t i = 0; i < img->nseg; i++) {
		const struct image_segment *s = &img->seg[i];

		if (s->addr == base && s->size >= 16) {
			v->sp = le32(s->data);
			v->reset = le32(s->data + 4);
			v->hardfault = le32(s->data + 12);
			v->known = 1;
			return;
		}
	}
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

static int read_word(struct target *t, uint32_t addr, uint32_t *v)
{
	int r = target_read_u32(t, addr, v);

	if (r == PSR_ERR_TARGET)
		r = out_error(r, "cannot read 0x%08x to see whether the "
				 "firmware started: %s",
			      (unsigned)addr, target_error(t));
	return r;
}

/* Samples DHCSR with OpenOCD's polling off. */
static int sample(struct target *t, struct start_report *rep,
		  uint32_t *sticky)
{
	uint32_t d;
	int r = read_word(t, DHCSR, &d); /* clears what `reset run` left */

	*sticky = 0;
	for (unsigned i = 0; !r && i < SAMPLES; i++) {
		sleep_ms(SAMPLE_MS);
		r = read_word(t, DHCSR, &d);
		if (r)
			break;
		rep->samples++;
		if (d & DHCSR_S_RESET_ST)
			rep->resets++;
		*sticky |= d;
	}
	return r;
}

/* Halts, reads what the core does, resumes it. */
static int look_inside(struct tcl_link *link, struct target *t,
		       const struct start_vectors *v, struct start_report *rep,
		       uint32_t sticky)
{
	static const char *const names[] = {"pc", "xPSR", "msp"};
	uint32_t regs[3], ipsr, handler;
	int r;

	r = target_halt(t, HALT_MS);
	if (!r)
		r = target_read_regs(t, names, regs, 3);
	if (r == PSR_ERR_TARGET)
		r = out_error(r, "cannot read the core's registers to see "
				 "whether the firmware started: %s",
			      target_error(t));
	if (!r)
		r = read_word(t, CFSR, &rep->cfsr);
	if (!r)
		r = read_word(t, HFSR, &rep->hfsr);
	if (!r)
		r = read_word(t, MMFAR, &rep->mmfar);
	if (!r)
		r = read_word(t, BFAR, &rep->bfar);
	if (r)
		return r;
	rep->pc = regs[0];
	rep->xpsr = regs[1];
	ipsr = regs[1] & 0x1ffu;
	handler = v->known ? v->hardfault & ~1u : 0;
	if (sticky & DHCSR_S_LOCKUP) {
		rep->state = START_LOCKUP;
	} else if ((ipsr >= EXC_HARDFAULT && ipsr <= EXC_USAGEFAULT) ||
		   (handler && rep->pc == handler)) {
		rep->state = START_FAULTING;
		/* The exception frame (B1.5.6): PC at SP+24. */
		if (target_read_u32(t, regs[2] + 24, &rep->fault_pc))
			rep->fault_pc = 0;
	} else {
		rep->state = START_RUNNING;
	}
	/* Leave it as it was: running (or looping in its handler). */
	return tcl_link_exec(link, "resume", NULL, 0) == PSR_ERR_TCL
		       ? out_error(PSR_ERR_TARGET,
				   "cannot resume the core after looking at it")
		       : 0;
}

int start_check(struct tcl_link *link, struct target *t,
		const struct start_vectors *v, struct start_report *rep)
{
	uint32_t sticky = 0;
	int r, r2;

	memset(rep, 0, sizeof(*rep));
	/* OpenOCD's background poll reads DHCSR too, and would take the
	 * sticky bits before us. */
	r = tcl_link_exec(link, "poll off", NULL, 0);
	if (!r)
		r = sample(t, rep, &sticky);
	r2 = tcl_link_exec(link, "poll on", NULL, 0);
	if (!r && r2 && r2 != PSR_ERR_TCL)
		r = r2;
	if (r)
		return r == PSR_ERR_TCL ? out_error(PSR_ERR_TARGET,
						    "OpenOCD refused 'poll'")
					: r;
	/* A reset on most samples: it never gets far. */
	if (rep->resets * 2 > rep->samples) {
		rep->state = START_RESET_LOOP;
		return 0;
	}
	return look_inside(link, t, v, rep, sticky);
}

const char *start_state_name(enum start_state s)
{
	switch (s) {
	case START_RUNNING: return "running";
	case START_FAULTING: return "faulting";
	case START_LOCKUP: return "locked-up";
	case START_RESET_LOOP: return "reset-loop";
	}
	return "unknown";
}

static const char *exception_name(uint32_t ipsr)
{
	switch (ipsr) {
	case EXC_HARDFAULT: return "HardFault";
	case EXC_MEMMANAGE: return "MemManage";
	case EXC_BUSFAULT: return "BusFault";
	case EXC_USAGEFAULT: return "UsageFault";
	}
	return "a fault handler";
}

/* The CFSR bits that say why (B3.2.15), first set one. */
static const char *cfsr_reason(uint32_t cfsr)
{
	static const struct {
		uint32_t bit;
		const char *why;
	} bits[] = {
		{1u << 16, "UsageFault: undefined instruction (UNDEFINSTR)"},
		{1u << 17, "UsageFault: invalid state (INVSTATE)"},
		{1u << 18, "UsageFault: invalid EXC_RETURN (INVPC)"},
		{1u << 19, "UsageFault: no coprocessor (NOCP)"},
		{1u << 24, "UsageFault: unaligned access (UNALIGNED)"},
		{1u << 25, "UsageFault: divide by zero (DIVBYZERO)"},
		{1u << 8, "BusFault on an instruction fetch (IBUSERR)"},
		{1u << 9, "precise BusFault on data (PRECISERR)"},
		{1u << 10, "imprecise BusFault on data (IMPRECISERR)"},
		{1u << 12, "BusFault stacking on exception entry (STKERR)"},
		{1u << 0, "MemManage: instruction access (IACCVIOL)"},
		{1u << 1, "MemManage: data access (DACCVIOL)"},
		{1u << 4, "MemManage stacking (MSTKERR)"},
	};

	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (cfsr & bits[i].bit)
			return bits[i].why;
	return NULL;
}

void start_describe(const struct start_report *rep, struct strbuf *sb)
{
	const char *why = cfsr_reason(rep->cfsr);

	switch (rep->state) {
	case START_RUNNING:
		sb_addf(sb, "the firmware runs (PC 0x%08x)", (unsigned)rep->pc);
		return;
	case START_RESET_LOOP:
		sb_addf(sb,
			"the firmware does not start: the core reset on %u of "
			"%u samples over %u ms (it resets itself again and "
			"again: a watchdog, or a handler that resets)",
			rep->resets, rep->samples, SAMPLES * SAMPLE_MS);
		return;
	case START_LOCKUP:
		sb_adds(sb, "the firmware does not start: the core is locked up "
			    "(a fault while handling a fault)");
		break;
	case START_FAULTING:
		sb_addf(sb, "the firmware does not start: %s",
			exception_name(rep->xpsr & 0x1ffu));
		if (rep->fault_pc)
			sb_addf(sb, " at 0x%08x", (unsigned)rep->fault_pc);
		if (why)
			sb_addf(sb, " (%s%s)",
				rep->hfsr & HFSR_FORCED ? "escalated from " : "",
				why);
		else if (rep->hfsr & HFSR_VECTTBL)
			sb_adds(sb, " (vector table read fault)");
		break;
	}
	sb_addf(sb, "; CFSR 0x%08x HFSR 0x%08x", (unsigned)rep->cfsr,
		(unsigned)rep->hfsr);
	if (rep->cfsr & (1u << 7))
		sb_addf(sb, " MMFAR 0x%08x", (unsigned)rep->mmfar);
	if (rep->cfsr & (1u << 15))
		sb_addf(sb, " BFAR 0x%08x", (unsigned)rep->bfar);
}
