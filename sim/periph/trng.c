#include "periph/trng.h"

#include <stdbool.h>
#include <stdlib.h>

#include "util/log.h"
#include "util/rng.h"

/* Registers and bits, RM0433 §34.7. */
#define CR 0x00U
#define CR_RNGEN (1U << 2)
#define CR_IE (1U << 3)
#define CR_CED (1U << 5)
#define SR 0x04U
#define SR_DRDY (1U << 0)
#define SR_CECS (1U << 1)
#define SR_CEIS (1U << 5)
#define SR_SEIS (1U << 6)
#define DR 0x08U

#define FIFO_WORDS 4U
/* RM0433 §34.2 and §34.3.3: a conditioning round delivers four words every
 * 16 x fAHB / fRNG AHB cycles, and never sooner than 213 AHB cycles. */
#define ROUND_MIN_AHB 213U
/* §34.3.4 initialisation: 16 rng_clk cycles before the noise source is
 * sampled, then the start-up health tests on three 128-bit samples and
 * one round to fill the output buffer: taken here as four rounds. */
#define INIT_RNG_CLKS 16U
#define INIT_ROUNDS 4U

struct trng {
	struct vclock *clk;
	const struct rcc *rcc;
	struct irq_line irq;
	struct rng draw;
	uint32_t cr, sr_flags;	/* sr_flags: CEIS, SEIS (sticky) */
	uint32_t fifo[FIFO_WORDS];
	unsigned nfifo;
	bool started;		/* initialisation done since RNGEN rose */
	bool warned_ced;
	struct vclock_event refill;
};

static void update_irq(struct trng *t)
{
	bool level = (t->cr & CR_IE) &&
		     (t->nfifo || (t->sr_flags & (SR_CEIS | SR_SEIS)));

	irq_set(&t->irq, level);
}

/* True while the clock error check fails: rng_clk below rcc_hclk / 16
 * (§34.3.7), a stopped kernel clock included. */
static bool clock_error(const struct trng *t)
{
	uint32_t rng_hz = rcc_rng_kernel_hz(t->rcc);

	return (t->cr & CR_CED) == 0 &&
	       (uint64_t)rng_hz * 16U < rcc_hclk3_hz(t->rcc);
}

/* CPU cycles of one conditioning round (§34.2), from the clocks in force. */
static uint64_t round_cycles(const struct trng *t, unsigned rounds,
			     unsigned extra_rng_clks)
{
	uint32_t rng_hz = rcc_rng_kernel_hz(t->rcc);
	uint32_t hclk = rcc_hclk3_hz(t->rcc), cpu = t->clk->cpu_hz;
	uint64_t ahb = rng_hz ? 16ULL * hclk / rng_hz : ROUND_MIN_AHB;

	if (ahb < ROUND_MIN_AHB)
		ahb = ROUND_MIN_AHB;
	ahb *= rounds;
	if (rng_hz)
		ahb += (uint64_t)extra_rng_clks * hclk / rng_hz + 1U;
	return hclk ? ahb * cpu / hclk + 1U : ahb;
}

/* §34.3.7: a clock error sets CECS and CEIS; no new number is produced
 * while it lasts. */
static bool note_clock_error(struct trng *t)
{
	if (!(t->cr & CR_RNGEN) || !clock_error(t))
		return false;
	if (!(t->sr_flags & SR_CEIS))
		sim_log(LOG_GUEST_ERROR,
			"RNG: clock error: rng_clk %.3f MHz below rcc_hclk/16 "
			"(RM0433 §34.3.7)",
			rcc_rng_kernel_hz(t->rcc) / 1e6);
	t->sr_flags |= SR_CEIS;
	update_irq(t);
	return true;
}

static void schedule(struct trng *t)
{
	if (!(t->cr & CR_RNGEN) || t->nfifo || !rcc_rng_kernel_hz(t->rcc))
		return;
	if (!vclock_event_queued(&t->refill))
		vclock_schedule_at(
			t->clk, &t->refill,
			vclock_now(t->clk) +
				(t->started ? round_cycles(t, 1, 0)
					    : round_cycles(t, INIT_ROUNDS,
							   INIT_RNG_CLKS)));
}

