#include "stub/target_clocks.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link/session.h"
#include "link/tcl_list.h"
#include "report/output.h"
#include "util/error.h"
#include "util/strbuf.h"

/* OpenOCD waits up to 1 s for the halt after a reset, then runs the
 * board's reset-init script (clocks, PLL locks): generous, since a stuck
 * reset is reported as such rather than as a hang. */
#define RESET_MS 10000
/* Computed and claimed clocks may differ by a fractional-PLL rounding. */
#define CLOCK_TOLERANCE 1e-4

int reset_init_log_error(const char *log, char *msg, size_t n)
{
	static const char tag[] = "Error executing event reset-init";
	const char *at = log ? strstr(log, tag) : NULL, *line, *end, *e;
	size_t len;

	if (!at || !n)
		return 0;
	line = strchr(at, '\n');
	line = line ? line + 1 : at;
	end = strchr(line, '\n');
	if (!end)
		end = line + strlen(line);
	/* "FILE:LINE: Error: message" → "message" */
	e = strstr(line, "Error: ");
	if (e && e < end)
		line = e + strlen("Error: ");
	len = (size_t)(end - line);
	if (!len) {
		line = at;
		len = strcspn(at, "\n");
	}
	if (len >= n)
		len = n - 1;
	memcpy(msg, line, len);
	msg[len] = '\0';
	return 1;
}

int target_reset_init(struct session *s)
{
	char *res = NULL, msg[200], shown[240];
	int r;

	r = tcl_link_exec(s->link, "capture {reset init}", &res, RESET_MS);
	if (r == PSR_ERR_TCL) {
		r = out_error(PSR_ERR_RESET_INIT,
			      "'reset init' failed: %s; the board's clock "
			      "setup did not run, nothing is tested",
			      out_printable(res ? res : "", shown,
					    sizeof(shown)));
	} else if (!r && reset_init_log_error(res, msg, sizeof(msg))) {
		r = out_error(PSR_ERR_RESET_INIT,
			      "the board's reset-init failed: %s; its clock "
			      "setup is incomplete, nothing is tested",
			      out_printable(msg, shown, sizeof(shown)));
	}
	free(res);
	return r;
}

/* All registers in one exchange, and each run of registers at
 * consecutive addresses in one `read_memory A 32 N`: every read_memory
 * ends in a flush, a round trip to the probe (docs/openocd.md §1), while
 * more words in the same one cost only their scans (docs/clocks.md §2).
 * Nothing between the runs is read. `concat` gives the values as one flat
 * list, in the order of f->regs. */
static void read_cmd(const struct clock_family *f, struct strbuf *cmd)
{
	sb_adds(cmd, "concat");
	for (size_t i = 0, n; i < f->nregs; i += n) {
		for (n = 1; i + n < f->nregs &&
			    f->regs[i + n].addr == f->regs[i].addr + 4 * n;
		     n++)
			;
		sb_addf(cmd, " [read_memory 0x%08x 32 %zu]",
			(unsigned)f->regs[i].addr, n);
	}
}

static int read_regs(struct session *s, const struct clock_family *f,
		     uint32_t *values)
{
	struct strbuf cmd;
	char *res = NULL, **v = NULL;
	int r, n = 0;

	sb_init(&cmd);
	read_cmd(f, &cmd);
	r = tcl_link_exec(s->link, cmd.buf, &res, 0);
	sb_release(&cmd);
	if (r == PSR_ERR_TCL)
		r = out_error(PSR_ERR_TARGET,
			      "cannot read the clock registers: %s", res);
	if (!r) {
		n = tcl_list_split(res, &v);
		if (n != (int)f->nregs)
			r = out_error(PSR_ERR_PROTOCOL,
				      "unexpected reply reading the clock "
				      "registers: '%s'",
				      res);
	}
	for (int i = 0; !r && i < n; i++) {
		char *end;
		unsigned long x = strtoul(v[i], &end, 0);

		if (*end || end == v[i] || x > 0xffffffffUL)
			r = out_error(PSR_ERR_PROTOCOL,
				      "unexpected value '%s' for %s", v[i],
				      f->regs[i].name);
		values[i] = (uint32_t)x;
	}
	if (n > 0)
		tcl_list_free(v, n);
	free(res);
	return r;
}

static int differs(uint64_t computed, uint64_t claimed)
{
	double d = (double)computed - (double)claimed;

	return (d < 0 ? -d : d) > CLOCK_TOLERANCE * (double)claimed;
}

int target_clocks_check(struct session *s, struct clock_tree *t)
{
	struct board_vars *bv = &s->vars;
	const struct clock_family *f = clock_family_find(bv->family);
	uint32_t values[CLOCK_TREE_MAX_REGS];
	struct clock_problem p;
	int r;

	memset(t, 0, sizeof(*t));
	if (!f) {
		out_warn("the clocks of a %s are not checked: psramctl has "
			 "no clock-tree module for it; the figures trust "
			 "the board file",
			 bv->family ? bv->family : "MCU of unknown family");
		return 0;
	}
	r = read_regs(s, f, values);
	if (r)
		return r;
	memset(&p, 0, sizeof(p));
	if (f->evaluate(values, bv->have & BV_HSE_HZ ? bv->hse_hz : 0, t, &p))
		return out_error(PSR_ERR_CLOCKS,
				 "clock check: %s (0x%08x) = 0x%08x: %s",
				 p.reg, (unsigned)p.addr, (unsigned)p.value,
				 p.what);
	out_debug("stub: clocks (%s): SYSCLK %llu Hz from %s, core %llu Hz, AXI "
		  "%llu Hz, xSPI kernel %llu Hz from %s, VOS%u, flash %u WS",
		  f->manual, (unsigned long long)t->sysclk_hz,
		  t->sysclk_source, (unsigned long long)t->cpu_hz,
		  (unsigned long long)t->axi_hz,
		  (unsigned long long)t->xspi_kernel_hz,
		  t->xspi_kernel_source, t->vos, t->flash_latency);
	if ((bv->have & BV_CPU_HZ) && differs(t->cpu_hz, bv->cpu_hz))
		return out_error(PSR_ERR_CLOCKS,
				 "clock check: the core runs at %.3f MHz "
				 "(SYSCLK from %s, %s), PSRAM_CPU_HZ says "
				 "%.3f MHz",
				 t->cpu_hz / 1e6, t->sysclk_source, f->manual,
				 bv->cpu_hz / 1e6);
	if ((bv->have & BV_KERNEL_HZ) &&
	    differs(t->xspi_kernel_hz, bv->kernel_hz))
		return out_error(PSR_ERR_CLOCKS,
				 "clock check: the xSPI kernel clock is %.3f "
				 "MHz (%s, RCC_D1CCIPR), PSRAM_KERNEL_HZ says "
				 "%.3f MHz",
				 t->xspi_kernel_hz / 1e6, t->xspi_kernel_source,
				 bv->kernel_hz / 1e6);
	bv->cpu_hz = t->cpu_hz;
	bv->kernel_hz = t->xspi_kernel_hz;
	bv->have |= BV_CPU_HZ | BV_KERNEL_HZ;
	return 0;
}
