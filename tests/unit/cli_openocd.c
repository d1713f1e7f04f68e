/* Process management and the link against the real OpenOCD (its Jim Tcl
 * interpreter), with no hardware: the "dummy" adapter and `noinit` keep
 * OpenOCD serving its TCL port. Board files live in a directory whose name
 * is full of Tcl metacharacters. Fake openocd and psramsim scripts cover
 * the failures: never ready, ignoring SIGTERM, rejecting options, dying. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "link/board_vars.h"
#include "util/error.h"
#include "link/openocd_proc.h"
#include "link/sim_launch.h"
#include "util/strbuf.h"
#include "link/tcl_link.h"
#include "link/tcl_quote.h"
#include "unit.h"

static char top[128];
static char dir[256]; /* the awkward directory */

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int write_file(const char *path, const char *text, int mode)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	fclose(f);
	return chmod(path, (mode_t)mode);
}

static char *path_in(const char *name)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_addf(&sb, "%s/%s", dir, name);
	return sb_detach(&sb);
}

static int setup(void)
{
	snprintf(top, sizeof(top), "/tmp/psramctl-unit-ocd-XXXXXX");
	if (!mkdtemp(top))
		return -1;
	snprintf(dir, sizeof(dir), "%s/we ird[$x];{\"}", top);
	if (mkdir(dir, 0700))
		return -1;
	return 0;
}

static void teardown(void)
{
	struct strbuf cmd;

	sb_init(&cmd);
	sb_adds(&cmd, "rm -rf ");
	sb_adds(&cmd, top);
	if (system(cmd.buf) != 0)
		printf("  could not remove %s\n", top);
	sb_release(&cmd);
}

static const char dummy_board[] =
	"adapter driver dummy\n"
	"noinit\n"
	"set PSRAM_BOARD test-board\n"
	"set PSRAM_BOARD_DESC {Test board, \"quoted\" [not run]}\n"
	"set PSRAM_FAMILY stm32h7\n"
	"set PSRAM_XSPI quadspi\n"
	"set PSRAM_XSPI_BASE 0x52005000\n"
	"set PSRAM_XSPI_WINDOW 0x90000000\n"
	"set PSRAM_PINS {clk PB2 9 ncs PB6 10 io0 PD11 9}\n"
	"set PSRAM_KERNEL_HZ 200000000\n"
	"set PSRAM_CPU_HZ 400000000\n"
	"set PSRAM_CLOCK_MHZ 50\n"
	"set PSRAM_STUB_RAM {0x20000000 0x20000}\n"
	"set PSRAM_WORK_AREA {0x24000000 0x10000}\n"
	"if {[info exists PSRAMSIM_PORT]} {set GOT_PORT $PSRAMSIM_PORT}\n"
	/* the dummy adapter has no remote_bitbang commands: record what
	 * sim_launch_init names */
	"proc remote_bitbang {what val} {set ::BITBANG_$what $val}\n";

static int start(struct ocd_proc **p, const char *program, const char *board,
		 int timeout_ms)
{
	struct ocd_spawn spec;

	memset(&spec, 0, sizeof(spec));
	spec.program = program;
	spec.search_dir = dir;
	spec.board_cfg = board;
	spec.timeout_ms = timeout_ms;
	return ocd_proc_start(p, &spec);
}

/* OpenOCD on dummy_board, written to `name` in the test directory, and a
 * TCL link to it: 0, or -1 with the step that failed printed. */
static int start_linked(const char *name, struct ocd_proc **p,
			struct tcl_link **l)
{
	char *board = path_in(name);
	int r;

	if (write_file(board, dummy_board, 0644) != 0) {
		printf("  cannot write %s\n", board);
		free(board);
		return -1;
	}
	r = start(p, NULL, board, 10000);
	free(board);
	if (r) {
		printf("  OpenOCD did not start: %d\n", r);
		return -1;
	}
	if (tcl_link_connect(l, "127.0.0.1", ocd_proc_port(*p), 2000,
			     ocd_proc_check, *p)) {
		printf("  no TCL link to OpenOCD\n");
		return -1;
	}
	return 0;
}

static int gone(pid_t pid)
{
	return kill(pid, 0) < 0 && errno == ESRCH;
}

static const char *const nasty[] = {
	"[set pwned 1]", "$pwned", "a;set pwned 1", "{", "}", "}{",
	"{*}{set pwned 1}", "\"", "\\", "trailing\\", "line\nbreak",
	"tab\tcr\r", "\001\0027", "#x", " sp ace ", "", "\xc3\xa9",
	"x\\}y\\{z", "cfg/boards/b o[a]rd;{\"}$x.cfg",
};

