/* psramctl margin: how fast does this board's chip really go? Sweeps the
 * xSPI prescaler from the slowest clock asked for up to the fastest the
 * kernel clock (and the chip's datasheet) allow, each with the sample
 * shift off and on, and at each point runs the stub's margin command: a
 * short data test within pages and a page-crossing test. Prints the
 * pass/fail map, the highest clock that passes, the faults
 * (clock-limit, page-cross) and the clock to use with a prescaler step
 * of margin (margin_report.h).
 *
 * The stub is loaded once; each point is a run of its own, starting from
 * a reset chip.
 *
 * Exit status 0 when every point passes, 1 when the sweep found a
 * failing clock, 2 for bad options, 3 when the stub could not run. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "cli.h"
#include "diagnosis/clock_search.h"
#include "util/error.h"
#include "report/json.h"
#include "report/margin_report.h"
#include "report/output.h"
#include "link/session.h"
#include "parts/prescaler.h"
#include "stub/stub_params.h"
#include "stub/stub_run.h"

#define DEFAULT_MIN_HZ 8000000u
#define POINT_TIMEOUT_MS 15000

/* --sample-shift (OPT_ENUM), in the order of shift_sets[]. */
#define SHIFT_CHOICES "both|off|on"

struct margin_options {
	int mode;		/* WIRE_MODE_CHOICES */
	uint32_t min_hz;	/* 0: DEFAULT_MIN_HZ */
	uint32_t max_hz;	/* 0: the kernel clock and the chip's limit */
	int sample_shift;	/* SHIFT_CHOICES */
	unsigned long long timeout_ms;
};

static const struct opt margin_options[] = {
	{"mode", 0, OPT_ENUM, offsetof(struct margin_options, mode),
	 WIRE_MODE_CHOICES, "4-4-4 commands (qpi, the default) or 1-1-1 (spi)",
	 0, 0},
	{"min", 0, OPT_MHZ, offsetof(struct margin_options, min_hz), "MHZ",
	 "slowest clock to test (default 8)", OPT_CLOCK_MIN_HZ,
	 OPT_CLOCK_MAX_HZ},
	{"max", 0, OPT_MHZ, offsetof(struct margin_options, max_hz), "MHZ",
	 "fastest clock to test (default: the fastest the kernel clock "
	 "and the chip's timing allow)",
	 OPT_CLOCK_MIN_HZ, OPT_CLOCK_MAX_HZ},
	{"sample-shift", 0, OPT_ENUM,
	 offsetof(struct margin_options, sample_shift), SHIFT_CHOICES,
	 "sample shift off and on (both, the default), or one of them", 0, 0},
	{"timeout", 0, OPT_UINT, offsetof(struct margin_options, timeout_ms),
	 "MS", "give each point this long (default 15000)", 100, 3600000},
	OPT_END,
};

struct margin_run {
	struct session *s;
	enum wire_mode mode;
	struct margin_point *pts;
	size_t npts;
};

static int parse_options(const struct margin_options *o, int argc,
			 enum wire_mode *mode, uint32_t *min_hz,
			 uint32_t *max_hz, unsigned *shifts)
{
	/* Bit 0: shift off, bit 1: shift on; indexed by SHIFT_CHOICES. */
	static const unsigned shift_sets[] = {3, 1, 2};

	*mode = wire_mode_of_choice(o->mode);
	*min_hz = o->min_hz ? o->min_hz : DEFAULT_MIN_HZ;
	*max_hz = o->max_hz;
	*shifts = shift_sets[o->sample_shift];
	if (argc)
		return out_error(PSR_ERR_USAGE, "'margin' takes no arguments");
	if (*max_hz && *max_hz < *min_hz)
		return out_error(PSR_ERR_USAGE, "--max is below --min");
	return 0;
}

static const struct margin_point *find(const struct margin_run *m,
				       uint32_t hz, int sshift)
{
	for (size_t i = 0; i < m->npts; i++)
		if (m->pts[i].clock_hz == hz && m->pts[i].sample_shift == sshift)
			return &m->pts[i];
	return NULL;
}

