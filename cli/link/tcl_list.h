/* Reading Tcl lists: the results of OpenOCD commands (read_memory, get_reg,
 * our `list SEQ rc result` wrapper) come back as Tcl list strings, with
 * braces and backslash escapes wherever Jim's `list` puts them. */
#ifndef CLI_TCL_LIST_H
#define CLI_TCL_LIST_H

#include <stddef.h>

#include "util/strbuf.h"

struct tcl_list {
	const char *p;
};

void tcl_list_init(struct tcl_list *it, const char *s);
/* Stores the next element in elem (replacing its contents). Returns 1 for
 * an element, 0 at the end of the list, PSR_ERR_PROTOCOL if the text is not
 * a well-formed list (unbalanced braces or quotes, junk after a closing
 * brace or quote). */
int tcl_list_next(struct tcl_list *it, struct strbuf *elem);
/* The whole list as an array of strings; free with tcl_list_free. Returns
 * the number of elements (>= 0) or PSR_ERR_PROTOCOL. */
int tcl_list_split(const char *s, char ***elems);
void tcl_list_free(char **elems, int n);

#endif
