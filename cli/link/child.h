/* A helper program (openocd, psramsim) run as a child: in its own process
 * group, stdin from /dev/null, stdout and stderr into a private log file
 * that we read to learn when it is ready and why it failed. The child gets
 * SIGTERM if psramctl dies (PR_SET_PDEATHSIG), and child_stop() kills the
 * whole group and reaps it, so no orphan survives us. */
#ifndef CLI_CHILD_H
#define CLI_CHILD_H

#include <sys/types.h>

#include "util/strbuf.h"

struct child;

/* Finds program (a path, or a name searched in PATH); returns a new string
 * with the path to run, or NULL if there is no such executable. */
char *child_find_program(const char *program);

/* Starts argv[0] (a path) with argv. name is used in messages ("openocd").
 * Returns 0; PSR_ERR_INTERRUPTED, starting nothing, once a signal asks
 * psramctl to stop; or PSR_ERR_SYSTEM with errno set (ENOENT, EACCES, ...
 * from exec). Nothing is printed. */
int child_spawn(struct child **out, const char *name, char *const argv[]);

pid_t child_pid(const struct child *c);

/* For a process psramctl forks and execs itself (child_spawn, verify's
 * batches), in the child before the exec: a process group of its own (a
 * Ctrl-C psramctl forwards arrives once), SIGTERM when psramctl dies
 * (exits 127 at once if that already happened: parent is the pid before
 * the fork), and the default action for SIGINT, SIGTERM, SIGHUP and
 * SIGPIPE. */
void child_setup_after_fork(pid_t parent);

/* Waits until a line of the child's output contains needle; stores that
 * line in line. Returns 0; PSR_ERR_TIMEOUT; PSR_ERR_INTERRUPTED; or 1 if
 * the child exited first. Nothing is printed. */
int child_wait_for(struct child *c, const char *needle, struct strbuf *line,
		   int timeout_ms);

/* True when the process is stopped (SIGSTOP, SIGTSTP, a debugger's
 * ptrace stop): alive, but it will not answer. From /proc/PID/stat. */
int child_stopped(const struct child *c);
/* 1 while the child runs; 0 once it exited (it is then reaped). */
int child_running(struct child *c);
/* Like child_running but waits up to timeout_ms for it to exit. */
int child_running_after(struct child *c, int timeout_ms);
/* The wait() status, valid once child_running() returned 0. */
int child_status(const struct child *c);
/* "exit status N" / "killed by signal N". */
void child_describe_status(const struct child *c, struct strbuf *out);

/* The most telling line of the output: the last one that reports an error
 * ("Error: ..." in OpenOCD's log, or containing "error"); unless
 * errors_only, the last non-empty line when there is none. Empty if
 * nothing fits. */
void child_last_line(struct child *c, struct strbuf *out, int errors_only);
/* Prints the last n lines of the output to stderr, each prefixed. */
void child_print_tail(struct child *c, int n, const char *prefix);

/* SIGTERM to the process group, up to grace_ms for it to go, then SIGKILL;
 * reaps the child, removes the log, frees c. NULL is fine. */
void child_stop(struct child *c, int grace_ms);

#endif
