/* The size grammar of `bench --sizes`. Numbers are decimal or 0x hexadecimal with an optional K
 * (×1024) or M (×1024²) suffix.
 *
 *   --sizes 4,16,1024     a list
 *   --sizes 4..8192       every power of two from 4 to 8192
 *   --sizes 4..64:4       4, 8, 12 ... 64 (a step added)
 *   --sizes 4..8192:x4    4, 16, 64 ... (a factor; also *4)
 *   --sizes 4..64,1000    items combine; the result is sorted, each once
 *
 * The list is util/list.h's, the numbers util/number.h's (--range,
 * which shares them, is util/range.h).
 *
 * Errors are one line, naming the offending part of the input. Pure
 * functions. */
#ifndef CLI_SIZES_H
#define CLI_SIZES_H

#include <stddef.h>
#include <stdint.h>

#define SIZES_MAX 256

struct sizes {
	size_t n;
	uint32_t v[SIZES_MAX]; /* ascending, distinct */
};

/* Parses spec into sizes within [min, max]. Returns 0, or -1 with the
 * reason in err (without the option's name: "'4..2': the end is below
 * the start"). */
int sizes_parse(const char *spec, uint32_t min, uint32_t max,
		struct sizes *out, char *err, size_t errlen);

#endif
