/* margin's analysis: the highest clock passing, the clock-limit and
 * page-cross faults, the recommendation with a step of margin, and the
 * map and JSON made from them. */
#include <stdlib.h>

#include "report/margin_report.h"
#include "unit.h"

#define MHZ 1000000u
#define KERNEL (200 * MHZ)

static struct margin_point pts[64];
static size_t npts;

/* Both sample shifts at every clock kernel/div for div = 25 .. 2 (8 to
 * 100 MHz), passing unless told otherwise. */
static void sweep(void)
{
	npts = 0;
	for (unsigned div = 25; div >= 2; div--)
		for (int ss = 0; ss < 2; ss++) {
			struct margin_point *p = &pts[npts++];

			memset(p, 0, sizeof(*p));
			p->clock_hz = KERNEL / div;
			p->prescaler = div - 1;
			p->sample_shift = ss;
			p->data_checked = 2048;
			p->data_first = 0xFFFFFFFFu;
			p->page_first = 0xFFFFFFFFu;
			/* The stub crosses pages only up to 84 MHz. */
			p->page_checked = p->clock_hz <= 84 * MHZ ? 155 : 0;
		}
}

static void fail_data_above(uint32_t hz)
{
	for (size_t i = 0; i < npts; i++)
		if (pts[i].clock_hz > hz)
			pts[i].data_wrong = 2000;
}

static void fail_page_above(uint32_t hz)
{
	for (size_t i = 0; i < npts; i++)
		if (pts[i].clock_hz > hz && pts[i].page_checked)
			pts[i].page_wrong = 62;
}

#define NO_FAIL UINT32_MAX

/* The sweep with data failing above data_ok_to and crossing bursts
 * above page_ok_to (NO_FAIL: never), summarized into s. */
static void summarize(uint32_t data_ok_to, uint32_t page_ok_to,
		      struct margin_summary *s)
{
	sweep();
	if (data_ok_to != NO_FAIL)
		fail_data_above(data_ok_to);
	if (page_ok_to != NO_FAIL)
		fail_page_above(page_ok_to);
	margin_summarize(pts, npts, s);
}

static void clean_chip(void)
{
	struct margin_summary s;

	summarize(NO_FAIL, NO_FAIL, &s);
	CHECK(s.all_pass);
	CHECK_EQ(s.min_hz, 8 * MHZ);
	CHECK_EQ(s.max_hz, 100 * MHZ);
	CHECK_EQ(s.max_pass_hz, 100 * MHZ);
	CHECK_EQ(s.recommended_hz, 100 * MHZ);
	/* The automatic choice above 50 MHz: sample shift on. */
	CHECK_EQ(s.recommended_sshift, 1);
	CHECK(!s.clock_limit);
	CHECK(!s.page_cross);
	/* The page test last ran at 66.7 MHz (100 MHz is above 84). */
	CHECK_EQ(s.page_max_hz, KERNEL / 3);
}

/* fmax=40: every transfer above 40 MHz corrupts. */
static void clock_limit(void)
{
	struct margin_summary s;

	summarize(40 * MHZ, NO_FAIL, &s);
	CHECK(!s.all_pass);
	CHECK(s.clock_limit);
	CHECK(!s.page_cross);
	CHECK_EQ(s.data_max_hz, 40 * MHZ);
	CHECK_EQ(s.max_pass_hz, 40 * MHZ);
	/* One prescaler step below: 200 / 6. */
	CHECK_EQ(s.recommended_hz, KERNEL / 6);
}

/* pagecross-max=20: crossing bursts corrupt above 20 MHz. */
static void page_cross(void)
{
	struct margin_summary s;

	summarize(NO_FAIL, 20 * MHZ, &s);
	CHECK(!s.all_pass);
	CHECK(!s.clock_limit);
	CHECK(s.page_cross);
	CHECK_EQ(s.page_max_hz, 20 * MHZ);
	CHECK_EQ(s.data_max_hz, 100 * MHZ);
	CHECK_EQ(s.max_pass_hz, 20 * MHZ);
	CHECK_EQ(s.recommended_hz, KERNEL / 11);
}

/* Sampling too early without the shift at 100 MHz: the shift saves it. */
static void sample_shift(void)
{
	struct margin_summary s;

	sweep();
	for (size_t i = 0; i < npts; i++)
		if (pts[i].clock_hz == 100 * MHZ && !pts[i].sample_shift)
			pts[i].data_wrong = 2044;
	margin_summarize(pts, npts, &s);
	CHECK(s.all_pass);
	CHECK_EQ(s.recommended_hz, 100 * MHZ);
	CHECK_EQ(s.recommended_sshift, 1);
	/* At 40 MHz the automatic choice is off, and it passes. */
	sweep();
	fail_data_above(40 * MHZ);
	for (size_t i = 0; i < npts; i++)
		if (pts[i].clock_hz == KERNEL / 6 && !pts[i].sample_shift)
			pts[i].data_wrong = 1;
	margin_summarize(pts, npts, &s);
	CHECK_EQ(s.recommended_hz, KERNEL / 6);
	CHECK_EQ(s.recommended_sshift, 1);
}

