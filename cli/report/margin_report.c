#include "report/margin_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

/* The stub's automatic sample shift turns on above this (quadspi.c). */
#define SSHIFT_AUTO_HZ 50000000u

static int data_ok(const struct margin_point *p)
{
	return p->data_checked && !p->data_wrong;
}

static int page_ok(const struct margin_point *p)
{
	return !p->page_checked || !p->page_wrong;
}

int margin_point_pass(const struct margin_point *p)
{
	return data_ok(p) && page_ok(p);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The distinct clocks, ascending; the caller frees. */
static size_t clocks_of(const struct margin_point *pts, size_t n,
			uint32_t **out)
{
	uint32_t *c = psr_calloc(n ? n : 1, sizeof(*c));
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		size_t j;

		for (j = 0; j < k && c[j] != pts[i].clock_hz; j++)
			;
		if (j == k)
			c[k++] = pts[i].clock_hz;
	}
	qsort(c, k, sizeof(*c), cmp_u32);
	*out = c;
	return k;
}

static int any_at(const struct margin_point *pts, size_t n, uint32_t hz,
		  int (*test)(const struct margin_point *))
{
	for (size_t i = 0; i < n; i++)
		if (pts[i].clock_hz == hz && test(&pts[i]))
			return 1;
	return 0;
}

/* The page test at a clock, among the points whose data passed: 1 pass,
 * 0 fail, -1 not run or no such point. */
static int page_state(const struct margin_point *pts, size_t n, uint32_t hz)
{
	int state = -1;

	for (size_t i = 0; i < n; i++) {
		const struct margin_point *p = &pts[i];

		if (p->clock_hz != hz || !data_ok(p) || !p->page_checked)
			continue;
		if (!p->page_wrong)
			return 1;
		state = 0;
	}
	return state;
}

static int pick_sshift(const struct margin_point *pts, size_t n, uint32_t hz)
{
	int want = hz > SSHIFT_AUTO_HZ;

	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++)
			if (pts[i].clock_hz == hz &&
			    (pass || pts[i].sample_shift == want) &&
			    margin_point_pass(&pts[i]))
				return pts[i].sample_shift;
	return want;
}

void margin_summarize(const struct margin_point *pts, size_t n,
		      struct margin_summary *out)
{
	uint32_t *clk;
	size_t k = clocks_of(pts, n, &clk), i;

	memset(out, 0, sizeof(*out));
	if (!k) {
		free(clk);
		return;
	}
	out->min_hz = clk[0];
	out->max_hz = clk[k - 1];
	for (i = 0; i < k && any_at(pts, n, clk[i], margin_point_pass); i++)
		out->max_pass_hz = clk[i];
	for (i = 0; i < k && any_at(pts, n, clk[i], data_ok); i++)
		out->data_max_hz = clk[i];
	out->clock_limit = out->data_max_hz != out->max_hz;
	for (i = 0; i < k; i++) {
		int st = page_state(pts, n, clk[i]);

		if (st == 0) {
			out->page_cross = 1;
			break;
		}
		if (st == 1)
			out->page_max_hz = clk[i];
	}
	out->all_pass = out->max_pass_hz == out->max_hz;
	if (out->all_pass) {
		out->recommended_hz = out->max_hz;
	} else {
		for (i = 1; i < k; i++)
			if (clk[i] == out->max_pass_hz)
				out->recommended_hz = clk[i - 1];
	}
	if (out->recommended_hz)
		out->recommended_sshift =
			pick_sshift(pts, n, out->recommended_hz);
	free(clk);
}

static const char *mode_text(enum wire_mode mode)
{
	return mode == WIRE_QPI ? "QPI 4-4-4 (read 0xEB, write 0x38)"
				: "SPI 1-1-1 (read 0x03 up to 33 MHz, 0x0B "
				  "above; write 0x02)";
}

