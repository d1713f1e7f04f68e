#include "util/log.h"

#include <stdarg.h>

static FILE *trace_file;
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
