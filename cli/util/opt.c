#include "util/opt.h"

#include <errno.h>
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
