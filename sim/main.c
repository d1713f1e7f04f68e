/* psramsim: a simulated STM32 board with a PSRAM chip, debugged by a real
 * OpenOCD through the remote_bitbang JTAG adapter. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <unicorn/unicorn.h>

#include "board.h"
#include "chips/psram.h"
#include "cpu/bus_cost.h"
#include "cpu/core.h"
#include "fault.h"
#include "periph/flash_ctrl.h"
#include "periph/flash_f7.h"
#include "periph/flash_image.h"
#include "periph/uart_port.h"
#include "wire/xspi_wire.h"
#include "util/log.h"
#include "debug/rbb.h"
#include "sim.h"
#include "util/stats.h"

#define PSRAMSIM_VERSION "0.1.0"

/* Instructions run between two looks at the socket while the debugger is
 * quiet: about a millisecond of host time. */
#define IDLE_SLICE 200000
/* While the debugger talks, every transaction already runs the core
 * (sim.c), and each of its scans waits for our answer: a busy guest runs
 * in slices of a few microseconds between looks at the socket. */
#define TALK_SLICE 2000
/* OpenOCD 0.12's remote_bitbang driver waits for the replies of every
 * capturing scan before it builds the next one (docs/openocd.md §1), so
 * in the middle of a command its next characters follow our replies
 * within tens of microseconds. Sleeping in poll() in that gap costs a
 * wake-up on both sides of every scan: for this long after the debugger
 * last sent, psramsim keeps looking at the socket instead. */
#define LINGER_S 100e-6
/* --fault may be given this many times. */
#define MAX_FAULT_OPTIONS 64U

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: psramsim [options]\n"
		"\n"
		"A simulated STM32H7 or STM32F7 board that OpenOCD debugs over JTAG\n"
		"(adapter driver remote_bitbang; see cfg/sim.cfg).\n"
		"\n"
		"  --board NAME     board profile (default devebox-h750);\n"
		"                   --list-boards shows them\n"
		"  --port N         TCP port on 127.0.0.1 (default 3335;\n"
		"                   0 picks a free one)\n"
		"  --unix PATH      listen on a UNIX domain socket at PATH instead\n"
		"                   (created 0600, removed at exit; OpenOCD:\n"
		"                   remote_bitbang host PATH, port 0)\n"
		"  --chip NAME      the memory fitted: esp-psram64h, ly68l6400,\n"
		"                   aps6404l, ips6404l, w25q64 or absent\n"
		"                   (default: the board's)\n"
		"  --fault SPEC     inject a fault (repeatable); --list-faults\n"
		"                   shows the syntax\n"
		"  --seed N         seed for die IDs, noise and random faults\n"
		"                   (default 1)\n"
		"  --flash-image FILE\n"
		"                   keep the internal flash in FILE: loaded at\n"
		"                   start if it exists, written as it changes\n"
		"  --uart N=tcp:PORT|file:PATH\n"
		"                   connect USART/UART N (1-8) to a TCP port on\n"
		"                   127.0.0.1 (0 picks one) or a file (repeatable)\n"
		"  --bus-costs FILE\n"
		"                   replace the table of what each bus access\n"
		"                   costs the core (docs/psramsim-cpu.md)\n"
		"  --trace FILE     log JTAG/DAP, bus and xSPI traffic to FILE\n"
		"  --stats          print counters at exit\n"
		"  --list-boards    list the board profiles and exit\n"
		"  --list-faults    list the fault specs and exit\n"
		"  --list-bus-costs\n"
		"                   print the board's bus cost table (the\n"
		"                   --bus-costs format) and exit\n"
		"  --version        print the version and the Unicorn it runs on\n"
		"  -h, --help       this text\n"
		"\n"
		"Once listening it prints \"psramsim: listening on "
		"127.0.0.1:PORT\" (or \"on unix:PATH\") on stderr.\n");
}

static int parse_port(const char *s, uint16_t *port)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0' || v < 0 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

