#include "report/watch_view.h"

#include <inttypes.h>
#include <stdio.h>

static const char *mb(uint64_t bytes, char *buf, size_t n)
{
	snprintf(buf, n, "%.1f MB", (double)bytes / 1e6);
	return buf;
}

void watch_view_line(const struct watch_stats *w, double seconds,
		     struct strbuf *out)
{
	char m[32];

	sb_addf(out, "%.1f s: %" PRIu64 " passes, %s checked, %" PRIu64
		" wrong units in %" PRIu64 " passes",
		seconds, w->passes, mb(w->bytes, m, sizeof(m)), w->errors,
		w->bad_passes);
	if (w->qpi && w->reported) {
		unsigned top = 0;

		for (unsigned i = 1; i < 4; i++)
			if (w->io_only[i] > w->io_only[top])
				top = i;
		if (w->io_only[top])
			sb_addf(out, ", IO%u alone in %" PRIu64 " units", top,
				w->io_only[top]);
	}
}

/* "label  n0 n1 ..." for the non-zero counters, "none" otherwise. */
static void counts(struct strbuf *out, const char *label, const char *prefix,
		   const uint64_t *v, unsigned n)
{
	int any = 0;

	sb_addf(out, "%-13s", label);
	for (unsigned i = n; i-- > 0;) {
		if (!v[i])
			continue;
		sb_addf(out, " %s%u:%" PRIu64, prefix, i, v[i]);
		any = 1;
	}
	sb_adds(out, any ? "\n" : " none\n");
}

void watch_view_block(const struct watch_stats *w, double seconds,
		      struct strbuf *out)
{
	char m[32];

	sb_addf(out, "passes       %" PRIu64 " in %.1f s, %s checked, %" PRIu64
		" with errors\n",
		w->passes, seconds, mb(w->bytes, m, sizeof(m)), w->bad_passes);
	sb_addf(out, "wrong units  %" PRIu64 " (%" PRIu64 " described)\n",
		w->errors, w->reported);
	if (w->qpi) {
		sb_addf(out,
			"IO line      IO0 %-8" PRIu64 " IO1 %-8" PRIu64
			" IO2 %-8" PRIu64 " IO3 %-8" PRIu64 " wrong bits\n",
			w->io[0], w->io[1], w->io[2], w->io[3]);
		sb_addf(out,
			"line alone   IO0 %-8" PRIu64 " IO1 %-8" PRIu64
			" IO2 %-8" PRIu64 " IO3 %-8" PRIu64
			" units wrong on that line only\n",
			w->io_only[0], w->io_only[1], w->io_only[2],
			w->io_only[3]);
	}
	else
		sb_adds(out, "IO line      SPI: every bit on IO0 out, IO1 in\n");
	counts(out, "data bit", "", w->bit, 32);
	counts(out, "address bit", "A", w->addr_bit, WATCH_ADDR_BITS);
	sb_adds(out, "last bad    ");
	if (!w->nlast)
		sb_adds(out, " none\n");
	for (unsigned i = w->nlast; i-- > 0;) {
		const struct diag_mismatch *x = &w->last[i];
		int digits = x->width >= 4 ? 8 : 2 * x->width;

		sb_addf(out, "%s 0x%06x wrote %0*x read %0*x\n",
			i == w->nlast - 1 ? "" : "            ",
			(unsigned)x->offset, digits, (unsigned)x->written,
			digits, (unsigned)x->read);
	}
}

static void array(struct json *j, const char *key, const uint64_t *v,
		  unsigned n)
{
	json_array_begin(j, key);
	for (unsigned i = 0; i < n; i++)
		json_uint(j, NULL, v[i]);
	json_array_end(j);
}

void watch_view_json(const struct watch_stats *w, double seconds,
		     struct json *j)
{
	json_double(j, "seconds", seconds, 3);
	json_uint(j, "passes", w->passes);
	json_uint(j, "bad_passes", w->bad_passes);
	json_uint(j, "bytes", w->bytes);
	json_uint(j, "errors", w->errors);
	json_uint(j, "reported", w->reported);
	if (w->qpi) {
		array(j, "io", w->io, 4);
		array(j, "io_only", w->io_only, 4);
	}
	array(j, "bit", w->bit, 32);
	array(j, "addr_bit", w->addr_bit, WATCH_ADDR_BITS);
	json_array_begin(j, "last");
	for (unsigned i = 0; i < w->nlast; i++) {
		json_object_begin(j, NULL);
		json_hex(j, "offset", w->last[i].offset, 6);
		json_uint(j, "width", w->last[i].width);
		json_hex(j, "written", w->last[i].written, 8);
		json_hex(j, "read", w->last[i].read, 8);
		json_object_end(j);
	}
	json_array_end(j);
}
