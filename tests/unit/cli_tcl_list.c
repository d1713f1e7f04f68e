/* Tcl list parsing: OpenOCD replies are Tcl lists with braces and
 * backslashes wherever `list` puts them. Lists built by a real tclsh from
 * awkward elements must split back into exactly those elements. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"
#include "util/strbuf.h"
#include "link/tcl_list.h"
#include "link/tcl_quote.h"
#include "unit.h"

static int split_is(const char *list, int n, const char *const *want)
{
	char **v;
	int got = tcl_list_split(list, &v), ok = got == n;

	for (int i = 0; ok && i < n; i++)
		ok = !strcmp(v[i], want[i]);
	if (!ok) {
		printf("  '%s' split into %d:", list, got);
		for (int i = 0; i < got; i++)
			printf(" <%s>", v[i]);
		printf("\n");
	}
	if (got > 0)
		tcl_list_free(v, got);
	return ok;
}

#define SPLIT_IS(list, ...)                                                    \
	do {                                                                   \
		static const char *const want_[] = {__VA_ARGS__};              \
		CHECK(split_is(list, (int)(sizeof(want_) / sizeof(*want_)),   \
			       want_));                                        \
	} while (0)

static void simple_lists(void)
{
	SPLIT_IS("0 {}", "0", "");
	SPLIT_IS("  1   2\t3\n", "1", "2", "3");
	SPLIT_IS("0x11 0x22 0x33", "0x11", "0x22", "0x33");
	SPLIT_IS("1 0 {Open On-Chip Debugger 0.12.0}", "1", "0",
		 "Open On-Chip Debugger 0.12.0");
	SPLIT_IS("pc 0x20000004 r0 0x00000032", "pc", "0x20000004", "r0",
		 "0x00000032");
	CHECK_EQ(tcl_list_split("", (char ***)&(char **){NULL}), 0);
}

static void braces_and_backslashes(void)
{
	SPLIT_IS("{a {b c} d}", "a {b c} d");
	SPLIT_IS("{a\\}b}", "a\\}b");
	SPLIT_IS("a\\ b c", "a b", "c");
	SPLIT_IS("\\{ \\} \\[ \\$ \\\\", "{", "}", "[", "$", "\\");
	SPLIT_IS("\"x y\" z", "x y", "z");
	SPLIT_IS("\"a\\\"b\"", "a\"b");
	SPLIT_IS("a\\nb \\t", "a\nb", "\t");
	SPLIT_IS("\\101\\x42\\u00e9", "AB\xc3\xa9");
	SPLIT_IS("\\0017", "\0017");
	SPLIT_IS("\"\\a\\b\\f\\n\\r\\t\\v\\q\\xfF\"",
		 "\a\b\f\n\r\t\vq\xff");
	SPLIT_IS("{\n}", "\n");
}

static void malformed_lists(void)
{
	char **v;

	CHECK_EQ(tcl_list_split("{abc", &v), PSR_ERR_PROTOCOL);
	CHECK_EQ(tcl_list_split("{a}b", &v), PSR_ERR_PROTOCOL);
	CHECK_EQ(tcl_list_split("\"abc", &v), PSR_ERR_PROTOCOL);
	CHECK_EQ(tcl_list_split("\"a\"b", &v), PSR_ERR_PROTOCOL);
	CHECK_EQ(tcl_list_split("ok {a {b}", &v), PSR_ERR_PROTOCOL);
}

static const char *const awkward[] = {
	"", "a b", "{", "}", "}{", "{a}", "\\", "a\\", "[x]", "$y", ";",
	"\"", "\"q\"", "line\nbreak", "#hash", "tab\t", "{*}x", " ",
	"back\\slash{brace", "mixed {bal} \"q\" [b] $v ;",
};

#define NAWK (sizeof(awkward) / sizeof(awkward[0]))

/* tclsh builds `list` of the awkward elements; we split it. */
static void lists_from_tclsh(void)
{
	char path[] = "/tmp/psramctl-unit-XXXXXX";
	struct strbuf script, out;
	char buf[4096], **v;
	FILE *p;
	size_t n;
	int fd, got;

	sb_init(&script);
	sb_adds(&script, "fconfigure stdout -translation binary\n"
			 "puts -nonewline [list");
	for (size_t i = 0; i < NAWK; i++) {
		sb_addc(&script, ' ');
		tcl_quote(&script, awkward[i]);
	}
	sb_adds(&script, "]\n");
	fd = mkstemp(path);
	CHECK(fd >= 0);
	CHECK(write(fd, script.buf, script.len) == (ssize_t)script.len);
	close(fd);
	sb_reset(&script);
	sb_addf(&script, "LC_ALL=C tclsh %s", path);
	sb_init(&out);
	p = popen(script.buf, "r");
	CHECK(p != NULL);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		sb_add(&out, buf, n);
	pclose(p);
	unlink(path);
	sb_release(&script);
	got = tcl_list_split(out.buf, &v);
	if (got != (int)NAWK)
		printf("  tclsh list: %s\n", out.buf);
	sb_release(&out);
	CHECK_EQ(got, NAWK);
	for (size_t i = 0; i < NAWK; i++) {
		if (strcmp(v[i], awkward[i])) {
			printf("  element %zu: <%s>, expected <%s>\n", i, v[i],
			       awkward[i]);
			unit_failed_now = 1;
		}
	}
	tcl_list_free(v, got);
}

static void iterator_reuses_buffer(void)
{
	struct tcl_list it;
	struct strbuf e;
	int n = 0;

	sb_init(&e);
	tcl_list_init(&it, "0x1 0x2 {0x3}");
	while (tcl_list_next(&it, &e) == 1) {
		n++;
		CHECK(strtoul(e.buf, NULL, 16) == (unsigned long)n);
	}
	CHECK_EQ(n, 3);
	CHECK_EQ(tcl_list_next(&it, &e), 0);
	sb_release(&e);
}

UNIT_MAIN("cli_tcl_list", UNIT_TEST(simple_lists),
	  UNIT_TEST(braces_and_backslashes), UNIT_TEST(malformed_lists),
	  UNIT_TEST(lists_from_tclsh), UNIT_TEST(iterator_reuses_buffer))