static void print_stats(const struct sim *sim, double wall_s)
{
	double virt_s = sim->clk.cpu_hz
				? (double)sim->clk.cycles / sim->clk.cpu_hz
				: 0;

	fprintf(stderr,
		"psramsim: stats: jtag_chars=%llu tck=%llu "
		"dap_transactions=%llu ap_reads=%llu ap_writes=%llu "
		"ap_errors=%llu instructions=%llu xspi_commands=%llu "
		"xspi_bytes=%llu flash_cr_writes=%llu connections=%llu "
		"virtual_cycles=%llu virtual_s=%.6f (modelled) wall_s=%.3f "
		"guest_errors=%lu unimplemented=%lu\n",
		(unsigned long long)sim_stats.jtag_chars,
		(unsigned long long)sim_stats.tck_cycles,
		(unsigned long long)sim_stats.dap_transactions,
		(unsigned long long)sim_stats.ap_bus_reads,
		(unsigned long long)sim_stats.ap_bus_writes,
		(unsigned long long)sim_stats.ap_bus_errors,
		(unsigned long long)sim_stats.instructions,
		(unsigned long long)sim_stats.xspi_commands,
		(unsigned long long)sim_stats.xspi_bytes,
		(unsigned long long)sim_stats.flash_cr_writes,
		(unsigned long long)sim_stats.connections,
		(unsigned long long)sim->clk.cycles, virt_s, wall_s,
		sim_log_count(LOG_GUEST_ERROR), sim_log_count(LOG_UNIMP));
	if (psram_of(xspi_wire_chip(sim->wire)))
		psram_print_stats(psram_of(xspi_wire_chip(sim->wire)), stderr);
}

static double wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void on_srst(void *ctx, bool asserted)
{
	/* SRST is NRST: the board resets when it is released; while held the
	 * core does not run (sim.c keeps it halted in reset). */
	if (!asserted)
		sim_system_reset(ctx);
}

/* What the command line asks for. */
struct sim_config {
	const char *board_name;
	const char *trace_path;
	const char *chip_name;
	const char *flash_image_path;
	const char *fault_specs[MAX_FAULT_OPTIONS];
	unsigned nfaults;
	struct uart_port_spec uarts[8];
	unsigned nuarts;
	unsigned long long seed;
	bool want_stats;
	uint16_t port;
	const char *unix_path;	/* --unix: instead of the TCP port */
	bool list_bus_costs;
	bool have_bus_costs;
	struct bus_cost_table bus_costs;	/* --bus-costs */
};

/* What set_up made of it, for run and tear_down. */
struct sim_session {
	const struct board_profile *board;
	struct fault_set faults;
	FILE *trace;
	struct sim *sim;
	struct flash_image *flash_image;
	struct rbb_server srv;
	bool listening;
	double last_heard;	/* wall time the debugger last sent */
};

static const struct option long_opts[] = {
	{"board", required_argument, NULL, 'b'},
	{"port", required_argument, NULL, 'p'},
	{"unix", required_argument, NULL, 'X'},
	{"trace", required_argument, NULL, 't'},
	{"stats", no_argument, NULL, 's'},
	{"list-boards", no_argument, NULL, 'L'},
	{"list-faults", no_argument, NULL, 'F'},
	{"chip", required_argument, NULL, 'c'},
	{"fault", required_argument, NULL, 'f'},
	{"seed", required_argument, NULL, 'S'},
	{"flash-image", required_argument, NULL, 'I'},
	{"uart", required_argument, NULL, 'U'},
	{"bus-costs", required_argument, NULL, 'C'},
	{"list-bus-costs", no_argument, NULL, 'K'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0},
};

static int parse_seed(const char *s, unsigned long long *seed)
{
	char *end;

	errno = 0;
	*seed = strtoull(s, &end, 0);
	if (errno || *s == '\0' || *end != '\0' || *s == '-') {
		fprintf(stderr,
			"psramsim: --seed '%s': not a non-negative integer\n",
			s);
		return 2;
	}
	return 0;
}

/* --bus-costs FILE: read now, so that a bad file stops psramsim before
 * anything else starts. */
static int parse_bus_costs(const char *path, struct sim_config *cfg)
{
	char err[300];

	if (bus_cost_load(path, &cfg->bus_costs, err, sizeof(err)) != 0) {
		fprintf(stderr, "psramsim: --bus-costs %s\n", err);
		return 2;
	}
	cfg->have_bus_costs = true;
	return 0;
}

