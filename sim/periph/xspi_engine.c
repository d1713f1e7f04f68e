#include "periph/xspi_engine.h"

#include <stdio.h>
#include <string.h>

#include "util/log.h"
#include "util/stats.h"

uint32_t xspi_bits(uint32_t v, unsigned shift, unsigned width)
{
	return (v >> shift) & ((1U << width) - 1);
}

static enum xspi_fmode fmode(const struct xspi_engine *e)
{
	return e->desc->fmode(e);
}

static struct xspi_cmd decode(const struct xspi_engine *e,
			      enum xspi_cmd_set set)
{
	struct xspi_cmd c;

	memset(&c, 0, sizeof(c));
	e->desc->decode(e, set, &c);
	return c;
}

unsigned xspi_data_lines(const struct xspi_engine *e, enum xspi_cmd_set set)
{
	return decode(e, set).dmode;
}

uint64_t xspi_mem_bytes(const struct xspi_engine *e)
{
	return 2ULL << e->desc->size_code(e);
}

static unsigned fthres(const struct xspi_engine *e)
{
	return xspi_bits(e->cr, XSPI_CR_FTHRES_SHIFT, 5);
}

static uint32_t cpu_hz(const struct xspi_engine *e)
{
	/* Before the RCC model sets it: the H7/F7 reset clock is HSI. */
	return e->clk->cpu_hz ? e->clk->cpu_hz : 64000000U;
}

uint64_t xspi_clk_to_cpu(const struct xspi_engine *e, uint64_t anchor,
			 uint64_t k)
{
	unsigned __int128 num = (unsigned __int128)k * e->div * cpu_hz(e);

	return anchor + (uint64_t)((num + e->ker_hz - 1) / e->ker_hz);
}

static uint64_t cpu_ps(const struct xspi_engine *e, uint64_t cycles)
{
	return xspi_cycles_to_ps(cycles, cpu_hz(e));
}

/* ---- FIFO ----------------------------------------------------------------*/

void xspi_fifo_flush(struct xspi_engine *e)
{
	e->head = 0;
	e->level = 0;
}

void xspi_fifo_push(struct xspi_engine *e, uint8_t v)
{
	e->fifo[(e->head + e->level) % XSPI_FIFO_SIZE] = v;
	e->level++;
}

uint8_t xspi_fifo_pop(struct xspi_engine *e)
{
	uint8_t v = e->fifo[e->head];

	e->head = (e->head + 1) % XSPI_FIFO_SIZE;
	e->level--;
	return v;
}

/* ---- commands on the wire ------------------------------------------------*/

static void build_frame(struct xspi_engine *e, const struct xspi_cmd *c,
			uint32_t addr, enum xspi_dir dir, uint64_t len)
{
	struct xspi_frame *f = &e->frame;

	memset(f, 0, sizeof(*f));
	/* RM0399 §24.3.13, OCTOSPI_CCR.SIOO: with SIOO only the first
	 * command after a CCR write carries the instruction. */
	if (c->imode && !(c->sioo && e->instr_sent))
		xspi_frame_phase(f, XSPI_PH_INSTR, c->imode, c->isize,
				 c->instr, 0);
	if (c->admode)
		xspi_frame_phase(f, XSPI_PH_ADDR, c->admode, c->adsize, addr,
				 0);
	if (c->abmode)
		xspi_frame_phase(f, XSPI_PH_ALT, c->abmode, c->absize, c->alt,
				 0);
	xspi_frame_phase(f, XSPI_PH_DUMMY, c->dmode, 0, 0, c->dcyc);
	if (c->dmode && dir != XSPI_DIR_NONE)
		xspi_frame_phase(f, XSPI_PH_DATA, c->dmode, 0, 0, 0);
	f->dir = c->dmode ? dir : XSPI_DIR_NONE;
	f->data_len = c->dmode ? len : 0;
	f->clk_hz = e->ker_hz / e->div;
}

/* Works out the next command's frame and timing without touching the wire:
 * when NCS can fall (CSHT + 1 CLK cycles after it rose, RM0399 §24.5.2,
 * OCTOSPI_DCR1.CSHT) and the CLK figures. Returns false when the block has
 * no kernel clock. */
