/* psramctl memtest: the memory tests, run by the stub on the target while
 * psramctl streams what it finds (memtest_run.h; the tests themselves are
 * described in target-stubs/commands/memtest.c). The whole 8 MB can be tested
 * without the host holding more than a ring of records.
 *
 * Output: a progress bar on a terminal, plain progress lines on stderr when
 * it is not one; each test's result and each wrong unit (address, written,
 * read, differing bits, whether a second read was right) on stdout as it
 * comes. Ctrl-C stops the stub within a second, says what was covered and
 * leaves the core halted.
 *
 * --json lines (README.md):
 *   {"type":"progress","test","pass","done","total","percent","mb_per_s"}
 *   {"type":"mismatch","test","pass","width","address","written","read",
 *    "bits":[...],"cells":[{"address","bit","level"}],"transient"}
 *   {"type":"test","test","width","pass","bytes","errors","seconds",
 *    "mb_per_s"}                       (address-bus: "bits" for "bytes")
 *   {"type":"memtest","verdict":"pass"|"fail"|"stopped","board","chip",
 *    "mode","clock_hz","start","length","widths","tests","passes",
 *    "errors","reported","bytes","seconds","mb_per_s","wire_seconds",
 *    "wire_ratio"}
 * Times are the stub's DWT cycles at the board's core clock (on psramsim:
 * modelled); wire_seconds is the least time the chip's datasheet timing
 * allows for the same writes and reads (wire_limit.h).
 *
 * Exit status 0 no errors, 1 errors found, 2 usage, 3 target unreachable. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "util/error.h"
#include "report/json.h"
#include "stub/memtest_run.h"
#include "report/output.h"
#include "link/session.h"
#include "util/list.h"
#include "util/pattern.h"
#include "util/sizes.h"
#include "stub/map_options.h"
#include "stub/stub_params.h"
#include "parts/wire_limit.h"

#define DEFAULT_TESTS                                                      \
	(STUB_TEST_DATA_BUS | STUB_TEST_ADDRESS_BUS | STUB_TEST_DEVICE |   \
	 STUB_TEST_PATTERNS | STUB_TEST_PAGE | STUB_TEST_RETENTION)
#define DEFAULT_MAX_ERRORS 32
#define DEFAULT_HOLD_MS 100
/* The slowest a board moves data (8-bit accesses, SPI) is well above this;
 * the deadline only has to end a hang. */
#define SLOWEST_BYTES_PER_S 50000.0
#define TIMEOUT_BASE_MS 60000.0

/* --mode: WIRE_MODE_CHOICES and the memory-mapped mode. */
#define MEMTEST_MODE_CHOICES WIRE_MODE_CHOICES "|mapped"
#define MEMTEST_MODE_MAPPED 2

struct memtest_options {
	const char *width;
	struct opt_list patterns;
	const char *tests;
	const char *range;
	unsigned long long passes;
	int mode;		/* MEMTEST_MODE_CHOICES */
	uint32_t clock_hz;	/* 0: the board's */
	unsigned long long max_errors;
	unsigned long long seed;
	unsigned long long hold_ms;
	unsigned long long timeout_s;
	int mpu;		/* MAP_MPU_CHOICES */
	struct opt_list xspi;	/* --xspi KEY=VALUE */
};

