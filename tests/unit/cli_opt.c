/* Option tables and the command line: each bad option or value is a usage
 * error (exit 2) naming it; --help for psramctl and for each command is
 * built from the same tables the parser uses, exits 0 and goes to stdout. */
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "util/error.h"
#include "util/opt.h"
#include "link/session.h"
#include "util/strbuf.h"
#include "unit.h"

struct test_opts {
	int flag;
	const char *name;
	unsigned long long count;
	struct opt_list items;
	uint32_t clock_hz;
	int mode;
};

#define TOPT(f) offsetof(struct test_opts, f)

static const struct opt table[] = {
	{"flag", 'f', OPT_FLAG, TOPT(flag), NULL, "a flag", 0, 0},
	{"name", 0, OPT_STRING, TOPT(name), "NAME", "a name", 0, 0},
	{"count", 0, OPT_UINT, TOPT(count), "N", "a count", 1, 100},
	{"item", 0, OPT_LIST, TOPT(items), "X", "an item", 0, 0},
	{"clock", 0, OPT_MHZ, TOPT(clock_hz), "MHZ", "a clock", 2000000,
	 133000000},
	{"mode", 0, OPT_ENUM, TOPT(mode), "fast|slow|off", "a mode", 0, 0},
	OPT_END,
};

static int parse(struct test_opts *o, int argc, const char **args)
{
	char *argv[16];
	int i = 0, r = 0;

	for (int k = 0; k < argc; k++)
		argv[k] = (char *)args[k];
	while (i < argc) {
		r = opt_parse_one(table, o, argc, argv, &i);
		if (r <= 0)
			break;
	}
	return r < 0 ? r : i;
}

#define ARGS(...) (const char *[]){__VA_ARGS__}
#define NARGS(...) (int)(sizeof(ARGS(__VA_ARGS__)) / sizeof(const char *))
#define PARSE(o, ...) parse(o, NARGS(__VA_ARGS__), ARGS(__VA_ARGS__))

static void parser(void)
{
	struct test_opts o;

	memset(&o, 0, sizeof(o));
	CHECK_EQ(PARSE(&o, "-f", "--name", "x y", "--count=0x10", "--item",
		       "a", "--item=b"),
		 7);
	CHECK(o.flag);
	CHECK_STR(o.name, "x y");
	CHECK_EQ(o.count, 16);
	CHECK_EQ(o.items.n, 2);
	CHECK_STR(o.items.items[1], "b");
	opt_list_free(&o.items);
	/* not ours: left for the caller */
	CHECK_EQ(PARSE(&o, "--other"), 0);
	CHECK_EQ(PARSE(&o, "-fx"), 0);
	CHECK_EQ(PARSE(&o, "--fla"), 0);
	/* ours but wrong */
	CHECK_EQ(PARSE(&o, "--flag=1"), PSR_ERR_USAGE);
	CHECK_EQ(PARSE(&o, "--name"), PSR_ERR_USAGE);
	CHECK_EQ(PARSE(&o, "--count", "0"), PSR_ERR_USAGE);
	CHECK_EQ(PARSE(&o, "--count", "101"), PSR_ERR_USAGE);
	CHECK_EQ(PARSE(&o, "--count", "-1"), PSR_ERR_USAGE);
	CHECK_EQ(PARSE(&o, "--count", "5x"), PSR_ERR_USAGE);
	CHECK_EQ(PARSE(&o, "--count", ""), PSR_ERR_USAGE);
	CHECK_EQ(PARSE(&o, "--count", "99999999999999999999999"),
		 PSR_ERR_USAGE);
}

/* OPT_MHZ: a number of MHz, fractions allowed, stored in Hz, bounds in
 * Hz; anything else is a usage error and leaves the value alone. */
static void mhz_type(void)
{
	static const char *const bad[] = {
		"", "abc", "50x", "1.99", "133.001", "-5", "nan", "inf",
		"1e300", "0x", " 50", "+50", "0x32", "50 ", ".",
	};
	/* The value, and the hertz it gives (rounded to the nearest). */
	static const struct {
		const char *mhz;
		uint32_t hz;
	} good[] = {
		{"50", 50000000},	 {"33.3", 33300000},
		{"2", 2000000},		 {"133", 133000000},
		{"0.0125e4", 125000000}, {"66.6666666", 66666667},
	};
	struct test_opts o;

	memset(&o, 0, sizeof(o));
	for (unsigned i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		CHECK_EQ(PARSE(&o, "--clock", good[i].mhz), 2);
		CHECK_EQ(o.clock_hz, good[i].hz);
	}
	CHECK_EQ(PARSE(&o, "--clock=33.3"), 1);
	CHECK_EQ(o.clock_hz, 33300000);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o.clock_hz = 7;
		if (PARSE(&o, "--clock", bad[i]) != PSR_ERR_USAGE)
			printf("  --clock '%s' accepted\n", bad[i]);
		CHECK_EQ(PARSE(&o, "--clock", bad[i]), PSR_ERR_USAGE);
		CHECK_EQ(o.clock_hz, 7);
	}
	CHECK_EQ(PARSE(&o, "--clock"), PSR_ERR_USAGE);
}

