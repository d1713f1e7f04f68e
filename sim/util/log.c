#include "util/log.h"

#include <stdarg.h>
#include <stdlib.h>

static FILE *trace_file;
/* PSRAMSIM_LOG=FILE: guest errors are also appended to FILE, one line
 * each, so that a test can hold a psramsim it did not start itself (one
 * that psramctl --sim runs) to the manuals' rules. */
static FILE *guest_log;
static int guest_log_looked;
static int quiet;
static unsigned long counts[LOG_TRACE + 1];

void sim_log_set_trace(FILE *trace)
{
	trace_file = trace;
}

int sim_log_tracing(void)
{
	return trace_file != NULL;
}

void sim_log_quiet(int q)
{
	quiet = q;
}

unsigned long sim_log_count(enum log_kind kind)
{
	return counts[kind];
}

void sim_log(enum log_kind kind, const char *fmt, ...)
{
	static const char *const prefix[] = {
		[LOG_INFO] = "psramsim: ",
		[LOG_GUEST_ERROR] = "psramsim: warning: ",
		[LOG_UNIMP] = "psramsim: not modelled: ",
		[LOG_TRACE] = "",
	};
	va_list ap;

	counts[kind]++;
	if (kind == LOG_TRACE) {
		if (!trace_file)
			return;
		va_start(ap, fmt);
		vfprintf(trace_file, fmt, ap);
		va_end(ap);
		fputc('\n', trace_file);
		return;
	}
	if (kind == LOG_GUEST_ERROR && !quiet) {
		if (!guest_log_looked) {
			const char *path = getenv("PSRAMSIM_LOG");

			guest_log_looked = 1;
			if (path && *path) {
				guest_log = fopen(path, "a");
				if (guest_log)
					setvbuf(guest_log, NULL, _IOLBF, 0);
			}
		}
		if (guest_log) {
			fputs(prefix[kind], guest_log);
			va_start(ap, fmt);
			vfprintf(guest_log, fmt, ap);
			va_end(ap);
			fputc('\n', guest_log);
		}
	}
	/* Warnings also go to the trace so it reads as one story. */
	if (trace_file) {
		fputs(prefix[kind], trace_file);
		va_start(ap, fmt);
		vfprintf(trace_file, fmt, ap);
		va_end(ap);
		fputc('\n', trace_file);
	}
	if (quiet)
		return;
	fputs(prefix[kind], stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