static const struct opt memtest_options[] = {
	{"width", 0, OPT_STRING, offsetof(struct memtest_options, width),
	 "LIST", "access widths in bits: 8, 16, 32, and 64 with --mode "
	 "mapped (LDRD/STRD) (default 32)", 0, 0},
	{"pattern", 0, OPT_LIST, offsetof(struct memtest_options, patterns),
	 "HEX", "pattern for the patterns test, replicated to the width "
	 "(repeatable; default: 0x00, 0xff, 0x55/0xaa, 0x5a5a, walking 1s "
	 "and 0s, random)", 0, 0},
	{"tests", 0, OPT_STRING, offsetof(struct memtest_options, tests),
	 "LIST", "data-bus, address-bus, device, patterns, page, retention, "
	 "lines, access (--mode mapped: 64-bit, unaligned and sub-word "
	 "accesses, a store right after a load), or all (default: all but "
	 "lines; access with --mode mapped)", 0, 0},
	{"range", 0, OPT_STRING, offsetof(struct memtest_options, range),
	 "START:LEN", "part of the chip to test (default 0:8M; START..END "
	 "also works)", 0, 0},
	{"passes", 0, OPT_UINT, offsetof(struct memtest_options, passes), "N",
	 "run the tests N times (default 1)", 1, 1000000},
	{"mode", 0, OPT_ENUM, offsetof(struct memtest_options, mode),
	 MEMTEST_MODE_CHOICES, "4-4-4 commands (qpi, the default), 1-1-1 "
	 "(spi), or CPU loads and stores through the memory-mapped window "
	 "in QPI (mapped; a QUADSPI maps reads, writes stay indirect)", 0,
	 0},
	{"mpu", 0, OPT_ENUM, offsetof(struct memtest_options, mpu),
	 MAP_MPU_CHOICES, "--mode mapped: MPU attributes of the window (off: "
	 "no region, the default map; device; nc: normal non-cacheable; wt, "
	 "wb: write-through, write-back with the data cache on)", 0, 0},
	{"xspi", 0, OPT_LIST, offsetof(struct memtest_options, xspi),
	 "KEY=VALUE", "--mode mapped: a controller setting (repeatable): "
	 "dqs=on|off, timeout=off|CYCLES, csbound=N, refresh=CYCLES, "
	 "maxtran=N, mtyp=NAME, prescaler=N, sshift=on|off|auto (default "
	 "the setup mapcheck recommends: dqs=on csbound=10 mtyp=standard, "
	 "the timeout spanning the part's tCHD and, on an OCTOSPI, REFRESH "
	 "at 7/8 of its tCEM)", 0, 0},
	{"clock", 0, OPT_MHZ, offsetof(struct memtest_options, clock_hz), "MHZ",
	 "xSPI clock (default: the board file's PSRAM_CLOCK_MHZ)",
	 OPT_CLOCK_MIN_HZ, OPT_CLOCK_MAX_HZ},
	{"max-errors", 0, OPT_UINT,
	 offsetof(struct memtest_options, max_errors), "N",
	 "report the first N wrong units (default 32; all are counted)", 0,
	 1000000},
	{"seed", 0, OPT_UINT, offsetof(struct memtest_options, seed), "N",
	 "seed of the random patterns (default 1)", 0, 0xffffffffu},
	{"hold", 0, OPT_UINT, offsetof(struct memtest_options, hold_ms), "MS",
	 "retention: wait between write and read (default 100)", 0, 3600000},
	{"timeout", 0, OPT_UINT, offsetof(struct memtest_options, timeout_s),
	 "S", "stop the stub after this long (default: from the work)", 1,
	 360000},
	OPT_END,
};

struct memtest_cli {
	struct session *s;
	struct memtest_spec spec;
	uint32_t clock_hz;	/* achieved, once known */
	uint32_t chip;
	/* progress as lines when stderr is not a terminal */
	int tty;
	uint32_t shown_test, shown_pass;
	int shown_decile;
	int bar;
	double t_test;		/* wall time the current test began */
	uint32_t done_at_start;
	double t0;
};

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- options ----*/

/* --width LIST: the access widths in bits, also as the mask 8|16|32|64
 * that pattern_fits takes (64: --mode mapped moves 32-bit units by
 * LDRD/STRD, so patterns fit as for 32). */
static int parse_widths(const char *spec, uint32_t *widths, unsigned *bits)
{
	static const struct list_word names[] = {
		{"8", 8}, {"16", 16}, {"32", 32}, {"64", 64}, {NULL, 0}};
	char err[160], shown[64];

	*bits = 32;
	*widths = STUB_WIDTH_32;
	if (!spec)
		return 0;
	if (list_parse_words(spec, names, bits, err, sizeof(err)))
		return out_error(PSR_ERR_USAGE,
				 "invalid value '%s' for --width: %s",
				 out_printable(spec, shown, sizeof(shown)), err);
	*widths = (*bits & 8 ? STUB_WIDTH_8 : 0) |
		  (*bits & 16 ? STUB_WIDTH_16 : 0) |
		  (*bits & 32 ? STUB_WIDTH_32 : 0) |
		  (*bits & 64 ? STUB_WIDTH_64 : 0);
	return 0;
}

