/* psramctl watch: short data-bus and pattern passes over a small range,
 * again and again, with the errors counted per data line, data bit and
 * address bit (diagnosis/watch_stats.h), so that pressing on a joint shows
 * the counts move. The stub is loaded once; each pass is one memtest run
 * (stub/memtest_run.h).
 *
 * On a terminal the block of counters is redrawn in place several times a
 * second; otherwise (or under TERM=dumb or NO_COLOR, report/term.h) one
 * status line per interval. --json prints one
 *   {"type":"watch","seconds","passes","bad_passes","bytes","errors",
 *    "reported","io":[4],"io_only":[4] (QPI),"bit":[32],"addr_bit":[23],
 *    "last":[{"offset","width","written","read"}],"simulated"}
 * per interval and a last one with "type":"watch-summary" and "stopped"
 * ("user" for Ctrl-C, "passes" for --passes).
 * Ctrl-C (or --passes N) ends it with the summary. Exit status 0 when no
 * pass found an error, 1 when one did, 2 for bad options, 3 when the stub
 * cannot run. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "diagnosis/watch_stats.h"
#include "link/session.h"
#include "parts/wire_limit.h"
#include "report/json.h"
#include "report/output.h"
#include "report/term.h"
#include "report/watch_view.h"
#include "stub/memtest_run.h"
#include "util/cleanup.h"
#include "util/error.h"
#include "util/strbuf.h"

#define DEFAULT_RANGE_LEN (16u * 1024)
#define DEFAULT_INTERVAL_MS 250
#define MAX_ERRORS_PER_PASS 64
/* per pass: a 16 KiB data-bus and pattern pass takes well under a second
 * on a real board; psramsim is slower */
#define PASS_TIMEOUT_MS 60000

struct watch_options {
	const char *range;
	int mode;
	uint32_t clock_hz;
	unsigned long long passes;
	unsigned long long interval_ms;
};

static const struct opt watch_options[] = {
	{"range", 0, OPT_STRING, offsetof(struct watch_options, range),
	 "START:LEN", "part of the chip each pass tests (default 0:16K)", 0,
	 0},
	{"mode", 0, OPT_ENUM, offsetof(struct watch_options, mode),
	 WIRE_MODE_CHOICES, "4-4-4 commands (qpi, the default) or 1-1-1 (spi)",
	 0, 0},
	{"clock", 0, OPT_MHZ, offsetof(struct watch_options, clock_hz), "MHZ",
	 "xSPI clock (default: the board file's PSRAM_CLOCK_MHZ)",
	 OPT_CLOCK_MIN_HZ, OPT_CLOCK_MAX_HZ},
	{"passes", 0, OPT_UINT, offsetof(struct watch_options, passes), "N",
	 "stop after N passes (default: until Ctrl-C)", 1, 100000000},
	{"interval", 0, OPT_UINT, offsetof(struct watch_options, interval_ms),
	 "MS", "redraw (and --json record) interval (default 250)", 50,
	 60000},
	OPT_END,
};

struct watch {
	struct watch_stats st;
	struct timespec t0;
	double last_shown;
	double interval;
	int fancy;       /* redraw in place */
	unsigned drawn;  /* lines of the block on screen */
	const char *header;
	int simulated;   /* session_simulated, asked before Ctrl-C can come */
};

static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void emit_json(const struct watch *w, const char *type,
		      const char *stopped)
{
	struct json j;

	json_init(&j);
	json_object_begin(&j, NULL);
	json_string(&j, "type", type);
	watch_view_json(&w->st, since(&w->t0), &j);
	if (stopped)
		json_string(&j, "stopped", stopped);
	json_bool(&j, "simulated", w->simulated);
	json_object_end(&j);
	json_emit(&j);
	json_release(&j);
}

static void show(struct watch *w, int force)
{
	double t = since(&w->t0);
	struct strbuf sb;

	if (!force && t - w->last_shown < w->interval)
		return;
	w->last_shown = t;
	if (out_json()) {
		emit_json(w, "watch", NULL);
		return;
	}
	sb_init(&sb);
	if (w->fancy) {
		unsigned lines = 0;

		watch_view_block(&w->st, t, &sb);
		for (size_t i = 0; i < sb.len; i++)
			lines += sb.buf[i] == '\n';
		/* back to the top of the last block, clear to the end */
		if (w->drawn)
			printf("\033[%uA", w->drawn);
		printf("\r\033[J%s", sb.buf);
		w->drawn = lines;
	} else {
		watch_view_line(&w->st, t, &sb);
		printf("watch: %s\n", sb.buf);
	}
	fflush(stdout);
	sb_release(&sb);
}

static void on_mismatch(void *ctx, const struct memtest_obs *o,
			const struct diag_mismatch *m)
{
	struct watch *w = ctx;

	(void)o;
	watch_stats_mismatch(&w->st, m);
}

static void on_progress(void *ctx, const struct memtest_obs *o)
{
	(void)o;
	show(ctx, 0);
}