static void jim_round_trip(void)
{
	struct ocd_proc *p = NULL;
	struct tcl_link *l = NULL;
	struct board_vars bv;
	char *res = NULL, *v = NULL;
	pid_t pid;

	CHECK_EQ(start_linked("b o[a]rd;{\"}$x.cfg", &p, &l), 0);
	pid = ocd_proc_pid(p);
	CHECK(ocd_proc_port(p) > 0);
	CHECK_EQ(tcl_link_exec(l, "version", &res, 5000), 0);
	CHECK(res && strstr(res, "Open On-Chip Debugger"));
	free(res);

	for (size_t i = 0; i < sizeof(nasty) / sizeof(*nasty); i++) {
		struct strbuf cmd;

		sb_init(&cmd);
		sb_adds(&cmd, "set v ");
		tcl_quote(&cmd, nasty[i]);
		CHECK_EQ(tcl_link_exec(l, cmd.buf, &res, 5000), 0);
		sb_release(&cmd);
		if (strcmp(res, nasty[i])) {
			printf("  Jim returned <%s> for <%s>\n", res, nasty[i]);
			unit_failed_now = 1;
		}
		free(res);
	}
	CHECK_EQ(tcl_link_exec(l, "info exists pwned", &res, 5000), 0);
	CHECK_STR(res, "0");
	free(res);

	CHECK_EQ(tcl_link_exec(l, "error {bad [thing] \"x\"}", &res, 5000),
		 PSR_ERR_TCL);
	CHECK_STR(res, "bad [thing] \"x\"");
	free(res);
	CHECK_EQ(tcl_link_exec(l, "no_such_command", &res, 5000), PSR_ERR_TCL);
	CHECK(strstr(res, "no_such_command"));
	free(res);
	/* not brace-safe: sent in the quoted form */
	CHECK_EQ(tcl_link_exec(l, "set q \"{\"", &res, 5000), 0);
	CHECK_STR(res, "{");
	free(res);
	/* a reply as long as read_memory of 65536 words */
	CHECK_EQ(tcl_link_exec(l, "string repeat {0xdeadbeef } 65536", &res,
			       5000),
		 0);
	CHECK_EQ(strlen(res), 11 * 65536);
	free(res);

	CHECK_EQ(tcl_link_get_var(l, "PSRAM_BOARD_DESC", &v), 0);
	CHECK_STR(v, "Test board, \"quoted\" [not run]");
	free(v);
	CHECK_EQ(tcl_link_get_var(l, "GOT_PORT", &v), 0);
	CHECK(v == NULL);
	CHECK_EQ(board_vars_read(l, &bv), 0);
	CHECK_STR(bv.board, "test-board");
	CHECK_STR(bv.family, "stm32h7");
	CHECK_EQ(bv.xspi_base, 0x52005000);
	CHECK_EQ(bv.xspi_window, 0x90000000);
	CHECK_EQ(bv.npins, 3);
	CHECK_STR(bv.pins[1].pin, "PB6");
	CHECK_EQ(bv.pins[1].af, 10);
	CHECK_EQ(bv.kernel_hz, 200000000);
	CHECK_EQ(bv.stub_ram.size, 0x20000);
	CHECK_EQ(bv.work_area.start, 0x24000000);
	CHECK(bv.target == NULL);
	board_vars_free(&bv);

	tcl_link_close(l);
	ocd_proc_stop(p);
	CHECK(gone(pid));
}

static void exit_during_run(void)
{
	struct ocd_proc *p = NULL;
	struct tcl_link *l = NULL;
	char *res = NULL;
	long long t0;
	int r;

	CHECK_EQ(start_linked("exit.cfg", &p, &l), 0);
	t0 = now_ms();
	/* shutdown answers (as an error: it ends the connection), exits */
	r = tcl_link_exec(l, "shutdown", &res, 10000);
	free(res);
	CHECK(r == PSR_ERR_TCL || r == PSR_ERR_OPENOCD_EXITED);
	CHECK_EQ(tcl_link_exec(l, "version", NULL, 10000),
		 PSR_ERR_OPENOCD_EXITED);
	CHECK(now_ms() - t0 < 3000);
	tcl_link_close(l);
	ocd_proc_stop(p);
}

static void killed_during_run(void)
{
	struct ocd_proc *p = NULL;
	struct tcl_link *l = NULL;
	long long t0;

	CHECK_EQ(start_linked("kill.cfg", &p, &l), 0);
	CHECK_EQ(tcl_link_exec(l, "version", NULL, 5000), 0);
	kill(ocd_proc_pid(p), SIGKILL);
	t0 = now_ms();
	CHECK_EQ(tcl_link_exec(l, "version", NULL, 10000),
		 PSR_ERR_OPENOCD_EXITED);
	CHECK(now_ms() - t0 < 3000);
	tcl_link_close(l);
	ocd_proc_stop(p);
}

