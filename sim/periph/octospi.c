/* The OCTOSPI of the STM32H7A3/B3/B0 (RM0455 "Octo-SPI interface";
 * docs/hardware-stm32h7a3.md §6) on the shared xSPI engine
 * (xspi_engine.h): its register map with the memory-mapped write set,
 * what releases NCS in memory-mapped mode, the I/O manager's routing and
 * what the board does not wire. Sections cited by name are RM0455's
 * OCTOSPI sections. */
#include "periph/octospi.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/irq.h"
#include "periph/xspi_engine.h"
#include "util/log.h"

/* Writable bits of each register (RM0455 OCTOSPI register map). */
#define CR_MASK 0x30DF1FCFU
/* CR fields that can be modified only while BUSY = 0: FMODE, PMM, APMS,
 * FSEL, DQM, TCEN. */
#define CR_BUSY_LOCKED 0x30C000C8U
#define DCR1_MASK 0x071F070BU
#define DCR2_MASK 0x000700FFU
#define DCR3_MASK 0x001F00FFU
#define CCR_MASK 0xAF3F3F3FU
/* WCCR and WPCCR have no SIOO (bit 31 reserved). */
#define WCCR_MASK 0x2F3F3F3FU
#define TCR_MASK 0x5000001FU
#define WTCR_MASK 0x0000001FU
#define FCR_MASK 0x0000001BU
#define HLCR_MASK 0x00FFFF03U
#define DTR_BITS (OCTOSPI_CCR_IDTR | OCTOSPI_CCR_ADDTR | OCTOSPI_CCR_ABDTR | \
		  OCTOSPI_CCR_DDTR)
/* OpenOCD's stmqspi driver identifies the block by this magic ID. */
#define MID_VALUE 0xA3C5DD01U

/* One command register set: regular (CCR/TCR/IR/ABR) or memory-mapped
 * write (WCCR/WTCR/WIR/WABR). */
struct cmd_regs {
	uint32_t ccr, tcr, ir, abr;
};

struct octospi {
	struct xspi_engine e;	/* CR, DLR, AR, PSMKR, PSMAR, PIR, LPTR */
	unsigned instance;
	uint32_t window;
	octospi_routed_fn routed;
	void *routed_ctx;

	uint32_t dcr1, dcr2, dcr3, dcr4;
	struct cmd_regs reg, wreg, wpreg;
	uint32_t hlcr;
	uint32_t mm_addr;	/* memory-mapped: address of the burst's byte 0 */

	bool warned_dtr, warned_octal, warned_dqm, warned_hyper;
	bool warned_dma, warned_maxtran, warned_route, warned_mtyp;
};

/* The engine comes first: the bus hands the engine's mmio_ops a struct
 * octospi, and the engine's hooks get back to it from the engine. */
_Static_assert(offsetof(struct octospi, e) == 0, "engine first");

static struct octospi *of(struct xspi_engine *e)
{
	return (struct octospi *)e;
}

static const struct octospi *of_const(const struct xspi_engine *e)
{
	return (const struct octospi *)e;
}

/* *MODE encodings: 000 none, 001 one line, 010 two, 011 four, 100 eight;
 * 101-111 reserved. */
static unsigned lines_of(unsigned mode)
{
	static const unsigned lines[8] = {0, 1, 2, 4, 8, 0, 0, 0};

	return lines[mode & 7];
}

static enum xspi_fmode fmode(const struct xspi_engine *e)
{
	return (enum xspi_fmode)xspi_bits(e->cr, OCTOSPI_CR_FMODE_SHIFT, 2);
}

static const struct cmd_regs *cmd_regs(const struct octospi *o,
				       enum xspi_cmd_set set)
{
	return set == XSPI_SET_MM_WRITE ? &o->wreg : &o->reg;
}

static unsigned dmode_lines(const struct cmd_regs *c)
{
	return lines_of(xspi_bits(c->ccr, OCTOSPI_CCR_DMODE_SHIFT, 3));
}

static bool has_addr(const struct cmd_regs *c)
{
	return xspi_bits(c->ccr, OCTOSPI_CCR_ADMODE_SHIFT, 3) != 0;
}

/* A command register set; DCR2.PRESCALER, DCR1.CSHT and TCR.SSHIFT time
 * it. */
static void decode(const struct xspi_engine *e, enum xspi_cmd_set set,
		   struct xspi_cmd *c)
{
	const struct octospi *o = of_const(e);
	const struct cmd_regs *r = cmd_regs(o, set);
	unsigned isize = xspi_bits(r->ccr, OCTOSPI_CCR_ISIZE_SHIFT, 2) + 1;

