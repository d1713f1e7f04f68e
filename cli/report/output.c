#include "report/output.h"
#include "report/term.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/error.h"
#include "report/json.h"
#include "util/strbuf.h"

static int json_mode;
static int verbose_mode;
static unsigned errors_reported;
static out_cause_fn cause_fn;
static void *cause_ctx;
static int cause_code; /* a helper's death, once reported */

void out_set_cause(out_cause_fn fn, void *ctx)
{
	cause_fn = fn;
	cause_ctx = ctx;
	cause_code = 0;
}

/* Errors that a dead OpenOCD or psramsim explains better than their own
 * words ("target access failed", "OpenOCD command failed"). */
static int explained_by_cause(int code)
{
	switch (code) {
	case PSR_OK:
	case PSR_ERR_TEST_FAILED:
	case PSR_ERR_USAGE:
	case PSR_ERR_UNKNOWN_BOARD:
	case PSR_ERR_BOARD_FILE:
	case PSR_ERR_INTERRUPTED:
	case PSR_ERR_OUTPUT:
	case PSR_ERR_IMAGE:
	case PSR_ERR_STUB_IMAGE:
		return 0;
	default:
		return 1;
	}
}

void out_set_json(int on)
{
	json_mode = on;
}

int out_json(void)
{
	return json_mode;
}

void out_set_verbose(int on)
{
	verbose_mode = on;
}

int out_verbose(void)
{
	return verbose_mode;
}

static void progress_clear(void);

int out_error(int code, const char *fmt, ...)
{
	struct strbuf msg;
	va_list ap;

	if (cause_code && explained_by_cause(code))
		return cause_code; /* said once: the rest is its echo */
	sb_init(&msg);
	if (cause_fn && explained_by_cause(code)) {
		int dead = cause_fn(cause_ctx, &msg);

		if (dead) {
			cause_code = code = dead;
			goto print;
		}
		sb_reset(&msg);
	}
	va_start(ap, fmt);
	sb_vaddf(&msg, fmt, ap);
	va_end(ap);
print:
	progress_clear();
	fprintf(stderr, "psramctl: error: %s\n", msg.buf);
	fflush(stderr);
	if (json_mode) {
		struct json j;

		json_init(&j);
		json_object_begin(&j, NULL);
		json_string(&j, "type", "error");
		json_string(&j, "error", psr_errname(code));
		json_string(&j, "message", msg.buf);
		json_int(&j, "exit", psr_exit_status(code));
		json_object_end(&j);
		json_emit(&j);
		json_release(&j);
	}
	sb_release(&msg);
	errors_reported++;
	return code;
}

unsigned out_errors_reported(void)
{
	return errors_reported;
}

void out_warn(const char *fmt, ...)
{
	va_list ap;

	progress_clear();
	fputs("psramctl: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

void out_debug(const char *fmt, ...)
{
	va_list ap;

	if (!verbose_mode)
		return;
	progress_clear();
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

const char *out_printable(const char *s, char *buf, size_t size)
{
	size_t i = 0;

	if (!size)
		return "";
	for (; *s && i + 1 < size; s++) {
		unsigned char c = (unsigned char)*s;

		buf[i++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	buf[i] = '\0';
	return buf;
}

/* ---- progress bar ---- */

static struct {
	int active;
	int shown;
	int plain;		/* no escape sequences (report/term.h) */
	unsigned plain_step;	/* the last tenth printed */
	char label[40];
	char suffix[40];
	unsigned long long total;
	struct timespec start;
	struct timespec last;
} bar;

static double seconds_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) +
	       (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static void progress_clear(void)
{
	if (bar.shown && !bar.plain)
		fputs("\r\033[K", stderr);
	bar.shown = 0;
}

void out_progress_begin(const char *label, unsigned long long total)
{
	memset(&bar, 0, sizeof(bar));
	if (json_mode || !isatty(STDERR_FILENO))
		return;
	bar.active = 1;
	/* TERM=dumb, NO_COLOR: a line now and then, no escape sequences */
	bar.plain = !term_escapes_ok(STDERR_FILENO);
	snprintf(bar.label, sizeof(bar.label), "%s", label);
	bar.total = total;
	clock_gettime(CLOCK_MONOTONIC, &bar.start);
	bar.last = bar.start;
}

void out_progress(unsigned long long done)
{
	enum { WIDTH = 30 };
	char cells[WIDTH + 1];
	unsigned pct, fill;

	if (!bar.active || seconds_since(&bar.start) < 1.0)
		return;
	/* Redraw at most ten times a second: the terminal is slower than us. */
	if (bar.shown && seconds_since(&bar.last) < 0.1 && done < bar.total)
		return;
	if (done > bar.total)
		done = bar.total;
	pct = bar.total ? (unsigned)(done * 100 / bar.total) : 100;
	if (bar.plain) {
		/* every 10 % and at most once a second */
		if (bar.shown && (pct / 10 == bar.plain_step ||
				  seconds_since(&bar.last) < 1.0))
			return;
		clock_gettime(CLOCK_MONOTONIC, &bar.last);
		bar.plain_step = pct / 10;
		fprintf(stderr, "%s %3u%%%s%s\n", bar.label, pct,
			bar.suffix[0] ? " " : "", bar.suffix);
		fflush(stderr);
		bar.shown = 1;
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &bar.last);
	fill = bar.total ? (unsigned)(done * WIDTH / bar.total) : WIDTH;
	memset(cells, '#', fill);
	memset(cells + fill, '.', WIDTH - fill);
	cells[WIDTH] = '\0';
	fprintf(stderr, "\r%s [%s] %3u%%%s%s", bar.label, cells, pct,
		bar.suffix[0] ? " " : "", bar.suffix);
	fflush(stderr);
	bar.shown = 1;
}

void out_progress_suffix(const char *text)
{
	snprintf(bar.suffix, sizeof(bar.suffix), "%s", text);
}

void out_progress_end(void)
{
	progress_clear();
	fflush(stderr);
	bar.active = 0;
}