static void broken_board_file(void)
{
	struct ocd_proc *p = NULL;
	char *board = path_in("broken.cfg");
	long long t0 = now_ms();

	CHECK(write_file(board, "adapter driver dummy\nthis_is_no_command\n",
			 0644) == 0);
	CHECK_EQ(start(&p, NULL, board, 10000), PSR_ERR_OPENOCD_START);
	CHECK(p == NULL);
	CHECK(now_ms() - t0 < 5000);
	free(board);
}

static void no_openocd(void)
{
	struct ocd_proc *p = NULL;

	CHECK_EQ(start(&p, "/nonexistent/openocd", "x.cfg", 1000),
		 PSR_ERR_NO_OPENOCD);
	CHECK_EQ(start(&p, "psramctl-no-such-openocd", "x.cfg", 1000),
		 PSR_ERR_NO_OPENOCD);
	CHECK(p == NULL);
}

static pid_t read_pid(const char *path)
{
	FILE *f = fopen(path, "r");
	int pid = 0;

	if (f) {
		if (fscanf(f, "%d", &pid) != 1)
			pid = 0;
		fclose(f);
	}
	return (pid_t)pid;
}

static void never_ready_is_stopped(void)
{
	struct ocd_proc *p = NULL;
	char *fake = path_in("fake-openocd"), *pidfile = path_in("pid1");
	struct strbuf script;
	long long t0 = now_ms();
	pid_t pid;

	sb_init(&script);
	sb_addf(&script, "#!/bin/sh\necho $$ > '%s'\nexec sleep 30\n",
		pidfile);
	CHECK(write_file(fake, script.buf, 0755) == 0);
	sb_release(&script);
	CHECK_EQ(start(&p, fake, "x.cfg", 600), PSR_ERR_OPENOCD_START);
	CHECK(now_ms() - t0 < 3000);
	pid = read_pid(pidfile);
	CHECK(pid > 0 && gone(pid));
	free(fake);
	free(pidfile);
}

static void sigterm_ignored_is_killed(void)
{
	struct ocd_proc *p = NULL;
	char *fake = path_in("stubborn-openocd"), *pidfile = path_in("pid2");
	struct strbuf script;
	pid_t pid;

	sb_init(&script);
	sb_addf(&script,
		"#!/bin/sh\ntrap '' TERM\necho $$ > '%s'\n"
		"echo 'Info : Listening on port 1 for tcl connections' >&2\n"
		"while :; do sleep 1; done\n",
		pidfile);
	CHECK(write_file(fake, script.buf, 0755) == 0);
	sb_release(&script);
	CHECK_EQ(start(&p, fake, "x.cfg", 5000), 0);
	CHECK_EQ(ocd_proc_port(p), 1);
	pid = read_pid(pidfile);
	CHECK(pid > 0 && !gone(pid));
	ocd_proc_stop(p);
	CHECK(gone(pid));
	free(fake);
	free(pidfile);
}

static int start_sim(struct sim_launch **s, const char *fake_sim,
		     const char *board, const char *const *faults,
		     size_t nfaults)
{
	struct sim_spawn spec;

	memset(&spec, 0, sizeof(spec));
	spec.psramsim = fake_sim;
	spec.board = "devebox-h750";
	spec.faults = faults;
	spec.nfaults = nfaults;
	spec.seed = "7";
	spec.timeout_ms = 5000;
	spec.openocd.search_dir = dir;
	spec.openocd.board_cfg = board;
	spec.openocd.timeout_ms = 10000;
	return sim_launch_start(s, &spec);
}

/* A simulated board that names its own psramsim port, and whose init
 * fails (no probe at that port). */
static const char own_port_board[] =
	"set PSRAMSIM_PORT 4444\n"
	"adapter driver dummy\n"
	"proc remote_bitbang {what val} {set ::BITBANG_$what $val}\n"
	"proc init {} {error {cannot reach the probe}}\n";

/* A stand-in for psramsim: checks its arguments, leaves a file at its
 * socket's path (as a psramsim killed outright leaves its socket) and
 * announces it. */
static const char fake_sim_script[] =
	"#!/bin/sh\n"
	"case \"$*\" in\n"
	"*'--fault bad'*) echo \"psramsim: unknown fault 'bad'\" >&2; exit 2;;\n"
	"'--board devebox-h750 --fault io0=open --seed 7 --unix '/*/psramctl-*/"
	"rbb.sock) ;;\n"
	"*) echo \"psramsim: unexpected arguments: $*\" >&2; exit 2;;\n"
	"esac\n"
	"[ \"$(stat -c %a \"$(dirname \"$8\")\")\" = 700 ] || exit 2\n"
	": >\"$8\"\n"
	"echo \"psramsim: listening on unix:$8\" >&2\n"
	"exec sleep 30\n";

