/* The SVG chart: well-formed XML (checked by a small parser here: nested
 * elements, quoted attributes, known entities, one root), every point
 * present with its values, points placed on a log2 x axis and a linear
 * y axis inside the plot area, text escaped, gaps for missing values. */
#include <math.h>
#include <stdlib.h>

#include "report/svg_plot.h"
#include "unit.h"

/* ---- a minimal XML well-formedness check -------------------------------- */

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == ':' ||
	       c == '.';
}

/* Text or attribute content: '&' only as a known entity, no '<'. */
static int content_ok(const char *p, const char *end)
{
	static const char *const ents[] = {"&amp;", "&lt;", "&gt;", "&quot;",
					   "&apos;"};

	for (; p < end; p++) {
		if (*p == '<')
			return 0;
		if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t')
			return 0;
		if (*p == '&') {
			int ok = 0;

			for (size_t i = 0; i < 5; i++)
				if (!strncmp(p, ents[i], strlen(ents[i])))
					ok = 1;
			if (!ok)
				return 0;
		}
	}
	return 1;
}

/* Returns the number of elements, or -1 if doc is not well-formed. */
static int xml_check(const char *doc, char *root, size_t rootlen)
{
	char stack[32][32];
	int depth = 0, elements = 0, roots = 0;
	const char *p = doc;

	if (!strncmp(p, "<?xml", 5)) {
		p = strstr(p, "?>");
		if (!p)
			return -1;
		p += 2;
	}
	while (*p) {
		const char *lt = strchr(p, '<');
		const char *q;
		char name[32];
		size_t n;
		int closing = 0;

		if (!lt)
			lt = p + strlen(p);
		if (!content_ok(p, lt))
			return -1;
		if (depth == 0)
			for (q = p; q < lt; q++)
				if (*q != '\n' && *q != ' ')
					return -1;
		if (!*lt)
			break;
		p = lt + 1;
		if (*p == '/') {
			closing = 1;
			p++;
		}
		for (n = 0; name_char(p[n]); n++)
			;
		if (!n || n >= sizeof(name))
			return -1;
		memcpy(name, p, n);
		name[n] = '\0';
		p += n;
		if (closing) {
			if (*p != '>' || !depth || strcmp(stack[depth - 1], name))
				return -1;
			depth--;
			p++;
			continue;
		}
		/* Attributes: name="value". */
		for (;;) {
			while (*p == ' ' || *p == '\n')
				p++;
			if (*p == '>' || (p[0] == '/' && p[1] == '>'))
				break;
			for (n = 0; name_char(p[n]); n++)
				;
			if (!n || p[n] != '=' || p[n + 1] != '"')
				return -1;
			p += n + 2;
			q = strchr(p, '"');
			if (!q || !content_ok(p, q))
				return -1;
			p = q + 1;
		}
		elements++;
		if (depth == 0) {
			if (roots++)
				return -1;
			snprintf(root, rootlen, "%s", name);
		}
		if (*p == '/') {
			p += 2;
			continue;
		}
		if (depth == 32)
			return -1;
		snprintf(stack[depth++], sizeof(stack[0]), "%s", name);
		p++;
	}
	return depth == 0 && roots == 1 ? elements : -1;
}

/* ---- the chart ------------------------------------------------------------ */

#define N 12

static double xs[N], rd[N], wr[N], lim[N];

static void fill(void)
{
	for (int i = 0; i < N; i++) {
		xs[i] = 4.0 * (1 << i);
		lim[i] = 30.0 * xs[i] / (xs[i] + 20.0);
		rd[i] = lim[i] * 0.93;
		wr[i] = lim[i] * 0.95;
	}
}

static struct svg_series series[3];
static struct svg_plot plot;

static void setup(void)
{
	fill();
	series[0] = (struct svg_series){"read", "#1f77b4", 0, 1, xs, rd, N};
	series[1] = (struct svg_series){"write", "#d62728", 0, 1, xs, wr, N};
	series[2] = (struct svg_series){"wire limit", "#555555", 1, 0, xs, lim,
					N};
	plot = (struct svg_plot){
		.title = "PSRAM throughput <devebox-h750> & \"more\"",
		.subtitle = "ESP-PSRAM64H, QPI 4-4-4, 32 MHz",
		.note = "modelled time",
		.x_label = "block size (bytes)",
		.y_label = "MB/s",
		.x_binary_units = 1,
		.series = series,
		.nseries = 3,
	};
}

/* The k-th point element: its attributes. */
static const char *nth_point(const char *doc, int k)
{
	const char *p = doc;

	for (int i = 0; i <= k; i++) {
		p = strstr(p, "<circle class=\"point\"");
		if (!p)
			return NULL;
		if (i < k)
			p++;
	}
	return p;
}

static double attr(const char *el, const char *name)
{
	char key[32];
	const char *p;

	snprintf(key, sizeof(key), " %s=\"", name);
	p = strstr(el, key);
	return p ? strtod(p + strlen(key), NULL) : NAN;
}

static void well_formed(void)
{
	struct strbuf sb;
	char root[32] = "";

	setup();
	sb_init(&sb);
	CHECK_EQ(svg_plot_render(&plot, &sb), 0);
	CHECK(xml_check(sb.buf, root, sizeof(root)) > 50);
	CHECK_STR(root, "svg");
	CHECK(strstr(sb.buf, "xmlns=\"http://www.w3.org/2000/svg\""));
	/* The checker itself refuses broken documents. */
	CHECK_EQ(xml_check("<svg><g></svg></g>", root, sizeof(root)), -1);
	CHECK_EQ(xml_check("<svg a=1/>", root, sizeof(root)), -1);
	CHECK_EQ(xml_check("<svg>&nbsp;</svg>", root, sizeof(root)), -1);
	CHECK_EQ(xml_check("<svg/><svg/>", root, sizeof(root)), -1);
	sb_release(&sb);
}