/* --list-bus-costs: the table in force for the board (its own, or the
 * --bus-costs file), in the file format, each built-in row's source as a
 * comment. */
static int list_bus_costs(const struct sim_config *cfg)
{
	const struct board_profile *board = board_find(cfg->board_name);
	struct bus_cost_table t;

	if (!board) {
		fprintf(stderr, "psramsim: unknown board '%s' (see "
				"--list-boards)\n",
			cfg->board_name);
		return 2;
	}
	if (cfg->have_bus_costs) {
		bus_cost_write(stdout, &cfg->bus_costs);
		return 0;
	}
	bus_cost_builtin(board->line, &t);
	printf("# %s: CPU cycles per data access (docs/psramsim-cpu.md)\n"
	       "# base      last        read        write       name\n",
	       board->name);
	for (unsigned i = 0; i < t.count; i++) {
		printf("# %s\n", bus_cost_builtin_source(board->line,
							 t.row[i].base));
		bus_cost_write_row(stdout, &t.row[i]);
	}
	return 0;
}

static void list_faults(void)
{
	for (size_t i = 0; i < fault_kind_count; i++)
		printf("%-32s %s\n", fault_kinds[i].syntax,
		       fault_kinds[i].effect);
}

static void list_boards(void)
{
	for (unsigned i = 0; i < board_profile_count; i++)
		printf("%-16s %s\n", board_profiles[i].name,
		       board_profiles[i].description);
}

/* The version, and the Unicorn library actually loaded (uc_version), which
 * may differ from the headers psramsim was built with. */
static void print_version(void)
{
	unsigned major, minor;

	uc_version(&major, &minor);
	printf("psramsim %s\nUnicorn %u.%u (library in use)\n",
	       PSRAMSIM_VERSION, major, minor);
}

/* One option into cfg. Returns 0 to go on, 2 for a bad value, and
 * PARSE_DONE after --help or a list (the program then exits 0). */
#define PARSE_DONE (-1)
static int parse_option(int opt, const char *arg, struct sim_config *cfg)
{
	switch (opt) {
	case 'b':
		cfg->board_name = arg;
		return 0;
	case 'p':
		if (parse_port(arg, &cfg->port) != 0) {
			fprintf(stderr,
				"psramsim: --port '%s': not a port number "
				"(0-65535)\n",
				arg);
			return 2;
		}
		return 0;
	case 'X':
		cfg->unix_path = arg;
		return 0;
	case 't':
		cfg->trace_path = arg;
		return 0;
	case 's':
		cfg->want_stats = true;
		return 0;
	case 'c':
		cfg->chip_name = arg;
		return 0;
	case 'I':
		cfg->flash_image_path = arg;
		return 0;
	case 'f':
		if (cfg->nfaults == MAX_FAULT_OPTIONS) {
			fprintf(stderr, "psramsim: too many --fault options "
					"(at most %u)\n",
				MAX_FAULT_OPTIONS);
			return 2;
		}
		cfg->fault_specs[cfg->nfaults++] = arg;
		return 0;
	case 'S':
		return parse_seed(arg, &cfg->seed);
	case 'U': {
		char err[160];

		if (cfg->nuarts == 8 ||
		    uart_port_parse(arg, &cfg->uarts[cfg->nuarts], err,
				    sizeof(err)) != 0) {
			if (cfg->nuarts == 8)
				snprintf(err, sizeof(err),
					 "--uart '%s': at most 8", arg);
			fprintf(stderr, "psramsim: %s\n", err);
			return 2;
		}
		cfg->nuarts++;
		return 0;
	}
	case 'C':
		return parse_bus_costs(arg, cfg);
	case 'K':
		cfg->list_bus_costs = true;
		return 0;
	case 'F':
		list_faults();
		return PARSE_DONE;
	case 'L':
		list_boards();
		return PARSE_DONE;
	case 'h':
		usage(stdout);
		return PARSE_DONE;
	case 'V':
		print_version();
		return PARSE_DONE;
	}
	return 2;
}

