#include "util/pattern.h"

#include <string.h>

#include "util/hex.h"
#include "util/number.h"
#include "util/value_error.h"

int pattern_parse(const char *spec, uint32_t *value, unsigned *bits,
		  char *err, size_t errlen)
{
	const char *digits = spec;
	char shown[NUMBER_SHOWN];
	uint32_t v = 0;
	size_t nd;

	if (!strncmp(spec, "0x", 2) || !strncmp(spec, "0X", 2))
		digits = spec + 2;
	for (nd = 0; digits[nd] && hex_digit(digits[nd]) >= 0 && nd <= 8; nd++)
		v = v << 4 | (uint32_t)hex_digit(digits[nd]);
	if (!nd || digits[nd] || nd > 8) {
		number_shown(shown, spec, strlen(spec));
		return value_error(err, errlen,
				   "'%s' is not up to 8 hex digits (like "
				   "0x5a5a)",
				   shown);
	}
	if (nd <= 2) {
		*value = (v & 0xff) * 0x01010101u;
		*bits = 8;
	} else if (nd <= 4) {
		*value = (v & 0xffff) * 0x00010001u;
		*bits = 16;
	} else {
		*value = v;
		*bits = 32;
	}
	return 0;
}

int pattern_fits(unsigned bits, unsigned widths_bits, unsigned *narrowest)
{
	static const unsigned widths[] = {8, 16, 32};

	for (size_t i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		if ((widths_bits & widths[i]) && bits > widths[i]) {
			*narrowest = widths[i];
			return -1;
		}
	}
	return 0;
}
