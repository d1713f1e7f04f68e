/* What psramctl watch shows: the counters of diagnosis/watch_stats.h as a
 * block of lines redrawn in place, as one plain status line, and as a
 * --json record. */
#ifndef CLI_WATCH_VIEW_H
#define CLI_WATCH_VIEW_H

#include "diagnosis/watch_stats.h"
#include "report/json.h"
#include "util/strbuf.h"

/* The block: passes, errors, per line, per bit, per address bit, the
 * last bad addresses; each line ends with '\n'. */
void watch_view_block(const struct watch_stats *w, double seconds,
		      struct strbuf *out);
/* One line (no '\n'): passes, bytes, wrong units, the busiest line. */
void watch_view_line(const struct watch_stats *w, double seconds,
		     struct strbuf *out);
/* The members of a record (type and any header are the caller's). */
void watch_view_json(const struct watch_stats *w, double seconds,
		     struct json *j);

#endif
