/* Running our own OpenOCD: on a free loopback TCL port chosen by the kernel
 * (`tcl_port 0`, then the port is read back from the log line "Listening
 * on port N for tcl connections"), gdb and telnet servers disabled, output
 * captured in a log whose tail explains a failure. */
#ifndef CLI_OPENOCD_PROC_H
#define CLI_OPENOCD_PROC_H

#include <sys/types.h>

#include "util/strbuf.h"

struct ocd_spawn {
	const char *program;       /* --openocd PATH; NULL: openocd in PATH */
	const char *search_dir;    /* -s: the directory holding sim.cfg */
	const char *interface_cfg; /* e.g. interface/stlink.cfg; NULL for sim */
	const char *board_cfg;     /* path of cfg/boards/NAME.cfg */
	unsigned speed_khz;        /* adapter speed; 0 keeps the board's */
	/* Tcl lines before and after the board file (openocd_cmdline.h);
	 * NULL-terminated, or NULL for none */
	char *const *pre_cmds;
	char *const *post_cmds;
	/* psramsim's socket is named later, before `init` (sim_launch.h):
	 * PSRAMSIM_PORT 0 for cfg/sim.cfg, and OpenOCD waits with `noinit`. */
	int sim_port_later;
	int timeout_ms;            /* for the TCL port to open */
};

struct ocd_proc;

/* Starts OpenOCD and waits until its TCL port is open. Errors are printed
 * (with the tail of the log): PSR_ERR_NO_OPENOCD, PSR_ERR_OPENOCD_START,
 * PSR_ERR_INTERRUPTED. */
int ocd_proc_start(struct ocd_proc **out, const struct ocd_spawn *spec);
/* The same in two steps, so that something else can start meanwhile:
 * ocd_proc_spawn runs OpenOCD (*out is set only on success), then
 * ocd_proc_wait_ready waits up to timeout_ms for its TCL port; after a
 * failure of the latter the caller stops p. */
int ocd_proc_spawn(struct ocd_proc **out, const struct ocd_spawn *spec);
int ocd_proc_wait_ready(struct ocd_proc *p, int timeout_ms);
unsigned ocd_proc_port(const struct ocd_proc *p);
pid_t ocd_proc_pid(const struct ocd_proc *p);
/* A tcl_link watch: 0 while OpenOCD runs, else PSR_ERR_OPENOCD_EXITED and
 * "OpenOCD exited: <its last error line>" in msg. */
int ocd_proc_check(void *proc, struct strbuf *msg);
/* Prints the last lines of OpenOCD's log on stderr. */
void ocd_proc_print_tail(struct ocd_proc *p);
/* 1 once OpenOCD has exited (it is reaped), waiting up to timeout_ms. */
int ocd_proc_exited_after(struct ocd_proc *p, int timeout_ms);
/* Stops OpenOCD (SIGTERM: it shuts down its adapter cleanly; SIGKILL after
 * 3 s), reaps it, frees p. NULL is fine. */
void ocd_proc_stop(struct ocd_proc *p);

/* The Tcl line that sources file: `script <quoted path>`. openocd's own -f
 * pastes the name into "script {%s}" unescaped, so psramctl passes every
 * file through -c with this instead. */
char *ocd_script_command(const char *file);

#endif
