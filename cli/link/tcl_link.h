/* A client for OpenOCD's TCL RPC port (docs/openocd.md §7): a command is
 * sent as one line ending in byte 0x1a, the reply is the Tcl result ending
 * in 0x1a. OpenOCD sends no error flag, so every command is wrapped as
 *
 *   set psramctl_rc [catch {CMD} psramctl_res];
 *   list SEQ $psramctl_rc $psramctl_res
 *
 * and the reply parsed as a Tcl list. SEQ numbers each exchange, so a reply
 * that arrives after its command timed out, and asynchronous notification
 * frames ("type target_..."), are recognised and dropped instead of being
 * taken for the answer to the next command.
 *
 * Every exchange has a deadline. While waiting, the link asks a watch
 * callback whether the OpenOCD we started (and psramsim behind it) still
 * run, so a dead process is reported as such, with its last log line,
 * rather than as a timeout. */
#ifndef CLI_TCL_LINK_H
#define CLI_TCL_LINK_H

#include "util/strbuf.h"

#define TCL_LINK_TIMEOUT_MS 15000
/* OpenOCD's line buffer stops at 4 MiB (tcl_server.c); stay below. */
#define TCL_LINK_MAX_LINE (4 * 1024 * 1024 - 4096)

struct tcl_link;

/* Returns 0 while the other side is alive; otherwise a negative code with
 * a one-line message in msg ("OpenOCD exited: ..."). */
typedef int (*tcl_link_watch_fn)(void *ctx, struct strbuf *msg);

/* Connects to HOST:PORT within timeout_ms. watch (may be NULL) is kept
 * for the exchanges, and asked first when the connection fails. Errors
 * are printed. */
int tcl_link_connect(struct tcl_link **out, const char *host,
		     unsigned port, int timeout_ms, tcl_link_watch_fn watch,
		     void *ctx);
void tcl_link_set_watch(struct tcl_link *l, tcl_link_watch_fn fn, void *ctx);
void tcl_link_close(struct tcl_link *l);
/* "HOST:PORT" */
const char *tcl_link_peer(const struct tcl_link *l);

/* Runs cmd. Returns 0 with the Tcl result in *result; PSR_ERR_TCL with the
 * Tcl error message in *result (not printed: the caller decides whether
 * it is fatal); or another negative code for a transport failure
 * (timeout, connection closed, OpenOCD exited, interrupted), printed here,
 * with *result NULL. result may be NULL; *result is to be freed.
 * timeout_ms <= 0 means TCL_LINK_TIMEOUT_MS. */
int tcl_link_exec(struct tcl_link *l, const char *cmd, char **result,
		  int timeout_ms);
/* The value of global variable name in *value (NULL if it is not set). */
int tcl_link_get_var(struct tcl_link *l, const char *name, char **value);

#endif