/* OPT_ENUM: the index of the value in the table's list, exact matches
 * only; not given leaves index 0, the default. */
static void enum_type(void)
{
	static const char *const bad[] = {
		"", "FAST", "fas", "fastt", "fast|slow", "|", "slow ", "o",
	};
	static const char *const choices[] = {"fast", "slow", "off"};
	struct test_opts o;

	CHECK_EQ(opt_choice_index("fast|slow|off", "fast"), 0);
	CHECK_EQ(opt_choice_index("fast|slow|off", "off"), 2);
	CHECK_EQ(opt_choice_index("fast|slow|off", "of"), -1);
	CHECK_EQ(opt_choice_index("one", "one"), 0);
	CHECK_EQ(opt_choice_index("", ""), -1);
	memset(&o, 0, sizeof(o));
	CHECK_EQ(PARSE(&o, "--flag"), 1);
	CHECK_EQ(o.mode, 0);
	for (int k = 2; k >= 0; k--) {
		CHECK_EQ(PARSE(&o, "--mode", choices[k]), 2);
		CHECK_EQ(o.mode, k);
	}
	CHECK_EQ(PARSE(&o, "--mode=slow"), 1);
	CHECK_EQ(o.mode, 1);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o.mode = 1;
		CHECK_EQ(PARSE(&o, "--mode", bad[i]), PSR_ERR_USAGE);
		CHECK_EQ(o.mode, 1);
	}
}

/* The help line of each type comes from the table: the value list of an
 * OPT_ENUM, the argument name of the others. */
static void typed_help_lines(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	CHECK(f);
	opt_print_help(f, table);
	fclose(f);
	CHECK(strstr(text, "--mode fast|slow|off"));
	CHECK(strstr(text, "--clock MHZ"));
	CHECK(strstr(text, "a mode"));
	free(text);
}

/* A command that needs no target, to see what reaches it. */
struct echo_opts {
	unsigned long long count;
};

static const struct opt echo_options[] = {
	{"count", 0, OPT_UINT, offsetof(struct echo_opts, count), "N",
	 "how many", 1, 9},
	OPT_END,
};

static struct strbuf echoed;

static int run_echo(struct session *s, void *options, int argc, char **argv)
{
	struct echo_opts *o = options;

	sb_reset(&echoed);
	sb_addf(&echoed, "json=%d count=%llu", s->opts->json, o->count);
	for (int i = 0; i < argc; i++)
		sb_addf(&echoed, " <%s>", argv[i]);
	return 0;
}

static const struct command cmd_echo = {
	.name = "echo",
	.summary = "prints its arguments",
	.usage = "[ARG...]",
	.description = "A test command.",
	.options = echo_options,
	.options_size = sizeof(struct echo_opts),
	.flags = 0,
	.run = run_echo,
};

static const struct command *const commands[] = {&cmd_info, &cmd_echo,
						  NULL};

static int run(struct strbuf *out, int argc, const char **args)
{
	char path[] = "/tmp/psramctl-unit-XXXXXX";
	char *argv[20], buf[4096];
	int fd = mkstemp(path), saved, status;
	ssize_t n;

	argv[0] = (char *)"psramctl";
	for (int i = 0; i < argc; i++)
		argv[i + 1] = (char *)args[i];
	argv[argc + 1] = NULL;
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fd, STDOUT_FILENO);
	status = cli_main(argc + 1, argv, commands);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	lseek(fd, 0, SEEK_SET);
	sb_reset(out);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		sb_add(out, buf, (size_t)n);
	close(fd);
	unlink(path);
	return status;
}

#define RUN(out, ...) run(out, NARGS(__VA_ARGS__), ARGS(__VA_ARGS__))

