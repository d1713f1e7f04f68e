#include "link/tcl_link.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/error.h"
#include "report/output.h"
#include "link/tcl_list.h"
#include "link/tcl_quote.h"

#define FRAME_END '\x1a'
/* The largest reply we accept: read_memory of 65536 32-bit words is about
 * 720 KB; anything near this is not OpenOCD talking. */
#define MAX_REPLY (64 * 1024 * 1024)
/* How often a wait checks the watch and the interrupt flag. */
#define SLICE_MS 200

struct tcl_link {
	int fd;
	char peer[300];
	struct strbuf in; /* received bytes not yet split into frames */
	unsigned long seq;
	int broken; /* the connection is unusable: this error, silently */
	unsigned junk; /* frames that were neither replies nor notices */
	tcl_link_watch_fn watch;
	void *watch_ctx;
};

static int watch_says_dead(struct tcl_link *l, int wait_ms);

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int connect_one(const struct addrinfo *ai, long long deadline,
		       int *err)
{
	int fd, one = 1, soerr = 0;
	socklen_t len = sizeof(soerr);

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
			   SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0) {
		*err = errno;
		return -1;
	}
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		if (errno != EINPROGRESS) {
			*err = errno;
			close(fd);
			return -1;
		}
		for (;;) {
			struct pollfd p = {.fd = fd, .events = POLLOUT};
			long long left = deadline - now_ms();
			int r;

			if (left <= 0) {
				*err = ETIMEDOUT;
				close(fd);
				return -1;
			}
			r = poll(&p, 1, left > SLICE_MS ? SLICE_MS : (int)left);
			if (cleanup_should_abort()) {
				*err = EINTR;
				close(fd);
				return -1;
			}
			if (r > 0)
				break;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0 ||
		    soerr) {
			*err = soerr ? soerr : errno;
			close(fd);
			return -1;
		}
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

int tcl_link_connect(struct tcl_link **out, const char *host,
		     unsigned port, int timeout_ms, tcl_link_watch_fn watch,
		     void *ctx)
{
	struct addrinfo hints, *res = NULL, *ai;
	char portstr[16];
	long long deadline = now_ms() + timeout_ms;
	int fd = -1, err = 0, r;
	struct tcl_link *l;

	*out = NULL;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(portstr, sizeof(portstr), "%u", port);
	r = getaddrinfo(host, portstr, &hints, &res);
	if (r)
		return out_error(PSR_ERR_CONNECT,
				 "cannot resolve OpenOCD host '%s': %s", host,
				 gai_strerror(r));
	for (ai = res; ai && fd < 0; ai = ai->ai_next)
		fd = connect_one(ai, deadline, &err);
	freeaddrinfo(res);
	l = psr_calloc(1, sizeof(*l));
	l->fd = fd;
	snprintf(l->peer, sizeof(l->peer), "%s:%u", host, port);
	sb_init(&l->in);
	tcl_link_set_watch(l, watch, ctx);
	if (fd < 0) {
		/* OpenOCD that dies in `init` closes its port at once */
		r = err == EINTR && cleanup_should_abort()
			    ? PSR_ERR_INTERRUPTED
			    : watch_says_dead(l, 1000);
		tcl_link_close(l);
		if (r)
			return r;
		return out_error(PSR_ERR_CONNECT,
				 "cannot connect to OpenOCD at %s:%u: %s", host,
				 port, strerror(err));
	}
	*out = l;
	return 0;
}

void tcl_link_set_watch(struct tcl_link *l, tcl_link_watch_fn fn, void *ctx)
{
	l->watch = fn;
	l->watch_ctx = ctx;
}

void tcl_link_close(struct tcl_link *l)
{
	if (!l)
		return;
	if (l->fd >= 0)
		close(l->fd);
	sb_release(&l->in);
	free(l);
}

const char *tcl_link_peer(const struct tcl_link *l)
{
	return l->peer;
}

/* Shows a frame for -v, cut short and with control characters visible. */
static void trace(const char *dir, const char *s, size_t len)
{
	enum { SHOW = 400 };
	struct strbuf t;

	if (!out_verbose())
		return;
	sb_init(&t);
	for (size_t i = 0; i < len && i < SHOW; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n')
			sb_adds(&t, "\\n");
		else if (c < 0x20 || c == 0x7f)
			sb_addf(&t, "\\x%02x", c);
		else
			sb_addc(&t, (char)c);
	}
	if (len > SHOW)
		sb_addf(&t, "... (%zu bytes)", len);
	out_debug("tcl %s %s", dir, t.buf);
	sb_release(&t);
}

/* The connection is gone or useless: say why once, fail from now on. */
static int fail(struct tcl_link *l, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct tcl_link *l, int code, const char *fmt, ...)
{
	struct strbuf msg;
	va_list ap;

	if (code == PSR_ERR_INTERRUPTED)
		return code; /* not the link's fault; it stays usable */
	sb_init(&msg);
	va_start(ap, fmt);
	sb_vaddf(&msg, fmt, ap);
	va_end(ap);
	out_error(code, "%s", msg.buf);
	sb_release(&msg);
	l->broken = code;
	return code;
}