/* The command line into cfg. Returns 0 to go on, else the exit status. */
static int parse_args(int argc, char **argv, struct sim_config *cfg)
{
	int opt, r;

	memset(cfg, 0, sizeof(*cfg));
	cfg->board_name = "devebox-h750";
	cfg->seed = 1;
	cfg->port = 3335;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", long_opts, NULL)) != -1) {
		if (opt == ':') {
			fprintf(stderr, "psramsim: option '%s' needs a value "
					"(see --help)\n",
				argv[optind - 1]);
			return 2;
		}
		if (opt == '?') {
			fprintf(stderr, "psramsim: unknown option '%s' (see "
					"--help)\n",
				argv[optind - 1]);
			return 2;
		}
		r = parse_option(opt, optarg, cfg);
		if (r)
			return r == PARSE_DONE ? 0 : r;
	}
	if (optind < argc) {
		fprintf(stderr, "psramsim: unexpected argument '%s'\n",
			argv[optind]);
		return 2;
	}
	return -1;
}

/* PSRAMSIM_TIMING=strict: --fault timing=strict for every psramsim of an
 * environment, those psramctl --sim starts too (docs/psramsim-faults.md).
 * Returns 0 or the exit status. */
static int strict_from_env(struct sim_session *ss)
{
	const char *v = getenv("PSRAMSIM_TIMING");
	char err[256];

	if (!v || !*v)
		return 0;
	if (strcmp(v, "strict") != 0) {
		fprintf(stderr, "psramsim: PSRAMSIM_TIMING='%s': the only "
				"value is 'strict'\n", v);
		return 2;
	}
	return fault_parse(&ss->faults, "timing=strict", err, sizeof(err))
		       ? 2
		       : 0;
}

/* The board, the chip and the faults the configuration names. Returns 0
 * or the exit status. */
static int resolve_board(const struct sim_config *cfg, struct sim_session *ss)
{
	const char *chip;
	char err[256];

	ss->board = board_find(cfg->board_name);
	if (!ss->board) {
		fprintf(stderr, "psramsim: unknown board '%s'; known boards:",
			cfg->board_name);
		for (unsigned i = 0; i < board_profile_count; i++)
			fprintf(stderr, " %s", board_profiles[i].name);
		fputc('\n', stderr);
		return 2;
	}
	fault_set_init(&ss->faults);
	chip = cfg->chip_name ? cfg->chip_name : ss->board->default_chip;
	if (fault_chip_by_name(chip, &ss->faults.chip) != 0) {
		fprintf(stderr, "psramsim: --chip '%s': unknown chip; known:",
			chip);
		for (unsigned i = 0; i < CHIP_KINDS; i++)
			fprintf(stderr, " %s", fault_chip_names[i]);
		fputc('\n', stderr);
		return 2;
	}
	for (unsigned i = 0; i < cfg->nfaults; i++) {
		if (fault_parse(&ss->faults, cfg->fault_specs[i], err,
				sizeof(err))) {
			fprintf(stderr, "psramsim: %s\n", err);
			return 2;
		}
	}
	return strict_from_env(ss);
}

/* A flash-fail fault must name a sector the board's flash has. */
static int check_flash_faults(const struct sim_session *ss)
{
	unsigned sectors = ss->sim->flashc
				   ? flash_ctrl_sector_count(ss->sim->flashc)
				   : flash_f7_sector_count(ss->sim->flash_f7);

	for (unsigned n = sectors; n < FAULT_FLASH_SECTORS; n++) {
		if (ss->faults.flash_fail[n / 64] >> (n % 64) & 1U) {
			fprintf(stderr,
				"psramsim: fault 'flash-fail=%u': board %s has "
				"flash sectors 0-%u\n",
				n, ss->board->name, sectors - 1);
			return 2;
		}
	}
	return 0;
}

static int open_flash_image(const struct sim_config *cfg,
			    struct sim_session *ss)
{
	char err[256];
	bool loaded;

	if (!cfg->flash_image_path)
		return 0;
	if (!ss->sim->flashc) {
		fprintf(stderr,
			"psramsim: --flash-image: not available on board %s "
			"(STM32F7)\n", ss->board->name);
		return 2;
	}
	ss->flash_image = flash_image_open(cfg->flash_image_path,
					   ss->sim->flashc, &loaded, err,
					   sizeof(err));
	if (!ss->flash_image) {
		fprintf(stderr, "psramsim: --flash-image '%s': %s\n",
			cfg->flash_image_path, err);
		return 2;
	}
	/* Power up with what the file holds. */
	if (loaded)
		sim_power_on(ss->sim);
	return 0;
}

