/* A session: the global options, and for commands that need the target,
 * the OpenOCD connection — spawned for a real board, spawned together with
 * psramsim for --sim, or an existing one for --connect — plus the board
 * variables and the target. Opening pushes one cleanup hook that closes
 * everything, so every exit path stops what was started. */
#ifndef CLI_SESSION_H
#define CLI_SESSION_H

#include "link/board_vars.h"
#include "util/opt.h"
#include "link/ocd_target.h"
#include "link/tcl_link.h"

struct ocd_proc;
struct sim_launch;
struct stub_image;

struct global_options {
	const char *board;
	const char *interface;
	const char *openocd;
	unsigned long long speed_khz;
	const char *serial;
	const char *usb_path;
	int connect_under_reset;
	/* batches (verify only, commands/verify_batch.h) */
	int all_probes;
	unsigned long long sim_count;
	struct opt_list sim_sets;
	const char *batch_dir;
	const char *connect;
	int sim;
	const char *sim_board;
	const char *sim_chip;
	struct opt_list sim_faults;
	const char *sim_seed;
	const char *stub;
	int json;
	int verbose;
	int help;
	int version;
};

#define SESSION_DEFAULT_SIM_BOARD "devebox-h750"

struct session {
	const struct global_options *opts;
	char *cfg_dir;
	char *board_cfg;
	char *connect_host;
	unsigned connect_port;
	struct ocd_proc *ocd;
	struct sim_launch *sim;
	struct tcl_link *link;
	char *openocd_version;
	char *probe; /* the probe used, described; NULL for --sim/--connect */
	struct board_vars vars;
	struct target target;
	int have_target;
	struct stub_image *stub; /* --stub FILE or built in, checked */
	/* built-in images with part of the stub (STUB_PART_IMAGES of
	 * them); NULL with --stub */
	struct stub_image *stub_parts[2];
	const struct stub_image *stub_loaded; /* the one last loaded */
	int cleanup_handle;
	int lock_fd; /* link/target_lock.h, with --connect; else -1 */
	/* psramctl shell: the stub, once loaded, stays for the next command
	 * (keep_stub); stub_resident while its image is known intact. */
	int keep_stub;
	int stub_resident;
	int simulated; /* session_simulated's answer once asked; -1 before */
};

/* The global option table (also the --help text). */
extern const struct opt session_options[];

/* An empty session for commands that do not need the target. */
void session_init(struct session *s, const struct global_options *o);
/* session_init, then checks the option combination and the stub image
 * before anything starts; usage errors (exit 2) and a stub of another
 * ABI version (exit 3) are printed here. */
int session_check(struct session *s, const struct global_options *o);
/* Brings up OpenOCD and the link, reads the board variables, selects the
 * target. Errors are printed. */
int session_open(struct session *s);
/* After a failure r: prints what the helper processes logged last, when
 * that is where the explanation is (OpenOCD exited). */
void session_explain(struct session *s, int r);
/* The board's name: the board file's PSRAM_BOARD, else the one asked for
 * (--board, or the simulated board with --sim); NULL if none. */
const char *session_board_name(const struct session *s);
/* True when the target is psramsim: started with --sim, or an OpenOCD at
 * --connect whose adapter is remote_bitbang (the only adapter psramctl
 * knows that drives psramsim). The one test every command uses (for
 * "modelled" labels and the "simulated" member of its final JSON
 * object); asked of OpenOCD once per session. */
int session_simulated(struct session *s);
/* Stops and frees everything; idempotent. */
void session_close(struct session *s);

#endif
