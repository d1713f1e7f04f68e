#include "diagnosis/watch_stats.h"

#include <string.h>

void watch_stats_init(struct watch_stats *w, int qpi)
{
	memset(w, 0, sizeof(*w));
	w->qpi = qpi;
}

void watch_stats_mismatch(struct watch_stats *w, const struct diag_mismatch *m)
{
	unsigned bits = m->width >= 4 ? 32u : 8u * m->width;
	uint32_t diff = m->written ^ m->read;

	if (bits < 32)
		diff &= (1u << bits) - 1;
	w->reported++;
	if (w->qpi && diff) {
		for (unsigned line = 0; line < 4; line++)
			if (!(diff & ~(0x11111111u << line)))
				w->io_only[line]++;
	}
	for (unsigned b = 0; b < bits; b++) {
		if (!(diff >> b & 1))
			continue;
		w->bit[b]++;
		if (w->qpi)
			w->io[b % 4]++;
	}
	for (unsigned k = 0; k < WATCH_ADDR_BITS; k++)
		if (m->offset >> k & 1)
			w->addr_bit[k]++;
	if (w->nlast == WATCH_LAST) {
		memmove(w->last, w->last + 1,
			(WATCH_LAST - 1) * sizeof(*w->last));
		w->nlast--;
	}
	w->last[w->nlast++] = *m;
}

void watch_stats_pass(struct watch_stats *w, uint64_t bytes, uint64_t errors)
{
	w->passes++;
	w->bytes += bytes;
	w->errors += errors;
	if (errors)
		w->bad_passes++;
}