	c->imode = lines_of(xspi_bits(r->ccr, OCTOSPI_CCR_IMODE_SHIFT, 3));
	c->isize = isize;
	c->instr = r->ir & (isize == 4 ? 0xFFFFFFFFU
				       : (1U << (8 * isize)) - 1);
	c->admode = lines_of(xspi_bits(r->ccr, OCTOSPI_CCR_ADMODE_SHIFT, 3));
	c->adsize = xspi_bits(r->ccr, OCTOSPI_CCR_ADSIZE_SHIFT, 2) + 1;
	c->has_addr = has_addr(r);
	c->abmode = lines_of(xspi_bits(r->ccr, OCTOSPI_CCR_ABMODE_SHIFT, 3));
	c->absize = xspi_bits(r->ccr, OCTOSPI_CCR_ABSIZE_SHIFT, 2) + 1;
	c->alt = r->abr;
	c->dcyc = r->tcr & OCTOSPI_TCR_DCYC_MASK;
	c->dmode = dmode_lines(r);
	c->sioo = r->ccr & OCTOSPI_CCR_SIOO;
	c->div = xspi_bits(o->dcr2, 0, 8) + 1;
	c->csht = xspi_bits(o->dcr1, OCTOSPI_DCR1_CSHT_SHIFT, 3);
	c->sshift = r->tcr & OCTOSPI_TCR_SSHIFT;
}

static unsigned size_code(const struct xspi_engine *e)
{
	return xspi_bits(of_const(e)->dcr1, OCTOSPI_DCR1_DEVSIZE_SHIFT, 5);
}

static void warn_once(bool *flag, const struct octospi *o, const char *what)
{
	if (!*flag)
		sim_log(LOG_UNIMP, "%s: %s", o->e.name, what);
	*flag = true;
}

/* The IO group of this OCTOSPI its single memory uses: CR.FSEL = 1
 * selects the memory on IO[7:4] (RM0455 OCTOSPI_CR.FSEL). */
static unsigned io_group(const struct octospi *o)
{
	return (o->e.cr & OCTOSPI_CR_FSEL) ? 1U : 0U;
}

static bool port1_routed(const struct octospi *o)
{
	return !o->routed || o->routed(o->routed_ctx, o->instance, io_group(o));
}

/* Whether this command can reach the board's chip: a single quad memory
 * wired to OCTOSPIM port 1 IO[3:0], SDR (docs/boards.md §1). */
static bool wire_reachable(struct xspi_engine *e)
{
	struct octospi *o = of(e);
	const struct xspi_phase *ph = e->frame.ph;
	unsigned mtyp = xspi_bits(o->dcr1, OCTOSPI_DCR1_MTYP_SHIFT, 3);

	if (e->cr & OCTOSPI_CR_DQM) {
		warn_once(&o->warned_dqm, o,
			  "dual-quad mode (CR.DQM): the board has one quad "
			  "memory: the command does not reach it");
		return false;
	}
	if (!port1_routed(o)) {
		warn_once(&o->warned_route, o,
			  io_group(o)
				  ? "CR.FSEL = 1 drives IO[7:4], which the I/O "
				    "manager does not route to port 1 IO[3:0] "
				    "(OCTOSPIM_P1CR): its commands do not reach "
				    "the board's pins"
				  : "the I/O manager does not route this OCTOSPI "
				    "to port 1 (OCTOSPIM_P1CR): its commands do "
				    "not reach the board's pins");
		return false;
	}
	if (cmd_regs(o, e->set)->ccr & DTR_BITS) {
		warn_once(&o->warned_dtr, o,
			  "DTR phases (CCR.IDTR/ADDTR/ABDTR/DDTR): the "
			  "memories here are SDR only: the command does not "
			  "reach the chip");
		return false;
	}
	for (unsigned i = 0; i < XSPI_PHASES; i++)
		if (ph[i].lines == 8) {
			warn_once(&o->warned_octal, o,
				  "octal phase: the board wires IO[3:0] only: "
				  "the command does not reach the chip");
			return false;
		}
	if (mtyp == 4 || mtyp == 5) {
		warn_once(&o->warned_hyper, o,
			  "DCR1.MTYP selects HyperBus, which these memories "
			  "do not speak: the command does not reach them");
		return false;
	}
	return true;
}

static void check_frame_rules(struct xspi_engine *e, enum xspi_cmd_set set,
			      bool reading)
{
	const struct cmd_regs *c = cmd_regs(of(e), set);
	unsigned dmode = xspi_bits(c->ccr, OCTOSPI_CCR_DMODE_SHIFT, 3);

	if (!xspi_bits(c->ccr, OCTOSPI_CCR_IMODE_SHIFT, 3) && !has_addr(c) &&
	    !xspi_bits(c->ccr, OCTOSPI_CCR_ABMODE_SHIFT, 3) && !dmode)
		sim_log(LOG_GUEST_ERROR,
			"%s: command with no instruction, address, alternate "
			"or data phase (RM0455 OCTOSPI regular-command mode: "
			"at least one must be present)", e->name);
	if (reading && lines_of(dmode) == 0)
		sim_log(LOG_GUEST_ERROR,
			"%s: read with DMODE = %u (RM0455 OCTOSPI CCR: %s)",
			e->name, dmode,
			dmode ? "a reserved code"
			      : "no data phase, for indirect write only");
	if (reading && dmode >= 2 && !(c->tcr & OCTOSPI_TCR_DCYC_MASK))
		sim_log(LOG_GUEST_ERROR,
			"%s: multi-line read with no dummy cycle: the "
			"turnaround has no time", e->name);
}

