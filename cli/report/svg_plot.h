/* A line chart as a standalone SVG 1.1 document: series of (x, y) points
 * over a logarithmic (base 2) x axis and a linear y axis from 0, a legend,
 * a title and a subtitle. `bench --plot` draws throughput against block
 * size with it. Pure: it writes text into a buffer.
 *
 * Every drawn point of a series with markers is a
 *   <circle class="point" data-series="N" data-x="X" data-y="Y" .../>
 * (N the series' index, X and Y the values as given, %g), so the chart can
 * be checked against the data it was drawn from. */
#ifndef CLI_SVG_PLOT_H
#define CLI_SVG_PLOT_H

#include <stddef.h>

#include "util/strbuf.h"

struct svg_series {
	const char *name;  /* legend text */
	const char *color; /* an SVG colour: "#1f77b4" */
	int dashed;        /* a dashed line (a limit), else solid */
	int markers;       /* a circle on every point */
	const double *x;   /* n values > 0 */
	const double *y;   /* n values >= 0; NaN = no value (a gap) */
	size_t n;
};

struct svg_plot {
	const char *title;
	const char *subtitle; /* may be NULL */
	const char *note;     /* small print under the chart; may be NULL */
	const char *x_label;
	const char *y_label;
	/* x values as axis labels: 1024 → "1K" (for byte sizes) */
	int x_binary_units;
	const struct svg_series *series;
	size_t nseries;
};

/* Appends the document to out. Returns 0, or -1 (nothing appended) when
 * no series has a point with a finite y and a finite x > 0. */
int svg_plot_render(const struct svg_plot *p, struct strbuf *out);

#endif
