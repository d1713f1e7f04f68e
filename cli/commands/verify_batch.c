#include "commands/verify_batch.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "link/child.h"
#include "link/probe_select.h"
#include "link/session.h"
#include "link/usb_probes.h"
#include "report/json.h"
#include "report/output.h"
#include "report/term.h"
#include "util/alloc.h"
#include "util/cleanup.h"
#include "util/error.h"
#include "util/strbuf.h"

#define MAX_BOARDS 32
#define REDRAW_S 0.25

struct board {
	char *name;     /* file-name safe: the serial, or simN */
	char *label;    /* what the user knows it by */
	char *faults;   /* simulated: the faults injected, or NULL */
	/* Whether its target is psramsim: what its own verify says in its
	 * final object (session_simulated), and until then what it was
	 * started with (--sim is simulated, a USB probe is not). */
	int simulated;
	char **argv;    /* its psramctl command line */
	int argc;
	pid_t pid;
	int out_fd, err_fd; /* pipes from the child; -1 once closed */
	FILE *json;     /* verify-NAME.json */
	char *json_path, *junit_path;
	struct strbuf out_part, err_part; /* a line being received */
	char stage[64];   /* the last stage reported */
	char result[16];  /* its result */
	char verdict[16]; /* pass / fail, from the verdict record */
	struct strbuf fault_kinds;
	struct strbuf last_error; /* the child's last error line */
	double t_end;
	int status;     /* exit status once reaped, -1 before */
	int done;
};

struct batch {
	struct board b[MAX_BOARDS];
	int n;
	struct timespec t0;
	int fancy;
	unsigned drawn;
};

static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

int verify_batch_requested(const struct global_options *g)
{
	return g->all_probes || g->sim_count || g->sim_sets.n ||
	       g->batch_dir || (g->serial && strchr(g->serial, ','));
}

/* ---- the command lines ---- */

static void argv_add(struct board *b, const char *s)
{
	b->argv = psr_realloc(b->argv, (size_t)(b->argc + 2) * sizeof(char *));
	b->argv[b->argc++] = psr_strdup(s);
	b->argv[b->argc] = NULL;
}

/* Global options the batch replaces or that make no sense per board. */
static int dropped(const char *name)
{
	static const char *const names[] = {
		"all-probes", "serial", "usb-path", "sim-count", "sim-set",
		"batch-dir", "json", "sim", "sim-fault", "verbose", "v",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (!strcmp(name, names[i]))
			return 1;
	return 0;
}

/* argv's own options and arguments for a board: the global options that
 * stay, the command, its options. */
static void add_passed_on(struct board *b, int argc, char **argv,
			  const char *junit)
{
	struct global_options scratch;
	int i = 1;

	memset(&scratch, 0, sizeof(scratch));
	argv_add(b, "--json");
	while (i < argc) {
		int start = i, r;
		const char *a = argv[i];
		char name[64];

		if (!strcmp(a, "--")) {
			for (; i < argc; i++)
				argv_add(b, argv[i]);
			break;
		}
		r = a[0] == '-' ? opt_parse_one(session_options, &scratch, argc,
						argv, &i)
				: 0;
		if (r <= 0) {
			argv_add(b, a);
			i++;
			if (!strcmp(a, "verify")) {
				argv_add(b, "--junit");
				argv_add(b, junit);
			}
			continue;
		}
		snprintf(name, sizeof(name), "%.*s",
			 (int)strcspn(a + (a[1] == '-' ? 2 : 1), "="),
			 a + (a[1] == '-' ? 2 : 1));
		if (!dropped(name))
			for (int k = start; k < i; k++)
				argv_add(b, argv[k]);
	}
	opt_list_free(&scratch.sim_faults);
	opt_list_free(&scratch.sim_sets);
}

static char *safe_name(const char *s)
{
	char *n = psr_strdup(*s ? s : "unnamed");

	for (char *p = n; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		      *p == '.'))
			*p = '_';
	if (n[0] == '.')
		n[0] = '_';
	return n;
}

static char *self_path(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return psr_strdup(buf);
}

