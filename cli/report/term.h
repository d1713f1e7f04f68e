/* Whether a stream may carry terminal escape sequences (cursor movement,
 * line clearing): a terminal, TERM set and not "dumb" (terminfo's
 * terminal with no capabilities), and NO_COLOR unset (no-color.org: a
 * user who sets it asks for plain output). Otherwise psramctl writes
 * plain lines. */
#ifndef CLI_TERM_H
#define CLI_TERM_H

int term_escapes_ok(int fd);

#endif
