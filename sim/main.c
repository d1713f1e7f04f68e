/* psramsim: a simulated STM32 board with a PSRAM chip, debugged by a real
 * OpenOCD through the remote_bitbang JTAG adapter. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "board.h"
#include "cpu/core.h"
#include "fault.h"
#include "periph/flash_ctrl.h"
#include "periph/flash_image.h"
#include "util/log.h"
#include "debug/rbb.h"
#include "sim.h"
#include "util/stats.h"

/* Instructions run between two looks at the socket while the debugger is
 * quiet: about a millisecond of host time. */
#define IDLE_SLICE 200000
/* While the debugger talks, every transaction already runs the core
 * (sim.c), and each of its scans waits for our answer: look at the socket
 * again after a few microseconds, until it has been quiet for about
 * QUIET_LOOKS of them. */
#define TALK_SLICE 2000
#define QUIET_LOOKS 256

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
		"A simulated STM32H7 board that OpenOCD debugs over JTAG\n"
		"(adapter driver remote_bitbang; see cfg/sim.cfg).\n"
		"\n"
		"  --board NAME     board profile (default devebox-h750);\n"
		"                   --list-boards shows them\n"
		"  --port N         TCP port on 127.0.0.1 (default 3335;\n"
		"                   0 picks a free one)\n"
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
		"  --trace FILE     log JTAG/DAP, bus and xSPI traffic to FILE\n"
		"  --stats          print counters at exit\n"
		"  --list-boards    list the board profiles and exit\n"
		"  --list-faults    list the fault specs and exit\n"
		"  -h, --help       this text\n"
		"\n"
		"Once listening it prints \"psramsim: listening on "
		"127.0.0.1:PORT\" on stderr.\n");
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

