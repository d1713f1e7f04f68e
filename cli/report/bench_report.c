#include "report/bench_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "report/svg_plot.h"

static const char *const op_names[BENCH_OPS] = {"read", "write"};
static const char *const op_colors[BENCH_OPS] = {"#1f77b4", "#d62728"};

const char *bench_mode_name(enum wire_mode mode)
{
	return mode == WIRE_QPI ? "QPI" : "SPI";
}

static enum wire_op wire_op_of(unsigned op)
{
	return op == BENCH_READ ? WIRE_READ : WIRE_WRITE;
}

void bench_table_init(struct bench_table *t, const struct bench_setup *s,
		      const uint32_t *sizes, size_t n)
{
	unsigned repeat = s->repeat ? s->repeat : 1;

	memset(t, 0, sizeof(*t));
	t->setup = *s;
	t->setup.repeat = repeat;
	t->rows = psr_calloc(n ? n : 1, sizeof(*t->rows));
	t->nrows = n;
	for (size_t i = 0; i < n; i++) {
		t->rows[i].size = sizes[i];
		for (unsigned op = 0; op < BENCH_OPS; op++) {
			struct bench_op_result *r = &t->rows[i].op[op];

			r->mb_s = psr_calloc(repeat, sizeof(*r->mb_s));
			r->sample_bytes = psr_calloc(repeat,
						     sizeof(*r->sample_bytes));
			r->sample_cycles = psr_calloc(repeat,
						      sizeof(*r->sample_cycles));
			r->median = NAN;
			r->limit = NAN;
			r->efficiency = NAN;
		}
	}
}

void bench_table_free(struct bench_table *t)
{
	for (size_t i = 0; i < t->nrows; i++)
		for (unsigned op = 0; op < BENCH_OPS; op++) {
			free(t->rows[i].op[op].mb_s);
			free(t->rows[i].op[op].sample_bytes);
			free(t->rows[i].op[op].sample_cycles);
		}
	free(t->rows);
	t->rows = NULL;
	t->nrows = 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void finish_op(const struct bench_setup *s, uint32_t size,
		      unsigned op, struct bench_op_result *r)
{
	double sorted[64], *v = sorted;
	struct wire_limit lim;
	unsigned best = 0;

	if (r->n > sizeof(sorted) / sizeof(sorted[0]))
		v = psr_calloc(r->n, sizeof(*v));
	memcpy(v, r->mb_s, r->n * sizeof(*v));
	qsort(v, r->n, sizeof(*v), cmp_double);
	r->median = r->n % 2 ? v[r->n / 2]
			     : (v[r->n / 2 - 1] + v[r->n / 2]) / 2;
	if (v != sorted)
		free(v);
	for (unsigned i = 1; i < r->n; i++)
		if (fabs(r->mb_s[i] - r->median) <
		    fabs(r->mb_s[best] - r->median))
			best = i;
	r->bytes = r->sample_bytes[best];
	r->cycles = r->sample_cycles[best];
	if (!wire_limit(s->mode, wire_op_of(op), s->clock_hz, size,
			wire_chip_of(s->stub_chip), &lim)) {
		r->limit = lim.bytes_per_s / 1e6;
		r->efficiency = r->median / r->limit;
		r->limit_bursts = lim.bursts;
	}
}

static int row_complete(const struct bench_setup *s, const struct bench_row *r)
{
	for (unsigned op = 0; op < BENCH_OPS; op++)
		if ((s->ops & (1u << op)) && r->op[op].n < s->repeat)
			return 0;
	return 1;
}

const struct bench_row *bench_table_add(struct bench_table *t, unsigned op,
					uint32_t size, uint32_t cycles,
					uint32_t bytes)
{
	const struct bench_setup *s = &t->setup;
	struct bench_row *row = NULL;
	struct bench_op_result *r;

	if (op >= BENCH_OPS || !(s->ops & (1u << op)))
		return NULL;
	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].size == size)
			row = &t->rows[i];
	if (!row)
		return NULL;
	r = &row->op[op];
	if (r->n >= s->repeat)
		return NULL;
	r->sample_bytes[r->n] = bytes;
	r->sample_cycles[r->n] = cycles;
	/* The stub times at least STUB_BENCH_SAMPLE_US: 0 cycles is no
	 * measurement, shown as 0 rather than carried as NaN. */
	r->mb_s[r->n++] = cycles ? (double)bytes * s->cpu_hz / cycles / 1e6
				 : 0.0;
	if (r->n == s->repeat)
		finish_op(s, size, op, r);
	return row_complete(s, row) ? row : NULL;
}

