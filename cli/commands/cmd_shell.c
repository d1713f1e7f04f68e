/* psramctl shell: one OpenOCD session, many commands. Every psramctl
 * command that works on the target runs here with its own options (eid,
 * info, memtest, bench, margin, verify, flash), plus memory commands
 * (commands/shell_mem.h), help and quit. The stub, once loaded, stays for
 * the next command (stub_run.c: session.keep_stub) until something may
 * have overwritten it.
 *
 * Ctrl-C during a command stops it as it would stop psramctl — the stub is
 * told to stop, the core halted — but keeps OpenOCD and returns to the
 * prompt (cleanup.h: the session's hooks lie below the floor). Ctrl-C at
 * the prompt clears the line; Ctrl-D or quit leaves.
 *
 * On a terminal: readline editing, history and completion
 * (util/line_edit.h). Otherwise commands are read from stdin, one a line,
 * no prompt. Exit status: the worst of the commands run (3 over 2 over 1
 * over 0), 3 at once when OpenOCD or the target is lost. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands/shell_mem.h"
#include "link/boards.h"
#include "link/session.h"
#include "report/output.h"
#include "util/alloc.h"
#include "util/cleanup.h"
#include "util/error.h"
#include "util/line_edit.h"
#include "util/words.h"

#define HALT_MS 2000

struct builtin {
	const char *name;
	const char *usage;
	const char *help;
	int (*run)(struct session *s, int argc, char **argv);
};

static const struct builtin builtins[] = {
	{"rd", "rd ADDR [LEN]", "read LEN bytes (default 4), as a hex dump",
	 shell_rd},
	{"wr", "wr ADDR HEX...", "write bytes given in hex", shell_wr},
	{"fill", "fill ADDR LEN HEX...", "fill LEN bytes with a pattern",
	 shell_fill},
	{"dump", "dump ADDR LEN FILE", "save LEN bytes into FILE", shell_dump},
	{"load", "load FILE ADDR", "write FILE's bytes at ADDR", shell_load},
};

#define NBUILTINS (sizeof(builtins) / sizeof(*builtins))

/* Commands of the table that make sense inside a session. */
static int runs_here(const struct command *c)
{
	return strcmp(c->name, "shell") != 0;
}

static const struct command *find(const char *name)
{
	for (const struct command *const *c = cli_commands; c && *c; c++)
		if (runs_here(*c) && !strcmp((*c)->name, name))
			return *c;
	return NULL;
}

static void print_help(const char *topic)
{
	const struct command *c;

	if (topic) {
		for (size_t i = 0; i < NBUILTINS; i++)
			if (!strcmp(builtins[i].name, topic)) {
				printf("usage: %s\n%s\n", builtins[i].usage,
				       builtins[i].help);
				return;
			}
		c = find(topic);
		if (c) {
			cli_print_command_help(stdout, c);
			return;
		}
		out_error(PSR_ERR_USAGE, "no command '%s' (try 'help')",
			  topic);
		return;
	}
	puts("Memory (any address the core reaches, the PSRAM window through "
	     "the stub;\nnumbers decimal or 0x hex):");
	for (size_t i = 0; i < NBUILTINS; i++)
		printf("  %-22s %s\n", builtins[i].usage, builtins[i].help);
	puts("psramctl commands, with their options (help COMMAND):");
	for (const struct command *const *p = cli_commands; p && *p; p++)
		if (runs_here(*p))
			printf("  %-22s %s\n", (*p)->name, (*p)->summary);
	puts("  help [COMMAND]         this list, or a command's options\n"
	     "  quit                   leave (also exit, Ctrl-D)\n"
	     "Ctrl-C stops the running command and leaves the core halted.");
	fflush(stdout);
}

/* ---- completion ---- */

struct cands {
	char **v;
	size_t n;
};

static void cand(struct cands *c, const char *text, const char *s)
{
	if (strncmp(s, text, strlen(text)))
		return;
	c->v = psr_realloc(c->v, (c->n + 2) * sizeof(*c->v));
	c->v[c->n++] = psr_strdup(s);
	c->v[c->n] = NULL;
}