static int new_board(struct batch *bt, const char *name, const char *label,
		     const char *dir)
{
	struct board *b;
	struct strbuf sb;

	if (bt->n == MAX_BOARDS)
		return out_error(PSR_ERR_USAGE, "at most %d boards in a batch",
				 MAX_BOARDS);
	b = &bt->b[bt->n++];
	memset(b, 0, sizeof(*b));
	b->name = safe_name(name);
	b->label = psr_strdup(label);
	b->out_fd = b->err_fd = -1;
	b->status = -1;
	sb_init(&b->out_part);
	sb_init(&b->err_part);
	sb_init(&b->fault_kinds);
	sb_init(&b->last_error);
	sb_init(&sb);
	sb_addf(&sb, "%s/verify-%s.json", dir, b->name);
	b->json_path = sb_detach(&sb);
	sb_init(&sb);
	sb_addf(&sb, "%s/verify-%s.xml", dir, b->name);
	b->junit_path = sb_detach(&sb);
	return 0;
}

/* A board that does not start: its error where a run's would be (the
 * JSON file, the summary), exit status 3 as its psramctl would give. */
static void refuse_board(struct board *b, const char *msg)
{
	struct json j;
	FILE *f;

	sb_adds(&b->last_error, msg);
	b->status = psr_exit_status(PSR_ERR_NO_PROBE) << 8;
	b->done = 1;
	json_init(&j);
	json_object_begin(&j, NULL);
	json_string(&j, "type", "error");
	json_string(&j, "error", psr_errname(PSR_ERR_NO_PROBE));
	json_string(&j, "message", msg);
	json_int(&j, "exit", psr_exit_status(PSR_ERR_NO_PROBE));
	json_object_end(&j);
	f = fopen(b->json_path, "we");
	if (f) {
		fprintf(f, "%s\n", j.sb.buf);
		fclose(f);
	}
	json_release(&j);
}

/* The attached probe with serial sn (and fitting --interface), or NULL. */
static const struct usb_probe *probe_by_serial(const struct usb_probe_list *l,
					       const char *sn,
					       const char *interface)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].serial && !strcmp(l->v[i].serial, sn) &&
		    (!interface || probe_fits_interface(&l->v[i], interface)))
			return &l->v[i];
	return NULL;
}

static void not_attached(const struct usb_probe_list *l, const char *sn,
			 const char *interface, struct strbuf *msg)
{
	char shown[128];

	if (!l->n) {
		sb_adds(msg, "no debug probe found on USB (looked for "
			     "ST-Link, CMSIS-DAP, J-Link and FTDI adapters)");
		return;
	}
	sb_addf(msg, "no debug probe with serial '%s'",
		out_printable(sn, shown, sizeof(shown)));
	if (interface)
		sb_addf(msg, " for --interface %s", interface);
	sb_adds(msg, "; attached:");
	for (size_t i = 0; i < l->n; i++)
		sb_addf(msg, "%s %s %s", i ? "," : "", l->v[i].cls.name,
			l->v[i].serial ? out_printable(l->v[i].serial, shown,
						       sizeof(shown))
				       : l->v[i].path);
}

/* --serial A,B,...: the probes are looked for once, here, so that every
 * board sees the same USB bus; each found probe's psramctl is pinned to
 * its serial and driver, a serial not attached is that board's error and
 * starts nothing. When the bus cannot be read here, each board's psramctl
 * looks for itself and says why it cannot. */
static int plan_serials(struct batch *bt, const struct global_options *g,
			int argc, char **argv, const char *self,
			const char *dir)
{
	struct usb_probe_list l;
	char msg[160], label[160], shown[96];
	char *copy = psr_strdup(g->serial), *save = NULL;
	int listed = !usb_probes_list(&l, msg, sizeof(msg)), r = 0;

	for (char *sn = strtok_r(copy, ",", &save); sn && !r;
	     sn = strtok_r(NULL, ",", &save)) {
		const struct usb_probe *p =
			listed ? probe_by_serial(&l, sn, g->interface) : NULL;
		struct board *b;

		snprintf(label, sizeof(label), "%s%s%s",
			 p ? p->cls.name : "", p ? " " : "",
			 out_printable(sn, shown, sizeof(shown)));
		r = new_board(bt, sn, label, dir);
		if (r)
			break;
		b = &bt->b[bt->n - 1];
		argv_add(b, self);
		if (p && !g->interface && p->cls.interface) {
			argv_add(b, "--interface");
			argv_add(b, p->cls.interface);
		}
		argv_add(b, "--serial");
		argv_add(b, sn);
		add_passed_on(b, argc, argv, b->junit_path);
		if (listed && !p) {
			struct strbuf why;

			sb_init(&why);
			not_attached(&l, sn, g->interface, &why);
			refuse_board(b, why.buf);
			sb_release(&why);
		}
	}
	free(copy);
	if (listed)
		usb_probes_free(&l);
	return r;
}