/* ---- memory-mapped bursts: what releases NCS ------------------------------
 * OCTOSPI_DCR3.CSBOUND: NCS rises at every 2^CSBOUND-byte boundary of the
 * address; OCTOSPI_DCR4.REFRESH: NCS rises after REFRESH + 1 CLK cycles of
 * a write (REFRESH + 4 of a read), the controller finishing the byte under
 * way; CR.TCEN with LPTR.TIMEOUT: NCS rises TIMEOUT CLK cycles after the
 * burst stopped (prefetch FIFO full, or no more data to write). None of
 * them set: NCS stays low until an access that does not continue the
 * burst, or an abort. */

static uint64_t burst_limit(const struct octospi *o, uint32_t addr)
{
	unsigned cb = xspi_bits(o->dcr3, OCTOSPI_DCR3_CSBOUND_SHIFT, 5);
	uint64_t bound;

	if (!cb)
		return XSPI_LEN_UNBOUNDED;
	bound = 1ULL << cb;
	return bound - (addr & (bound - 1));
}

/* When REFRESH releases NCS of the running command, or UINT64_MAX. */
static uint64_t refresh_at(const struct octospi *o)
{
	uint32_t refresh = o->dcr4;

	if (!refresh)
		return UINT64_MAX;
	return xspi_clk_to_cpu(&o->e, o->e.cs_fall,
			       (uint64_t)refresh +
				       (o->e.op == XSPI_OP_MM_READ ? 4U : 1U));
}

static uint64_t timeout_at(const struct octospi *o)
{
	if (!(o->e.cr & OCTOSPI_CR_TCEN))
		return UINT64_MAX;
	return xspi_clk_to_cpu(&o->e, o->e.stalled_at,
			       xspi_bits(o->e.lptr, 0, 16));
}

static void mm_release(struct octospi *o, uint64_t t, uint32_t flag)
{
	xspi_command_end(&o->e, t);
	o->e.flags |= flag;
}

/* A write burst continues where the previous one was cut (REFRESH or
 * CSBOUND) while written bytes wait in the FIFO. */
static void mm_write_continue(struct octospi *o, uint64_t t)
{
	uint32_t addr = o->mm_addr + (uint32_t)o->e.done;

	o->mm_addr = addr;
	if (!xspi_command_begin(&o->e, XSPI_SET_MM_WRITE, t, addr,
				XSPI_DIR_WRITE, burst_limit(o, addr)))
		o->e.op = XSPI_OP_HUNG;
}

static void mm_advance(struct xspi_engine *e, uint64_t now)
{
	struct octospi *o = of(e);
	bool reading = e->op == XSPI_OP_MM_READ;

	while (e->on_wire) {
		uint64_t t, tr = refresh_at(o);

		if (e->done == e->total) {
			/* CSBOUND boundary reached. */
			t = xspi_end_at(e);
			if (t > now)
				return;
			mm_release(o, t, 0);
			break;
		}
		if (e->stalled) {
			t = timeout_at(o);
			if (tr < t)
				t = tr < e->stalled_at ? e->stalled_at : tr;
			if (t > now)
				return;
			mm_release(o, t, t == tr ? 0 : OCTOSPI_SR_TOF);
			break;
		}
		if (reading ? e->level == OCTOSPI_FIFO_SIZE : e->level == 0) {
			e->stalled = true;
			e->stalled_at = xspi_clk_to_cpu(e, e->anchor, e->k + 1);
			continue;
		}
		if (xspi_next_byte_at(e) > tr) {
			t = xspi_end_at(e);
			if (t > now)
				return;
			mm_release(o, t, 0);
			break;
		}
		if (xspi_next_byte_at(e) > now)
			return;
		if (reading)
			xspi_fifo_push(e, xspi_byte_in(e));
		else
			xspi_byte_out(e, xspi_fifo_pop(e));
	}
	if (e->op == XSPI_OP_MM_WRITE && !e->on_wire) {
		if (e->level) {
			mm_write_continue(o, e->cs_rise);
			if (e->op == XSPI_OP_MM_WRITE)
				mm_advance(e, now);
			return;
		}
		e->op = XSPI_OP_IDLE;
	}
}

/* Ends what runs. A memory-mapped write burst first sends the bytes it
 * holds (the core waits for them), unless `drop` (abort, reset). */