int main(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{"board", required_argument, NULL, 'b'},
		{"port", required_argument, NULL, 'p'},
		{"trace", required_argument, NULL, 't'},
		{"stats", no_argument, NULL, 's'},
		{"list-boards", no_argument, NULL, 'L'},
		{"list-faults", no_argument, NULL, 'F'},
		{"chip", required_argument, NULL, 'c'},
		{"fault", required_argument, NULL, 'f'},
		{"seed", required_argument, NULL, 'S'},
		{"flash-image", required_argument, NULL, 'I'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *board_name = "devebox-h750";
	const char *trace_path = NULL;
	const char *chip_name = NULL;
	const char *flash_image_path = NULL;
	struct flash_image *flash_image = NULL;
	const char *fault_specs[64];
	unsigned nfaults = 0;
	unsigned long long seed = 1;
	struct fault_set faults;
	char err[256];
	char *end;
	bool want_stats = false;
	uint16_t port = 3335;
	FILE *trace = NULL;
	struct sigaction sa;
	struct rbb_server srv;
	struct sim *sim;
	const struct board_profile *board;
	double start;
	unsigned quiet = QUIET_LOOKS;
	int opt, rc;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'b':
			board_name = optarg;
			break;
		case 'p':
			if (parse_port(optarg, &port) != 0) {
				fprintf(stderr,
					"psramsim: --port '%s': not a port "
					"number (0-65535)\n",
					optarg);
				return 2;
			}
			break;
		case 't':
			trace_path = optarg;
			break;
		case 's':
			want_stats = true;
			break;
		case 'c':
			chip_name = optarg;
			break;
		case 'I':
			flash_image_path = optarg;
			break;
		case 'f':
			if (nfaults == sizeof(fault_specs) / sizeof(*fault_specs)) {
				fprintf(stderr, "psramsim: too many --fault "
						"options (at most 64)\n");
				return 2;
			}
			fault_specs[nfaults++] = optarg;
			break;
		case 'S':
			errno = 0;
			seed = strtoull(optarg, &end, 0);
			if (errno || *optarg == '\0' || *end != '\0' ||
			    *optarg == '-') {
				fprintf(stderr,
					"psramsim: --seed '%s': not a "
					"non-negative integer\n",
					optarg);
				return 2;
			}
			break;
		case 'F':
			for (size_t i = 0; i < fault_kind_count; i++)
				printf("%-32s %s\n", fault_kinds[i].syntax,
				       fault_kinds[i].effect);
			return 0;
		case 'L':
			for (unsigned i = 0; i < board_profile_count; i++)
				printf("%-16s %s\n", board_profiles[i].name,
				       board_profiles[i].description);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "psramsim: unknown option '%s' (see "
					"--help)\n",
				argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "psramsim: unexpected argument '%s'\n",
			argv[optind]);
		return 2;
	}
	board = board_find(board_name);
	if (!board) {
		fprintf(stderr, "psramsim: unknown board '%s'; known boards:",
			board_name);
		for (unsigned i = 0; i < board_profile_count; i++)
			fprintf(stderr, " %s", board_profiles[i].name);
		fputc('\n', stderr);
		return 2;
	}
	fault_set_init(&faults);
	if (fault_chip_by_name(chip_name ? chip_name : board->default_chip,
			       &faults.chip) != 0) {
		fprintf(stderr, "psramsim: --chip '%s': unknown chip; known:",
			chip_name);
		for (unsigned i = 0; i < CHIP_KINDS; i++)
			fprintf(stderr, " %s", fault_chip_names[i]);
		fputc('\n', stderr);
		return 2;
	}
	for (unsigned i = 0; i < nfaults; i++) {
		if (fault_parse(&faults, fault_specs[i], err, sizeof(err))) {
			fprintf(stderr, "psramsim: %s\n", err);
			return 2;
		}
	}
	if (trace_path) {
		trace = fopen(trace_path, "w");
		if (!trace) {
			fprintf(stderr, "psramsim: --trace '%s': %s\n",
				trace_path, strerror(errno));
			return 2;
		}
		sim_log_set_trace(trace);
	}

	sim = calloc(1, sizeof(*sim));
	if (!sim || sim_create(sim, board, &faults, seed) != 0) {
		fprintf(stderr, "psramsim: cannot create the board\n");
		return 1;
	}
	for (unsigned n = flash_ctrl_sector_count(sim->flashc);
	     n < FAULT_FLASH_SECTORS; n++) {
		if (faults.flash_fail[n / 64] >> (n % 64) & 1U) {
			fprintf(stderr,
				"psramsim: fault 'flash-fail=%u': board %s has "
				"flash sectors 0-%u\n",
				n, board->name,
				flash_ctrl_sector_count(sim->flashc) - 1);
			return 2;
		}
	}
	if (flash_image_path) {
		bool loaded;

		flash_image = flash_image_open(flash_image_path, sim->flashc,
					       &loaded, err, sizeof(err));
		if (!flash_image) {
			fprintf(stderr, "psramsim: --flash-image '%s': %s\n",
				flash_image_path, err);
			return 2;
		}
		/* Power up with what the file holds. */
		if (loaded)
			sim_power_on(sim);
	}
	rc = rbb_open(&srv, port, &sim->chain, on_srst, sim);
	if (rc != 0) {
		fprintf(stderr, "psramsim: cannot listen on 127.0.0.1:%u: %s\n",
			port, strerror(-rc));
		flash_image_close(flash_image);
		sim_destroy(sim);
		free(sim);
		return 1;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	fprintf(stderr, "psramsim: board %s (%s)\n", board->name,
		board->description);
	fprintf(stderr, "psramsim: chip %s, seed %llu\n",
		fault_chip_names[faults.chip], seed);
	if (fault_any(&faults)) {
		fprintf(stderr, "psramsim: faults:\n");
		fault_describe(&faults, stderr);
	}
	fprintf(stderr, "psramsim: listening on 127.0.0.1:%u\n",
		rbb_port(&srv));
	fflush(stderr);

	start = wall_now();
	while (!stop_requested) {
		if (core_is_spinning(sim->cpu)) {
			rbb_poll(&srv, 10);
		} else if (core_is_running(sim->cpu)) {
			quiet = rbb_poll(&srv, 0) ? 0
				: quiet < QUIET_LOOKS ? quiet + 1 : quiet;
			core_run(sim->cpu, quiet < QUIET_LOOKS ? TALK_SLICE
							       : IDLE_SLICE);
		} else {
			rbb_poll(&srv, 100);
		}
	}

	if (want_stats)
		print_stats(sim, wall_now() - start);
	if (flash_image_close(flash_image) != 0)
		rc = 1;
	rbb_close(&srv);
	sim_destroy(sim);
	free(sim);
	if (trace)
		fclose(trace);
	return rc;
}
