#include "report/svg_plot.h"

#include <math.h>
#include <stdio.h>

/* Canvas and plot area, in SVG user units (pixels when rasterised). */
#define WIDTH 900
#define HEIGHT 540
#define PLOT_LEFT 80.0
#define PLOT_RIGHT 650.0
#define PLOT_TOP 78.0
#define PLOT_BOTTOM 440.0
#define LEGEND_X 670.0
#define X_PAD_OCTAVES 0.3
#define FONT "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\""

struct scale {
	double x_lo, x_hi; /* log2 of the x range */
	double y_hi;       /* the axis goes from 0 to here */
	double y_step;
};

static int usable(double x, double y)
{
	return isfinite(x) && x > 0 && isfinite(y) && y >= 0;
}

static void text_escaped(struct strbuf *sb, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			sb_adds(sb, "&amp;");
			break;
		case '<':
			sb_adds(sb, "&lt;");
			break;
		case '>':
			sb_adds(sb, "&gt;");
			break;
		case '"':
			sb_adds(sb, "&quot;");
			break;
		case '\'':
			sb_adds(sb, "&apos;");
			break;
		default:
			/* XML 1.0 allows no C0 controls but tab and newline. */
			if ((unsigned char)*s < 0x20)
				sb_addc(sb, ' ');
			else
				sb_addc(sb, *s);
		}
	}
}

/* 1, 2, 2.5 or 5 times a power of ten, at least v. */
static double nice_step(double v)
{
	static const double m[] = {1, 2, 2.5, 5, 10};
	double p = pow(10, floor(log10(v)));

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (m[i] * p >= v)
			return m[i] * p;
	return 10 * p;
}

static int find_scale(const struct svg_plot *p, struct scale *s)
{
	double xmin = INFINITY, xmax = -INFINITY, ymax = 0;
	int any = 0;

	for (size_t i = 0; i < p->nseries; i++) {
		const struct svg_series *ser = &p->series[i];

		for (size_t k = 0; k < ser->n; k++) {
			if (!usable(ser->x[k], ser->y[k]))
				continue;
			any = 1;
			xmin = fmin(xmin, ser->x[k]);
			xmax = fmax(xmax, ser->x[k]);
			ymax = fmax(ymax, ser->y[k]);
		}
	}
	if (!any)
		return -1;
	/* A third of an octave of room on both sides, so that no point
	 * sits on the frame. */
	s->x_lo = log2(xmin) - X_PAD_OCTAVES;
	s->x_hi = log2(xmax) + X_PAD_OCTAVES;
	if (ymax <= 0)
		ymax = 1;
	s->y_step = nice_step(ymax * 1.08 / 6);
	s->y_hi = ceil(ymax * 1.08 / s->y_step) * s->y_step;
	return 0;
}

static double px(const struct scale *s, double x)
{
	return PLOT_LEFT + (log2(x) - s->x_lo) / (s->x_hi - s->x_lo) *
				   (PLOT_RIGHT - PLOT_LEFT);
}

static double py(const struct scale *s, double y)
{
	return PLOT_BOTTOM - y / s->y_hi * (PLOT_BOTTOM - PLOT_TOP);
}

static void x_tick_label(char *buf, size_t n, double v, int binary)
{
	if (binary && v >= 1024 * 1024 && fmod(v, 1024 * 1024) == 0)
		snprintf(buf, n, "%gM", v / (1024 * 1024));
	else if (binary && v >= 1024 && fmod(v, 1024) == 0)
		snprintf(buf, n, "%gK", v / 1024);
	else
		snprintf(buf, n, "%g", v);
}

static void axes(struct strbuf *sb, const struct svg_plot *p,
		 const struct scale *s)
{
	int first = (int)ceil(s->x_lo), last = (int)floor(s->x_hi);
	int every = last - first <= 12 ? 1 : (last - first + 11) / 12;
	char label[32];

	sb_addf(sb, "<g class=\"grid\" stroke=\"#dddddd\" stroke-width=\"1\">\n");
	for (int e = first; e <= last; e++)
		sb_addf(sb, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			"y2=\"%.1f\"/>\n",
			px(s, exp2(e)), PLOT_TOP, px(s, exp2(e)), PLOT_BOTTOM);
	for (double y = s->y_step; y <= s->y_hi + s->y_step / 2;
	     y += s->y_step)
		sb_addf(sb, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			"y2=\"%.1f\"/>\n",
			PLOT_LEFT, py(s, y), PLOT_RIGHT, py(s, y));
	sb_adds(sb, "</g>\n");
	sb_addf(sb, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		"height=\"%.1f\" fill=\"none\" stroke=\"#444444\"/>\n",
		PLOT_LEFT, PLOT_TOP, PLOT_RIGHT - PLOT_LEFT,
		PLOT_BOTTOM - PLOT_TOP);

	sb_addf(sb, "<g class=\"x-ticks\" " FONT " font-size=\"12\" "
		"fill=\"#222222\" text-anchor=\"middle\">\n");
	for (int e = first; e <= last; e++) {
		if ((e - first) % every)
			continue;
		x_tick_label(label, sizeof(label), exp2(e), p->x_binary_units);
		sb_addf(sb, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n",
			px(s, exp2(e)), PLOT_BOTTOM + 18, label);
	}
	sb_adds(sb, "</g>\n");
	sb_addf(sb, "<g class=\"y-ticks\" " FONT " font-size=\"12\" "
		"fill=\"#222222\" text-anchor=\"end\">\n");
	for (double y = 0; y <= s->y_hi + s->y_step / 2; y += s->y_step)
		sb_addf(sb, "<text x=\"%.1f\" y=\"%.1f\">%g</text>\n",
			PLOT_LEFT - 8, py(s, y) + 4, y);
	sb_adds(sb, "</g>\n");

	sb_addf(sb, "<text class=\"x-label\" x=\"%.1f\" y=\"%.1f\" " FONT
		" font-size=\"14\" text-anchor=\"middle\">",
		(PLOT_LEFT + PLOT_RIGHT) / 2, PLOT_BOTTOM + 42);
	text_escaped(sb, p->x_label);
	sb_adds(sb, "</text>\n");
	sb_addf(sb, "<text class=\"y-label\" x=\"%.1f\" y=\"%.1f\" " FONT
		" font-size=\"14\" text-anchor=\"middle\" "
		"transform=\"rotate(-90 %.1f %.1f)\">",
		PLOT_LEFT - 52, (PLOT_TOP + PLOT_BOTTOM) / 2, PLOT_LEFT - 52,
		(PLOT_TOP + PLOT_BOTTOM) / 2);
	text_escaped(sb, p->y_label);
	sb_adds(sb, "</text>\n");
}

