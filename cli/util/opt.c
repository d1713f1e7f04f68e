#include "util/opt.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "report/output.h"
#include "util/strbuf.h"

static const struct opt *find(const struct opt *table, const char *arg,
			      size_t name_len, int is_short)
{
	for (const struct opt *o = table; o && o->name; o++) {
		if (is_short) {
			if (o->short_name && o->short_name == arg[0])
				return o;
		} else if (strlen(o->name) == name_len &&
			   !strncmp(o->name, arg, name_len)) {
			return o;
		}
	}
	return NULL;
}

int opt_choice_index(const char *choices, const char *value)
{
	size_t len = strlen(value);
	int index = 0;

	for (const char *c = choices; c && *c; index++) {
		const char *bar = strchr(c, '|');
		size_t clen = bar ? (size_t)(bar - c) : strlen(c);

		if (len && clen == len && !strncmp(c, value, len))
			return index;
		if (!bar)
			break;
		c = bar + 1;
	}
	return -1;
}

/* "qpi or spi", "off, on or both": the choices as a sentence. */
static void choices_sentence(const char *choices, struct strbuf *sb)
{
	const char *c = choices;

	while (*c) {
		const char *bar = strchr(c, '|');
		size_t clen = bar ? (size_t)(bar - c) : strlen(c);

		if (c != choices)
			sb_adds(sb, bar ? ", " : " or ");
		sb_addf(sb, "%.*s", (int)clen, c);
		c += clen + (bar ? 1 : 0);
	}
}

static int set_mhz(const struct opt *o, uint32_t *hz, const char *value)
{
	char shown[128], *end;
	double mhz;

	/* Decimal only: strtod would also take blanks, a sign, hexadecimal
	 * floats, "inf" and "nan". */
	errno = 0;
	mhz = strtod(value, &end);
	if (!(isdigit((unsigned char)value[0]) || value[0] == '.') ||
	    strpbrk(value, "xX") || *end || errno || !isfinite(mhz) ||
	    mhz * 1e6 < (double)o->min || mhz * 1e6 > (double)o->max)
		return out_error(PSR_ERR_USAGE,
				 "invalid value '%s' for --%s (expected MHz "
				 "from %g to %g, like 50 or 33.3)",
				 out_printable(value, shown, sizeof(shown)),
				 o->name, (double)o->min / 1e6,
				 (double)o->max / 1e6);
	*hz = (uint32_t)llround(mhz * 1e6);
	return 0;
}

static int set_enum(const struct opt *o, int *index, const char *value)
{
	char shown[128];
	int k = opt_choice_index(o->arg, value);
	struct strbuf expected;
	int r;

	if (k >= 0) {
		*index = k;
		return 0;
	}
	sb_init(&expected);
	choices_sentence(o->arg, &expected);
	r = out_error(PSR_ERR_USAGE,
		      "invalid value '%s' for --%s (expected %s)",
		      out_printable(value, shown, sizeof(shown)), o->name,
		      expected.buf);
	sb_release(&expected);
	return r;
}

static int set_value(const struct opt *o, void *dest, const char *value)
{
	char *base = dest;
	char shown[128];

	switch (o->kind) {
	case OPT_FLAG:
		*(int *)(base + o->offset) = 1;
		return 0;
	case OPT_STRING:
		*(const char **)(base + o->offset) = value;
		return 0;
	case OPT_UINT: {
		unsigned long long v;
		char *end;

		errno = 0;
		v = strtoull(value, &end, 0);
		if (!*value || *end || errno || value[0] == '-' ||
		    v < o->min || v > o->max)
			return out_error(PSR_ERR_USAGE,
					 "invalid value '%s' for --%s "
					 "(expected a number from %llu to %llu)",
					 out_printable(value, shown,
						       sizeof(shown)),
					 o->name, o->min, o->max);
		*(unsigned long long *)(base + o->offset) = v;
		return 0;
	}
	case OPT_LIST: {
		struct opt_list *l = (struct opt_list *)(base + o->offset);

		l->items = psr_realloc(l->items, (l->n + 1) * sizeof(*l->items));
		l->items[l->n++] = value;
		return 0;
	}
	case OPT_MHZ:
		return set_mhz(o, (uint32_t *)(base + o->offset), value);
	case OPT_ENUM:
		return set_enum(o, (int *)(base + o->offset), value);
	}
	return PSR_ERR_USAGE;
}

int opt_parse_one(const struct opt *table, void *dest, int argc,
		  char **argv, int *i)
{
	const char *arg = argv[*i], *value = NULL, *eq;
	const struct opt *o;
	size_t name_len;
	int r;

	if (arg[0] != '-' || !arg[1])
		return 0;
	if (arg[1] == '-') {
		eq = strchr(arg + 2, '=');
		name_len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
		o = find(table, arg + 2, name_len, 0);
		if (!o)
			return 0;
		if (eq)
			value = eq + 1;
		if (eq && o->kind == OPT_FLAG)
			return out_error(PSR_ERR_USAGE,
					 "option '--%s' takes no value",
					 o->name);
	} else {
		if (arg[2]) /* -xVALUE and -xy are not accepted */
			return 0;
		o = find(table, arg + 1, 1, 1);
		if (!o)
			return 0;
	}
	if (o->kind != OPT_FLAG && !value) {
		if (*i + 1 >= argc)
			return out_error(PSR_ERR_USAGE,
					 "option '--%s' needs a value (%s)",
					 o->name, o->arg ? o->arg : "VALUE");
		value = argv[++*i];
	}
	r = set_value(o, dest, value);
	if (r)
		return r;
	(*i)++;
	return 1;
}

/* Help text wrapped to fit 80 columns, continuation lines indented. */
static void print_wrapped(FILE *f, const char *text, int indent, int width)
{
	int col = indent;

	while (*text) {
		const char *end = text;
		int len;

		while (*end && *end != ' ')
			end++;
		len = (int)(end - text);
		if (col > indent && col + 1 + len > width) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fwrite(text, 1, (size_t)len, f);
		col += len;
		text = end;
		while (*text == ' ')
			text++;
	}
	fputc('\n', f);
}

void opt_print_help(FILE *f, const struct opt *table)
{
	enum { LEFT = 26, WIDTH = 79 };

	for (const struct opt *o = table; o && o->name; o++) {
		struct strbuf left;

		sb_init(&left);
		if (o->short_name)
			sb_addf(&left, "-%c, ", o->short_name);
		else
			sb_adds(&left, "    ");
		sb_addf(&left, "--%s", o->name);
		if (o->kind != OPT_FLAG)
			sb_addf(&left, " %s", o->arg ? o->arg : "VALUE");
		if (left.len < LEFT)
			fprintf(f, "  %-*s ", LEFT, left.buf);
		else
			fprintf(f, "  %s\n  %-*s ", left.buf, LEFT, "");
		print_wrapped(f, o->help, LEFT + 3, WIDTH);
		sb_release(&left);
	}
}

void opt_list_free(struct opt_list *l)
{
	free(l->items);
	l->items = NULL;
	l->n = 0;
}
