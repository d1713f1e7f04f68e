/* The remote_bitbang server on a UNIX domain socket (psramsim --unix,
 * OpenOCD's `remote_bitbang host PATH` with `remote_bitbang port 0`):
 * which paths it takes, the socket's mode and lifetime, and a scan over
 * it. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "debug/adi.h"
#include "debug/jtag.h"
#include "debug/rbb.h"
#include "util/log.h"
#include "unit.h"

static struct adi_dp dp;
static struct jtag_chain chain;
static char dir[64];
static char sock[96];

/* A private directory with sock = DIR/rbb.sock in it. */
static void make_dir(void)
{
	sim_log_quiet(1);
	adi_init(&dp, 0x6BA02477);
	jtag_init(&chain, JTAG_IDCODE_BS_H74X, JTAG_IDCODE_DAP_CM7, &dp);
	snprintf(dir, sizeof(dir), "/tmp/sim_rbb_unix.XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	snprintf(sock, sizeof(sock), "%s/rbb.sock", dir);
}

static void remove_dir(void)
{
	unlink(sock);
	CHECK_EQ(rmdir(dir), 0);
}

static int open_unix(struct rbb_server *srv, const char *path,
		     const char **why)
{
	return rbb_open_unix(srv, path, &chain, NULL, NULL, why);
}

static int connect_to(const char *path)
{
	struct sockaddr_un addr = {0};
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	addr.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(addr.sun_path)) {
		close(fd);
		return -1;
	}
	memcpy(addr.sun_path, path, strlen(path) + 1);
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void test_socket_is_0600_and_removed_at_close(void)
{
	struct rbb_server srv;
	const char *why;
	struct stat st;
	mode_t mask = umask(0);

	/* A permissive umask must not widen the socket's mode. */
	make_dir();
	CHECK_EQ(open_unix(&srv, sock, &why), 0);
	umask(mask);
	CHECK(why == NULL);
	CHECK_EQ(lstat(sock, &st), 0);
	CHECK(S_ISSOCK(st.st_mode));
	CHECK_EQ(st.st_mode & 0777, 0600);
	CHECK_EQ(rbb_port(&srv), 0);
	rbb_close(&srv);
	CHECK(lstat(sock, &st) != 0 && errno == ENOENT);
	remove_dir();
}

static void test_idcode_scan_over_unix_socket(void)
{
	struct rbb_server srv;
	const char *why;
	char out[512], reply[64];
	size_t n = 0, got = 0;
	uint32_t w0 = 0, w1 = 0;
	int fd;

	make_dir();
	CHECK_EQ(open_unix(&srv, sock, &why), 0);
	fd = connect_to(sock);
	CHECK(fd >= 0);
	/* As OpenOCD's jtag_init_inner: TMS 1 x5 (Test-Logic-Reset), 0
	 * (Idle), 1 0 0 (Shift-DR), then 64 bits read with TDI high. */
	out[n++] = 'B';
	out[n++] = 'r';
	for (const char *t = "111110100"; *t; t++) {
		int tms = *t == '1';

		out[n++] = (char)('0' + (tms << 1));
		out[n++] = (char)('0' + (4 | tms << 1));
	}
	for (int i = 0; i < 64; i++) {
		int last = i == 63;

		out[n++] = (char)('0' + (last << 1 | 1));
		out[n++] = 'R';
		out[n++] = (char)('0' + (4 | last << 1 | 1));
	}
	CHECK_EQ(write(fd, out, n), (ssize_t)n);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	for (int round = 0; round < 2000 && got < sizeof(reply); round++) {
		ssize_t r;

		rbb_poll(&srv, 1);
		r = read(fd, reply + got, sizeof(reply) - got);
		if (r > 0)
			got += (size_t)r;
	}
	CHECK_EQ(got, sizeof(reply));
	CHECK(rbb_connected(&srv));
	for (int i = 0; i < 32; i++) {
		w0 |= (uint32_t)(reply[i] == '1') << i;
		w1 |= (uint32_t)(reply[32 + i] == '1') << i;
	}
	CHECK_EQ(w0, JTAG_IDCODE_DAP_CM7);
	CHECK_EQ(w1, JTAG_IDCODE_BS_H74X);
	close(fd);
	rbb_close(&srv);
	remove_dir();
}

static void test_refuses_a_file_that_is_not_a_socket(void)
{
	struct rbb_server srv;
	const char *why;
	int fd;

	make_dir();
	fd = open(sock, O_CREAT | O_WRONLY, 0600);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "keep", 4), 4);
	close(fd);
	CHECK_EQ(open_unix(&srv, sock, &why), -EEXIST);
	CHECK_STR(why, "exists and is not a socket");
	CHECK_EQ(srv.listen_fd, -1);
	/* The file is left as it was. */
	fd = open(sock, O_RDONLY);
	CHECK(fd >= 0);
	close(fd);
	remove_dir();
}

