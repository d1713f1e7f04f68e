#include "report/term.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int term_escapes_ok(int fd)
{
	const char *term = getenv("TERM");
	const char *no_color = getenv("NO_COLOR");

	if (!isatty(fd))
		return 0;
	if (!term || !*term || !strcmp(term, "dumb"))
		return 0;
	/* no-color.org: set and not empty */
	return !(no_color && *no_color);
}
