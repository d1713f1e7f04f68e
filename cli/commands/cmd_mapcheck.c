/*
 * psramctl mapcheck: which memory-mapped setups work on this board. The
 * chip and its joints are cleared first in indirect mode; then the device
 * and access tests run through the window once per setup: the
 * recommended one, each with one setting changed the way firmware gets it
 * wrong, each MPU attribute, and the cached attributes without cleaning
 * the stores' lines (what a write-back cache keeps from the chip). Each
 * setup works, faults (and why) or loses data (and which setting it comes
 * from, caching included); the words keep the chip
 * and the configuration apart. Ends with the recommended setup as
 * register values and as the ST HAL's structure fields
 * (docs/hardware-stm32h7a3.md §6.7).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "link/session.h"
#include "report/json.h"
#include "report/output.h"
#include "stub/map_options.h"
#include "stub/map_recommend.h"
#include "stub/memtest_run.h"
#include "stub/stub_params.h"
#include "util/error.h"

#define DEFAULT_RANGE_LEN (64u * 1024)
#define TIMEOUT_MS 120000

struct mapcheck_options {
	const char *range;
};

static const struct opt mapcheck_options[] = {
	{"range", 0, OPT_STRING, offsetof(struct mapcheck_options, range),
	 "START:LEN", "part of the chip to test (default 0:64K)", 0, 0},
	OPT_END,
};

struct trial {
	const char *name;	/* as the report shows it */
	const char *xspi;	/* the changed --xspi setting, or NULL */
	uint32_t mpu;		/* enum stub_mpu */
	int octospi_only;	/* a setting only the OCTOSPI has (or mapped
				 * writes, which only the OCTOSPI maps) */
	uint32_t map_flags;	/* STUB_MAP_NO_CLEAN: firmware that skips
				 * cache maintenance */
};

static const struct trial trials[] = {
	{"recommended", NULL, STUB_MPU_OFF, 0, 0},
	{"dqs=off", "dqs=off", STUB_MPU_OFF, 1, 0},
	{"timeout=off", "timeout=off refresh=0", STUB_MPU_OFF, 0, 0},
	{"csbound=0", "csbound=0", STUB_MPU_OFF, 1, 0},
	{"mpu=device", NULL, STUB_MPU_DEVICE, 0, 0},
	{"mpu=nc", NULL, STUB_MPU_NC, 0, 0},
	{"mpu=wt", NULL, STUB_MPU_WT, 0, 0},
	{"mpu=wb", NULL, STUB_MPU_WB, 0, 0},
	{"wt no clean", NULL, STUB_MPU_WT, 1, STUB_MAP_NO_CLEAN},
	{"wb no clean", NULL, STUB_MPU_WB, 1, STUB_MAP_NO_CLEAN},
	{"wb refresh=0", "refresh=0", STUB_MPU_WB, 1, 0},
};

#define NTRIALS (sizeof(trials) / sizeof(trials[0]))

enum verdict { V_WORKS, V_FAULTS, V_LOSES, V_SKIPPED };

struct outcome {
	enum verdict v;
	uint64_t errors;
	uint32_t cfsr;
	char words[240];
};

/* Applies the trial's --xspi settings, separated by spaces. */
static int apply_xspi(struct map_settings *m, const char *list)
{
	char buf[64], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", list);
	for (char *kv = strtok_r(buf, " ", &save); kv;
	     kv = strtok_r(NULL, " ", &save))
		if (map_settings_parse(m, kv))
			return PSR_ERR_USAGE;
	return 0;
}

static int run_one(struct session *s, uint32_t mode, const struct trial *t,
		   uint32_t start, uint32_t len, struct memtest_obs *o)
{
	struct memtest_spec sp;

	memset(&sp, 0, sizeof(sp));
	sp.tests = STUB_TEST_DEVICE;
	if (mode == STUB_MODE_MAPPED)
		sp.tests |= STUB_TEST_ACCESS;
	sp.widths = STUB_WIDTH_32;
	sp.mode = mode;
	sp.start = start;
	sp.len = len;
	sp.passes = 1;
	sp.seed = 1;
	sp.max_errors = 8;
	sp.io_pull = MEMTEST_NO_PULL;
	sp.timeout_ms = TIMEOUT_MS;
	sp.fault_expected = mode == STUB_MODE_MAPPED;
	/* the recommended timeout and REFRESH (stub/map_recommend.h) go in
	 * where the trial leaves them */
	map_settings_default(&sp.map);
	if (t) {
		sp.map.map.mpu = t->mpu;
		sp.map.map.flags |= t->map_flags;
		if (t->xspi && apply_xspi(&sp.map, t->xspi))
			return PSR_ERR_USAGE;
	}
	return memtest_run(s, &sp, NULL, o);
}

