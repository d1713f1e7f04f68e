/* A Ctrl-C never leaves a helper running: none is started once a signal
 * asked psramctl to stop, a started one is tracked before a signal is
 * taken, and a signal that arrives while a batch's psramctl is being
 * started waits, blocked, for its handler (cli/util/cleanup.h). */
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "link/child.h"
#include "util/cleanup.h"
#include "util/error.h"
#include "unit.h"

static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static int stop_signal_blocked(void)
{
	sigset_t now;

	sigprocmask(SIG_SETMASK, NULL, &now);
	return sigismember(&now, SIGINT) || sigismember(&now, SIGTERM) ||
	       sigismember(&now, SIGHUP);
}

/* After Ctrl-C child_spawn starts nothing and leaves no log file. */
static void no_helper_after_interrupt(void)
{
	char dir[] = "/tmp/psramctl-unit-XXXXXX";
	char *argv[] = {(char *)"/bin/sleep", (char *)"5", NULL};
	struct child *c = (struct child *)1;
	sigset_t old;
	int r;

	CHECK(mkdtemp(dir) != NULL);
	setenv("TMPDIR", dir, 1);
	cleanup_reset();
	cleanup_install_signals();
	raise(SIGINT);
	CHECK_EQ(cleanup_signal(), SIGINT);
	CHECK_EQ(cleanup_block_signals(&old), -1);
	CHECK(!stop_signal_blocked());
	r = child_spawn(&c, "sleep", argv);
	unsetenv("TMPDIR");
	CHECK_EQ(r, PSR_ERR_INTERRUPTED);
	CHECK(c == NULL);
	CHECK_EQ(entries(dir), 0);
	CHECK_EQ(waitpid(-1, NULL, WNOHANG), -1); /* no child at all */
	rmdir(dir);
	cleanup_reset();
}

/* Without a signal a helper starts, the mask is as before, and it stops. */
static void helper_starts_and_stops(void)
{
	char *argv[] = {(char *)"/bin/sleep", (char *)"5", NULL};
	struct child *c = NULL;
	pid_t pid;

	cleanup_reset();
	cleanup_install_signals();
	CHECK_EQ(child_spawn(&c, "sleep", argv), 0);
	CHECK(c != NULL);
	CHECK(!stop_signal_blocked());
	pid = child_pid(c);
	CHECK(child_running(c));
	child_stop(c, 1000);
	CHECK(kill(pid, 0) != 0);
	cleanup_reset();
}

/* A signal sent to a batch's psramctl between its fork and its handler
 * is kept pending (blocked), not caught by the parent's inherited handler
 * and forgotten at the exec: the new psramctl's handler receives it. */
static void pending_signal_reaches_new_handler(void)
{
	sigset_t old;
	pid_t pid;
	int status = 0;

	cleanup_reset();
	cleanup_install_signals();
	CHECK_EQ(cleanup_block_signals(&old), 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		child_setup_after_fork(getppid());
		raise(SIGINT); /* blocked: stays pending */
		if (cleanup_signal())
			_exit(2);
		/* what psramctl's main does first after the exec */
		cleanup_reset();
		cleanup_install_signals();
		_exit(cleanup_signal() == SIGINT ? 0 : 1);
	}
	cleanup_restore_signals(&old);
	CHECK(!stop_signal_blocked());
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 0);
	cleanup_reset();
}

UNIT_MAIN("cli_child_signals", UNIT_TEST(no_helper_after_interrupt),
	  UNIT_TEST(helper_starts_and_stops),
	  UNIT_TEST(pending_signal_reaches_new_handler))
