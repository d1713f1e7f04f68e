/* `--sim`: psramsim on a UNIX domain socket in a private temporary
 * directory and, started beside it, an OpenOCD wired to it through the
 * board's cfg/boards/sim-NAME.cfg (which sources cfg/sim.cfg, reading
 * $PSRAMSIM_PORT): OpenOCD reads its configuration while psramsim starts,
 * and learns the socket before its `init`. Both stop together, OpenOCD
 * first so that it can say goodbye ('Q') to the simulator; then the
 * socket's directory goes. */
#ifndef CLI_SIM_LAUNCH_H
#define CLI_SIM_LAUNCH_H

#include "link/openocd_proc.h"
#include "link/tcl_link.h"
#include "util/strbuf.h"

struct sim_spawn {
	const char *psramsim;       /* path of psramsim */
	const char *board;          /* --sim-board */
	const char *chip;           /* --sim-chip, NULL: the board's */
	const char *const *faults;  /* --sim-fault SPEC... */
	size_t nfaults;
	const char *seed;           /* --sim-seed, NULL: psramsim's */
	int timeout_ms;
	struct ocd_spawn openocd;   /* sim_port_later is set */
};

struct sim_launch;

/* psramsim next to the psramctl binary (the build tree has both in one
 * directory), else in PATH. NULL if neither. */
char *sim_launch_find_psramsim(void);

/* Starts psramsim and OpenOCD side by side and waits until psramsim
 * listens and OpenOCD's TCL port is open; OpenOCD has not run `init`
 * yet. Errors are printed: PSR_ERR_PSRAMSIM_START (exit 3), PSR_ERR_USAGE
 * when psramsim rejected the --sim-* options (it exits with status 2),
 * and those of ocd_proc_start. */
int sim_launch_start(struct sim_launch **out, const struct sim_spawn *spec);
/* Over l, connected to OpenOCD's TCL port: names psramsim's socket and
 * runs OpenOCD's `init` (connect, scan the chain, examine), taking up to
 * timeout_ms. An init that fails ends OpenOCD; the error printed is its
 * last error line (PSR_ERR_OPENOCD_EXITED) or psramsim's end. */
int sim_launch_init(struct sim_launch *s, struct tcl_link *l, int timeout_ms);
unsigned sim_launch_tcl_port(const struct sim_launch *s);
pid_t sim_launch_psramsim_pid(const struct sim_launch *s);
struct ocd_proc *sim_launch_openocd(struct sim_launch *s);
/* A tcl_link watch covering both processes. */
int sim_launch_check(void *sim, struct strbuf *msg);
void sim_launch_stop(struct sim_launch *s);

#endif
