#include "link/sim_launch.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "link/child.h"
#include "link/tcl_link.h"
#include "link/tcl_quote.h"
#include "util/error.h"
#include "report/output.h"

#define TAIL_LINES 5
/* How long psramsim may take to die after OpenOCD did. */
#define SIM_DEATH_MS 500
/* How long OpenOCD may take to exit after `shutdown error`. */
#define OPENOCD_EXIT_MS 3000

/* psramsim's remote_bitbang socket, in a directory of our own. */
#define SOCKET_NAME "rbb.sock"

struct sim_launch {
	struct child *sim;
	char *sock_dir;		/* private (0700), removed by sim_launch_stop */
	char *sock_path;
	struct ocd_proc *ocd;
};

/* The JTAG link is a UNIX domain socket, not loopback TCP: OpenOCD 0.12's
 * remote_bitbang driver makes a system call or more per character it
 * exchanges, and each costs less on a UNIX socket (docs/openocd.md).
 * The socket lives in a directory only we can enter, under $TMPDIR
 * unless that name is too long for a socket address (unix(7): 108 bytes
 * with the NUL), then under /tmp. */
static int make_socket_dir(struct sim_launch *s)
{
	struct sockaddr_un addr;
	const char *base = getenv("TMPDIR");
	size_t room = sizeof(addr.sun_path) - sizeof("/psramctl-XXXXXX/"
						     SOCKET_NAME);
	struct strbuf sb;

	if (!base || base[0] != '/' || strlen(base) > room)
		base = "/tmp";
	sb_init(&sb);
	sb_addf(&sb, "%s/psramctl-XXXXXX", base);
	if (!mkdtemp(sb.buf)) {
		int e = errno;

		sb_release(&sb);
		return out_error(PSR_ERR_SYSTEM,
				 "cannot make a directory for psramsim's "
				 "socket in '%s': %s", base, strerror(e));
	}
	s->sock_dir = sb_detach(&sb);
	sb_init(&sb);
	sb_addf(&sb, "%s/" SOCKET_NAME, s->sock_dir);
	s->sock_path = sb_detach(&sb);
	return 0;
}

/* The socket (left behind only by a psramsim killed outright) and its
 * directory. */
static void remove_socket_dir(struct sim_launch *s)
{
	if (s->sock_path)
		unlink(s->sock_path);
	if (s->sock_dir)
		rmdir(s->sock_dir);
	free(s->sock_path);
	free(s->sock_dir);
	s->sock_path = NULL;
	s->sock_dir = NULL;
}

char *sim_launch_find_psramsim(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			struct strbuf sb;

			sb_init(&sb);
			sb_add(&sb, exe, (size_t)(slash - exe) + 1);
			sb_adds(&sb, "psramsim");
			if (access(sb.buf, X_OK) == 0)
				return sb_detach(&sb);
			sb_release(&sb);
		}
	}
	return child_find_program("psramsim");
}

static int spawn_psramsim(struct sim_launch *s, const struct sim_spawn *spec)
{
	size_t n = 0, max = 12 + 2 * spec->nfaults;
	char **argv = psr_calloc(max + 1, sizeof(*argv));
	int r;

	argv[n++] = (char *)spec->psramsim;
	argv[n++] = (char *)"--board";
	argv[n++] = (char *)spec->board;
	if (spec->chip) {
		argv[n++] = (char *)"--chip";
		argv[n++] = (char *)spec->chip;
	}
	for (size_t i = 0; i < spec->nfaults; i++) {
		argv[n++] = (char *)"--fault";
		argv[n++] = (char *)spec->faults[i];
	}
	if (spec->seed) {
		argv[n++] = (char *)"--seed";
		argv[n++] = (char *)spec->seed;
	}
	argv[n++] = (char *)"--unix";
	argv[n++] = s->sock_path;
	argv[n] = NULL;
	if (out_verbose()) {
		struct strbuf sb;

		sb_init(&sb);
		for (size_t i = 0; i < n; i++)
			sb_addf(&sb, "%s'%s'", i ? " " : "", argv[i]);
		out_debug("starting %s", sb.buf);
		sb_release(&sb);
	}
	r = child_spawn(&s->sim, "psramsim", argv);
	free(argv);
	if (r == PSR_ERR_INTERRUPTED)
		return r;
	if (r)
		return out_error(PSR_ERR_NO_PSRAMSIM, "cannot run '%s': %s",
				 spec->psramsim, strerror(errno));
	return 0;
}

static int wait_psramsim(struct sim_launch *s, const struct sim_spawn *spec)
{
	struct strbuf line;
	int r;

	sb_init(&line);
	/* psramsim prints "psramsim: listening on unix:PATH" on stderr once
	 * its socket listens. */
	r = child_wait_for(s->sim, "listening on ", &line, spec->timeout_ms);
	if (r == 0 && !strstr(line.buf, "listening on unix:")) {
		r = out_error(PSR_ERR_PSRAMSIM_START,
			      "psramsim does not listen on its socket: '%s'",
			      line.buf);
	} else if (r == 1) {
		int usage = WIFEXITED(child_status(s->sim)) &&
			    WEXITSTATUS(child_status(s->sim)) == 2;

		child_last_line(s->sim, &line, 0);
		if (!line.len)
			child_describe_status(s->sim, &line);
		r = out_error(usage ? PSR_ERR_USAGE : PSR_ERR_PSRAMSIM_START,
			      "psramsim did not start: %s", line.buf);
	} else if (r == PSR_ERR_TIMEOUT) {
		r = out_error(PSR_ERR_PSRAMSIM_START,
			      "psramsim did not listen within %.1f s",
			      spec->timeout_ms / 1000.0);
	}
	sb_release(&line);
	if (r) {
		if (r == PSR_ERR_PSRAMSIM_START)
			child_print_tail(s->sim, TAIL_LINES, "  psramsim: ");
		return r;
	}
	out_debug("psramsim (pid %d) listens on %s", (int)child_pid(s->sim),
		  s->sock_path);
	return 0;
}

