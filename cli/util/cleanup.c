#include "util/cleanup.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

enum { MAX_HOOKS = 32, MAX_PGIDS = 8 };

static struct {
	cleanup_fn fn;
	void *ctx;
} hooks[MAX_HOOKS];
static int nhooks;
static int running;
static int floor_mark;

static volatile sig_atomic_t got_signal;
static volatile sig_atomic_t insisted;
static volatile sig_atomic_t in_cleanup;
static volatile sig_atomic_t pgids[MAX_PGIDS];

int cleanup_push(cleanup_fn fn, void *ctx)
{
	if (nhooks == MAX_HOOKS)
		return -1;
	hooks[nhooks].fn = fn;
	hooks[nhooks].ctx = ctx;
	return nhooks++;
}

void cleanup_pop(int handle, int run)
{
	cleanup_fn fn;
	void *ctx;

	if (handle < 0 || handle >= nhooks || !hooks[handle].fn)
		return;
	fn = hooks[handle].fn;
	ctx = hooks[handle].ctx;
	hooks[handle].fn = NULL;
	while (nhooks > 0 && !hooks[nhooks - 1].fn)
		nhooks--;
	if (run)
		fn(ctx);
}

void cleanup_run_all(void)
{
	if (running)
		return;
	running = 1;
	in_cleanup = 1;
	while (nhooks > floor_mark) {
		int i = --nhooks;
		cleanup_fn fn = hooks[i].fn;

		hooks[i].fn = NULL;
		if (fn)
			fn(hooks[i].ctx);
	}
	running = 0;
}

static void on_signal(int sig)
{
	if (got_signal) {
		/* A second signal: the user insists. The helpers we started
		 * go at once, and no wait of the hooks waits any longer; the
		 * hooks still run, so temporary files go and the commands
		 * still say what state they leave. */
		for (int i = 0; i < MAX_PGIDS; i++)
			if (pgids[i] > 0)
				kill(-(pid_t)pgids[i], SIGKILL);
		insisted = 1;
		return;
	}
	got_signal = sig;
}

/* The signals that stop psramctl. */
static void stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
}

void cleanup_install_signals(void)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a blocking poll() must return EINTR. */
	sa.sa_flags = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	/* A psramctl started by a batch inherits them blocked (see
	 * cleanup_block_signals): one that arrived meanwhile is delivered
	 * now, to the handler, and stops the command like any other. */
	stop_signals(&set);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

int cleanup_block_signals(sigset_t *old)
{
	sigset_t set;

	stop_signals(&set);
	sigprocmask(SIG_BLOCK, &set, old);
	if (cleanup_should_abort()) {
		sigprocmask(SIG_SETMASK, old, NULL);
		return -1;
	}
	return 0;
}

void cleanup_restore_signals(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

int cleanup_signal(void)
{
	return got_signal;
}

int cleanup_should_abort(void)
{
	return (got_signal && !in_cleanup) || insisted;
}

void cleanup_track_pgid(pid_t pgid)
{
	for (int i = 0; i < MAX_PGIDS; i++) {
		if (pgids[i] == 0) {
			pgids[i] = pgid;
			return;
		}
	}
}

void cleanup_untrack_pgid(pid_t pgid)
{
	for (int i = 0; i < MAX_PGIDS; i++)
		if (pgids[i] == pgid)
			pgids[i] = 0;
}

int cleanup_mark(void)
{
	return nhooks;
}

void cleanup_set_floor(int mark)
{
	floor_mark = mark < 0 ? 0 : mark;
}

void cleanup_clear_signal(void)
{
	got_signal = 0;
	in_cleanup = 0;
}

void cleanup_reset(void)
{
	nhooks = 0;
	floor_mark = 0;
	running = 0;
	got_signal = 0;
	insisted = 0;
	in_cleanup = 0;
	for (int i = 0; i < MAX_PGIDS; i++)
		pgids[i] = 0;
}
