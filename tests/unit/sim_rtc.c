/* The RTC calendar (RM0433 §46) counting on the virtual clock from the LSE:
 * a leap day, a month's and a year's end, the weekday, the synchronous
 * prescaler's SSR, a calendar that stands still in initialisation mode and
 * with its clock stopped; and the RNG (§34) refilling its four words one
 * conditioning round after the buffer is read empty. */
#include "unit.h"

#include "bus.h"
#include "periph/pwr.h"
#include "periph/rcc.h"
#include "periph/rtc.h"
#include "periph/trng.h"
#include "util/log.h"

static struct vclock clk;

static void wr(const struct mmio_ops *ops, void *dev, uint32_t off,
	       uint32_t v)
{
	ops->write(dev, off, 4, v, BUS_MASTER_CPU);
}

static uint32_t rd(const struct mmio_ops *ops, void *dev, uint32_t off)
{
	uint32_t v = 0;

	ops->read(dev, off, 4, &v, BUS_MASTER_CPU);
	return v;
}

static void run_ms(uint64_t ms)
{
	vclock_advance_to(&clk, clk.cycles + ms * clk.cpu_hz / 1000U);
}

struct rig {
	struct rcc *rcc;
	struct pwr *pwr;
	struct rtc *rtc;
};

/* LSE on and selected, DBP set, the key given, the calendar set to TR/DR
 * with one second per LSE second (PREDIV_A 127, PREDIV_S 255). */
static void setup(struct rig *g, uint32_t tr, uint32_t dr)
{
	sim_log_quiet(1);
	clk.cycles = 0;
	g->rcc = rcc_new(25000000, &clk);
	g->pwr = pwr_new(true);
	g->rtc = rtc_new(&clk, g->rcc, g->pwr);
	wr(&pwr_ops, g->pwr, 0x00, rd(&pwr_ops, g->pwr, 0x00) | 1U << 8);
	wr(&rcc_ops, g->rcc, 0x070, 1U);		/* LSEON */
	wr(&rcc_ops, g->rcc, 0x070, 1U | 1U << 8 | 1U << 15);
	wr(&rtc_ops, g->rtc, 0x24, 0xCA);
	wr(&rtc_ops, g->rtc, 0x24, 0x53);
	wr(&rtc_ops, g->rtc, 0x0C, 1U << 7);	/* INIT */
	run_ms(1);
	CHECK(rd(&rtc_ops, g->rtc, 0x0C) & 1U << 6); /* INITF */
	wr(&rtc_ops, g->rtc, 0x10, 0x007F00FFU);
	wr(&rtc_ops, g->rtc, 0x00, tr);
	wr(&rtc_ops, g->rtc, 0x04, dr);
	wr(&rtc_ops, g->rtc, 0x0C, 0);
}

static void teardown(struct rig *g)
{
	rtc_free(g->rtc);
	pwr_free(g->pwr);
	rcc_free(g->rcc);
}

static void leap_day_and_year_end(void)
{
	struct rig g;

	/* Thursday 2024-02-28 23:59:59 (BCD; WDU 4). */
	setup(&g, 0x235959, 0x24U << 16 | 4U << 13 | 0x02U << 8 | 0x28U);
	run_ms(1000);
	CHECK_EQ(rd(&rtc_ops, g.rtc, 0x04), 0x24U << 16 | 5U << 13 |
						  0x02U << 8 | 0x29U);
	CHECK_EQ(rd(&rtc_ops, g.rtc, 0x00), 0);
	run_ms(86400U * 1000U);	/* Saturday 2024-03-01 */
	CHECK_EQ(rd(&rtc_ops, g.rtc, 0x04), 0x24U << 16 | 6U << 13 |
						  0x03U << 8 | 0x01U);
	teardown(&g);
	/* Sunday 2023-12-31 23:59:58 -> Monday 2024-01-01 00:00:01. */
	setup(&g, 0x235958, 0x23U << 16 | 7U << 13 | 0x12U << 8 | 0x31U);
	run_ms(3000);
	CHECK_EQ(rd(&rtc_ops, g.rtc, 0x04), 0x24U << 16 | 1U << 13 |
						  0x01U << 8 | 0x01U);
	CHECK_EQ(rd(&rtc_ops, g.rtc, 0x00), 0x000001);
	teardown(&g);
}