int sim_launch_start(struct sim_launch **out, const struct sim_spawn *spec)
{
	struct sim_launch *s = psr_calloc(1, sizeof(*s));
	struct ocd_spawn ocd = spec->openocd;
	int r;

	*out = NULL;
	/* OpenOCD reads its configuration while psramsim starts: it needs
	 * psramsim's socket only for `init` (sim_launch_init). */
	ocd.sim_port_later = 1;
	r = make_socket_dir(s);
	if (!r)
		r = spawn_psramsim(s, spec);
	if (!r)
		r = ocd_proc_spawn(&s->ocd, &ocd);
	if (!r)
		r = wait_psramsim(s, spec);
	if (!r)
		r = ocd_proc_wait_ready(s->ocd, ocd.timeout_ms);
	if (r) {
		sim_launch_stop(s);
		return r;
	}
	*out = s;
	return 0;
}

int sim_launch_init(struct sim_launch *s, struct tcl_link *l, int timeout_ms)
{
	struct strbuf cmd, msg;
	char *res = NULL;
	int r;

	/* cfg/sim.cfg: PSRAMSIM_PORT 0 until psramctl names psramsim's
	 * socket, unless the board file set a port or socket of its own
	 * before it sourced sim.cfg. `remote_bitbang port 0` makes OpenOCD
	 * take the host as a UNIX socket path. An init that fails ends
	 * OpenOCD, as at start-up, so its last error line says why. */
	sb_init(&cmd);
	sb_adds(&cmd, "if {[info exists ::PSRAMSIM_PORT] && "
		      "$::PSRAMSIM_PORT == 0 && "
		      "![info exists ::PSRAMSIM_SOCKET]} "
		      "{remote_bitbang host ");
	tcl_quote(&cmd, s->sock_path);
	sb_adds(&cmd, "; remote_bitbang port 0}; "
		      "if {[catch init]} {shutdown error}");
	r = tcl_link_exec(l, cmd.buf, &res, timeout_ms);
	sb_release(&cmd);
	if (r == PSR_ERR_TCL) {
		sb_init(&msg);
		ocd_proc_exited_after(s->ocd, OPENOCD_EXIT_MS);
		r = sim_launch_check(s, &msg);
		if (r)
			r = out_error(r, "%s", msg.buf);
		else
			r = out_error(PSR_ERR_OPENOCD_START,
				      "OpenOCD cannot start on psramsim: %s",
				      res ? res : "");
		sb_release(&msg);
	}
	free(res);
	return r;
}

pid_t sim_launch_psramsim_pid(const struct sim_launch *s)
{
	return child_pid(s->sim);
}

struct ocd_proc *sim_launch_openocd(struct sim_launch *s)
{
	return s->ocd;
}

unsigned sim_launch_tcl_port(const struct sim_launch *s)
{
	return ocd_proc_port(s->ocd);
}

int sim_launch_check(void *sim, struct strbuf *msg)
{
	struct sim_launch *s = sim;
	struct strbuf last;

	if (child_running(s->sim) && child_stopped(s->sim)) {
		sb_reset(msg);
		sb_addf(msg, "psramsim (pid %d) is stopped and does not answer",
			(int)child_pid(s->sim));
		return PSR_ERR_TIMEOUT;
	}
	/* A dead simulator takes OpenOCD down with it: name the cause. A
	 * killed psramsim closes its sockets while it still tears down its
	 * memory, so OpenOCD can abort and be reaped before psramsim is:
	 * when OpenOCD is gone, give psramsim a moment to show its own
	 * death. */
	if (child_running(s->sim) && ocd_proc_check(s->ocd, msg))
		child_running_after(s->sim, SIM_DEATH_MS);
	if (!child_running(s->sim)) {
		sb_init(&last);
		if (!WIFSIGNALED(child_status(s->sim)))
			child_last_line(s->sim, &last, 1);
		sb_reset(msg);
		if (last.len) {
			sb_addf(msg, "psramsim exited: %s", last.buf);
		} else {
			sb_adds(msg, "psramsim exited (");
			child_describe_status(s->sim, msg);
			sb_addc(msg, ')');
		}
		sb_release(&last);
		return PSR_ERR_PSRAMSIM_START;
	}
	return ocd_proc_check(s->ocd, msg);
}

void sim_launch_stop(struct sim_launch *s)
{
	if (!s)
		return;
	/* OpenOCD first, and psramsim only once it is gone: OpenOCD says
	 * goodbye ('Q') to psramsim as it shuts down, and aborts (SIGABRT)
	 * when the connection drops under it. */
	ocd_proc_stop(s->ocd);
	child_stop(s->sim, 2000);
	remove_socket_dir(s);
	free(s);
}
