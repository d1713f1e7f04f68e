/* remote_bitbang server (protocol: OpenOCD 0.12 src/jtag/drivers/
 * remote_bitbang.c and doc/manual/jtag/drivers/remote_bitbang.txt). */
#include "debug/rbb.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "debug/jtag.h"
#include "util/log.h"
#include "util/stats.h"

/* Characters decoded per rbb_poll() call at most, so a debugger streaming
 * without pause still lets the event loop run the core and other work. */
#define RBB_POLL_BUDGET (64 * 1024)

static void set_nonblocking(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags >= 0)
		fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
}

static void init_server(struct rbb_server *srv, struct jtag_chain *chain,
			rbb_srst_fn on_srst, void *srst_ctx)
{
	srv->listen_fd = -1;
	srv->client_fd = -1;
	srv->port = 0;
	srv->unix_path[0] = '\0';
	srv->chain = chain;
	srv->on_srst = on_srst;
	srv->srst_ctx = srst_ctx;
	srv->srst = false;
	srv->unknown_chars = 0;
	srv->out_len = 0;
}

int rbb_open(struct rbb_server *srv, uint16_t port, struct jtag_chain *chain,
	     rbb_srst_fn on_srst, void *srst_ctx)
{
	struct sockaddr_in addr = {0};
	socklen_t len = sizeof(addr);
	int one = 1;
	int err;

	init_server(srv, chain, on_srst, srst_ctx);
	srv->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	if (srv->listen_fd < 0)
		return -errno;
	set_nonblocking(srv->listen_fd);
	/* A restarted simulator must not wait for the old connection's
	 * TIME_WAIT to expire before it can listen again. */
	setsockopt(srv->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));

	/* Loopback only: the debug port of a board is not a network service. */
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = htons(port);
	if (bind(srv->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(srv->listen_fd, 1) < 0 ||
	    getsockname(srv->listen_fd, (struct sockaddr *)&addr, &len) < 0) {
		err = -errno;
		close(srv->listen_fd);
		srv->listen_fd = -1;
		return err;
	}
	srv->port = ntohs(addr.sin_port);
	return 0;
}

/* A socket file nobody listens on any more (a psramsim that was killed):
 * connecting to it is refused. */
static bool stale_socket(const struct sockaddr_un *addr)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool stale;

	if (fd < 0)
		return false;
	stale = connect(fd, (const struct sockaddr *)addr, sizeof(*addr)) < 0 &&
		errno == ECONNREFUSED;
	close(fd);
	return stale;
}

int rbb_open_unix(struct rbb_server *srv, const char *path,
		  struct jtag_chain *chain, rbb_srst_fn on_srst,
		  void *srst_ctx, const char **why)
{
	struct sockaddr_un addr = {0};
	struct stat st;
	mode_t old_mask;
	int err, r;

	init_server(srv, chain, on_srst, srst_ctx);
	*why = NULL;
	/* sun_path holds the name and its terminating NUL (unix(7)). */
	if (path[0] == '\0' || strlen(path) >= sizeof(addr.sun_path)) {
		*why = "empty, or longer than a UNIX socket address holds "
		       "(107 bytes)";
		return -ENAMETOOLONG;
	}
	addr.sun_family = AF_UNIX;
	memcpy(addr.sun_path, path, strlen(path) + 1);
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			*why = "exists and is not a socket";
			return -EEXIST;
		}
		if (!stale_socket(&addr)) {
			*why = "a socket something else listens on";
			return -EADDRINUSE;
		}
		if (unlink(path) != 0)
			return -errno;
	}

	srv->listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (srv->listen_fd < 0)
		return -errno;
	set_nonblocking(srv->listen_fd);
	/* Created 0600: whoever can connect can debug the board. The mask
	 * applies to bind()'s file only while it is set. */
	old_mask = umask(0177);
	r = bind(srv->listen_fd, (struct sockaddr *)&addr, sizeof(addr));
	err = -errno;
	umask(old_mask);
	if (r == 0) {
		memcpy(srv->unix_path, path, strlen(path) + 1);
		if (listen(srv->listen_fd, 1) == 0)
			return 0;
		err = -errno;
		unlink(srv->unix_path);
		srv->unix_path[0] = '\0';
	}
	close(srv->listen_fd);
	srv->listen_fd = -1;
	return err;
}

