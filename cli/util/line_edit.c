#include "util/line_edit.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "util/alloc.h"
#include "util/cleanup.h"
#include "util/strbuf.h"

struct line_edit {
	int interactive;
	char *history;
	line_complete_fn complete;
	void *ctx;
};

/* readline's callbacks take no context: the one line editor open. */
static struct line_edit *current;
static char *done_line;
static int line_done;

char *line_edit_history_path(void)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	struct strbuf sb;

	sb_init(&sb);
	/* The specification: a relative path is invalid, ignore it. */
	if (state && state[0] == '/')
		sb_addf(&sb, "%s/psramctl/history", state);
	else if (home && home[0] == '/')
		sb_addf(&sb, "%s/.local/state/psramctl/history", home);
	else {
		sb_release(&sb);
		return NULL;
	}
	return sb_detach(&sb);
}

/* mkdir -p of the history file's folder, private as the spec asks. */
static void make_parent(const char *path)
{
	char *dir = psr_strdup(path);

	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(dir, 0700);
		*p = '/';
	}
	free(dir);
}

static char **candidates;
static size_t next_candidate;

static char *generator(const char *text, int state)
{
	(void)text;
	if (!state)
		next_candidate = 0;
	if (!candidates || !candidates[next_candidate])
		return NULL;
	/* readline frees what it is given */
	return psr_strdup(candidates[next_candidate++]);
}

static char **attempt(const char *text, int start, int end)
{
	char **matches;

	(void)end;
	if (!current || !current->complete)
		return NULL;
	candidates = current->complete(current->ctx, rl_line_buffer, start,
				       text);
	if (!candidates)
		return NULL; /* readline completes file names */
	rl_attempted_completion_over = 1;
	matches = rl_completion_matches(text, generator);
	for (size_t i = 0; candidates[i]; i++)
		free(candidates[i]);
	free(candidates);
	candidates = NULL;
	return matches;
}

struct line_edit *line_edit_open(int interactive, line_complete_fn complete,
				 void *ctx)
{
	struct line_edit *le = psr_calloc(1, sizeof(*le));

	le->interactive = interactive;
	le->complete = complete;
	le->ctx = ctx;
	if (interactive) {
		current = le;
		rl_readline_name = "psramctl";
		rl_attempted_completion_function = attempt;
		/* Signals stay psramctl's own (cleanup.h); the poll loop below
		 * sees them. */
		rl_catch_signals = 0;
		rl_catch_sigwinch = 1;
		using_history();
		stifle_history(LINE_EDIT_HISTORY_MAX);
		le->history = line_edit_history_path();
		if (le->history)
			read_history(le->history);
	}
	return le;
}

static void on_line(char *line)
{
	done_line = line;
	line_done = 1;
	rl_callback_handler_remove();
}

static char *read_plain(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	for (;;) {
		errno = 0;
		n = getline(&line, &cap, stdin);
		if (n >= 0)
			break;
		if (errno == EINTR && cleanup_signal() == SIGINT &&
		    !feof(stdin)) {
			cleanup_clear_signal();
			clearerr(stdin);
			continue;
		}
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

char *line_edit_read(struct line_edit *le, const char *prompt)
{
	if (!le->interactive)
		return read_plain();
	line_done = 0;
	done_line = NULL;
	rl_callback_handler_install(prompt, on_line);
	while (!line_done) {
		struct pollfd p = {STDIN_FILENO, POLLIN, 0};
		int r = poll(&p, 1, -1);

		if (r < 0 && errno == EINTR) {
			int sig = cleanup_signal();

			if (sig == SIGINT) {
				/* as a shell does: drop the line, new prompt */
				cleanup_clear_signal();
				rl_replace_line("", 0);
				rl_crlf();
				rl_on_new_line();
				rl_redisplay();
				continue;
			}
			if (sig) {
				rl_callback_handler_remove();
				rl_crlf();
				return NULL;
			}
			continue;
		}
		if (r < 0) {
			rl_callback_handler_remove();
			return NULL;
		}
		rl_callback_read_char();
	}
	if (done_line && *done_line) {
		HIST_ENTRY *last = history_length > 0
					   ? history_get(history_base +
							 history_length - 1)
					   : NULL;

		if (!last || strcmp(last->line, done_line))
			add_history(done_line);
	}
	return done_line;
}

void line_edit_close(struct line_edit *le)
{
	if (!le)
		return;
	if (le->interactive) {
		if (le->history) {
			make_parent(le->history);
			if (write_history(le->history) == 0)
				history_truncate_file(le->history,
						      LINE_EDIT_HISTORY_MAX);
		}
		clear_history();
		rl_attempted_completion_function = NULL;
		current = NULL;
	}
	free(le->history);
	free(le);
}