/* The boards of the batch and their command lines. */
static int plan(struct batch *bt, const struct global_options *g, int argc,
		char **argv, const char *self, const char *dir)
{
	char label[160], shown[96];
	int r;

	if (g->sim_count || g->sim_sets.n) {
		size_t n = g->sim_sets.n ? g->sim_sets.n : g->sim_count;

		for (size_t i = 0; i < n; i++) {
			const char *set = g->sim_sets.n ? g->sim_sets.items[i]
							: "ok";
			struct board *b;
			char name[32];

			snprintf(name, sizeof(name), "sim%zu", i + 1);
			r = new_board(bt, name, name, dir);
			if (r)
				return r;
			b = &bt->b[bt->n - 1];
			argv_add(b, self);
			argv_add(b, "--sim");
			b->simulated = 1;
			if (strcmp(set, "ok") && strcmp(set, "")) {
				char *copy = psr_strdup(set), *save = NULL;

				b->faults = psr_strdup(set);
				for (char *f = strtok_r(copy, ",", &save); f;
				     f = strtok_r(NULL, ",", &save)) {
					argv_add(b, "--sim-fault");
					argv_add(b, f);
				}
				free(copy);
			}
			add_passed_on(b, argc, argv, b->junit_path);
		}
		return 0;
	}
	if (!g->board)
		return out_error(PSR_ERR_USAGE,
				 "a batch of real boards needs --board NAME "
				 "(the same board file for every probe)");
	if (g->all_probes) {
		struct usb_probe_list l;
		char msg[160];
		size_t used = 0;

		if (usb_probes_list(&l, msg, sizeof(msg)))
			return out_error(PSR_ERR_NO_PROBE, "%s", msg);
		for (size_t i = 0; i < l.n; i++) {
			const struct usb_probe *p = &l.v[i];
			struct board *b;

			if (p->cls.problem || p->cls.kind == PROBE_FTDI_CHIP ||
			    (g->interface &&
			     !probe_fits_interface(p, g->interface)))
				continue;
			snprintf(label, sizeof(label), "%s %s", p->cls.name,
				 p->serial ? out_printable(p->serial, shown,
							   sizeof(shown))
					   : p->path);
			r = new_board(bt, p->serial ? p->serial : p->path,
				      label, dir);
			if (r) {
				usb_probes_free(&l);
				return r;
			}
			b = &bt->b[bt->n - 1];
			argv_add(b, self);
			if (!g->interface) {
				argv_add(b, "--interface");
				argv_add(b, p->cls.interface);
			}
			argv_add(b, p->serial ? "--serial" : "--usb-path");
			argv_add(b, p->serial ? p->serial : p->path);
			add_passed_on(b, argc, argv, b->junit_path);
			used++;
		}
		usb_probes_free(&l);
		if (!used)
			return out_error(PSR_ERR_NO_PROBE,
					 "--all-probes: no usable debug probe "
					 "attached (see psramctl probes)");
		return 0;
	}
	return plan_serials(bt, g, argc, argv, self, dir);
}

/* ---- running them ---- */