static void stop(struct octospi *o, uint64_t now, bool drop)
{
	struct xspi_engine *e = &o->e;

	if (e->op == XSPI_OP_MM_WRITE && !drop) {
		while (e->op == XSPI_OP_MM_WRITE && e->level) {
			uint64_t t = xspi_next_event(e);

			if (t == UINT64_MAX)
				break;
			vclock_stall_until(e->clk, t);
			xspi_advance(e, t);
		}
		if (e->op == XSPI_OP_MM_WRITE && e->on_wire) {
			uint64_t t = xspi_end_at(e);

			if (t < now)
				t = now;
			vclock_stall_until(e->clk, t);
			xspi_command_end(e, t);
		}
		now = vclock_now(e->clk);
	} else if (e->op == XSPI_OP_MM_WRITE && e->level) {
		sim_log(LOG_GUEST_ERROR,
			"%s: %u written bytes of a memory-mapped write still "
			"in the FIFO are lost", e->name, e->level);
	}
	xspi_stop(e, now);
	e->fifo_read = false;
}

/* ---- registers ------------------------------------------------------------*/

static void write_cr(struct octospi *o, uint32_t value, uint64_t now)
{
	struct xspi_engine *e = &o->e;
	uint32_t old = e->cr;

	value = xspi_reserved_check(e, "CR", value, CR_MASK);
	if (xspi_busy(e) && ((value ^ old) & CR_BUSY_LOCKED)) {
		xspi_refused(e, "CR (FMODE/PMM/APMS/FSEL/DQM/TCEN)", value);
		value = (value & ~CR_BUSY_LOCKED) | (old & CR_BUSY_LOCKED);
	}
	if (value & OCTOSPI_CR_DMAEN)
		warn_once(&o->warned_dma, o,
			  "CR.DMAEN: DMA requests are not modelled");
	e->cr = value & ~OCTOSPI_CR_ABORT;
	/* RM0455 OCTOSPI_DLR: DL[0] is stuck at 1 in dual-memory
	 * configuration, so that each access moves an even number of
	 * bytes. */
	if (e->cr & OCTOSPI_CR_DQM)
		e->dlr |= 1U;
	if ((old ^ e->cr) & OCTOSPI_CR_FSEL)
		octospi_route_changed(o);
	if (((old & OCTOSPI_CR_EN) && !(value & OCTOSPI_CR_EN)) ||
	    ((old ^ value) & (3U << OCTOSPI_CR_FMODE_SHIFT)))
		stop(o, now, false);
	if (value & OCTOSPI_CR_ABORT) {
		/* OCTOSPI_CR.ABORT: the operation stops, the FIFO is
		 * flushed, BUSY clears; TCF reports it. ABORT self-clears. */
		if (xspi_busy(e) || e->op != XSPI_OP_IDLE)
			e->flags |= OCTOSPI_SR_TCF;
		stop(o, now, true);
	}
}

/* The instruction register triggers a command that has no address
 * phase (docs/hardware-stm32h7a3.md §6.3). */
static void write_ir(struct octospi *o, uint32_t value)
{
	if (xspi_busy(&o->e)) {
		xspi_refused(&o->e, "IR", value);
		return;
	}
	o->reg.ir = value;
	if (!has_addr(&o->reg))
		xspi_trigger(&o->e, "IR write");
}

static bool dr_access_ok(struct xspi_engine *e, uint32_t offset,
			 unsigned size, bool write)
{
	if (offset == OCTOSPI_DR)
		return true;
	sim_log(LOG_GUEST_ERROR,
		"%s: %u-byte DR %s at offset 0x%03x; byte and halfword "
		"accesses must target the bottom of DR: ignored", e->name,
		size, write ? "write" : "read", (unsigned)offset);
	return false;
}

/* Field encodings RM0455 marks reserved: DCR1.MTYP 110-111, DCR2.WRAPSIZE
 * 001 and 110-111, and the IMODE, ADMODE, ABMODE and DMODE fields of a
 * command set 101-111. The value is kept; what the controller does with
 * it is not documented. */
static void check_encodings(struct octospi *o, const char *name,
			    uint32_t reg, uint32_t value)
{
	static const struct {
		const char *field;
		unsigned shift;
	} modes[] = {{"IMODE", 0}, {"ADMODE", 8}, {"ABMODE", 16},
		     {"DMODE", 24}};
	unsigned v;

	switch (reg) {
	case OCTOSPI_DCR1:
		v = xspi_bits(value, OCTOSPI_DCR1_MTYP_SHIFT, 3);
		if (v >= 6)
			sim_log(LOG_GUEST_ERROR,
				"%s: DCR1.MTYP = %u is reserved (RM0455 "
				"OCTOSPI_DCR1)", o->e.name, v);
		else if (v == 3)
			warn_once(&o->warned_mtyp, o,
				  "DCR1.MTYP = 011 (Macronix RAM): its address "
				  "mapping is not modelled, commands run as in "
				  "standard mode");
		return;
	case OCTOSPI_DCR2:
		v = xspi_bits(value, OCTOSPI_DCR2_WRAPSIZE_SHIFT, 3);
		if (v == 1 || v >= 6)
			sim_log(LOG_GUEST_ERROR,
				"%s: DCR2.WRAPSIZE = %u is reserved (RM0455 "
				"OCTOSPI_DCR2)", o->e.name, v);
		return;
	case OCTOSPI_CCR:
	case OCTOSPI_WCCR:
	case OCTOSPI_WPCCR:
		for (unsigned i = 0; i < 4; i++) {
			v = xspi_bits(value, modes[i].shift, 3);
			if (v >= 5)
				sim_log(LOG_GUEST_ERROR,
					"%s: %s.%s = %u is reserved (RM0455 "
					"OCTOSPI_CCR)", o->e.name, name,
					modes[i].field, v);
		}
		return;
	}
}