static void every_point(void)
{
	struct strbuf sb;
	const char *el;
	int count = 0;

	setup();
	sb_init(&sb);
	CHECK_EQ(svg_plot_render(&plot, &sb), 0);
	for (el = sb.buf; (el = strstr(el, "class=\"point\"")); el++)
		count++;
	/* read and write have markers, the limit has none */
	CHECK_EQ(count, 2 * N);
	for (int s = 0; s < 2; s++)
		for (int i = 0; i < N; i++) {
			const double *y = s ? wr : rd;

			el = nth_point(sb.buf, s * N + i);
			CHECK(el);
			CHECK_EQ(attr(el, "data-series"), s);
			CHECK_EQ(attr(el, "data-x"), xs[i]);
			CHECK(fabs(attr(el, "data-y") - y[i]) < 1e-4 * y[i]);
		}
	/* The limit is a dashed line through all its points. */
	CHECK(strstr(sb.buf, "stroke-dasharray"));
	sb_release(&sb);
}

static void geometry(void)
{
	struct strbuf sb;
	double cx[N], cy[N];

	setup();
	sb_init(&sb);
	CHECK_EQ(svg_plot_render(&plot, &sb), 0);
	for (int i = 0; i < N; i++) {
		const char *el = nth_point(sb.buf, i);

		cx[i] = attr(el, "cx");
		cy[i] = attr(el, "cy");
		CHECK(cx[i] >= 80 && cx[i] <= 650);
		CHECK(cy[i] >= 78 && cy[i] <= 440);
	}
	/* log2 x: each doubling moves the same distance to the right. */
	for (int i = 2; i < N; i++)
		CHECK(fabs((cx[i] - cx[i - 1]) - (cx[1] - cx[0])) < 0.02);
	/* linear y from 0 at the bottom: higher values higher up, heights
	 * proportional to the values. */
	for (int i = 1; i < N; i++)
		CHECK(cy[i] < cy[i - 1]);
	CHECK(fabs((440 - cy[N - 1]) / (440 - cy[0]) - rd[N - 1] / rd[0]) <
	      0.01);
	/* Axis labels in binary units. */
	CHECK(strstr(sb.buf, ">1K</text>"));
	CHECK(strstr(sb.buf, ">8K</text>"));
	CHECK(strstr(sb.buf, ">4</text>"));
	sb_release(&sb);
}

static void escaping_and_labels(void)
{
	struct strbuf sb;

	setup();
	sb_init(&sb);
	CHECK_EQ(svg_plot_render(&plot, &sb), 0);
	CHECK(strstr(sb.buf, "&lt;devebox-h750&gt; &amp; &quot;more&quot;"));
	CHECK(!strstr(sb.buf, "<devebox"));
	CHECK(strstr(sb.buf, "ESP-PSRAM64H, QPI 4-4-4, 32 MHz"));
	CHECK(strstr(sb.buf, ">wire limit</text>"));
	CHECK(strstr(sb.buf, ">modelled time</text>"));
	CHECK(strstr(sb.buf, ">block size (bytes)</text>"));
	sb_release(&sb);
}

static void gaps_and_empty(void)
{
	struct strbuf sb;
	char root[32];
	int count = 0;
	const char *el;

	setup();
	rd[3] = NAN;
	wr[5] = NAN;
	sb_init(&sb);
	CHECK_EQ(svg_plot_render(&plot, &sb), 0);
	CHECK(xml_check(sb.buf, root, sizeof(root)) > 0);
	for (el = sb.buf; (el = strstr(el, "class=\"point\"")); el++)
		count++;
	CHECK_EQ(count, 2 * N - 2);
	/* A gap splits the read line in two: 2 + 2 + 1 polylines. */
	count = 0;
	for (el = sb.buf; (el = strstr(el, "<polyline")); el++)
		count++;
	CHECK_EQ(count, 5);
	sb_reset(&sb);

	for (int i = 0; i < N; i++)
		rd[i] = wr[i] = lim[i] = NAN;
	CHECK_EQ(svg_plot_render(&plot, &sb), -1);
	CHECK_EQ(sb.len, 0);
	plot.nseries = 0;
	CHECK_EQ(svg_plot_render(&plot, &sb), -1);
	sb_release(&sb);
}

static void one_point(void)
{
	struct strbuf sb;
	char root[32];
	double x = 1000, y = 0;
	struct svg_series one = {"only", "red", 0, 1, &x, &y, 1};
	struct svg_plot p = {.title = "t", .x_label = "x", .y_label = "y",
			     .series = &one, .nseries = 1};

	sb_init(&sb);
	CHECK_EQ(svg_plot_render(&p, &sb), 0);
	CHECK(xml_check(sb.buf, root, sizeof(root)) > 0);
	CHECK(strstr(sb.buf, "data-x=\"1000\" data-y=\"0\""));
	sb_release(&sb);
}

UNIT_MAIN("cli_svg_plot", UNIT_TEST(well_formed), UNIT_TEST(every_point),
	  UNIT_TEST(geometry), UNIT_TEST(escaping_and_labels),
	  UNIT_TEST(gaps_and_empty), UNIT_TEST(one_point))
