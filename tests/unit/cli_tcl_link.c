/* The TCL RPC link against a small scripted server in a child process:
 * 0x1a framing across TCP segments, the rc/result wrapper, notification
 * frames and late replies dropped, deadlines kept, a closed connection, a
 * dead peer reported through the watch, and Ctrl-C. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "link/tcl_link.h"
#include "unit.h"

static pid_t server_pid;
static unsigned server_port;

static void sleep_ms(int ms)
{
	struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};

	nanosleep(&t, NULL);
}

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void put(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w <= 0)
			_exit(0);
		s += w;
		n -= (size_t)w;
	}
}

static void reply(int fd, unsigned long seq, const char *rc_and_result)
{
	char buf[256];
	int n = snprintf(buf, sizeof(buf), "%lu %s\x1a", seq, rc_and_result);

	put(fd, buf, (size_t)n);
}

/* Answers one framed command the way its text asks for. */
static void serve_frame(int fd, char *frame)
{
	char *l = strstr(frame, "; list ");
	unsigned long seq = l ? strtoul(l + 7, NULL, 10) : 0;
	char none[] = "";
	char *cmd = strstr(frame, "[catch {");
	char *end;

	if (cmd) {
		cmd += 8;
		end = strstr(cmd, "} psramctl_res]");
		if (end)
			*end = '\0';
	} else {
		cmd = none;
	}
	if (!strcmp(cmd, "hello")) {
		reply(fd, seq, "0 world");
	} else if (!strcmp(cmd, "braces")) {
		reply(fd, seq, "0 {a {b c} \\{ d\\\\}");
	} else if (!strcmp(cmd, "err")) {
		reply(fd, seq, "1 {invalid command name \"err\"}");
	} else if (!strcmp(cmd, "empty")) {
		reply(fd, seq, "0 {}");
	} else if (!strcmp(cmd, "split")) {
		char buf[64];
		int n = snprintf(buf, sizeof(buf), "%lu 0 {in pieces}\x1a",
				 seq);

		for (int i = 0; i < n; i++) {
			put(fd, buf + i, 1);
			sleep_ms(2);
		}
	} else if (!strcmp(cmd, "notify")) {
		const char *ev = "type target_event event halted\r\n\x1a"
				 "type target_state state halted\r\n\x1a";

		put(fd, ev, strlen(ev));
		reply(fd, seq, "0 after-notices");
	} else if (!strcmp(cmd, "stale")) {
		reply(fd, seq - 1, "0 old");
		reply(fd, seq, "0 new");
	} else if (!strcmp(cmd, "late")) {
		sleep_ms(700);
		reply(fd, seq, "0 too-late");
	} else if (!strcmp(cmd, "big")) {
		struct strbuf sb;

		sb_init(&sb);
		sb_addf(&sb, "%lu 0 {", seq);
		for (int i = 0; i < 100000; i++)
			sb_adds(&sb, "0xdeadbeef ");
		sb_adds(&sb, "}\x1a");
		put(fd, sb.buf, sb.len);
		sb_release(&sb);
	} else if (!strcmp(cmd, "junk")) {
		put(fd, "garbage\x1a", 8);
	} else if (!strcmp(cmd, "close")) {
		_exit(0);
	} else if (strstr(frame, "catch set\\ x\\ \\{ psramctl_res")) {
		reply(fd, seq, "0 quoted-form");
	} else if (strstr(frame, "::PSRAM_SET")) {
		reply(fd, seq, "0 {1 {va lue}}");
	} else if (strstr(frame, "::PSRAM_UNSET")) {
		reply(fd, seq, "0 0");
	} else if (!strcmp(cmd, "silent")) {
		/* no answer */
	} else {
		reply(fd, seq, "1 {unknown test command}");
	}
}

