/* The remote_bitbang server OpenOCD 0.12 connects to (OpenOCD
 * src/jtag/drivers/remote_bitbang.c and doc/manual/jtag/drivers/
 * remote_bitbang.txt). It listens on 127.0.0.1 only, or on a UNIX domain
 * socket (OpenOCD's port 0: the host is a socket path), serves one debugger at
 * a time (others wait in the listen backlog until it leaves), survives
 * disconnects, and never blocks: the caller's single-threaded event loop
 * calls rbb_poll() between slices of the simulated core. */
#ifndef SIM_RBB_H
#define SIM_RBB_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jtag_chain;

/* Called when the debugger asserts (true) or releases (false) SRST. */
typedef void (*rbb_srst_fn)(void *ctx, bool asserted);

#define RBB_IN_CHUNK 4096
#define RBB_OUT_MAX 4096
/* Unknown characters logged one by one per connection before the rest are
 * only counted, so a client spewing garbage cannot flood the log. */
#define RBB_UNKNOWN_LOG_MAX 32

struct rbb_server {
	int listen_fd;
	int client_fd;			/* -1: no debugger connected */
	uint16_t port;
	char unix_path[108];		/* "": TCP; else removed at close */
	struct jtag_chain *chain;
	rbb_srst_fn on_srst;
	void *srst_ctx;
	bool srst;			/* SRST asserted by the debugger */
	unsigned long unknown_chars;	/* this connection */
	size_t out_len;			/* pending TDO replies */
	uint8_t out[RBB_OUT_MAX];
	uint8_t in[RBB_IN_CHUNK];
};

/* Listen on 127.0.0.1:port (0 picks a free port; see rbb_port). The chain
 * gets a power-on reset on every new connection; the core and memories
 * behind it are left alone. on_srst may be NULL. Returns 0, or -errno with
 * the server left closed. */
int rbb_open(struct rbb_server *srv, uint16_t port, struct jtag_chain *chain,
	     rbb_srst_fn on_srst, void *srst_ctx);

/* Listen on a UNIX domain socket at path instead (OpenOCD's
 * `remote_bitbang host PATH` with `remote_bitbang port 0`), created 0600.
 * A stale socket left there (nothing listening) is replaced; any other
 * file, a live socket or a path too long for sun_path is refused with
 * *why saying which. rbb_close removes the socket. Returns 0, or -errno
 * with the server left closed. */
int rbb_open_unix(struct rbb_server *srv, const char *path,
		  struct jtag_chain *chain, rbb_srst_fn on_srst,
		  void *srst_ctx, const char **why);

/* Stop listening and drop the client, releasing SRST if it was held. */
void rbb_close(struct rbb_server *srv);

uint16_t rbb_port(const struct rbb_server *srv);
bool rbb_connected(const struct rbb_server *srv);

/* The descriptor and events to wait for in the caller's poll(): the client
 * when one is connected, else the listening socket. */
void rbb_pollfd(const struct rbb_server *srv, struct pollfd *pfd);

/* Wait up to timeout_ms (0: do not wait, -1: forever) for the debugger,
 * then accept a new connection if there is none, decode all input that is
 * available (up to a bounded amount per call), and send the replies,
 * keeping what the socket does not take for the next call. Returns the
 * number of characters decoded; never fails: socket errors end the
 * connection and the server keeps listening. */
size_t rbb_poll(struct rbb_server *srv, int timeout_ms);

#endif