static bool command_plan(struct xspi_engine *e, uint64_t t_req,
			 uint32_t addr, enum xspi_dir dir, uint64_t len)
{
	struct xspi_cmd c = decode(e, e->set);
	uint64_t fall = t_req;
	uint32_t period_ps, low_ps, kper_ps;

	e->ker_hz = e->kernel_hz ? e->kernel_hz(e->kernel_ctx) : 0;
	if (!e->ker_hz) {
		sim_log(LOG_GUEST_ERROR,
			"%s: command with no kernel clock (%s): BUSY stays set",
			e->name, e->desc->kernel_clock_src);
		return false;
	}
	e->div = c.div;
	build_frame(e, &c, addr, dir, len);
	if (e->cs_rise_valid) {
		uint64_t earliest = xspi_clk_to_cpu(e, e->cs_rise, c.csht + 1);

		if (earliest > fall)
			fall = earliest;
	}
	kper_ps = (uint32_t)(1000000000000ULL / e->ker_hz);
	period_ps = (uint32_t)(1000000000000ULL * e->div / e->ker_hz);
	/* RM0399 CR.PRESCALER, OCTOSPI_DCR2.PRESCALER: with an odd division
	 * factor CLK stays low one kernel cycle longer than high; SSHIFT
	 * samples half a CLK later (RM0399 §24.3.10). */
	low_ps = e->div == 1 ? period_ps / 2 : (e->div + 1) / 2 * kper_ps;
	e->clocking.clk_hz = e->ker_hz / e->div;
	e->clocking.period_ps = period_ps;
	e->clocking.sample_ps = c.sshift ? period_ps : low_ps;
	e->cs_fall = fall;
	e->anchor = fall;
	/* RM0433 §23.3.16 (RM0399 §24.3.16, RM0455's OCTOSPI "NCS
	 * behavior"): NCS falls one CLK cycle before the first rising edge,
	 * so edge j of the header comes j periods after it, as the wire sees
	 * it (xspi_wire_select). */
	e->k = xspi_frame_header_cycles(&e->frame);
	e->total = e->frame.data_len;
	e->done = 0;
	e->stalled = false;
	return true;
}

/* NCS falls and the planned header (instruction to dummy cycles) goes out. */
static void command_start(struct xspi_engine *e)
{
	const struct xspi_phase *ph = e->frame.ph;

	e->on_wire = true;
	e->instr_sent = true;
	sim_stats.xspi_commands++;
	e->reaches_chip = e->desc->reaches_chip(e);
	if (!e->reaches_chip)
		return;
	xspi_wire_select(e->wire, cpu_ps(e, e->cs_fall), &e->clocking,
			 &e->frame);
	/* Instruction, address and alternate bytes, in that order. */
	for (unsigned id = XSPI_PH_INSTR; id <= XSPI_PH_ALT; id++)
		if (ph[id].lines)
			xspi_wire_send(e->wire, ph[id].lines, ph[id].value,
				       8U * ph[id].bytes);
	if (ph[XSPI_PH_DUMMY].cycles)
		xspi_wire_dummy(e->wire, ph[XSPI_PH_DUMMY].lines,
				ph[XSPI_PH_DUMMY].cycles);
}

bool xspi_command_begin(struct xspi_engine *e, enum xspi_cmd_set set,
			uint64_t t_req, uint32_t addr, enum xspi_dir dir,
			uint64_t len)
{
	e->set = set;
	if (!command_plan(e, t_req, addr, dir, len))
		return false;
	command_start(e);
	return true;
}

uint64_t xspi_next_byte_at(const struct xspi_engine *e)
{
	return xspi_clk_to_cpu(e, e->anchor,
			       e->k + e->frame.ph[XSPI_PH_DATA].cycles);
}

/* NCS rises one CLK cycle after the final rising edge, in mode 0 and in
 * SDR mode 3 alike (RM0433 §23.3.16 "NCS behavior", RM0399 §24.3.16
 * Figures 136 and 137, RM0385's QUADSPI "nCS behavior", RM0455's OCTOSPI
 * "NCS behavior"): the chip sees one period of hold whatever CKMODE, CSHT
 * or SSHIFT (CSHT sets the high time between commands, SSHIFT only when
 * the controller samples). */
uint64_t xspi_end_at(const struct xspi_engine *e)
{
	return xspi_clk_to_cpu(e, e->anchor, e->k + 1);
}

