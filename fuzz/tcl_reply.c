/* What psramctl reads from OpenOCD's TCL port: replies framed by 0x1a,
 * each a Tcl list "SEQ RC RESULT" (cli/link/tcl_link.c) whose parts are
 * read by the list parser (cli/link/tcl_list.c), with notification frames
 * and late replies among them. The input is sent from a real loopback
 * socket as OpenOCD's side of the connection, then that side closes; the
 * link must end each exchange with a result or an error, never hang or
 * crash. The same bytes also go through tcl_list_split directly.
 * fuzz/run passes -close_fd_mask=2: the link's one-line errors come by
 * the thousand. */
#include "fuzz.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "link/tcl_link.h"
#include "link/tcl_list.h"

static int listen_fd = -1;
static unsigned port;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);

	(void)argc;
	(void)argv;
	listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&a,
				  sizeof(a)) < 0 ||
	    listen(listen_fd, 4) < 0 ||
	    getsockname(listen_fd, (struct sockaddr *)&a, &alen) < 0)
		abort();
	port = ntohs(a.sin_port);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct linger reset = {1, 0};
	struct tcl_link *l = NULL;
	char *res = NULL, *text, **elems = NULL;
	int peer, n;

	if (size > 60000)
		return 0;
	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	n = tcl_list_split(text, &elems);
	if (n >= 0)
		tcl_list_free(elems, n);
	free(text);

	if (tcl_link_connect(&l, "127.0.0.1", port, 1000, NULL, NULL))
		abort();
	peer = accept(listen_fd, NULL, NULL);
	if (peer < 0)
		abort();
	if (size && write(peer, data, size) != (ssize_t)size)
		abort();
	shutdown(peer, SHUT_WR);
	/* Two exchanges: the second one meets what the first left over. */
	for (int i = 0; i < 2; i++) {
		int r = tcl_link_exec(l, "version", &res, 50);

		free(res);
		res = NULL;
		if (r && r != -14 /* PSR_ERR_TCL: a Tcl error reply */)
			break;
	}
	/* Reset rather than close: a closed TCP connection holds its port
	 * pair for a minute (TIME_WAIT), and at a thousand inputs a second
	 * the loopback runs out of ports, so that connect fails. */
	setsockopt(peer, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
	close(peer);
	tcl_link_close(l);
	return 0;
}
