/* psramctl bench: throughput per transfer size, read and write, against
 * the wire limit (wire_limit.h). Resets the MCU (it stays halted), runs
 * the stub's bench command (16 sizes per run) and prints a row per size
 * as its samples arrive: a table, --csv or --json (bench_report.h); --plot
 * draws the chart.
 *
 * The stub times each sample with the DWT cycle counter, at least
 * STUB_BENCH_SAMPLE_US of back-to-back transfers; on psramsim that counter
 * reads the virtual clock, and the output says the times are modelled.
 *
 * Exit status 0 once every size was measured; 2 for bad options (refused
 * before the board is touched); 3 when the stub could not run. */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/bench_report.h"
#include "cli.h"
#include "util/error.h"
#include "report/json.h"
#include "report/output.h"
#include "link/session.h"
#include "util/files.h"
#include "util/list.h"
#include "util/range.h"
#include "util/sizes.h"
#include "stub/stub_params.h"
#include "stub/stub_run.h"

#define DEFAULT_SIZES "4..8192"
#define CHIP_BYTES (8u * 1024 * 1024)
#define PAGE_BYTES 1024u
/* Per run: room for reset and load, then per sample its own time plus
 * a simulator slowed down by sanitizers. */
#define RUN_TIMEOUT_MS 20000
#define SAMPLE_TIMEOUT_MS 2000

struct bench_options {
	const char *sizes;
	const char *ops;
	int mode;		/* WIRE_MODE_CHOICES */
	uint32_t clock_hz;	/* 0: the board's */
	unsigned long long repeat;
	const char *range;
	int csv;
	const char *plot;
	unsigned long long timeout_ms;
};

static const struct opt bench_options[] = {
	{"sizes", 0, OPT_STRING, offsetof(struct bench_options, sizes), "LIST",
	 "transfer sizes in bytes: 4..8192 (powers of two, the default), "
	 "4,16,1024, 4..64:4 (a step), 4..8192:x4 (a factor)",
	 0, 0},
	{"ops", 0, OPT_STRING, offsetof(struct bench_options, ops), "OPS",
	 "read, write or read,write (the default)", 0, 0},
	{"mode", 0, OPT_ENUM, offsetof(struct bench_options, mode),
	 WIRE_MODE_CHOICES, "4-4-4 commands (qpi, the default) or 1-1-1 (spi)",
	 0, 0},
	{"clock", 0, OPT_MHZ, offsetof(struct bench_options, clock_hz), "MHZ",
	 "xSPI clock; the fastest prescaler not above it is used and the "
	 "clock it gives is reported (default: the board's PSRAM_CLOCK_MHZ)",
	 OPT_CLOCK_MIN_HZ, OPT_CLOCK_MAX_HZ},
	{"repeat", 0, OPT_UINT, offsetof(struct bench_options, repeat), "N",
	 "measure every size N times and report the median (default 1)", 1,
	 25},
	{"range", 0, OPT_STRING, offsetof(struct bench_options, range),
	 "OFF:LEN", "chip area to use, offset:length or offset..end (default "
	 "the whole chip)", 0, 0},
	{"csv", 0, OPT_FLAG, offsetof(struct bench_options, csv), NULL,
	 "print CSV instead of the table", 0, 0},
	{"plot", 0, OPT_STRING, offsetof(struct bench_options, plot), "FILE",
	 "also draw throughput against size as an SVG chart", 0, 0},
	{"timeout", 0, OPT_UINT, offsetof(struct bench_options, timeout_ms),
	 "MS", "give each stub run this long (default: 20 s plus 2 s per "
	 "sample)", 100, 86400000},
	OPT_END,
};

struct bench_run {
	struct session *s;
	const struct bench_options *o;
	struct sizes sizes;
	unsigned ops;          /* bit BENCH_READ / BENCH_WRITE */
	uint32_t stub_ops;     /* STUB_OP_* */
	enum wire_mode mode;
	uint32_t asked_hz;
	uint64_t range_start, range_len;
	unsigned repeat;
	struct bench_table table;
	int have_setup;        /* header printed, setup known */
	size_t chunk;          /* first size of this run */
	size_t chunk_n;
	unsigned long long samples_done, samples_total;
	int failed;            /* a record callback failed */
};

