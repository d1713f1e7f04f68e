/* The PSRAM part table (target-stubs/include/psram_parts.h) pinned value
 * by value to the datasheets (docs/psram-chips.md §4): a change to a
 * limit must change this test and say why. Also: the unknown member is
 * the strictest of the four in every value, and the host's wire-limit
 * arithmetic reads the same table. */
#include "parts/wire_limit.h"
#include "psram_parts.h"
#include "stub_abi.h"
#include "unit.h"

struct pinned {
	uint32_t chip;
	uint32_t max_mhz, cross_mhz, read03_mhz;
	uint32_t tclk_ps, tch_ps, tcem_ns, tcph_ns, tcsp_ps, tchd_ps;
	uint32_t power_up_us, page, wait_0b, wait_eb;
};

static const struct pinned pinned[] = {
	/* ESPDS Table 10-5, §3, §5.4, §5.5 */
	{STUB_CHIP_ESP_PSRAM64H, 133, 84, 33, 7000, 3150, 8000, 50, 2500,
	 20000, 150, 1024, 8, 6},
	/* LYDS Table 9, §9, §10.5, §10.6 */
	{STUB_CHIP_LY68L6400, 144, 84, 33, 7000, 3150, 8000, 50, 2500, 20000,
	 150, 1024, 8, 6},
	/* APSDS p. 1 (-3SQN: 109 MHz wrapped, 84 MHz linear); tCPH 18 ns */
	{STUB_CHIP_APS6404L, 84, 84, 33, 9175, 4129, 8000, 18, 3000, 20000,
	 150, 1024, 8, 6},
	/* IPSDS Table 8, §7, §8.5, §8.6 */
	{STUB_CHIP_IPS6404L, 104, 84, 33, 9600, 4320, 8000, 18, 3000, 3000,
	 150, 1024, 8, 6},
	/* the strictest of all four */
	{STUB_CHIP_UNKNOWN, 84, 84, 33, 9600, 4320, 8000, 50, 3000, 20000,
	 150, 1024, 8, 6},
};

static void every_value(void)
{
	for (size_t i = 0; i < sizeof(pinned) / sizeof(pinned[0]); i++) {
		const struct pinned *w = &pinned[i];
		const struct psram_part_timing *p = psram_part(w->chip);

		CHECK_EQ(p->max_hz, w->max_mhz * 1000000u);
		CHECK_EQ(p->page_cross_max_hz, w->cross_mhz * 1000000u);
		CHECK_EQ(p->read03_max_hz, w->read03_mhz * 1000000u);
		CHECK_EQ(p->tclk_min_ps, w->tclk_ps);
		CHECK_EQ(p->tch_ps, w->tch_ps);
		CHECK_EQ(p->tcem_ns, w->tcem_ns);
		CHECK_EQ(p->tcph_ns, w->tcph_ns);
		CHECK_EQ(p->tcsp_ps, w->tcsp_ps);
		CHECK_EQ(p->tchd_ps, w->tchd_ps);
		CHECK_EQ(p->power_up_us, w->power_up_us);
		CHECK_EQ(p->page_bytes, w->page);
		CHECK_EQ(p->wait_0b, w->wait_0b);
		CHECK_EQ(p->wait_eb, w->wait_eb);
	}
}

/* tCH is 0.45 tCLK(min), rounded up (the datasheets' duty-cycle rule). */
static void tch_is_45_percent(void)
{
	for (uint32_t c = 0; c <= STUB_CHIP_IPS6404L; c++) {
		const struct psram_part_timing *p = psram_part(c);

		CHECK_EQ(p->tch_ps, (p->tclk_min_ps * 45 + 99) / 100);
	}
}

static void unknown_is_strictest(void)
{
	const struct psram_part_timing *u = psram_part(STUB_CHIP_UNKNOWN);

	for (uint32_t c = STUB_CHIP_ESP_PSRAM64H; c <= STUB_CHIP_IPS6404L;
	     c++) {
		const struct psram_part_timing *p = psram_part(c);

		CHECK(u->max_hz <= p->max_hz);
		CHECK(u->page_cross_max_hz <= p->page_cross_max_hz);
		CHECK(u->read03_max_hz <= p->read03_max_hz);
		CHECK(u->tclk_min_ps >= p->tclk_min_ps);
		CHECK(u->tch_ps >= p->tch_ps);
		CHECK(u->tcem_ns <= p->tcem_ns);
		CHECK(u->tcph_ns >= p->tcph_ns);
		CHECK(u->tcsp_ps >= p->tcsp_ps);
		CHECK(u->tchd_ps >= p->tchd_ps);
		CHECK(u->power_up_us >= p->power_up_us);
	}
	CHECK(!memcmp(psram_part(99), u, sizeof(*u)));
}

/* The host's wire arithmetic reads the same table. */
static void wire_limit_reads_it(void)
{
	struct wire_frame f;

	CHECK(!memcmp(wire_chip_of(STUB_CHIP_APS6404L),
		      psram_part(STUB_CHIP_APS6404L),
		      sizeof(struct psram_part_timing)));
	wire_frame_of(WIRE_QPI, WIRE_READ, 50000000,
		      psram_part(STUB_CHIP_ESP_PSRAM64H), &f);
	CHECK_EQ(f.header_cycles, 2 + 6 + 6);
	wire_frame_of(WIRE_SPI, WIRE_READ, 50000000,
		      psram_part(STUB_CHIP_ESP_PSRAM64H), &f);
	CHECK_EQ(f.opcode, 0x0B);
	CHECK_EQ(f.header_cycles, 8 + 24 + 8);
	/* tCPH 18 ns at 100 MHz: 2 clocks; 50 ns: 5 */
	CHECK_EQ(wire_cs_high_cycles(psram_part(STUB_CHIP_APS6404L),
				     100000000),
		 2);
	CHECK_EQ(wire_cs_high_cycles(psram_part(STUB_CHIP_ESP_PSRAM64H),
				     100000000),
		 5);
}

/* The fastest clock in spec: the maximum clock, tCHD and tCSP against
 * one CLK of nCS hold and setup. */
static void spec_clock(void)
{
	char why[96];

	CHECK_EQ(wire_spec_max_hz(psram_part(STUB_CHIP_ESP_PSRAM64H), why,
				  sizeof(why)),
		 50000000);
	CHECK_STR(why, "tCHD 20.0 ns: the QUADSPI holds nCS one clock after "
		       "the last edge");
	CHECK_EQ(wire_spec_max_hz(psram_part(STUB_CHIP_APS6404L), NULL, 0),
		 50000000);
	CHECK_EQ(wire_spec_max_hz(psram_part(STUB_CHIP_UNKNOWN), NULL, 0),
		 50000000);
	CHECK_EQ(wire_spec_max_hz(psram_part(STUB_CHIP_IPS6404L), why,
				  sizeof(why)),
		 104000000);
	CHECK_STR(why, "its maximum clock, 104 MHz");
}

UNIT_MAIN("cli_psram_parts", UNIT_TEST(spec_clock), UNIT_TEST(every_value),
	  UNIT_TEST(tch_is_45_percent), UNIT_TEST(unknown_is_strictest),
	  UNIT_TEST(wire_limit_reads_it))