uint8_t xspi_byte_in(struct xspi_engine *e)
{
	e->k += e->frame.ph[XSPI_PH_DATA].cycles;
	e->done++;
	if (!e->reaches_chip)
		return 0;
	return xspi_wire_recv_byte(e->wire, e->frame.ph[XSPI_PH_DATA].lines);
}

void xspi_byte_out(struct xspi_engine *e, uint8_t v)
{
	e->k += e->frame.ph[XSPI_PH_DATA].cycles;
	e->done++;
	if (e->reaches_chip)
		xspi_wire_send(e->wire, e->frame.ph[XSPI_PH_DATA].lines, v, 8);
}

void xspi_resume(struct xspi_engine *e, uint64_t t)
{
	e->stalled = false;
	/* Data that comes before the cycle the stall stopped would have
	 * ended are in time for it; later, CLK starts again from then. */
	if (t > xspi_clk_to_cpu(e, e->anchor, e->k + 1)) {
		e->anchor = t;
		e->k = 0;
		if (e->reaches_chip)
			xspi_wire_resume_at(e->wire, cpu_ps(e, t));
	}
}

static void trace_command(const struct xspi_engine *e, uint64_t low_ns)
{
	const struct xspi_frame *f = &e->frame;
	const char *dir = f->dir == XSPI_DIR_READ    ? "read"
			  : f->dir == XSPI_DIR_WRITE ? "write"
						     : "no-data";
	char modes[16];

	xspi_frame_modes(f, modes, sizeof(modes));
	if (e->desc->trace_marks_absent)
		sim_trace("%s: %s%02x %s addr=%s%06x dcyc=%u %s %llu B "
			  "at %.3f MHz, NCS low %.3f us", e->trace_name,
			  f->ph[XSPI_PH_INSTR].lines ? "0x" : "-",
			  f->ph[XSPI_PH_INSTR].lines
				  ? (unsigned)f->ph[XSPI_PH_INSTR].value : 0U,
			  modes, f->ph[XSPI_PH_ADDR].lines ? "0x" : "-",
			  (unsigned)f->ph[XSPI_PH_ADDR].value,
			  (unsigned)f->ph[XSPI_PH_DUMMY].cycles, dir,
			  (unsigned long long)e->done, f->clk_hz / 1e6,
			  low_ns / 1e3);
	else
		sim_trace("%s: 0x%x %s addr=0x%06x dcyc=%u %s %llu B "
			  "at %.3f MHz, NCS low %.3f us", e->trace_name,
			  (unsigned)f->ph[XSPI_PH_INSTR].value, modes,
			  (unsigned)f->ph[XSPI_PH_ADDR].value,
			  (unsigned)f->ph[XSPI_PH_DUMMY].cycles, dir,
			  (unsigned long long)e->done, f->clk_hz / 1e6,
			  low_ns / 1e3);
}

void xspi_command_end(struct xspi_engine *e, uint64_t t)
{
	uint64_t low_ns;

	if (!e->on_wire)
		return;
	/* An operation cut short (a memory-mapped access elsewhere, an
	 * abort while CLK runs) still ends its CLK cycle: NCS rises no
	 * sooner than one CLK after the final rising edge (RM0433
	 * §23.3.16). A stalled one stopped CLK long before. */
	if (!e->stalled && t < xspi_clk_to_cpu(e, e->anchor, e->k + 1))
		t = xspi_clk_to_cpu(e, e->anchor, e->k + 1);
	if (e->reaches_chip)
		xspi_wire_deselect(e->wire, cpu_ps(e, t));
	e->on_wire = false;
	e->stalled = false;
	e->cs_rise = t;
	e->cs_rise_valid = true;
	sim_stats.xspi_bytes += e->done;
	low_ns = (uint64_t)((unsigned __int128)(t - e->cs_fall) * 1000000000U /
			    cpu_hz(e));
	if (low_ns > e->max_cs_low_ns)
		e->max_cs_low_ns = low_ns;
	if (sim_log_tracing())
		trace_command(e, low_ns);
}

/* ---- time: bring the operation up to `now` --------------------------------*/

static void poll_advance(struct xspi_engine *e, uint64_t now);