/* What a failing setup means, by the setting that differs from the
 * recommended one. */
static void explain(const struct trial *t, struct outcome *out)
{
	if (out->v == V_FAULTS) {
		if (t->xspi && !strcmp(t->xspi, "dqs=off"))
			snprintf(out->words, sizeof(out->words),
				 "mapped writes with DQS disabled fault: ES0478 "
				 "\"Memory-mapped write error response when DQS "
				 "output is disabled\" (BusFault, CFSR 0x%08x): "
				 "set DQSE for writes",
				 (unsigned)out->cfsr);
		else
			snprintf(out->words, sizeof(out->words),
				 "the core faults on the window (CFSR 0x%08x)",
				 (unsigned)out->cfsr);
		return;
	}
	if (out->v == V_WORKS) {
		if (t->xspi && !strncmp(t->xspi, "timeout=off", 11))
			snprintf(out->words, sizeof(out->words),
				 "kept its data here, but NCS stays low after "
				 "each access until the next one: past tCEM a "
				 "chip that needs its refresh loses data");
		else if (t->xspi && !strcmp(t->xspi, "refresh=0"))
			snprintf(out->words, sizeof(out->words),
				 "kept its data here, but line write-backs keep "
				 "NCS low through a whole CSBOUND page, past "
				 "tCEM: a chip that needs its refresh loses "
				 "data; set REFRESH (DCR4)");
		else if (t->map_flags & STUB_MAP_NO_CLEAN)
			snprintf(out->words, sizeof(out->words),
				 "write-through stores reach the chip as they "
				 "are made: no clean needed before the chip is "
				 "read past the cache");
		else if (t->mpu == STUB_MPU_WT || t->mpu == STUB_MPU_WB)
			snprintf(out->words, sizeof(out->words),
				 "with the data cache on and each line cleaned "
				 "after writing and invalidated before reading, "
				 "as firmware must do too");
		return;
	}
	if (out->v != V_LOSES)
		return;
	if (t->map_flags & STUB_MAP_NO_CLEAN) {
		snprintf(out->words, sizeof(out->words),
			 "%llu wrong units, which depend on caching: write-back "
			 "stores stay in the data cache until cleaned (DCCMVAC, "
			 "SCB_CleanDCache_by_Addr) or evicted, so the chip and "
			 "whatever reads it past the cache miss them",
			 (unsigned long long)out->errors);
		return;
	}
	if (t->xspi && !strncmp(t->xspi, "timeout=off", 11))
		snprintf(out->words, sizeof(out->words),
			 "%llu wrong units: NCS stays low after each access "
			 "past tCEM and the chip cannot refresh; enable the "
			 "timeout counter (CR.TCEN, LPTR) or REFRESH",
			 (unsigned long long)out->errors);
	else if (t->xspi && !strcmp(t->xspi, "refresh=0"))
		snprintf(out->words, sizeof(out->words),
			 "%llu wrong units, which depend on caching: line "
			 "write-backs stream faster than stores, so the timeout "
			 "never releases NCS inside a CSBOUND page and CE# "
			 "outlasts tCEM; set REFRESH (DCR4)",
			 (unsigned long long)out->errors);
	else if (t->xspi && !strcmp(t->xspi, "csbound=0"))
		snprintf(out->words, sizeof(out->words),
			 "%llu wrong units: bursts run across 1 KiB pages; set "
			 "CSBOUND 10",
			 (unsigned long long)out->errors);
	else if (t->mpu != STUB_MPU_OFF)
		snprintf(out->words, sizeof(out->words),
			 "%llu wrong units with this MPU attribute only: the "
			 "result depends on caching",
			 (unsigned long long)out->errors);
	else
		snprintf(out->words, sizeof(out->words),
			 "%llu wrong units with the recommended settings",
			 (unsigned long long)out->errors);
}

