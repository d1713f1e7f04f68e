/* What psramctl prints: results on stdout (tables, or one JSON object per
 * line with --json), diagnostics on stderr — one line per error, problem
 * first, lowercase, the offending input quoted. */
#ifndef CLI_OUTPUT_H
#define CLI_OUTPUT_H

#include <stdio.h>

#include "util/strbuf.h"

#define OUT_PRINTF(a, b) __attribute__((format(printf, a, b)))

void out_set_json(int on);
int out_json(void);
void out_set_verbose(int on);
int out_verbose(void);

/* Prints "psramctl: error: MESSAGE" on stderr (and, with --json, an
 * {"type":"error",...} line on stdout) and returns code, so that callers
 * write `return out_error(PSR_ERR_X, "...")`. */
int out_error(int code, const char *fmt, ...) OUT_PRINTF(2, 3);
/* How many errors were printed so far: main prints a generic message only
 * when a failure was not reported where it happened. */
unsigned out_errors_reported(void);

/* A check that tells whether a helper process (OpenOCD, psramsim) died:
 * 0 while all run, else a negative code with one line in msg. While one
 * is set, an error that such a death explains (a failed target access, a
 * closed connection, a timeout) is reported as the death instead, once;
 * later such errors are its echo and are not printed. NULL clears it. */
typedef int (*out_cause_fn)(void *ctx, struct strbuf *msg);
void out_set_cause(out_cause_fn fn, void *ctx);
void out_warn(const char *fmt, ...) OUT_PRINTF(1, 2);
/* Diagnostics shown with -v only. */
void out_debug(const char *fmt, ...) OUT_PRINTF(1, 2);

/* Copies s into buf with control characters shown as '?' and cut to fit:
 * for echoing untrusted input (file and board names) in messages. */
const char *out_printable(const char *s, char *buf, size_t size);

/* A progress bar on stderr, shown only when stderr is a terminal, --json is
 * off and the operation has run for more than a second. Redrawn in place;
 * under TERM=dumb or NO_COLOR (report/term.h) a plain line every 10 %
 * instead, with no escape sequence. */
void out_progress_begin(const char *label, unsigned long long total);
void out_progress(unsigned long long done);
/* Text shown after the percentage from the next redraw on ("3.2 MB/s"). */
void out_progress_suffix(const char *text);
void out_progress_end(void);

#endif
