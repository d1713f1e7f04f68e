/* A small unit-test harness. Each test is a function; the runner prints one
 * line per test ("PASS: name" or "FAIL: name: why") and exits non-zero if any
 * failed. tests/run counts those lines. */
#ifndef TESTS_UNIT_UNIT_H
#define TESTS_UNIT_UNIT_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
};

extern int unit_failed_now;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			printf("  %s:%d: check failed: %s\n", __FILE__,         \
			       __LINE__, #cond);                               \
			unit_failed_now = 1;                                   \
			return;                                                \
		}                                                              \
	} while (0)

#define CHECK_EQ(a, b)                                                         \
	do {                                                                   \
		unsigned long long a_ = (unsigned long long)(a);               \
		unsigned long long b_ = (unsigned long long)(b);               \
		if (a_ != b_) {                                                \
			printf("  %s:%d: %s == 0x%llx, expected %s == 0x%llx\n", \
			       __FILE__, __LINE__, #a, a_, #b, b_);            \
			unit_failed_now = 1;                                   \
			return;                                                \
		}                                                              \
	} while (0)

#define CHECK_STR(a, b)                                                        \
	do {                                                                   \
		const char *a_ = (a), *b_ = (b);                               \
		if (!a_ || !b_ || strcmp(a_, b_) != 0) {                       \
			printf("  %s:%d: %s is \"%s\", expected \"%s\"\n",      \
			       __FILE__, __LINE__, #a, a_ ? a_ : "(null)",     \
			       b_ ? b_ : "(null)");                            \
			unit_failed_now = 1;                                   \
			return;                                                \
		}                                                              \
	} while (0)

int unit_run(const struct unit_test *tests, const char *suite);

#define UNIT_MAIN(suite, ...)                                                  \
	int main(void)                                                         \
	{                                                                      \
		static const struct unit_test tests_[] = {__VA_ARGS__,         \
							   {NULL, NULL}};      \
		return unit_run(tests_, suite);                                \
	}

#define UNIT_TEST(fn) {#fn, fn}

#endif
