#include "util/list.h"

#include <stdio.h>
#include <string.h>

#include "util/value_error.h"

void list_iter_init(struct list_iter *it, const char *spec)
{
	it->p = spec;
	it->done = 0;
}

int list_iter_next(struct list_iter *it, char *item, char *err,
		   size_t errlen)
{
	size_t len;

	if (it->done)
		return 0;
	len = strcspn(it->p, ",");
	if (!len) {
		it->done = 1;
		return value_error(err, errlen,
				   "empty item in the list (items are "
				   "separated by single commas)");
	}
	if (number_shown(item, it->p, len) < 0) {
		it->done = 1;
		return value_error(err, errlen, "'%s' is too long", item);
	}
	/* After "8,16," the next call finds the empty last item. */
	if (it->p[len])
		it->p += len + 1;
	else
		it->done = 1;
	return 1;
}

int list_parse_words(const char *spec, const struct list_word *words,
		     uint32_t *bits, char *err, size_t errlen)
{
	struct list_iter it;
	char item[NUMBER_SHOWN];
	int r;

	*bits = 0;
	list_iter_init(&it, spec);
	while ((r = list_iter_next(&it, item, err, errlen)) == 1) {
		const struct list_word *w;

		for (w = words; w->name && strcmp(w->name, item); w++)
			;
		if (!w->name) {
			size_t n;

			n = (size_t)snprintf(err, errlen, "'%s' is not one of ",
					     item);
			for (w = words; w->name && n < errlen; w++)
				n += (size_t)snprintf(err + n, errlen - n,
						      "%s%s",
						      w == words ? "" : ", ",
						      w->name);
			*bits = 0;
			return -1;
		}
		*bits |= w->bits;
	}
	if (r < 0)
		*bits = 0;
	return r;
}