static int spawn(struct board *b)
{
	int out[2], err[2];
	pid_t parent = getpid();
	sigset_t saved;

	if (pipe(out) || pipe(err))
		return out_error(PSR_ERR_SYSTEM, "pipe: %s", strerror(errno));
	/* the other boards' children must not hold these open */
	for (int k = 0; k < 2; k++) {
		fcntl(out[k], F_SETFD, FD_CLOEXEC);
		fcntl(err[k], F_SETFD, FD_CLOEXEC);
	}
	/* No board starts after Ctrl-C, and none before it is tracked; the
	 * child keeps the signals blocked across the exec, its psramctl
	 * takes a pending one once its handler is in place. */
	if (cleanup_block_signals(&saved)) {
		for (int k = 0; k < 2; k++) {
			close(out[k]);
			close(err[k]);
		}
		return PSR_ERR_INTERRUPTED;
	}
	b->json = fopen(b->json_path, "we");
	if (!b->json) {
		int e = errno;

		cleanup_restore_signals(&saved);
		return out_error(PSR_ERR_SYSTEM, "cannot write '%s': %s",
				 b->json_path, strerror(e));
	}
	b->pid = fork();
	if (b->pid < 0) {
		cleanup_restore_signals(&saved);
		return out_error(PSR_ERR_SYSTEM, "fork: %s", strerror(errno));
	}
	if (b->pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		child_setup_after_fork(parent);
		if (null >= 0)
			dup2(null, STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		dup2(err[1], STDERR_FILENO);
		execv(b->argv[0], b->argv);
		_exit(127);
	}
	setpgid(b->pid, b->pid);
	cleanup_track_pgid(b->pid);
	cleanup_restore_signals(&saved);
	close(out[1]);
	close(err[1]);
	b->out_fd = out[0];
	b->err_fd = err[0];
	return 0;
}

/* The string value of "key":"..." in a JSON line, unescaped enough for
 * display. */
static void json_field(const char *line, const char *key, char *buf,
		       size_t size)
{
	char pat[48];
	const char *p;
	size_t n = 0;

	buf[0] = '\0';
	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	p = strstr(line, pat);
	if (!p)
		return;
	for (p += strlen(pat); *p && *p != '"' && n + 1 < size; p++) {
		if (*p == '\\' && p[1])
			p++;
		buf[n++] = *p;
	}
	buf[n] = '\0';
}

static void on_json_line(struct board *b, const char *line)
{
	char type[32];

	fprintf(b->json, "%s\n", line);
	fflush(b->json);
	json_field(line, "type", type, sizeof(type));
	if (strstr(line, "\"simulated\":true"))
		b->simulated = 1;
	else if (strstr(line, "\"simulated\":false"))
		b->simulated = 0;
	if (!strcmp(type, "stage")) {
		json_field(line, "stage", b->stage, sizeof(b->stage));
		json_field(line, "result", b->result, sizeof(b->result));
	} else if (!strcmp(type, "verdict")) {
		const char *p = line;

		json_field(line, "verdict", b->verdict, sizeof(b->verdict));
		while ((p = strstr(p, "\"kind\":\"")) != NULL) {
			char kind[48];

			json_field(p, "kind", kind, sizeof(kind));
			if (!strstr(b->fault_kinds.buf, kind))
				sb_addf(&b->fault_kinds, "%s%s",
					b->fault_kinds.len ? "," : "", kind);
			p += 8;
		}
	}
}

static void on_err_line(struct board *b, const char *line)
{
	if (!strncmp(line, "psramctl: error: ", 17)) {
		sb_reset(&b->last_error);
		sb_adds(&b->last_error, line + 17);
	}
}

/* Reads what is there; returns 0 at end of file. */
static int drain(struct board *b, int *fd, struct strbuf *part, int is_out)
{
	char buf[4096];
	ssize_t n = read(*fd, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 1;
	if (n <= 0) {
		close(*fd);
		*fd = -1;
		if (part->len) {
			if (is_out)
				on_json_line(b, part->buf);
			else
				on_err_line(b, part->buf);
			sb_reset(part);
		}
		return 0;
	}
	sb_add(part, buf, (size_t)n);
	for (;;) {
		char *nl = memchr(part->buf, '\n', part->len);
		size_t len;

		if (!nl)
			break;
		*nl = '\0';
		len = (size_t)(nl - part->buf) + 1;
		if (is_out)
			on_json_line(b, part->buf);
		else
			on_err_line(b, part->buf);
		sb_consume(part, len);
	}
	return 1;
}

static const char *state_word(const struct board *b)
{
	if (!b->done)
		return "running";
	if (WIFSIGNALED(b->status))
		return "KILLED";
	switch (WEXITSTATUS(b->status)) {
	case 0:
		return "PASS";
	case 1:
		return "FAIL";
	case 2:
		return "USAGE";
	case 130:
		return "STOPPED";
	}
	return "ERROR";
}

static int exit_of(const struct board *b)
{
	if (!b->done || WIFSIGNALED(b->status))
		return 3;
	return WEXITSTATUS(b->status);
}

static void board_line(struct batch *bt, const struct board *b,
		       struct strbuf *sb)
{
	double t = b->done ? b->t_end : since(&bt->t0);

	sb_addf(sb, "%-10s %-26s %-8s %6.1f s  ", b->name,
		b->faults ? b->faults : "-", state_word(b), t);
	if (b->done && !strcmp(b->verdict, "pass"))
		sb_adds(sb, "no fault");
	else if (b->done && b->fault_kinds.len)
		sb_addf(sb, "%s", b->fault_kinds.buf);
	else if (b->done && b->last_error.len)
		sb_addf(sb, "%s", b->last_error.buf);
	else if (b->stage[0])
		sb_addf(sb, "%s %s", b->stage, b->result);
	else if (!b->done)
		sb_adds(sb, "starting");
}

static void redraw(struct batch *bt)
{
	struct strbuf sb;

	if (!bt->fancy)
		return;
	sb_init(&sb);
	for (int i = 0; i < bt->n; i++) {
		board_line(bt, &bt->b[i], &sb);
		sb_addc(&sb, '\n');
	}
	if (bt->drawn)
		printf("\033[%uA", bt->drawn);
	printf("\r\033[J%s", sb.buf);
	fflush(stdout);
	bt->drawn = (unsigned)bt->n;
	sb_release(&sb);
}

/* The line a board gets when it ends, without the live table. */
static void say_done(struct batch *bt, const struct board *b)
{
	struct strbuf sb;

	sb_init(&sb);
	board_line(bt, b, &sb);
	printf("verify: %s\n", sb.buf);
	fflush(stdout);
	sb_release(&sb);
}

static void reap(struct batch *bt, struct board *b)
{
	if (waitpid(b->pid, &b->status, 0) < 0)
		b->status = 3 << 8;
	cleanup_untrack_pgid(b->pid);
	b->done = 1;
	b->t_end = since(&bt->t0);
	fclose(b->json);
	b->json = NULL;
	if (!bt->fancy && !out_json())
		say_done(bt, b);
}

static void stop_all(void *ctx)
{
	struct batch *bt = ctx;

	for (int i = 0; i < bt->n; i++)
		if (bt->b[i].pid > 0 && !bt->b[i].done)
			kill(bt->b[i].pid, SIGTERM);
	for (int i = 0; i < bt->n; i++)
		if (bt->b[i].pid > 0 && !bt->b[i].done) {
			waitpid(bt->b[i].pid, &bt->b[i].status, 0);
			bt->b[i].done = 1;
			cleanup_untrack_pgid(bt->b[i].pid);
		}
}

static void loop(struct batch *bt)
{
	int forwarded = 0;
	double last = -1;

	for (;;) {
		struct pollfd p[2 * MAX_BOARDS];
		struct board *who[2 * MAX_BOARDS];
		int np = 0, left = 0, r;

		for (int i = 0; i < bt->n; i++) {
			struct board *b = &bt->b[i];

			if (b->done)
				continue;
			if (b->out_fd < 0 && b->err_fd < 0) {
				reap(bt, b);
				continue;
			}
			left++;
			if (b->out_fd >= 0) {
				p[np] = (struct pollfd){b->out_fd, POLLIN, 0};
				who[np++] = b;
			}
			if (b->err_fd >= 0) {
				p[np] = (struct pollfd){b->err_fd, POLLIN, 0};
				who[np++] = b;
			}
		}
		if (!left)
			break;
		if (since(&bt->t0) - last >= REDRAW_S) {
			last = since(&bt->t0);
			redraw(bt);
		}
		/* Ctrl-C: each board's psramctl stops its own run, leaves
		 * its core halted and reports; once. Looked at on every turn:
		 * the signal may come while the boards start or while their
		 * output is read, when no poll() is there to be interrupted. */
		if (cleanup_signal() && !forwarded) {
			forwarded = 1;
			for (int i = 0; i < bt->n; i++)
				if (!bt->b[i].done)
					kill(bt->b[i].pid, SIGINT);
		}
		r = poll(p, (nfds_t)np, (int)(REDRAW_S * 1000));
		if (r < 0 && errno == EINTR)
			continue;
		for (int k = 0; k < np && r > 0; k++) {
			if (!p[k].revents)
				continue;
			if (p[k].fd == who[k]->out_fd)
				drain(who[k], &who[k]->out_fd,
				      &who[k]->out_part, 1);
			else
				drain(who[k], &who[k]->err_fd,
				      &who[k]->err_part, 0);
		}
	}
	redraw(bt);
}

static int severity(int status)
{
	return status == 3 ? 5 : status == 130 ? 4 : status == 2 ? 3
		: status == 1 ? 2 : status ? 5 : 0;
}

static int summary(struct batch *bt)
{
	int worst = 0, pass = 0, simulated = bt->n > 0;

	for (int i = 0; i < bt->n; i++) {
		int st = exit_of(&bt->b[i]);

		if (severity(st) > severity(worst))
			worst = st;
		pass += st == 0;
		simulated &= bt->b[i].simulated;
	}
	if (out_json()) {
		struct json j;

		json_init(&j);
		for (int i = 0; i < bt->n; i++) {
			const struct board *b = &bt->b[i];

			json_object_begin(&j, NULL);
			json_string(&j, "type", "batch-board");
			json_string(&j, "name", b->name);
			json_string(&j, "board", b->label);
			if (b->faults)
				json_string(&j, "sim_faults", b->faults);
			json_string(&j, "result", state_word(b));
			json_int(&j, "exit", exit_of(b));
			json_double(&j, "seconds", b->t_end, 3);
			json_string(&j, "faults", b->fault_kinds.buf);
			if (b->last_error.len)
				json_string(&j, "error", b->last_error.buf);
			json_string(&j, "json", b->json_path);
			json_string(&j, "junit", b->junit_path);
			json_bool(&j, "simulated", b->simulated);
			json_object_end(&j);
			json_emit(&j);
		}
		json_object_begin(&j, NULL);
		json_string(&j, "type", "batch");
		json_uint(&j, "boards", (unsigned)bt->n);
		json_uint(&j, "pass", (unsigned)pass);
		json_double(&j, "seconds", since(&bt->t0), 3);
		json_int(&j, "exit", worst);
		/* every board's target is psramsim */
		json_bool(&j, "simulated", simulated);
		json_object_end(&j);
		json_emit(&j);
		json_release(&j);
	} else {
		struct strbuf sb;

		sb_init(&sb);
		printf("\n%-10s %-26s %-8s %8s  %s\n", "BOARD", "INJECTED",
		       "RESULT", "TIME", "FAULTS FOUND / ERROR");
		for (int i = 0; i < bt->n; i++) {
			sb_reset(&sb);
			board_line(bt, &bt->b[i], &sb);
			printf("%s\n", sb.buf);
		}
		printf("verify: %d of %d boards pass in %.1f s; reports in "
		       "verify-NAME.json and verify-NAME.xml\n",
		       pass, bt->n, since(&bt->t0));
		sb_release(&sb);
	}
	fflush(stdout);
	return worst;
}

static int check_dir(const char *dir)
{
	struct stat st;
	char shown[128];

	out_printable(dir, shown, sizeof(shown));
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return out_error(PSR_ERR_USAGE,
				 "--batch-dir '%s' is not a directory", shown);
	if (access(dir, W_OK | X_OK))
		return out_error(PSR_ERR_USAGE,
				 "--batch-dir '%s' is not writable", shown);
	return 0;
}

static int check_request(const struct global_options *g, int argc,
			 char **argv)
{
	int kinds = !!g->all_probes + !!(g->sim_count || g->sim_sets.n) +
		    !!(g->serial && strchr(g->serial, ','));

	if (!kinds)
		return out_error(PSR_ERR_USAGE,
				 "--batch-dir goes with --all-probes, --serial "
				 "A,B,... or --sim-count/--sim-set");
	if (kinds > 1)
		return out_error(PSR_ERR_USAGE,
				 "choose one of --all-probes, --serial A,B,... "
				 "and --sim-count/--sim-set");
	if (g->sim_count && g->sim_sets.n)
		return out_error(PSR_ERR_USAGE,
				 "--sim-count and --sim-set exclude each other "
				 "(one --sim-set per board)");
	if ((g->sim_count || g->sim_sets.n) &&
	    (g->board || g->interface || g->serial || g->usb_path ||
	     g->sim_faults.n || g->connect))
		return out_error(PSR_ERR_USAGE,
				 "simulated batches take their faults from "
				 "--sim-set, and no --board, --interface, "
				 "--serial, --usb-path, --sim-fault or "
				 "--connect");
	if (!(g->sim_count || g->sim_sets.n) && (g->sim || g->connect))
		return out_error(PSR_ERR_USAGE,
				 "--all-probes and --serial A,B,... check real "
				 "boards: no --sim or --connect");
	if (g->usb_path && !(g->sim_count || g->sim_sets.n))
		return out_error(PSR_ERR_USAGE,
				 "--usb-path names one probe: not with a "
				 "batch");
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--junit") ||
		    !strncmp(argv[i], "--junit=", 8))
			return out_error(PSR_ERR_USAGE,
					 "--junit: a batch writes one JUnit "
					 "file per board into --batch-dir");
	return check_dir(g->batch_dir ? g->batch_dir : ".");
}

int verify_batch_run(const struct global_options *g, int argc, char **argv)
{
	struct batch *bt;
	char *self;
	int r, handle, worst;

	r = check_request(g, argc, argv);
	if (r)
		return r;
	self = self_path();
	if (!self)
		return out_error(PSR_ERR_SYSTEM,
				 "cannot find psramctl's own path");
	bt = psr_calloc(1, sizeof(*bt));
	r = plan(bt, g, argc, argv, self, g->batch_dir ? g->batch_dir : ".");
	free(self);
	clock_gettime(CLOCK_MONOTONIC, &bt->t0);
	bt->fancy = !out_json() && term_escapes_ok(STDOUT_FILENO);
	handle = cleanup_push(stop_all, bt);
	if (!r && !out_json()) {
		printf("verify: %d boards at once, each with its own "
		       "OpenOCD\n",
		       bt->n);
		fflush(stdout);
	}
	for (int i = 0; !r && i < bt->n; i++) {
		if (bt->b[i].done) {
			if (!bt->fancy && !out_json())
				say_done(bt, &bt->b[i]);
			continue;
		}
		r = spawn(&bt->b[i]);
		if (r)
			bt->n = i + (bt->b[i].pid > 0);
		/* Interrupted while they start: the boards started stop and
		 * report like the others, the rest never start. */
		if (r == PSR_ERR_INTERRUPTED)
			r = 0;
	}
	if (!r) {
		loop(bt);
		worst = summary(bt);
		r = worst == 0   ? 0
		    : worst == 1 ? PSR_ERR_TEST_FAILED
		    : worst == 2 ? PSR_ERR_USAGE
		    : worst == 130 ? PSR_ERR_INTERRUPTED
				   : PSR_ERR_TARGET;
		if (r && r != PSR_ERR_INTERRUPTED)
			out_error(r, "%s", worst == 1
					? "a board failed verify"
					: "a board could not be checked");
	}
	cleanup_pop(handle, 1);
	for (int i = 0; i < bt->n; i++) {
		struct board *b = &bt->b[i];

		for (int k = 0; k < b->argc; k++)
			free(b->argv[k]);
		free(b->argv);
		if (b->json)
			fclose(b->json);
		if (b->out_fd >= 0)
			close(b->out_fd);
		if (b->err_fd >= 0)
			close(b->err_fd);
		free(b->name);
		free(b->label);
		free(b->faults);
		free(b->json_path);
		free(b->junit_path);
		sb_release(&b->out_part);
		sb_release(&b->err_part);
		sb_release(&b->fault_kinds);
		sb_release(&b->last_error);
	}
	free(bt);
	return r;
}