/* Plain registers: where each one lives, its writable bits, and whether
 * BUSY = 1 locks it. */
struct plain_reg {
	uint32_t offset;
	const char *name;
	size_t field;		/* offsetof in struct octospi */
	uint32_t mask;
	bool busy_locked;
};

#define PLAIN(off, name, member, mask, locked)                                 \
	{off, name, offsetof(struct octospi, member), mask, locked}

static const struct plain_reg plain_regs[] = {
	PLAIN(OCTOSPI_DCR2, "DCR2", dcr2, DCR2_MASK, true),
	PLAIN(OCTOSPI_DCR3, "DCR3", dcr3, DCR3_MASK, true),
	PLAIN(OCTOSPI_DCR4, "DCR4", dcr4, 0xFFFFFFFFU, true),
	PLAIN(OCTOSPI_DLR, "DLR", e.dlr, 0xFFFFFFFFU, true),
	PLAIN(OCTOSPI_PSMKR, "PSMKR", e.psmkr, 0xFFFFFFFFU, true),
	PLAIN(OCTOSPI_PSMAR, "PSMAR", e.psmar, 0xFFFFFFFFU, true),
	PLAIN(OCTOSPI_PIR, "PIR", e.pir, 0x0000FFFFU, true),
	PLAIN(OCTOSPI_CCR, "CCR", reg.ccr, CCR_MASK, true),
	PLAIN(OCTOSPI_TCR, "TCR", reg.tcr, TCR_MASK, true),
	PLAIN(OCTOSPI_ABR, "ABR", reg.abr, 0xFFFFFFFFU, true),
	PLAIN(OCTOSPI_LPTR, "LPTR", e.lptr, 0x0000FFFFU, true),
	PLAIN(OCTOSPI_WPCCR, "WPCCR", wpreg.ccr, WCCR_MASK, true),
	PLAIN(OCTOSPI_WPTCR, "WPTCR", wpreg.tcr, TCR_MASK, true),
	PLAIN(OCTOSPI_WPIR, "WPIR", wpreg.ir, 0xFFFFFFFFU, true),
	PLAIN(OCTOSPI_WPABR, "WPABR", wpreg.abr, 0xFFFFFFFFU, true),
	PLAIN(OCTOSPI_WCCR, "WCCR", wreg.ccr, WCCR_MASK, true),
	PLAIN(OCTOSPI_WTCR, "WTCR", wreg.tcr, WTCR_MASK, true),
	PLAIN(OCTOSPI_WIR, "WIR", wreg.ir, 0xFFFFFFFFU, true),
	PLAIN(OCTOSPI_WABR, "WABR", wreg.abr, 0xFFFFFFFFU, true),
	PLAIN(OCTOSPI_HLCR, "HLCR", hlcr, HLCR_MASK, true),
};

static uint32_t *plain_field(struct octospi *o, const struct plain_reg *p)
{
	return (uint32_t *)((char *)o + p->field);
}

static const struct plain_reg *find_plain(uint32_t reg)
{
	for (size_t i = 0; i < sizeof(plain_regs) / sizeof(plain_regs[0]); i++)
		if (plain_regs[i].offset == reg)
			return &plain_regs[i];
	return NULL;
}

static bool reg_value(struct xspi_engine *e, uint32_t reg, uint32_t *v)
{
	struct octospi *o = of(e);
	const struct plain_reg *p = find_plain(reg);

	if (p) {
		*v = *plain_field(o, p);
		return true;
	}
	switch (reg) {
	case OCTOSPI_CR:
		*v = e->cr;
		return true;
	case OCTOSPI_DCR1:
		*v = o->dcr1;
		return true;
	case OCTOSPI_SR:
		*v = xspi_sr_value(e);
		return true;
	case OCTOSPI_FCR:
		*v = 0;
		return true;
	case OCTOSPI_AR:
		*v = e->ar;
		return true;
	case OCTOSPI_IR:
		*v = o->reg.ir;
		return true;
	case OCTOSPI_HWCFGR:
	case OCTOSPI_VER:
	case OCTOSPI_ID:
		/* Identification registers RM0455 does not describe. */
		*v = 0;
		return true;
	case OCTOSPI_MID:
		*v = MID_VALUE;
		return true;
	}
	return false;
}

