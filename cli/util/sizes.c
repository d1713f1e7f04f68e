#include "util/sizes.h"

#include <stdlib.h>
#include <string.h>

#include "util/list.h"
#include "util/number.h"
#include "util/value_error.h"

struct builder {
	struct sizes *out;
	uint32_t min, max;
	const char *item; /* the item being parsed, printable */
	char *err;
	size_t errlen;
};

static int add(struct builder *b, uint64_t v)
{
	if (v < b->min || v > b->max)
		return value_error(b->err, b->errlen,
				   "'%s': sizes must lie in %lu..%lu", b->item,
				   (unsigned long)b->min,
				   (unsigned long)b->max);
	for (size_t i = 0; i < b->out->n; i++)
		if (b->out->v[i] == v)
			return 0;
	if (b->out->n == SIZES_MAX)
		return value_error(b->err, b->errlen,
				   "'%s': more than %d sizes", b->item,
				   SIZES_MAX);
	b->out->v[b->out->n++] = (uint32_t)v;
	return 0;
}

static int add_powers_of_two(struct builder *b, uint64_t lo, uint64_t hi)
{
	uint64_t v = 1;

	while (v < lo)
		v <<= 1;
	if (v > hi)
		return value_error(b->err, b->errlen,
				   "'%s': no power of two in that range",
				   b->item);
	for (; v <= hi; v <<= 1)
		if (add(b, v) < 0)
			return -1;
	return 0;
}

/* A..B, A..B:S, A..B:xF (or *F); `rest` follows the "..". */
static int add_series(struct builder *b, uint64_t lo, const char *rest)
{
	const char *end;
	uint64_t hi, step = 0, factor = 0;

	if (number_prefix(rest, &hi, &end) < 0)
		return value_error(b->err, b->errlen,
				   "'%s': expected a number after '..'",
				   b->item);
	if (*end == ':') {
		const char *p = end + 1;

		if (*p == 'x' || *p == 'X' || *p == '*') {
			if (number_prefix(p + 1, &factor, &end) < 0 || *end ||
			    factor < 2)
				return value_error(b->err, b->errlen,
						   "'%s': a factor is 'x' and "
						   "a number of 2 or more "
						   "(like 4..8192:x4)",
						   b->item);
		} else if (number_prefix(p, &step, &end) < 0 || *end ||
			   !step) {
			return value_error(b->err, b->errlen,
					   "'%s': a step is a number of 1 or "
					   "more (like 4..64:4)",
					   b->item);
		}
	} else if (*end) {
		return value_error(b->err, b->errlen,
				   "'%s': unexpected text after the end",
				   b->item);
	}
	if (hi < lo)
		return value_error(b->err, b->errlen,
				   "'%s': the end is below the start", b->item);
	if (step) {
		for (uint64_t v = lo; v <= hi; v += step)
			if (add(b, v) < 0)
				return -1;
		return 0;
	}
	if (factor) {
		if (!lo)
			return value_error(b->err, b->errlen,
					   "'%s': a series by a factor cannot "
					   "start at 0",
					   b->item);
		for (uint64_t v = lo;; v *= factor) {
			if (add(b, v) < 0)
				return -1;
			if (v > hi / factor)
				break;
		}
		return 0;
	}
	return add_powers_of_two(b, lo, hi);
}

static int add_item(struct builder *b)
{
	const char *dots = strstr(b->item, "..");
	const char *end;
	uint64_t v;

	if (number_prefix(b->item, &v, &end) < 0 ||
	    (dots ? end != dots : *end != '\0'))
		return value_error(b->err, b->errlen,
				   "'%s' is not a size (like 4096, 0x1000, 4K) "
				   "or a series (like 4..8192)",
				   b->item);
	if (dots)
		return add_series(b, v, dots + 2);
	return add(b, v);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int sizes_parse(const char *spec, uint32_t min, uint32_t max,
		struct sizes *out, char *err, size_t errlen)
{
	struct builder b = {out, min, max, NULL, err, errlen};
	char item[NUMBER_SHOWN];
	struct list_iter it;
	int r;

	out->n = 0;
	b.item = item;
	list_iter_init(&it, spec);
	while ((r = list_iter_next(&it, item, err, errlen)) == 1)
		if (add_item(&b) < 0)
			break;
	if (r) {
		out->n = 0;
		return -1;
	}
	qsort(out->v, out->n, sizeof(out->v[0]), cmp_u32);
	return 0;
}
