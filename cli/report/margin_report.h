/* What `psramctl margin` makes of its sweep: one point per prescaler and
 * sample shift (the stub's MARGIN records), the pass/fail map, the
 * highest clock that passes, the faults in the vocabulary of
 * docs/architecture.md §5
 * (clock-limit, page-cross) and the clock to use with one prescaler step
 * of margin. Pure: the printing functions take the stream.
 *
 * A clock passes when, with either sample shift, the data test and (up to
 * 84 MHz, where a burst may cross a page) the page-crossing test find no
 * wrong byte. The highest clock passing is the top of the run of passing
 * clocks from the slowest up; the recommended clock is one step below it,
 * or the top of the sweep when everything passes (nothing failed to keep
 * a margin from).
 *
 * --json lines (README.md):
 *   {"type":"margin-point","clock_hz","prescaler","sample_shift",
 *    "data":{"checked","wrong"},"page":{"checked","wrong"} or
 *    "page":null (not run above 84 MHz),"pass"}       per point
 *   {"type":"margin","board","chip","mode","kernel_hz","min_hz","max_hz",
 *    "points","pass","max_pass_hz","data_max_hz","page_cross_max_hz",
 *    "recommended_hz","recommended_sample_shift",
 *    "faults":[{"kind":"clock-limit","max_mhz"},
 *              {"kind":"page-cross","max_mhz"}]}      at the end */
#ifndef CLI_MARGIN_REPORT_H
#define CLI_MARGIN_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report/json.h"
#include "parts/wire_limit.h"

struct margin_point {
	uint32_t clock_hz;  /* achieved */
	uint32_t prescaler;
	int sample_shift;   /* 0 off, 1 on */
	uint32_t data_checked, data_wrong, data_first;
	uint32_t page_checked, page_wrong, page_first; /* checked 0: not run */
};

struct margin_setup {
	const char *board;
	const char *chip;
	enum wire_mode mode;
	uint32_t kernel_hz;
	int simulated;
};

struct margin_summary {
	uint32_t min_hz, max_hz;   /* the sweep */
	uint32_t max_pass_hz;      /* 0: not even the slowest clock */
	uint32_t data_max_hz;      /* top of the data test's passing run */
	uint32_t page_max_hz;      /* top of the page test's, where it ran */
	uint32_t recommended_hz;   /* 0: nothing passes with margin */
	int recommended_sshift;
	int all_pass;
	int clock_limit;           /* the data test fails within the sweep */
	int page_cross;            /* crossing fails where data pass */
	/* margin_limit_to_spec: the fastest clock in spec and what limits
	 * it; spec_limited when the recommendation was lowered to it. */
	uint32_t spec_max_hz;
	char spec_why[112];
	int spec_limited;
};

int margin_point_pass(const struct margin_point *p);
/* pts in any order; both sample shifts of a clock count as one clock. */
void margin_summarize(const struct margin_point *pts, size_t n,
		      struct margin_summary *out);

/* A recommendation is only ever a clock in spec: lowers it to the
 * fastest passing clock not above spec_hz (the part's datasheet with the
 * controller's nCS framing, wire_spec_max_hz), saying why. */
void margin_limit_to_spec(const struct margin_point *pts, size_t n,
			  uint32_t spec_hz, const char *why,
			  struct margin_summary *out);

/* The map: the heading, a row per clock as its points come in (off and
 * on may be NULL when a sample shift was not tested), the summary. */
void margin_print_header(FILE *f, const struct margin_setup *s);
void margin_print_row(FILE *f, const struct margin_point *off,
		      const struct margin_point *on);
void margin_print_summary(FILE *f, const struct margin_summary *sum);

void margin_json_point(struct json *j, const struct margin_point *p);
void margin_json_summary(struct json *j, const struct margin_setup *s,
			 size_t npoints, const struct margin_summary *sum);

#endif