static void write_reg(struct xspi_engine *e, uint32_t reg, uint32_t value,
		      uint64_t now)
{
	struct octospi *o = of(e);
	const struct plain_reg *p = find_plain(reg);

	if (p) {
		if (p->busy_locked && xspi_busy(e)) {
			xspi_refused(e, p->name, value);
			return;
		}
		*plain_field(o, p) =
			xspi_reserved_check(e, p->name, value, p->mask);
		check_encodings(o, p->name, reg, value);
		if (reg == OCTOSPI_DLR && (e->cr & OCTOSPI_CR_DQM))
			e->dlr |= 1U;	/* see write_cr */
		if (reg == OCTOSPI_CCR)
			e->instr_sent = false;
		if (reg == OCTOSPI_CCR && fmode(e) == XSPI_FMODE_WRITE)
			e->fifo_read = false;
		if (reg == OCTOSPI_DCR3 && xspi_bits(value, 0, 8))
			warn_once(&o->warned_maxtran, o,
				  "DCR3.MAXTRAN: the arbitration of two "
				  "OCTOSPIs multiplexed on one port is not "
				  "modelled");
		return;
	}
	switch (reg) {
	case OCTOSPI_CR:
		write_cr(o, value, now);
		return;
	case OCTOSPI_DCR1:
		if (xspi_busy(e)) {
			xspi_refused(e, "DCR1", value);
			return;
		}
		o->dcr1 = xspi_reserved_check(e, "DCR1", value, DCR1_MASK);
		check_encodings(o, "DCR1", reg, o->dcr1);
		octospi_route_changed(o);
		return;
	case OCTOSPI_SR:
		sim_log(LOG_GUEST_ERROR, "%s: SR is read-only", e->name);
		return;
	case OCTOSPI_FCR:
		e->flags &= ~xspi_reserved_check(e, "FCR", value, FCR_MASK);
		return;
	case OCTOSPI_AR:
		/* RM0455 OCTOSPI_SR.TEF: set "when a wrong address has been
		 * programmed in OCTOSPI_AR" (DEVSIZE). A write with a data
		 * phase starts only at its first DR write; the flag does not
		 * wait for it (the commands AR starts check at their
		 * start). */
		if (!xspi_busy(e) && (e->cr & OCTOSPI_CR_EN) &&
		    fmode(e) == XSPI_FMODE_WRITE && has_addr(&o->reg) &&
		    dmode_lines(&o->reg) && value >= xspi_mem_bytes(e)) {
			e->flags |= OCTOSPI_SR_TEF;
			sim_trace("%s: TEF: AR = 0x%08x beyond DEVSIZE (%llu "
				  "bytes)", e->trace_name, (unsigned)value,
				  (unsigned long long)xspi_mem_bytes(e));
		}
		xspi_write_ar(e, value, 0xFFFFFFFFU);
		return;
	case OCTOSPI_IR:
		write_ir(o, value);
		return;
	}
	sim_log(LOG_GUEST_ERROR,
		"%s: write to read-only or reserved offset 0x%03x", e->name,
		(unsigned)reg);
}

static uint64_t next_flag_change(const struct xspi_engine *e,
				 uint64_t now);

static const struct xspi_desc octospi_desc = {
	.dr = OCTOSPI_DR,
	.sr = OCTOSPI_SR,
	.fcr = OCTOSPI_FCR,
	.size_name = "DEVSIZE",
	.kernel_clock_src = "RCC CDCCIPR.OCTOSPISEL, RM0455 §8",
	.busy_cite = "RM0455 OCTOSPI registers",
	.reserved_note = "kept at reset value",
	.enable_cite = "",
	.dr_cite = "",
	.poll_dlr_note = " (at most 3)",
	.reserved_cite = "",
	.dr_write_fields = "",
	.dr_write_cite = "",
	.hung_empty = "no data to come",
	.trace_marks_absent = false,
	.fmode = fmode,
	.decode = decode,
	.size_code = size_code,
	.reaches_chip = wire_reachable,
	.check_frame = check_frame_rules,
	.may_start = NULL,
	.mm_advance = mm_advance,
	.reg_value = reg_value,
	.write_reg = write_reg,
	.dr_access_ok = dr_access_ok,
	.next_flag_change = next_flag_change,
};

void octospi_set_bus_wait(struct octospi *o, uint32_t cycles)
{
	o->e.bus_wait = cycles;
}

/* ---- interrupt (RM0455 OCTOSPI_CR; the line itself: xspi_irq_update) ----*/

/* When the operation under way will next change SR on its own, or
 * VCLOCK_NEVER: the next data byte or the end of a command, the end of
 * the next status poll, the timeout of a stopped memory-mapped burst. */