static void serve(int lfd)
{
	struct strbuf in;
	char buf[4096];
	int fd = accept(lfd, NULL, NULL);

	if (fd < 0)
		_exit(1);
	sb_init(&in);
	for (;;) {
		char *e;
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n <= 0)
			_exit(0);
		sb_add(&in, buf, (size_t)n);
		while ((e = memchr(in.buf, 0x1a, in.len)) != NULL) {
			size_t len = (size_t)(e - in.buf);
			char *frame = psr_malloc(len + 1);

			memcpy(frame, in.buf, len);
			frame[len] = '\0';
			sb_consume(&in, len + 1);
			serve_frame(fd, frame);
			free(frame);
		}
	}
}

static int start_server(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int lfd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(lfd, 1) || getsockname(lfd, (struct sockaddr *)&a, &len))
		return -1;
	server_port = ntohs(a.sin_port);
	fflush(NULL);
	server_pid = fork();
	if (server_pid == 0) {
		serve(lfd);
		_exit(0);
	}
	close(lfd);
	return server_pid > 0 ? 0 : -1;
}

static void stop_server(void)
{
	if (server_pid > 0) {
		kill(server_pid, SIGKILL);
		waitpid(server_pid, NULL, 0);
	}
	server_pid = 0;
}

static struct tcl_link *open_link(void)
{
	struct tcl_link *l = NULL;

	if (start_server())
		return NULL;
	if (tcl_link_connect(&l, "127.0.0.1", server_port, 2000, NULL, NULL))
		return NULL;
	return l;
}

static int exec_is(struct tcl_link *l, const char *cmd, int want_r,
		   const char *want_result, int timeout_ms)
{
	char *res = NULL;
	int r = tcl_link_exec(l, cmd, &res, timeout_ms);
	int ok = r == want_r &&
		 (!want_result ? !res : res && !strcmp(res, want_result));

	if (!ok)
		printf("  '%s': r=%d result=<%s>, expected r=%d <%s>\n", cmd,
		       r, res ? res : "(null)", want_r,
		       want_result ? want_result : "(null)");
	free(res);
	return ok;
}

static void results_and_errors(void)
{
	struct tcl_link *l = open_link();

	CHECK(l);
	CHECK(exec_is(l, "hello", 0, "world", 0));
	CHECK(exec_is(l, "braces", 0, "a {b c} \\{ d\\\\", 0));
	CHECK(exec_is(l, "err", PSR_ERR_TCL, "invalid command name \"err\"",
		      0));
	CHECK(exec_is(l, "empty", 0, "", 0));
	CHECK(exec_is(l, "split", 0, "in pieces", 0));
	CHECK(exec_is(l, "set x {", 0, "quoted-form", 0));
	tcl_link_close(l);
	stop_server();
}

static void notices_and_late_replies_are_dropped(void)
{
	struct tcl_link *l = open_link();
	long long t0;

	CHECK(l);
	CHECK(exec_is(l, "notify", 0, "after-notices", 0));
	CHECK(exec_is(l, "stale", 0, "new", 0));
	t0 = now_ms();
	CHECK(exec_is(l, "late", PSR_ERR_TIMEOUT, NULL, 300));
	CHECK(now_ms() - t0 < 1000);
	/* the late reply arrives meanwhile and must not be taken for this */
	CHECK(exec_is(l, "hello", 0, "world", 2000));
	tcl_link_close(l);
	stop_server();
}

static void big_reply(void)
{
	struct tcl_link *l = open_link();
	char *res = NULL;

	CHECK(l);
	CHECK_EQ(tcl_link_exec(l, "big", &res, 5000), 0);
	CHECK(res && strlen(res) == 100000 * 11);
	free(res);
	tcl_link_close(l);
	stop_server();
}

static void silence_times_out(void)
{
	struct tcl_link *l = open_link();
	long long t0 = now_ms();

	CHECK(l);
	CHECK(exec_is(l, "silent", PSR_ERR_TIMEOUT, NULL, 400));
	CHECK(now_ms() - t0 >= 350 && now_ms() - t0 < 1200);
	tcl_link_close(l);
	stop_server();
}