/* The line, broken where a value is missing. */
static void series_line(struct strbuf *sb, const struct svg_series *ser,
			const struct scale *s)
{
	int open = 0;

	for (size_t k = 0; k < ser->n; k++) {
		if (!usable(ser->x[k], ser->y[k])) {
			if (open)
				sb_adds(sb, "\"/>\n");
			open = 0;
			continue;
		}
		if (!open) {
			sb_adds(sb, "<polyline fill=\"none\" stroke=\"");
			text_escaped(sb, ser->color);
			sb_addf(sb, "\" stroke-width=\"%s\"%s points=\"",
				ser->dashed ? "1.5" : "2.2",
				ser->dashed ? " stroke-dasharray=\"7 5\"" : "");
			open = 1;
		} else {
			sb_addc(sb, ' ');
		}
		sb_addf(sb, "%.2f,%.2f", px(s, ser->x[k]), py(s, ser->y[k]));
	}
	if (open)
		sb_adds(sb, "\"/>\n");
}

static void series_points(struct strbuf *sb, const struct svg_series *ser,
			  size_t index, const struct scale *s)
{
	for (size_t k = 0; k < ser->n; k++) {
		if (!usable(ser->x[k], ser->y[k]))
			continue;
		sb_addf(sb, "<circle class=\"point\" data-series=\"%zu\" "
			"data-x=\"%g\" data-y=\"%g\" cx=\"%.2f\" cy=\"%.2f\" "
			"r=\"3.5\" fill=\"",
			index, ser->x[k], ser->y[k], px(s, ser->x[k]),
			py(s, ser->y[k]));
		text_escaped(sb, ser->color);
		sb_adds(sb, "\"><title>");
		text_escaped(sb, ser->name);
		sb_addf(sb, ": %g, %g</title></circle>\n", ser->x[k],
			ser->y[k]);
	}
}

static void legend(struct strbuf *sb, const struct svg_plot *p)
{
	double y = PLOT_TOP + 12;

	sb_addf(sb, "<g class=\"legend\" " FONT " font-size=\"13\">\n");
	for (size_t i = 0; i < p->nseries; i++, y += 24) {
		const struct svg_series *ser = &p->series[i];

		sb_addf(sb, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			"y2=\"%.1f\" stroke=\"",
			LEGEND_X, y, LEGEND_X + 30, y);
		text_escaped(sb, ser->color);
		sb_addf(sb, "\" stroke-width=\"%s\"%s/>\n",
			ser->dashed ? "1.5" : "2.2",
			ser->dashed ? " stroke-dasharray=\"7 5\"" : "");
		if (ser->markers) {
			sb_addf(sb, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" "
				"fill=\"",
				LEGEND_X + 15, y);
			text_escaped(sb, ser->color);
			sb_adds(sb, "\"/>\n");
		}
		sb_addf(sb, "<text x=\"%.1f\" y=\"%.1f\">", LEGEND_X + 38,
			y + 4.5);
		text_escaped(sb, ser->name);
		sb_adds(sb, "</text>\n");
	}
	sb_adds(sb, "</g>\n");
}

int svg_plot_render(const struct svg_plot *p, struct strbuf *out)
{
	struct scale s;

	if (find_scale(p, &s) < 0)
		return -1;
	sb_addf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
		"width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
		WIDTH, HEIGHT, WIDTH, HEIGHT);
	sb_adds(out, "<title>");
	text_escaped(out, p->title);
	sb_adds(out, "</title>\n");
	sb_addf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
		WIDTH, HEIGHT);
	sb_addf(out, "<text class=\"title\" x=\"%.1f\" y=\"30\" " FONT
		" font-size=\"18\" font-weight=\"bold\">",
		PLOT_LEFT);
	text_escaped(out, p->title);
	sb_adds(out, "</text>\n");
	if (p->subtitle) {
		sb_addf(out, "<text class=\"subtitle\" x=\"%.1f\" y=\"54\" " FONT
			" font-size=\"13\" fill=\"#333333\">",
			PLOT_LEFT);
		text_escaped(out, p->subtitle);
		sb_adds(out, "</text>\n");
	}
	axes(out, p, &s);
	for (size_t i = 0; i < p->nseries; i++)
		series_line(out, &p->series[i], &s);
	for (size_t i = 0; i < p->nseries; i++)
		if (p->series[i].markers)
			series_points(out, &p->series[i], i, &s);
	legend(out, p);
	if (p->note) {
		sb_addf(out, "<text class=\"note\" x=\"%.1f\" y=\"%d\" " FONT
			" font-size=\"11\" fill=\"#555555\">",
			PLOT_LEFT, HEIGHT - 14);
		text_escaped(out, p->note);
		sb_adds(out, "</text>\n");
	}
	sb_adds(out, "</svg>\n");
	return 0;
}
