#include "link/session.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "link/boards.h"
#include "util/cleanup.h"
#include "util/error.h"
#include "link/openocd_cmdline.h"
#include "link/openocd_proc.h"
#include "link/probe_select.h"
#include "report/output.h"
#include "link/sim_launch.h"
#include "link/target_lock.h"
#include "stub/stub_image.h"

_Static_assert(sizeof(((struct session *)0)->stub_parts) /
			       sizeof(struct stub_image *) ==
		       STUB_PART_IMAGES,
	       "session: a slot for each built-in part image");

#define SIM_START_MS 10000
#define OPENOCD_START_MS 20000
#define CONNECT_MS 5000
/* OpenOCD answers once `init` is done: probe, scan chain, examine. */
#define OPENOCD_READY_MS 30000
/* An OpenOCD the user started has done all that already. */
#define CONNECTED_READY_MS 5000

#define GOPT(field) offsetof(struct global_options, field)

const struct opt session_options[] = {
	{"board", 0, OPT_STRING, GOPT(board), "NAME",
	 "a real board: cfg/boards/NAME.cfg", 0, 0},
	{"interface", 0, OPT_STRING, GOPT(interface), "NAME",
	 "debug probe: stlink (default), stlink-dap, cmsis-dap, jlink, "
	 "ftdi/NAME or FILE.cfg", 0, 0},
	{"speed", 0, OPT_UINT, GOPT(speed_khz), "KHZ",
	 "adapter speed (default: the board file's)", 1, 1000000},
	{"serial", 0, OPT_STRING, GOPT(serial), "SN",
	 "the probe with this serial number (see psramctl probes)", 0, 0},
	{"usb-path", 0, OPT_STRING, GOPT(usb_path), "PATH",
	 "the probe at this USB path, e.g. 1-2.3 (see psramctl probes)", 0,
	 0},
	{"all-probes", 0, OPT_FLAG, GOPT(all_probes), NULL,
	 "verify: every probe attached, each board at once", 0, 0},
	{"sim-count", 0, OPT_UINT, GOPT(sim_count), "N",
	 "verify: N sound simulated boards at once", 1, 32},
	{"sim-set", 0, OPT_LIST, GOPT(sim_sets), "FAULTS",
	 "verify: one more simulated board with these faults "
	 "(comma-separated SPECs, or ok; repeatable)", 0, 0},
	{"batch-dir", 0, OPT_STRING, GOPT(batch_dir), "DIR",
	 "verify batches: where verify-NAME.json and .xml go (default .)", 0,
	 0},
	{"connect-under-reset", 0, OPT_FLAG, GOPT(connect_under_reset), NULL,
	 "hold NRST while attaching (firmware that disabled SWD or sleeps)",
	 0, 0},
	{"openocd", 0, OPT_STRING, GOPT(openocd), "PATH",
	 "the openocd to run (default: openocd in PATH)", 0, 0},
	{"connect", 0, OPT_STRING, GOPT(connect), "HOST:PORT",
	 "use the OpenOCD already listening on this TCL port", 0, 0},
	{"sim", 0, OPT_FLAG, GOPT(sim), NULL,
	 "use the simulated board (starts psramsim and OpenOCD)", 0, 0},
	{"sim-board", 0, OPT_STRING, GOPT(sim_board), "NAME",
	 "simulated board (default " SESSION_DEFAULT_SIM_BOARD ")", 0, 0},
	{"sim-chip", 0, OPT_STRING, GOPT(sim_chip), "NAME",
	 "chip fitted on the simulated board", 0, 0},
	{"sim-fault", 0, OPT_LIST, GOPT(sim_faults), "SPEC",
	 "inject a fault in the simulation (repeatable)", 0, 0},
	{"sim-seed", 0, OPT_STRING, GOPT(sim_seed), "N",
	 "seed for the simulation's random faults", 0, 0},
	{"stub", 0, OPT_STRING, GOPT(stub), "FILE",
	 "run this stub.bin instead of the built-in stub (development)", 0,
	 0},
	{"json", 0, OPT_FLAG, GOPT(json), NULL,
	 "results as JSON, one object per line", 0, 0},
	{"verbose", 'v', OPT_FLAG, GOPT(verbose), NULL,
	 "show the processes started and the Tcl sent and received", 0, 0},
	{"help", 'h', OPT_FLAG, GOPT(help), NULL, "show this help", 0, 0},
	{"version", 0, OPT_FLAG, GOPT(version), NULL,
	 "show psramctl's version, its stub ABI and the OpenOCD it finds", 0,
	 0},
	OPT_END,
};

static int usage_error(const char *msg)
{
	return out_error(PSR_ERR_USAGE, "%s", msg);
}

