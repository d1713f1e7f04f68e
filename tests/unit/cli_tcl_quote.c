/* Tcl quoting, checked against a real Tcl interpreter (tclsh): every
 * quoted value must come back byte for byte and run nothing, whether it
 * stands alone or sits inside a braced script as in the TCL RPC wrapper. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/strbuf.h"
#include "link/tcl_quote.h"
#include "unit.h"

static const char *const nasty[] = {
	"plain",
	"",
	"with space",
	"[exec touch /tmp/psramctl-pwned]",
	"[set pwned 1]",
	"$pwned",
	"${pwned}",
	"$::env(HOME)",
	"a;set pwned 1",
	"{",
	"}",
	"}{",
	"{*}{set pwned 1}",
	"\"",
	"\"quoted\"",
	"\\",
	"trailing\\",
	"\\n is not a newline",
	"line\nbreak",
	"tab\there\rcr",
	"\001\002\037\177 controls",
	"\0017digit after octal",
	"#comment",
	" leading space",
	"unicode \xc3\xa9\xe2\x82\xac bytes",
	"\xff\xfe raw high bytes",
	"cfg/boards/b o[a]rd;{\"}$x.cfg",
	"\\\n continuation",
	"a\\}b\\{c",
};

#define N (sizeof(nasty) / sizeof(nasty[0]))

/* Runs script with tclsh (bytes in, bytes out: the C locale makes Tcl's
 * system encoding iso8859-1) and returns its stdout. */
static char *run_tclsh(const char *script, size_t *outlen)
{
	char path[] = "/tmp/psramctl-unit-XXXXXX";
	int fd = mkstemp(path);
	struct strbuf cmd, out;
	FILE *p;
	char buf[4096];
	size_t n;

	if (fd < 0)
		return NULL;
	if (write(fd, script, strlen(script)) != (ssize_t)strlen(script)) {
		close(fd);
		unlink(path);
		return NULL;
	}
	close(fd);
	sb_init(&cmd);
	sb_addf(&cmd, "LC_ALL=C LANG=C tclsh %s", path);
	sb_init(&out);
	p = popen(cmd.buf, "r");
	if (p) {
		while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
			sb_add(&out, buf, n);
		pclose(p);
	}
	unlink(path);
	sb_release(&cmd);
	*outlen = out.len;
	return sb_detach(&out);
}

/* Each value printed as LENGTH:VALUE, then whether anything ran. */
static void check_values(int braced)
{
	struct strbuf script, expect;
	char *out;
	size_t len;

	sb_init(&script);
	sb_init(&expect);
	sb_adds(&script, "fconfigure stdout -translation binary\n");
	for (size_t i = 0; i < N; i++) {
		if (braced) {
			/* as tcl_link wraps a command */
			sb_adds(&script, "set rc [catch {set v ");
			tcl_quote(&script, nasty[i]);
			sb_adds(&script, "} res]; list $rc $res\n");
			sb_adds(&script, "puts -nonewline "
					 "\"[string length $res]:$res|\"\n");
		} else {
			sb_adds(&script, "set v ");
			tcl_quote(&script, nasty[i]);
			sb_adds(&script, "\nputs -nonewline "
					 "\"[string length $v]:$v|\"\n");
		}
		sb_addf(&expect, "%zu:%s|", strlen(nasty[i]), nasty[i]);
	}
	sb_adds(&script, "puts -nonewline \"pwned=[info exists pwned]\"\n");
	sb_adds(&expect, "pwned=0");
	out = run_tclsh(script.buf, &len);
	sb_release(&script);
	CHECK(out != NULL);
	if (len != expect.len || memcmp(out, expect.buf, len)) {
		printf("  tclsh said:   %s\n  expected:     %s\n", out,
		       expect.buf);
		unit_failed_now = 1;
	}
	free(out);
	sb_release(&expect);
	CHECK(access("/tmp/psramctl-pwned", F_OK) != 0);
}

static void quoted_values_round_trip(void)
{
	check_values(0);
}

static void quoted_values_survive_braced_script(void)
{
	check_values(1);
}

static void quoted_words_are_brace_safe(void)
{
	for (size_t i = 0; i < N; i++) {
		char *q = tcl_quote_dup(nasty[i]);

		CHECK(tcl_brace_safe(q));
		CHECK(!strchr(q, '\n'));
		free(q);
	}
}

static void plain_words_stay_readable(void)
{
	static const char *const cases[][2] = {
		{"stm32h7x.cpu0", "stm32h7x.cpu0"},
		{"/usr/share/psramctl/boards/devebox-h750.cfg",
		 "/usr/share/psramctl/boards/devebox-h750.cfg"},
		{"", "{}"},
		{"a b", "a\\ b"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *q = tcl_quote_dup(cases[i][0]);
		int ok = q && !strcmp(q, cases[i][1]);

		if (!ok)
			printf("  '%s' quoted as '%s'\n", cases[i][0],
			       q ? q : "(null)");
		free(q);
		CHECK(ok);
	}
}

static void brace_safety(void)
{
	CHECK(tcl_brace_safe("read_memory 0x20000000 32 4"));
	CHECK(tcl_brace_safe("if {1} {list a {b c}}"));
	CHECK(tcl_brace_safe("set x \\{"));
	CHECK(!tcl_brace_safe("set x {"));
	CHECK(!tcl_brace_safe("}{"));
	CHECK(!tcl_brace_safe("set x \"{\""));
	CHECK(!tcl_brace_safe("ends in \\"));
	CHECK(tcl_brace_safe("ends in \\\\"));
}

UNIT_MAIN("cli_tcl_quote", UNIT_TEST(quoted_values_round_trip),
	  UNIT_TEST(quoted_values_survive_braced_script),
	  UNIT_TEST(quoted_words_are_brace_safe),
	  UNIT_TEST(plain_words_stay_readable), UNIT_TEST(brace_safety))
