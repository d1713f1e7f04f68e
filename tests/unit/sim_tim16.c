/* TIM16 capturing the LSI (RM0433 §41): a capture every IC1PSC edges of
 * 32 kHz in virtual time, whatever the core clock; CC1IF cleared by a CCR1
 * read, CC1OF on a missed capture; nothing without the LSI or the clock
 * enable. */
#include "unit.h"

#include "bus.h"
#include "periph/rcc.h"
#include "periph/tim16.h"
#include "util/log.h"

static struct vclock clk;

static void w_rcc(struct rcc *r, uint32_t off, uint32_t v)
{
	rcc_ops.write(r, off, 4, v, BUS_MASTER_CPU);
}

static void w(struct tim16 *t, uint32_t off, uint32_t v)
{
	tim16_ops.write(t, off, 4, v, BUS_MASTER_CPU);
}

static uint32_t rd(struct tim16 *t, uint32_t off)
{
	uint32_t v = 0;

	tim16_ops.read(t, off, 4, &v, BUS_MASTER_CPU);
	return v;
}

/* Advances the virtual clock by `us` at the current core clock. */
static void run_us(uint64_t us)
{
	clk.cycles += us * clk.cpu_hz / 1000000U;
}

static void setup(struct rcc **r, struct tim16 **t, int lsi_on)
{
	sim_log_quiet(1);
	clk.cycles = 0;
	*r = rcc_new(25000000, &clk);
	*t = tim16_new(&clk, *r);
	if (lsi_on) {
		w_rcc(*r, 0x074, 1); /* RCC_CSR.LSION */
		/* tsu(LSI): LSIRDY 120 us later (the RCC model); wait
		 * four LSI periods (125 us), so that the edges fall as
		 * they would from 0. */
		vclock_advance_to(&clk, clk.cycles + 125U * 64U);
	}
	w(*t, 0x68, 1);           /* TISEL: LSI */
	w(*t, 0x18, 1 | 3 << 2);  /* CC1S = TI1, IC1PSC /8 */
	w(*t, 0x20, 1);           /* CC1E */
	w(*t, 0x00, 1);           /* CEN */
}

static void captures_every_250us(void)
{
	struct rcc *r;
	struct tim16 *t;

	setup(&r, &t, 1);
	CHECK_EQ(clk.cpu_hz, 64000000U); /* HSI after reset */
	run_us(200);
	CHECK_EQ(rd(t, 0x10) & 2U, 0);
	run_us(60); /* 8 edges of 31.25 us: 250 us */
	CHECK_EQ(rd(t, 0x10) & 2U, 2U);
	(void)rd(t, 0x34); /* CCR1 read clears CC1IF */
	CHECK_EQ(rd(t, 0x10) & 2U, 0);
	run_us(250);
	CHECK_EQ(rd(t, 0x10) & 0x202U, 2U);
	run_us(500); /* two more captures, the flag still set: overcapture */
	CHECK_EQ(rd(t, 0x10) & 0x202U, 0x202U);
	w(t, 0x10, 0); /* rc_w0 */
	CHECK_EQ(rd(t, 0x10) & 0x202U, 0);
	tim16_free(t);
	rcc_free(r);
}

static void same_time_at_another_core_clock(void)
{
	struct rcc *r;
	struct tim16 *t;

	setup(&r, &t, 1);
	clk.cpu_hz = 128000000U; /* a core clock set elsewhere: time is time */
	run_us(240);
	CHECK_EQ(rd(t, 0x10) & 2U, 0);
	run_us(20);
	CHECK_EQ(rd(t, 0x10) & 2U, 2U);
	tim16_free(t);
	rcc_free(r);
}

static void nothing_without_lsi(void)
{
	struct rcc *r;
	struct tim16 *t;

	setup(&r, &t, 0);
	run_us(2000);
	CHECK_EQ(rd(t, 0x10) & 2U, 0);
	CHECK(!rcc_lsi_ready(r));
	w_rcc(r, 0x074, 1);
	CHECK(!rcc_lsi_ready(r));
	vclock_advance_to(&clk, clk.cycles + 120U * 64U);
	CHECK(rcc_lsi_ready(r));
	tim16_free(t);
	rcc_free(r);
}

static void counter_runs_on_the_timer_clock(void)
{
	struct rcc *r;
	struct tim16 *t;
	uint32_t c0, c1;

	setup(&r, &t, 1);
	w(t, 0x28, 63); /* PSC: 64 MHz / 64 = 1 MHz */
	w(t, 0x14, 1);  /* UG */
	c0 = rd(t, 0x24);
	run_us(100);
	c1 = rd(t, 0x24);
	CHECK_EQ(c1 - c0, 100);
	tim16_free(t);
	rcc_free(r);
}

/* A long stretch between two accesses (100 s of a 400 MHz core in one
 * step) counts exactly: 1 kHz for 100 s is 100000 ticks, CNT wraps at
 * ARR 0xFFFF to 34464. */
static void long_gap_counts_exactly(void)
{
	struct rcc *r;
	struct tim16 *t;

	sim_log_quiet(1);
	clk.cycles = 0;
	r = rcc_new(25000000, &clk);
	t = tim16_new(&clk, r);
	clk.cpu_hz = 400000000U;	/* what the core runs at changes */
	w(t, 0x28, 63999);		/* PSC: 64 MHz / 64000 */
	w(t, 0x14, 1);			/* EGR.UG loads it */
	w(t, 0x00, 1);			/* CEN */
	clk.cycles += 100ULL * 400000000U;
	CHECK_EQ(rd(t, 0x24), 100000U % 65536U);
	tim16_free(t);
	rcc_free(r);
}

UNIT_MAIN("sim_tim16", {"captures_every_250us", captures_every_250us},
	  {"long_gap_counts_exactly", long_gap_counts_exactly},
	  {"same_time_at_another_core_clock", same_time_at_another_core_clock},
	  {"nothing_without_lsi", nothing_without_lsi},
	  {"counter_runs_on_the_timer_clock", counter_runs_on_the_timer_clock})