/* A dead OpenOCD explains a closed connection or a missing reply better
 * than the link can: ask the watch. */
static int watch_says_dead(struct tcl_link *l, int wait_ms)
{
	struct strbuf msg;
	long long deadline = now_ms() + wait_ms;
	int r;

	if (!l->watch)
		return 0;
	sb_init(&msg);
	for (;;) {
		r = l->watch(l->watch_ctx, &msg);
		if (r < 0 || now_ms() >= deadline)
			break;
		struct timespec t = {0, 20 * 1000000L};
		nanosleep(&t, NULL);
	}
	if (r < 0)
		fail(l, r, "%s", msg.buf);
	sb_release(&msg);
	return r < 0 ? r : 0;
}

/* Waits at most one slice (and no more than left ms) for `events` on the
 * socket: 1 when they came, 0 when the slice passed with OpenOCD still
 * alive, or the error. */
static int wait_slice(struct tcl_link *l, short events, long long left)
{
	struct pollfd p = {.fd = l->fd, .events = events};
	int r = poll(&p, 1, left > SLICE_MS ? SLICE_MS : (int)left);

	if (r < 0 && errno != EINTR)
		return fail(l, PSR_ERR_SYSTEM, "poll: %s", strerror(errno));
	if (r <= 0)
		return watch_says_dead(l, 0);
	return 1;
}

