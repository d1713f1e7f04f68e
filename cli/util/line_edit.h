/* Reading command lines for psramctl shell: GNU readline on a terminal
 * (editing, history kept in a file, tab completion), plain lines from a
 * pipe or file. Ctrl-C at the prompt clears the line, as in a shell; any
 * other signal ends the input.
 *
 * History: $XDG_STATE_HOME/psramctl/history, $XDG_STATE_HOME defaulting to
 * ~/.local/state (XDG Base Directory Specification), the last
 * LINE_EDIT_HISTORY_MAX lines. */
#ifndef CLI_LINE_EDIT_H
#define CLI_LINE_EDIT_H

#define LINE_EDIT_HISTORY_MAX 1000

/* Completion: candidates for the word text, which spans [start, end) of
 * line. Returns a NULL-terminated malloc'd array of malloc'd strings, or
 * NULL to complete file names. An empty array: nothing to offer. */
typedef char **(*line_complete_fn)(void *ctx, const char *line, int start,
				   const char *text);

struct line_edit;

/* interactive: use readline (stdin is a terminal). */
struct line_edit *line_edit_open(int interactive, line_complete_fn complete,
				 void *ctx);
/* The next line (malloc'd, no newline), or NULL at the end of the input
 * or on a signal other than SIGINT. */
char *line_edit_read(struct line_edit *le, const char *prompt);
/* Saves the history (interactive only) and frees le. */
void line_edit_close(struct line_edit *le);
/* The history file's path (malloc'd), or NULL when no home is known. */
char *line_edit_history_path(void);

#endif