static uint64_t next_flag_change(const struct xspi_engine *e, uint64_t now)
{
	const struct octospi *o = (const struct octospi *)e;
	uint64_t t, tr;

	switch (e->op) {
	case XSPI_OP_READ:
	case XSPI_OP_WRITE:
		return xspi_next_event(e);
	case XSPI_OP_POLL:
		return e->poll_at > now ? e->poll_at : e->poll_end;
	case XSPI_OP_MM_READ:
	case XSPI_OP_MM_WRITE:
		if (!e->on_wire)
			return VCLOCK_NEVER;
		if (!e->stalled)
			return xspi_next_event(e);
		/* As mm_advance releases a stopped burst. */
		t = timeout_at(o);
		tr = refresh_at(o);
		if (tr < t)
			t = tr < e->stalled_at ? e->stalled_at : tr;
		return t;
	case XSPI_OP_IDLE:
	case XSPI_OP_FRCM:
	case XSPI_OP_HUNG:
		break;
	}
	return VCLOCK_NEVER;
}

void octospi_set_irq(struct octospi *o, struct irq_line line)
{
	xspi_set_irq(&o->e, line);
}

/* dev = the struct octospi, which begins with its engine. */
const struct mmio_ops octospi_reg_ops = {
	.read = xspi_reg_read,
	.write = xspi_reg_write,
};

/* ---- memory-mapped window --------------------------------------------------
 * RM0455 OCTOSPI memory-mapped mode: reads use CCR/TCR/IR/ABR, writes
 * WCCR/WTCR/WIR/WABR. An access while the block is disabled or not in
 * memory-mapped mode, or beyond DEVSIZE, is answered with a bus error. */

static bool window_usable(struct octospi *o, uint32_t offset, unsigned size,
			  const char *what)
{
	struct xspi_engine *e = &o->e;

	if (!(e->cr & OCTOSPI_CR_EN) || fmode(e) != XSPI_FMODE_MMAP) {
		sim_log(LOG_GUEST_ERROR, "%s: %s of 0x%08x while %s: bus error",
			e->name, what, (unsigned)(o->window + offset),
			!(e->cr & OCTOSPI_CR_EN) ? "the OCTOSPI is disabled"
						 : "not in memory-mapped mode");
		return false;
	}
	if ((uint64_t)offset + size > xspi_mem_bytes(e)) {
		sim_log(LOG_GUEST_ERROR,
			"%s: %s of 0x%08x beyond DEVSIZE (%llu bytes): bus "
			"error", e->name, what, (unsigned)(o->window + offset),
			(unsigned long long)xspi_mem_bytes(e));
		return false;
	}
	if (e->op == XSPI_OP_HUNG)
		return false;
	return true;
}

static bool mem_read_at(struct octospi *o, uint32_t offset, unsigned size,
			uint32_t *value)
{
	struct xspi_engine *e = &o->e;
	uint64_t now = vclock_now(e->clk);
	uint32_t v = 0;

	xspi_advance(e, now);
	if (!window_usable(o, offset, size, "read"))
		return false;
	if (!(e->op == XSPI_OP_MM_READ && offset >= e->mm_head &&
	      offset <= e->mm_head + e->level)) {
		/* Not the continuation of the prefetch: a new command at the
		 * bus address (a write burst first sends what it holds). */
		stop(o, now, false);
		now = vclock_now(e->clk);
		check_frame_rules(e, XSPI_SET_REGULAR, true);
		if (!dmode_lines(&o->reg)) {
			sim_log(LOG_GUEST_ERROR,
				"%s: memory-mapped read with DMODE = 000: bus "
				"error", e->name);
			return false;
		}
		o->mm_addr = offset;
		if (!xspi_command_begin(e, XSPI_SET_REGULAR, now, offset,
					XSPI_DIR_READ,
					burst_limit(o, offset))) {
			e->op = XSPI_OP_HUNG;
			return false;
		}
		e->op = XSPI_OP_MM_READ;
		e->mm_head = offset;
	} else {
		for (uint32_t skip = offset - e->mm_head; skip; skip--)
			xspi_fifo_pop(e);
		e->mm_head = offset;
	}
	while (e->level < size) {
		uint64_t t;

		if (!e->on_wire) {
			/* Released at a boundary, by REFRESH or the timeout:
			 * the burst goes on with a new command. */
			uint32_t at = e->mm_head + e->level;

			if (!xspi_command_begin(e, XSPI_SET_REGULAR,
						vclock_now(e->clk), at,
						XSPI_DIR_READ,
						burst_limit(o, at))) {
				e->op = XSPI_OP_HUNG;
				return false;
			}
			o->mm_addr = at;
		}
		if (e->stalled)
			xspi_resume(e, vclock_now(e->clk));
		t = xspi_next_event(e);
		vclock_stall_until(e->clk, t);
		xspi_advance(e, t);
	}
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)xspi_fifo_pop(e) << (8 * i);
	e->mm_head += size;
	now = vclock_now(e->clk);
	if (e->stalled &&
	    OCTOSPI_FIFO_SIZE - e->level >= XSPI_FIFO_RESTART_FREE &&
	    e->on_wire)
		xspi_resume(e, now);
	xspi_advance(e, now);
	*value = v;
	return true;
}

