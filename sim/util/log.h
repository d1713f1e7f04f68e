/* Simulator diagnostics. Two kinds of warning, kept apart on purpose:
 *  - guest errors: the program (stub, OpenOCD) broke a rule the reference
 *    manual or datasheet states; the model also refuses or misbehaves the way
 *    silicon does, it does not just log;
 *  - unimplemented: the program used something the model does not cover.
 * Each message names the register or command and the document section. */
#ifndef SIM_LOG_H
#define SIM_LOG_H

#include <stdio.h>

enum log_kind { LOG_INFO, LOG_GUEST_ERROR, LOG_UNIMP, LOG_TRACE };

#if defined(__GNUC__)
#define SIM_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define SIM_PRINTF(a, b)
#endif

void sim_log(enum log_kind kind, const char *fmt, ...) SIM_PRINTF(2, 3);

/* Where trace lines go (--trace FILE); NULL disables tracing. */
void sim_log_set_trace(FILE *trace);
int sim_log_tracing(void);
/* Counts of guest errors and unimplemented accesses so far (for --stats
 * and tests). */
unsigned long sim_log_count(enum log_kind kind);
/* Silence stderr output (unit tests); counts still advance. */
void sim_log_quiet(int quiet);

#define sim_trace(...)                                                         \
	do {                                                                   \
		if (sim_log_tracing())                                         \
			sim_log(LOG_TRACE, __VA_ARGS__);                       \
	} while (0)

#endif