int bench_row_impossible(const struct bench_setup *s,
			 const struct bench_row *r, struct strbuf *why)
{
	static const char *const op_name[BENCH_OPS] = {"read", "write"};

	for (unsigned op = 0; op < BENCH_OPS; op++) {
		const struct bench_op_result *o = &r->op[op];

		if (!(s->ops & (1u << op)))
			continue;
		if (!(o->median > 0)) {
			sb_addf(why, "%s of %u B took no measurable time (%llu "
				     "cycles for %llu bytes)",
				op_name[op], (unsigned)r->size,
				(unsigned long long)o->cycles,
				(unsigned long long)o->bytes);
			return 1;
		}
		if (o->limit > 0 && o->median > o->limit) {
			sb_addf(why, "%s of %u B at %.2f MB/s is above the "
				     "wire limit of %.2f MB/s (%.1f %%) at "
				     "%.3f MHz",
				op_name[op], (unsigned)r->size, o->median,
				o->limit, 100 * o->efficiency,
				s->clock_hz / 1e6);
			return 1;
		}
	}
	return 0;
}

static void frame_text(char *buf, size_t n, const struct bench_setup *s)
{
	struct wire_frame rd, wr;
	const struct psram_part_timing *chip = wire_chip_of(s->stub_chip);

	wire_frame_of(s->mode, WIRE_READ, s->clock_hz, chip, &rd);
	wire_frame_of(s->mode, WIRE_WRITE, s->clock_hz, chip, &wr);
	snprintf(buf, n, "%s %s (read 0x%02X, write 0x%02X)",
		 bench_mode_name(s->mode), rd.lines, rd.opcode, wr.opcode);
}

static void mhz(char *buf, size_t n, uint32_t hz)
{
	snprintf(buf, n, "%.3f MHz", hz / 1e6);
}

void bench_print_header(FILE *f, const struct bench_setup *s)
{
	char frame[64], clk[24], asked[24], ker[24], cpu[24];

	frame_text(frame, sizeof(frame), s);
	mhz(clk, sizeof(clk), s->clock_hz);
	mhz(asked, sizeof(asked), s->asked_hz);
	mhz(ker, sizeof(ker), s->kernel_hz);
	mhz(cpu, sizeof(cpu), s->cpu_hz);
	fprintf(f, "Bench: %s with %s, %s\n", s->board ? s->board : "board",
		s->chip ? s->chip : "unknown chip", frame);
	fprintf(f, "Clock: %s (asked %s; kernel %s / %u), CE# high %u "
		"clocks, sample shift %s; CPU %s\n",
		clk, asked, ker, (unsigned)s->prescaler + 1,
		(unsigned)s->cs_high_cycles, s->sample_shift ? "on" : "off",
		cpu);
	fprintf(f, "Times: %s; median of %u; MB/s = 10^6 bytes/s; limit = "
		"the wire limit\n\n",
		s->simulated ? "modelled by psramsim (its virtual clock)"
			     : "DWT cycle counter",
		s->repeat);
	fprintf(f, "%8s", "SIZE");
	for (unsigned op = 0; op < BENCH_OPS; op++)
		if (s->ops & (1u << op))
			fprintf(f, "  %9s %7s %6s", op == BENCH_READ ? "READ"
								     : "WRITE",
				"LIMIT", "EFF");
	fputs("   (MB/s)\n", f);
}

static void print_value(FILE *f, const char *fmt, double v, int width)
{
	if (isfinite(v))
		fprintf(f, fmt, width, v);
	else
		fprintf(f, "%*s", width, "-");
}

void bench_print_row(FILE *f, const struct bench_setup *s,
		     const struct bench_row *r)
{
	fprintf(f, "%8lu", (unsigned long)r->size);
	for (unsigned op = 0; op < BENCH_OPS; op++) {
		const struct bench_op_result *o = &r->op[op];

		if (!(s->ops & (1u << op)))
			continue;
		fputs("  ", f);
		print_value(f, "%*.2f", o->median, 9);
		fputc(' ', f);
		print_value(f, "%*.2f", o->limit, 7);
		fputc(' ', f);
		if (isfinite(o->efficiency))
			fprintf(f, "%5.1f%%", 100 * o->efficiency);
		else
			fprintf(f, "%6s", "-");
	}
	fputc('\n', f);
	fflush(f);
}