static void usage_errors_exit_2(void)
{
	struct strbuf out;

	sb_init(&out);
	CHECK_EQ(run(&out, 0, NULL), 2);
	CHECK_EQ(RUN(&out, "bogus"), 2);
	CHECK_EQ(RUN(&out, "--bogus", "info"), 2);
	CHECK_EQ(RUN(&out, "info", "--bogus"), 2);
	CHECK_EQ(RUN(&out, "echo", "--count"), 2);
	CHECK_EQ(RUN(&out, "echo", "--count", "10"), 2);
	CHECK_EQ(RUN(&out, "--speed", "0", "--board", "x", "info"), 2);
	CHECK_EQ(RUN(&out, "--speed", "fast", "--board", "x", "info"), 2);
	CHECK_EQ(RUN(&out, "--json=yes", "info"), 2);
	CHECK_EQ(RUN(&out, "info"), 2); /* no target */
	CHECK_EQ(RUN(&out, "--connect", "localhost", "info"), 2);
	CHECK_EQ(RUN(&out, "--connect", "127.0.0.1:0", "info"), 2);
	CHECK_EQ(RUN(&out, "--connect", "127.0.0.1:70000", "info"), 2);
	CHECK_EQ(RUN(&out, "--connect", ":6666", "info"), 2);
	CHECK_EQ(RUN(&out, "--connect", "[::1]:6666", "--sim", "info"), 2);
	CHECK_EQ(RUN(&out, "--connect", "h:1", "--board", "b", "info"), 2);
	CHECK_EQ(RUN(&out, "--sim", "--board", "b", "info"), 2);
	CHECK_EQ(RUN(&out, "--sim", "--interface", "jlink", "info"), 2);
	CHECK_EQ(RUN(&out, "--sim", "--speed", "1000", "info"), 2);
	CHECK_EQ(RUN(&out, "--sim-fault", "io0=open", "info"), 2);
	CHECK_EQ(RUN(&out, "--sim", "--sim-seed", "abc", "info"), 2);
	CHECK_EQ(RUN(&out, "--sim", "--sim-seed", "-1", "info"), 2);
	/* errors are on stderr; stdout stays empty */
	CHECK_EQ(out.len, 0);
	/* with --json, an error object on stdout */
	CHECK_EQ(RUN(&out, "--json", "bogus"), 2);
	CHECK(strstr(out.buf, "{\"type\":\"error\",\"error\":\"usage\"") ==
	      out.buf);
	sb_release(&out);
}

static void help_is_true(void)
{
	struct strbuf out;

	sb_init(&out);
	CHECK_EQ(RUN(&out, "--help"), 0);
	CHECK(strstr(out.buf, "usage: psramctl"));
	for (const struct opt *o = session_options; o->name; o++) {
		char want[64];

		snprintf(want, sizeof(want), "--%s", o->name);
		CHECK(strstr(out.buf, want));
	}
	for (const struct command *const *c = commands; *c; c++)
		CHECK(strstr(out.buf, (*c)->name));
	CHECK_EQ(RUN(&out, "-h"), 0);
	CHECK_EQ(RUN(&out, "help"), 0);
	CHECK(strstr(out.buf, "usage: psramctl"));
	for (const struct command *const *c = commands; *c; c++) {
		const char *forms[][2] = {{(*c)->name, "--help"},
					  {"help", (*c)->name},
					  {"--help", (*c)->name}};

		for (int f = 0; f < 3; f++) {
			char want[64];

			CHECK_EQ(run(&out, 2, forms[f]), 0);
			snprintf(want, sizeof(want), "usage: psramctl [options] %s",
				 (*c)->name);
			CHECK(strstr(out.buf, want) == out.buf);
			for (const struct opt *o = (*c)->options; o && o->name;
			     o++)
				CHECK(strstr(out.buf, o->name));
		}
	}
	CHECK_EQ(RUN(&out, "help", "bogus"), 2);
	sb_release(&out);
}

static void arguments_reach_the_command(void)
{
	struct strbuf out;

	sb_init(&out);
	sb_init(&echoed);
	CHECK_EQ(RUN(&out, "echo", "a", "--count", "3", "b", "--json", "--",
		     "--not-an-option"),
		 0);
	CHECK_STR(echoed.buf, "json=1 count=3 <a> <b> <--not-an-option>");
	CHECK_EQ(RUN(&out, "--json", "echo", "--count=2"), 0);
	CHECK_STR(echoed.buf, "json=1 count=2");
	sb_release(&echoed);
	sb_release(&out);
}

UNIT_MAIN("cli_opt", UNIT_TEST(parser), UNIT_TEST(mhz_type),
	  UNIT_TEST(enum_type), UNIT_TEST(typed_help_lines),
	  UNIT_TEST(usage_errors_exit_2),
	  UNIT_TEST(help_is_true), UNIT_TEST(arguments_reach_the_command))