static int parse_tests(const char *spec, uint32_t *tests)
{
	char err[200], item[NUMBER_SHOWN], shown[96];
	struct list_iter it;
	int r;

	*tests = DEFAULT_TESTS;
	if (!spec)
		return 0;
	*tests = 0;
	list_iter_init(&it, spec);
	while ((r = list_iter_next(&it, item, err, sizeof(err))) == 1) {
		uint32_t bit = !strcmp(item, "all") ? DEFAULT_TESTS
						    : memtest_test_bit(item);

		if (!bit) {
			snprintf(err, sizeof(err),
				 "'%s' is not a test (data-bus, address-bus, "
				 "device, patterns, page, retention, lines, "
				 "access, all)",
				 item);
			r = -1;
			break;
		}
		*tests |= bit;
	}
	if (r)
		return out_error(PSR_ERR_USAGE,
				 "invalid value '%s' for --tests: %s",
				 out_printable(spec, shown, sizeof(shown)), err);
	return 0;
}

/* --pattern HEX, as wide as its digits (util/pattern.h), and no wider
 * than the narrowest --width. */
static int parse_pattern(const char *spec, unsigned width_bits, uint32_t *out)
{
	char err[120], shown[64];
	unsigned bits, narrowest;

	if (pattern_parse(spec, out, &bits, err, sizeof(err)))
		return out_error(PSR_ERR_USAGE,
				 "invalid value '%s' for --pattern: %s",
				 out_printable(spec, shown, sizeof(shown)), err);
	if (pattern_fits(bits, width_bits, &narrowest))
		return out_error(PSR_ERR_USAGE,
				 "--pattern %s is %u bits wide, wider than "
				 "--width %u would test (give one of at most "
				 "%u bits, or leave %u out of --width)",
				 out_printable(spec, shown, sizeof(shown)),
				 bits, narrowest, narrowest, narrowest);
	return 0;
}