static void indirect_advance(struct xspi_engine *e, uint64_t now)
{
	while (e->on_wire) {
		if (e->done == e->total) {
			uint64_t t = xspi_end_at(e);

			if (t > now)
				return;
			xspi_command_end(e, t);
			/* RM0399 §24.5.3: TCF when the programmed number of
			 * bytes is transferred; extra written bytes are
			 * flushed then (§24.3.5). */
			e->flags |= XSPI_SR_TCF;
			if (e->op == XSPI_OP_WRITE)
				xspi_fifo_flush(e);
			e->op = XSPI_OP_IDLE;
			return;
		}
		if (e->stalled)
			return;
		if ((e->op == XSPI_OP_WRITE && e->level == 0) ||
		    (e->op == XSPI_OP_READ && e->level == XSPI_FIFO_SIZE)) {
			e->stalled = true;
			e->stalled_at = xspi_clk_to_cpu(e, e->anchor, e->k + 1);
			return;
		}
		if (xspi_next_byte_at(e) > now)
			return;
		if (e->op == XSPI_OP_WRITE)
			xspi_byte_out(e, xspi_fifo_pop(e));
		else
			xspi_fifo_push(e, xspi_byte_in(e));
	}
}

void xspi_advance(struct xspi_engine *e, uint64_t now)
{
	switch (e->op) {
	case XSPI_OP_WRITE:
	case XSPI_OP_READ:
		indirect_advance(e, now);
		break;
	case XSPI_OP_POLL:
		poll_advance(e, now);
		break;
	case XSPI_OP_MM_READ:
	case XSPI_OP_MM_WRITE:
		e->desc->mm_advance(e, now);
		break;
	case XSPI_OP_IDLE:
	case XSPI_OP_FRCM:
	case XSPI_OP_HUNG:
		break;
	}
}

uint64_t xspi_next_event(const struct xspi_engine *e)
{
	if (!e->on_wire || e->stalled)
		return UINT64_MAX;
	if (e->done == e->total)
		return xspi_end_at(e);
	return xspi_next_byte_at(e);
}

void xspi_stall_for_fifo(struct xspi_engine *e, unsigned need, bool reading)
{
	for (;;) {
		uint64_t t;

		if (reading ? e->level >= need
			    : XSPI_FIFO_SIZE - e->level >= need)
			return;
		t = xspi_next_event(e);
		if (t == UINT64_MAX)
			return;
		vclock_stall_until(e->clk, t);
		xspi_advance(e, t);
	}
}

/* ---- automatic status polling (RM0399 §24.3.6) ----------------------------*/

static void poll_once(struct xspi_engine *e)
{
	unsigned n = e->dlr > 3 ? 4 : e->dlr + 1;
	uint32_t status = 0, mask = e->psmkr;
	bool match;

	for (unsigned i = 0; i < n; i++)
		status |= (uint32_t)xspi_byte_in(e) << (8 * i);
	e->poll_dr = status;
	e->poll_ftf = true;
	if (n < 4)
		mask &= (1U << (8 * n)) - 1;
	/* CR.PMM: AND mode needs every unmasked bit to match, OR mode one. */
	match = (e->cr & XSPI_CR_PMM) ? (~(status ^ e->psmar) & mask) != 0
				      : ((status ^ e->psmar) & mask) == 0;
	if (match)
		e->flags |= XSPI_SR_SMF;
	xspi_command_end(e, xspi_end_at(e));
	if (match && (e->cr & XSPI_CR_APMS)) {
		e->op = XSPI_OP_IDLE;
		return;
	}
	/* The next poll INTERVAL CLK cycles after this one ended. */
	e->poll_at = xspi_clk_to_cpu(e, e->cs_rise, xspi_bits(e->pir, 0, 16));
}

static void poll_advance(struct xspi_engine *e, uint64_t now)
{
	while (e->op == XSPI_OP_POLL) {
		unsigned n = e->dlr > 3 ? 4 : e->dlr + 1;
		uint64_t data_cycles, t_end;

		if (e->poll_at > now)
			return;
		e->set = XSPI_SET_REGULAR;
		if (!command_plan(e, e->poll_at, e->ar, XSPI_DIR_READ, n)) {
			e->op = XSPI_OP_HUNG;
			return;
		}
		/* A poll is only observable once it is over: it goes on the
		 * wire when `now` has passed its end. */
		data_cycles = (uint64_t)n * e->frame.ph[XSPI_PH_DATA].cycles;
		t_end = xspi_clk_to_cpu(e, e->anchor, e->k + data_cycles + 1);
		e->poll_end = t_end;
		if (t_end > now)
			return;
		command_start(e);
		poll_once(e);
	}
}