static char **complete(void *ctx, const char *line, int start,
		       const char *text)
{
	struct session *s = ctx;
	struct cands c = {psr_calloc(1, sizeof(char *)), 0};
	struct words w;
	const char *why, *prev;
	const struct command *cmd;
	char prefix[512];

	snprintf(prefix, sizeof(prefix), "%.*s", start, line);
	if (words_split(prefix, &w, &why) || w.n == 0) {
		for (size_t i = 0; i < NBUILTINS; i++)
			cand(&c, text, builtins[i].name);
		for (const struct command *const *p = cli_commands; p && *p;
		     p++)
			if (runs_here(*p))
				cand(&c, text, (*p)->name);
		cand(&c, text, "help");
		cand(&c, text, "quit");
		words_free(&w);
		return c.v;
	}
	prev = w.v[w.n - 1];
	cmd = find(w.v[0]);
	/* load FILE ADDR, dump ADDR LEN FILE: file names */
	if ((!strcmp(w.v[0], "load") && w.n == 1) ||
	    (!strcmp(w.v[0], "dump") && w.n == 3))
		goto files;
	if (!strcmp(w.v[0], "help") && w.n == 1) {
		for (const struct command *const *p = cli_commands; p && *p;
		     p++)
			if (runs_here(*p))
				cand(&c, text, (*p)->name);
		for (size_t i = 0; i < NBUILTINS; i++)
			cand(&c, text, builtins[i].name);
		goto out;
	}
	if (!cmd)
		goto out;
	/* the argument of an option: a file, a board, or nothing offered */
	for (const struct opt *o = cmd->options; o && o->name; o++) {
		if (strncmp(prev, "--", 2) || strcmp(prev + 2, o->name) ||
		    o->kind == OPT_FLAG)
			continue;
		if (o->arg && (strstr(o->arg, "FILE") || strstr(o->arg, "PATH")))
			goto files;
		if (o->arg && !strcmp(o->arg, "BOARD") && s->cfg_dir) {
			char **names;
			int n = boards_list(s->cfg_dir, 0, &names);

			for (int i = 0; i < n; i++)
				cand(&c, text, names[i]);
			if (n > 0)
				boards_free(names, n);
		}
		goto out;
	}
	if (text[0] == '-' || !text[0]) {
		char opt[96];

		for (const struct opt *o = cmd->options; o && o->name; o++) {
			snprintf(opt, sizeof(opt), "--%s", o->name);
			cand(&c, text, opt);
		}
		cand(&c, text, "--help");
		goto out;
	}
	/* a positional argument (flash FILE): file names */
files:
	words_free(&w);
	free(c.v);
	return NULL;
out:
	words_free(&w);
	return c.v;
}

/* ---- running a line ---- */

static int run_command(struct session *s, const struct command *cmd,
		       int argc, char **argv)
{
	struct cli_invocation inv;
	int r = cli_parse_command(cmd, argc, argv, &inv);

	if (!r && inv.help) {
		cli_print_command_help(stdout, cmd);
	} else if (!r) {
		r = cli_check_command(&inv);
		if (!r)
			r = cmd->run(s, inv.opts, inv.nargs, inv.args);
	}
	cli_invocation_free(&inv);
	fflush(stdout);
	/* Only the stub's commands know they leave its image in place. */
	if (strcmp(cmd->name, "eid") && strcmp(cmd->name, "memtest") &&
	    strcmp(cmd->name, "bench") && strcmp(cmd->name, "margin") &&
	    strcmp(cmd->name, "verify") && strcmp(cmd->name, "info"))
		s->stub_resident = 0;
	return r;
}

/* Returns the command's result; *quit set for quit/exit. */
static int run_line(struct session *s, const char *line, int *quit)
{
	struct words w;
	const struct command *cmd;
	const char *why;
	char shown[128];
	int r;

	r = words_split(line, &w, &why);
	if (r) {
		words_free(&w);
		return out_error(PSR_ERR_USAGE, "%s", why);
	}
	if (!w.n) {
		words_free(&w);
		return 0;
	}
	if (!strcmp(w.v[0], "quit") || !strcmp(w.v[0], "exit")) {
		*quit = 1;
		r = 0;
	} else if (!strcmp(w.v[0], "help") || !strcmp(w.v[0], "?")) {
		print_help(w.n > 1 ? w.v[1] : NULL);
		r = 0;
	} else {
		r = 1;
		for (size_t i = 0; i < NBUILTINS && r == 1; i++)
			if (!strcmp(builtins[i].name, w.v[0]))
				r = builtins[i].run(s, w.n - 1, w.v + 1);
		if (r == 1) {
			cmd = find(w.v[0]);
			if (cmd)
				r = run_command(s, cmd, w.n - 1, w.v + 1);
			else
				r = out_error(PSR_ERR_USAGE,
					      "unknown command '%s' (try "
					      "'help')",
					      out_printable(w.v[0], shown,
							    sizeof(shown)));
		}
	}
	words_free(&w);
	return r;
}

