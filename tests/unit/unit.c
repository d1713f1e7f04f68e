#include "unit.h"

int unit_failed_now;

int unit_run(const struct unit_test *tests, const char *suite)
{
	int failed = 0;

	for (const struct unit_test *t = tests; t->name; t++) {
		unit_failed_now = 0;
		t->fn();
		printf("%s: %s.%s\n", unit_failed_now ? "FAIL" : "PASS", suite,
		       t->name);
		failed += unit_failed_now;
		fflush(stdout);
	}
	return failed ? 1 : 0;
}