uint16_t rbb_port(const struct rbb_server *srv)
{
	return srv->port;
}

bool rbb_connected(const struct rbb_server *srv)
{
	return srv->client_fd >= 0;
}

static void set_srst(struct rbb_server *srv, bool asserted)
{
	if (asserted == srv->srst)
		return;
	/* The last transaction's effects come before the reset. */
	jtag_settle(srv->chain);
	srv->srst = asserted;
	sim_trace("rbb SRST %s", asserted ? "asserted" : "released");
	if (srv->on_srst)
		srv->on_srst(srv->srst_ctx, asserted);
}

static void drop_client(struct rbb_server *srv, const char *why)
{
	if (srv->client_fd < 0)
		return;
	jtag_settle(srv->chain);
	close(srv->client_fd);
	srv->client_fd = -1;
	srv->out_len = 0;
	if (srv->unknown_chars > RBB_UNKNOWN_LOG_MAX)
		sim_log(LOG_GUEST_ERROR,
			"remote_bitbang: %lu unknown characters in all on that "
			"connection, ignored", srv->unknown_chars);
	/* Unplugging the probe releases the reset lines. */
	set_srst(srv, false);
	jtag_set_trst(srv->chain, false);
	sim_log(LOG_INFO, "remote_bitbang: debugger disconnected (%s)", why);
}

void rbb_close(struct rbb_server *srv)
{
	drop_client(srv, "simulator closing");
	if (srv->listen_fd >= 0)
		close(srv->listen_fd);
	srv->listen_fd = -1;
	if (srv->unix_path[0])
		unlink(srv->unix_path);
	srv->unix_path[0] = '\0';
}

static void accept_client(struct rbb_server *srv)
{
	int one = 1;
	int fd = accept(srv->listen_fd, NULL, NULL);

	if (fd < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
		    errno != ECONNABORTED)
			sim_log(LOG_INFO, "remote_bitbang: accept: %s",
				strerror(errno));
		return;
	}
	set_nonblocking(fd);
	/* Every capturing scan is a round trip: replies must leave at once
	 * (a UNIX socket has no Nagle delay to turn off). */
	if (!srv->unix_path[0])
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	srv->client_fd = fd;
	srv->out_len = 0;
	srv->unknown_chars = 0;
	/* A probe that connects re-initialises the JTAG and DAP side, as on a
	 * board just plugged in; the core and memories keep running. */
	jtag_power_on(srv->chain);
	sim_stats.connections++;
	sim_log(LOG_INFO, "remote_bitbang: debugger connected");
}

void rbb_pollfd(const struct rbb_server *srv, struct pollfd *pfd)
{
	pfd->revents = 0;
	if (srv->client_fd >= 0) {
		pfd->fd = srv->client_fd;
		/* With the reply buffer full, wait only until it drains:
		 * reading on would produce replies with nowhere to go. */
		pfd->events = (short)(srv->out_len < RBB_OUT_MAX ? POLLIN : 0);
		if (srv->out_len)
			pfd->events |= POLLOUT;
	} else {
		pfd->fd = srv->listen_fd;
		pfd->events = POLLIN;
	}
}

/* Send what the socket takes now; keep the rest. False if the connection
 * broke (and was dropped). */
static bool flush_replies(struct rbb_server *srv)
{
	size_t sent = 0;

	while (sent < srv->out_len) {
		ssize_t n = send(srv->client_fd, srv->out + sent,
				 srv->out_len - sent, MSG_NOSIGNAL);

		if (n > 0) {
			sent += (size_t)n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			break;
		} else {
			drop_client(srv,
				    n < 0 ? strerror(errno) : "send failed");
			return false;
		}
	}
	memmove(srv->out, srv->out + sent, srv->out_len - sent);
	srv->out_len -= sent;
	return true;
}