static const char *verdict_name(enum verdict v)
{
	switch (v) {
	case V_WORKS:
		return "works";
	case V_FAULTS:
		return "faults";
	case V_LOSES:
		return "loses data";
	default:
		return "not applicable";
	}
}

/* The recommended setup as registers and as the ST HAL's fields
 * (stm32h7xx_hal_ospi.h, stm32h7xx_hal_cortex.h), from what the stub set
 * up: the prescaler, CS high time and sample shift of this board, and the
 * timeout and REFRESH the recommended trial ran with. */
static void print_recommended(const struct stub_result *res, uint32_t window,
			      int octospi, const struct stub_map *map,
			      uint32_t chip)
{
	uint32_t refresh = map->refresh, lptr = map->timeout;
	uint32_t presc = res->xspi.prescaler;
	uint32_t csht = res->xspi.cs_high_cycles ? res->xspi.cs_high_cycles - 1
						 : 0;
	uint32_t sshift = res->xspi.sample_shift;
	uint32_t ccr = 3u << 24 | 2u << 12 | 3u << 8 | 3u;

	if (!octospi) {
		printf("\nRecommended: QUADSPI memory-mapped reads (0xEB, 4-4-4, "
		       "6 dummy cycles) with CR.TCEN and LPTR = %u; writes "
		       "stay indirect (the QUADSPI maps reads only).\n",
		       (unsigned)lptr);
		printf("Limit: the QUADSPI has no REFRESH and no CSBOUND, so "
		       "a run of sequential\nmapped reads that the core takes "
		       "faster than the wire holds CE# low until\nit ends: at "
		       "%.3g MHz it outlasts tCEM after %u bytes, and a chip "
		       "that needs its\nrefresh then loses data. Keep such "
		       "runs (memcpy, a heap scan) shorter, or read\nthem "
		       "indirect.\n",
		       res->xspi.clock_hz / 1e6,
		       (unsigned)map_quadspi_read_run_bytes(
			       chip, res->xspi.clock_hz));
		return;
	}
	printf("\nRecommended configuration (OCTOSPI, %s):\n",
	       sshift ? "sample shift on" : "sample shift off");
	printf("  DCR1 0x%08x  DCR2 0x%08x  DCR3 0x%08x  DCR4 0x%08x\n",
	       2u << 24 | 22u << 16 | csht << 8, presc, 10u << 16, refresh);
	printf("  CCR  0x%08x  TCR  0x%08x  IR   0x%08x\n", ccr,
	       6u | (sshift ? 1u << 30 : 0u), 0xEBu);
	printf("  WCCR 0x%08x  WTCR 0x%08x  WIR  0x%08x\n", ccr | 1u << 29,
	       0u, 0x38u);
	printf("  LPTR 0x%08x  CR   0x%08x (memory-mapped, TCEN, EN)\n", lptr,
	       3u << 28 | 3u << 8 | 1u << 3 | 1u);
	printf("ST HAL:\n");
	printf("  OSPI_InitTypeDef: FifoThreshold = 4; DualQuad = "
	       "HAL_OSPI_DUALQUAD_DISABLE;\n    MemoryType = "
	       "HAL_OSPI_MEMTYPE_APMEMORY; DeviceSize = 23; "
	       "ChipSelectHighTime = %u;\n    FreeRunningClock = "
	       "HAL_OSPI_FREERUNCLK_DISABLE; ClockMode = HAL_OSPI_CLOCK_MODE_0;\n"
	       "    WrapSize = HAL_OSPI_WRAP_NOT_SUPPORTED; ClockPrescaler = %u; "
	       "SampleShifting = %s;\n    DelayHoldQuarterCycle = "
	       "HAL_OSPI_DHQC_DISABLE; ChipSelectBoundary = 10; MaxTran = 0; "
	       "Refresh = %u;\n",
	       csht + 1, presc + 1,
	       sshift ? "HAL_OSPI_SAMPLE_SHIFTING_HALFCYCLE"
		      : "HAL_OSPI_SAMPLE_SHIFTING_NONE",
	       refresh);
	printf("  OSPI_RegularCmdTypeDef (read): OperationType = "
	       "HAL_OSPI_OPTYPE_READ_CFG; Instruction = 0xEB;\n    "
	       "InstructionMode = HAL_OSPI_INSTRUCTION_4_LINES; "
	       "InstructionSize = HAL_OSPI_INSTRUCTION_8_BITS;\n    "
	       "AddressMode = HAL_OSPI_ADDRESS_4_LINES; AddressSize = "
	       "HAL_OSPI_ADDRESS_24_BITS;\n    DataMode = "
	       "HAL_OSPI_DATA_4_LINES; DummyCycles = 6; DQSMode = "
	       "HAL_OSPI_DQS_DISABLE;\n    SIOOMode = "
	       "HAL_OSPI_SIOO_INST_EVERY_CMD; every DtrMode DISABLE\n");
	printf("  OSPI_RegularCmdTypeDef (write): OperationType = "
	       "HAL_OSPI_OPTYPE_WRITE_CFG; Instruction = 0x38;\n    the "
	       "same modes and sizes; DummyCycles = 0; DQSMode = "
	       "HAL_OSPI_DQS_ENABLE (ES0478)\n");
	printf("  OSPI_MemoryMappedTypeDef: TimeOutActivation = "
	       "HAL_OSPI_TIMEOUT_COUNTER_ENABLE; TimeOutPeriod = %u\n",
	       lptr);
	printf("  MPU_Region_InitTypeDef: BaseAddress = 0x%08x; Size = "
	       "MPU_REGION_SIZE_8MB;\n    AccessPermission = "
	       "MPU_REGION_FULL_ACCESS; TypeExtField = MPU_TEX_LEVEL1;\n    "
	       "IsCacheable = MPU_ACCESS_NOT_CACHEABLE; IsBufferable = "
	       "MPU_ACCESS_NOT_BUFFERABLE;\n    IsShareable = "
	       "MPU_ACCESS_NOT_SHAREABLE; DisableExec = "
	       "MPU_INSTRUCTION_ACCESS_DISABLE\n",
	       (unsigned)window);
}