void margin_print_header(FILE *f, const struct margin_setup *s)
{
	fprintf(f, "Margin: %s with %s, %s\n", s->board ? s->board : "board",
		s->chip ? s->chip : "unknown chip", mode_text(s->mode));
	fprintf(f, "Each point: data written and read back in bursts within "
		"a page, and bursts\nacross a page boundary (where the "
		"datasheets allow it, up to 84 MHz).%s\n\n",
		s->simulated ? " Simulated board (psramsim)." : "");
	fprintf(f, "%12s %5s   %-22s %s\n", "CLOCK", "DIV", "SAMPLE SHIFT OFF",
		"SAMPLE SHIFT ON");
	fflush(f);
}

static void cell(char *buf, size_t n, const struct margin_point *p)
{
	if (!p) {
		snprintf(buf, n, "-");
	} else if (margin_point_pass(p)) {
		snprintf(buf, n, "pass%s", p->page_checked ? "" : " (no page)");
	} else if (!data_ok(p)) {
		snprintf(buf, n, "FAIL data %lu/%lu",
			 (unsigned long)p->data_wrong,
			 (unsigned long)p->data_checked);
	} else {
		snprintf(buf, n, "FAIL page %lu/%lu",
			 (unsigned long)p->page_wrong,
			 (unsigned long)p->page_checked);
	}
}

void margin_print_row(FILE *f, const struct margin_point *off,
		      const struct margin_point *on)
{
	const struct margin_point *any = off ? off : on;
	char a[40], b[40];

	if (!any)
		return;
	cell(a, sizeof(a), off);
	cell(b, sizeof(b), on);
	fprintf(f, "%8.3f MHz %5lu   %-22s %s\n", any->clock_hz / 1e6,
		(unsigned long)any->prescaler + 1, a, b);
	fflush(f);
}

void margin_print_summary(FILE *f, const struct margin_summary *sum)
{
	fputc('\n', f);
	if (!sum->max_hz) {
		fputs("No point was measured.\n", f);
		return;
	}
	/* No passing clock at all has no "above": the data fail from the
	 * slowest clock tested on. */
	if (sum->clock_limit && sum->data_max_hz)
		fprintf(f, "Data fail above %.3f MHz (clock-limit).\n",
			sum->data_max_hz / 1e6);
	else if (sum->clock_limit)
		fprintf(f, "Data fail at every clock tested, from %.3f MHz "
			"(clock-limit).\n",
			sum->min_hz / 1e6);
	if (sum->page_cross)
		fprintf(f, "Bursts across a page fail above %.3f MHz "
			"(page-cross).\n",
			sum->page_max_hz / 1e6);
	if (sum->all_pass)
		fprintf(f, "Passes at every clock up to %.3f MHz, the highest "
			"tested.\n",
			sum->max_hz / 1e6);
	else if (sum->max_pass_hz)
		fprintf(f, "Highest clock passing: %.3f MHz.\n",
			sum->max_pass_hz / 1e6);
	else
		fprintf(f, "Fails already at %.3f MHz, the slowest clock "
			"tested.\n",
			sum->min_hz / 1e6);
	/* Above 84 MHz only in-page bursts are tested (and allowed): the
	 * two limits are told apart, as on a 216 MHz STM32F7 whose 108 MHz
	 * works within pages only. */
	if (sum->page_max_hz && !sum->page_cross &&
	    sum->max_pass_hz > sum->page_max_hz)
		fprintf(f, "Within a page: passes up to %.3f MHz. Across a "
			"page boundary: passes up to %.3f MHz, the fastest "
			"clock tested there (the datasheets allow crossing up "
			"to 84 MHz); above it every burst must stay within "
			"one 1 KiB page.\n",
			sum->max_pass_hz / 1e6, sum->page_max_hz / 1e6);
	if (sum->recommended_hz)
		fprintf(f, "Recommended%s: %.3f MHz (sample shift %s)%s.\n",
			sum->all_pass ? "" : ", one prescaler step below",
			sum->recommended_hz / 1e6,
			sum->recommended_sshift ? "on" : "off",
			sum->page_max_hz &&
					sum->recommended_hz > sum->page_max_hz
				? ", within pages only"
				: "");
	else
		fputs("No clock passes with a step of margin.\n", f);
	if (sum->spec_max_hz)
		fprintf(f, "In spec up to %.3f MHz (%s)%s.\n",
			sum->spec_max_hz / 1e6, sum->spec_why,
			sum->spec_limited ? "; faster clocks pass here but "
					    "are outside the datasheet"
					  : "");
	fflush(f);
}