/* ---- starting operations --------------------------------------------------*/

bool xspi_enabled(struct xspi_engine *e, const char *what)
{
	if (e->cr & XSPI_CR_EN)
		return true;
	sim_log(LOG_GUEST_ERROR, "%s: %s while CR.EN = 0: no command starts%s",
		e->name, what, e->desc->enable_cite);
	return false;
}

static void start_indirect(struct xspi_engine *e, const char *trigger,
			   bool keep_fifo)
{
	enum xspi_fmode fm = fmode(e);
	struct xspi_cmd c = decode(e, XSPI_SET_REGULAR);
	uint64_t size = xspi_mem_bytes(e);
	uint64_t len;
	uint64_t now = vclock_now(e->clk);

	if (!xspi_enabled(e, trigger))
		return;
	if (e->desc->may_start && !e->desc->may_start(e, fm))
		return;
	e->desc->check_frame(e, XSPI_SET_REGULAR, fm != XSPI_FMODE_WRITE);
	if (!c.dmode) {
		len = 0;
	} else if (e->dlr == 0xFFFFFFFFU) {
		/* Undefined length: up to the end of the memory, or forever
		 * with FSIZE/DEVSIZE = 31 (RM0399 §24.3.5). */
		len = e->desc->size_code(e) == 31
			      ? XSPI_LEN_UNBOUNDED
			      : (c.has_addr && e->ar < size ? size - e->ar
							    : size);
	} else {
		len = (uint64_t)e->dlr + 1;
	}
	/* RM0399 §24.3.14, OCTOSPI_SR.TEF: TEF for an address beyond the
	 * memory, and in indirect mode for address + length beyond it, as
	 * soon as triggered. */
	if (c.has_addr && (e->ar >= size || (fm != XSPI_FMODE_POLL &&
					     len != XSPI_LEN_UNBOUNDED &&
					     e->ar + len > size))) {
		e->flags |= XSPI_SR_TEF;
		sim_trace("%s: TEF: address 0x%08x + %llu bytes beyond %s "
			  "(%llu bytes)", e->trace_name, (unsigned)e->ar,
			  (unsigned long long)len, e->desc->size_name,
			  (unsigned long long)size);
		return;
	}
	if (fm == XSPI_FMODE_POLL) {
		if (e->dlr > 3)
			sim_log(LOG_GUEST_ERROR,
				"%s: DLR = %u in status-polling mode%s: 4 "
				"bytes are read", e->name, (unsigned)e->dlr,
				e->desc->poll_dlr_note);
		e->op = XSPI_OP_POLL;
		e->poll_at = now;
		e->poll_ftf = false;
		xspi_advance(e, now);
		return;
	}
	if (!keep_fifo)
		xspi_fifo_flush(e);
	e->fifo_read = fm == XSPI_FMODE_READ;
	if (!xspi_command_begin(e, XSPI_SET_REGULAR, now, e->ar,
				fm == XSPI_FMODE_READ ? XSPI_DIR_READ
						      : XSPI_DIR_WRITE,
				len)) {
		e->op = XSPI_OP_HUNG;
		return;
	}
	e->op = fm == XSPI_FMODE_READ ? XSPI_OP_READ : XSPI_OP_WRITE;
	if (e->frame.dir == XSPI_DIR_NONE)
		e->total = 0;
	xspi_advance(e, now);
}

void xspi_trigger(struct xspi_engine *e, const char *what)
{
	switch (fmode(e)) {
	case XSPI_FMODE_WRITE:
		/* RM0399 §24.3.5: with no data phase a write starts at
		 * once. */
		if (!xspi_data_lines(e, XSPI_SET_REGULAR))
			start_indirect(e, what, false);
		break;
	case XSPI_FMODE_READ:
	case XSPI_FMODE_POLL:
		start_indirect(e, what, false);
		break;
	case XSPI_FMODE_MMAP:
		break;
	}
}

bool xspi_busy(const struct xspi_engine *e)
{
	switch (e->op) {
	case XSPI_OP_IDLE:
		return e->fifo_read && e->level > 0;
	case XSPI_OP_MM_READ:
		/* An OCTOSPI prefetch whose NCS was released waits for the
		 * next access without BUSY. */
		return e->on_wire;
	default:
		return true;
	}
}

