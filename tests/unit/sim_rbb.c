/* The remote_bitbang server over a real loopback TCP socket, fed the
 * characters OpenOCD 0.12's remote_bitbang driver sends. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "debug/adi.h"
#include "debug/jtag.h"
#include "util/log.h"
#include "debug/rbb.h"
#include "util/stats.h"
#include "unit.h"

static struct adi_dp dp;
static struct jtag_chain chain;
static struct rbb_server srv;
static bool srv_open;
static int srst_events[8];
static unsigned srst_count;

static void on_srst(void *ctx, bool asserted)
{
	(void)ctx;
	if (srst_count < sizeof(srst_events) / sizeof(srst_events[0]))
		srst_events[srst_count] = asserted;
	srst_count++;
}

static bool setup(void)
{
	sim_log_quiet(1);
	if (srv_open)
		rbb_close(&srv);
	adi_init(&dp, 0x6BA02477);
	jtag_init(&chain, JTAG_IDCODE_BS_H74X, JTAG_IDCODE_DAP_CM7, &dp);
	srst_count = 0;
	srv_open = rbb_open(&srv, 0, &chain, on_srst, NULL) == 0;
	return srv_open;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int connect_client(int rcvbuf)
{
	struct sockaddr_in addr = {0};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	if (rcvbuf)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = htons(rbb_port(&srv));
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

/* A fresh server and one client connected to it; -1 when either fails. */
static int setup_client(void)
{
	return setup() ? connect_client(0) : -1;
}

/* Send `len` characters and collect `want` replies, serving the simulator
 * in between as its event loop would. `read_every` > 1 makes the client a
 * slow reader. */
static size_t exchange_slow(int fd, const char *out, size_t len, char *reply,
			    size_t want, unsigned read_every, double timeout)
{
	double deadline = now() + timeout;
	size_t sent = 0, got = 0;
	unsigned round = 0;

	while ((sent < len || got < want) && now() < deadline) {
		if (sent < len) {
			ssize_t n = send(fd, out + sent, len - sent,
					 MSG_DONTWAIT | MSG_NOSIGNAL);

			if (n > 0)
				sent += (size_t)n;
		}
		rbb_poll(&srv, 0);
		if (got < want && ++round % read_every == 0) {
			ssize_t n = recv(fd, reply + got, want - got,
					 MSG_DONTWAIT);

			if (n > 0)
				got += (size_t)n;
		}
	}
	return got;
}

static size_t exchange(int fd, const char *out, char *reply, size_t want)
{
	return exchange_slow(fd, out, strlen(out), reply, want, 1, 5.0);
}

/* Serve until the server has seen the client's data (or EOF). */
static void serve(unsigned rounds)
{
	for (unsigned i = 0; i < rounds; i++)
		rbb_poll(&srv, 1);
}

/* ---- character streams, as bitbang.c produces them -------------------- */

struct stream {
	char *buf;
	size_t len, cap;
};

static void put(struct stream *s, char c)
{
	if (s->len + 2 > s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->buf = realloc(s->buf, s->cap);
	}
	s->buf[s->len++] = c;
	s->buf[s->len] = '\0';
}

static void pins(struct stream *s, int tck, int tms, int tdi)
{
	put(s, (char)('0' + (tck << 2 | tms << 1 | tdi)));
}

static void tms_bits(struct stream *s, const char *bits)
{
	int t = 0;

	for (; *bits; bits++) {
		t = *bits == '1';
		pins(s, 0, t, 0);
		pins(s, 1, t, 0);
	}
	pins(s, 0, t, 0);
}

/* Idle -> Shift-DR, n bits of ones read back, -> Idle. */
static void dr_read(struct stream *s, unsigned n)
{
	tms_bits(s, "100");
	for (unsigned i = 0; i < n; i++) {
		int last = i == n - 1;

		pins(s, 0, last, 1);
		put(s, 'R');
		pins(s, 1, last, 1);
	}
	tms_bits(s, "10");
}

