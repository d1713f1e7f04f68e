#include "periph/uart_port.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/log.h"

/* The socket is looked at on the virtual clock: every millisecond while
 * bytes move (typing stays responsive), backing off by doubling to 64 ms
 * while nothing comes, so that a guest idle at a prompt (asleep in WFI,
 * its virtual time paced to the wall clock) is woken at most 16 times a
 * second for an idle line instead of a thousand. */
#define POLL_MIN_NS 1000000U
#define POLL_MAX_NS 64000000U
/* What the firmware sends before any client connects is kept (up to this
 * much) and delivered on connection, so a banner is not lost. */
#define BACKLOG 65536U

struct uart_port {
	struct usart *u;
	struct vclock *clk;
	enum uart_port_kind kind;
	int listen_fd, client_fd;
	uint16_t port;
	FILE *file;
	struct vclock_event poll;
	uint32_t poll_ns;	/* the interval in force */
	uint8_t backlog[BACKLOG];
	size_t nbacklog;
};

int uart_port_parse(const char *arg, struct uart_port_spec *spec, char *err,
		    size_t errlen)
{
	const char *eq = strchr(arg, '=');
	char *end;
	long v;

	memset(spec, 0, sizeof(*spec));
	if (!eq || eq - arg != 1 || arg[0] < '1' || arg[0] > '8') {
		snprintf(err, errlen,
			 "--uart '%s': expected N=tcp:PORT or N=file:PATH "
			 "with N in 1-8",
			 arg);
		return -1;
	}
	spec->n = (unsigned)(arg[0] - '0');
	if (strncmp(eq + 1, "tcp:", 4) == 0) {
		errno = 0;
		v = strtol(eq + 5, &end, 10);
		if (errno || eq[5] == '\0' || *end || v < 0 || v > 65535) {
			snprintf(err, errlen,
				 "--uart '%s': not a TCP port number (0-65535)",
				 arg);
			return -1;
		}
		spec->kind = UART_PORT_TCP;
		spec->tcp_port = (uint16_t)v;
		return 0;
	}
	if (strncmp(eq + 1, "file:", 5) == 0 && eq[6] != '\0') {
		spec->kind = UART_PORT_FILE;
		spec->path = eq + 6;
		return 0;
	}
	snprintf(err, errlen,
		 "--uart '%s': expected tcp:PORT or file:PATH after '='", arg);
	return -1;
}

static void send_all(struct uart_port *p, const uint8_t *b, size_t n)
{
	while (n) {
		ssize_t w = send(p->client_fd, b, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(p->client_fd);
			p->client_fd = -1;
			return;
		}
		b += w;
		n -= (size_t)w;
	}
}

static void on_tx(void *ctx, uint8_t byte)
{
	struct uart_port *p = ctx;

	/* The guest talks: an answer may follow soon. */
	if (p->listen_fd >= 0 && p->poll_ns > POLL_MIN_NS) {
		p->poll_ns = POLL_MIN_NS;
		vclock_schedule_in_ns(p->clk, &p->poll, POLL_MIN_NS);
	}

	if (p->file) {
		fputc(byte, p->file);
		fflush(p->file);
	} else if (p->client_fd >= 0) {
		send_all(p, &byte, 1);
	} else if (p->nbacklog < BACKLOG) {
		p->backlog[p->nbacklog++] = byte;
	}
}

static void poll_socket(void *ctx)
{
	struct uart_port *p = ctx;
	uint8_t buf[256];
	ssize_t n = 0;
	bool active = false;

	if (p->client_fd < 0) {
		int fd = accept(p->listen_fd, NULL, NULL);

		if (fd >= 0) {
			active = true;
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
			p->client_fd = fd;
			if (p->nbacklog) {
				/* The backlog goes out blocking: it is
				 * small and the client has just come. */
				fcntl(fd, F_SETFL,
				      fcntl(fd, F_GETFL) & ~O_NONBLOCK);
				send_all(p, p->backlog, p->nbacklog);
				if (p->client_fd >= 0)
					fcntl(fd, F_SETFL,
					      fcntl(fd, F_GETFL) | O_NONBLOCK);
				p->nbacklog = 0;
			}
		}
	}
	if (p->client_fd >= 0) {
		n = recv(p->client_fd, buf, sizeof(buf), 0);
		if (n == 0 || (n < 0 && errno != EAGAIN &&
			       errno != EWOULDBLOCK && errno != EINTR)) {
			close(p->client_fd);
			p->client_fd = -1;
			active = true;
		}
		for (ssize_t i = 0; i < n; i++)
			usart_host_send(p->u, buf[i]);
	}
	if (active || n > 0)
		p->poll_ns = POLL_MIN_NS;
	else if (p->poll_ns < POLL_MAX_NS)
		p->poll_ns *= 2;
	vclock_schedule_in_ns(p->clk, &p->poll, p->poll_ns);
}

static int open_tcp(struct uart_port *p, uint16_t port, char *err,
		    size_t errlen)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int one = 1;

	p->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	if (p->listen_fd < 0)
		goto fail;
	setsockopt(p->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(p->listen_fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(p->listen_fd, 1) < 0 ||
	    getsockname(p->listen_fd, (struct sockaddr *)&a, &len) < 0)
		goto fail;
	fcntl(p->listen_fd, F_SETFL,
	      fcntl(p->listen_fd, F_GETFL) | O_NONBLOCK);
	p->port = ntohs(a.sin_port);
	return 0;
fail:
	snprintf(err, errlen, "cannot listen on 127.0.0.1:%u: %s", port,
		 strerror(errno));
	return -1;
}

struct uart_port *uart_port_open(const struct uart_port_spec *spec,
				 struct usart *u, struct vclock *clk,
				 char *err, size_t errlen)
{
	struct uart_port *p = calloc(1, sizeof(*p));
	struct usart_host host;

	if (!p)
		abort();
	p->u = u;
	p->clk = clk;
	p->kind = spec->kind;
	p->listen_fd = p->client_fd = -1;
	if (spec->kind == UART_PORT_FILE) {
		p->file = fopen(spec->path, "w");
		if (!p->file) {
			snprintf(err, errlen, "cannot write '%s': %s",
				 spec->path, strerror(errno));
			free(p);
			return NULL;
		}
	} else if (open_tcp(p, spec->tcp_port, err, errlen) < 0) {
		if (p->listen_fd >= 0)
			close(p->listen_fd);
		free(p);
		return NULL;
	}
	host.tx = on_tx;
	host.ctx = p;
	usart_attach_host(u, &host);
	vclock_event_init(&p->poll, poll_socket, p);
	p->poll_ns = POLL_MIN_NS;
	if (spec->kind == UART_PORT_TCP)
		vclock_schedule_in_ns(clk, &p->poll, p->poll_ns);
	return p;
}

uint16_t uart_port_tcp_port(const struct uart_port *p)
{
	return p->port;
}

void uart_port_close(struct uart_port *p)
{
	struct usart_host none = {NULL, NULL};

	if (!p)
		return;
	vclock_cancel(p->clk, &p->poll);
	usart_attach_host(p->u, &none);
	if (p->client_fd >= 0)
		close(p->client_fd);
	if (p->listen_fd >= 0)
		close(p->listen_fd);
	if (p->file)
		fclose(p->file);
	free(p);
}