static void summary(struct watch *w, const char *stopped)
{
	struct strbuf sb;

	if (out_json()) {
		emit_json(w, "watch-summary", stopped);
		return;
	}
	if (w->fancy) {
		show(w, 1);
	} else {
		sb_init(&sb);
		watch_view_block(&w->st, since(&w->t0), &sb);
		fputs(sb.buf, stdout);
		sb_release(&sb);
	}
	printf("watch: %s after %llu passes: %s\n",
	       !strcmp(stopped, "user") ? "stopped by the user"
					: "done",
	       (unsigned long long)w->st.passes,
	       w->st.errors ? "errors seen (see the counts above)"
			    : "no error");
	fflush(stdout);
}

static int run_watch(struct session *s, void *options, int argc, char **argv)
{
	const struct watch_options *o = options;
	struct memtest_spec spec;
	struct memtest_view view;
	struct watch w;
	char shown[64];
	int r = 0;

	if (argc)
		return out_error(PSR_ERR_USAGE, "'watch' takes no arguments "
						"(got '%s')",
				 out_printable(argv[0], shown, sizeof(shown)));
	memset(&spec, 0, sizeof(spec));
	if (o->range) {
		r = memtest_parse_range(o->range, &spec.start, &spec.len);
		if (r)
			return r;
	} else {
		spec.start = 0;
		spec.len = DEFAULT_RANGE_LEN;
	}
	spec.tests = STUB_TEST_DATA_BUS | STUB_TEST_PATTERNS;
	spec.widths = STUB_WIDTH_32;
	spec.mode = wire_mode_of_choice(o->mode) == WIRE_QPI ? STUB_MODE_QPI
							      : STUB_MODE_SPI;
	spec.clock_hz = o->clock_hz;
	spec.passes = 1;
	spec.max_errors = MAX_ERRORS_PER_PASS;
	spec.io_pull = MEMTEST_NO_PULL;
	spec.timeout_ms = PASS_TIMEOUT_MS;

	memset(&w, 0, sizeof(w));
	watch_stats_init(&w.st, spec.mode == STUB_MODE_QPI);
	w.interval = (o->interval_ms ? (double)o->interval_ms
				     : DEFAULT_INTERVAL_MS) / 1000.0;
	w.fancy = !out_json() && term_escapes_ok(STDOUT_FILENO);
	w.simulated = session_simulated(s);
	clock_gettime(CLOCK_MONOTONIC, &w.t0);
	if (!out_json()) {
		printf("watch: %s, %s, 0x%06x..0x%06x, data-bus and patterns "
		       "passes; Ctrl-C ends\n",
		       session_board_name(s) ? session_board_name(s)
					     : "board",
		       spec.mode == STUB_MODE_QPI ? "QPI" : "SPI",
		       (unsigned)spec.start,
		       (unsigned)(spec.start + spec.len - 1));
		fflush(stdout);
	}
	memset(&view, 0, sizeof(view));
	view.mismatch = on_mismatch;
	view.progress = on_progress;
	view.ctx = &w;
	while (!o->passes || w.st.passes < o->passes) {
		struct memtest_obs obs;

		r = memtest_run(s, &spec, &view, &obs);
		if (!r)
			watch_stats_pass(&w.st, obs.bytes, obs.errors);
		memtest_obs_free(&obs);
		if (r)
			break;
		spec.loaded = 1;
		spec.seed++; /* a different random pattern each pass */
		show(&w, 0);
	}
	if (r == PSR_ERR_INTERRUPTED) {
		/* Ctrl-C is how watch ends: the stub was stopped and the core
		 * halted by the runner (stub_run.h); what counts is what was
		 * seen. */
		cleanup_clear_signal();
		summary(&w, "user");
	} else if (!r) {
		summary(&w, "passes");
	} else {
		return r;
	}
	if (w.st.errors)
		return out_error(PSR_ERR_TEST_FAILED,
				 "%llu wrong units in %llu of %llu passes",
				 (unsigned long long)w.st.errors,
				 (unsigned long long)w.st.bad_passes,
				 (unsigned long long)w.st.passes);
	return 0;
}

const struct command cmd_watch = {
	.name = "watch",
	.summary = "repeated short passes with live error counts per line",
	.usage = "",
	.description =
		"Repeats short data-bus and pattern passes (16 KiB from 0 by "
		"default) and shows,\nupdated in place several times a "
		"second, the wrong units counted per data\nline (IO0-IO3), "
		"per data bit and per address bit, the last bad addresses\n"
		"and the passes run: press on a joint and watch the counts "
		"move. Ctrl-C ends\nwith a summary. --json: one record per "
		"interval, then a summary record.\nExit status 0 when no pass "
		"found an error, 1 when one did.",
	.options = watch_options,
	.options_size = sizeof(struct watch_options),
	.flags = CMD_NEEDS_TARGET,
	.run = run_watch,
};