static int parse_ops(const char *spec, unsigned *ops)
{
	static const struct list_word names[] = {
		{"read", 1u << BENCH_READ}, {"write", 1u << BENCH_WRITE},
		{NULL, 0}};
	char err[120], shown[64];
	uint32_t bits;

	*ops = 1u << BENCH_READ | 1u << BENCH_WRITE;
	if (!spec)
		return 0;
	if (list_parse_words(spec, names, &bits, err, sizeof(err)))
		return out_error(PSR_ERR_USAGE,
				 "invalid value '%s' for --ops: %s",
				 out_printable(spec, shown, sizeof(shown)), err);
	*ops = bits;
	return 0;
}

/* Transfers that fit in a page start page-aligned (at the next power of
 * two), larger ones on a page boundary: what the stub does. */
static uint64_t stride_of(uint32_t size)
{
	uint64_t s = 1;

	if (size > PAGE_BYTES)
		return (size + PAGE_BYTES - 1) / PAGE_BYTES * PAGE_BYTES;
	while (s < size)
		s <<= 1;
	return s;
}

static int check_options(struct bench_run *b, int argc)
{
	const struct bench_options *o = b->o;
	char err[200], shown[96];

	if (argc)
		return out_error(PSR_ERR_USAGE, "'bench' takes no arguments");
	if (o->csv && out_json())
		return out_error(PSR_ERR_USAGE,
				 "--csv and --json are two different outputs: "
				 "choose one");
	if (sizes_parse(o->sizes ? o->sizes : DEFAULT_SIZES, 1,
			STUB_BENCH_SIZE_MAX, &b->sizes, err, sizeof(err)))
		return out_error(PSR_ERR_USAGE,
				 "invalid value '%s' for --sizes: %s",
				 out_printable(o->sizes ? o->sizes
							: DEFAULT_SIZES,
					       shown, sizeof(shown)),
				 err);
	if (parse_ops(o->ops, &b->ops))
		return PSR_ERR_USAGE;
	b->mode = wire_mode_of_choice(o->mode);
	b->stub_ops = (b->ops & 1u << BENCH_READ ? STUB_OP_READ : 0) |
		      (b->ops & 1u << BENCH_WRITE ? STUB_OP_WRITE : 0);
	b->asked_hz = o->clock_hz;
	b->range_start = 0;
	b->range_len = CHIP_BYTES;
	if (o->range && range_parse(o->range, CHIP_BYTES,
					  &b->range_start, &b->range_len, err,
					  sizeof(err)))
		return out_error(PSR_ERR_USAGE,
				 "invalid value '%s' for --range: %s",
				 out_printable(o->range, shown, sizeof(shown)),
				 err);
	for (size_t i = 0; i < b->sizes.n; i++)
		if (stride_of(b->sizes.v[i]) > b->range_len)
			return out_error(PSR_ERR_USAGE,
					 "--range: %llu bytes leave no room "
					 "for transfers of %lu bytes (they "
					 "take %llu each)",
					 (unsigned long long)b->range_len,
					 (unsigned long)b->sizes.v[i],
					 (unsigned long long)stride_of(
						 b->sizes.v[i]));
	b->repeat = o->repeat ? (unsigned)o->repeat : 1;
	if (o->plot)
		return file_check_output("--plot", o->plot);
	return 0;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* The stub set the bus up before its first sample: read how. */
static int read_setup(struct bench_run *b)
{
	struct bench_setup *su = &b->table.setup;
	uint8_t x[sizeof(struct stub_xspi_setup)];
	int r;

	r = target_read_mem(&b->s->target,
			    STUB_MAILBOX_ADDR +
				    offsetof(struct stub_mailbox, result) +
				    offsetof(struct stub_result, xspi),
			    x, sizeof(x));
	if (r == PSR_ERR_TARGET)
		return out_error(r, "bench: cannot read the stub's clock "
				    "setup: %s",
				 target_error(&b->s->target));
	if (r)
		return r;
	su->clock_hz = le32(x + offsetof(struct stub_xspi_setup, clock_hz));
	su->prescaler = le32(x + offsetof(struct stub_xspi_setup, prescaler));
	su->cs_high_cycles =
		le32(x + offsetof(struct stub_xspi_setup, cs_high_cycles));
	su->sample_shift =
		le32(x + offsetof(struct stub_xspi_setup, sample_shift));
	b->have_setup = 1;
	if (out_json())
		return 0;
	out_progress_end();
	if (b->o->csv)
		bench_csv_header(stdout, su);
	else
		bench_print_header(stdout, su);
	out_progress_begin("bench", b->samples_total);
	return 0;
}

static void show_row(struct bench_run *b, const struct bench_row *row)
{
	const struct bench_setup *su = &b->table.setup;

	if (out_json()) {
		struct json j;

		json_init(&j);
		json_object_begin(&j, NULL);
		bench_json_row(&j, su, row);
		json_object_end(&j);
		json_emit(&j);
		json_release(&j);
		return;
	}
	/* The bar shares the terminal with the rows: off for the row, and
	 * back (after its usual second) for the next one. */
	out_progress_end();
	if (b->o->csv)
		bench_csv_row(stdout, su, row);
	else
		bench_print_row(stdout, su, row);
	out_progress_begin("bench", b->samples_total);
}

/* An impossible figure is an error, never a row (docs/clocks.md). */
static int impossible(struct bench_run *b, const struct bench_row *row)
{
	struct strbuf why;
	int bad;

	sb_init(&why);
	bad = bench_row_impossible(&b->table.setup, row, &why);
	if (bad) {
		out_progress_end();
		out_error(PSR_ERR_CLOCKS,
			  "bench: %s: the timing basis is wrong (the core "
			  "clock or the xSPI clock is not what psramctl "
			  "was told); no figure is given",
			  why.buf);
	}
	sb_release(&why);
	return bad;
}

static int on_record(void *ctx, const struct stub_record *rec)
{
	struct bench_run *b = ctx;
	const struct bench_row *row;
	unsigned op;

	if (rec->type != STUB_REC_SAMPLE || b->failed)
		return b->failed;
	if (!b->have_setup && read_setup(b)) {
		b->failed = 1;
		return 1;
	}
	op = rec->code == STUB_OP_READ ? BENCH_READ : BENCH_WRITE;
	row = bench_table_add(&b->table, op, rec->a, rec->b, rec->c);
	out_progress(++b->samples_done);
	if (row && impossible(b, row))
		return b->failed = 1;
	if (row)
		show_row(b, row);
	return 0;
}

static void set_params(void *ctx, struct stub_params *p)
{
	struct bench_run *b = ctx;

	p->clock_hz = b->asked_hz;
	p->mode = b->mode == WIRE_QPI ? STUB_MODE_QPI : STUB_MODE_SPI;
	p->range_start = (uint32_t)b->range_start;
	p->range_len = (uint32_t)b->range_len;
	p->passes = b->repeat;
	p->ops = b->stub_ops;
	p->size_count = (uint32_t)b->chunk_n;
	for (size_t i = 0; i < b->chunk_n; i++)
		p->sizes[i] = b->sizes.v[b->chunk + i];
}

static int write_plot(struct bench_run *b)
{
	struct strbuf svg;
	char shown[256];
	int r = 0;

	sb_init(&svg);
	if (bench_plot_svg(&b->table, &svg)) {
		sb_release(&svg);
		return out_error(PSR_ERR_TEST_FAILED,
				 "bench: nothing measured to plot");
	}
	r = file_write_output("--plot", b->o->plot, svg.buf, svg.len);
	if (!r && !out_json() && !b->o->csv)
		fprintf(stderr, "psramctl: chart written to %s\n",
			out_printable(b->o->plot, shown, sizeof(shown)));
	sb_release(&svg);
	return r;
}

static void finish_output(struct bench_run *b)
{
	if (out_json()) {
		struct json j;

		json_init(&j);
		json_object_begin(&j, NULL);
		bench_json_summary(&j, &b->table);
		json_object_end(&j);
		json_emit(&j);
		json_release(&j);
	} else if (!b->o->csv) {
		bench_print_footer(stdout, &b->table);
	}
	fflush(stdout);
}

static int run_chunks(struct bench_run *b)
{
	struct stub_run_result res;
	struct stub_run_spec spec;
	int r;

	memset(&res, 0, sizeof(res));
	r = stub_prepare(b->s, &res);
	if (r)
		return r;
	memset(&spec, 0, sizeof(spec));
	spec.command = STUB_CMD_BENCH;
	spec.name = "bench";
	spec.params = set_params;
	spec.record = on_record;
	spec.ctx = b;
	b->samples_total = (unsigned long long)b->sizes.n * b->repeat *
			   (b->ops == 3 ? 2 : 1);
	out_progress_begin("bench", b->samples_total);
	for (b->chunk = 0; b->chunk < b->sizes.n; b->chunk += b->chunk_n) {
		size_t left = b->sizes.n - b->chunk;
		unsigned long long samples;

		b->chunk_n = left < STUB_SIZES_MAX ? left : STUB_SIZES_MAX;
		samples = (unsigned long long)b->chunk_n * b->repeat *
			  (b->ops == 3 ? 2 : 1);
		spec.timeout_ms = b->o->timeout_ms
					  ? (int)b->o->timeout_ms
					  : (int)(RUN_TIMEOUT_MS +
						  samples * SAMPLE_TIMEOUT_MS);
		r = stub_run_loaded(b->s, &spec, &res);
		if (b->failed)
			r = PSR_ERR_TARGET; /* printed where it happened */
		if (!r && res.outcome != STUB_OUTCOME_OK)
			r = out_error(PSR_ERR_STUB_FAILED,
				      "bench: the stub ended with %s",
				      stub_status_name(res.status));
		if (r)
			break;
	}
	out_progress_end();
	return r;
}

/* Options checked before the target is reached (exit 2 for bad input,
 * whatever the link would have said). */
static int check_bench(void *options, int argc, char **argv)
{
	struct bench_run b;

	(void)argv;
	memset(&b, 0, sizeof(b));
	b.o = options;
	return check_options(&b, argc);
}

static int run_bench(struct session *s, void *options, int argc, char **argv)
{
	struct bench_run b;
	struct bench_setup su;
	struct stub_params board;
	uint32_t sp;
	int r;

	(void)argv;
	memset(&b, 0, sizeof(b));
	b.s = s;
	b.o = options;
	r = check_options(&b, argc);
	if (r)
		return r;
	r = stub_params_from_board(&s->vars, &board, &sp);
	if (r)
		return r;
	if (!b.asked_hz)
		b.asked_hz = board.clock_hz;
	if (!b.asked_hz)
		return out_error(PSR_ERR_BOARD_FILE,
				 "the board file sets no PSRAM_CLOCK_MHZ: give "
				 "--clock MHZ");
	{
		char why[96];
		const char *part = stub_chip_part(board.chip);
		uint32_t spec = wire_spec_max_hz(wire_chip_of(board.chip), why,
						 sizeof(why));

		/* The stub takes the fastest prescaler not above the ask. */
		uint32_t div = (uint32_t)((board.kernel_hz + b.asked_hz - 1) /
					  b.asked_hz);
		uint32_t runs = board.kernel_hz / (div ? div : 1);

		if (runs > spec)
			out_warn("bench at %.3f MHz is above %.3f MHz, the "
				 "fastest clock in spec for %s (%s): the "
				 "figures are not a datasheet-compliant setup",
				 runs / 1e6, spec / 1e6,
				 part ? part : "every part of the family", why);
	}
	memset(&su, 0, sizeof(su));
	su.board = session_board_name(s);
	su.chip = stub_chip_part(board.chip);
	su.stub_chip = board.chip;
	su.mode = b.mode;
	su.ops = b.ops;
	su.asked_hz = b.asked_hz;
	su.kernel_hz = board.kernel_hz;
	su.cpu_hz = board.cpu_hz;
	su.repeat = b.repeat;
	su.simulated = session_simulated(s);
	bench_table_init(&b.table, &su, b.sizes.v, b.sizes.n);
	r = run_chunks(&b);
	if (!r) {
		finish_output(&b);
		if (b.o->plot)
			r = write_plot(&b);
	}
	bench_table_free(&b.table);
	return r;
}

const struct command cmd_bench = {
	.name = "bench",
	.summary = "throughput per transfer size against the wire limit",
	.usage = "",
	.description =
		"Resets the MCU (it stays halted) and runs the stub's bench: "
		"for every size,\nback-to-back reads and writes of that many "
		"bytes between RAM and the chip for\nat least 2 ms, timed with "
		"the DWT cycle counter (on psramsim: its virtual\nclock, and "
		"the output says so). Prints MB/s (10^6 bytes/s) per size with "
		"the\nwire limit for the same mode, clock and size, the "
		"fastest a datasheet-compliant\ntransfer can be: bursts as "
		"long as tCEM and the 1 KiB page rule allow, each\npaying "
		"instruction, address and wait clocks and CE# high, nothing "
		"else.\nQPI uses 0xEB/0x38 (4-4-4), SPI 0x03 (0x0B above 33 "
		"MHz)/0x02 (1-1-1).",
	.options = bench_options,
	.options_size = sizeof(struct bench_options),
	.flags = CMD_NEEDS_TARGET,
	.run = run_bench,
	.check = check_bench,
};
