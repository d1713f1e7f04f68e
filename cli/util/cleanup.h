/* The cleanup stack: everything that must be undone before psramctl exits
 * (a spawned OpenOCD and psramsim, a running stub, an open connection)
 * pushes a hook. Normal exit, an error and SIGINT/SIGTERM/SIGHUP all run
 * the hooks, newest first, so the board is left in a known state.
 *
 * A signal only sets a flag: waits in progress notice it (their poll()s are
 * interrupted, and they check the flag at least every 200 ms), return
 * PSR_ERR_INTERRUPTED and main runs the stack. A second signal (and any
 * after it) kills the tracked child process groups and makes every wait
 * give up, the hooks' own included: the stack still runs to its end, so
 * temporary files are removed and the state is reported on every exit
 * path, however many signals arrive. */
#ifndef CLI_CLEANUP_H
#define CLI_CLEANUP_H

#include <signal.h>
#include <sys/types.h>

typedef void (*cleanup_fn)(void *ctx);

/* Returns a handle for cleanup_pop. */
int cleanup_push(cleanup_fn fn, void *ctx);
/* Removes the hook (running it first when run is set). */
void cleanup_pop(int handle, int run);
/* Runs every hook, newest first; safe to call more than once. */
void cleanup_run_all(void);

void cleanup_install_signals(void);
/* The signal that arrived (SIGINT, ...), or 0. */
int cleanup_signal(void);
/* True when a signal arrived and the cleanup stack has not started: waits
 * should give up. While the hooks run (they may need to talk to OpenOCD
 * to halt the core) this is false again, until a second signal. */
int cleanup_should_abort(void);
/* Around starting a child: blocks SIGINT, SIGTERM and SIGHUP (old gets
 * the mask before) unless a signal already asks to stop, then returns -1
 * with nothing blocked: no helper is started after an interrupt. Between
 * fork and exec the child still runs psramctl's handler, and a signal it
 * caught there would be forgotten by the exec; blocked, it stays pending
 * until the child has the default action (or, for a psramctl, its own
 * handler). The parent restores the mask once the child is tracked. */
int cleanup_block_signals(sigset_t *old);
void cleanup_restore_signals(const sigset_t *old);
/* Child process groups killed with SIGKILL on a second signal. */
void cleanup_track_pgid(pid_t pgid);
void cleanup_untrack_pgid(pid_t pgid);

/* For a program that outlives a command (psramctl shell): hooks pushed
 * before the mark returned by cleanup_mark() survive cleanup_run_all()
 * while cleanup_set_floor(mark) is in force, so Ctrl-C stops the command
 * (its hooks halt the core) and keeps OpenOCD. cleanup_set_floor(0) lets
 * the next cleanup_run_all() undo everything. cleanup_clear_signal()
 * forgets a signal once the command has ended. */
int cleanup_mark(void);
void cleanup_set_floor(int mark);
void cleanup_clear_signal(void);

/* Forgets hooks and signal state (unit tests). */
void cleanup_reset(void);

#endif
