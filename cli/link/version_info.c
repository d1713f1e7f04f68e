#include "link/version_info.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "link/child.h"
#include "report/output.h"
#include "stub_abi.h"
#include "util/strbuf.h"

#define VERSION_MS 5000

/* The first line `program --version` prints (OpenOCD 0.12 prints it on
 * stderr), within VERSION_MS; empty if none. */
static void first_line(const char *path, struct strbuf *out)
{
	int fd[2];
	pid_t pid;
	char buf[512];
	size_t len = 0;
	struct timespec t0, t;

	if (pipe(fd))
		return;
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		if (null >= 0)
			dup2(null, STDIN_FILENO);
		dup2(fd[1], STDOUT_FILENO);
		dup2(fd[1], STDERR_FILENO);
		close(fd[0]);
		execl(path, path, "--version", (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd p = {fd[0], POLLIN, 0};
		ssize_t n;
		long ms;

		clock_gettime(CLOCK_MONOTONIC, &t);
		ms = (t.tv_sec - t0.tv_sec) * 1000 +
		     (t.tv_nsec - t0.tv_nsec) / 1000000;
		if (ms >= VERSION_MS || len + 1 >= sizeof(buf))
			break;
		if (poll(&p, 1, (int)(VERSION_MS - ms)) <= 0)
			break;
		n = read(fd[0], buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		if (memchr(buf, '\n', len))
			break;
	}
	close(fd[0]);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	buf[len] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	sb_adds(out, buf);
}

void version_info_print(FILE *f, const char *program)
{
	char *path = child_find_program(program ? program : "openocd");
	struct strbuf v;
	char shown[256];

	fprintf(f, "psramctl %s, stub ABI %u\n", PSRAMCTL_VERSION,
		(unsigned)STUB_ABI_VERSION);
	if (!path) {
		fprintf(f, "OpenOCD: not found (%s)\n",
			program ? out_printable(program, shown, sizeof(shown))
				: "openocd in PATH");
		return;
	}
	sb_init(&v);
	first_line(path, &v);
	fprintf(f, "OpenOCD: %s (%s)\n",
		v.len ? out_printable(v.buf, shown, sizeof(shown))
		      : "does not say its version",
		path);
	sb_release(&v);
	free(path);
}
