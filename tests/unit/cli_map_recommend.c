/* The recommended memory-mapped setup (cli/stub/map_recommend.c): the
 * clock the stub makes, the timeout that spans tCHD and the REFRESH at
 * 7/8 of tCEM, per part and clock, from the datasheet values of
 * target-stubs/include/psram_parts.h (tCHD 20 ns: ESPDS Table 10-5, LYDS
 * Table 9; 3 ns: IPSDS Table 8; tCEM 8 us on all of them), and --xspi
 * keys that the recommendation leaves alone. */
#include <string.h>

#include "psram_parts.h"
#include "stub/map_options.h"
#include "stub/map_recommend.h"
#include "unit.h"

#define MHZ 1000000u

static void test_clock(void)
{
	/* 280 MHz kernel (devebox-h7a3): /4 is even, taken as asked */
	CHECK_EQ(map_xspi_clock_hz(280 * MHZ, 70 * MHZ, 3150), 70 * MHZ);
	/* /3 keeps CLK high one kernel cycle, 3.57 ns: enough for the
	 * ESP-PSRAM64H's 3.15 ns tCH, not for the IPS6404L's 4.32 ns */
	CHECK_EQ(map_xspi_clock_hz(280 * MHZ, 100 * MHZ, 3150), 93333333u);
	CHECK_EQ(map_xspi_clock_hz(280 * MHZ, 100 * MHZ, 4320), 70 * MHZ);
	/* never faster than asked */
	CHECK_EQ(map_xspi_clock_hz(200 * MHZ, 60 * MHZ, 3150), 50 * MHZ);
	CHECK_EQ(map_xspi_clock_hz(200 * MHZ, 300 * MHZ, 3150), 200 * MHZ);
	/* the slowest the 8-bit prescaler makes */
	CHECK_EQ(map_xspi_clock_hz(256 * MHZ, 1, 3150), MHZ);
	CHECK_EQ(map_xspi_clock_hz(256 * MHZ, 0, 3150), MHZ);
}

static void test_lptr(void)
{
	/* one CLK at 70 MHz is 14.3 ns: 2 span 20 ns */
	CHECK_EQ(map_lptr_cycles(20000, 70 * MHZ), 2);
	CHECK_EQ(map_lptr_cycles(20000, 50 * MHZ), 1);	/* exactly 20 ns */
	CHECK_EQ(map_lptr_cycles(20000, 133 * MHZ), 3);
	CHECK_EQ(map_lptr_cycles(3000, 70 * MHZ), 1);
	CHECK_EQ(map_lptr_cycles(20000, 20 * MHZ), 1);
	CHECK_EQ(map_lptr_cycles(20000, 0), 1);
}

static void test_refresh(void)
{
	/* 8 us at 70 MHz = 560 cycles, less an eighth */
	CHECK_EQ(map_refresh_cycles(8000, 70 * MHZ), 490);
	CHECK_EQ(map_refresh_cycles(8000, 20 * MHZ), 140);
	CHECK_EQ(map_refresh_cycles(8000, 93333333u), 653);
	/* under 16 cycles no command fits: off */
	CHECK_EQ(map_refresh_cycles(8000, MHZ), 0);
	CHECK_EQ(map_refresh_cycles(8000, 2 * MHZ), 14);
}

static void test_per_part(void)
{
	struct map_recommended r;

	map_recommend(STUB_CHIP_ESP_PSRAM64H, 70 * MHZ, 1, &r);
	CHECK_EQ(r.clock_hz, 70 * MHZ);
	CHECK_EQ(r.lptr, 2);
	CHECK_EQ(r.refresh, 490);
	map_recommend(STUB_CHIP_LY68L6400, 70 * MHZ, 1, &r);
	CHECK_EQ(r.lptr, 2);
	CHECK_EQ(r.refresh, 490);
	map_recommend(STUB_CHIP_IPS6404L, 70 * MHZ, 1, &r);
	CHECK_EQ(r.lptr, 1);
	CHECK_EQ(r.refresh, 490);
	/* an unnamed part takes the strictest of all */
	map_recommend(STUB_CHIP_UNKNOWN, 70 * MHZ, 1, &r);
	CHECK_EQ(r.lptr, 2);
	CHECK_EQ(r.refresh, 490);
	/* a QUADSPI has no REFRESH */
	map_recommend(STUB_CHIP_ESP_PSRAM64H, 100 * MHZ, 0, &r);
	CHECK_EQ(r.lptr, 2);
	CHECK_EQ(r.refresh, 0);
	/* the values follow the table, not a copy of it */
	CHECK_EQ(map_lptr_cycles(psram_part(STUB_CHIP_APS6404L)->tchd_ps,
				 70 * MHZ), 2);
}

/* psramsim's H750 at 50 MHz (tcem=strict) loses the mapped reads from
 * byte 192 of a sequential run on: 400 cycles, 14 before the data. */
static void test_quadspi_read_run(void)
{
	CHECK_EQ(map_quadspi_read_run_bytes(STUB_CHIP_ESP_PSRAM64H, 50 * MHZ),
		 193);
	CHECK_EQ(map_quadspi_read_run_bytes(STUB_CHIP_ESP_PSRAM64H, 100 * MHZ),
		 393);
	CHECK_EQ(map_quadspi_read_run_bytes(STUB_CHIP_ESP_PSRAM64H, MHZ), 0);
}

/* The stub's runs: the limit less the FIFO's 32-byte prefetch, LPTR / 2
 * bytes and NCS's last CLK; never 0, which means no limit. */
static void test_quadspi_stub_run(void)
{
	CHECK_EQ(map_quadspi_stub_run_bytes(STUB_CHIP_ESP_PSRAM64H, 50 * MHZ,
					    1), 193 - 34);
	CHECK_EQ(map_quadspi_stub_run_bytes(STUB_CHIP_ESP_PSRAM64H, 100 * MHZ,
					    20), 393 - 44);
	CHECK_EQ(map_quadspi_stub_run_bytes(STUB_CHIP_ESP_PSRAM64H, MHZ, 1),
		 1);
}

static void test_given_keys_kept(void)
{
	struct map_settings s;
	struct map_recommended r = {70 * MHZ, 2, 490};

	map_settings_default(&s);
	map_settings_apply(&s, &r);
	CHECK_EQ(s.map.timeout, 2);
	CHECK_EQ(s.map.refresh, 490);

	map_settings_default(&s);
	CHECK_EQ(map_settings_parse(&s, "timeout=7"), 0);
	CHECK_EQ(map_settings_parse(&s, "refresh=0"), 0);
	map_settings_apply(&s, &r);
	CHECK_EQ(s.map.timeout, 7);
	CHECK_EQ(s.map.refresh, 0);

	map_settings_default(&s);
	CHECK_EQ(map_settings_parse(&s, "timeout=off"), 0);
	map_settings_apply(&s, &r);
	CHECK_EQ(s.map.flags & STUB_MAP_TIMEOUT, 0);
	CHECK_EQ(s.map.refresh, 490);
}

UNIT_MAIN("cli_map_recommend", UNIT_TEST(test_clock), UNIT_TEST(test_lptr),
	  UNIT_TEST(test_refresh), UNIT_TEST(test_per_part),
	  UNIT_TEST(test_quadspi_read_run),
	  UNIT_TEST(test_quadspi_stub_run),
	  UNIT_TEST(test_given_keys_kept))