/* Efficiency over the rows of at least `from` bytes: lowest and highest. */
static int efficiency_range(const struct bench_table *t, unsigned op,
			    uint32_t from, double *lo, double *hi)
{
	int any = 0;

	for (size_t i = 0; i < t->nrows; i++) {
		double e = t->rows[i].op[op].efficiency;

		if (t->rows[i].size < from || !isfinite(e))
			continue;
		if (!any || e < *lo)
			*lo = e;
		if (!any || e > *hi)
			*hi = e;
		any = 1;
	}
	return any;
}

void bench_print_footer(FILE *f, const struct bench_table *t)
{
	const struct bench_setup *s = &t->setup;
	const char *sep = "";
	int any = 0;

	for (unsigned op = 0; op < BENCH_OPS; op++) {
		double lo = 0, hi = 0;

		if (!(s->ops & (1u << op)) ||
		    !efficiency_range(t, op, 1024, &lo, &hi))
			continue;
		if (!any)
			fputs("\nEfficiency from 1 KiB up: ", f);
		fprintf(f, "%s%s %.1f-%.1f%%", sep, op_names[op], 100 * lo,
			100 * hi);
		sep = ", ";
		any = 1;
	}
	if (any)
		fputc('\n', f);
	fputs("The wire limit counts bus clocks only: bursts as long as tCEM "
	      "and the page rule\nallow, each paying instruction, address and "
	      "wait clocks, nCS setup and hold\nand CE# high. The rest is "
	      "software: per transfer and between bursts.\n",
	      f);
}

void bench_csv_header(FILE *f, const struct bench_setup *s)
{
	fputs("size", f);
	for (unsigned op = 0; op < BENCH_OPS; op++)
		if (s->ops & (1u << op))
			fprintf(f, ",%s_mb_s,%s_limit_mb_s,%s_efficiency",
				op_names[op], op_names[op], op_names[op]);
	fputc('\n', f);
}

static void csv_value(FILE *f, double v, int decimals)
{
	if (isfinite(v))
		fprintf(f, ",%.*f", decimals, v);
	else
		fputc(',', f);
}

void bench_csv_row(FILE *f, const struct bench_setup *s,
		   const struct bench_row *r)
{
	fprintf(f, "%lu", (unsigned long)r->size);
	for (unsigned op = 0; op < BENCH_OPS; op++) {
		const struct bench_op_result *o = &r->op[op];

		if (!(s->ops & (1u << op)))
			continue;
		csv_value(f, o->median, 3);
		csv_value(f, o->limit, 3);
		csv_value(f, o->efficiency, 4);
	}
	fputc('\n', f);
	fflush(f);
}

void bench_json_row(struct json *j, const struct bench_setup *s,
		    const struct bench_row *r)
{
	json_string(j, "type", "bench-size");
	json_uint(j, "size", r->size);
	for (unsigned op = 0; op < BENCH_OPS; op++) {
		const struct bench_op_result *o = &r->op[op];

		if (!(s->ops & (1u << op)))
			continue;
		json_object_begin(j, op_names[op]);
		json_double(j, "mb_s", o->median, 3);
		json_double(j, "limit_mb_s", o->limit, 3);
		json_double(j, "efficiency", o->efficiency, 4);
		json_uint(j, "samples", o->n);
		json_uint(j, "bytes", o->bytes);
		json_uint(j, "cycles", o->cycles);
		json_uint(j, "limit_bursts", o->limit_bursts);
		json_object_end(j);
	}
}

/* The wire limit's longest burst in bytes (0: none fits in tCEM). */
static uint32_t burst_max(const struct bench_setup *s, enum wire_op op)
{
	struct wire_limit lim;

	if (wire_limit(s->mode, op, s->clock_hz, 1, wire_chip_of(s->stub_chip),
		       &lim))
		return 0;
	return lim.burst_max;
}

