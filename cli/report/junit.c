#include "report/junit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/files.h"
#include "report/output.h"

static char *dup_or_null(const char *s)
{
	return s ? psr_strdup(s) : NULL;
}

void junit_init(struct junit *j, const char *suite, const char *classname)
{
	memset(j, 0, sizeof(*j));
	j->suite = psr_strdup(suite);
	j->classname = psr_strdup(classname);
}

void junit_release(struct junit *j)
{
	for (size_t i = 0; i < j->ncases; i++) {
		free(j->cases[i].name);
		free(j->cases[i].message);
		free(j->cases[i].text);
	}
	for (size_t i = 0; i < j->nprops; i++) {
		free(j->props[i].name);
		free(j->props[i].value);
	}
	free(j->cases);
	free(j->props);
	free(j->suite);
	free(j->classname);
	memset(j, 0, sizeof(*j));
}

void junit_case(struct junit *j, const char *name, enum junit_status status,
		double seconds, const char *message, const char *text)
{
	struct junit_case *c;

	if (j->ncases == j->cap_cases) {
		j->cap_cases = j->cap_cases ? 2 * j->cap_cases : 16;
		j->cases = psr_realloc(j->cases,
				       j->cap_cases * sizeof(*j->cases));
	}
	c = &j->cases[j->ncases++];
	c->name = psr_strdup(name);
	c->status = status;
	c->seconds = seconds < 0 ? 0 : seconds;
	c->message = dup_or_null(message);
	c->text = dup_or_null(text);
}

void junit_property(struct junit *j, const char *name, const char *value)
{
	struct junit_property *p;

	if (j->nprops == j->cap_props) {
		j->cap_props = j->cap_props ? 2 * j->cap_props : 8;
		j->props = psr_realloc(j->props,
				       j->cap_props * sizeof(*j->props));
	}
	p = &j->props[j->nprops++];
	p->name = psr_strdup(name);
	p->value = psr_strdup(value ? value : "");
}

void junit_escape(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '&':
			sb_adds(out, "&amp;");
			break;
		case '<':
			sb_adds(out, "&lt;");
			break;
		case '>':
			sb_adds(out, "&gt;");
			break;
		case '"':
			sb_adds(out, "&quot;");
			break;
		case '\'':
			sb_adds(out, "&apos;");
			break;
		default:
			/* XML 1.0 §2.2: of the C0 controls only tab, LF and
			 * CR are characters. */
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				sb_addc(out, '?');
			else
				sb_addc(out, (char)c);
		}
	}
}

static void attr(struct strbuf *out, const char *name, const char *value)
{
	sb_addf(out, " %s=\"", name);
	junit_escape(out, value);
	sb_addc(out, '"');
}

void junit_format(const struct junit *j, struct strbuf *out)
{
	size_t failures = 0, skipped = 0;
	double total = 0;
	char num[32];

	for (size_t i = 0; i < j->ncases; i++) {
		failures += j->cases[i].status == JUNIT_FAIL;
		skipped += j->cases[i].status == JUNIT_SKIP;
		total += j->cases[i].seconds;
	}
	sb_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	sb_adds(out, "<testsuites");
	attr(out, "name", j->suite);
	sb_addf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
		     "skipped=\"%zu\" time=\"%.3f\">\n",
		j->ncases, failures, skipped, total);
	sb_adds(out, "  <testsuite");
	attr(out, "name", j->suite);
	sb_addf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
		     "skipped=\"%zu\" time=\"%.3f\">\n",
		j->ncases, failures, skipped, total);
	if (j->nprops) {
		sb_adds(out, "    <properties>\n");
		for (size_t i = 0; i < j->nprops; i++) {
			sb_adds(out, "      <property");
			attr(out, "name", j->props[i].name);
			attr(out, "value", j->props[i].value);
			sb_adds(out, "/>\n");
		}
		sb_adds(out, "    </properties>\n");
	}
	for (size_t i = 0; i < j->ncases; i++) {
		const struct junit_case *c = &j->cases[i];

		sb_adds(out, "    <testcase");
		attr(out, "name", c->name);
		attr(out, "classname", j->classname);
		snprintf(num, sizeof(num), "%.3f", c->seconds);
		attr(out, "time", num);
		if (c->status == JUNIT_PASS) {
			sb_adds(out, "/>\n");
			continue;
		}
		sb_adds(out, ">\n");
		if (c->status == JUNIT_SKIP) {
			sb_adds(out, "      <skipped");
			if (c->message)
				attr(out, "message", c->message);
			sb_adds(out, "/>\n");
		} else {
			sb_adds(out, "      <failure");
			attr(out, "message", c->message ? c->message : "failed");
			attr(out, "type", "fail");
			sb_adds(out, ">");
			if (c->text)
				junit_escape(out, c->text);
			sb_adds(out, "</failure>\n");
		}
		sb_adds(out, "    </testcase>\n");
	}
	sb_adds(out, "  </testsuite>\n</testsuites>\n");
}

int junit_write(const struct junit *j, const char *path)
{
	struct strbuf sb;
	int r;

	sb_init(&sb);
	junit_format(j, &sb);
	r = file_write_output("--junit", path, sb.buf, sb.len);
	sb_release(&sb);
	return r;
}
