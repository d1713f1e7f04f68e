/* A JUnit XML report for test stations (the format Jenkins, GitLab and
 * most CI tools read: <testsuites><testsuite><testcase> with <failure> or
 * <skipped>, and <properties>). Cases and properties are collected, then
 * written in one go; every string is escaped for XML, and characters XML
 * 1.0 cannot carry are replaced. */
#ifndef CLI_JUNIT_H
#define CLI_JUNIT_H

#include <stddef.h>
#include <stdio.h>

#include "util/strbuf.h"

enum junit_status { JUNIT_PASS, JUNIT_FAIL, JUNIT_SKIP };

struct junit_case {
	char *name;
	enum junit_status status;
	double seconds;
	char *message;	/* failure or skip reason, one line */
	char *text;	/* failure details, may be multi-line */
};

struct junit_property {
	char *name;
	char *value;
};

struct junit {
	char *suite;
	char *classname;
	struct junit_case *cases;
	size_t ncases, cap_cases;
	struct junit_property *props;
	size_t nprops, cap_props;
};

void junit_init(struct junit *j, const char *suite, const char *classname);
void junit_release(struct junit *j);
/* message and text may be NULL. */
void junit_case(struct junit *j, const char *name, enum junit_status status,
		double seconds, const char *message, const char *text);
void junit_property(struct junit *j, const char *name, const char *value);
/* The whole document. */
void junit_format(const struct junit *j, struct strbuf *out);
/* Writes it to path: 0, or PSR_ERR_SYSTEM (printed). */
int junit_write(const struct junit *j, const char *path);
/* XML-escaped s appended to out (&, <, >, ", '; control characters XML
 * cannot hold become '?'). */
void junit_escape(struct strbuf *out, const char *s);

#endif
