/* One run of the stub's memtest command (target-stubs/commands/memtest.c),
 * shared by `psramctl memtest` and `psramctl verify`: the parameters on
 * top of the board file's, and the records as they stream in, turned into
 * what was seen: per-test summaries, the mismatches (as many as the stub
 * sends), and the diagnosis evidence (data-bus bit counts, address
 * aliases, line activity). The 8 MB never pass through the host: only
 * records do. */
#ifndef CLI_MEMTEST_RUN_H
#define CLI_MEMTEST_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "stub/map_options.h"

#include "diagnosis/diagnose.h"
#include "stub_abi.h"
#include "stub/stub_run.h"

struct session;

#define MEMTEST_NO_PULL (-1)

struct memtest_spec {
	uint32_t tests;		/* STUB_TEST_* */
	uint32_t widths;	/* STUB_WIDTH_* */
	uint32_t mode;		/* STUB_MODE_SPI, _QPI or _MAPPED */
	uint32_t clock_hz;	/* 0: the board's default clock */
	uint32_t start, len;
	uint32_t patterns[STUB_PATTERNS_MAX];
	uint32_t npatterns;	/* 0: the stub's default set */
	uint32_t passes;
	uint32_t seed;
	uint32_t max_errors;
	uint32_t hold_ms;
	int io_pull;		/* STUB_PULL_* on IO0..IO3, or MEMTEST_NO_PULL:
				 * as the board file says */
	int timeout_ms;
	struct map_settings map;	/* STUB_MODE_MAPPED */
	int fault_expected;	/* stub_run_spec.fault_expected */
	int loaded;		/* the stub is loaded (stub_prepare done) */
};

/* One TEST record: a test, width and pass that ended. */
struct memtest_result {
	uint32_t test;		/* bit number (STUB_TEST_* = 1 << test) */
	uint32_t width;		/* bytes */
	uint32_t pass;
	uint32_t checked;	/* bytes; address-bus: the bits covered */
	uint32_t errors;	/* units wrong */
	uint64_t cycles;	/* DWT cycles */
};

struct memtest_obs {
	struct stub_run_result run;
	uint32_t cpu_hz;
	/* STUB_MODE_MAPPED: the window's settings as sent, the
	 * recommendation (stub/map_recommend.h) filled in, and the xSPI
	 * clock it was computed for */
	struct stub_map map;
	uint32_t map_clock_hz;
	/* the last PROGRESS record */
	uint32_t test, pass, done, total;
	int have_progress;
	/* what the tests found */
	struct memtest_result *results;
	size_t nresults;
	struct diag_mismatch *m;	/* ERROR records */
	size_t n;
	uint64_t errors;		/* units wrong, all tests */
	uint64_t bytes;			/* checked, all array tests */
	uint64_t cycles;		/* of the array tests */
	struct diag_bus bus;
	struct diag_addr addr;
	struct diag_lines lines;
	size_t cap_results, cap_m;
};

/* Live view of a run; every member may be NULL. */
struct memtest_view {
	void (*progress)(void *ctx, const struct memtest_obs *o);
	void (*mismatch)(void *ctx, const struct memtest_obs *o,
			 const struct diag_mismatch *m);
	void (*result)(void *ctx, const struct memtest_obs *o,
		       const struct memtest_result *r);
	void *ctx;
};

/* Runs it: 0 when the stub ran to its end (the memory may have failed:
 * obs->errors), else the stub runner's error, printed. obs is filled as
 * far as the run got (memtest_obs_free releases it). */
int memtest_run(struct session *s, const struct memtest_spec *spec,
		const struct memtest_view *view, struct memtest_obs *obs);
void memtest_obs_free(struct memtest_obs *o);

/* The bit number a TEST record names for a STUB_TEST_* bit. */
static inline uint32_t memtest_test_number(uint32_t test_bit)
{
	uint32_t n = 0;

	while (test_bit > 1u) {
		test_bit >>= 1;
		n++;
	}
	return n;
}

/* The first result of test_bit (one STUB_TEST_* bit), or NULL. */
const struct memtest_result *memtest_result_of(const struct memtest_obs *o,
					       uint32_t test_bit);

/* "data-bus", "address-bus", "device", "patterns", "page", "retention",
 * "lines" for a test bit number; NULL for others. */
const char *memtest_test_name(uint32_t bit);
/* The STUB_TEST_* bit of a name, or 0. */
uint32_t memtest_test_bit(const char *name);

/* The chip's size: every supported PSRAM is 64 Mbit. */
#define MEMTEST_CHIP_BYTES (8u * 1024 * 1024)

/* --range START:LEN (or START..END) for the memory tests, the whole chip
 * when range is NULL: 4-byte aligned at both ends, at least 8 bytes.
 * Returns 0, or a usage error already printed. */
int memtest_parse_range(const char *range, uint32_t *start, uint32_t *len);

#endif