static void subseconds_and_stops(void)
{
	struct rig g;

	setup(&g, 0x120000, 0x26U << 16 | 1U << 13 | 0x01U << 8 | 0x05U);
	/* SSR counts PREDIV_S (255) down to 0 once a second. */
	CHECK_EQ(rd(&rtc_ops, g.rtc, 0x28), 255);
	run_ms(500);
	CHECK_EQ(rd(&rtc_ops, g.rtc, 0x28), 127);
	/* Initialisation mode: the calendar stands still. */
	wr(&rtc_ops, g.rtc, 0x24, 0xCA);
	wr(&rtc_ops, g.rtc, 0x24, 0x53);
	wr(&rtc_ops, g.rtc, 0x0C, 1U << 7);
	run_ms(5000);
	CHECK_EQ(rd(&rtc_ops, g.rtc, 0x00), 0x120000);
	/* TR written outside initialisation mode is refused. */
	wr(&rtc_ops, g.rtc, 0x0C, 0);
	wr(&rtc_ops, g.rtc, 0x00, 0x010203);
	CHECK_EQ(rd(&rtc_ops, g.rtc, 0x00), 0x120000);
	run_ms(2000);
	CHECK_EQ(rd(&rtc_ops, g.rtc, 0x00), 0x120002);
	teardown(&g);
}

static void rng_rounds(void)
{
	struct rcc *r;
	struct trng *t;
	uint32_t words[5];

	sim_log_quiet(1);
	clk.cycles = 0;
	r = rcc_new(25000000, &clk);
	t = trng_new(&clk, r, 1);
	wr(&rcc_ops, r, 0x000, rd(&rcc_ops, r, 0x000) | 1U << 12); /* HSI48 */
	wr(&trng_ops, t, 0x0, 1U << 2);
	CHECK_EQ(rd(&trng_ops, t, 0x4) & 1U, 0);
	run_ms(1);
	CHECK_EQ(rd(&trng_ops, t, 0x4), 1U);
	for (unsigned i = 0; i < 4; i++)
		words[i] = rd(&trng_ops, t, 0x8);
	CHECK_EQ(rd(&trng_ops, t, 0x4) & 1U, 0);
	/* 64 MHz AHB over a 48 MHz kernel clock: 21 AHB cycles per 16
	 * rng_clk, below the 213-cycle minimum, so one round is 213 AHB
	 * cycles (about 3.3 us): not there at 3 us, there at 4 us. */
	vclock_advance_to(&clk, clk.cycles + 3U * clk.cpu_hz / 1000000U);
	CHECK_EQ(rd(&trng_ops, t, 0x4) & 1U, 0);
	vclock_advance_to(&clk, clk.cycles + 1U * clk.cpu_hz / 1000000U);
	CHECK_EQ(rd(&trng_ops, t, 0x4) & 1U, 1U);
	words[4] = rd(&trng_ops, t, 0x8);
	for (unsigned i = 0; i < 5; i++)
		for (unsigned j = i + 1; j < 5; j++)
			CHECK(words[i] != words[j]);
	/* Half-word access: a bus error (§34.7). */
	{
		uint32_t v;

		CHECK(!trng_ops.read(t, 0x8, 2, &v, BUS_MASTER_CPU));
	}
	trng_free(t);
	rcc_free(r);
}

UNIT_MAIN("sim_rtc", {"leap_day_and_year_end", leap_day_and_year_end},
	  {"subseconds_and_stops", subseconds_and_stops},
	  {"rng_rounds", rng_rounds})
