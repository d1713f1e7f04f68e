#include "link/openocd_proc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "link/child.h"
#include "util/error.h"
#include "report/output.h"
#include "link/tcl_quote.h"

#define TAIL_LINES 5

struct ocd_proc {
	struct child *child;
	unsigned port;
};

char *ocd_script_command(const char *file)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_adds(&sb, "script ");
	tcl_quote(&sb, file);
	return sb_detach(&sb);
}

/* argv as a growing array of owned strings */
struct args {
	char **v;
	int n;
};

static void arg(struct args *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void arg(struct args *a, const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;

	sb_init(&sb);
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	a->v = psr_realloc(a->v, (size_t)(a->n + 2) * sizeof(*a->v));
	a->v[a->n++] = sb_detach(&sb);
	a->v[a->n] = NULL;
	sb_release(&sb);
}

static void arg_owned(struct args *a, char *s)
{
	a->v = psr_realloc(a->v, (size_t)(a->n + 2) * sizeof(*a->v));
	a->v[a->n++] = s;
	a->v[a->n] = NULL;
}

static void args_free(struct args *a)
{
	for (int i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
}

static void trace_argv(const struct args *a)
{
	struct strbuf sb;

	if (!out_verbose())
		return;
	sb_init(&sb);
	for (int i = 0; i < a->n; i++) {
		sb_adds(&sb, i ? " '" : "'");
		sb_adds(&sb, a->v[i]);
		sb_addc(&sb, '\'');
	}
	out_debug("starting %s", sb.buf);
	sb_release(&sb);
}

int ocd_proc_spawn(struct ocd_proc **out, const struct ocd_spawn *spec)
{
	const char *program = spec->program ? spec->program : "openocd";
	struct args a = {NULL, 0};
	struct child *c;
	char *path;
	char shown[256];
	int r;

	*out = NULL;
	path = child_find_program(program);
	if (!path) {
		if (spec->program && strchr(spec->program, '/'))
			return out_error(PSR_ERR_NO_OPENOCD,
					 "openocd not found at '%s'",
					 out_printable(program, shown,
						       sizeof(shown)));
		if (spec->program)
			return out_error(PSR_ERR_NO_OPENOCD,
					 "'%s' not found in PATH",
					 out_printable(program, shown,
						       sizeof(shown)));
		return out_error(PSR_ERR_NO_OPENOCD,
				 "openocd not found in PATH (install the "
				 "'openocd' package or use --openocd PATH)");
	}
	arg_owned(&a, path);
	arg(&a, "-s");
	arg(&a, "%s", spec->search_dir);
	/* cfg/sim.cfg: 0 is psramsim's port or socket not known yet */
	if (spec->sim_port_later) {
		arg(&a, "-c");
		arg(&a, "set PSRAMSIM_PORT 0");
	}
	if (spec->interface_cfg) {
		arg(&a, "-c");
		arg_owned(&a, ocd_script_command(spec->interface_cfg));
	}
	for (char *const *l = spec->pre_cmds; l && *l; l++) {
		arg(&a, "-c");
		arg(&a, "%s", *l);
	}
	arg(&a, "-c");
	arg_owned(&a, ocd_script_command(spec->board_cfg));
	for (char *const *l = spec->post_cmds; l && *l; l++) {
		arg(&a, "-c");
		arg(&a, "%s", *l);
	}
	if (spec->speed_khz) {
		arg(&a, "-c");
		arg(&a, "adapter speed %u", spec->speed_khz);
	}
	arg(&a, "-c");
	arg(&a, "gdb_port disabled");
	arg(&a, "-c");
	arg(&a, "telnet_port disabled");
	arg(&a, "-c");
	arg(&a, "tcl_port 0");
	if (spec->sim_port_later) {
		arg(&a, "-c");
		arg(&a, "noinit");
	}
	trace_argv(&a);
	r = child_spawn(&c, "openocd", a.v);
	if (r) {
		int e = errno;

		if (r == PSR_ERR_INTERRUPTED) {
			args_free(&a);
			return r;
		}
		r = out_error(e == ENOENT || e == EACCES ? PSR_ERR_NO_OPENOCD
							 : PSR_ERR_OPENOCD_START,
			      "cannot run '%s': %s",
			      out_printable(a.v[0], shown, sizeof(shown)),
			      strerror(e));
		args_free(&a);
		return r;
	}
	args_free(&a);
	*out = psr_calloc(1, sizeof(**out));
	(*out)->child = c;
	return 0;
}

int ocd_proc_wait_ready(struct ocd_proc *p, int timeout_ms)
{
	struct strbuf line;
	unsigned long port = 0;
	char *at;
	int r;

	sb_init(&line);
	r = child_wait_for(p->child, "for tcl connections", &line, timeout_ms);
	if (r == 0) {
		/* "Info : Listening on port 41233 for tcl connections" */
		at = strstr(line.buf, "on port ");
		port = at ? strtoul(at + 8, NULL, 10) : 0;
		if (port == 0 || port > 65535) {
			r = out_error(PSR_ERR_OPENOCD_START,
				      "cannot read OpenOCD's TCL port from "
				      "'%s'",
				      line.buf);
		}
	} else if (r == 1) {
		child_last_line(p->child, &line, 0);
		if (!line.len)
			child_describe_status(p->child, &line);
		r = out_error(PSR_ERR_OPENOCD_START, "openocd did not start: %s",
			      line.buf);
	} else if (r == PSR_ERR_TIMEOUT) {
		r = out_error(PSR_ERR_OPENOCD_START,
			      "openocd did not open its TCL port within %.1f s",
			      timeout_ms / 1000.0);
	}
	sb_release(&line);
	if (r) {
		if (r != PSR_ERR_INTERRUPTED)
			child_print_tail(p->child, TAIL_LINES, "  openocd: ");
		return r;
	}
	p->port = (unsigned)port;
	out_debug("openocd (pid %d) listens for tcl on port %u",
		  (int)child_pid(p->child), p->port);
	return 0;
}

int ocd_proc_start(struct ocd_proc **out, const struct ocd_spawn *spec)
{
	int r = ocd_proc_spawn(out, spec);

	if (!r)
		r = ocd_proc_wait_ready(*out, spec->timeout_ms);
	if (r && *out) {
		ocd_proc_stop(*out);
		*out = NULL;
	}
	return r;
}

pid_t ocd_proc_pid(const struct ocd_proc *p)
{
	return child_pid(p->child);
}

unsigned ocd_proc_port(const struct ocd_proc *p)
{
	return p->port;
}

int ocd_proc_check(void *proc, struct strbuf *msg)
{
	struct ocd_proc *p = proc;
	struct strbuf last;

	if (child_running(p->child)) {
		if (!child_stopped(p->child))
			return 0;
		sb_reset(msg);
		sb_addf(msg, "OpenOCD (pid %d) is stopped and does not answer",
			(int)child_pid(p->child));
		return PSR_ERR_TIMEOUT;
	}
	sb_init(&last);
	/* Killed by a signal, its log tells nothing about why. */
	if (!WIFSIGNALED(child_status(p->child)))
		child_last_line(p->child, &last, 1);
	sb_reset(msg);
	if (last.len) {
		sb_addf(msg, "OpenOCD exited: %s", last.buf);
	} else {
		sb_adds(msg, "OpenOCD exited (");
		child_describe_status(p->child, msg);
		sb_addc(msg, ')');
	}
	sb_release(&last);
	return PSR_ERR_OPENOCD_EXITED;
}

void ocd_proc_print_tail(struct ocd_proc *p)
{
	child_print_tail(p->child, TAIL_LINES, "  openocd: ");
}

int ocd_proc_exited_after(struct ocd_proc *p, int timeout_ms)
{
	return !child_running_after(p->child, timeout_ms);
}

void ocd_proc_stop(struct ocd_proc *p)
{
	if (!p)
		return;
	child_stop(p->child, 3000);
	free(p);
}
