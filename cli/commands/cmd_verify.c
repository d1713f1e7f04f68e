/* psramctl verify: the freshly-soldered-chip check. Each stage is a stub
 * run on the target; what they measure goes to diagnose.h, which names the
 * faults in the diagnosis vocabulary (docs/architecture.md §5):
 *
 *   info → pins (interconnect, the six pins as GPIOs, before any command)
 *   → eid (the ID) → lines (which data lines carry the chip's drive) →
 *   data-bus in SPI, then QPI, each with the MCU's pull-up and pull-down
 *   → address-bus (the whole chip) → device (the range) → patterns and
 *   page (the first 64 KiB of it) → quick bench (the device test's
 *   speed) → clock (data and page crossing, stub margin, from the test
 *   clock up to 84 MHz, what every part of the family is rated for; down
 *   when the test clock fails) → verdict
 *
 * The array tests run in QPI when its data-bus test is clean, else in SPI
 * when that one is; with neither they are skipped (the faults found say
 * why). With IO2 or IO3 tied at the pins no QPI command is sent at all: a
 * chip could hear QPI's entry and never its exit. When the data lines are
 * sound yet no mode carries data, the clock comes first: a slower one is
 * looked for, and the tests run there.
 *
 * --json lines: {"type":"verify-info",...}, one {"type":"stage","stage",
 * "result":"pass"|"fail"|"skip","seconds","note"} per stage, and last
 * {"type":"verdict","verdict":"pass"|"fail","faults":[{"kind",...,
 * "words","check"}],"cells_more","multiple","untested"} (README.md).
 * --junit FILE writes the stages as JUnit test cases.
 *
 * Exit status 0 pass, 1 fail, 2 usage, 3 when a stub could not run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "commands/verify_batch.h"
#include "diagnosis/clock_search.h"
#include "diagnosis/diagnose.h"
#include "diagnosis/eid_decode.h"
#include "util/error.h"
#include "report/json.h"
#include "report/junit.h"
#include "stub/memtest_run.h"
#include "report/output.h"
#include "link/session.h"
#include "util/sizes.h"
#include "stub/stub_params.h"
#include "stub/stub_run.h"
#include "parts/prescaler.h"
#include "parts/wire_limit.h"

#define QUICK_BYTES (64u * 1024)
#define SHORT_TIMEOUT_MS 20000
#define SLOWEST_BYTES_PER_S 50000.0
#define MIN_CLOCK_HZ 8000000u
#define MAX_DOWN 40u	/* slower clocks tried below a failing one */
#define VERIFY_MAX_ERRORS 64
#define PAGE_BYTES 1024u

struct verify_options {
	const char *range;
	const char *junit;
	uint32_t clock_hz;	/* 0: the board's */
	unsigned long long seed;
};

static const struct opt verify_options[] = {
	{"range", 0, OPT_STRING, offsetof(struct verify_options, range),
	 "START:LEN", "part of the chip for the device test (default 0:8M; "
	 "patterns and page use its first 64 KiB)", 0, 0},
	{"clock", 0, OPT_MHZ, offsetof(struct verify_options, clock_hz), "MHZ",
	 "xSPI clock of the tests (default: the board file's)",
	 OPT_CLOCK_MIN_HZ, OPT_CLOCK_MAX_HZ},
	{"junit", 0, OPT_STRING, offsetof(struct verify_options, junit),
	 "FILE", "also write a JUnit XML report", 0, 0},
	{"seed", 0, OPT_UINT, offsetof(struct verify_options, seed), "N",
	 "seed of the random data (default 1)", 0, 0xffffffffu},
	OPT_END,
};

enum stage_result { ST_PASS, ST_FAIL, ST_SKIP };