static void show_point(const struct margin_run *m,
		       const struct margin_point *p)
{
	struct json j;

	if (!out_json())
		return;
	json_init(&j);
	json_object_begin(&j, NULL);
	margin_json_point(&j, p);
	json_object_end(&j);
	json_emit(&j);
	json_release(&j);
	(void)m;
}

/* One point: the stub's margin command (clock_search.h) at `hz` (asked;
 * it may settle one step slower) and the sample shift. Returns 0 and adds
 * the point unless it repeats one already measured. */
static int run_point(struct margin_run *m, int timeout_ms, uint32_t hz,
		     int sshift)
{
	struct clock_probe ask;
	struct clock_probe_result got;
	struct margin_point *pt;
	int r;

	memset(&ask, 0, sizeof(ask));
	ask.hz = hz;
	ask.mode = m->mode == WIRE_QPI ? STUB_MODE_QPI : STUB_MODE_SPI;
	ask.sample_shift = sshift ? STUB_SSHIFT_ON : STUB_SSHIFT_OFF;
	ask.seed = hz ^ (uint32_t)m->npts;
	ask.timeout_ms = timeout_ms;
	r = clock_probe_run(m->s, &ask, &got);
	if (r)
		return r;
	if (find(m, got.clock_hz, sshift))
		return 0;
	pt = &m->pts[m->npts++];
	pt->clock_hz = got.clock_hz;
	pt->prescaler = got.prescaler;
	pt->sample_shift = sshift;
	pt->data_checked = got.data_checked;
	pt->data_wrong = got.data_wrong;
	pt->data_first = got.data_first;
	pt->page_checked = got.page_checked;
	pt->page_wrong = got.page_wrong;
	pt->page_first = got.page_first;
	show_point(m, pt);
	return 0;
}

static int sweep(struct margin_run *m, const struct margin_options *o,
		 uint32_t kernel_hz, uint32_t min_hz, uint32_t max_hz,
		 unsigned shifts)
{
	struct stub_run_result prep;
	int timeout_ms = o->timeout_ms ? (int)o->timeout_ms : POINT_TIMEOUT_MS;
	uint32_t last_row = 0, hz[XSPI_PRESCALERS];
	size_t n = prescaler_ladder(kernel_hz, min_hz, max_hz, hz,
				    XSPI_PRESCALERS);
	unsigned total = (unsigned)n * (shifts == 3 ? 2 : 1), done = 0;
	int r = 0;

	if (!total)
		return out_error(PSR_ERR_USAGE,
				 "no prescaler of the %.3f MHz kernel clock "
				 "gives a clock from %.3f to %.3f MHz",
				 kernel_hz / 1e6, min_hz / 1e6, max_hz / 1e6);
	memset(&prep, 0, sizeof(prep));
	r = stub_prepare(m->s, &prep);
	if (r)
		return r;
	out_progress_begin("margin", total);
	/* From slow to fast: a chip that gives up at speed has shown what
	 * it does below first. */
	for (size_t i = 0; i < n; i++) {
		for (int sshift = 0; sshift < 2; sshift++) {
			if (!(shifts & (1u << sshift)))
				continue;
			r = run_point(m, timeout_ms, hz[i], sshift);
			if (r)
				goto out;
			out_progress(++done);
		}
		if (!out_json() && m->npts &&
		    m->pts[m->npts - 1].clock_hz != last_row) {
			last_row = m->pts[m->npts - 1].clock_hz;
			out_progress_end();
			margin_print_row(stdout, find(m, last_row, 0),
					 find(m, last_row, 1));
			out_progress_begin("margin", total);
		}
	}
out:
	out_progress_end();
	return r;
}

/* Options checked before the target is reached (exit 2 for bad input,
 * whatever the link would have said). */