static bool mem_write_at(struct octospi *o, uint32_t offset, unsigned size,
			 uint32_t value)
{
	struct xspi_engine *e = &o->e;
	uint64_t now = vclock_now(e->clk);

	xspi_advance(e, now);
	if (!window_usable(o, offset, size, "write"))
		return false;
	/* ES0478 "Memory-mapped write error response when DQS output is
	 * disabled": a memory-mapped write with WCCR.DQSE = 0 is answered
	 * with an AXI error; set DQSE even for memories without DQS. */
	if (!(o->wreg.ccr & OCTOSPI_CCR_DQSE)) {
		sim_log(LOG_GUEST_ERROR,
			"%s: memory-mapped write of 0x%08x with WCCR.DQSE = 0: "
			"AXI error response (ES0478, memory-mapped write error "
			"response when DQS output is disabled)", e->name,
			(unsigned)(o->window + offset));
		return false;
	}
	if (!dmode_lines(&o->wreg)) {
		sim_log(LOG_GUEST_ERROR,
			"%s: memory-mapped write with WCCR.DMODE = 000: bus "
			"error", e->name);
		return false;
	}
	if (!(e->op == XSPI_OP_MM_WRITE &&
	      offset == o->mm_addr + e->done + e->level)) {
		stop(o, now, false);
		now = vclock_now(e->clk);
		check_frame_rules(e, XSPI_SET_MM_WRITE, false);
		o->mm_addr = offset;
		if (!xspi_command_begin(e, XSPI_SET_MM_WRITE, now, offset,
					XSPI_DIR_WRITE,
					burst_limit(o, offset))) {
			e->op = XSPI_OP_HUNG;
			return false;
		}
		e->op = XSPI_OP_MM_WRITE;
		e->fifo_read = false;
	}
	xspi_stall_for_fifo(e, size, false);
	now = vclock_now(e->clk);
	for (unsigned i = 0; i < size; i++)
		xspi_fifo_push(e, (uint8_t)(value >> (8 * i)));
	if (e->on_wire && e->stalled)
		xspi_resume(e, now);
	else if (!e->on_wire)
		mm_write_continue(o, now);
	xspi_advance(e, now);
	return true;
}

static bool mem_read(void *dev, uint32_t offset, unsigned size,
		     uint32_t *value, enum bus_master master)
{
	bool ok = mem_read_at(dev, offset, size, value);

	(void)master;
	xspi_irq_update(dev);
	return ok;
}

static bool mem_write(void *dev, uint32_t offset, unsigned size,
		      uint32_t value, enum bus_master master)
{
	bool ok = mem_write_at(dev, offset, size, value);

	(void)master;
	xspi_irq_update(dev);
	return ok;
}

const struct mmio_ops octospi_mem_ops = {
	.read = mem_read,
	.write = mem_write,
};

/* ---- life cycle -----------------------------------------------------------*/

struct octospi *octospi_new(unsigned instance, struct vclock *clk,
			    octospi_kernel_hz_fn kernel_hz, void *kernel_ctx,
			    octospi_routed_fn routed, void *routed_ctx,
			    struct xspi_wire *wire)
{
	struct octospi *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	xspi_init(&o->e, &octospi_desc, clk, kernel_hz, kernel_ctx, wire);
	snprintf(o->e.name, sizeof(o->e.name), "OCTOSPI%u", instance + 1);
	snprintf(o->e.trace_name, sizeof(o->e.trace_name), "OCTOSPI%u",
		 instance + 1);
	o->instance = instance;
	o->window = instance ? OCTOSPI2_MEM_BASE : OCTOSPI1_MEM_BASE;
	o->routed = routed;
	o->routed_ctx = routed_ctx;
	octospi_reset(o);
	return o;
}

void octospi_free(struct octospi *o)
{
	if (!o)
		return;
	xspi_release(&o->e);
	free(o);
}

void octospi_reset(struct octospi *o)
{
	xspi_reset(&o->e);
	o->dcr1 = o->dcr2 = o->dcr3 = o->dcr4 = 0;
	memset(&o->reg, 0, sizeof(o->reg));
	memset(&o->wreg, 0, sizeof(o->wreg));
	memset(&o->wpreg, 0, sizeof(o->wpreg));
	o->hlcr = 0;
	octospi_route_changed(o);
	xspi_irq_update(&o->e);
}

bool octospi_enabled(const struct octospi *o)
{
	return o->e.cr & OCTOSPI_CR_EN;
}

void octospi_route_changed(struct octospi *o)
{
	if (port1_routed(o))
		xspi_wire_set_clk_idle(o->e.wire,
				       o->dcr1 & OCTOSPI_DCR1_CKMODE);
}

uint64_t octospi_max_cs_low_ns(const struct octospi *o)
{
	return o->e.max_cs_low_ns;
}