/* Closes whatever set_up made. Returns 1 if the flash image could not be
 * written back, else 0. */
static int tear_down(struct sim_session *ss)
{
	int rc = 0;

	if (flash_image_close(ss->flash_image) != 0)
		rc = 1;
	ss->flash_image = NULL;
	if (ss->listening)
		rbb_close(&ss->srv);
	ss->listening = false;
	if (ss->sim) {
		sim_destroy(ss->sim);
		free(ss->sim);
		ss->sim = NULL;
	}
	if (ss->trace) {
		sim_log_set_trace(NULL);
		fclose(ss->trace);
	}
	ss->trace = NULL;
	return rc;
}

/* The remote_bitbang server on the TCP port or --unix socket. Returns 0,
 * 2 for a --unix path that cannot be used, 1 if listening fails. */
static int open_debug_port(const struct sim_config *cfg,
			   struct sim_session *ss)
{
	const char *why;
	int r;

	if (!cfg->unix_path) {
		r = rbb_open(&ss->srv, cfg->port, &ss->sim->chain, on_srst,
			     ss->sim);
		if (r == 0)
			return 0;
		fprintf(stderr, "psramsim: cannot listen on 127.0.0.1:%u: %s\n",
			cfg->port, strerror(-r));
		return 1;
	}
	r = rbb_open_unix(&ss->srv, cfg->unix_path, &ss->sim->chain, on_srst,
			  ss->sim, &why);
	if (r == 0)
		return 0;
	if (why) {
		fprintf(stderr, "psramsim: --unix '%s': %s\n", cfg->unix_path,
			why);
		return 2;
	}
	fprintf(stderr, "psramsim: --unix '%s': cannot listen there: %s\n",
		cfg->unix_path, strerror(-r));
	return 1;
}

/* The board, its flash and the listening socket. Returns 0, or the exit
 * status after undoing what it made. */
static int set_up(const struct sim_config *cfg, struct sim_session *ss)
{
	int r;

	memset(ss, 0, sizeof(*ss));
	r = resolve_board(cfg, ss);
	if (r)
		return r;
	if (cfg->trace_path) {
		ss->trace = fopen(cfg->trace_path, "w");
		if (!ss->trace) {
			fprintf(stderr, "psramsim: --trace '%s': %s\n",
				cfg->trace_path, strerror(errno));
			return 2;
		}
		sim_log_set_trace(ss->trace);
	}
	ss->sim = calloc(1, sizeof(*ss->sim));
	if (!ss->sim ||
	    sim_create(ss->sim, ss->board, &ss->faults, cfg->seed) != 0) {
		fprintf(stderr, "psramsim: cannot create the board\n");
		free(ss->sim);
		ss->sim = NULL;
		tear_down(ss);
		return 1;
	}
	if (cfg->have_bus_costs &&
	    core_set_bus_costs(ss->sim->cpu, &cfg->bus_costs) != 0) {
		fprintf(stderr, "psramsim: --bus-costs: out of memory\n");
		tear_down(ss);
		return 1;
	}
	r = check_flash_faults(ss);
	for (unsigned i = 0; !r && i < cfg->nuarts; i++) {
		char err[200];

		if (sim_attach_uart(ss->sim, &cfg->uarts[i], err,
				    sizeof(err)) != 0) {
			fprintf(stderr, "psramsim: --uart %u: %s\n",
				cfg->uarts[i].n, err);
			r = 2;
		}
	}
	if (!r)
		r = open_flash_image(cfg, ss);
	if (!r) {
		r = open_debug_port(cfg, ss);
		ss->listening = r == 0;
	}
	if (r)
		tear_down(ss);
	return r;
}

static void announce(const struct sim_config *cfg,
		     const struct sim_session *ss)
{
	fprintf(stderr, "psramsim: board %s (%s)\n", ss->board->name,
		ss->board->description);
	fprintf(stderr, "psramsim: chip %s, seed %llu\n",
		fault_chip_names[ss->faults.chip], cfg->seed);
	if (fault_any(&ss->faults)) {
		fprintf(stderr, "psramsim: faults:\n");
		fault_describe(&ss->faults, stderr);
	}
	if (cfg->unix_path)
		fprintf(stderr, "psramsim: listening on unix:%s\n",
			cfg->unix_path);
	else
		fprintf(stderr, "psramsim: listening on 127.0.0.1:%u\n",
			rbb_port(&ss->srv));
	fflush(stderr);
}

