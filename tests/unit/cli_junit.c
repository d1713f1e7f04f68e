/* The JUnit report: escaping, counts, the elements test stations read. */
#include <stdlib.h>
#include <unistd.h>

#include "report/junit.h"
#include "unit.h"

static void escapes_what_xml_cannot_hold(void)
{
	struct strbuf sb;

	sb_init(&sb);
	junit_escape(&sb, "a<b & \"c\" 'd'>\x01\t\n");
	CHECK_STR(sb.buf, "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;?\t\n");
	sb_release(&sb);
}

static void cases_and_counts(void)
{
	struct junit j;
	struct strbuf sb;

	junit_init(&j, "psramctl verify", "psramctl.verify");
	junit_property(&j, "board", "devebox-h750");
	junit_case(&j, "pins", JUNIT_PASS, 0.125, NULL, NULL);
	junit_case(&j, "eid", JUNIT_FAIL, 0.5, "no chip <answers>",
		   "line 1\nline 2 & more");
	junit_case(&j, "memory", JUNIT_SKIP, -1, "a flash chip answers", NULL);
	sb_init(&sb);
	junit_format(&j, &sb);
	CHECK(!strncmp(sb.buf, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
		       39));
	CHECK(strstr(sb.buf, "<testsuites name=\"psramctl verify\" tests=\"3\" "
			     "failures=\"1\" errors=\"0\" skipped=\"1\" "
			     "time=\"0.625\">"));
	CHECK(strstr(sb.buf, "<property name=\"board\" "
			     "value=\"devebox-h750\"/>"));
	CHECK(strstr(sb.buf, "<testcase name=\"pins\" "
			     "classname=\"psramctl.verify\" time=\"0.125\"/>"));
	CHECK(strstr(sb.buf, "<failure message=\"no chip &lt;answers&gt;\" "
			     "type=\"fail\">line 1\nline 2 &amp; more"
			     "</failure>"));
	CHECK(strstr(sb.buf, "time=\"0.000\">\n      <skipped "
			     "message=\"a flash chip answers\"/>"));
	CHECK(strstr(sb.buf, "</testsuite>\n</testsuites>\n"));
	sb_release(&sb);
	junit_release(&j);
}

static void writes_a_file_or_says_why_not(void)
{
	char path[] = "/tmp/psramctl-junit-XXXXXX";
	struct junit j;
	int fd = mkstemp(path);
	FILE *f;
	char buf[64] = "";

	CHECK(fd >= 0);
	close(fd);
	junit_init(&j, "s", "c");
	junit_case(&j, "a", JUNIT_PASS, 1, NULL, NULL);
	CHECK_EQ(junit_write(&j, path), 0);
	f = fopen(path, "r");
	CHECK(f);
	CHECK(fgets(buf, sizeof(buf), f));
	fclose(f);
	unlink(path);
	CHECK(!strncmp(buf, "<?xml", 5));
	CHECK(junit_write(&j, "/nonexistent-dir/x.xml") < 0);
	junit_release(&j);
}

UNIT_MAIN("cli_junit", UNIT_TEST(escapes_what_xml_cannot_hold),
	  UNIT_TEST(cases_and_counts), UNIT_TEST(writes_a_file_or_says_why_not))