static void nothing_passes(void)
{
	struct margin_summary s;

	summarize(0, NO_FAIL, &s);
	CHECK(!s.all_pass);
	CHECK_EQ(s.max_pass_hz, 0);
	CHECK_EQ(s.recommended_hz, 0);
	CHECK(s.clock_limit);
	margin_summarize(pts, 0, &s);
	CHECK_EQ(s.max_hz, 0);
	CHECK_EQ(s.recommended_hz, 0);
}

/* A failure must be contiguous from the bottom to count as passing. */
static void hole_in_the_middle(void)
{
	struct margin_summary s;

	sweep();
	for (size_t i = 0; i < npts; i++)
		if (pts[i].clock_hz == 25 * MHZ)
			pts[i].data_wrong = 3;
	margin_summarize(pts, npts, &s);
	CHECK_EQ(s.max_pass_hz, KERNEL / 9);
	CHECK_EQ(s.data_max_hz, KERNEL / 9);
	CHECK(s.clock_limit);
}

static char *map_text(const struct margin_summary *s)
{
	struct margin_setup su = {"devebox-h750", "ESP-PSRAM64H", WIRE_QPI,
				  KERNEL, 1};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	margin_print_header(f, &su);
	for (size_t i = 0; i < npts; i += 2)
		margin_print_row(f, &pts[i], &pts[i + 1]);
	margin_print_summary(f, s);
	fclose(f);
	return buf;
}

static void map(void)
{
	struct margin_summary s;
	char *out;

	summarize(40 * MHZ, 20 * MHZ, &s);
	out = map_text(&s);
	CHECK(strstr(out, "Margin: devebox-h750 with ESP-PSRAM64H, QPI 4-4-4"));
	CHECK(strstr(out, "   8.000 MHz    25   pass                   pass\n"));
	CHECK(strstr(out, "  25.000 MHz     8   FAIL page 62/155       FAIL page "
			  "62/155\n"));
	CHECK(strstr(out, " 100.000 MHz     2   FAIL data 2000/2048    FAIL data "
			  "2000/2048\n"));
	CHECK(strstr(out, "Data fail above 40.000 MHz (clock-limit)."));
	CHECK(strstr(out, "Bursts across a page fail above 20.000 MHz "
			  "(page-cross)."));
	CHECK(strstr(out, "Highest clock passing: 20.000 MHz."));
	CHECK(strstr(out, "Recommended, one prescaler step below: 18.182 MHz"));
	free(out);
	/* Nothing passes: no "above 0 MHz", the slowest clock instead. */
	summarize(0, NO_FAIL, &s);
	out = map_text(&s);
	CHECK(!strstr(out, "above 0.000 MHz"));
	CHECK(strstr(out, "Data fail at every clock tested, from 8.000 MHz "
			  "(clock-limit)."));
	CHECK(strstr(out, "Fails already at 8.000 MHz"));
	free(out);
	summarize(NO_FAIL, NO_FAIL, &s);
	out = map_text(&s);
	CHECK(strstr(out, " 100.000 MHz     2   pass (no page)"));
	CHECK(strstr(out, "Passes at every clock up to 100.000 MHz"));
	CHECK(strstr(out, "Within a page: passes up to 100.000 MHz. Across a "
			  "page boundary: passes up to 66.667 MHz"));
	CHECK(strstr(out, "Recommended: 100.000 MHz (sample shift on), within "
			  "pages only."));
	free(out);
}

static void json(void)
{
	struct margin_setup su = {"devebox-h750", "ESP-PSRAM64H", WIRE_QPI,
				  KERNEL, 1};
	struct margin_summary s;
	struct json j;

	summarize(40 * MHZ, 20 * MHZ, &s);
	json_init(&j);
	json_object_begin(&j, NULL);
	margin_json_summary(&j, &su, npts, &s);
	json_object_end(&j);
	CHECK(strstr(j.sb.buf, "\"type\":\"margin\",\"board\":\"devebox-h750\""));
	CHECK(strstr(j.sb.buf, "\"pass\":false,\"max_pass_hz\":20000000,"
			       "\"data_max_hz\":40000000,"
			       "\"page_cross_max_hz\":20000000,"
			       "\"recommended_hz\":18181818"));
	CHECK(strstr(j.sb.buf, "\"faults\":[{\"kind\":\"clock-limit\","
			       "\"max_mhz\":40.000},{\"kind\":\"page-cross\","
			       "\"max_mhz\":20.000}]}"));
	json_release(&j);

	json_init(&j);
	json_object_begin(&j, NULL);
	margin_json_point(&j, &pts[npts - 1]);
	json_object_end(&j);
	CHECK_STR(j.sb.buf, "{\"type\":\"margin-point\",\"clock_hz\":100000000,"
			    "\"prescaler\":1,\"sample_shift\":true,"
			    "\"data\":{\"checked\":2048,\"wrong\":2000},"
			    "\"page\":null,\"pass\":false}");
	json_release(&j);
}

UNIT_MAIN("cli_margin_report", UNIT_TEST(clean_chip), UNIT_TEST(clock_limit),
	  UNIT_TEST(page_cross), UNIT_TEST(sample_shift),
	  UNIT_TEST(nothing_passes), UNIT_TEST(hole_in_the_middle),
	  UNIT_TEST(map), UNIT_TEST(json))
