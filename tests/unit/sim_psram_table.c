/* psramsim's own transcription of the PSRAM datasheets (sim/chips/psram.c)
 * against the table psramctl and the stub use (target-stubs/include/
 * psram_parts.h): two independent readings that must agree, value by
 * value, wherever both carry it. */
#include "chips/psram.h"
#include "psram_parts.h"
#include "stub_abi.h"
#include "unit.h"

static const struct {
	enum chip_kind sim;
	uint32_t stub;
} pairs[] = {
	{CHIP_ESP_PSRAM64H, STUB_CHIP_ESP_PSRAM64H},
	{CHIP_LY68L6400, STUB_CHIP_LY68L6400},
	{CHIP_APS6404L, STUB_CHIP_APS6404L},
	{CHIP_IPS6404L, STUB_CHIP_IPS6404L},
};

static const struct psram_part *sim_part(enum chip_kind kind)
{
	for (unsigned i = 0; i < psram_part_count; i++)
		if (psram_parts[i].kind == kind)
			return &psram_parts[i];
	return NULL;
}

static void tables_agree(void)
{
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		const struct psram_part *s = sim_part(pairs[i].sim);
		const struct psram_part_timing *t = psram_part(pairs[i].stub);

		CHECK(s != NULL);
		printf("  %s\n", s->name);
		CHECK_EQ(s->max_linear_hz, t->max_hz);
		CHECK_EQ(s->max_pagecross_hz, t->page_cross_max_hz);
		CHECK_EQ(s->max_read03_hz, t->read03_max_hz);
		CHECK_EQ(s->t_cph_ps, t->tcph_ns * 1000u);
		CHECK_EQ(s->t_cem_ps, t->tcem_ns * 1000ull);
	}
}

UNIT_MAIN("sim_psram_table", UNIT_TEST(tables_agree))