static void test_refuses_a_live_socket(void)
{
	struct rbb_server first, second;
	const char *why;
	struct stat st;
	int fd;

	make_dir();
	CHECK_EQ(open_unix(&first, sock, &why), 0);
	CHECK_EQ(open_unix(&second, sock, &why), -EADDRINUSE);
	CHECK_STR(why, "a socket something else listens on");
	/* The first server keeps its socket. */
	CHECK_EQ(lstat(sock, &st), 0);
	fd = connect_to(sock);
	CHECK(fd >= 0);
	close(fd);
	rbb_close(&first);
	remove_dir();
}

static void test_replaces_a_stale_socket(void)
{
	struct sockaddr_un addr = {0};
	struct rbb_server srv;
	const char *why;
	int fd, client;

	/* A socket file whose listener is gone (a psramsim killed with
	 * SIGKILL leaves one). */
	make_dir();
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(fd >= 0);
	addr.sun_family = AF_UNIX;
	memcpy(addr.sun_path, sock, strlen(sock) + 1);
	CHECK_EQ(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	close(fd);
	CHECK(connect_to(sock) < 0);
	CHECK_EQ(open_unix(&srv, sock, &why), 0);
	client = connect_to(sock);
	CHECK(client >= 0);
	close(client);
	rbb_close(&srv);
	remove_dir();
}

static void test_refuses_a_path_too_long_for_sun_path(void)
{
	struct sockaddr_un addr;
	char path[256];
	struct rbb_server srv;
	const char *why;
	struct stat st;
	size_t n;

	/* DIR/aaa...: sun_path holds 107 characters and the NUL. */
	make_dir();
	n = (size_t)snprintf(path, sizeof(path), "%s/", dir);
	memset(path + n, 'a', sizeof(path) - n);
	path[sizeof(addr.sun_path)] = '\0';
	CHECK_EQ(open_unix(&srv, path, &why), -ENAMETOOLONG);
	CHECK(why != NULL && strstr(why, "107") != NULL);
	CHECK_EQ(srv.listen_fd, -1);
	CHECK(lstat(path, &st) != 0);
	CHECK_EQ(open_unix(&srv, "", &why), -ENAMETOOLONG);
	CHECK(why != NULL);
	/* 107 characters fit. */
	path[sizeof(addr.sun_path) - 1] = '\0';
	CHECK_EQ(open_unix(&srv, path, &why), 0);
	CHECK(why == NULL);
	rbb_close(&srv);
	CHECK(lstat(path, &st) != 0 && errno == ENOENT);
	remove_dir();
}

UNIT_MAIN("sim_rbb_unix",
	  UNIT_TEST(test_socket_is_0600_and_removed_at_close),
	  UNIT_TEST(test_idcode_scan_over_unix_socket),
	  UNIT_TEST(test_refuses_a_file_that_is_not_a_socket),
	  UNIT_TEST(test_refuses_a_live_socket),
	  UNIT_TEST(test_replaces_a_stale_socket),
	  UNIT_TEST(test_refuses_a_path_too_long_for_sun_path))
