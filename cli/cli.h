/* The psramctl command line: global options, a subcommand, its options.
 *
 * Adding a subcommand: write cli/cmd_NAME.c defining a `const struct
 * command cmd_NAME` (its option table, usage and help text next to its
 * code), declare it below and add it to the table in cli/main.c. Set
 * CMD_NEEDS_TARGET and cli_main brings up OpenOCD and the target before
 * calling run, and tears them down after it, whatever happens. An option
 * of kind OPT_STRING whose argument is named "FILE" is an output file:
 * cli_main checks that it can be written before anything starts. */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "util/opt.h"

struct session;
struct global_options;

#define CMD_NEEDS_TARGET 1u

struct command {
	const char *name;
	const char *summary;     /* one line, for psramctl --help */
	const char *usage;       /* arguments after the name, or "" */
	const char *description; /* paragraph for psramctl NAME --help */
	const struct opt *options; /* its own options; NULL for none */
	size_t options_size;     /* the struct they are parsed into */
	unsigned flags;
	/* Returns 0, or a negative enum psr_err (printed where it arose). */
	int (*run)(struct session *s, void *options, int argc, char **argv);
	/* Optional: judges the options and arguments (input files, output
	 * paths) before anything starts, so that what can be refused is
	 * refused before OpenOCD or the board is reached. Same returns. */
	int (*check)(void *options, int argc, char **argv);
	/* Several boards at once, when batch_requested says the global
	 * options ask for it (verify: commands/verify_batch.h); argv is
	 * psramctl's own. NULL: the command checks one board. */
	int (*batch_requested)(const struct global_options *g);
	int (*batch)(const struct global_options *g, int argc, char **argv);
};

/* Parses argv, runs the command, stops everything it started, and returns the
 * exit status (docs/architecture.md §4: 0 pass, 1 test failed, 2 usage, 3
 * cannot reach target). commands ends with NULL. */
int cli_main(int argc, char **argv, const struct command *const *commands);

/* The command table cli_main runs (for psramctl shell). */
extern const struct command *const *cli_commands;

/* One command's own options and arguments (no global options), parsed as
 * cli_main does; -h/--help sets help. Errors are printed (PSR_ERR_USAGE).
 * Free with cli_invocation_free whatever the result. */
struct cli_invocation {
	const struct command *cmd;
	void *opts;
	char **args;
	int nargs;
	int help;
};
int cli_parse_command(const struct command *cmd, int argc, char **argv,
		      struct cli_invocation *inv);
/* What cli_main checks before it touches the board: output files
 * writable, the command's own check. Errors are printed. */
int cli_check_command(const struct cli_invocation *inv);
void cli_invocation_free(struct cli_invocation *inv);
void cli_print_command_help(FILE *f, const struct command *c);

extern const struct command cmd_info;
extern const struct command cmd_flash;
extern const struct command cmd_eid;
extern const struct command cmd_bench;
extern const struct command cmd_margin;
extern const struct command cmd_memtest;
extern const struct command cmd_verify;
extern const struct command cmd_mapcheck;
extern const struct command cmd_probes;
extern const struct command cmd_shell;
extern const struct command cmd_watch;

#endif
