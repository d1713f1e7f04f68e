/* The --range grammar of the memory commands (memtest, verify, bench):
 *
 *   --range 0x100000:64K  offset:length
 *   --range 0..4M         offset..end (end excluded)
 *
 * numbers as util/number.h reads them. Pure functions. */
#ifndef CLI_RANGE_H
#define CLI_RANGE_H

#include <stddef.h>
#include <stdint.h>

/* Parses spec into a non-empty range that ends at or before limit.
 * Returns 0, or -1 with the reason in err ("'0..0': the range is
 * empty"), without the option's name. */
int range_parse(const char *spec, uint64_t limit, uint64_t *offset,
		uint64_t *length, char *err, size_t errlen);

#endif