void xspi_stop(struct xspi_engine *e, uint64_t now)
{
	if (e->on_wire)
		xspi_command_end(e, now);
	xspi_fifo_flush(e);
	e->op = XSPI_OP_IDLE;
	e->stalled = false;
}

/* ---- registers ------------------------------------------------------------*/

uint32_t xspi_sr_value(const struct xspi_engine *e)
{
	uint32_t sr = e->flags;
	enum xspi_fmode fm = fmode(e);

	if (xspi_busy(e))
		sr |= XSPI_SR_BUSY;
	switch (fm) {
	case XSPI_FMODE_POLL:
		/* RM0399 §24.5.3: FLEVEL is 0 in polling and mapped modes. */
		if (e->poll_ftf)
			sr |= XSPI_SR_FTF;
		break;
	case XSPI_FMODE_MMAP:
		break;
	case XSPI_FMODE_WRITE:
	case XSPI_FMODE_READ:
		sr |= e->level << XSPI_SR_FLEVEL_SHIFT;
		if (e->fifo_read) {
			bool all_in = e->op != XSPI_OP_READ ||
				      e->done == e->total;

			if (e->level >= fthres(e) + 1 || (all_in && e->level))
				sr |= XSPI_SR_FTF;
		} else if (fm == XSPI_FMODE_WRITE && (e->cr & XSPI_CR_EN) &&
			   xspi_data_lines(e, XSPI_SET_REGULAR) &&
			   XSPI_FIFO_SIZE - e->level >= fthres(e) + 1) {
			/* Gated by EN and a data phase so that SR reads its
			 * reset value 0 (RM0399 Table 204) (inferred). */
			sr |= XSPI_SR_FTF;
		}
		break;
	}
	return sr;
}

void xspi_refused(struct xspi_engine *e, const char *reg, uint32_t value)
{
	sim_log(LOG_GUEST_ERROR,
		"%s: %s <- 0x%08x while BUSY = 1: ignored (%s: writable only "
		"when BUSY = 0)", e->name, reg, (unsigned)value,
		e->desc->busy_cite);
}

uint32_t xspi_reserved_check(struct xspi_engine *e, const char *reg,
			     uint32_t value, uint32_t mask)
{
	if (value & ~mask)
		sim_log(LOG_GUEST_ERROR,
			"%s: %s <- 0x%08x sets reserved bits 0x%08x (%s)",
			e->name, reg, (unsigned)value,
			(unsigned)(value & ~mask), e->desc->reserved_note);
	return value & mask;
}

void xspi_write_ar(struct xspi_engine *e, uint32_t value, uint32_t keep)
{
	/* RM0399 §24.5.7, OCTOSPI_AR: ignored when BUSY = 1 or
	 * FMODE = 11. */
	if (xspi_busy(e)) {
		xspi_refused(e, "AR", value);
		return;
	}
	if (fmode(e) == XSPI_FMODE_MMAP)
		return;
	e->ar = value & keep;
	if (decode(e, XSPI_SET_REGULAR).has_addr)
		xspi_trigger(e, "AR write");
}

static void write_dr(struct xspi_engine *e, uint32_t offset, unsigned size,
		     uint32_t value, uint64_t now)
{
	if (fmode(e) != XSPI_FMODE_WRITE ||
	    !xspi_data_lines(e, XSPI_SET_REGULAR)) {
		sim_log(LOG_GUEST_ERROR,
			"%s: DR write outside indirect-write mode with a data "
			"phase (FMODE = %u%s): ignored%s", e->name,
			(unsigned)fmode(e), e->desc->dr_write_fields,
			e->desc->dr_write_cite);
		return;
	}
	if (e->op == XSPI_OP_HUNG)
		return;
	if (e->op == XSPI_OP_IDLE) {
		if (!xspi_enabled(e, "DR write"))
			return;
		/* The first DR write starts the command (RM0399 §24.3.5). */
		xspi_fifo_flush(e);
		e->fifo_read = false;
		for (unsigned i = 0; i < size; i++)
			xspi_fifo_push(e, (uint8_t)(value >> (8 * i)));
		start_indirect(e, "DR write", true);
		if (e->op != XSPI_OP_WRITE)
			xspi_fifo_flush(e);
		return;
	}
	if (e->op != XSPI_OP_WRITE)
		return;
	/* RM0399 §24.5.9: a write to a full FIFO stalls until there is room. */
	xspi_stall_for_fifo(e, size, false);
	if (e->op == XSPI_OP_IDLE) {
		/* The command ended while the write waited (the FIFO held
		 * bytes beyond DLR): this write starts the next one. */
		write_dr(e, offset, size, value, vclock_now(e->clk));
		return;
	}
	if (XSPI_FIFO_SIZE - e->level < size) {
		sim_log(LOG_GUEST_ERROR,
			"%s: DR write with a full FIFO that will not drain: "
			"dropped", e->name);
		return;
	}
	now = vclock_now(e->clk);
	for (unsigned i = 0; i < size; i++)
		xspi_fifo_push(e, (uint8_t)(value >> (8 * i)));
	if (e->stalled)
		xspi_resume(e, now);
	xspi_advance(e, now);
}

