/* How the option-value grammars (list, range, sizes, pattern) report a
 * bad value: one line into the caller's err buffer, naming the value and
 * never the option (the caller adds "invalid value ... for --NAME"). */
#ifndef CLI_VALUE_ERROR_H
#define CLI_VALUE_ERROR_H

#include <stddef.h>

/* Formats the reason into err (errlen bytes, cut to fit); returns -1 so
 * that a parser can `return value_error(...)`. */
int value_error(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