static void on_refill(void *ctx)
{
	struct trng *t = ctx;

	if (!(t->cr & CR_RNGEN))
		return;
	if (!rcc_rng_kernel_hz(t->rcc))
		return; /* its clock stopped: nothing is sampled */
	if (note_clock_error(t)) {
		vclock_schedule_at(t->clk, &t->refill,
				   vclock_now(t->clk) + round_cycles(t, 1, 0));
		return;
	}
	t->started = true;
	for (unsigned i = 0; i < FIFO_WORDS; i++)
		t->fifo[i] = (uint32_t)rng_next(&t->draw);
	t->nfifo = FIFO_WORDS;
	update_irq(t);
}

void trng_reset(void *ctx)
{
	struct trng *t = ctx;

	vclock_cancel(t->clk, &t->refill);
	t->cr = 0;
	t->sr_flags = 0;
	t->nfifo = 0;
	t->started = false;
	update_irq(t);
}

struct trng *trng_new(struct vclock *clk, const struct rcc *rcc,
		      uint64_t seed)
{
	struct trng *t = calloc(1, sizeof(*t));

	if (!t)
		abort();
	t->clk = clk;
	t->rcc = rcc;
	rng_seed_stream(&t->draw, seed, "trng");
	vclock_event_init(&t->refill, on_refill, t);
	trng_reset(t);
	return t;
}

void trng_free(struct trng *t)
{
	if (!t)
		return;
	vclock_cancel(t->clk, &t->refill);
	free(t);
}

void trng_set_irq(struct trng *t, struct irq_line line)
{
	t->irq = line;
}

static uint32_t read_sr(const struct trng *t)
{
	return (t->nfifo ? SR_DRDY : 0) | t->sr_flags |
	       (((t->cr & CR_RNGEN) && clock_error(t)) ? SR_CECS : 0);
}

static bool trng_read(void *dev, uint32_t off, unsigned size,
		      uint32_t *value, enum bus_master master)
{
	struct trng *t = dev;

	if (size != 4)
		return false; /* §34.7: word accesses only, else a bus error */
	switch (off) {
	case CR:
		*value = t->cr;
		return true;
	case SR:
		*value = read_sr(t);
		return true;
	case DR:
		/* §34.7.3: valid while DRDY is 1; 0 otherwise. A
		 * debugger's read does not consume the number. */
		*value = t->nfifo ? t->fifo[FIFO_WORDS - t->nfifo] : 0;
		if (t->nfifo && master == BUS_MASTER_CPU) {
			t->nfifo--;
			update_irq(t);
			schedule(t);
		}
		return true;
	default:
		*value = 0;
		return true;
	}
}

static bool trng_write(void *dev, uint32_t off, unsigned size,
		       uint32_t value, enum bus_master master)
{
	struct trng *t = dev;
	uint32_t old = t->cr;

	(void)master;
	if (size != 4)
		return false;
	switch (off) {
	case CR:
		value &= CR_RNGEN | CR_IE | CR_CED;
		if ((old & CR_RNGEN) && ((value ^ old) & CR_CED)) {
			/* §34.7.1: CED changes only while RNGEN is 0. */
			sim_log(LOG_GUEST_ERROR,
				"RNG: CR.CED changed while RNGEN is set: "
				"ignored (RM0433 §34.7.1)");
			value = (value & ~CR_CED) | (old & CR_CED);
		}
		t->cr = value;
		if ((value & CR_RNGEN) && !(old & CR_RNGEN)) {
			t->started = false;
			if (!(value & CR_CED) && !t->warned_ced &&
			    rcc_rng_kernel_hz(t->rcc) != 48000000U) {
				/* §34.7.1 CED: the clock error detection is
				 * specified for a 48 MHz rng_clk only. */
				t->warned_ced = true;
				sim_log(LOG_GUEST_ERROR,
					"RNG: clock error detection (CED=0) "
					"with rng_clk at %.3f MHz, not 48 MHz "
					"(RM0433 §34.7.1)",
					rcc_rng_kernel_hz(t->rcc) / 1e6);
			}
		}
		if (!(value & CR_RNGEN))
			vclock_cancel(t->clk, &t->refill);
		note_clock_error(t);
		schedule(t);
		update_irq(t);
		return true;
	case SR:
		/* CEIS and SEIS are cleared by writing 0 (rc_w0). */
		t->sr_flags &= value | ~(SR_CEIS | SR_SEIS);
		update_irq(t);
		return true;
	default:
		return true;
	}
}

const struct mmio_ops trng_ops = {
	.read = trng_read,
	.write = trng_write,
};
