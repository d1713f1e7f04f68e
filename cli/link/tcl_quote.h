/* Quoting values into Tcl commands. OpenOCD runs every TCL RPC line through
 * its Jim Tcl interpreter, so any file name, board name or user argument
 * spliced into a command could run Tcl ("[exec ...]", "$var", "; cmd", an
 * unbalanced brace). Every value goes through tcl_quote(); only literals
 * written in our source and numbers formatted by us go in unquoted. */
#ifndef CLI_TCL_QUOTE_H
#define CLI_TCL_QUOTE_H

#include "util/strbuf.h"

/* Appends s as one Tcl word that evaluates to exactly s, in Tcl 8.6 and in
 * Jim Tcl alike: characters other than letters, digits and _-./:+,=@% are
 * backslash-escaped, control characters as \n \t \r or three-digit octal;
 * bytes >= 0x80 pass through; the empty string becomes {}. The word is also
 * brace-balanced, so it stays intact inside a braced script. */
void tcl_quote(struct strbuf *sb, const char *s);
/* The same, as a new string (free() it). */
char *tcl_quote_dup(const char *s);
/* True when script can be wrapped in braces and come out unchanged: braces
 * balance (backslash-escaped ones not counted) and it does not end in an
 * odd backslash. */
int tcl_brace_safe(const char *script);

#endif