static void unknown_char(struct rbb_server *srv, uint8_t c)
{
	srv->unknown_chars++;
	if (srv->unknown_chars > RBB_UNKNOWN_LOG_MAX)
		return;
	if (isprint(c))
		sim_log(LOG_GUEST_ERROR,
			"remote_bitbang: unknown character 0x%02x '%c' ignored "
			"(OpenOCD 0.12 sends only 0-7 R r s t u B b Q)", c, c);
	else
		sim_log(LOG_GUEST_ERROR,
			"remote_bitbang: unknown character 0x%02x ignored "
			"(OpenOCD 0.12 sends only 0-7 R r s t u B b Q)", c);
	if (srv->unknown_chars == RBB_UNKNOWN_LOG_MAX)
		sim_log(LOG_GUEST_ERROR,
			"remote_bitbang: further unknown characters on this "
			"connection are counted, not logged");
}

/* Decode in[0..len); the caller guarantees room for len replies. Stops
 * after 'Q' and sets *quit. Returns the characters consumed. */
static size_t decode(struct rbb_server *srv, const uint8_t *in, size_t len,
		     bool *quit)
{
	struct jtag_chain *chain = srv->chain;
	uint8_t *out = srv->out + srv->out_len;
	uint8_t *const out_start = out;
	size_t i;

	for (i = 0; i < len; i++) {
		uint8_t c = in[i];

		switch (c) {
		case '0':
		case '1':
		case '2':
		case '3':
		case '4':
		case '5':
		case '6':
		case '7':
			/* '0' + (TCK << 2 | TMS << 1 | TDI) */
			jtag_pins(chain, c & 4, c & 2, c & 1);
			break;
		case 'R':
			*out++ = jtag_tdo(chain) ? '1' : '0';
			break;
		case 'r':
		case 's':
		case 't':
		case 'u':
			/* 'r' + (TRST << 1 | SRST), 1 = asserted */
			jtag_set_trst(chain, (c - 'r') & 2);
			set_srst(srv, (c - 'r') & 1);
			break;
		case 'B':
		case 'b':
			/* LED on/off around every execute_queue. */
			break;
		case 'Q':
			*quit = true;
			i++;
			goto done;
		default:
			unknown_char(srv, c);
			break;
		}
	}
done:
	srv->out_len += (size_t)(out - out_start);
	sim_stats.jtag_chars += i;
	sim_stats.jtag_reads += (uint64_t)(out - out_start);
	return i;
}

/* Read, decode and answer what the client has sent, up to the budget.
 * Returns the characters decoded. */
static size_t serve_input(struct rbb_server *srv)
{
	size_t decoded = 0;

	while (srv->client_fd >= 0 && decoded < RBB_POLL_BUDGET) {
		size_t room = RBB_OUT_MAX - srv->out_len;
		size_t want = room < sizeof(srv->in) ? room : sizeof(srv->in);
		bool quit = false;
		ssize_t n;

		if (want == 0)
			break;
		n = recv(srv->client_fd, srv->in, want, 0);
		if (n == 0) {
			drop_client(srv, "connection closed");
			break;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				drop_client(srv, strerror(errno));
			break;
		}
		decoded += decode(srv, srv->in, (size_t)n, &quit);
		/* One send per chunk: OpenOCD waits for all replies of a
		 * scan after sending its last character. The core's slice
		 * for the last transaction runs once they are sent, while
		 * OpenOCD works on its next scan. */
		if (!flush_replies(srv))
			break;
		jtag_settle(srv->chain);
		if (quit) {
			drop_client(srv, "'Q' received");
			break;
		}
		/* Less than asked for: the socket held no more. Looking
		 * again would only cost a system call per scan; what comes
		 * next wakes the caller's poll(). */
		if ((size_t)n < want)
			break;
	}
	return decoded;
}

size_t rbb_poll(struct rbb_server *srv, int timeout_ms)
{
	struct pollfd pfd;

	/* A look without waiting at a client with no replies pending is
	 * one recv(): poll() first would be a system call more. */
	if (timeout_ms == 0 && srv->client_fd >= 0 && srv->out_len == 0)
		return serve_input(srv);
	rbb_pollfd(srv, &pfd);
	if (pfd.fd < 0 || poll(&pfd, 1, timeout_ms) <= 0)
		return 0;

	if (srv->client_fd < 0) {
		accept_client(srv);
		if (srv->client_fd < 0)
			return 0;
	}
	if (srv->out_len && !flush_replies(srv))
		return 0;
	return serve_input(srv);
}
