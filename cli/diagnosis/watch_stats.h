/* What psramctl watch counts over its passes: the wrong units the stub
 * reported, attributed to the bit positions that differ, to the data
 * lines that carry those bits and to the address bits of the units, and
 * the last few bad addresses. Pure: no I/O.
 *
 * Data lines: in QPI (1-4-4 / 4-4-4) each byte crosses the bus as two
 * nibbles, its bits 7..4 then 3..0 on IO3..IO0, so bit b of every byte
 * travels on IO(b mod 4) (the quad read and write waveforms of the
 * ESP-PSRAM64H and APS6404L datasheets). In SPI every data bit is on
 * IO0 written and IO1 read: the line cannot be told from the bit. */
#ifndef CLI_WATCH_STATS_H
#define CLI_WATCH_STATS_H

#include <stdint.h>

#include "diagnosis/diagnose.h"

#define WATCH_LAST 8
#define WATCH_ADDR_BITS 23 /* A[22:0] of the 64 Mbit parts */

struct watch_stats {
	int qpi;
	uint64_t passes;
	uint64_t bad_passes;	/* passes with any wrong unit */
	uint64_t bytes;		/* checked */
	uint64_t errors;	/* wrong units, reported or not */
	uint64_t reported;	/* wrong units the stub described */
	uint64_t io[4];		/* QPI: wrong bits per data line */
	/* QPI: wrong units whose wrong bits all travel on that one line —
	 * what a bad joint on it leaves when command and address still got
	 * through (a transfer whose command or address it garbled is wrong
	 * on every line). */
	uint64_t io_only[4];
	uint64_t bit[32];	/* wrong bits per position in the unit */
	uint64_t addr_bit[WATCH_ADDR_BITS]; /* wrong units whose offset has
					      * the bit set */
	struct diag_mismatch last[WATCH_LAST]; /* newest at last[nlast-1] */
	unsigned nlast;
};

void watch_stats_init(struct watch_stats *w, int qpi);
void watch_stats_mismatch(struct watch_stats *w, const struct diag_mismatch *m);
/* One pass ended: bytes checked, wrong units (the stub's count). */
void watch_stats_pass(struct watch_stats *w, uint64_t bytes, uint64_t errors);

#endif
