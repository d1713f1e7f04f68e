#include "util/words.h"

#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/strbuf.h"

static void push(struct words *w, struct strbuf *sb)
{
	w->v = psr_realloc(w->v, (size_t)(w->n + 2) * sizeof(*w->v));
	w->v[w->n++] = sb_detach(sb);
	w->v[w->n] = NULL;
	sb_init(sb);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int words_split(const char *line, struct words *w, const char **why)
{
	struct strbuf sb;
	const char *p = line;
	int in_word = 0;

	w->v = psr_calloc(1, sizeof(*w->v));
	w->n = 0;
	*why = NULL;
	sb_init(&sb);
	while (*p) {
		char c = *p;

		if (is_blank(c)) {
			if (in_word)
				push(w, &sb);
			in_word = 0;
			p++;
			continue;
		}
		if (c == '#' && !in_word)
			break;
		in_word = 1;
		if (c == '\'') {
			const char *end = strchr(p + 1, '\'');

			if (!end) {
				*why = "unterminated ' quote";
				goto bad;
			}
			sb_add(&sb, p + 1, (size_t)(end - p - 1));
			p = end + 1;
		} else if (c == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
					p++;
				sb_addc(&sb, *p);
			}
			if (*p != '"') {
				*why = "unterminated \" quote";
				goto bad;
			}
			p++;
		} else if (c == '\\') {
			if (!p[1]) {
				*why = "a backslash at the end of the line";
				goto bad;
			}
			sb_addc(&sb, p[1]);
			p += 2;
		} else {
			sb_addc(&sb, c);
			p++;
		}
	}
	if (in_word)
		push(w, &sb);
	sb_release(&sb);
	return 0;
bad:
	sb_release(&sb);
	words_free(w);
	w->v = psr_calloc(1, sizeof(*w->v));
	return PSR_ERR_USAGE;
}

void words_free(struct words *w)
{
	for (int i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
	w->v = NULL;
	w->n = 0;
}
