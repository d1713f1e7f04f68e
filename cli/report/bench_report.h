/* What `psramctl bench` makes of the stub's SAMPLE records: throughput per
 * size and op (the median over the repeats), the wire limit for the same
 * mode, clock and size (wire_limit.h), the efficiency, and the four ways
 * to show them: a table, CSV, JSON lines and an SVG chart. Pure: the
 * printing functions take the stream. MB/s are 10^6 bytes per second.
 *
 * --json lines (README.md):
 *   {"type":"bench-size","size","read":{"mb_s","limit_mb_s","efficiency",
 *    "samples","bytes","cycles","limit_bursts"},"write":{...}}
 *                                                  per size, as it comes
 *   {"type":"bench","board","chip","mode","lines","read_cmd","write_cmd",
 *    "clock_hz","asked_hz","kernel_hz","prescaler","cs_high_cycles",
 *    "read_header_cycles","write_header_cycles","read_burst_max",
 *    "write_burst_max","sample_shift","cpu_hz","repeat","simulated",
 *    "sizes":N}  at the end; the header cycles and the longest burst
 *    (bytes) are the wire limit's, limit_bursts its bursts for the size */
#ifndef CLI_BENCH_REPORT_H
#define CLI_BENCH_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "report/json.h"
#include "util/strbuf.h"
#include "parts/wire_limit.h"

enum { BENCH_READ, BENCH_WRITE, BENCH_OPS };

/* How the run was set up, for the headings and the limit. */
struct bench_setup {
	const char *board;     /* "devebox-h750" */
	const char *chip;      /* "ESP-PSRAM64H" */
	uint32_t stub_chip;    /* enum stub_chip: the limits */
	enum wire_mode mode;
	unsigned ops;          /* bit BENCH_READ / BENCH_WRITE */
	uint32_t clock_hz;     /* achieved */
	uint32_t asked_hz;
	uint32_t kernel_hz;
	uint32_t prescaler;
	uint32_t cs_high_cycles;
	uint32_t sample_shift;
	uint32_t cpu_hz;       /* DWT cycles per second */
	unsigned repeat;
	int simulated;         /* times come from psramsim's virtual clock */
};

struct bench_op_result {
	unsigned n;         /* samples so far */
	double *mb_s;       /* n of them, as they came */
	uint32_t *sample_bytes;
	uint32_t *sample_cycles;
	uint64_t bytes;     /* of the sample nearest the median */
	uint64_t cycles;
	double median;      /* MB/s */
	double limit;       /* MB/s; NaN when the model has no answer */
	double efficiency;  /* median / limit */
	uint32_t limit_bursts; /* CE# low periods of the wire limit */
};

struct bench_row {
	uint32_t size;
	struct bench_op_result op[BENCH_OPS];
};

struct bench_table {
	struct bench_setup setup;
	struct bench_row *rows;
	size_t nrows;
};

/* Rows for sizes[0..n) (ascending), with room for `repeat` samples of each
 * op. bench_table_free releases them. */
void bench_table_init(struct bench_table *t, const struct bench_setup *s,
		      const uint32_t *sizes, size_t n);
void bench_table_free(struct bench_table *t);
/* Adds one SAMPLE (size, DWT cycles, bytes). Returns the row once it is
 * complete (every op asked for has `repeat` samples, the medians and the
 * limits worked out), NULL otherwise or for a size not in the table. */
const struct bench_row *bench_table_add(struct bench_table *t, unsigned op,
					uint32_t size, uint32_t cycles,
					uint32_t bytes);

/* An impossible figure in a complete row: a throughput of zero or less
 * (no time measured, or a wrapped count) or above the wire limit (an
 * efficiency over 100 %). Either says the timing basis is wrong, never
 * that the chip is fast. Returns 1 with one line saying which in why. */
int bench_row_impossible(const struct bench_setup *s,
			 const struct bench_row *r, struct strbuf *why);

/* The command each mode and op uses (wire_limit.h), as "0xEB". */
const char *bench_mode_name(enum wire_mode mode);

void bench_print_header(FILE *f, const struct bench_setup *s);
void bench_print_row(FILE *f, const struct bench_setup *s,
		     const struct bench_row *r);
void bench_print_footer(FILE *f, const struct bench_table *t);

void bench_csv_header(FILE *f, const struct bench_setup *s);
void bench_csv_row(FILE *f, const struct bench_setup *s,
		   const struct bench_row *r);

/* Members of the two JSON objects (the caller opens and emits them). */
void bench_json_row(struct json *j, const struct bench_setup *s,
		    const struct bench_row *r);
void bench_json_summary(struct json *j, const struct bench_table *t);

/* The chart: throughput against block size, read and write, the wire
 * limit of each dashed, titled with board, chip, mode and clock.
 * Returns 0, or -1 when no row has a value. */
int bench_plot_svg(const struct bench_table *t, struct strbuf *out);

#endif
