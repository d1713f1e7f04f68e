/* psramsim's debug port from the wire inward: the remote_bitbang
 * characters OpenOCD sends (sim/debug/rbb.c), the JTAG TAP state machine
 * they clock (sim/debug/jtag.c) and the JTAG-DP / MEM-AP transactions it
 * hands on (sim/debug/adi.c), with RAM behind the APs as on the board.
 * Each input is one debugger connection over a real socket pair: written,
 * then closed, while the server's poll loop serves it and the replies are
 * drained as OpenOCD would. */
#include "fuzz.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bus.h"
#include "debug/adi.h"
#include "debug/jtag.h"
#include "debug/rbb.h"
#include "util/log.h"

static struct bus system_bus, apb_bus;
static struct adi_dp dp;
static struct jtag_chain chain;
static struct rbb_server srv;

static void on_srst(void *ctx, bool asserted)
{
	(void)ctx;
	(void)asserted;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	signal(SIGPIPE, SIG_IGN);
	sim_log_quiet(1);
	bus_init(&system_bus);
	bus_init(&apb_bus);
	bus_add_memory(&system_bus, "dtcm", 0x20000000u, 0x10000,
		       REGION_READ | REGION_WRITE);
	bus_add_memory(&system_bus, "flash", 0x08000000u, 0x4000,
		       REGION_READ);
	bus_add_memory(&apb_bus, "dbgmcu", 0xe00e1000u, 0x1000,
		       REGION_READ | REGION_WRITE);
	adi_init(&dp, 0x6BA02477);
	adi_setup_stm32h7(&dp, &system_bus, &apb_bus);
	jtag_init(&chain, JTAG_IDCODE_BS_H74X, JTAG_IDCODE_DAP_CM7, &dp);
	srv.listen_fd = -1;
	srv.client_fd = -1;
	srv.chain = &chain;
	srv.on_srst = on_srst;
	return 0;
}

static void drain(int fd)
{
	char buf[4096];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int sv[2];
	size_t sent = 0;

	if (size > 100000)
		return 0;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) < 0)
		abort();
	/* What accepting a new connection does (rbb.c accept_client). */
	jtag_power_on(&chain);
	srv.client_fd = sv[0];
	srv.unknown_chars = 0;
	srv.out_len = 0;
	while (srv.client_fd >= 0) {
		if (sent < size) {
			ssize_t n = write(sv[1], data + sent, size - sent);

			if (n > 0)
				sent += (size_t)n;
			else if (n < 0 && errno != EAGAIN)
				abort();
			if (sent == size)
				shutdown(sv[1], SHUT_WR);
		} else if (!size) {
			shutdown(sv[1], SHUT_WR);
		}
		rbb_poll(&srv, 0);
		drain(sv[1]);
	}
	close(sv[1]);
	return 0;
}
