/* The one list grammar of psramctl's option values (--sizes, --width,
 * --tests, --ops, ...): items separated by single commas. An empty item
 * (",,", a leading or a trailing comma) is an error in every list, as is
 * an item longer than NUMBER_ITEM_MAX characters; each list's own parser
 * then judges its items. Error texts name the option's value, never the
 * option (the caller adds "invalid value ... for --NAME"). Pure
 * functions. */
#ifndef CLI_LIST_H
#define CLI_LIST_H

#include <stddef.h>
#include <stdint.h>

#include "util/number.h"

struct list_iter {
	const char *p;
	int done;
};

void list_iter_init(struct list_iter *it, const char *spec);
/* The next item, printable, into item (NUMBER_SHOWN bytes). Returns 1
 * for an item, 0 at the end, -1 with the reason in err. */
int list_iter_next(struct list_iter *it, char *item, char *err,
		   size_t errlen);

/* A list of names, each standing for some bits. */
struct list_word {
	const char *name;
	uint32_t bits;
};

/* Parses a list of words (the table ends with a NULL name) into the OR
 * of their bits. -1 with "'X' is not one of a, b, c" or a grammar error
 * in err. */
int list_parse_words(const char *spec, const struct list_word *words,
		     uint32_t *bits, char *err, size_t errlen);

#endif