static unsigned count_bits(uint32_t v)
{
	unsigned n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

/* What the tests move, in bytes (as the stub counts for its progress). */
static double work_bytes(const struct memtest_spec *sp)
{
	double len = sp->len, per = 0;

	if (sp->tests & STUB_TEST_DEVICE)
		per += 4 * len;
	if (sp->tests & STUB_TEST_PATTERNS)
		per += 2.0 * (sp->npatterns ? sp->npatterns : 7) * len;
	if (sp->tests & STUB_TEST_PAGE)
		per += 3 * len;
	if (sp->tests & STUB_TEST_RETENTION)
		per += 2 * len;
	return per * count_bits(sp->widths) * sp->passes;
}

static int parse_options(const struct memtest_options *o, int argc,
			 struct memtest_spec *sp)
{
	unsigned width_bits;
	int r;

	if (argc)
		return out_error(PSR_ERR_USAGE, "'memtest' takes no arguments");
	memset(sp, 0, sizeof(*sp));
	r = parse_widths(o->width, &sp->widths, &width_bits);
	if (!r)
		r = parse_tests(o->tests, &sp->tests);
	map_settings_default(&sp->map);
	sp->map.map.mpu = (uint32_t)o->mpu;
	for (size_t i = 0; !r && i < o->xspi.n; i++)
		r = map_settings_parse(&sp->map, o->xspi.items[i]);
	if (!r && o->mode != MEMTEST_MODE_MAPPED &&
	    (sp->widths & STUB_WIDTH_64))
		r = out_error(PSR_ERR_USAGE,
			      "--width 64 moves 32-bit units with 64-bit CPU "
			      "loads and stores through the window: it needs "
			      "--mode mapped");
	if (!r && o->mode != MEMTEST_MODE_MAPPED && (o->mpu || o->xspi.n))
		r = out_error(PSR_ERR_USAGE,
			      "--mpu and --xspi set up the memory-mapped "
			      "window: they need --mode mapped");
	if (!r && !o->tests && o->mode == MEMTEST_MODE_MAPPED)
		sp->tests |= STUB_TEST_ACCESS;
	if (!r && (sp->tests & STUB_TEST_ACCESS) &&
	    o->mode != MEMTEST_MODE_MAPPED)
		r = out_error(PSR_ERR_USAGE,
			      "the access test goes through the memory-mapped "
			      "window: it needs --mode mapped");
	if (o->mode == MEMTEST_MODE_MAPPED)
		sp->mode = STUB_MODE_MAPPED;
	else
		sp->mode = wire_mode_of_choice(o->mode) == WIRE_QPI
				   ? STUB_MODE_QPI
				   : STUB_MODE_SPI;
	sp->clock_hz = o->clock_hz;
	if (r)
		return r;
	if (o->patterns.n > STUB_PATTERNS_MAX)
		return out_error(PSR_ERR_USAGE,
				 "at most %u --pattern options",
				 STUB_PATTERNS_MAX);
	for (size_t i = 0; i < o->patterns.n; i++) {
		r = parse_pattern(o->patterns.items[i], width_bits,
				  &sp->patterns[i]);
		if (r)
			return r;
	}
	sp->npatterns = (uint32_t)o->patterns.n;
	r = memtest_parse_range(o->range, &sp->start, &sp->len);
	if (r)
		return r;
	sp->passes = o->passes ? (uint32_t)o->passes : 1;
	sp->seed = o->seed ? (uint32_t)o->seed : 1;
	sp->max_errors = o->max_errors ? (uint32_t)o->max_errors
				       : DEFAULT_MAX_ERRORS;
	sp->hold_ms = o->hold_ms ? (uint32_t)o->hold_ms : DEFAULT_HOLD_MS;
	sp->io_pull = MEMTEST_NO_PULL;
	if (o->timeout_s) {
		sp->timeout_ms = (int)(o->timeout_s * 1000);
	} else {
		double ms = TIMEOUT_BASE_MS +
			    1000.0 * work_bytes(sp) / SLOWEST_BYTES_PER_S +
			    (sp->tests & STUB_TEST_RETENTION
				     ? (double)sp->hold_ms * sp->passes *
					       count_bits(sp->widths)
				     : 0);

		sp->timeout_ms = ms > 2e9 ? 2000000000 : (int)ms;
	}
	return 0;
}

/* ---- live output ----*/

/* "8,16,32,64" or the part of it --width asked for. */
static const char *width_name(uint32_t widths)
{
	static const char *const names[4] = {"8", "16", "32", "64"};
	static char buf[16];
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned b = 0; b < 4; b++)
		if (widths & (1u << b))
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
					      n ? "," : "", names[b]);
	return buf;
}

static const char *test_name(uint32_t bit)
{
	const char *n = memtest_test_name(bit);

	return n ? n : "?";
}

static void on_progress(void *ctx, const struct memtest_obs *o)
{
	struct memtest_cli *c = ctx;
	double pct = o->total ? 100.0 * o->done / o->total : 100.0;
	double now = now_s();
	double rate = 0;
	char label[64];

	if (o->test != c->shown_test || o->pass != c->shown_pass ||
	    !c->t_test) {
		c->shown_test = o->test;
		c->shown_pass = o->pass;
		c->t_test = now;
		c->done_at_start = o->done;
		if (c->bar) {
			snprintf(label, sizeof(label), "%s pass %u",
				 test_name(o->test), o->pass + 1);
			out_progress_begin(label, o->total);
		}
	}
	if (now > c->t_test && o->done > c->done_at_start && o->total)
		rate = (double)(o->done - c->done_at_start) *
		       ((double)work_bytes(&c->spec) / o->total) /
		       (now - c->t_test) / 1e6;
	if (out_json()) {
		struct json j;

		json_init(&j);
		json_object_begin(&j, NULL);
		json_string(&j, "type", "progress");
		json_string(&j, "test", test_name(o->test));
		json_uint(&j, "pass", o->pass + 1);
		json_uint(&j, "done", o->done);
		json_uint(&j, "total", o->total);
		json_double(&j, "percent", pct, 1);
		json_double(&j, "mb_per_s", rate, 2);
		json_object_end(&j);
		json_emit(&j);
		json_release(&j);
		fflush(stdout);
		return;
	}
	if (c->bar) {
		char suffix[48];

		snprintf(suffix, sizeof(suffix), "%.2f MB/s", rate);
		out_progress_suffix(suffix);
		out_progress(o->done);
		return;
	}
	if ((int)(pct / 10) != c->shown_decile || pct >= 100) {
		c->shown_decile = (int)(pct / 10);
		fprintf(stderr, "memtest: %s pass %u: %3.0f%%, %.2f MB/s\n",
			test_name(o->test), o->pass + 1, pct, rate);
	}
}

