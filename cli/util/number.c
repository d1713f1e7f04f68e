#include "util/number.h"

#include <string.h>

#include "util/hex.h"

int number_shown(char *dst, const char *s, size_t len)
{
	if (len > NUMBER_ITEM_MAX)
		len = NUMBER_ITEM_MAX + 1;
	for (size_t i = 0; i < len && i < NUMBER_ITEM_MAX; i++)
		dst[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?'
								     : s[i];
	if (len > NUMBER_ITEM_MAX) {
		memcpy(dst + NUMBER_ITEM_MAX, "...", 4);
		return -1;
	}
	dst[len] = '\0';
	return 0;
}

int number_prefix(const char *s, uint64_t *out, const char **end)
{
	uint64_t v = 0;
	unsigned base = 10;
	const char *p = s;
	int digits = 0;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (;; p++, digits++) {
		int d = hex_digit(*p);

		if (d < 0 || (unsigned)d >= base)
			break;
		v = v * base + (unsigned)d;
		if (v > NUMBER_MAX)
			return -1;
	}
	if (!digits)
		return -1;
	if (*p == 'k' || *p == 'K') {
		v <<= 10;
		p++;
	} else if (*p == 'm' || *p == 'M') {
		v <<= 20;
		p++;
	}
	if (v > NUMBER_MAX)
		return -1;
	*out = v;
	*end = p;
	return 0;
}