static uint32_t word_of(const char *replies)
{
	uint32_t w = 0;

	for (int i = 0; i < 32; i++)
		w |= (uint32_t)(replies[i] == '1') << i;
	return w;
}

/* ---- tests ------------------------------------------------------------- */

static void test_listens_on_loopback(void)
{
	struct sockaddr_in addr;
	socklen_t len = sizeof(addr);

	CHECK(setup());
	CHECK(rbb_port(&srv) != 0);
	CHECK(getsockname(srv.listen_fd, (struct sockaddr *)&addr, &len) == 0);
	CHECK_EQ(addr.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	CHECK_EQ(ntohs(addr.sin_port), rbb_port(&srv));
	CHECK(!rbb_connected(&srv));
}

static void test_idcode_scan(void)
{
	struct stream s = {0};
	char reply[64];
	struct sim_stats before = sim_stats;
	int fd;

	fd = setup_client();
	CHECK(fd >= 0);
	/* jtag_init_inner: blink, resets released, TLR, the IDCODE scan. */
	put(&s, 'B');
	put(&s, 'r');
	tms_bits(&s, "11111");
	tms_bits(&s, "0");
	dr_read(&s, 64);
	put(&s, 'b');
	CHECK_EQ(exchange(fd, s.buf, reply, sizeof(reply)), sizeof(reply));
	CHECK(rbb_connected(&srv));
	CHECK_EQ(word_of(reply), JTAG_IDCODE_DAP_CM7);
	CHECK_EQ(word_of(reply + 32), JTAG_IDCODE_BS_H74X);
	CHECK_EQ(sim_stats.connections - before.connections, 1);
	CHECK_EQ(sim_stats.jtag_chars - before.jtag_chars, s.len);
	CHECK_EQ(sim_stats.jtag_reads - before.jtag_reads, 64);
	CHECK_EQ(srst_count, 0);
	close(fd);
	free(s.buf);
}

static void test_reset_letters(void)
{
	char reply[32];
	int fd;

	fd = setup_client();
	CHECK(fd >= 0);
	/* 's': SRST only. */
	CHECK_EQ(exchange(fd, "sR", reply, 1), 1);
	CHECK_EQ(srst_count, 1);
	CHECK_EQ(srst_events[0], 1);
	/* 'u': TRST too; SRST unchanged, so no second event. TCK does
	 * nothing while TRST is held. */
	CHECK_EQ(exchange(fd, "u0246R", reply, 1), 1);
	CHECK_EQ(srst_count, 1);
	CHECK(chain.trst);
	CHECK_EQ(chain.state, TAP_RESET);
	/* 't': TRST only: SRST released. */
	CHECK_EQ(exchange(fd, "tR", reply, 1), 1);
	CHECK_EQ(srst_count, 2);
	CHECK_EQ(srst_events[1], 0);
	CHECK(chain.trst);
	/* 'r': both released; the TAP clocks again from TLR. */
	CHECK_EQ(exchange(fd, "r0404R", reply, 1), 1);
	CHECK(!chain.trst);
	CHECK_EQ(chain.state, TAP_IDLE);
	CHECK_EQ(srst_count, 2);
	/* 'B' and 'b' do nothing and answer nothing. */
	CHECK_EQ(exchange(fd, "BbBbR", reply, 1), 1);
	CHECK_EQ(reply[0], '1');
	close(fd);
}

static void test_garbage_is_logged_and_ignored(void)
{
	static const char garbage[] = "xZ\n\x01\xff";
	unsigned long errors;
	char reply[4];
	int fd;

	fd = setup_client();
	CHECK(fd >= 0);
	errors = sim_log_count(LOG_GUEST_ERROR);
	CHECK_EQ(exchange(fd, garbage, reply, 0), 0);
	CHECK_EQ(exchange(fd, "R", reply, 1), 1);
	CHECK_EQ(reply[0], '1');
	CHECK_EQ(sim_log_count(LOG_GUEST_ERROR) - errors, strlen(garbage));
	CHECK(rbb_connected(&srv));
	close(fd);
}

static void test_quit_then_reconnect_resets_dap(void)
{
	struct stream s = {0};
	char reply[64];
	ssize_t n;
	int fd;

	fd = setup_client();
	CHECK(fd >= 0);
	CHECK_EQ(exchange(fd, "R", reply, 1), 1);
	/* A powered-up DP and an IR left at BYPASS... */
	dp.ctrl_stat = 0xF0000001;
	chain.dap.ir = ADI_IR_BYPASS;
	/* ...then 'Q': the server closes the connection and keeps
	 * listening; characters after 'Q' are not decoded. */
	CHECK_EQ(exchange(fd, "QR", reply, 0), 0);
	serve(5);
	CHECK(!rbb_connected(&srv));
	n = recv(fd, reply, 1, MSG_DONTWAIT);
	CHECK(n == 0 || (n < 0 && errno != EAGAIN));
	close(fd);
	CHECK_EQ(dp.ctrl_stat, 0xF0000001U);
	/* A new connection finds a DAP in its power-on state. */
	fd = connect_client(0);
	CHECK(fd >= 0);
	tms_bits(&s, "0");
	dr_read(&s, 32);
	CHECK_EQ(exchange(fd, s.buf, reply, 32), 32);
	CHECK(rbb_connected(&srv));
	CHECK_EQ(dp.ctrl_stat, 0);
	CHECK_EQ(word_of(reply), JTAG_IDCODE_DAP_CM7);
	close(fd);
	free(s.buf);
}

static void test_drop_releases_srst(void)
{
	char reply[4];
	int fd;

	fd = setup_client();
	CHECK(fd >= 0);
	CHECK_EQ(exchange(fd, "sR", reply, 1), 1);
	CHECK_EQ(srst_count, 1);
	close(fd);
	serve(5);
	CHECK(!rbb_connected(&srv));
	CHECK_EQ(srst_count, 2);
	CHECK_EQ(srst_events[1], 0);
	fd = connect_client(0);
	CHECK(fd >= 0);
	CHECK_EQ(exchange(fd, "R", reply, 1), 1);
	close(fd);
}

static void test_second_client_waits(void)
{
	char reply[4];
	int a, b;

	a = setup_client();
	CHECK(a >= 0);
	CHECK_EQ(exchange(a, "R", reply, 1), 1);
	b = connect_client(0);
	CHECK(b >= 0);
	CHECK_EQ(send(b, "R", 1, MSG_NOSIGNAL), 1);
	serve(10);
	CHECK(recv(b, reply, 1, MSG_DONTWAIT) < 0 && errno == EAGAIN);
	/* The first still works. */
	CHECK_EQ(exchange(a, "R", reply, 1), 1);
	close(a);
	CHECK_EQ(exchange(b, "", reply, 1), 1);
	CHECK_EQ(reply[0], '1');
	close(b);
}

static void test_bulk_reads_with_slow_reader(void)
{
	struct stream s = {0};
	const unsigned scans = 4096;
	const int sndbuf = 2048;
	char *reply = malloc(32 * scans);
	size_t got;
	int fd;

	CHECK(reply);
	CHECK(setup());
	/* Small socket buffers on both ends and a client that reads only now
	 * and then: the server's sends come up short and its reply buffer
	 * fills, so it must keep the rest and stop reading for a while. */
	fd = connect_client(2048);
	CHECK(fd >= 0);
	serve(3);
	CHECK(rbb_connected(&srv));
	CHECK(setsockopt(srv.client_fd, SOL_SOCKET, SO_SNDBUF, &sndbuf,
			 sizeof(sndbuf)) == 0);
	tms_bits(&s, "11111");
	tms_bits(&s, "0");
	for (unsigned i = 0; i < scans; i++)
		dr_read(&s, 32);
	got = exchange_slow(fd, s.buf, s.len, reply, 32 * scans, 64, 60.0);
	CHECK_EQ(got, 32 * scans);
	for (unsigned i = 0; i < scans; i++)
		CHECK_EQ(word_of(reply + 32 * i), JTAG_IDCODE_DAP_CM7);
	close(fd);
	free(s.buf);
	free(reply);
}

static void test_close_and_reopen_same_port(void)
{
	uint16_t port;
	int fd;

	fd = setup_client();
	CHECK(fd >= 0);
	serve(3);
	CHECK(rbb_connected(&srv));
	port = rbb_port(&srv);
	rbb_close(&srv);
	srv_open = false;
	close(fd);
	CHECK_EQ(rbb_open(&srv, port, &chain, NULL, NULL), 0);
	srv_open = true;
	CHECK_EQ(rbb_port(&srv), port);
	rbb_close(&srv);
	srv_open = false;
}

/* Shift n bits of value in (LSB first) from Shift-xR, reading each, and
 * leave through Exit1 and Update to Idle. */
static void shift_out(struct stream *s, uint64_t value, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		int last = i == n - 1;
		int tdi = (int)(value >> i & 1);

		pins(s, 0, last, tdi);
		put(s, 'R');
		pins(s, 1, last, tdi);
	}
	tms_bits(s, "10");
}