static void mismatch_json(const struct diag_mismatch *m, uint32_t pass)
{
	uint32_t diff = m->written ^ m->read;
	unsigned digits = 2u * m->width;
	struct json j;

	json_init(&j);
	json_object_begin(&j, NULL);
	json_string(&j, "type", "mismatch");
	json_string(&j, "test", test_name(m->test));
	json_uint(&j, "pass", pass + 1);
	json_uint(&j, "width", 8u * m->width);
	json_hex(&j, "address", m->offset, 6);
	json_hex(&j, "written", m->written, (int)digits);
	json_hex(&j, "read", m->read, (int)digits);
	json_array_begin(&j, "bits");
	for (unsigned b = 0; b < 8u * m->width; b++)
		if (diff & (1u << b))
			json_uint(&j, NULL, b);
	json_array_end(&j);
	json_array_begin(&j, "cells");
	for (unsigned b = 0; b < 8u * m->width; b++) {
		if (!(diff & (1u << b)))
			continue;
		json_object_begin(&j, NULL);
		json_hex(&j, "address", m->offset + b / 8, 6);
		json_uint(&j, "bit", b % 8);
		json_uint(&j, "level", (m->read >> b) & 1);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_bool(&j, "transient", m->transient);
	json_object_end(&j);
	json_emit(&j);
	json_release(&j);
}

static void on_mismatch(void *ctx, const struct memtest_obs *o,
			const struct diag_mismatch *m)
{
	struct memtest_cli *c = ctx;
	uint32_t diff = m->written ^ m->read;
	unsigned digits = 2u * m->width;
	char cells[160];
	size_t at = 0;

	if (out_json()) {
		mismatch_json(m, o->pass);
		fflush(stdout);
		return;
	}
	cells[0] = '\0';
	for (unsigned b = 0; b < 8u * m->width && at < sizeof(cells); b++)
		if (diff & (1u << b))
			at += (size_t)snprintf(cells + at, sizeof(cells) - at,
					       "%s0x%06x.%u", at ? " " : "",
					       (unsigned)(m->offset + b / 8),
					       b % 8);
	if (c->bar)
		out_progress_end();
	printf("  %-11s %2u-bit at 0x%06x: wrote 0x%0*x, read 0x%0*x, bad "
	       "bits %s (%s)\n",
	       test_name(m->test), 8u * m->width, (unsigned)m->offset,
	       (int)digits, (unsigned)m->written, (int)digits,
	       (unsigned)m->read, cells,
	       m->transient ? "right on a second read" : "wrong again");
	fflush(stdout);
	c->t_test = 0;
}

static double cycles_s(const struct memtest_obs *o, uint64_t cycles)
{
	return o->cpu_hz ? (double)cycles / o->cpu_hz : 0;
}

#define LINES_TEST memtest_test_number(STUB_TEST_LINES)

/* The lines test: per IO line, the bits read against the pull-up and
 * against the pull-down (a line the chip drives has both). */
static void lines_result(struct memtest_cli *c, const struct memtest_obs *o)
{
	const struct diag_lines *l = &o->lines;

	if (out_json()) {
		struct json j;

		json_init(&j);
		json_object_begin(&j, NULL);
		json_string(&j, "type", "test");
		json_string(&j, "test", "lines");
		json_uint(&j, "bits", l->bits);
		json_array_begin(&j, "lines");
		for (int n = 0; n < DIAG_LINES; n++) {
			json_object_begin(&j, NULL);
			json_uint(&j, "line", (unsigned)n);
			json_uint(&j, "against_up", l->against[DIAG_UP][n]);
			json_uint(&j, "against_down", l->against[DIAG_DOWN][n]);
			json_object_end(&j);
		}
		json_array_end(&j);
		json_object_end(&j);
		json_emit(&j);
		json_release(&j);
		fflush(stdout);
		return;
	}
	if (c->bar)
		out_progress_end();
	printf("  %-11s of %u bits per line, read against the pull-up / "
	       "pull-down:\n",
	       "lines", (unsigned)l->bits);
	for (int n = 0; n < DIAG_LINES; n++)
		printf("  %-11s IO%d %6u / %-6u %s\n", "", n,
		       (unsigned)l->against[DIAG_UP][n],
		       (unsigned)l->against[DIAG_DOWN][n],
		       l->against[DIAG_UP][n] && l->against[DIAG_DOWN][n]
			       ? "carries the chip's drive"
		       : !l->against[DIAG_UP][n] && !l->against[DIAG_DOWN][n]
			       ? "only ever reads its pull"
			       : "reads one level");
	fflush(stdout);
}

static void on_result(void *ctx, const struct memtest_obs *o,
		      const struct memtest_result *t)
{
	struct memtest_cli *c = ctx;
	double sec = cycles_s(o, t->cycles);
	int addr = t->test == memtest_test_number(STUB_TEST_ADDRESS_BUS);

	if (t->test == LINES_TEST) {
		lines_result(c, o);
		c->t_test = 0;
		return;
	}
	if (out_json()) {
		struct json j;

		json_init(&j);
		json_object_begin(&j, NULL);
		json_string(&j, "type", "test");
		json_string(&j, "test", test_name(t->test));
		json_uint(&j, "width", 8u * t->width);
		json_uint(&j, "pass", t->pass + 1);
		if (addr)
			json_uint(&j, "bits", count_bits(t->checked));
		else
			json_uint(&j, "bytes", t->checked);
		json_uint(&j, "errors", t->errors);
		json_double(&j, "seconds", sec, 6);
		if (!addr)
			json_double(&j, "mb_per_s",
				    sec > 0 ? t->checked / sec / 1e6 : 0, 2);
		json_object_end(&j);
		json_emit(&j);
		json_release(&j);
		fflush(stdout);
		return;
	}
	if (c->bar)
		out_progress_end();
	if (addr)
		printf("  %-11s         %2u address bits   %-6s %10.3f ms\n",
		       test_name(t->test), count_bits(t->checked),
		       t->errors ? "FAIL" : "ok", sec * 1e3);
	else
		printf("  %-11s %2u-bit %10u bytes %-6s %10.3f ms %8.2f "
		       "MB/s\n",
		       test_name(t->test), 8u * t->width, (unsigned)t->checked,
		       t->errors ? "FAIL" : "ok", sec * 1e3,
		       sec > 0 ? t->checked / sec / 1e6 : 0.0);
	if (t->errors > 0 && !addr)
		printf("  %-11s %u wrong unit%s\n", "", (unsigned)t->errors,
		       t->errors == 1 ? "" : "s");
	fflush(stdout);
	c->t_test = 0;
}

static const char *mode_name(uint32_t mode, int upper)
{
	switch (mode) {
	case STUB_MODE_QPI:
		return upper ? "QPI" : "qpi";
	case STUB_MODE_MAPPED:
		return upper ? "QPI memory-mapped" : "mapped";
	default:
		return upper ? "SPI" : "spi";
	}
}

/* ---- summary ----*/

/* The least time the datasheet allows for the array tests' writes and
 * reads: chunks of a page, as the stub moves them. */
static double wire_seconds(const struct memtest_cli *c,
			   const struct memtest_obs *o)
{
	enum wire_mode mode = c->spec.mode != STUB_MODE_SPI ? WIRE_QPI
							    : WIRE_SPI;
	const struct psram_part_timing *chip = wire_chip_of(c->chip);
	struct wire_limit wr, rd;

	if (!c->clock_hz ||
	    wire_limit(mode, WIRE_WRITE, c->clock_hz, 1024, chip, &wr) ||
	    wire_limit(mode, WIRE_READ, c->clock_hz, 1024, chip, &rd))
		return 0;
	return (double)o->bytes / 1024.0 * (wr.seconds + rd.seconds);
}

/* Faster than the wire allows, or no time at all: the timing basis is
 * wrong (docs/clocks.md), and no verdict or figure is given. */
static int check_time(const struct memtest_cli *c, const struct memtest_obs *o)
{
	double sec = cycles_s(o, o->cycles);
	double wire = wire_seconds(c, o);

	if (o->bytes && !(sec > 0))
		return out_error(PSR_ERR_CLOCKS,
				 "memtest: %llu bytes checked in no measurable "
				 "time on the target: the timing basis is "
				 "wrong",
				 (unsigned long long)o->bytes);
	if (wire > 0 && sec < wire)
		return out_error(PSR_ERR_CLOCKS,
				 "memtest: %llu bytes checked in %.6f s on the "
				 "target, less than the %.6f s the wire alone "
				 "needs at %.3f MHz: the timing basis is wrong "
				 "(the core clock or the xSPI clock is not "
				 "what psramctl was told)",
				 (unsigned long long)o->bytes, sec, wire,
				 c->clock_hz / 1e6);
	return 0;
}

static void summary(const struct memtest_cli *c, const struct memtest_obs *o,
		    const char *verdict)
{
	double sec = cycles_s(o, o->cycles);
	double wire = wire_seconds(c, o);
	const char *board = c->s->vars.board ? c->s->vars.board : "";
	const char *chip = stub_chip_name(c->chip);

	if (out_json()) {
		struct json j;

		json_init(&j);
		json_object_begin(&j, NULL);
		json_string(&j, "type", "memtest");
		json_string(&j, "verdict", verdict);
		json_string(&j, "board", board);
		if (chip)
			json_string(&j, "chip", chip);
		json_string(&j, "mode", mode_name(c->spec.mode, 0));
		json_uint(&j, "clock_hz", c->clock_hz);
		json_hex(&j, "start", c->spec.start, 6);
		json_uint(&j, "length", c->spec.len);
		json_array_begin(&j, "widths");
		for (unsigned w = 8; w <= 64; w *= 2)
			if (c->spec.widths & (w == 8    ? STUB_WIDTH_8
					      : w == 16 ? STUB_WIDTH_16
					      : w == 32 ? STUB_WIDTH_32
							: STUB_WIDTH_64))
				json_uint(&j, NULL, w);
		json_array_end(&j);
		json_array_begin(&j, "tests");
		for (uint32_t b = 0; b < 7; b++)
			if (c->spec.tests & (1u << b))
				json_string(&j, NULL, test_name(b));
		json_array_end(&j);
		json_uint(&j, "passes", c->spec.passes);
		json_uint(&j, "errors", o->errors);
		json_uint(&j, "reported", o->n);
		json_uint(&j, "bytes", o->bytes);
		json_double(&j, "seconds", sec, 6);
		json_double(&j, "mb_per_s", sec > 0 ? o->bytes / sec / 1e6 : 0,
			    2);
		json_double(&j, "wire_seconds", wire, 6);
		json_double(&j, "wire_ratio", wire > 0 ? sec / wire : 0, 3);
		json_bool(&j, "simulated", session_simulated(c->s));
		json_object_end(&j);
		json_emit(&j);
		json_release(&j);
	} else {
		printf("memtest: %s: %llu wrong unit%s in %llu bytes checked, "
		       "%.3f s on the target at %.3g MHz%s\n",
		       verdict, (unsigned long long)o->errors,
		       o->errors == 1 ? "" : "s",
		       (unsigned long long)o->bytes, sec, c->clock_hz / 1e6,
		       session_simulated(c->s) ? " (modelled)" : "");
	}
	fflush(stdout);
}

static void stopped(const struct memtest_cli *c, const struct memtest_obs *o)
{
	double pct = o->total ? 100.0 * o->done / o->total : 0;

	out_progress_end();
	if (out_json()) {
		summary(c, o, "stopped");
		return;
	}
	printf("memtest: stopped by the user during %s (pass %u) at %.0f%% "
	       "of the work: %zu test%s done, %llu bytes checked, %llu wrong; "
	       "the core is halted\n",
	       o->have_progress ? test_name(o->test) : "the setup",
	       o->pass + 1, pct, o->nresults, o->nresults == 1 ? "" : "s",
	       (unsigned long long)o->bytes, (unsigned long long)o->errors);
	fflush(stdout);
}

/* Options checked before the target is reached: a bad --width or
 * --pattern is a usage error (exit 2), whatever the link would have said. */
static int check_memtest(void *options, int argc, char **argv)
{
	struct memtest_spec sp;

	(void)argv;
	return parse_options(options, argc, &sp);
}

static int run_memtest(struct session *s, void *options, int argc,
		       char **argv)
{
	const struct memtest_options *o = options;
	struct memtest_view view;
	struct memtest_obs obs;
	struct memtest_cli c;
	struct stub_params board;
	uint32_t sp;
	int r;

	(void)argv;
	memset(&c, 0, sizeof(c));
	c.s = s;
	r = parse_options(o, argc, &c.spec);
	if (r)
		return r;
	r = stub_params_from_board(&s->vars, &board, &sp);
	if (r)
		return r;
	c.chip = board.chip;
	c.tty = isatty(STDERR_FILENO);
	c.bar = c.tty && !out_json();
	c.shown_decile = -1;
	c.t0 = now_s();
	if (!out_json())
		printf("memtest: %s, %s at %.3g MHz (asked), 0x%06x..0x%06x, "
		       "%s-bit, %u pass%s\n",
		       s->vars.board ? s->vars.board : "board",
		       mode_name(c.spec.mode, 1),
		       (c.spec.clock_hz ? c.spec.clock_hz : board.clock_hz) /
			       1e6,
		       (unsigned)c.spec.start,
		       (unsigned)(c.spec.start + c.spec.len - 1),
		       width_name(c.spec.widths), c.spec.passes,
		       c.spec.passes == 1 ? "" : "es");
	fflush(stdout);
	memset(&view, 0, sizeof(view));
	view.progress = on_progress;
	view.mismatch = on_mismatch;
	view.result = on_result;
	view.ctx = &c;
	r = memtest_run(s, &c.spec, &view, &obs);
	c.clock_hz = obs.run.result.xspi.clock_hz;
	out_progress_end();
	if (r == PSR_ERR_INTERRUPTED) {
		stopped(&c, &obs);
		memtest_obs_free(&obs);
		return r;
	}
	if (!r)
		r = check_time(&c, &obs);
	if (r) {
		memtest_obs_free(&obs);
		return r;
	}
	if (obs.errors) {
		r = out_error(PSR_ERR_TEST_FAILED,
			      "memtest: %llu wrong unit%s",
			      (unsigned long long)obs.errors,
			      obs.errors == 1 ? "" : "s");
		summary(&c, &obs, "fail");
	} else {
		summary(&c, &obs, "pass");
	}
	memtest_obs_free(&obs);
	return r;
}

const struct command cmd_memtest = {
	.name = "memtest",
	.summary = "memory tests run on the target: data and address bus, "
		   "device, patterns, page",
	.usage = "",
	.description =
		"Resets the MCU (it stays halted) and runs the memory tests in "
		"the stub on the\ntarget: data-bus (walking 1s and 0s), "
		"address-bus (power-of-two offsets),\ndevice (increment and "
		"its complement), patterns, page (bursts across 1 KB\npages), "
		"retention (write, wait --hold, read). Progress and wrong "
		"units stream\nwhile it runs; Ctrl-C stops it within a second. "
		"Exit status 0 when nothing\nwas wrong, 1 otherwise.",
	.options = memtest_options,
	.options_size = sizeof(struct memtest_options),
	.flags = CMD_NEEDS_TARGET,
	.run = run_memtest,
	.check = check_memtest,
};