void bench_json_summary(struct json *j, const struct bench_table *t)
{
	const struct bench_setup *s = &t->setup;
	const struct psram_part_timing *chip = wire_chip_of(s->stub_chip);
	struct wire_frame rd, wr;
	char hex[8];

	wire_frame_of(s->mode, WIRE_READ, s->clock_hz, chip, &rd);
	wire_frame_of(s->mode, WIRE_WRITE, s->clock_hz, chip, &wr);
	json_string(j, "type", "bench");
	if (s->board)
		json_string(j, "board", s->board);
	if (s->chip)
		json_string(j, "chip", s->chip);
	json_string(j, "mode", s->mode == WIRE_QPI ? "qpi" : "spi");
	json_string(j, "lines", rd.lines);
	snprintf(hex, sizeof(hex), "0x%02x", rd.opcode);
	json_string(j, "read_cmd", hex);
	snprintf(hex, sizeof(hex), "0x%02x", wr.opcode);
	json_string(j, "write_cmd", hex);
	json_uint(j, "clock_hz", s->clock_hz);
	json_uint(j, "asked_hz", s->asked_hz);
	json_uint(j, "kernel_hz", s->kernel_hz);
	json_uint(j, "prescaler", s->prescaler);
	json_uint(j, "cs_high_cycles", s->cs_high_cycles);
	json_uint(j, "read_header_cycles", rd.header_cycles);
	json_uint(j, "write_header_cycles", wr.header_cycles);
	json_uint(j, "read_burst_max", burst_max(s, WIRE_READ));
	json_uint(j, "write_burst_max", burst_max(s, WIRE_WRITE));
	json_bool(j, "sample_shift", s->sample_shift != 0);
	json_uint(j, "cpu_hz", s->cpu_hz);
	json_uint(j, "repeat", s->repeat);
	json_bool(j, "simulated", s->simulated);
	json_uint(j, "sizes", t->nrows);
}

int bench_plot_svg(const struct bench_table *t, struct strbuf *out)
{
	const struct bench_setup *s = &t->setup;
	struct svg_series series[2 * BENCH_OPS];
	double *x = psr_calloc(t->nrows ? t->nrows : 1, sizeof(*x));
	double *y[2 * BENCH_OPS];
	char subtitle[200], frame[64], names[2 * BENCH_OPS][32];
	size_t ns = 0;
	struct svg_plot p;
	int r;

	for (size_t i = 0; i < t->nrows; i++)
		x[i] = t->rows[i].size;
	for (unsigned op = 0; op < BENCH_OPS; op++) {
		if (!(s->ops & (1u << op)))
			continue;
		for (int limit = 0; limit < 2; limit++) {
			double *v = psr_calloc(t->nrows ? t->nrows : 1,
					       sizeof(*v));

			for (size_t i = 0; i < t->nrows; i++)
				v[i] = limit ? t->rows[i].op[op].limit
					     : t->rows[i].op[op].median;
			snprintf(names[ns], sizeof(names[ns]), "%s%s",
				 limit ? "wire limit, " : "", op_names[op]);
			y[ns] = v;
			series[ns] = (struct svg_series){
				.name = names[ns],
				.color = op_colors[op],
				.dashed = limit,
				.markers = !limit,
				.x = x,
				.y = v,
				.n = t->nrows,
			};
			ns++;
		}
	}
	frame_text(frame, sizeof(frame), s);
	snprintf(subtitle, sizeof(subtitle), "%s, %s, %s, %.3f MHz, CPU %.0f MHz",
		 s->board ? s->board : "board", s->chip ? s->chip : "PSRAM",
		 frame, s->clock_hz / 1e6, s->cpu_hz / 1e6);
	memset(&p, 0, sizeof(p));
	p.title = "PSRAM throughput by transfer size";
	p.subtitle = subtitle;
	p.note = s->simulated
			 ? "Times modelled by psramsim (virtual clock). Dashed: "
			   "the wire limit, datasheet-compliant bursts with no "
			   "software in between."
			 : "Times from the DWT cycle counter. Dashed: the wire "
			   "limit, datasheet-compliant bursts with no software "
			   "in between.";
	p.x_label = "transfer size (bytes)";
	p.y_label = "throughput (MB/s)";
	p.x_binary_units = 1;
	p.series = series;
	p.nseries = ns;
	r = svg_plot_render(&p, out);
	for (size_t i = 0; i < ns; i++)
		free(y[i]);
	free(x);
	return r;
}
