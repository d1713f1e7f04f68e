/* A command line typed at psramctl shell, split into words as a POSIX
 * shell would for the simple cases: blanks separate words, '...' keeps
 * everything literally, "..." keeps blanks and honours \" and \\, a
 * backslash outside quotes escapes the next character, and # at the start
 * of a word begins a comment. No variables, globs or substitutions. */
#ifndef CLI_WORDS_H
#define CLI_WORDS_H

struct words {
	char **v; /* NULL-terminated */
	int n;
};

/* Returns 0, or PSR_ERR_USAGE with *why set ("unterminated quote") and
 * w emptied. Free with words_free in both cases. */
int words_split(const char *line, struct words *w, const char **why);
void words_free(struct words *w);

#endif