void margin_limit_to_spec(const struct margin_point *pts, size_t n,
			  uint32_t spec_hz, const char *why,
			  struct margin_summary *out)
{
	uint32_t *clk, best = 0;
	size_t k = clocks_of(pts, n, &clk);

	out->spec_max_hz = spec_hz;
	snprintf(out->spec_why, sizeof(out->spec_why), "%s", why ? why : "");
	if (out->recommended_hz > spec_hz) {
		for (size_t i = 0; i < k; i++)
			if (clk[i] <= spec_hz && clk[i] <= out->max_pass_hz &&
			    any_at(pts, n, clk[i], margin_point_pass))
				best = clk[i];
		out->recommended_hz = best;
		out->spec_limited = 1;
		if (best)
			out->recommended_sshift = pick_sshift(pts, n, best);
	}
	free(clk);
}

void margin_json_point(struct json *j, const struct margin_point *p)
{
	json_string(j, "type", "margin-point");
	json_uint(j, "clock_hz", p->clock_hz);
	json_uint(j, "prescaler", p->prescaler);
	json_bool(j, "sample_shift", p->sample_shift);
	json_object_begin(j, "data");
	json_uint(j, "checked", p->data_checked);
	json_uint(j, "wrong", p->data_wrong);
	json_object_end(j);
	if (p->page_checked) {
		json_object_begin(j, "page");
		json_uint(j, "checked", p->page_checked);
		json_uint(j, "wrong", p->page_wrong);
		json_object_end(j);
	} else {
		json_double(j, "page", NAN, 0); /* null: not run */
	}
	json_bool(j, "pass", margin_point_pass(p));
}

void margin_json_summary(struct json *j, const struct margin_setup *s,
			 size_t npoints, const struct margin_summary *sum)
{
	json_string(j, "type", "margin");
	if (s->board)
		json_string(j, "board", s->board);
	if (s->chip)
		json_string(j, "chip", s->chip);
	json_string(j, "mode", s->mode == WIRE_QPI ? "qpi" : "spi");
	json_uint(j, "kernel_hz", s->kernel_hz);
	json_uint(j, "min_hz", sum->min_hz);
	json_uint(j, "max_hz", sum->max_hz);
	json_uint(j, "points", npoints);
	json_bool(j, "pass", sum->all_pass);
	json_uint(j, "max_pass_hz", sum->max_pass_hz);
	json_uint(j, "data_max_hz", sum->data_max_hz);
	json_uint(j, "page_cross_max_hz", sum->page_max_hz);
	json_uint(j, "recommended_hz", sum->recommended_hz);
	json_bool(j, "recommended_sample_shift", sum->recommended_sshift);
	if (sum->spec_max_hz) {
		json_uint(j, "spec_max_hz", sum->spec_max_hz);
		json_string(j, "spec_limit", sum->spec_why);
	}
	json_bool(j, "simulated", s->simulated);
	json_array_begin(j, "faults");
	if (sum->clock_limit) {
		json_object_begin(j, NULL);
		json_string(j, "kind", "clock-limit");
		json_double(j, "max_mhz", sum->data_max_hz / 1e6, 3);
		json_object_end(j);
	}
	if (sum->page_cross) {
		json_object_begin(j, NULL);
		json_string(j, "kind", "page-cross");
		json_double(j, "max_mhz", sum->page_max_hz / 1e6, 3);
		json_object_end(j);
	}
	json_array_end(j);
}
