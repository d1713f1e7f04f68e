#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/error.h"
#include "util/files.h"
#include "report/output.h"
#include "link/session.h"
#include "link/version_info.h"

static const struct command *
find_command(const struct command *const *commands, const char *name)
{
	for (const struct command *const *c = commands; *c; c++)
		if (!strcmp((*c)->name, name))
			return *c;
	return NULL;
}

static void print_main_help(FILE *f, const struct command *const *commands)
{
	fputs("usage: psramctl [options] <command> [command options]\n"
	      "\n"
	      "Checks an SPI/QPI PSRAM soldered to an STM32H7/F7 board, "
	      "through OpenOCD.\n"
	      "\n"
	      "Commands:\n",
	      f);
	for (const struct command *const *c = commands; *c; c++)
		fprintf(f, "  %-10s %s\n", (*c)->name, (*c)->summary);
	fprintf(f, "  %-10s %s\n", "help", "show help for a command");
	fputs("\nTarget: --board NAME (a real board), --sim (the simulated "
	      "board) or\n--connect HOST:PORT (an OpenOCD already running).\n"
	      "\nOptions:\n",
	      f);
	opt_print_help(f, session_options);
	fputs("\nExit status: 0 pass, 1 test failed, 2 usage error, 3 target "
	      "not reachable,\n4 results not written, 130 interrupted.\n"
	      "'psramctl help <command>' shows a command's options.\n",
	      f);
}

const struct command *const *cli_commands;

void cli_print_command_help(FILE *f, const struct command *c)
{
	fprintf(f, "usage: psramctl [options] %s%s%s\n\n", c->name,
		*c->usage ? " " : "", c->usage);
	if (c->description)
		fprintf(f, "%s\n", c->description);
	if (c->options && c->options->name) {
		fputs("\nOptions:\n", f);
		opt_print_help(f, c->options);
	}
	fputs("\nGlobal options (see psramctl --help): --board, --sim, "
	      "--connect, --json, -v ...\n",
	      f);
}

struct parsed {
	struct global_options g;
	const struct command *cmd;
	void *cmd_opts;
	char **args; /* positional arguments after the command */
	int nargs;
	int help_mode;
};

static int parse_args(int argc, char **argv,
		      const struct command *const *commands, struct parsed *p)
{
	int i = 1, only_args = 0, r;
	char shown[128];

	p->args = psr_calloc((size_t)argc + 1, sizeof(*p->args));
	while (i < argc) {
		const char *a = argv[i];

		if (!only_args && !strcmp(a, "--")) {
			only_args = 1;
			i++;
			continue;
		}
		if (!only_args && a[0] == '-' && a[1]) {
			r = 0;
			if (p->cmd && p->cmd->options)
				r = opt_parse_one(p->cmd->options, p->cmd_opts,
						  argc, argv, &i);
			if (!r)
				r = opt_parse_one(session_options, &p->g, argc,
						  argv, &i);
			if (r < 0)
				return r;
			if (!r) {
				out_printable(a, shown, sizeof(shown));
				if (p->cmd)
					return out_error(PSR_ERR_USAGE,
							 "unknown option '%s' "
							 "for '%s'",
							 shown, p->cmd->name);
				return out_error(PSR_ERR_USAGE,
						 "unknown option '%s'", shown);
			}
			continue;
		}
		if (!p->cmd && !p->help_mode && !only_args &&
		    !strcmp(a, "help")) {
			/* "psramctl help [COMMAND]" */
			p->help_mode = 1;
			p->g.help = 1;
		} else if (!p->cmd) {
			p->cmd = find_command(commands, a);
			if (!p->cmd) {
				struct strbuf names;

				sb_init(&names);
				for (const struct command *const *c = commands;
				     *c; c++)
					sb_addf(&names, "%s, ", (*c)->name);
				sb_adds(&names, "help");
				out_error(PSR_ERR_USAGE,
					  "unknown command '%s' (commands: "
					  "%s)",
					  out_printable(a, shown,
							sizeof(shown)),
					  names.buf);
				sb_release(&names);
				return PSR_ERR_USAGE;
			}
			if (p->cmd->options_size)
				p->cmd_opts = psr_calloc(1,
						      p->cmd->options_size);
		} else {
			p->args[p->nargs++] = argv[i];
		}
		i++;
	}
	return 0;
}

int cli_parse_command(const struct command *cmd, int argc, char **argv,
		      struct cli_invocation *inv)
{
	char shown[128];
	int i = 0, only_args = 0, r;

	memset(inv, 0, sizeof(*inv));
	inv->cmd = cmd;
	inv->args = psr_calloc((size_t)argc + 1, sizeof(*inv->args));
	if (cmd->options_size)
		inv->opts = psr_calloc(1, cmd->options_size);
	while (i < argc) {
		const char *a = argv[i];

		if (!only_args && !strcmp(a, "--")) {
			only_args = 1;
			i++;
			continue;
		}
		if (!only_args && a[0] == '-' && a[1]) {
			if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
				inv->help = 1;
				i++;
				continue;
			}
			r = cmd->options ? opt_parse_one(cmd->options,
							 inv->opts, argc, argv,
							 &i)
					 : 0;
			if (r < 0)
				return r;
			if (!r)
				return out_error(PSR_ERR_USAGE,
						 "unknown option '%s' for '%s'",
						 out_printable(a, shown,
							       sizeof(shown)),
						 cmd->name);
			continue;
		}
		inv->args[inv->nargs++] = argv[i++];
	}
	return 0;
}