static int run_mapcheck(struct session *s, void *options, int argc,
			char **argv)
{
	const struct mapcheck_options *o = options;
	struct stub_params board;
	struct outcome out[NTRIALS];
	struct stub_result rec_res;
	struct stub_map rec_map;
	struct memtest_obs obs;
	uint32_t start, len, sp;
	int octospi, r, recommended_ok = 0;

	(void)argv;
	if (argc)
		return out_error(PSR_ERR_USAGE, "'mapcheck' takes no arguments");
	if (o->range) {
		r = memtest_parse_range(o->range, &start, &len);
		if (r)
			return r;
	} else {
		start = 0;
		len = DEFAULT_RANGE_LEN;
	}
	r = stub_params_from_board(&s->vars, &board, &sp);
	if (r)
		return r;
	octospi = board.xspi == STUB_XSPI_OCTOSPI;
	memset(&rec_res, 0, sizeof(rec_res));
	memset(&rec_map, 0, sizeof(rec_map));

	/* The chip and its joints, in indirect mode. */
	r = run_one(s, STUB_MODE_QPI, NULL, start, len, &obs);
	if (r) {
		memtest_obs_free(&obs);
		return r;
	}
	if (!out_json())
		printf("mapcheck: %s, %s at %.3f MHz, 0x%06x..0x%06x\n",
		       s->vars.board ? s->vars.board : "board",
		       octospi ? "OCTOSPI" : "QUADSPI",
		       obs.run.result.xspi.clock_hz / 1e6, (unsigned)start,
		       (unsigned)(start + len - 1));
	if (obs.errors) {
		uint64_t e = obs.errors;

		memtest_obs_free(&obs);
		return out_error(PSR_ERR_TEST_FAILED,
				 "mapcheck: the chip or its joints lose data "
				 "in indirect mode (%llu wrong units): run "
				 "psramctl verify first",
				 (unsigned long long)e);
	}
	memtest_obs_free(&obs);
	if (!out_json())
		printf("  %-12s %-15s the chip and every joint pass in "
		       "indirect mode\n", "indirect", "ok");

	for (size_t i = 0; i < NTRIALS; i++) {
		const struct trial *t = &trials[i];
		struct outcome *u = &out[i];

		memset(u, 0, sizeof(*u));
		if (t->octospi_only && !octospi) {
			u->v = V_SKIPPED;
			snprintf(u->words, sizeof(u->words),
				 t->map_flags ? "the QUADSPI maps no writes to "
						"leave in the cache"
					      : "the QUADSPI has no such "
						"setting");
		} else {
			r = run_one(s, STUB_MODE_MAPPED, t, start, len, &obs);
			if (r == PSR_ERR_STUB_FAULT) {
				u->v = V_FAULTS;
				u->cfsr = obs.run.fault.cfsr;
			} else if (r) {
				memtest_obs_free(&obs);
				return r;
			} else {
				u->errors = obs.errors;
				u->v = obs.errors ? V_LOSES : V_WORKS;
				if (i == 0) {
					rec_res = obs.run.result;
					rec_map = obs.map;
				}
			}
			memtest_obs_free(&obs);
			explain(t, u);
		}
		if (i == 0)
			recommended_ok = u->v == V_WORKS;
		if (out_json()) {
			struct json j;

			json_init(&j);
			json_object_begin(&j, NULL);
			json_string(&j, "type", "setup");
			json_string(&j, "setup", t->name);
			json_string(&j, "result", verdict_name(u->v));
			json_uint(&j, "errors", u->errors);
			json_string(&j, "words", u->words);
			json_object_end(&j);
			json_emit(&j);
			json_release(&j);
		} else {
			printf("  %-12s %-15s %s\n", t->name,
			       verdict_name(u->v), u->words);
		}
		fflush(stdout);
	}
	if (out_json()) {
		struct json j;

		json_init(&j);
		json_object_begin(&j, NULL);
		json_string(&j, "type", "mapcheck");
		json_string(&j, "verdict", recommended_ok ? "pass" : "fail");
		json_uint(&j, "prescaler", rec_res.xspi.prescaler);
		json_uint(&j, "cs_high_cycles", rec_res.xspi.cs_high_cycles);
		json_uint(&j, "sample_shift", rec_res.xspi.sample_shift);
		json_uint(&j, "lptr", rec_map.timeout);
		json_uint(&j, "refresh", rec_map.refresh);
		if (!octospi)
			json_uint(&j, "read_run_bytes",
				  map_quadspi_read_run_bytes(
					  board.chip, rec_res.xspi.clock_hz));
		json_bool(&j, "simulated", session_simulated(s));
		json_object_end(&j);
		json_emit(&j);
		json_release(&j);
	} else if (recommended_ok) {
		printf("\nThe chip and every joint are good; the settings above "
		       "marked works keep its data.\n");
		print_recommended(&rec_res, board.xspi_window, octospi,
				  &rec_map, board.chip);
	}
	if (!recommended_ok)
		return out_error(PSR_ERR_TEST_FAILED,
				 "mapcheck: the recommended memory-mapped "
				 "setup does not work on this board: %s",
				 out[0].words);
	return 0;
}

const struct command cmd_mapcheck = {
	.name = "mapcheck",
	.summary = "which memory-mapped setups work: DQS, timeout, CSBOUND, "
		   "MPU",
	.usage = "",
	.description =
		"Clears the chip and its joints in indirect mode, then runs "
		"the device and\n"
		"access tests through the memory-mapped window once per "
		"setup: the recommended\n"
		"one (DQS on writes, timeout counter, CSBOUND 10, REFRESH "
		"within tCEM), each\n"
		"with one setting changed (DQS off, no timeout, no CSBOUND), "
		"each MPU\n"
		"attribute, the write-through and write-back caches with the "
		"stores' lines\n"
		"left uncleaned, and the write-back cache without REFRESH. "
		"Says which work,\n"
		"which fault (and why), which lose data and which depend on "
		"caching, then\n"
		"prints the recommended setup as register values and as ST "
		"HAL structure\n"
		"fields. Exit status 0 when the recommended setup works, 1 "
		"otherwise.",
	.options = mapcheck_options,
	.options_size = sizeof(struct mapcheck_options),
	.flags = CMD_NEEDS_TARGET,
	.run = run_mapcheck,
};