/* After Ctrl-C: the command's hooks have run (or run now), the signal is
 * forgotten, the core is halted. */
static int after_interrupt(struct session *s)
{
	enum target_state st;
	int r;

	cleanup_run_all();
	cleanup_clear_signal();
	s->stub_resident = 0;
	r = target_get_state(&s->target, &st);
	if (!r && st != TARGET_HALTED)
		r = target_halt(&s->target, HALT_MS);
	if (r)
		return out_error(r, "interrupted, and the core does not halt: "
				    "%s",
				 target_error(&s->target));
	fprintf(stderr, "psramctl: interrupted; the core is halted\n");
	fflush(stderr);
	return 0;
}

/* Errors that mean the session is gone: nothing more can run. */
static int session_lost(int r)
{
	return r == PSR_ERR_OPENOCD_EXITED || r == PSR_ERR_LINK_CLOSED ||
	       r == PSR_ERR_PSRAMSIM_START || r == PSR_ERR_CONNECT;
}

static int severity(int r)
{
	int st = psr_exit_status(r);

	return st == 3 ? 4 : st == 2 ? 3 : st == 1 ? 2 : st ? 1 : 0;
}

static int run_shell(struct session *s, void *options, int argc, char **argv)
{
	struct line_edit *le;
	char prompt[96], shown[64];
	int interactive = isatty(STDIN_FILENO), quit = 0, worst = 0, mark;
	const char *board = session_board_name(s);

	(void)options;
	(void)argv;
	if (argc)
		return out_error(PSR_ERR_USAGE, "'shell' takes no arguments");
	s->keep_stub = 1;
	mark = cleanup_mark();
	cleanup_set_floor(mark);
	snprintf(prompt, sizeof(prompt), "psramctl %s> ",
		 board ? out_printable(board, shown, sizeof(shown)) : "");
	le = line_edit_open(interactive, complete, s);
	if (interactive) {
		printf("psramctl shell on %s%s: 'help' lists the commands, "
		       "'quit' leaves\n",
		       board ? shown : "the target",
		       session_simulated(s) ? " (simulated)" : "");
		fflush(stdout);
	}
	while (!quit) {
		char *line = line_edit_read(le, prompt);
		int r;

		if (!line)
			break;
		r = run_line(s, line, &quit);
		free(line);
		if (r == PSR_ERR_INTERRUPTED || cleanup_signal() == SIGINT) {
			int h = after_interrupt(s);

			if (!interactive && severity(PSR_ERR_INTERRUPTED) >
						    severity(worst))
				worst = PSR_ERR_INTERRUPTED;
			if (!h)
				continue;
			r = h;
		}
		if (cleanup_signal())
			break; /* SIGTERM, SIGHUP: leave */
		if (r && severity(r) > severity(worst))
			worst = r;
		if (session_lost(r))
			break;
	}
	line_edit_close(le);
	cleanup_set_floor(0);
	return worst;
}

const struct command cmd_shell = {
	.name = "shell",
	.summary = "commands at a prompt, over one OpenOCD session",
	.usage = "",
	.description =
		"Reads commands at a prompt (or from stdin when it is not a "
		"terminal) and runs\nthem over one OpenOCD session: rd, wr, "
		"fill, dump, load on memory, and every\npsramctl command with "
		"its options (eid, info, memtest, bench, margin, verify,\n"
		"flash) without restarting OpenOCD or reloading the stub. "
		"'help' lists them.\nIn the PSRAM window (the board's "
		"PSRAM_XSPI_WINDOW, 0x90000000 on every board)\nthe memory "
		"commands reach the chip through the stub, which keeps the xSPI "
		"in\nindirect mode; a range past the chip's end is refused.\n"
		"Ctrl-C stops the running command and "
		"leaves the core halted. History is kept\nin "
		"$XDG_STATE_HOME/psramctl/history (~/.local/state by "
		"default); Tab\ncompletes commands, options and file names.\n"
		"Exit status: the worst of the commands run.",
	.options = NULL,
	.options_size = 0,
	.flags = CMD_NEEDS_TARGET,
	.run = run_shell,
};