static void junk_is_a_protocol_error(void)
{
	struct tcl_link *l = open_link();

	CHECK(l);
	CHECK(exec_is(l, "junk", PSR_ERR_PROTOCOL, NULL, 400));
	tcl_link_close(l);
	stop_server();
}

static void closed_connection(void)
{
	struct tcl_link *l = open_link();
	long long t0 = now_ms();

	CHECK(l);
	CHECK(exec_is(l, "close", PSR_ERR_LINK_CLOSED, NULL, 5000));
	CHECK(now_ms() - t0 < 1000);
	/* and it stays closed, without waiting */
	CHECK(exec_is(l, "hello", PSR_ERR_LINK_CLOSED, NULL, 5000));
	CHECK(now_ms() - t0 < 1000);
	tcl_link_close(l);
	stop_server();
}

static int watch_calls;

static int dying_watch(void *ctx, struct strbuf *msg)
{
	(void)ctx;
	if (++watch_calls < 3)
		return 0;
	sb_reset(msg);
	sb_adds(msg, "OpenOCD exited: Error: test");
	return PSR_ERR_OPENOCD_EXITED;
}

static void watch_reports_dead_peer(void)
{
	struct tcl_link *l = open_link();
	long long t0 = now_ms();

	CHECK(l);
	watch_calls = 0;
	tcl_link_set_watch(l, dying_watch, NULL);
	CHECK(exec_is(l, "silent", PSR_ERR_OPENOCD_EXITED, NULL, 10000));
	CHECK(now_ms() - t0 < 2000);
	tcl_link_close(l);
	stop_server();
}

static void variables(void)
{
	struct tcl_link *l = open_link();
	char *v = NULL;

	CHECK(l);
	CHECK_EQ(tcl_link_get_var(l, "PSRAM_SET", &v), 0);
	CHECK_STR(v, "va lue");
	free(v);
	CHECK_EQ(tcl_link_get_var(l, "PSRAM_UNSET", &v), 0);
	CHECK(v == NULL);
	tcl_link_close(l);
	stop_server();
}

static void ctrl_c_interrupts_a_wait(void)
{
	struct tcl_link *l = open_link();
	long long t0;
	pid_t killer;

	CHECK(l);
	cleanup_install_signals();
	killer = fork();
	if (killer == 0) {
		sleep_ms(300);
		kill(getppid(), SIGINT);
		_exit(0);
	}
	t0 = now_ms();
	CHECK(exec_is(l, "silent", PSR_ERR_INTERRUPTED, NULL, 10000));
	CHECK(now_ms() - t0 < 1500);
	waitpid(killer, NULL, 0);
	CHECK_EQ(cleanup_signal(), SIGINT);
	cleanup_reset();
	tcl_link_close(l);
	stop_server();
}

static void connect_refused(void)
{
	struct tcl_link *l = NULL;
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	unsigned port;

	/* a port that was free a moment ago */
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0);
	CHECK(getsockname(fd, (struct sockaddr *)&a, &len) == 0);
	port = ntohs(a.sin_port);
	close(fd);
	CHECK_EQ(tcl_link_connect(&l, "127.0.0.1", port, 1000, NULL, NULL),
		 PSR_ERR_CONNECT);
	CHECK(l == NULL);
}

UNIT_MAIN("cli_tcl_link", UNIT_TEST(results_and_errors),
	  UNIT_TEST(notices_and_late_replies_are_dropped), UNIT_TEST(big_reply),
	  UNIT_TEST(silence_times_out), UNIT_TEST(junk_is_a_protocol_error),
	  UNIT_TEST(closed_connection), UNIT_TEST(watch_reports_dead_peer),
	  UNIT_TEST(variables), UNIT_TEST(ctrl_c_interrupts_a_wait),
	  UNIT_TEST(connect_refused))
