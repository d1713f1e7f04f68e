/* The option value grammars: --sizes (util/sizes.c), --range
 * (util/range.c), --pattern (util/pattern.c) and the word lists of
 * util/list.c. The first byte picks the parser and its limits; the rest,
 * up to its first NUL, is the option's value. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "util/list.h"
#include "util/pattern.h"
#include "util/range.h"
#include "util/sizes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct list_word words[] = {
		{"8", 8}, {"16", 16}, {"32", 32}, {"read", 64}, {NULL, 0}};
	static struct sizes sizes;
	char err[256], *spec;
	uint64_t off, len;
	uint32_t v, bits;
	unsigned pbits, narrowest;

	if (!size)
		return 0;
	spec = malloc(size);
	memcpy(spec, data + 1, size - 1);
	spec[size - 1] = '\0';
	switch (data[0] % 5) {
	case 0:
		if (!sizes_parse(spec, 1, 64 * 1024, &sizes, err, sizeof(err)))
			for (size_t i = 1; i < sizes.n; i++)
				if (sizes.v[i - 1] >= sizes.v[i])
					abort();
		break;
	case 1:
		if (!sizes_parse(spec, 0, 0xffffffffu, &sizes, err,
				 sizeof(err)) &&
		    sizes.n > SIZES_MAX)
			abort();
		break;
	case 2:
		if (!range_parse(spec, 8u << 20, &off, &len, err,
				 sizeof(err)) &&
		    (!len || off + len > (8u << 20)))
			abort();
		break;
	case 3:
		if (!pattern_parse(spec, &v, &pbits, err, sizeof(err)))
			pattern_fits(pbits, data[0] & 56u, &narrowest);
		break;
	default:
		list_parse_words(spec, words, &bits, err, sizeof(err));
		break;
	}
	if (strlen(err) >= sizeof(err))
		abort();
	free(spec);
	return 0;
}