/* HOST:PORT, [V6ADDR]:PORT */
static int parse_connect(struct session *s, const char *arg)
{
	const char *colon, *host = arg;
	size_t host_len;
	char *end, shown[128];
	unsigned long port;

	if (arg[0] == '[') {
		const char *close = strchr(arg, ']');

		if (!close || close[1] != ':')
			goto bad;
		host = arg + 1;
		host_len = (size_t)(close - host);
		colon = close + 1;
	} else {
		colon = strrchr(arg, ':');
		if (!colon)
			goto bad;
		host_len = (size_t)(colon - arg);
	}
	port = strtoul(colon + 1, &end, 10);
	if (!host_len || !colon[1] || *end || port == 0 || port > 65535 ||
	    colon[1] == '-' || colon[1] == '+')
		goto bad;
	s->connect_host = psr_malloc(host_len + 1);
	memcpy(s->connect_host, host, host_len);
	s->connect_host[host_len] = '\0';
	s->connect_port = (unsigned)port;
	return 0;
bad:
	return out_error(PSR_ERR_USAGE,
			 "invalid value '%s' for --connect (expected "
			 "HOST:PORT)",
			 out_printable(arg, shown, sizeof(shown)));
}

/* psramsim takes a 64-bit seed: a decimal number of at most
 * 18446744073709551615. */
static int check_seed(const char *s)
{
	char shown[128];
	const char *p;

	out_printable(s, shown, sizeof(shown));
	for (p = s; *p >= '0' && *p <= '9'; p++)
		;
	if (!*s || *p)
		return out_error(PSR_ERR_USAGE,
				 "invalid value '%s' for --sim-seed (expected "
				 "a decimal number)",
				 shown);
	while (*s == '0' && s[1])
		s++;
	if (strlen(s) > 20 ||
	    (strlen(s) == 20 && strcmp(s, "18446744073709551615") > 0))
		return out_error(PSR_ERR_USAGE,
				 "--sim-seed %s is too large (at most "
				 "18446744073709551615, 64 bits)",
				 shown);
	return 0;
}

void session_init(struct session *s, const struct global_options *o)
{
	memset(s, 0, sizeof(*s));
	s->opts = o;
	s->cleanup_handle = -1;
	s->simulated = -1;
	s->lock_fd = -1;
}

static int check_options(struct session *s, const struct global_options *o)
{
	if (o->all_probes || o->sim_count || o->sim_sets.n || o->batch_dir ||
	    (o->serial && strchr(o->serial, ',')))
		return usage_error("--all-probes, --serial A,B,..., "
				   "--sim-count, --sim-set and --batch-dir "
				   "run verify on several boards: only with "
				   "verify");
	if (o->connect) {
		if (o->sim)
			return usage_error("--connect and --sim exclude each "
					   "other");
		if (o->board || o->interface || o->speed_khz || o->openocd ||
		    o->serial || o->usb_path || o->connect_under_reset)
			return usage_error("--board, --interface, --speed, "
					   "--serial, --usb-path, "
					   "--connect-under-reset and --openocd "
					   "have no effect with --connect (the "
					   "running OpenOCD has its own "
					   "configuration)");
		return parse_connect(s, o->connect);
	}
	if (!o->sim && (o->sim_board || o->sim_chip || o->sim_faults.n ||
			o->sim_seed))
		return usage_error("--sim-board, --sim-chip, --sim-fault and "
				   "--sim-seed need --sim");
	if (o->sim) {
		if (o->board)
			return usage_error("--board names a real board; with "
					   "--sim use --sim-board");
		if (o->interface || o->speed_khz || o->serial ||
		    o->usb_path || o->connect_under_reset)
			return usage_error("--interface, --speed, --serial, "
					   "--usb-path and --connect-under-reset "
					   "have no effect with --sim");
		return o->sim_seed ? check_seed(o->sim_seed) : 0;
	}
	if (!o->board)
		return usage_error("no target given: use --board NAME, --sim "
				   "or --connect HOST:PORT");
	if (o->interface) {
		char *script = boards_interface_cfg(o->interface);

		if (!script)
			return PSR_ERR_USAGE;
		free(script);
	}
	return 0;
}

int session_check(struct session *s, const struct global_options *o)
{
	int r;

	session_init(s, o);
	r = check_options(s, o);
	if (!r)
		r = stub_image_load(&s->stub, o->stub);
	for (int i = 0; !r && !o->stub && i < STUB_PART_IMAGES; i++)
		r = stub_image_load_part(&s->stub_parts[i], i);
	return r;
}

/* Whether psramsim or the OpenOCD we started is dead or stopped. */
static int helper_state(struct session *s, struct strbuf *msg)
{
	if (s->sim)
		return sim_launch_check(s->sim, msg);
	if (s->ocd)
		return ocd_proc_check(s->ocd, msg);
	return 0;
}