/* What the client can read when the board's part of a transaction runs. */
static int settle_fd = -1;
static ssize_t readable_at_settle = -1;

static void peek_replies(void *ctx)
{
	char buf[64];

	(void)ctx;
	readable_at_settle = recv(settle_fd, buf, sizeof(buf),
				  MSG_PEEK | MSG_DONTWAIT);
}

/* A transaction's slice of the core runs once the scan's replies have
 * been sent, so OpenOCD works on its next scan meanwhile. */
static void test_transaction_settles_after_replies(void)
{
	struct stream s = {0};
	char reply[64];
	int fd;

	CHECK(setup());
	dp.on_transaction = peek_replies;
	fd = connect_client(0);
	CHECK(fd >= 0);
	settle_fd = fd;
	readable_at_settle = -1;
	/* Reset -> Idle -> Shift-IR: DPACC into the DAP TAP (nearest TDO,
	 * so its bits go first), BYPASS into the boundary-scan TAP. */
	tms_bits(&s, "111110");
	tms_bits(&s, "1100");
	shift_out(&s, ADI_IR_DPACC | 0x1FULL << ADI_IRLEN,
		  ADI_IRLEN + JTAG_BS_IRLEN);
	CHECK_EQ(exchange(fd, s.buf, reply, ADI_IRLEN + JTAG_BS_IRLEN),
		 ADI_IRLEN + JTAG_BS_IRLEN);
	CHECK_EQ(readable_at_settle, -1);
	/* A DPACC read of CTRL/STAT: 35 bits for the DAP, one for BYPASS. */
	s.len = 0;
	tms_bits(&s, "100");
	shift_out(&s, adi_dr_request(true, ADI_DP_CTRL_STAT, 0),
		  ADI_DR_LEN + 1);
	CHECK_EQ(exchange(fd, s.buf, reply, ADI_DR_LEN + 1), ADI_DR_LEN + 1);
	/* The replies were on the socket when the core's slice ran (all 36
	 * when the scan arrived in one piece, as it does on loopback). */
	CHECK(readable_at_settle > 0);
	CHECK(!dp.owes_transaction);
	close(fd);
	free(s.buf);
}

UNIT_MAIN("sim_rbb", UNIT_TEST(test_listens_on_loopback),
	  UNIT_TEST(test_idcode_scan), UNIT_TEST(test_reset_letters),
	  UNIT_TEST(test_garbage_is_logged_and_ignored),
	  UNIT_TEST(test_quit_then_reconnect_resets_dap),
	  UNIT_TEST(test_drop_releases_srst),
	  UNIT_TEST(test_second_client_waits),
	  UNIT_TEST(test_bulk_reads_with_slow_reader),
	  UNIT_TEST(test_close_and_reopen_same_port),
	  UNIT_TEST(test_transaction_settles_after_replies))
