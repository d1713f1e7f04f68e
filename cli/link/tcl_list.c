/* The element syntax follows Tcl's list rules (Tcl_SplitList, and Jim's
 * JimParseList which accepts the same forms): elements separated by white
 * space; an element in braces is taken verbatim up to the matching brace;
 * an element in double quotes or a bare word gets backslash substitution. */
#include "link/tcl_list.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/hex.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static void add_utf8(struct strbuf *sb, uint32_t cp)
{
	if (cp > 0x10ffff)
		cp = 0xfffd;
	if (cp < 0x80) {
		sb_addc(sb, (char)cp);
	} else if (cp < 0x800) {
		sb_addc(sb, (char)(0xc0 | (cp >> 6)));
		sb_addc(sb, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		sb_addc(sb, (char)(0xe0 | (cp >> 12)));
		sb_addc(sb, (char)(0x80 | ((cp >> 6) & 0x3f)));
		sb_addc(sb, (char)(0x80 | (cp & 0x3f)));
	} else {
		sb_addc(sb, (char)(0xf0 | (cp >> 18)));
		sb_addc(sb, (char)(0x80 | ((cp >> 12) & 0x3f)));
		sb_addc(sb, (char)(0x80 | ((cp >> 6) & 0x3f)));
		sb_addc(sb, (char)(0x80 | (cp & 0x3f)));
	}
}

/* p points just after a backslash; appends the substitution, returns the
 * position after the escape. */
static const char *backslash(const char *p, struct strbuf *out)
{
	/* The one-letter escapes and what they stand for. */
	static const char single[] = "abfnrtv", meaning[] = "\a\b\f\n\r\t\v";
	const char *one;
	uint32_t v = 0;
	int digits = 0, max;

	switch (*p) {
	case '\0':
		sb_addc(out, '\\');
		return p;
	case '\n':
		/* backslash-newline and the white space after it: one space */
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		sb_addc(out, ' ');
		return p;
	case 'x':
	case 'u':
	case 'U':
		max = *p == 'x' ? 2 : *p == 'u' ? 4 : 8;
		while (digits < max && hex_digit(p[1 + digits]) >= 0) {
			v = v * 16 + (uint32_t)hex_digit(p[1 + digits]);
			digits++;
		}
		if (!digits) {
			sb_addc(out, *p);
			return p + 1;
		}
		if (*p == 'x')
			sb_addc(out, (char)v);
		else
			add_utf8(out, v);
		return p + 1 + digits;
	default:
		break;
	}
	one = strchr(single, *p);
	if (one) {
		sb_addc(out, meaning[one - single]);
		return p + 1;
	}
	if (*p >= '0' && *p <= '7') {
		while (digits < 3 && p[digits] >= '0' && p[digits] <= '7') {
			v = v * 8 + (uint32_t)(p[digits] - '0');
			digits++;
		}
		sb_addc(out, (char)(v & 0xff));
		return p + digits;
	}
	sb_addc(out, *p);
	return p + 1;
}

void tcl_list_init(struct tcl_list *it, const char *s)
{
	it->p = s;
}

int tcl_list_next(struct tcl_list *it, struct strbuf *elem)
{
	const char *p = it->p;

	sb_reset(elem);
	while (is_space(*p))
		p++;
	if (!*p) {
		it->p = p;
		return 0;
	}
	if (*p == '{') {
		const char *start = ++p;
		long depth = 1;

		for (;; p++) {
			if (!*p)
				return PSR_ERR_PROTOCOL;
			if (*p == '\\' && p[1]) {
				p++;
			} else if (*p == '{') {
				depth++;
			} else if (*p == '}' && --depth == 0) {
				break;
			}
		}
		sb_add(elem, start, (size_t)(p - start));
		p++;
		if (*p && !is_space(*p))
			return PSR_ERR_PROTOCOL;
	} else if (*p == '"') {
		p++;
		while (*p != '"') {
			if (!*p)
				return PSR_ERR_PROTOCOL;
			if (*p == '\\')
				p = backslash(p + 1, elem);
			else
				sb_addc(elem, *p++);
		}
		p++;
		if (*p && !is_space(*p))
			return PSR_ERR_PROTOCOL;
	} else {
		while (*p && !is_space(*p)) {
			if (*p == '\\')
				p = backslash(p + 1, elem);
			else
				sb_addc(elem, *p++);
		}
	}
	it->p = p;
	return 1;
}

int tcl_list_split(const char *s, char ***elems)
{
	struct tcl_list it;
	struct strbuf e;
	char **v = NULL;
	int n = 0, alloc = 0, r;

	sb_init(&e);
	tcl_list_init(&it, s);
	while ((r = tcl_list_next(&it, &e)) > 0) {
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 8;
			v = psr_realloc(v, (size_t)alloc * sizeof(*v));
		}
		v[n++] = psr_strdup(e.buf);
	}
	sb_release(&e);
	if (r < 0) {
		tcl_list_free(v, n);
		*elems = NULL;
		return r;
	}
	*elems = v;
	return n;
}

void tcl_list_free(char **elems, int n)
{
	for (int i = 0; i < n; i++)
		free(elems[i]);
	free(elems);
}