/* out_set_cause's check, asked when an error is about to be reported:
 * has a helper died? A process killed a moment ago closes its sockets
 * before it becomes a zombie that waitpid() sees, and OpenOCD may fail
 * in between: look for up to HELPER_DEATH_MS before saying no. */
#define HELPER_DEATH_MS 300
static int helper_died(void *ctx, struct strbuf *msg)
{
	struct session *s = ctx;
	struct timespec step = {0, 20 * 1000000L};
	int r = 0;

	if (!s->sim && !s->ocd)
		return 0;
	for (int t = 0; t <= HELPER_DEATH_MS && !r; t += 20) {
		r = helper_state(s, msg);
		if (!r && t < HELPER_DEATH_MS)
			nanosleep(&step, NULL);
	}
	return r;
}

static void session_cleanup(void *ctx)
{
	session_close(ctx);
}

static int start_real(struct session *s)
{
	const struct global_options *o = s->opts;
	struct probe_request req = {o->interface, o->serial, o->usb_path};
	struct probe_choice probe;
	struct adapter_setup adapter;
	struct ocd_cmds cmds;
	struct ocd_spawn spec;
	int r;

	r = boards_find(s->cfg_dir, o->board, 0, &s->board_cfg);
	if (r)
		return r;
	r = probe_select(&req, &probe);
	if (r)
		return r;
	memset(&adapter, 0, sizeof(adapter));
	adapter.interface = probe.interface;
	adapter.serial = probe.serial;
	adapter.usb_location = probe.usb_location;
	adapter.speed_khz = (unsigned)o->speed_khz;
	adapter.connect_under_reset = o->connect_under_reset;
	r = ocd_adapter_cmds(&adapter, &cmds);
	if (r) {
		probe_choice_free(&probe);
		return r;
	}
	if (probe.described && !o->json)
		fprintf(stderr, "psramctl: probe: %s, --interface %s\n",
			probe.described, probe.interface);
	if (cmds.note)
		out_debug("%s", cmds.note);
	s->probe = probe.described;
	probe.described = NULL;
	memset(&spec, 0, sizeof(spec));
	spec.program = o->openocd;
	spec.search_dir = s->cfg_dir;
	spec.board_cfg = s->board_cfg;
	spec.pre_cmds = cmds.pre;
	spec.post_cmds = cmds.post;
	spec.timeout_ms = OPENOCD_START_MS;
	r = ocd_proc_start(&s->ocd, &spec);
	ocd_cmds_free(&cmds);
	probe_choice_free(&probe);
	return r;
}

static int start_sim(struct session *s)
{
	const struct global_options *o = s->opts;
	const char *board = o->sim_board ? o->sim_board
					 : SESSION_DEFAULT_SIM_BOARD;
	struct sim_spawn spec;
	char *psramsim;
	int r;

	r = boards_find(s->cfg_dir, board, 1, &s->board_cfg);
	if (r)
		return r;
	psramsim = sim_launch_find_psramsim();
	if (!psramsim)
		return out_error(PSR_ERR_NO_PSRAMSIM,
				 "psramsim not found next to psramctl or in "
				 "PATH");
	memset(&spec, 0, sizeof(spec));
	spec.psramsim = psramsim;
	spec.board = board;
	spec.chip = o->sim_chip;
	spec.faults = o->sim_faults.items;
	spec.nfaults = o->sim_faults.n;
	spec.seed = o->sim_seed;
	spec.timeout_ms = SIM_START_MS;
	spec.openocd.program = o->openocd;
	spec.openocd.search_dir = s->cfg_dir;
	spec.openocd.board_cfg = s->board_cfg;
	spec.openocd.timeout_ms = OPENOCD_START_MS;
	r = sim_launch_start(&s->sim, &spec);
	free(psramsim);
	return r;
}