struct verify {
	struct session *s;
	struct stub_params board;
	uint32_t start, len;
	uint32_t seed;
	uint32_t test_hz;	/* asked for the tests */
	uint32_t clock_hz;	/* achieved */
	uint32_t mode;		/* of the array tests, 0: none */
	struct diag_evidence ev;
	struct eid_report eid;
	struct memtest_obs mem;	/* device, patterns, page: its mismatches */
	struct memtest_obs mem2;
	struct memtest_obs mapped;	/* the mapped stage (OCTOSPI boards) */
	int mapped_failed;
	struct diag_mismatch *mism;
	struct junit junit;
	double bench_mb_s, wire_mb_s;
	char pin_names[DIAG_PINS][8];
};

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void stage(struct verify *v, const char *name, enum stage_result r,
		  double t0, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void stage(struct verify *v, const char *name, enum stage_result r,
		  double t0, const char *fmt, ...)
{
	static const char *const res[] = {"pass", "fail", "skip"};
	static const char *const shown[] = {"ok", "FAIL", "skipped"};
	double sec = t0 ? now_s() - t0 : 0;
	char note[320];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(note, sizeof(note), fmt, ap);
	va_end(ap);
	junit_case(&v->junit, name,
		   r == ST_PASS ? JUNIT_PASS
		   : r == ST_FAIL ? JUNIT_FAIL : JUNIT_SKIP,
		   sec, note[0] ? note : NULL, NULL);
	if (out_json()) {
		struct json j;

		json_init(&j);
		json_object_begin(&j, NULL);
		json_string(&j, "type", "stage");
		json_string(&j, "stage", name);
		json_string(&j, "result", res[r]);
		json_double(&j, "seconds", sec, 3);
		json_string(&j, "note", note);
		json_object_end(&j);
		json_emit(&j);
		json_release(&j);
	} else {
		printf("  %-16s %-8s %s\n", name, shown[r], note);
	}
	fflush(stdout);
}

/* ---- pins ----*/

static int on_pin(void *ctx, const struct stub_record *rec)
{
	struct diag_pins *p = ctx;

	if (rec->type == STUB_REC_PIN)
		diag_pins_add(p, rec->code, rec->a, rec->b);
	return 0;
}

/* What the pins alone say. */
static void pins_only(const struct verify *v, struct diag_result *d)
{
	struct diag_evidence ev;

	memset(&ev, 0, sizeof(ev));
	ev.pins = v->ev.pins;
	memcpy(ev.pin_names, v->ev.pin_names, sizeof(ev.pin_names));
	diag_run(&ev, d);
}

static int run_pins(struct verify *v)
{
	struct stub_run_result res;
	struct stub_run_spec spec;
	struct diag_result d;
	double t0 = now_s();
	char note[300];
	size_t at = 0;
	int r;

	memset(&spec, 0, sizeof(spec));
	spec.command = STUB_CMD_PINS;
	spec.name = "pins";
	spec.timeout_ms = SHORT_TIMEOUT_MS;
	spec.record = on_pin;
	spec.ctx = &v->ev.pins;
	r = stub_run_loaded(v->s, &spec, &res);
	if (r)
		return r;
	if (!v->ev.pins.have) {
		stage(v, "pins", ST_FAIL, t0, "the test did not report every "
						"step");
		return 0;
	}
	pins_only(v, &d);
	if (!d.n) {
		stage(v, "pins", ST_PASS, t0,
		      "each pin reads what it drives and its pulls, and no "
		      "other follows it");
		return 0;
	}
	for (size_t i = 0; i < d.n && at < sizeof(note); i++)
		at += (size_t)snprintf(note + at, sizeof(note) - at, "%s%s",
				       i ? "; " : "", d.faults[i].words);
	stage(v, "pins", ST_FAIL, t0, "%s", note);
	return 0;
}

/* ---- eid ----*/

struct eid_run {
	struct verify *v;
	uint32_t hz;
	struct eid_lines lines;
};

static int on_eid(void *ctx, const struct stub_record *rec)
{
	eid_lines_add(&((struct eid_run *)ctx)->lines, rec);
	return 0;
}

static void eid_params(void *ctx, struct stub_params *p)
{
	struct eid_run *e = ctx;

	if (e->hz)
		p->clock_hz = e->hz;
}

static int run_eid(struct verify *v, uint32_t hz)
{
	struct stub_run_result res;
	struct stub_run_spec spec;
	struct eid_run e;
	double t0 = now_s();
	int r;

	memset(&e, 0, sizeof(e));
	e.v = v;
	e.hz = hz;
	memset(&spec, 0, sizeof(spec));
	spec.command = STUB_CMD_EID;
	spec.name = "eid";
	spec.timeout_ms = SHORT_TIMEOUT_MS;
	spec.params = eid_params;
	spec.record = on_eid;
	spec.ctx = &e;
	r = stub_run_loaded(v->s, &spec, &res);
	if (r)
		return r;
	eid_decode(&res.result, &e.lines, &v->eid);
	v->ev.eid = &v->eid;
	stage(v, "eid", v->eid.chip == EID_CHIP_PSRAM && v->eid.kgd == 1
				? ST_PASS : ST_FAIL,
	      t0, "%s (%02x %02x %02x %02x %02x %02x %02x %02x at %.3g MHz)",
	      v->eid.summary, v->eid.eid[0], v->eid.eid[1], v->eid.eid[2],
	      v->eid.eid[3], v->eid.eid[4], v->eid.eid[5], v->eid.eid[6],
	      v->eid.eid[7], res.result.xspi.clock_hz / 1e6);
	return 0;
}

/* ---- memtest stages ----*/

static int memtest_stage(struct verify *v, uint32_t tests, uint32_t mode,
			 int pull, uint32_t start, uint32_t len,
			 struct memtest_obs *o)
{
	struct memtest_spec sp;
	double work;

	memset(&sp, 0, sizeof(sp));
	sp.tests = tests;
	sp.widths = tests == STUB_TEST_DATA_BUS ? STUB_WIDTH_8 : STUB_WIDTH_32;
	sp.mode = mode;
	sp.clock_hz = v->test_hz;
	sp.start = start;
	sp.len = len;
	sp.passes = 1;
	sp.seed = v->seed;
	/* data-bus: every wrong read, so that where they are is known */
	sp.max_errors = tests == STUB_TEST_DATA_BUS ? 256 : VERIFY_MAX_ERRORS;
	sp.io_pull = pull;
	map_settings_default(&sp.map);
	sp.loaded = 1;
	work = (tests & STUB_TEST_ACCESS ? 4096.0 : 0) +
	       (tests & STUB_TEST_DEVICE ? 4.0 : 0) * len +
	       (tests & STUB_TEST_PATTERNS ? 14.0 : 0) * len +
	       (tests & STUB_TEST_PAGE ? 3.0 : 0) * len;
	sp.timeout_ms = SHORT_TIMEOUT_MS +
			(int)(1000.0 * work / SLOWEST_BYTES_PER_S);
	return memtest_run(v->s, &sp, NULL, o);
}

static const char *pull_name(int pull)
{
	return pull == STUB_PULL_UP ? "pull-up" : "pull-down";
}

static int run_lines(struct verify *v)
{
	struct memtest_obs o;
	double t0 = now_s();
	char note[160];
	size_t at = 0;
	int r;

	r = memtest_stage(v, STUB_TEST_LINES, STUB_MODE_QPI, MEMTEST_NO_PULL,
			  v->start, v->len, &o);
	if (!r) {
		v->ev.lines = o.lines;
		note[0] = '\0';
		for (int n = 0; n < DIAG_LINES; n++)
			at += (size_t)snprintf(
				note + at, sizeof(note) - at,
				"%sIO%d %u/%u", n ? ", " : "against the pulls: ",
				n, (unsigned)o.lines.against[DIAG_UP][n],
				(unsigned)o.lines.against[DIAG_DOWN][n]);
		/* A line that never reads against either pull never carried
		 * the chip's drive: open, stuck or shorted, whatever the
		 * diagnosis then calls it. */
		char dead[32] = "";
		size_t dn = 0;

		for (int n = 0; n < DIAG_LINES && o.lines.bits; n++)
			if (!o.lines.against[DIAG_UP][n] &&
			    !o.lines.against[DIAG_DOWN][n])
				dn += (size_t)snprintf(dead + dn,
						       sizeof(dead) - dn,
						       "%sIO%d", dn ? ", " : "",
						       n);
		if (dn)
			stage(v, "lines", ST_FAIL, t0,
			      "%s never carr%s the chip's drive: %s (of %u "
			      "bits each)",
			      dead, strchr(dead, ',') ? "y" : "ies", note,
			      (unsigned)o.lines.bits);
		else
			stage(v, "lines", ST_PASS, t0, "%s (of %u bits each)",
			      note, (unsigned)o.lines.bits);
	}
	memtest_obs_free(&o);
	return r;
}

/* Echoes (the complement written elsewhere read back) are address
 * aliases, and a wrong bit at one or two of the test's addresses a bad
 * cell: the data lines carried them right. */
static int bus_clean(const struct diag_bus *b)
{
	return diag_bus_clean(b);
}

static int run_bus(struct verify *v, int mode, int pull)
{
	uint32_t stub_mode = mode == DIAG_QPI ? STUB_MODE_QPI : STUB_MODE_SPI;
	struct diag_bus *b = &v->ev.bus[mode][pull == STUB_PULL_UP ? DIAG_UP
								   : DIAG_DOWN];
	struct memtest_obs o;
	double t0 = now_s();
	char name[40];
	int r;

	r = memtest_stage(v, STUB_TEST_DATA_BUS, stub_mode, pull, v->start,
			  v->len, &o);
	if (!r) {
		uint32_t wrong = 0;

		*b = o.bus;
		b->clock_hz = o.run.result.xspi.clock_hz;
		v->clock_hz = b->clock_hz;
		for (int k = 0; k < 8; k++)
			wrong += b->bit[k].e01 + b->bit[k].e10;
		snprintf(name, sizeof(name), "data-bus %s %s",
			 mode == DIAG_QPI ? "QPI" : "SPI",
			 pull == STUB_PULL_UP ? "up" : "down");
		stage(v, name, bus_clean(b) ? ST_PASS : ST_FAIL, t0,
		      "walking 1s and 0s with the MCU's %s: %u wrong bits, %u "
		      "echoes",
		      pull_name(pull), (unsigned)wrong, (unsigned)b->echoes);
	}
	memtest_obs_free(&o);
	return r;
}

static int run_all_bus(struct verify *v, int qpi)
{
	static const int pulls[] = {STUB_PULL_UP, STUB_PULL_DOWN};
	int r = 0;

	for (int mode = DIAG_SPI; mode <= (qpi ? DIAG_QPI : DIAG_SPI) && !r;
	     mode++)
		for (int i = 0; i < 2 && !r; i++)
			r = run_bus(v, mode, pulls[i]);
	return r;
}

static int mode_clean(const struct verify *v, int mode)
{
	return bus_clean(&v->ev.bus[mode][DIAG_UP]) &&
	       bus_clean(&v->ev.bus[mode][DIAG_DOWN]);
}

static void add_mismatches(struct verify *v)
{
	size_t n = v->mem.n + v->mem2.n;

	free(v->mism);
	v->mism = psr_calloc(n ? n : 1, sizeof(*v->mism));
	if (v->mem.n)
		memcpy(v->mism, v->mem.m, v->mem.n * sizeof(*v->mism));
	if (v->mem2.n)
		memcpy(v->mism + v->mem.n, v->mem2.m,
		       v->mem2.n * sizeof(*v->mism));
	v->ev.mem.have = 1;
	v->ev.mem.clock_hz = v->clock_hz;
	v->ev.mem.bytes = v->mem.bytes + v->mem2.bytes;
	v->ev.mem.errors = v->mem.errors + v->mem2.errors;
	v->ev.mem.m = v->mism;
	v->ev.mem.n = n;
}

static int run_address(struct verify *v)
{
	struct memtest_obs o;
	double t0 = now_s();
	int r;

	r = memtest_stage(v, STUB_TEST_ADDRESS_BUS, v->mode, MEMTEST_NO_PULL,
			  0, MEMTEST_CHIP_BYTES, &o);
	if (!r) {
		v->ev.addr = o.addr;
		v->ev.addr.have = 1;
		stage(v, "address-bus", o.errors ? ST_FAIL : ST_PASS, t0,
		      "power-of-two offsets over the whole chip: %u aliases",
		      (unsigned)o.errors);
	}
	memtest_obs_free(&o);
	return r;
}

static int run_array(struct verify *v)
{
	uint32_t quick = v->len < QUICK_BYTES ? v->len : QUICK_BYTES;
	const struct memtest_result *t;
	double t0 = now_s();
	int r;

	r = memtest_stage(v, STUB_TEST_DEVICE, v->mode, MEMTEST_NO_PULL,
			  v->start, v->len, &v->mem);
	if (r)
		return r;
	t = memtest_result_of(&v->mem, STUB_TEST_DEVICE);
	if (t && t->cycles && v->mem.cpu_hz)
		v->bench_mb_s = t->checked / ((double)t->cycles / v->mem.cpu_hz)
				/ 1e6;
	stage(v, "device", v->mem.errors ? ST_FAIL : ST_PASS, t0,
	      "increment and complement over 0x%06x..0x%06x: %llu wrong units",
	      (unsigned)v->start, (unsigned)(v->start + v->len - 1),
	      (unsigned long long)v->mem.errors);
	t0 = now_s();
	r = memtest_stage(v, STUB_TEST_PATTERNS | STUB_TEST_PAGE, v->mode,
			  MEMTEST_NO_PULL, v->start, quick, &v->mem2);
	if (r)
		return r;
	t = memtest_result_of(&v->mem2, STUB_TEST_PATTERNS);
	stage(v, "patterns", t && t->errors ? ST_FAIL : ST_PASS, t0,
	      "the default set over 0x%06x..0x%06x: %u wrong units",
	      (unsigned)v->start, (unsigned)(v->start + quick - 1),
	      t ? (unsigned)t->errors : 0u);
	t = memtest_result_of(&v->mem2, STUB_TEST_PAGE);
	stage(v, "page", t && t->errors ? ST_FAIL : t && t->checked ? ST_PASS
						     : ST_SKIP,
	      0, "%s",
	      t && t->checked ? "bursts across every 1 KiB boundary"
			      : "above 84 MHz no burst may cross a page");
	add_mismatches(v);
	return 0;
}

/* ---- memory-mapped access (docs/hardware-stm32h7a3.md §6.7) ----
 * On an OCTOSPI board a firmware puts its heap in the window: the device
 * and access tests through it, with the setup `psramctl mapcheck`
 * recommends (DQS on writes, CSBOUND at the page, the timeout and REFRESH
 * of stub/map_recommend.h for this part and clock), so that a board that
 * passes verify runs a heap at the window's address with that setup. */
static int run_mapped(struct verify *v)
{
	uint32_t quick = v->len < QUICK_BYTES ? v->len : QUICK_BYTES;
	double t0 = now_s();
	int r;

	if (v->board.xspi != STUB_XSPI_OCTOSPI || v->mode != STUB_MODE_QPI)
		return 0;
	r = memtest_stage(v, STUB_TEST_DEVICE | STUB_TEST_ACCESS,
			  STUB_MODE_MAPPED, MEMTEST_NO_PULL, v->start, quick,
			  &v->mapped);
	if (r)
		return r;
	v->mapped_failed = v->mapped.errors != 0;
	stage(v, "mapped", v->mapped_failed ? ST_FAIL : ST_PASS, t0,
	      "CPU loads and stores through the window at 0x%08x over "
	      "0x%06x..0x%06x with the recommended setup (DQS on writes, "
	      "timeout %u cycles, REFRESH %u, CSBOUND %u at %.3g MHz): "
	      "%llu wrong units",
	      (unsigned)(v->board.xspi_window + v->start), (unsigned)v->start,
	      (unsigned)(v->start + quick - 1), (unsigned)v->mapped.map.timeout,
	      (unsigned)v->mapped.map.refresh,
	      (unsigned)v->mapped.map.csbound, v->mapped.map_clock_hz / 1e6,
	      (unsigned long long)v->mapped.errors);
	return 0;
}

/* The mapped stage's failure, in the two worlds' words: the joints and
 * the chip passed the indirect tests. */
static void add_mapped_fault(const struct verify *v, struct diag_result *d)
{
	struct diag_fault *f;

	if (!v->mapped_failed || d->n >= DIAG_MAX_FAULTS)
		return;
	f = &d->faults[d->n++];
	memset(f, 0, sizeof(*f));
	f->kind = DIAG_MAPPED;
	snprintf(f->words, sizeof(f->words),
		 "CPU access through the memory-mapped window loses data "
		 "(%llu wrong units) while the same chip passes in indirect "
		 "mode",
		 (unsigned long long)v->mapped.errors);
	snprintf(f->check, sizeof(f->check),
		 "the controller or cache setup, not the joints: run "
		 "psramctl mapcheck, or memtest --mode mapped with --xspi "
		 "and --mpu settings");
	d->pass = 0;
}

/* verify's bench stage failed (bench() below): the verdict fails too,
 * with the figure and the limit it broke. */
static void add_bench_fault(const struct verify *v, struct diag_result *d)
{
	struct diag_fault *f;
	int impossible = v->bench_mb_s > v->wire_mb_s;

	if (v->wire_mb_s <= 0 || d->n >= DIAG_MAX_FAULTS ||
	    (!impossible && v->bench_mb_s >= v->wire_mb_s / 2))
		return;
	f = &d->faults[d->n++];
	memset(f, 0, sizeof(*f));
	f->kind = DIAG_BUS_SPEED;
	f->mb_s = v->bench_mb_s;
	f->wire_mb_s = v->wire_mb_s;
	if (impossible) {
		snprintf(f->words, sizeof(f->words),
			 "write and read back ran at %.2f MB/s, above the "
			 "wire limit of %.2f MB/s: the timing basis is wrong",
			 v->bench_mb_s, v->wire_mb_s);
		snprintf(f->check, sizeof(f->check),
			 "the MCU and xSPI clocks the board file sets up "
			 "against what the board really runs");
	} else {
		snprintf(f->words, sizeof(f->words),
			 "write and read back ran at %.2f MB/s, below half the "
			 "wire limit of %.2f MB/s: the bus stalls or retries",
			 v->bench_mb_s, v->wire_mb_s);
		snprintf(f->check, sizeof(f->check),
			 "other bus masters (DMA, display) and the xSPI "
			 "register accesses' wait states, then psramctl bench "
			 "for the figures by size");
	}
	d->pass = 0;
}

/* ---- clock ----*/

/* The clock search (clock_search.h) in `mode` over the first 64 KiB of
 * the range, page-aligned (all of the chip's start when the range would
 * run past its end). */
static struct clock_search searcher(struct verify *v, uint32_t mode)
{
	struct clock_search cs;

	memset(&cs, 0, sizeof(cs));
	cs.s = v->s;
	cs.mode = mode;
	cs.start = v->start & ~(PAGE_BYTES - 1u);
	cs.len = v->len < 4 * PAGE_BYTES ? QUICK_BYTES : v->len;
	if (cs.start + cs.len > MEMTEST_CHIP_BYTES)
		cs.start = 0;
	if (cs.len > QUICK_BYTES)
		cs.len = QUICK_BYTES;
	cs.seed = v->seed;
	cs.timeout_ms = SHORT_TIMEOUT_MS;
	cs.ck = &v->ev.clock;
	return cs;
}

/* The fitted part as the board file names it, else the family's strictest
 * member (the ID does not tell the vendors apart, docs/psram-chips.md
 * §3): the datasheet a clock verdict rests on. */
static const struct psram_part_timing *rated_part(const struct verify *v)
{
	return wire_chip_of(v->board.chip);
}

/* Who the rating is for, for messages. */
static const char *rated_for(const struct verify *v)
{
	const char *part = stub_chip_part(v->board.chip);

	return part ? part : "every part of the family";
}

/* The achievable clocks (prescaler.h) from slow to fast, up to the
 * fastest the rated part's datasheet allows with the QUADSPI's nCS
 * framing (wire_spec_max_hz: its maximum clock, tCSP, tCHD). */
static size_t clock_steps(const struct verify *v, uint32_t *hz, size_t max)
{
	uint32_t spec = wire_spec_max_hz(rated_part(v), NULL, 0);
	uint32_t top = v->board.kernel_hz < spec ? v->board.kernel_hz : spec;

	return prescaler_ladder(v->board.kernel_hz, MIN_CLOCK_HZ, top, hz, max);
}

/* Down from below the test clock until data pass: the clock to test at. */
static int find_slower(struct verify *v, uint32_t mode, uint32_t *safe)
{
	struct clock_search cs = searcher(v, mode);
	uint32_t hz[XSPI_PRESCALERS];
	size_t n = clock_steps(v, hz, XSPI_PRESCALERS);
	double t0 = now_s();
	int r;

	r = clock_search_slower(&cs, hz, n, v->clock_hz, MAX_DOWN, safe);
	if (r)
		return r;
	if (*safe)
		stage(v, "slower clock", ST_FAIL, t0,
		      "no mode carries data at %.3g MHz; data pass at %.3g MHz",
		      v->clock_hz / 1e6, *safe / 1e6);
	else
		stage(v, "slower clock", ST_FAIL, t0,
		      "no clock down to %.3g MHz carries data",
		      MIN_CLOCK_HZ / 1e6);
	return 0;
}

/* From the test clock up until something fails or the top; when the test
 * clock itself fails, down until one passes. */
static int run_clock(struct verify *v)
{
	struct clock_search cs = searcher(v, v->mode);
	uint32_t hz[XSPI_PRESCALERS], best, worst;
	size_t n = clock_steps(v, hz, XSPI_PRESCALERS), at = n;
	double t0 = now_s();
	int r;

	if (v->ev.addr.to_base || v->ev.addr.other) {
		stage(v, "clock", ST_SKIP, 0,
		      "addresses alias: a clock test would only see that");
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		if (hz[i] + 1 >= v->clock_hz) {
			at = i;
			break;
		}
	if (at == n) {
		stage(v, "clock", ST_SKIP, 0,
		      "the test clock is above the fastest the datasheet of "
		      "%s allows: nothing faster to try",
		      rated_for(v));
		return 0;
	}
	r = clock_search_limit(&cs, hz, n, at, MAX_DOWN, &best, &worst);
	if (r)
		return r;
	if (!worst) {
		char why[96];

		wire_spec_max_hz(rated_part(v), why, sizeof(why));
		stage(v, "clock", ST_PASS, t0,
		      "data and page crossing pass up to %.3g MHz, the fastest "
		      "in spec for %s (%s)",
		      best / 1e6, rated_for(v), why);
	}
	else if (best)
		stage(v, "clock", ST_FAIL, t0,
		      "data and page crossing pass up to %.3g MHz, not at "
		      "%.3g MHz",
		      best / 1e6, worst / 1e6);
	else
		stage(v, "clock", ST_FAIL, t0,
		      "no clock tested passes (%.3g MHz and below)",
		      worst / 1e6);
	return 0;
}

/* ---- quick bench ----*/

static void bench(struct verify *v)
{
	enum wire_mode mode = v->mode == STUB_MODE_QPI ? WIRE_QPI : WIRE_SPI;
	const struct psram_part_timing *chip = wire_chip_of(v->board.chip);
	struct wire_limit wr, rd;

	if (!v->bench_mb_s || !v->clock_hz)
		return;
	if (!wire_limit(mode, WIRE_WRITE, v->clock_hz, PAGE_BYTES, chip, &wr) &&
	    !wire_limit(mode, WIRE_READ, v->clock_hz, PAGE_BYTES, chip, &rd))
		v->wire_mb_s = PAGE_BYTES / (wr.seconds + rd.seconds) / 1e6;
	/* Above the wire limit is impossible (the timing basis is wrong);
	 * below half of it only a misbehaving bus explains (stalls,
	 * retries), not the chip: either fails the stage. */
	stage(v, "bench",
	      v->wire_mb_s > 0 && (v->bench_mb_s > v->wire_mb_s ||
				   v->bench_mb_s < v->wire_mb_s / 2)
		      ? ST_FAIL
		      : ST_PASS,
	      0,
	      "%s at %.3g MHz: write and read back %.2f MB/s%s, wire limit "
	      "%.2f MB/s%s",
	      mode == WIRE_QPI ? "QPI" : "SPI", v->clock_hz / 1e6,
	      v->bench_mb_s, session_simulated(v->s) ? " (modelled)" : "",
	      v->wire_mb_s,
	      v->wire_mb_s <= 0 ? ""
	      : v->bench_mb_s > v->wire_mb_s
		      ? ": impossible, the timing basis is wrong"
	      : v->bench_mb_s < v->wire_mb_s / 2
		      ? ": below half of it, which only a misbehaving bus "
			"explains"
		      : "");
}

/* ---- the verdict ----*/

static void print_verdict(struct verify *v, const struct diag_result *d)
{
	if (out_json()) {
		struct json j;

		json_init(&j);
		json_object_begin(&j, NULL);
		json_string(&j, "type", "verdict");
		json_string(&j, "verdict", d->pass ? "pass" : "fail");
		json_array_begin(&j, "faults");
		for (size_t i = 0; i < d->n; i++) {
			json_object_begin(&j, NULL);
			diag_json_fault(&j, &d->faults[i]);
			json_object_end(&j);
		}
		json_array_end(&j);
		if (d->cells_more)
			json_uint(&j, "cells_more", d->cells_more);
		if (d->multiple)
			json_bool(&j, "multiple", 1);
		if (d->untested[0])
			json_string(&j, "untested", d->untested);
		json_bool(&j, "simulated", session_simulated(v->s));
		json_object_end(&j);
		json_emit(&j);
		json_release(&j);
		fflush(stdout);
		return;
	}
	printf("verdict: %s\n", d->pass ? "PASS" : "FAIL");
	for (size_t i = 0; i < d->n; i++)
		printf("  - %s\n    check: %s\n", d->faults[i].words,
		       d->faults[i].check);
	if (d->cells_more)
		printf("  - and %zu more bad cells\n", d->cells_more);
	if (d->multiple)
		printf("  - multiple faults: more is wrong than the list "
		       "above can tell apart\n");
	if (d->untested[0])
		printf("  note: %s\n", d->untested);
	fflush(stdout);
}

static void junit_verdict(struct verify *v, const struct diag_result *d)
{
	struct strbuf text;

	sb_init(&text);
	for (size_t i = 0; i < d->n; i++)
		sb_addf(&text, "%s: %s (check: %s)\n",
			diag_kind_name(d->faults[i].kind), d->faults[i].words,
			d->faults[i].check);
	if (d->untested[0])
		sb_addf(&text, "note: %s\n", d->untested);
	junit_case(&v->junit, "verdict", d->pass ? JUNIT_PASS : JUNIT_FAIL, 0,
		   d->pass ? NULL
			   : d->n ? d->faults[0].words : "multiple faults",
		   text.len ? text.buf : NULL);
	sb_release(&text);
}

/* ---- the sequence ----*/

static void print_info(struct verify *v)
{
	const struct board_vars *b = &v->s->vars;
	const char *chip = stub_chip_part(v->board.chip);

	junit_property(&v->junit, "board", b->board ? b->board : "");
	junit_property(&v->junit, "chip", chip ? chip : "unknown");
	if (out_json()) {
		struct json j;

		json_init(&j);
		json_object_begin(&j, NULL);
		json_string(&j, "type", "verify-info");
		json_string(&j, "board", b->board ? b->board : "");
		if (b->desc)
			json_string(&j, "description", b->desc);
		if (chip)
			json_string(&j, "chip", chip);
		json_uint(&j, "kernel_hz", v->board.kernel_hz);
		json_uint(&j, "clock_hz", v->test_hz);
		json_hex(&j, "start", v->start, 6);
		json_uint(&j, "length", v->len);
		json_object_end(&j);
		json_emit(&j);
		json_release(&j);
	} else {
		printf("verify: %s%s%s%s, %s, tests at %.3g MHz (asked)%s\n",
		       b->board ? b->board : "board", b->desc ? " (" : "",
		       b->desc ? b->desc : "", b->desc ? ")" : "",
		       chip ? chip : "unknown PSRAM", v->test_hz / 1e6,
		       session_simulated(v->s) ? ", on psramsim: times modelled"
					       : "");
	}
	fflush(stdout);
}

static void pin_names(struct verify *v)
{
	static const char *const sig[DIAG_PINS] = {"clk", "ncs", "io0",
						   "io1", "io2", "io3"};
	const struct board_vars *b = &v->s->vars;

	for (int i = 0; i < DIAG_PINS; i++) {
		v->ev.pin_names[i] = NULL;
		for (int k = 0; k < b->npins; k++)
			if (!strcmp(b->pins[k].signal, sig[i])) {
				snprintf(v->pin_names[i],
					 sizeof(v->pin_names[i]), "%s",
					 b->pins[k].pin);
				v->ev.pin_names[i] = v->pin_names[i];
			}
	}
}

/* The pins the interconnect test found stuck or bridged (bit = pin). */
static uint8_t pins_bad(const struct verify *v)
{
	struct diag_result d;
	uint8_t bad = 0;

	pins_only(v, &d);
	for (size_t i = 0; i < d.n; i++)
		bad |= d.faults[i].kind == DIAG_IO_SHORT
			       ? d.faults[i].pins
			       : (uint8_t)(d.faults[i].pin >= 0
						   ? 1u << d.faults[i].pin
						   : 0);
	return bad;
}

static int lines_all_carry(const struct verify *v)
{
	const struct diag_lines *l = &v->ev.lines;

	if (!l->have[DIAG_UP] || !l->have[DIAG_DOWN])
		return 1;
	for (int n = 0; n < DIAG_LINES; n++)
		if (!l->against[DIAG_UP][n] || !l->against[DIAG_DOWN][n])
			return 0;
	return 1;
}

static int sequence(struct verify *v)
{
	struct stub_run_result prep;
	uint32_t safe;
	uint8_t bad;
	int r, qpi;

	memset(&prep, 0, sizeof(prep));
	r = stub_prepare(v->s, &prep);
	if (!r)
		r = run_pins(v);
	if (!r)
		r = run_eid(v, 0);
	if (r)
		return r;
	if (v->eid.chip == EID_CHIP_FLASH) {
		stage(v, "mode", ST_SKIP, 0, "a flash chip answers: nothing is "
					      "written to it");
		return 0;
	}
	/* A chip that hears QPI mode's entry but not its exit (IO2 or IO3
	 * tied) would stay in it: with such a fault SPI mode is all there
	 * is, and the chip is kept in it. */
	bad = pins_bad(v);
	qpi = !(bad & (1u << STUB_PIN_IO2 | 1u << STUB_PIN_IO3));
	if (qpi)
		r = run_lines(v);
	else
		stage(v, "lines", ST_SKIP, 0,
		      "IO2/IO3 faulty at the pins: no QPI command is sent, "
		      "the chip stays in SPI mode");
	if (!r)
		r = run_all_bus(v, qpi);
	if (r)
		return r;
	if (!mode_clean(v, DIAG_QPI) && !mode_clean(v, DIAG_SPI) && !bad &&
	    lines_all_carry(v)) {
		/* Sound lines, yet no data: the clock. */
		r = find_slower(v, STUB_MODE_QPI, &safe);
		if (r)
			return r;
		if (!safe) {
			stage(v, "mode", ST_SKIP, 0,
			      "no clock tested carries data: the array cannot "
			      "be tested");
			return 0;
		}
		v->test_hz = safe;
		if (v->eid.chip != EID_CHIP_PSRAM)
			r = run_eid(v, safe);
		if (!r)
			r = run_all_bus(v, 1);
		if (r)
			return r;
	}
	v->mode = mode_clean(v, DIAG_QPI)   ? STUB_MODE_QPI
		  : mode_clean(v, DIAG_SPI) ? STUB_MODE_SPI
					    : 0;
	if (!v->mode) {
		stage(v, "mode", ST_SKIP, 0,
		      "neither SPI nor QPI carries data: the array cannot be "
		      "tested");
		return 0;
	}
	stage(v, "mode", ST_PASS, 0, "the array is tested in %s mode%s",
	      v->mode == STUB_MODE_QPI ? "QPI" : "SPI",
	      v->mode == STUB_MODE_QPI ? ""
	      : qpi			 ? ": QPI does not carry data"
					 : ": QPI cannot work with these pins");
	r = run_address(v);
	if (!r)
		r = run_array(v);
	if (!r)
		r = run_mapped(v);
	if (!r)
		bench(v);
	if (!r)
		r = run_clock(v);
	return r;
}

static int parse(struct verify *v, const struct verify_options *o, int argc)
{
	int r;

	if (argc)
		return out_error(PSR_ERR_USAGE, "'verify' takes no arguments");
	r = memtest_parse_range(o->range, &v->start, &v->len);
	if (r)
		return r;
	v->seed = o->seed ? (uint32_t)o->seed : 1;
	if (o->clock_hz)
		v->test_hz = o->clock_hz;
	return 0;
}

static int run_verify(struct session *s, void *options, int argc,
		      char **argv)
{
	const struct verify_options *o = options;
	struct diag_result d;
	struct verify v;
	uint32_t sp;
	int r;

	(void)argv;
	memset(&v, 0, sizeof(v));
	v.s = s;
	r = parse(&v, o, argc);
	if (r)
		return r;
	r = stub_params_from_board(&s->vars, &v.board, &sp);
	if (r)
		return r;
	if (!v.test_hz)
		v.test_hz = v.board.clock_hz;
	v.clock_hz = v.test_hz;
	junit_init(&v.junit, "psramctl verify", "psramctl.verify");
	pin_names(&v);
	print_info(&v);
	r = sequence(&v);
	if (!r) {
		diag_run(&v.ev, &d);
		add_mapped_fault(&v, &d);
		add_bench_fault(&v, &d);
		junit_verdict(&v, &d);
		if (!d.pass)
			r = out_error(PSR_ERR_TEST_FAILED, "verify: FAIL: %s",
				      d.n ? d.faults[0].words
					  : "multiple faults");
		print_verdict(&v, &d);
	}
	if (o->junit && r != PSR_ERR_INTERRUPTED) {
		int w = junit_write(&v.junit, o->junit);

		if (!r)
			r = w;
	}
	memtest_obs_free(&v.mem);
	memtest_obs_free(&v.mem2);
	memtest_obs_free(&v.mapped);
	free(v.mism);
	junit_release(&v.junit);
	return r;
}

const struct command cmd_verify = {
	.name = "verify",
	.summary = "the freshly-soldered-chip check: PASS/FAIL and a "
		   "diagnosis",
	.usage = "",
	.description =
		"Resets the MCU (it stays halted) and checks the chip and its "
		"joints: the six\npins as GPIOs (shorts, lines tied to a "
		"rail), the ID, which data lines carry\nthe chip's drive, the "
		"data bus in SPI and QPI with the MCU's pull-up and\n"
		"pull-down, the address bus, the array, bursts across pages "
		"and the clock.\nEnds with PASS or FAIL and the faults in "
		"plain words, with what to check on\nthe board. Exit status 0 "
		"on PASS, 1 on FAIL.",
	.options = verify_options,
	.options_size = sizeof(struct verify_options),
	.flags = CMD_NEEDS_TARGET,
	.run = run_verify,
	.batch_requested = verify_batch_requested,
	.batch = verify_batch_run,
};
