/* Options as tables: the same entries drive the parser and the --help
 * text, so --help lists exactly what is parsed. Each entry writes into a
 * struct at a given offset; the parser is told the struct's address. */
#ifndef CLI_OPT_H
#define CLI_OPT_H

#include <stddef.h>
#include <stdio.h>

enum opt_kind {
	OPT_FLAG,   /* int, set to 1 */
	OPT_STRING, /* const char *, the argument (last one wins) */
	OPT_UINT,   /* unsigned long long within [min, max] */
	OPT_LIST,   /* struct opt_list, one item per occurrence */
	OPT_MHZ,    /* uint32_t, in Hz, from a number of MHz ("50", "33.3")
		     * within [min, max] Hz; stays 0 when not given */
	OPT_ENUM,   /* int: the index of the value in arg, which lists the
		     * accepted values separated by '|' ("qpi|spi"); the
		     * first is the default (index 0) */
};

struct opt {
	const char *name; /* long name without "--"; NULL ends a table */
	char short_name;  /* 0: none */
	enum opt_kind kind;
	size_t offset;
	const char *arg;  /* the argument's name in --help ("KHZ"); for
			   * OPT_ENUM the accepted values ("qpi|spi") */
	const char *help;
	unsigned long long min, max;
};

struct opt_list {
	const char **items; /* point into argv */
	size_t n;
};

/* The range every xSPI clock option (OPT_MHZ) accepts: 1 to 1000 MHz. */
#define OPT_CLOCK_MIN_HZ 1000000ULL
#define OPT_CLOCK_MAX_HZ 1000000000ULL

#define OPT_END {NULL, 0, OPT_FLAG, 0, NULL, NULL, 0, 0}

/* Tries argv[*i] (which starts with '-') against table. Returns 1 when it
 * matched (and *i moved past its argument), 0 when the table does not
 * know the option, PSR_ERR_USAGE (printed) for a missing or bad value. */
int opt_parse_one(const struct opt *table, void *dest, int argc,
		  char **argv, int *i);
/* The OPT_ENUM index of value among choices ("qpi|spi"), or -1. */
int opt_choice_index(const char *choices, const char *value);
/* Prints "  -v, --verbose      help" lines. */
void opt_print_help(FILE *f, const struct opt *table);
void opt_list_free(struct opt_list *l);

#endif
