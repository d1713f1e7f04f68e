/* The number grammar every size-like option value shares (--sizes,
 * --range, bench's sizes, flash's sizes): decimal or 0x hexadecimal with
 * an optional K (×1024) or M (×1024²) suffix, at most NUMBER_MAX so that
 * no later arithmetic can overflow. Pure functions. */
#ifndef CLI_NUMBER_H
#define CLI_NUMBER_H

#include <stddef.h>
#include <stdint.h>

#define NUMBER_MAX (1ull << 40)

/* A number at the start of s; *end is where it stops. -1 when s does not
 * start with one or it exceeds NUMBER_MAX. */
int number_prefix(const char *s, uint64_t *out, const char **end);

/* Copies the first len bytes of s into dst (size >= NUMBER_SHOWN) for
 * quoting back, control characters as '?', cut to NUMBER_ITEM_MAX
 * characters and "..." when longer. Returns -1 when it was cut. */
#define NUMBER_ITEM_MAX 64
#define NUMBER_SHOWN (NUMBER_ITEM_MAX + 4)
int number_shown(char *dst, const char *s, size_t len);

#endif
