#include "link/tcl_quote.h"

#include <string.h>

static int is_plain(unsigned char c)
{
	if (c >= 0x80)
		return 1;
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c && strchr("_-./:+,=@%", c) != NULL;
}

void tcl_quote(struct strbuf *sb, const char *s)
{
	if (!*s) {
		sb_adds(sb, "{}");
		return;
	}
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (is_plain(c)) {
			sb_addc(sb, (char)c);
		} else if (c == '\n') {
			sb_adds(sb, "\\n");
		} else if (c == '\t') {
			sb_adds(sb, "\\t");
		} else if (c == '\r') {
			sb_adds(sb, "\\r");
		} else if (c < 0x20 || c == 0x7f) {
			/* Three octal digits always: Tcl and Jim stop there,
			 * so a digit that follows is not swallowed. */
			sb_addf(sb, "\\%03o", c);
		} else {
			sb_addc(sb, '\\');
			sb_addc(sb, (char)c);
		}
	}
}

char *tcl_quote_dup(const char *s)
{
	struct strbuf sb;

	sb_init(&sb);
	tcl_quote(&sb, s);
	return sb_detach(&sb);
}

int tcl_brace_safe(const char *script)
{
	long depth = 0;

	for (const char *p = script; *p; p++) {
		if (*p == '\\') {
			if (!p[1])
				return 0;
			p++;
		} else if (*p == '{') {
			depth++;
		} else if (*p == '}') {
			if (--depth < 0)
				return 0;
		}
	}
	return depth == 0;
}