static uint32_t read_dr(struct xspi_engine *e, unsigned size)
{
	uint32_t v = 0;
	uint64_t now;
	unsigned n;

	switch (fmode(e)) {
	case XSPI_FMODE_MMAP:
		return 0;	/* RM0399 §24.3.12 */
	case XSPI_FMODE_POLL:
		/* RM0399 §24.3.6: the last status, unmasked; the read clears
		 * FTF. */
		e->poll_ftf = false;
		return size == 4 ? e->poll_dr
				 : e->poll_dr & ((1U << (8 * size)) - 1);
	case XSPI_FMODE_WRITE:
	case XSPI_FMODE_READ:
		break;
	}
	if (!e->fifo_read) {
		/* Idle in indirect-write mode (as after reset) DR reads its
		 * reset value 0, which a register dump may read (RM0399
		 * Table 204): traced; reading it while write data waits in
		 * the FIFO, or before a read was started, is a mistake. */
		if (fmode(e) == XSPI_FMODE_WRITE && !e->level &&
		    e->op == XSPI_OP_IDLE)
			sim_trace("%s: DR read while idle: 0", e->trace_name);
		else
			sim_log(LOG_GUEST_ERROR,
				"%s: DR read with no indirect read in "
				"progress%s: returns 0", e->name,
				e->desc->dr_cite);
		return 0;
	}
	/* RM0399 §24.5.9: too few bytes while BUSY stalls the read until
	 * they arrive or the transfer completes. */
	xspi_stall_for_fifo(e, size, true);
	now = vclock_now(e->clk);
	if (!e->level) {
		sim_log(LOG_GUEST_ERROR,
			"%s: DR read with an empty FIFO and %s%s: returns 0",
			e->name,
			e->op == XSPI_OP_HUNG ? e->desc->hung_empty
					      : "no data to come",
			e->desc->dr_cite);
		return 0;
	}
	n = size < e->level ? size : e->level;
	for (unsigned i = 0; i < n; i++)
		v |= (uint32_t)xspi_fifo_pop(e) << (8 * i);
	if (e->stalled && e->op == XSPI_OP_READ &&
	    XSPI_FIFO_SIZE - e->level >= XSPI_FIFO_RESTART_FREE)
		xspi_resume(e, now);
	xspi_advance(e, now);
	return v;
}

/* The xspi-wait fault: the access completes `bus_wait` core cycles later,
 * as on a bus matrix another master keeps busy (RM0433 §2.1). */
static void bus_wait(struct xspi_engine *e)
{
	if (e->bus_wait)
		vclock_stall_until(e->clk, vclock_now(e->clk) + e->bus_wait);
}

bool xspi_reg_read(void *dev, uint32_t offset, unsigned size,
		   uint32_t *value, enum bus_master master)
{
	struct xspi_engine *e = dev;
	uint32_t reg = offset & ~3U, v;

	(void)master;
	bus_wait(e);
	xspi_advance(e, vclock_now(e->clk));
	if (reg == e->desc->dr) {
		*value = e->desc->dr_access_ok(e, offset, size, false)
				 ? read_dr(e, size)
				 : 0;
	} else if (!e->desc->reg_value(e, reg, &v)) {
		sim_log(LOG_GUEST_ERROR,
			"%s: read of reserved offset 0x%03x%s", e->name,
			(unsigned)offset, e->desc->reserved_cite);
		*value = 0;
	} else {
		v >>= 8 * (offset & 3U);
		*value = size == 4 ? v : v & ((1U << (8 * size)) - 1);
	}
	xspi_irq_update(e);
	return true;
}

