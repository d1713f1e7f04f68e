/* One hexadecimal digit, for the parsers that read hex text (Intel HEX
 * records, Tcl's \x \u \U escapes, patterns, the shell's byte words). */
#ifndef CLI_HEX_H
#define CLI_HEX_H

/* 0..15 for '0'-'9', 'a'-'f', 'A'-'F'; -1 for anything else. */
int hex_digit(int c);

#endif
