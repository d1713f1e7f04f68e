#include "util/range.h"

#include <string.h>

#include "util/number.h"
#include "util/value_error.h"

int range_parse(const char *spec, uint64_t limit, uint64_t *offset,
		uint64_t *length, char *err, size_t errlen)
{
	char shown[NUMBER_SHOWN];
	const char *end;
	uint64_t a, b;
	int to_end;

	number_shown(shown, spec, strlen(spec));
	if (number_prefix(spec, &a, &end) < 0)
		goto bad;
	to_end = !strncmp(end, "..", 2);
	if (!to_end && *end != ':')
		goto bad;
	if (number_prefix(end + (to_end ? 2 : 1), &b, &end) < 0 || *end)
		goto bad;
	if (to_end) {
		if (b <= a)
			return value_error(err, errlen,
					   "'%s': the end is not above the "
					   "start",
					   shown);
		b -= a;
	}
	if (!b)
		return value_error(err, errlen, "'%s': the range is empty",
				   shown);
	if (a >= limit || b > limit - a)
		return value_error(err, errlen,
				   "'%s': beyond the chip's %llu bytes "
				   "(0x%llx)",
				   shown, (unsigned long long)limit,
				   (unsigned long long)limit);
	*offset = a;
	*length = b;
	return 0;
bad:
	return value_error(err, errlen,
			   "'%s' is not a range (like 0x100000:64K for "
			   "offset:length, or 0..4M for offset..end)",
			   shown);
}