bool xspi_reg_write(void *dev, uint32_t offset, unsigned size,
		    uint32_t value, enum bus_master master)
{
	struct xspi_engine *e = dev;
	uint32_t reg = offset & ~3U, cur;
	unsigned lane = offset & 3U;
	uint64_t now;

	(void)master;
	bus_wait(e);
	now = vclock_now(e->clk);
	xspi_advance(e, now);
	if (reg == e->desc->dr) {
		if (e->desc->dr_access_ok(e, offset, size, true))
			write_dr(e, offset, size, value, now);
	} else {
		if (size < 4 && e->desc->reg_value(e, reg, &cur)) {
			/* A narrow write replaces its byte lanes of the
			 * register. */
			uint32_t mask = (size == 2 ? 0xFFFFU : 0xFFU)
					<< (8 * lane);

			if (reg == e->desc->fcr || reg == e->desc->sr)
				cur = 0;
			value = (cur & ~mask) | ((value << (8 * lane)) & mask);
		}
		e->desc->write_reg(e, reg, value, now);
	}
	xspi_irq_update(e);
	return true;
}

/* ---- interrupt ------------------------------------------------------------*/

/* CR bits 20:16 (TOIE, SMIE, FTIE, TCIE, TEIE) enable the SR flags of bits
 * 4:0 (TOF, SMF, FTF, TCF, TEF) one for one, in both controllers (RM0399
 * §24.4 and Table 203 for QUADSPI; RM0455 OCTOSPI_CR for OCTOSPI); the
 * line is high while an enabled flag is set. */
#define CR_IE_SHIFT 16U
#define IE_FLAGS 0x1FU

/* While an enable is set, an event brings the model up to the time a flag
 * can next change, so the line rises then with no register access to
 * notice it. */
void xspi_irq_update(struct xspi_engine *e)
{
	uint32_t ie = (e->cr >> CR_IE_SHIFT) & IE_FLAGS;
	uint64_t now = vclock_now(e->clk), when;

	irq_set(&e->irq, (xspi_sr_value(e) & ie) != 0);
	when = ie ? e->desc->next_flag_change(e, now) : VCLOCK_NEVER;
	if (when == VCLOCK_NEVER)
		vclock_cancel(e->clk, &e->irq_ev);
	else
		vclock_schedule_at(e->clk, &e->irq_ev, when > now ? when : now);
}

static void on_irq_event(void *ctx)
{
	struct xspi_engine *e = ctx;

	xspi_advance(e, vclock_now(e->clk));
	xspi_irq_update(e);
}

void xspi_set_irq(struct xspi_engine *e, struct irq_line line)
{
	e->irq = line;
	xspi_irq_update(e);
}

/* ---- life cycle -----------------------------------------------------------*/

void xspi_init(struct xspi_engine *e, const struct xspi_desc *desc,
	       struct vclock *clk, xspi_kernel_hz_fn kernel_hz,
	       void *kernel_ctx, struct xspi_wire *wire)
{
	e->desc = desc;
	e->clk = clk;
	e->kernel_hz = kernel_hz;
	e->kernel_ctx = kernel_ctx;
	e->wire = wire;
	e->set = XSPI_SET_REGULAR;
	vclock_event_init(&e->irq_ev, on_irq_event, e);
}

void xspi_release(struct xspi_engine *e)
{
	if (e->on_wire)
		xspi_command_end(e, vclock_now(e->clk));
	vclock_cancel(e->clk, &e->irq_ev);
}

void xspi_reset(struct xspi_engine *e)
{
	xspi_release(e);
	e->cr = e->dlr = e->ar = 0;
	e->psmkr = e->psmar = e->pir = e->lptr = 0;
	e->flags = 0;
	e->poll_dr = 0;
	e->poll_ftf = false;
	e->instr_sent = false;
	xspi_fifo_flush(e);
	e->fifo_read = false;
	e->op = XSPI_OP_IDLE;
	e->set = XSPI_SET_REGULAR;
	e->stalled = false;
}
