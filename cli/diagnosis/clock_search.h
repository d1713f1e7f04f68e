/* The clock search that `verify` and `margin` share: the stub's margin
 * command (data written and read back within pages, and bursts across a
 * page boundary) at one clock of the prescaler ladder (parts/prescaler.h),
 * and verify's walks along that ladder: up from the test clock until a
 * point fails, and down until data pass.
 *
 * Each point is a stub run of its own on a loaded target (stub_run.h). */
#ifndef CLI_CLOCK_SEARCH_H
#define CLI_CLOCK_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "diagnosis/diagnose.h"

struct session;

/* One point as asked for. */
struct clock_probe {
	uint32_t hz;		/* the stub takes the fastest step not above */
	uint32_t mode;		/* STUB_MODE_QPI or STUB_MODE_SPI */
	uint32_t sample_shift;	/* STUB_SSHIFT_* */
	uint32_t start, len;	/* len 0: the board file's range */
	uint32_t seed;
	int timeout_ms;
};

/* What the stub measured there; bytes, `first` the offset of the first
 * wrong one. page_checked 0: the page-crossing test did not run. */
struct clock_probe_result {
	uint32_t clock_hz, prescaler;	/* achieved */
	int got_data;			/* the data record arrived */
	uint32_t data_checked, data_wrong, data_first;
	uint32_t page_checked, page_wrong, page_first;
};

/* Runs the point. Returns 0 or the stub run's error. */
int clock_probe_run(struct session *s, const struct clock_probe *ask,
		    struct clock_probe_result *out);

/* verify's search: every point in one mode, range and seed, kept in `ck`
 * once per achieved clock. */
struct clock_search {
	struct session *s;
	uint32_t mode;		/* STUB_MODE_*; the sample shift is auto */
	uint32_t start, len, seed;
	int timeout_ms;
	struct diag_clock *ck;
};

/* One clock: *out is its point (measured now or before), NULL when the
 * data record did not arrive or ck is full. */
int clock_search_point(struct clock_search *cs, uint32_t hz,
		       const struct diag_clock_point **out);

/* Down the ladder hz[0..n) (slow to fast) from the first step below
 * below_hz, at most max_down steps, until data pass: *safe is that clock,
 * 0 when none did. */
int clock_search_slower(struct clock_search *cs, const uint32_t *hz, size_t n,
			uint32_t below_hz, unsigned max_down, uint32_t *safe);

/* Up the ladder from hz[at] until a point fails (data or page crossing):
 * *best the fastest that passed, *worst the first that failed (0: none
 * failed). When none passed, down from below hz[at], at most max_down
 * steps, until one does. */
int clock_search_limit(struct clock_search *cs, const uint32_t *hz, size_t n,
		       size_t at, unsigned max_down, uint32_t *best,
		       uint32_t *worst);

#endif