static void sim_wiring(void)
{
	struct sim_launch *s = NULL;
	struct tcl_link *l = NULL;
	char *fake = path_in("psramsim"), *board = path_in("sim-x.cfg");
	char *own = path_in("sim-own.cfg");
	const char *const good[] = {"io0=open"}, *const bad[] = {"bad"};
	char *v = NULL, *sock = NULL;
	pid_t sim_pid, ocd_pid;

	CHECK(write_file(fake, fake_sim_script, 0755) == 0);
	CHECK(write_file(board, dummy_board, 0644) == 0);
	CHECK_EQ(start_sim(&s, fake, board, bad, 1), PSR_ERR_USAGE);
	CHECK_EQ(start_sim(&s, fake, board, good, 1), 0);
	sim_pid = sim_launch_psramsim_pid(s);
	ocd_pid = ocd_proc_pid(sim_launch_openocd(s));
	CHECK_EQ(tcl_link_connect(&l, "127.0.0.1", sim_launch_tcl_port(s),
				  2000, sim_launch_check, s),
		 0);
	/* the board file read its configuration before psramsim's port was
	 * known (cfg/sim.cfg: 0), and init has not run */
	CHECK_EQ(tcl_link_get_var(l, "GOT_PORT", &v), 0);
	CHECK_STR(v, "0");
	free(v);
	CHECK_EQ(tcl_link_exec(l, "noinit", NULL, 2000), 0);
	/* the socket is named before init, which then runs: a path in a
	 * private directory, port 0 (OpenOCD's "the host is a socket") */
	CHECK_EQ(sim_launch_init(s, l, 5000), 0);
	CHECK_EQ(tcl_link_get_var(l, "BITBANG_port", &v), 0);
	CHECK_STR(v, "0");
	free(v);
	CHECK_EQ(tcl_link_get_var(l, "BITBANG_host", &sock), 0);
	CHECK(sock && strstr(sock, "/psramctl-") && strstr(sock, "/rbb.sock"));
	CHECK(sock && access(sock, F_OK) == 0);
	CHECK(tcl_link_exec(l, "noinit", NULL, 2000) == PSR_ERR_TCL);
	/* psramsim dies: reported as such, not as an OpenOCD problem */
	kill(sim_pid, SIGKILL);
	usleep(200000);
	CHECK_EQ(tcl_link_exec(l, "version", NULL, 5000),
		 PSR_ERR_PSRAMSIM_START);
	tcl_link_close(l);
	sim_launch_stop(s);
	CHECK(gone(sim_pid) && gone(ocd_pid));
	/* what the killed psramsim left at its socket's path, and the
	 * directory, are gone */
	if (sock) {
		CHECK(access(sock, F_OK) != 0);
		*strrchr(sock, '/') = '\0';
		CHECK(access(sock, F_OK) != 0);
	}
	free(sock);

	/* A board file with a port of its own keeps it; an init that fails
	 * ends OpenOCD and says so. */
	CHECK(write_file(own, own_port_board, 0644) == 0);
	CHECK_EQ(start_sim(&s, fake, own, good, 1), 0);
	ocd_pid = ocd_proc_pid(sim_launch_openocd(s));
	CHECK_EQ(tcl_link_connect(&l, "127.0.0.1", sim_launch_tcl_port(s),
				  2000, sim_launch_check, s),
		 0);
	CHECK_EQ(sim_launch_init(s, l, 5000), PSR_ERR_OPENOCD_EXITED);
	CHECK(gone(ocd_pid));
	CHECK_EQ(tcl_link_get_var(l, "BITBANG_port", &v), PSR_ERR_OPENOCD_EXITED);
	tcl_link_close(l);
	sim_launch_stop(s);
	free(fake);
	free(board);
	free(own);
}

static void make_awkward_directory(void)
{
	CHECK(setup() == 0);
}

static void remove_directory(void)
{
	teardown();
}

UNIT_MAIN("cli_openocd", UNIT_TEST(make_awkward_directory),
	  UNIT_TEST(jim_round_trip), UNIT_TEST(exit_during_run),
	  UNIT_TEST(killed_during_run), UNIT_TEST(broken_board_file),
	  UNIT_TEST(no_openocd), UNIT_TEST(never_ready_is_stopped),
	  UNIT_TEST(sigterm_ignored_is_killed), UNIT_TEST(sim_wiring),
	  UNIT_TEST(remove_directory))