static int check_margin(void *options, int argc, char **argv)
{
	enum wire_mode mode;
	uint32_t min_hz, max_hz;
	unsigned shifts;

	(void)argv;
	return parse_options(options, argc, &mode, &min_hz, &max_hz,
			     &shifts);
}

static int run_margin(struct session *s, void *options, int argc, char **argv)
{
	const struct margin_options *o = options;
	const struct psram_part_timing *chip;
	struct margin_setup su;
	struct margin_summary sum;
	struct margin_run m;
	struct stub_params board;
	uint32_t min_hz, max_hz, sp, spec_hz;
	char why[96];
	unsigned shifts = 3;
	int r;

	(void)argv;
	memset(&m, 0, sizeof(m));
	r = parse_options(o, argc, &m.mode, &min_hz, &max_hz, &shifts);
	if (r)
		return r;
	r = stub_params_from_board(&s->vars, &board, &sp);
	if (r)
		return r;
	chip = wire_chip_of(board.chip);
	spec_hz = wire_spec_max_hz(chip, why, sizeof(why));
	/* On its own the sweep stays within the part's timing; beyond it
	 * only when asked (--max), and says so. */
	if (!max_hz)
		max_hz = board.kernel_hz < spec_hz ? board.kernel_hz : spec_hz;
	else if (max_hz > spec_hz)
		out_warn("--max %.3f MHz: the points above %.3f MHz are outside "
			 "the %s's datasheet (%s), as asked",
			 max_hz / 1e6, spec_hz / 1e6,
			 stub_chip_part(board.chip), why);
	if (min_hz > max_hz)
		return out_error(PSR_ERR_USAGE,
				 "--min %.3f MHz is above the fastest clock "
				 "to test, %.3f MHz",
				 min_hz / 1e6, max_hz / 1e6);
	memset(&su, 0, sizeof(su));
	su.board = session_board_name(s);
	su.chip = stub_chip_part(board.chip);
	su.mode = m.mode;
	su.kernel_hz = board.kernel_hz;
	su.simulated = session_simulated(s);
	m.s = s;
	m.pts = psr_calloc(2 * XSPI_PRESCALERS, sizeof(*m.pts));
	if (!out_json())
		margin_print_header(stdout, &su);
	r = sweep(&m, o, board.kernel_hz, min_hz, max_hz, shifts);
	if (r) {
		free(m.pts);
		return r;
	}
	margin_summarize(m.pts, m.npts, &sum);
	margin_limit_to_spec(m.pts, m.npts, spec_hz, why, &sum);
	if (out_json()) {
		struct json j;

		json_init(&j);
		json_object_begin(&j, NULL);
		margin_json_summary(&j, &su, m.npts, &sum);
		json_object_end(&j);
		json_emit(&j);
		json_release(&j);
	} else {
		margin_print_summary(stdout, &sum);
	}
	free(m.pts);
	if (!sum.all_pass)
		return out_error(PSR_ERR_TEST_FAILED,
				 "margin: fails above %.3f MHz",
				 sum.max_pass_hz / 1e6);
	return 0;
}

const struct command cmd_margin = {
	.name = "margin",
	.summary = "sweeps the xSPI clock and sample shift: highest clock that "
		   "passes",
	.usage = "",
	.description =
		"Resets the MCU (it stays halted) and sweeps the xSPI "
		"prescaler from --min up to\nthe fastest clock the kernel "
		"clock and the chip's timing allow (beyond that\nonly up to "
		"--max), with the sample shift off and on. At each point the "
		"stub\nwrites and reads back data in bursts within a page, and "
		"bursts across a page\nboundary (up to 84 MHz, where the "
		"datasheets allow it). Prints the pass/fail\nmap, the highest "
		"clock that passes, the faults (clock-limit, page-cross) and\n"
		"the clock to use with one prescaler step of margin. Exit "
		"status 0 when every\npoint passes, 1 otherwise.",
	.options = margin_options,
	.options_size = sizeof(struct margin_options),
	.flags = CMD_NEEDS_TARGET,
	.run = run_margin,
	.check = check_margin,
};