void cli_invocation_free(struct cli_invocation *inv)
{
	if (inv->cmd && inv->cmd->options && inv->opts)
		for (const struct opt *o = inv->cmd->options; o->name; o++)
			if (o->kind == OPT_LIST)
				opt_list_free((struct opt_list *)
					      ((char *)inv->opts + o->offset));
	free(inv->opts);
	free(inv->args);
	memset(inv, 0, sizeof(*inv));
}

static void free_parsed(struct parsed *p)
{
	opt_list_free(&p->g.sim_faults);
	opt_list_free(&p->g.sim_sets);
	/* List options of the command's own table live in cmd_opts. */
	if (p->cmd && p->cmd->options && p->cmd_opts)
		for (const struct opt *o = p->cmd->options; o->name; o++)
			if (o->kind == OPT_LIST)
				opt_list_free((struct opt_list *)
					      ((char *)p->cmd_opts +
					       o->offset));
	free(p->cmd_opts);
	free(p->args);
}

/* Every command option whose argument is named FILE is a file the
 * command writes (--junit, --plot): each is checked before anything
 * starts, so that a result that cannot be written is refused with exit 2
 * instead of after the whole run. */
static int check_output_files(const struct command *cmd, const void *opts)
{
	char name[64];
	int r = 0;

	for (const struct opt *o = cmd->options; o && o->name && !r; o++) {
		const char *path;

		if (o->kind != OPT_STRING || !o->arg || strcmp(o->arg, "FILE"))
			continue;
		path = *(const char **)((const char *)opts + o->offset);
		snprintf(name, sizeof(name), "--%s", o->name);
		r = file_check_output(name, path);
	}
	return r;
}

int cli_check_command(const struct cli_invocation *inv)
{
	int r = check_output_files(inv->cmd, inv->opts);

	if (!r && inv->cmd->check)
		r = inv->cmd->check(inv->opts, inv->nargs, inv->args);
	return r;
}

static int run_command(struct parsed *p, int argc, char **argv)
{
	struct session s;
	int r;

	if (p->cmd->batch && p->cmd->batch_requested(&p->g))
		return p->cmd->batch(&p->g, argc, argv);
	if (p->cmd->flags & CMD_NEEDS_TARGET) {
		r = session_check(&s, &p->g);
		if (!r)
			r = check_output_files(p->cmd, p->cmd_opts);
		if (!r && p->cmd->check)
			r = p->cmd->check(p->cmd_opts, p->nargs, p->args);
		if (!r)
			r = file_check_tmpdir();
		if (!r)
			r = session_open(&s);
	} else {
		session_init(&s, &p->g);
		r = 0;
	}
	if (!r)
		r = p->cmd->run(&s, p->cmd_opts, p->nargs, p->args);
	if (r)
		session_explain(&s, r);
	session_close(&s);
	return r;
}

int cli_main(int argc, char **argv, const struct command *const *commands)
{
	struct parsed p;
	int r, status;

	file_std_fds_safe();
	memset(&p, 0, sizeof(p));
	cli_commands = commands;
	cleanup_install_signals();
	/* --json early, so that option errors come out as JSON too */
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--json"))
			out_set_json(1);
	r = parse_args(argc, argv, commands, &p);
	out_set_json(p.g.json);
	out_set_verbose(p.g.verbose);
	if (!r && p.g.help) {
		if (p.cmd)
			cli_print_command_help(stdout, p.cmd);
		else
			print_main_help(stdout, commands);
		free_parsed(&p);
		return file_flush_stdout() ? psr_exit_status(PSR_ERR_OUTPUT) : 0;
	}
	if (!r && p.g.version) {
		version_info_print(stdout, p.g.openocd);
		free_parsed(&p);
		return file_flush_stdout() ? psr_exit_status(PSR_ERR_OUTPUT) : 0;
	}
	if (!r && !p.cmd)
		r = out_error(PSR_ERR_USAGE,
			      "no command given (see psramctl --help)");
	if (!r)
		r = run_command(&p, argc, argv);
	cleanup_run_all();
	if (r == 0 && cleanup_signal())
		r = PSR_ERR_INTERRUPTED;
	/* Results that never arrived (a full disk, >/dev/full) are no
	 * pass: say so, with their own status. */
	if (file_flush_stdout() && (r == 0 || r == PSR_ERR_TEST_FAILED))
		r = PSR_ERR_OUTPUT;
	if (r < 0 && !out_errors_reported())
		out_error(r, "%s", psr_strerror(r));
	free_parsed(&p);
	status = psr_exit_status(r);
	return status < 0 ? 3 : status;
}
