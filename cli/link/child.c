#include "link/child.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <linux/close_range.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/error.h"
#include "util/files.h"

struct child {
	pid_t pid;
	int log_fd;
	int exited;
	int status;
	off_t scanned; /* bytes of the log already searched by wait_for */
};

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Waiting on a helper: a start line or an exit usually comes within a few
 * ms (psramctl eid on psramsim waits for two of each), so look every 0.2
 * ms for the first 30 ms, every ms up to 80 ms, then every 10: a look is
 * a waitpid and a read of what the log gained, a few µs. (Being woken by
 * inotify instead costs more: closing an inotify instance waits for an
 * RCU grace period, tens of ms on a loaded host.) */
#define FINE_LOOKS 150
#define QUICK_LOOKS 200
static void wait_step(int *looks)
{
	struct timespec t = {0, *looks < FINE_LOOKS    ? 200000L
				: *looks < QUICK_LOOKS ? 1000000L
						       : 10000000L};

	nanosleep(&t, NULL);
	(*looks)++;
}

char *child_find_program(const char *program)
{
	const char *path;
	struct strbuf sb;

	if (!program || !*program)
		return NULL;
	if (strchr(program, '/'))
		return access(program, X_OK) == 0 ? psr_strdup(program) : NULL;
	path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	sb_init(&sb);
	while (*path) {
		const char *end = strchr(path, ':');
		size_t n = end ? (size_t)(end - path) : strlen(path);
		struct stat st;

		sb_reset(&sb);
		if (n)
			sb_add(&sb, path, n);
		else
			sb_addc(&sb, '.');
		sb_addc(&sb, '/');
		sb_adds(&sb, program);
		if (stat(sb.buf, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(sb.buf, X_OK) == 0)
			return sb_detach(&sb);
		path += n;
		if (*path == ':')
			path++;
	}
	sb_release(&sb);
	return NULL;
}

void child_setup_after_fork(pid_t parent)
{
	struct sigaction dfl;

	setpgid(0, 0);
	/* Die with psramctl even if it is killed with SIGKILL; the check
	 * after it closes the race with a parent that died before. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(127);
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigaction(SIGINT, &dfl, NULL);
	sigaction(SIGTERM, &dfl, NULL);
	sigaction(SIGHUP, &dfl, NULL);
	sigaction(SIGPIPE, &dfl, NULL);
}

static void child_exec(char *const argv[], int log_fd, int err_fd,
		       pid_t parent)
{
	int null_fd, e;
	sigset_t none;

	child_setup_after_fork(parent);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	null_fd = open("/dev/null", O_RDONLY);
	if (null_fd >= 0) {
		dup2(null_fd, STDIN_FILENO);
		close(null_fd);
	}
	dup2(log_fd, STDOUT_FILENO);
	dup2(log_fd, STDERR_FILENO);
	/* Exactly stdin, stdout and stderr cross the exec (and err_fd until
	 * it succeeds): no descriptor psramctl inherited or opened, such as
	 * the Tcl socket of a psramsim's OpenOCD, leaks into the helper. */
	if (syscall(SYS_close_range, 3u, ~0u, CLOSE_RANGE_CLOEXEC) != 0)
		for (int fd = 3; fd < 1024; fd++)
			fcntl(fd, F_SETFD, FD_CLOEXEC);
	execv(argv[0], argv);
	e = errno;
	if (write(err_fd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

int child_spawn(struct child **out, const char *name, char *const argv[])
{
	const char *tmp = file_tmpdir();
	struct strbuf path;
	int log_fd, read_fd, pipefd[2], e = 0;
	pid_t pid, parent = getpid();
	ssize_t n;
	struct child *c;
	sigset_t saved;

	*out = NULL;
	sb_init(&path);
	sb_addf(&path, "%s/psramctl-%s-XXXXXX", tmp,
		name);
	log_fd = mkstemp(path.buf);
	if (log_fd < 0) {
		e = errno;
		sb_release(&path);
		errno = e;
		return PSR_ERR_SYSTEM;
	}
	fcntl(log_fd, F_SETFD, FD_CLOEXEC); /* the child keeps its dup2 copies */
	read_fd = open(path.buf, O_RDONLY | O_CLOEXEC);
	if (read_fd < 0 || pipe(pipefd) < 0) {
		e = errno;
		goto fail;
	}
	/* The write end closes on a successful exec: EOF means it worked. */
	fcntl(pipefd[0], F_SETFD, FD_CLOEXEC);
	fcntl(pipefd[1], F_SETFD, FD_CLOEXEC);
	fflush(NULL);
	/* No helper starts once psramctl is asked to stop, and none starts
	 * untracked: the signals wait until it is (child_exec unblocks them
	 * in the child once they have their default action). */
	if (cleanup_block_signals(&saved)) {
		close(pipefd[0]);
		close(pipefd[1]);
		close(read_fd);
		close(log_fd);
		unlink(path.buf);
		sb_release(&path);
		return PSR_ERR_INTERRUPTED;
	}
	pid = fork();
	if (pid < 0) {
		e = errno;
		cleanup_restore_signals(&saved);
		close(pipefd[0]);
		close(pipefd[1]);
		goto fail;
	}
	if (pid == 0)
		child_exec(argv, log_fd, pipefd[1], parent);
	/* Both sides call setpgid so the group exists whoever runs first. */
	setpgid(pid, pid);
	cleanup_track_pgid(pid);
	cleanup_restore_signals(&saved);
	close(pipefd[1]);
	close(log_fd);
	log_fd = -1;
	/* Both ends hold the file open; unlinked, it cannot outlive us even
	 * if we are killed. */
	unlink(path.buf);
	do
		n = read(pipefd[0], &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(pipefd[0]);
	c = psr_calloc(1, sizeof(*c));
	c->pid = pid;
	c->log_fd = read_fd;
	sb_release(&path);
	if (n == (ssize_t)sizeof(e)) {
		/* exec failed: the child has exited already */
		child_stop(c, 0);
		errno = e;
		return PSR_ERR_SYSTEM;
	}
	*out = c;
	return 0;

fail:
	if (read_fd >= 0)
		close(read_fd);
	if (log_fd >= 0)
		close(log_fd);
	unlink(path.buf);
	sb_release(&path);
	errno = e;
	return PSR_ERR_SYSTEM;
}

pid_t child_pid(const struct child *c)
{
	return c->pid;
}

int child_running(struct child *c)
{
	int status;
	pid_t r;

	if (c->exited)
		return 0;
	do
		r = waitpid(c->pid, &status, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return 1;
	c->exited = 1;
	c->status = r == c->pid ? status : 0;
	cleanup_untrack_pgid(c->pid);
	return 0;
}

int child_stopped(const struct child *c)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)c->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* "PID (COMM) STATE ...": COMM may hold anything, the state follows
	 * the last ')' (proc(5)). */
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && (p[2] == 'T' || p[2] == 't');
}

int child_running_after(struct child *c, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	int looks = 0;

	while (child_running(c)) {
		if (now_ms() >= deadline)
			return 1;
		wait_step(&looks);
	}
	return 0;
}

int child_status(const struct child *c)
{
	return c->status;
}

void child_describe_status(const struct child *c, struct strbuf *out)
{
	if (WIFEXITED(c->status))
		sb_addf(out, "exit status %d", WEXITSTATUS(c->status));
	else if (WIFSIGNALED(c->status))
		sb_addf(out, "killed by signal %d, %s", WTERMSIG(c->status),
			strsignal(WTERMSIG(c->status)));
	else
		sb_adds(out, "stopped");
}

/* The whole log (it stays small: we only keep what the helper prints). */
static void read_log(struct child *c, struct strbuf *out, off_t from)
{
	char buf[4096];
	ssize_t n;
	off_t pos = from;

	sb_reset(out);
	for (;;) {
		n = pread(c->log_fd, buf, sizeof(buf), pos);
		if (n <= 0)
			break;
		sb_add(out, buf, (size_t)n);
		pos += n;
	}
}

int child_wait_for(struct child *c, const char *needle, struct strbuf *line,
		   int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	struct strbuf log;
	int r = PSR_ERR_TIMEOUT, looks = 0;

	sb_init(&log);
	for (;;) {
		int alive = child_running(c);
		char *nl, *start;

		/* Scan complete lines only; a line being written waits. */
		read_log(c, &log, c->scanned);
		start = log.buf;
		while ((nl = strchr(start, '\n')) != NULL) {
			*nl = '\0';
			c->scanned += (off_t)(nl - start + 1);
			if (strstr(start, needle)) {
				sb_reset(line);
				sb_adds(line, start);
				r = 0;
				goto out;
			}
			start = nl + 1;
		}
		if (!alive) {
			r = 1;
			break;
		}
		if (cleanup_should_abort()) {
			r = PSR_ERR_INTERRUPTED;
			break;
		}
		if (now_ms() >= deadline)
			break;
		wait_step(&looks);
	}
out:
	sb_release(&log);
	return r;
}

static int is_error_line(const char *s)
{
	return strstr(s, "error") || strstr(s, "Error") || strstr(s, "ERROR");
}

void child_last_line(struct child *c, struct strbuf *out, int errors_only)
{
	struct strbuf log;
	char *p, *best = NULL, *last = NULL;

	sb_init(&log);
	read_log(c, &log, 0);
	for (p = strtok(log.buf, "\r\n"); p; p = strtok(NULL, "\r\n")) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			continue;
		last = p;
		if (is_error_line(p))
			best = p;
	}
	sb_reset(out);
	if (best)
		sb_adds(out, best);
	else if (last && !errors_only)
		sb_adds(out, last);
	sb_release(&log);
}

void child_print_tail(struct child *c, int n, const char *prefix)
{
	struct strbuf log;
	char *p;
	int lines = 0;

	sb_init(&log);
	read_log(c, &log, 0);
	while (log.len && (log.buf[log.len - 1] == '\n' ||
			   log.buf[log.len - 1] == '\r'))
		log.buf[--log.len] = '\0';
	p = log.buf + log.len;
	while (p > log.buf && lines < n) {
		p--;
		if (*p == '\n' && ++lines == n) {
			p++;
			break;
		}
	}
	while (log.len) {
		char *nl = strchr(p, '\n');

		if (nl)
			*nl = '\0';
		fprintf(stderr, "%s%s\n", prefix, p);
		if (!nl)
			break;
		p = nl + 1;
	}
	sb_release(&log);
}

void child_stop(struct child *c, int grace_ms)
{
	if (!c)
		return;
	if (child_running(c)) {
		kill(-c->pid, SIGTERM);
		/* A stopped process acts on SIGTERM only once continued. */
		kill(-c->pid, SIGCONT);
		if (child_running_after(c, grace_ms)) {
			kill(-c->pid, SIGKILL);
			child_running_after(c, 5000);
		}
	}
	/* Members of its group that outlived the leader go too. */
	if (c->exited)
		kill(-c->pid, SIGKILL);
	cleanup_untrack_pgid(c->pid);
	close(c->log_fd);
	free(c);
}