static bool debugger_talking(const struct sim_session *ss)
{
	return wall_now() - ss->last_heard < LINGER_S;
}

/* Serve the debugger, waiting up to timeout_ms for it. With `linger`, in
 * the middle of a conversation the wait starts with a look at the socket
 * every few microseconds for the rest of LINGER_S, each giving the
 * processor away first if another task waits for it (OpenOCD itself, on
 * a busy host). Returns the characters served. */
static size_t serve_debugger(struct sim_session *ss, int timeout_ms,
			     bool linger)
{
	size_t n = rbb_poll(&ss->srv, 0);

	while (!n && linger && debugger_talking(ss)) {
		sched_yield();
		n = rbb_poll(&ss->srv, 0);
	}
	if (!n && timeout_ms)
		n = rbb_poll(&ss->srv, timeout_ms);
	if (n)
		ss->last_heard = wall_now();
	return n;
}

/* A guest asleep or in a wait loop computes nothing: its time runs to the
 * next event at no cost, and would race ahead of the host's. Its virtual
 * time is kept from running ahead of the wall clock (a sleeping firmware's
 * HAL_Delay(1000) lasts a second, and takes no host core meanwhile); a
 * busy guest runs as fast as it can, and the lag it builds is forgotten
 * beyond 50 ms rather than caught up in a burst. */
static void pace_idle(struct sim_session *ss)
{
	static double wall0, virt;
	static uint64_t last;
	const struct vclock *clk = &ss->sim->clk;
	double wall;

	if (wall0 == 0) {
		wall0 = wall_now();
		last = clk->cycles;
	}
	if (clk->cpu_hz)
		virt += (double)(clk->cycles - last) / clk->cpu_hz;
	last = clk->cycles;
	wall = wall_now() - wall0;
	if (wall - virt > 0.05)
		wall0 += wall - virt - 0.05;
	if (core_is_idle(ss->sim->cpu) && virt > wall) {
		double ahead_ms = (virt - wall) * 1000;

		serve_debugger(ss, ahead_ms > 10 ? 10 : (int)ahead_ms + 1,
			       true);
	}
}

/* The event loop: serve the debugger, run the core between its
 * transactions, until SIGINT or SIGTERM. */
static void run(struct sim_session *ss)
{
	while (!stop_requested) {
		struct core *cpu = ss->sim->cpu;

		if (core_is_spinning(cpu)) {
			serve_debugger(ss, 10, true);
		} else if (!core_is_running(cpu)) {
			serve_debugger(ss, 100, true);
		} else if (core_is_idle(cpu) && debugger_talking(ss)) {
			/* A guest that waits (the flash loader on its FIFO)
			 * waits for the debugger, whose every transaction
			 * runs it (sim.c): between two scans only the socket
			 * matters. */
			serve_debugger(ss, 0, true);
		} else {
			serve_debugger(ss, 0, false);
			core_run(cpu, debugger_talking(ss) ? TALK_SLICE
							   : IDLE_SLICE);
			pace_idle(ss);
		}
	}
}

static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Started with stdin, stdout or stderr closed, psramsim's sockets would
 * take those numbers and its log would be written into the debugger's
 * connection: /dev/null goes on each closed one first. */
static void std_fds_safe(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
		    open("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd)
			_exit(2);
}

int main(int argc, char **argv)
{
	struct sim_config cfg;
	struct sim_session ss;
	double start;
	int rc;

	std_fds_safe();
	rc = parse_args(argc, argv, &cfg);
	if (rc >= 0)
		return rc;
	if (cfg.list_bus_costs)
		return list_bus_costs(&cfg);
	rc = set_up(&cfg, &ss);
	if (rc)
		return rc;
	catch_signals();
	announce(&cfg, &ss);
	start = wall_now();
	run(&ss);
	if (cfg.want_stats)
		print_stats(ss.sim, wall_now() - start);
	return tear_down(&ss);
}