int session_open(struct session *s)
{
	const struct global_options *o = s->opts;
	const char *host = "127.0.0.1";
	unsigned port;
	int r;

	s->cleanup_handle = cleanup_push(session_cleanup, s);
	if (o->connect) {
		host = s->connect_host;
		port = s->connect_port;
		s->lock_fd = target_lock_take(host, port);
		if (s->lock_fd < 0)
			return s->lock_fd;
	} else {
		s->cfg_dir = boards_cfg_dir(NULL);
		if (!s->cfg_dir)
			return PSR_ERR_BOARD_FILE;
		r = o->sim ? start_sim(s) : start_real(s);
		if (r)
			return r;
		port = s->sim ? sim_launch_tcl_port(s->sim)
			      : ocd_proc_port(s->ocd);
		out_set_cause(helper_died, s);
	}
	if (s->sim)
		r = tcl_link_connect(&s->link, host, port, CONNECT_MS,
				     sim_launch_check, s->sim);
	else if (s->ocd)
		r = tcl_link_connect(&s->link, host, port, CONNECT_MS,
				     ocd_proc_check, s->ocd);
	else
		r = tcl_link_connect(&s->link, host, port, CONNECT_MS, NULL,
				     NULL);
	if (!r && s->sim)
		r = sim_launch_init(s->sim, s->link, OPENOCD_READY_MS);
	if (r)
		return r;
	r = tcl_link_exec(s->link, "version", &s->openocd_version,
			  o->connect ? CONNECTED_READY_MS : OPENOCD_READY_MS);
	if (r == PSR_ERR_TCL)
		r = out_error(PSR_ERR_PROTOCOL,
			      "%s does not answer like OpenOCD: %s",
			      tcl_link_peer(s->link), s->openocd_version);
	if (r)
		return r;
	r = board_vars_read(s->link, &s->vars);
	if (r)
		return r;
	r = target_open(&s->target, s->link, s->vars.target);
	if (r == PSR_ERR_TARGET) {
		r = out_error(PSR_ERR_TARGET, "cannot select target '%s': %s",
			      s->vars.target ? s->vars.target : "current",
			      target_error(&s->target));
	}
	if (r) {
		target_close(&s->target);
		return r;
	}
	s->have_target = 1;
	return 0;
}

void session_explain(struct session *s, int r)
{
	struct strbuf msg;
	int dead = 0;

	/* An error nobody reported yet, often a failed target access, may
	 * come from psramsim or OpenOCD having died under us: say so rather
	 * than only that the access failed. */
	if (r < 0 && r != PSR_ERR_INTERRUPTED && r != PSR_ERR_TEST_FAILED &&
	    r != PSR_ERR_USAGE && r != PSR_ERR_OUTPUT &&
	    !out_errors_reported()) {
		sb_init(&msg);
		dead = helper_died(s, &msg);
		if (dead)
			out_error(dead, "%s", msg.buf);
		sb_release(&msg);
	}
	/* OpenOCD's last words, with -v only: its one line is in the error
	 * already, the rest is relayed Tcl noise. */
	if (out_verbose() &&
	    (r == PSR_ERR_OPENOCD_EXITED || dead == PSR_ERR_OPENOCD_EXITED)) {
		if (s->ocd)
			ocd_proc_print_tail(s->ocd);
		else if (s->sim)
			ocd_proc_print_tail(sim_launch_openocd(s->sim));
	}
}

const char *session_board_name(const struct session *s)
{
	const struct global_options *o = s->opts;

	if (s->vars.board)
		return s->vars.board;
	if (o->sim)
		return o->sim_board ? o->sim_board : SESSION_DEFAULT_SIM_BOARD;
	return o->board;
}

int session_simulated(struct session *s)
{
	char *name = NULL;
	int sim, r;

	if (s->sim)
		return 1;
	if (s->simulated >= 0)
		return s->simulated;
	if (!s->link)
		return 0;
	r = tcl_link_exec(s->link, "adapter name", &name, 0);
	/* A Tcl error leaves its message in name. */
	sim = !r && name && !strcmp(name, "remote_bitbang");
	free(name);
	if (r)
		return 0;
	s->simulated = sim;
	return sim;
}

/* session_close leaves every field as session_init made it, so that it
 * may run again. */
static void free_string(char **p)
{
	free(*p);
	*p = NULL;
}

void session_close(struct session *s)
{
	if (s->sim || s->ocd)
		out_set_cause(NULL, NULL);
	if (s->cleanup_handle >= 0) {
		int h = s->cleanup_handle;

		s->cleanup_handle = -1;
		cleanup_pop(h, 0);
	}
	if (s->have_target)
		target_close(&s->target);
	s->have_target = 0;
	board_vars_free(&s->vars);
	tcl_link_close(s->link);
	s->link = NULL;
	target_lock_release(s->lock_fd);
	s->lock_fd = -1;
	sim_launch_stop(s->sim);
	s->sim = NULL;
	ocd_proc_stop(s->ocd);
	s->ocd = NULL;
	free_string(&s->openocd_version);
	free_string(&s->probe);
	free_string(&s->board_cfg);
	free_string(&s->cfg_dir);
	free_string(&s->connect_host);
	stub_image_free(s->stub);
	s->stub = NULL;
	for (int i = 0; i < STUB_PART_IMAGES; i++) {
		stub_image_free(s->stub_parts[i]);
		s->stub_parts[i] = NULL;
	}
	s->stub_loaded = NULL;
}