static int send_all(struct tcl_link *l, const char *buf, size_t len,
		    long long deadline)
{
	while (len) {
		long long left = deadline - now_ms();
		ssize_t n;
		int r;

		if (cleanup_should_abort())
			return PSR_ERR_INTERRUPTED;
		if (left <= 0)
			return fail(l, PSR_ERR_TIMEOUT,
				    "OpenOCD at %s does not accept commands",
				    l->peer);
		r = wait_slice(l, POLLOUT, left);
		if (r < 0)
			return r;
		if (!r)
			continue;
		n = send(l->fd, buf, len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			int dead = watch_says_dead(l, 1000);

			if (dead)
				return dead;
			return fail(l, PSR_ERR_LINK_CLOSED,
				    "connection to OpenOCD at %s lost: %s",
				    l->peer, strerror(errno));
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Takes the next complete frame (without its 0x1a) into frame. */
static int next_frame(struct tcl_link *l, struct strbuf *frame,
		      long long deadline, int timeout_ms, const char *cmd)
{
	char buf[65536];

	for (;;) {
		char *end = memchr(l->in.buf, FRAME_END, l->in.len);
		long long left;
		ssize_t n;
		int r;

		if (end) {
			size_t len = (size_t)(end - l->in.buf);

			sb_reset(frame);
			sb_add(frame, l->in.buf, len);
			sb_consume(&l->in, len + 1);
			return 0;
		}
		if (l->in.len > MAX_REPLY)
			return fail(l, PSR_ERR_PROTOCOL,
				    "reply from %s longer than %d MiB: not an "
				    "OpenOCD TCL port?",
				    l->peer, MAX_REPLY >> 20);
		if (cleanup_should_abort())
			return PSR_ERR_INTERRUPTED;
		left = deadline - now_ms();
		if (left <= 0) {
			int dead = watch_says_dead(l, 0);

			if (dead)
				return dead;
			if (l->junk)
				return fail(l, PSR_ERR_PROTOCOL,
					    "%s does not answer like an OpenOCD "
					    "TCL port",
					    l->peer);
			/* The link stays usable: the late reply carries an
			 * old sequence number and will be dropped. */
			return out_error(PSR_ERR_TIMEOUT,
					 "no reply from OpenOCD at %s within "
					 "%.1f s to '%.60s'",
					 l->peer, timeout_ms / 1000.0, cmd);
		}
		r = wait_slice(l, POLLIN, left);
		if (r < 0)
			return r;
		if (!r)
			continue;
		n = recv(l->fd, buf, sizeof(buf), 0);
		if (n > 0) {
			sb_add(&l->in, buf, (size_t)n);
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		{
			int dead = watch_says_dead(l, 1000);

			if (dead)
				return dead;
		}
		if (n == 0)
			return fail(l, PSR_ERR_LINK_CLOSED,
				    "OpenOCD at %s closed the connection",
				    l->peer);
		return fail(l, PSR_ERR_LINK_CLOSED,
			    "connection to OpenOCD at %s lost: %s", l->peer,
			    strerror(errno));
	}
}

/* Splits "SEQ RC RESULT". Returns 1 if frame is a reply to exchange seq,
 * 0 if it is something to drop. */
static int parse_reply(struct tcl_link *l, const char *frame,
		       unsigned long seq, int *rc, struct strbuf *result)
{
	struct tcl_list it;
	struct strbuf e;
	char *end;
	unsigned long got;
	long code;
	int ok = 0;

	if (!strncmp(frame, "type target_", 12))
		return 0; /* tcl_notifications / tcl_trace frame */
	sb_init(&e);
	tcl_list_init(&it, frame);
	if (tcl_list_next(&it, &e) != 1)
		goto junk;
	errno = 0;
	got = strtoul(e.buf, &end, 10);
	if (errno || *end || end == e.buf)
		goto junk;
	if (tcl_list_next(&it, &e) != 1)
		goto junk;
	code = strtol(e.buf, &end, 10);
	if (*end || end == e.buf)
		goto junk;
	if (tcl_list_next(&it, result) != 1)
		goto junk;
	if (tcl_list_next(&it, &e) != 0)
		goto junk;
	if (got != seq) {
		out_debug("tcl: dropping the late reply to exchange %lu", got);
		goto out;
	}
	*rc = (int)code;
	ok = 1;
	goto out;
junk:
	l->junk++;
out:
	sb_release(&e);
	return ok;
}

int tcl_link_exec(struct tcl_link *l, const char *cmd, char **result,
		  int timeout_ms)
{
	struct strbuf line, frame, res;
	long long deadline;
	int r, rc = 0;

	if (result)
		*result = NULL;
	if (l->broken)
		return l->broken;
	/* A helper that died since the last exchange explains whatever
	 * would go wrong next better than its consequences do. */
	r = watch_says_dead(l, 0);
	if (r)
		return r;
	if (timeout_ms <= 0)
		timeout_ms = TCL_LINK_TIMEOUT_MS;
	deadline = now_ms() + timeout_ms;
	l->seq++;
	sb_init(&line);
	sb_adds(&line, "set psramctl_rc [catch ");
	if (tcl_brace_safe(cmd)) {
		sb_addc(&line, '{');
		sb_adds(&line, cmd);
		sb_addc(&line, '}');
	} else {
		tcl_quote(&line, cmd);
	}
	sb_addf(&line, " psramctl_res]; list %lu $psramctl_rc $psramctl_res",
		l->seq);
	if (line.len > TCL_LINK_MAX_LINE || memchr(cmd, FRAME_END, strlen(cmd))) {
		sb_release(&line);
		return out_error(PSR_ERR_TOO_LONG,
				 "command too long for OpenOCD's TCL port "
				 "(%zu bytes) or containing byte 0x1a",
				 strlen(cmd));
	}
	trace(">", line.buf, line.len);
	sb_addc(&line, FRAME_END);
	r = send_all(l, line.buf, line.len, deadline);
	sb_release(&line);
	if (r)
		return r;
	sb_init(&frame);
	sb_init(&res);
	for (;;) {
		r = next_frame(l, &frame, deadline, timeout_ms, cmd);
		if (r)
			break;
		trace("<", frame.buf, frame.len);
		if (parse_reply(l, frame.buf, l->seq, &rc, &res))
			break;
	}
	sb_release(&frame);
	if (r) {
		sb_release(&res);
		return r;
	}
	l->junk = 0;
	if (result)
		*result = sb_detach(&res);
	sb_release(&res);
	/* catch: 0 ok, 2 return; 1 error, 3 break, 4 continue, Jim's 5+ */
	return rc == 0 || rc == 2 ? 0 : PSR_ERR_TCL;
}

int tcl_link_get_var(struct tcl_link *l, const char *name, char **value)
{
	struct strbuf cmd, qname;
	char *res = NULL, **v = NULL;
	int r, n;

	*value = NULL;
	sb_init(&qname);
	sb_adds(&qname, "::");
	sb_adds(&qname, name);
	sb_init(&cmd);
	sb_adds(&cmd, "if {[info exists ");
	tcl_quote(&cmd, qname.buf);
	sb_adds(&cmd, "]} {list 1 [set ");
	tcl_quote(&cmd, qname.buf);
	sb_adds(&cmd, "]} else {list 0}");
	r = tcl_link_exec(l, cmd.buf, &res, 0);
	sb_release(&cmd);
	sb_release(&qname);
	if (r == PSR_ERR_TCL) {
		r = out_error(PSR_ERR_TCL, "cannot read Tcl variable '%s': %s",
			      name, res);
	} else if (!r) {
		n = tcl_list_split(res, &v);
		if (n == 2 && !strcmp(v[0], "1")) {
			*value = v[1];
			v[1] = NULL;
		} else if (!(n == 1 && !strcmp(v[0], "0"))) {
			r = out_error(PSR_ERR_PROTOCOL,
				      "unexpected reply reading Tcl variable "
				      "'%s'",
				      name);
		}
		if (n > 0)
			tcl_list_free(v, n);
	}
	free(res);
	return r;
}
