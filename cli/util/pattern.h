/* memtest's --pattern HEX: as wide as its digits say (0x5a: a byte,
 * 0x5a5a: a halfword, up to 8 digits: a word), repeated to 32 bits. A
 * pattern wider than an access width chosen with --width would be cut
 * at that width without a word: pattern_fits refuses it. Pure
 * functions. */
#ifndef CLI_PATTERN_H
#define CLI_PATTERN_H

#include <stddef.h>
#include <stdint.h>

/* 0 with the 32-bit value and its width (8, 16 or 32) set, or -1 with the
 * reason in err ("'0xg' is not up to 8 hex digits (like 0x5a5a)"). */
int pattern_parse(const char *spec, uint32_t *value, unsigned *bits,
		  char *err, size_t errlen);

/* 0 when a pattern of `bits` fits every width of widths_bits (a set of
 * 8, 16, 32 as bit masks 8|16|32 of their values); else -1 with the
 * narrowest width that cuts it in *narrowest. */
int pattern_fits(unsigned bits, unsigned widths_bits, unsigned *narrowest);

#endif
