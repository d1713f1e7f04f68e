/* The OCTOSPI of the STM32H7A3/B3/B0 (RM0455 "Octo-SPI interface";
 * docs/hardware-stm32h7a3.md §6). Same timing machinery as quadspi.c: an
 * operation runs in virtual time and is brought up to date at every access;
 * a DR or window access that must wait for the FIFO stalls the core.
 * Sections cited by name are RM0455's OCTOSPI sections. */
#include "periph/octospi.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/stats.h"

/* Writable bits of each register (RM0455 OCTOSPI register map). */
#define CR_MASK 0x30DF1FCFU
/* CR fields that can be modified only while BUSY = 0: FMODE, PMM, APMS,
 * FSEL, DQM, TCEN. */
#define CR_BUSY_LOCKED 0x30C000C8U
#define DCR1_MASK 0x071F070BU
#define DCR2_MASK 0x000700FFU
#define DCR3_MASK 0x001F00FFU
#define CCR_MASK 0xAF3F3F3FU
#define WCCR_MASK 0x2F3F3F3FU	/* no SIOO for writes */
#define TCR_MASK 0x5000001FU
#define WTCR_MASK 0x0000001FU
#define FCR_MASK 0x0000001BU
#define HLCR_MASK 0x00FFFF03U
#define DTR_BITS (OCTOSPI_CCR_IDTR | OCTOSPI_CCR_ADDTR | OCTOSPI_CCR_ABDTR | \
		  OCTOSPI_CCR_DDTR)
/* OpenOCD's stmqspi driver identifies the block by this magic ID. */
#define MID_VALUE 0xA3C5DD01U

/* After a full FIFO stops a read, reading restarts once 4 bytes are free
 * (as the QUADSPI, RM0399 §24.3.5). */
#define FIFO_RESTART_FREE 4U

enum fmode { FMODE_WRITE, FMODE_READ, FMODE_POLL, FMODE_MMAP };

enum op {
	OP_IDLE,
	OP_WRITE,	/* indirect write */
	OP_READ,	/* indirect read */
	OP_POLL,	/* automatic status polling */
	OP_MM_READ,	/* memory-mapped read: prefetch burst */
	OP_MM_WRITE,	/* memory-mapped write burst */
	OP_HUNG,	/* no kernel clock: BUSY stuck */
};

/* One command register set: regular (CCR/TCR/IR/ABR) or memory-mapped
 * write (WCCR/WTCR/WIR/WABR). */
struct cmd_regs {
	uint32_t ccr, tcr, ir, abr;
};

struct octospi {
	unsigned instance;
	uint32_t base, window;
	struct vclock *clk;
	octospi_kernel_hz_fn kernel_hz;
	void *kernel_ctx;
	octospi_routed_fn routed;
	void *routed_ctx;
	struct xspi_wire *wire;

	/* Registers. */
	uint32_t cr, dcr1, dcr2, dcr3, dcr4, dlr, ar, psmkr, psmar, pir, lptr;
	struct cmd_regs reg, wreg, wpreg;
	uint32_t hlcr;
	uint32_t flags;		/* latched TEF, TCF, SMF, TOF */
	uint32_t poll_dr;
	bool poll_ftf;
	bool instr_sent;	/* SIOO: instruction gone since the CCR write */

	uint8_t fifo[OCTOSPI_FIFO_SIZE];
	unsigned head, level;
	bool fifo_read;

	enum op op;
	bool on_wire;
	bool reaches_chip;
	const struct cmd_regs *cmd;	/* the set the running command uses */
	struct xspi_frame frame;
	struct xspi_clocking clocking;
	uint32_t ker_hz, div;
	uint64_t anchor, k;	/* CLK rising edge j at anchor + j periods */
	uint64_t total, done;
	bool stalled;
	uint64_t stalled_at;
	uint32_t bus_wait;	/* core cycles added to each register access */
	uint64_t cs_fall, cs_rise;
	bool cs_rise_valid;
	uint64_t max_cs_low_ns;
	uint32_t mm_addr;	/* memory-mapped: address of the burst's byte 0 */
	uint32_t mm_head;	/* read: window offset of fifo[head] */
	uint64_t poll_at;

	bool warned_dtr, warned_octal, warned_dqm, warned_fsel, warned_hyper;
	bool warned_dma, warned_maxtran, warned_route;
};

static uint32_t bits(uint32_t v, unsigned shift, unsigned width)
{
	return (v >> shift) & ((1U << width) - 1);
}

/* *MODE encodings: 000 none, 001 one line, 010 two, 011 four, 100 eight;
 * 101-111 reserved. */
static unsigned lines_of(unsigned mode)
{
	static const unsigned lines[8] = {0, 1, 2, 4, 8, 0, 0, 0};

	return lines[mode & 7];
}

static enum fmode fmode(const struct octospi *o)
{
	return (enum fmode)bits(o->cr, OCTOSPI_CR_FMODE_SHIFT, 2);
}

static unsigned dmode_lines(const struct cmd_regs *c)
{
	return lines_of(bits(c->ccr, OCTOSPI_CCR_DMODE_SHIFT, 3));
}

static bool has_addr(const struct cmd_regs *c)
{
	return bits(c->ccr, OCTOSPI_CCR_ADMODE_SHIFT, 3) != 0;
}

static uint64_t dev_bytes(const struct octospi *o)
{
	return 2ULL << bits(o->dcr1, OCTOSPI_DCR1_DEVSIZE_SHIFT, 5);
}

static unsigned fthres(const struct octospi *o)
{
	return bits(o->cr, OCTOSPI_CR_FTHRES_SHIFT, 5);
}

static uint32_t cpu_hz(const struct octospi *o)
{
	return o->clk->cpu_hz ? o->clk->cpu_hz : 64000000U;
}

static uint64_t clk_to_cpu(const struct octospi *o, uint64_t anchor,
			   uint64_t k)
{
	unsigned __int128 num = (unsigned __int128)k * o->div * cpu_hz(o);

	return anchor + (uint64_t)((num + o->ker_hz - 1) / o->ker_hz);
}

static uint64_t cpu_ps(const struct octospi *o, uint64_t cycles)
{
	return xspi_cycles_to_ps(cycles, cpu_hz(o));
}

/* ---- FIFO ----------------------------------------------------------------*/

static void fifo_flush(struct octospi *o)
{
	o->head = 0;
	o->level = 0;
}

static void fifo_push(struct octospi *o, uint8_t v)
{
	o->fifo[(o->head + o->level) % OCTOSPI_FIFO_SIZE] = v;
	o->level++;
}

static uint8_t fifo_pop(struct octospi *o)
{
	uint8_t v = o->fifo[o->head];

	o->head = (o->head + 1) % OCTOSPI_FIFO_SIZE;
	o->level--;
	return v;
}

/* ---- commands on the wire ------------------------------------------------*/

static void build_frame(struct octospi *o, uint32_t addr, enum xspi_dir dir,
			uint64_t len)
{
	const struct cmd_regs *c = o->cmd;
	struct xspi_frame *f = &o->frame;
	unsigned imode = lines_of(bits(c->ccr, OCTOSPI_CCR_IMODE_SHIFT, 3));
	unsigned admode = lines_of(bits(c->ccr, OCTOSPI_CCR_ADMODE_SHIFT, 3));
	unsigned abmode = lines_of(bits(c->ccr, OCTOSPI_CCR_ABMODE_SHIFT, 3));
	unsigned dmode = dmode_lines(c);
	unsigned isize = bits(c->ccr, OCTOSPI_CCR_ISIZE_SHIFT, 2) + 1;
	unsigned adsize = bits(c->ccr, OCTOSPI_CCR_ADSIZE_SHIFT, 2) + 1;
	unsigned absize = bits(c->ccr, OCTOSPI_CCR_ABSIZE_SHIFT, 2) + 1;
	uint32_t imask = isize == 4 ? 0xFFFFFFFFU : (1U << (8 * isize)) - 1;

	memset(f, 0, sizeof(*f));
	/* OCTOSPI_CCR.SIOO: only the first command after a CCR write carries
	 * the instruction. */
	if (imode && !((c->ccr & OCTOSPI_CCR_SIOO) && o->instr_sent))
		xspi_frame_phase(f, XSPI_PH_INSTR, imode, isize,
				 c->ir & imask, 0);
	if (admode)
		xspi_frame_phase(f, XSPI_PH_ADDR, admode, adsize, addr, 0);
	if (abmode)
		xspi_frame_phase(f, XSPI_PH_ALT, abmode, absize, c->abr, 0);
	xspi_frame_phase(f, XSPI_PH_DUMMY, dmode, 0, 0,
			 c->tcr & OCTOSPI_TCR_DCYC_MASK);
	if (dmode && dir != XSPI_DIR_NONE)
		xspi_frame_phase(f, XSPI_PH_DATA, dmode, 0, 0, 0);
	f->dir = dmode ? dir : XSPI_DIR_NONE;
	f->data_len = dmode ? len : 0;
	f->clk_hz = o->ker_hz / o->div;
}

/* Plans the next command: when NCS can fall (CSHT + 1 cycles after it
 * rose, DCR1.CSHT) and the CLK figures. False without a kernel clock. */
static bool command_plan(struct octospi *o, uint64_t t_req, uint32_t addr,
			 enum xspi_dir dir, uint64_t len)
{
	uint64_t fall = t_req;
	uint32_t period_ps, low_ps, kper_ps;

	o->ker_hz = o->kernel_hz ? o->kernel_hz(o->kernel_ctx) : 0;
	if (!o->ker_hz) {
		sim_log(LOG_GUEST_ERROR,
			"OCTOSPI%u: command with no kernel clock (RCC "
			"CDCCIPR.OCTOSPISEL, RM0455 §8): BUSY stays set",
			o->instance + 1);
		return false;
	}
	o->div = bits(o->dcr2, 0, 8) + 1;
	build_frame(o, addr, dir, len);
	if (o->cs_rise_valid) {
		uint64_t earliest = clk_to_cpu(
			o, o->cs_rise,
			bits(o->dcr1, OCTOSPI_DCR1_CSHT_SHIFT, 3) + 1);

		if (earliest > fall)
			fall = earliest;
	}
	kper_ps = (uint32_t)(1000000000000ULL / o->ker_hz);
	period_ps = (uint32_t)(1000000000000ULL * o->div / o->ker_hz);
	/* DCR2.PRESCALER: an odd division factor keeps CLK low one kernel
	 * cycle longer than high; TCR.SSHIFT samples half a CLK later. */
	low_ps = o->div == 1 ? period_ps / 2 : (o->div + 1) / 2 * kper_ps;
	o->clocking.clk_hz = o->ker_hz / o->div;
	o->clocking.period_ps = period_ps;
	o->clocking.sample_ps =
		(o->cmd->tcr & OCTOSPI_TCR_SSHIFT) ? period_ps : low_ps;
	o->cs_fall = fall;
	o->anchor = fall;
	/* NCS falls one CLK cycle before the first rising edge (RM0455's
	 * OCTOSPI "NCS behavior", as the QUADSPI's RM0433 §23.3.16): edge j
	 * of the header comes j periods after it. */
	o->k = xspi_frame_header_cycles(&o->frame);
	o->total = o->frame.data_len;
	o->done = 0;
	o->stalled = false;
	return true;
}

static void warn_once(bool *flag, const struct octospi *o, const char *what)
{
	if (!*flag)
		sim_log(LOG_UNIMP, "OCTOSPI%u: %s", o->instance + 1, what);
	*flag = true;
}

/* Whether this command can reach the board's chip: a single quad memory
 * wired to OCTOSPIM port 1 IO[3:0], SDR (docs/boards.md §1). */
static bool wire_reachable(struct octospi *o)
{
	const struct xspi_phase *ph = o->frame.ph;
	unsigned mtyp = bits(o->dcr1, OCTOSPI_DCR1_MTYP_SHIFT, 3);

	if (o->routed && !o->routed(o->routed_ctx, o->instance)) {
		warn_once(&o->warned_route, o,
			  "the I/O manager does not route this OCTOSPI to "
			  "port 1 (OCTOSPIM_P1CR): its commands do not reach "
			  "the board's pins");
		return false;
	}
	if (o->cmd->ccr & DTR_BITS) {
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
	if (o->cr & OCTOSPI_CR_DQM) {
		warn_once(&o->warned_dqm, o,
			  "dual-quad mode (CR.DQM): the board has one quad "
			  "memory: the command does not reach it");
		return false;
	}
	if (o->cr & OCTOSPI_CR_FSEL) {
		warn_once(&o->warned_fsel, o,
			  "CR.FSEL = 1 selects the memory on IO[7:4], which "
			  "the board does not wire");
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

static void command_start(struct octospi *o)
{
	const struct xspi_phase *ph = o->frame.ph;

	o->on_wire = true;
	o->instr_sent = true;
	sim_stats.xspi_commands++;
	o->reaches_chip = wire_reachable(o);
	if (!o->reaches_chip)
		return;
	xspi_wire_select(o->wire, cpu_ps(o, o->cs_fall), &o->clocking,
			 &o->frame);
	if (ph[XSPI_PH_INSTR].lines)
		xspi_wire_send(o->wire, ph[XSPI_PH_INSTR].lines,
			       ph[XSPI_PH_INSTR].value,
			       8U * ph[XSPI_PH_INSTR].bytes);
	if (ph[XSPI_PH_ADDR].lines)
		xspi_wire_send(o->wire, ph[XSPI_PH_ADDR].lines,
			       ph[XSPI_PH_ADDR].value,
			       8U * ph[XSPI_PH_ADDR].bytes);
	if (ph[XSPI_PH_ALT].lines)
		xspi_wire_send(o->wire, ph[XSPI_PH_ALT].lines,
			       ph[XSPI_PH_ALT].value,
			       8U * ph[XSPI_PH_ALT].bytes);
	if (ph[XSPI_PH_DUMMY].cycles)
		xspi_wire_dummy(o->wire, ph[XSPI_PH_DUMMY].lines,
				ph[XSPI_PH_DUMMY].cycles);
}

static bool command_begin(struct octospi *o, const struct cmd_regs *c,
			  uint64_t t_req, uint32_t addr, enum xspi_dir dir,
			  uint64_t len)
{
	o->cmd = c;
	if (!command_plan(o, t_req, addr, dir, len))
		return false;
	command_start(o);
	return true;
}

static uint64_t next_byte_at(const struct octospi *o)
{
	return clk_to_cpu(o, o->anchor,
			  o->k + o->frame.ph[XSPI_PH_DATA].cycles);
}

/* NCS rises one CLK cycle after the final rising edge, in clock mode 0
 * and in SDR mode 3 (RM0455's OCTOSPI "NCS behavior"): one period of
 * hold. */
static uint64_t end_at(const struct octospi *o)
{
	return clk_to_cpu(o, o->anchor, o->k + 1);
}

static uint8_t byte_in(struct octospi *o)
{
	o->k += o->frame.ph[XSPI_PH_DATA].cycles;
	o->done++;
	if (!o->reaches_chip)
		return 0;
	return xspi_wire_recv_byte(o->wire, o->frame.ph[XSPI_PH_DATA].lines);
}

static void byte_out(struct octospi *o, uint8_t v)
{
	o->k += o->frame.ph[XSPI_PH_DATA].cycles;
	o->done++;
	if (o->reaches_chip)
		xspi_wire_send(o->wire, o->frame.ph[XSPI_PH_DATA].lines, v, 8);
}

static void resume(struct octospi *o, uint64_t t)
{
	o->stalled = false;
	/* Data that comes before the cycle the stall stopped would have
	 * ended are in time for it; later, CLK starts again from then. */
	if (t > clk_to_cpu(o, o->anchor, o->k + 1)) {
		o->anchor = t;
		o->k = 0;
		if (o->reaches_chip)
			xspi_wire_resume_at(o->wire, cpu_ps(o, t));
	}
}

static void command_end(struct octospi *o, uint64_t t)
{
	const struct xspi_frame *f = &o->frame;
	uint64_t low_ns;

	if (!o->on_wire)
		return;
	/* An operation cut short (a memory-mapped access elsewhere, an
	 * abort while CLK runs) still ends its CLK cycle: NCS rises no
	 * sooner than one CLK after the final rising edge (RM0433
	 * §23.3.16). A stalled one stopped CLK long before. */
	if (!o->stalled && t < clk_to_cpu(o, o->anchor, o->k + 1))
		t = clk_to_cpu(o, o->anchor, o->k + 1);
	if (o->reaches_chip)
		xspi_wire_deselect(o->wire, cpu_ps(o, t));
	o->on_wire = false;
	o->stalled = false;
	o->cs_rise = t;
	o->cs_rise_valid = true;
	sim_stats.xspi_bytes += o->done;
	low_ns = (uint64_t)((unsigned __int128)(t - o->cs_fall) * 1000000000U /
			    cpu_hz(o));
	if (low_ns > o->max_cs_low_ns)
		o->max_cs_low_ns = low_ns;
	if (sim_log_tracing()) {
		char modes[16];

		xspi_frame_modes(f, modes, sizeof(modes));
		sim_trace("OCTOSPI%u: 0x%x %s addr=0x%06x dcyc=%u %s %llu B "
			  "at %.3f MHz, NCS low %.3f us", o->instance + 1,
			  (unsigned)f->ph[XSPI_PH_INSTR].value, modes,
			  (unsigned)f->ph[XSPI_PH_ADDR].value,
			  (unsigned)f->ph[XSPI_PH_DUMMY].cycles,
			  f->dir == XSPI_DIR_READ ? "read"
			  : f->dir == XSPI_DIR_WRITE ? "write" : "no-data",
			  (unsigned long long)o->done, f->clk_hz / 1e6,
			  low_ns / 1e3);
	}
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
	unsigned cb = bits(o->dcr3, OCTOSPI_DCR3_CSBOUND_SHIFT, 5);
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
	return clk_to_cpu(o, o->cs_fall,
			  (uint64_t)refresh +
				  (o->op == OP_MM_READ ? 4U : 1U));
}

static uint64_t timeout_at(const struct octospi *o)
{
	if (!(o->cr & OCTOSPI_CR_TCEN))
		return UINT64_MAX;
	return clk_to_cpu(o, o->stalled_at, bits(o->lptr, 0, 16));
}

static void mm_release(struct octospi *o, uint64_t t, uint32_t flag)
{
	command_end(o, t);
	o->flags |= flag;
}

/* A write burst continues where the previous one was cut (REFRESH or
 * CSBOUND) while written bytes wait in the FIFO. */
static void mm_write_continue(struct octospi *o, uint64_t t)
{
	uint32_t addr = o->mm_addr + (uint32_t)o->done;

	o->mm_addr = addr;
	if (!command_begin(o, &o->wreg, t, addr, XSPI_DIR_WRITE,
			   burst_limit(o, addr)))
		o->op = OP_HUNG;
}

static void mm_advance(struct octospi *o, uint64_t now)
{
	bool reading = o->op == OP_MM_READ;

	while (o->on_wire) {
		uint64_t t, tr = refresh_at(o);

		if (o->done == o->total) {
			/* CSBOUND boundary reached. */
			t = end_at(o);
			if (t > now)
				return;
			mm_release(o, t, 0);
			break;
		}
		if (o->stalled) {
			t = timeout_at(o);
			if (tr < t)
				t = tr < o->stalled_at ? o->stalled_at : tr;
			if (t > now)
				return;
			mm_release(o, t, t == tr ? 0 : OCTOSPI_SR_TOF);
			break;
		}
		if (reading ? o->level == OCTOSPI_FIFO_SIZE : o->level == 0) {
			o->stalled = true;
			o->stalled_at = clk_to_cpu(o, o->anchor, o->k + 1);
			continue;
		}
		if (next_byte_at(o) > tr) {
			t = end_at(o);
			if (t > now)
				return;
			mm_release(o, t, 0);
			break;
		}
		if (next_byte_at(o) > now)
			return;
		if (reading)
			fifo_push(o, byte_in(o));
		else
			byte_out(o, fifo_pop(o));
	}
	if (o->op == OP_MM_WRITE && !o->on_wire) {
		if (o->level) {
			mm_write_continue(o, o->cs_rise);
			if (o->op == OP_MM_WRITE)
				mm_advance(o, now);
			return;
		}
		o->op = OP_IDLE;
	}
}

/* ---- indirect and polling -------------------------------------------------*/

static void poll_advance(struct octospi *o, uint64_t now);

static void indirect_advance(struct octospi *o, uint64_t now)
{
	while (o->on_wire) {
		if (o->done == o->total) {
			uint64_t t = end_at(o);

			if (t > now)
				return;
			command_end(o, t);
			o->flags |= OCTOSPI_SR_TCF;
			if (o->op == OP_WRITE)
				fifo_flush(o);
			o->op = OP_IDLE;
			return;
		}
		if (o->stalled)
			return;
		if ((o->op == OP_WRITE && o->level == 0) ||
		    (o->op == OP_READ && o->level == OCTOSPI_FIFO_SIZE)) {
			o->stalled = true;
			o->stalled_at = clk_to_cpu(o, o->anchor, o->k + 1);
			return;
		}
		if (next_byte_at(o) > now)
			return;
		if (o->op == OP_WRITE)
			byte_out(o, fifo_pop(o));
		else
			fifo_push(o, byte_in(o));
	}
}

static void advance(struct octospi *o, uint64_t now)
{
	switch (o->op) {
	case OP_WRITE:
	case OP_READ:
		indirect_advance(o, now);
		break;
	case OP_POLL:
		poll_advance(o, now);
		break;
	case OP_MM_READ:
	case OP_MM_WRITE:
		mm_advance(o, now);
		break;
	case OP_IDLE:
	case OP_HUNG:
		break;
	}
}

static uint64_t next_event(const struct octospi *o)
{
	if (!o->on_wire || o->stalled)
		return UINT64_MAX;
	if (o->done == o->total)
		return end_at(o);
	return next_byte_at(o);
}

static void stall_for_fifo(struct octospi *o, unsigned need, bool reading)
{
	for (;;) {
		uint64_t t;

		if (reading ? o->level >= need
			    : OCTOSPI_FIFO_SIZE - o->level >= need)
			return;
		t = next_event(o);
		if (t == UINT64_MAX)
			return;
		vclock_stall_until(o->clk, t);
		advance(o, t);
	}
}

static void poll_once(struct octospi *o)
{
	unsigned n = o->dlr > 3 ? 4 : o->dlr + 1;
	uint32_t status = 0, mask = o->psmkr;
	bool match;

	for (unsigned i = 0; i < n; i++)
		status |= (uint32_t)byte_in(o) << (8 * i);
	o->poll_dr = status;
	o->poll_ftf = true;
	if (n < 4)
		mask &= (1U << (8 * n)) - 1;
	/* CR.PMM: AND mode needs every unmasked bit to match, OR mode one. */
	match = (o->cr & OCTOSPI_CR_PMM) ? (~(status ^ o->psmar) & mask) != 0
					 : ((status ^ o->psmar) & mask) == 0;
	if (match)
		o->flags |= OCTOSPI_SR_SMF;
	command_end(o, end_at(o));
	if (match && (o->cr & OCTOSPI_CR_APMS)) {
		o->op = OP_IDLE;
		return;
	}
	o->poll_at = clk_to_cpu(o, o->cs_rise, bits(o->pir, 0, 16));
}

static void poll_advance(struct octospi *o, uint64_t now)
{
	while (o->op == OP_POLL) {
		unsigned n = o->dlr > 3 ? 4 : o->dlr + 1;
		uint64_t t_end;

		if (o->poll_at > now)
			return;
		o->cmd = &o->reg;
		if (!command_plan(o, o->poll_at, o->ar, XSPI_DIR_READ, n)) {
			o->op = OP_HUNG;
			return;
		}
		t_end = clk_to_cpu(o, o->anchor,
				   o->k + n * o->frame.ph[XSPI_PH_DATA].cycles +
					   1);
		if (t_end > now)
			return;
		command_start(o);
		poll_once(o);
	}
}

/* ---- starting operations --------------------------------------------------*/

static void check_frame_rules(struct octospi *o, const struct cmd_regs *c,
			      bool reading)
{
	unsigned dmode = bits(c->ccr, OCTOSPI_CCR_DMODE_SHIFT, 3);

	if (!bits(c->ccr, OCTOSPI_CCR_IMODE_SHIFT, 3) && !has_addr(c) &&
	    !bits(c->ccr, OCTOSPI_CCR_ABMODE_SHIFT, 3) && !dmode)
		sim_log(LOG_GUEST_ERROR,
			"OCTOSPI%u: command with no instruction, address, "
			"alternate or data phase (RM0455 OCTOSPI regular-"
			"command mode: at least one must be present)",
			o->instance + 1);
	if (reading && dmode >= 2 && !(c->tcr & OCTOSPI_TCR_DCYC_MASK))
		sim_log(LOG_GUEST_ERROR,
			"OCTOSPI%u: multi-line read with no dummy cycle: the "
			"turnaround has no time", o->instance + 1);
}

static bool enabled(struct octospi *o, const char *what)
{
	if (o->cr & OCTOSPI_CR_EN)
		return true;
	sim_log(LOG_GUEST_ERROR,
		"OCTOSPI%u: %s while CR.EN = 0: no command starts",
		o->instance + 1, what);
	return false;
}

static void start_indirect(struct octospi *o, const char *trigger,
			   bool keep_fifo)
{
	enum fmode fm = fmode(o);
	bool addr = has_addr(&o->reg);
	uint64_t size = dev_bytes(o), len;
	uint64_t now = vclock_now(o->clk);

	if (!enabled(o, trigger))
		return;
	check_frame_rules(o, &o->reg, fm != FMODE_WRITE);
	if (!dmode_lines(&o->reg))
		len = 0;
	else if (o->dlr == 0xFFFFFFFFU)
		len = bits(o->dcr1, OCTOSPI_DCR1_DEVSIZE_SHIFT, 5) == 31
			      ? XSPI_LEN_UNBOUNDED
			      : (addr && o->ar < size ? size - o->ar : size);
	else
		len = (uint64_t)o->dlr + 1;
	/* OCTOSPI_SR.TEF: an address beyond DEVSIZE, and in indirect mode
	 * address + length beyond it, as soon as the access is triggered. */
	if (addr && (o->ar >= size ||
		     (fm != FMODE_POLL && len != XSPI_LEN_UNBOUNDED &&
		      o->ar + len > size))) {
		o->flags |= OCTOSPI_SR_TEF;
		sim_trace("OCTOSPI%u: TEF: address 0x%08x + %llu bytes beyond "
			  "DEVSIZE (%llu bytes)", o->instance + 1,
			  (unsigned)o->ar, (unsigned long long)len,
			  (unsigned long long)size);
		return;
	}
	if (fm == FMODE_POLL) {
		if (o->dlr > 3)
			sim_log(LOG_GUEST_ERROR,
				"OCTOSPI%u: DLR = %u in status-polling mode "
				"(at most 3): 4 bytes are read",
				o->instance + 1, (unsigned)o->dlr);
		o->op = OP_POLL;
		o->poll_at = now;
		o->poll_ftf = false;
		advance(o, now);
		return;
	}
	if (!keep_fifo)
		fifo_flush(o);
	o->fifo_read = fm == FMODE_READ;
	if (!command_begin(o, &o->reg, now, o->ar,
			   fm == FMODE_READ ? XSPI_DIR_READ : XSPI_DIR_WRITE,
			   len)) {
		o->op = OP_HUNG;
		return;
	}
	o->op = fm == FMODE_READ ? OP_READ : OP_WRITE;
	if (o->frame.dir == XSPI_DIR_NONE)
		o->total = 0;
	advance(o, now);
}

static bool busy(const struct octospi *o)
{
	switch (o->op) {
	case OP_IDLE:
		return o->fifo_read && o->level > 0;
	case OP_MM_READ:
		return o->on_wire;
	default:
		return true;
	}
}

/* Ends what runs. A memory-mapped write burst first sends the bytes it
 * holds (the core waits for them), unless `drop` (abort, reset). */
static void stop(struct octospi *o, uint64_t now, bool drop)
{
	if (o->op == OP_MM_WRITE && !drop) {
		while (o->op == OP_MM_WRITE && o->level) {
			uint64_t t = next_event(o);

			if (t == UINT64_MAX)
				break;
			vclock_stall_until(o->clk, t);
			advance(o, t);
		}
		if (o->op == OP_MM_WRITE && o->on_wire) {
			uint64_t t = end_at(o);

			if (t < now)
				t = now;
			vclock_stall_until(o->clk, t);
			command_end(o, t);
		}
		now = vclock_now(o->clk);
	} else if (o->op == OP_MM_WRITE && o->level) {
		sim_log(LOG_GUEST_ERROR,
			"OCTOSPI%u: %u written bytes of a memory-mapped write "
			"still in the FIFO are lost", o->instance + 1,
			o->level);
	}
	if (o->on_wire)
		command_end(o, now);
	fifo_flush(o);
	o->fifo_read = false;
	o->op = OP_IDLE;
	o->stalled = false;
}

/* ---- registers ------------------------------------------------------------*/

static uint32_t sr_value(const struct octospi *o)
{
	uint32_t sr = o->flags;

	if (busy(o))
		sr |= OCTOSPI_SR_BUSY;
	switch (fmode(o)) {
	case FMODE_POLL:
		if (o->poll_ftf)
			sr |= OCTOSPI_SR_FTF;
		break;
	case FMODE_MMAP:
		break;
	case FMODE_WRITE:
	case FMODE_READ:
		sr |= o->level << OCTOSPI_SR_FLEVEL_SHIFT;
		if (o->fifo_read) {
			bool all_in = o->op != OP_READ || o->done == o->total;

			if (o->level >= fthres(o) + 1 || (all_in && o->level))
				sr |= OCTOSPI_SR_FTF;
		} else if (fmode(o) == FMODE_WRITE &&
			   (o->cr & OCTOSPI_CR_EN) && dmode_lines(&o->reg) &&
			   OCTOSPI_FIFO_SIZE - o->level >= fthres(o) + 1) {
			sr |= OCTOSPI_SR_FTF;
		}
		break;
	}
	return sr;
}

static void refused(struct octospi *o, const char *reg, uint32_t value)
{
	sim_log(LOG_GUEST_ERROR,
		"OCTOSPI%u: %s <- 0x%08x while BUSY = 1: ignored (RM0455 "
		"OCTOSPI registers: writable only when BUSY = 0)",
		o->instance + 1, reg, (unsigned)value);
}

static uint32_t reserved_check(struct octospi *o, const char *reg,
			       uint32_t value, uint32_t mask)
{
	if (value & ~mask)
		sim_log(LOG_GUEST_ERROR,
			"OCTOSPI%u: %s <- 0x%08x sets reserved bits 0x%08x "
			"(kept at reset value)", o->instance + 1, reg,
			(unsigned)value, (unsigned)(value & ~mask));
	return value & mask;
}

static void write_cr(struct octospi *o, uint32_t value, uint64_t now)
{
	uint32_t old = o->cr;

	value = reserved_check(o, "CR", value, CR_MASK);
	if (busy(o) && ((value ^ old) & CR_BUSY_LOCKED)) {
		refused(o, "CR (FMODE/PMM/APMS/FSEL/DQM/TCEN)", value);
		value = (value & ~CR_BUSY_LOCKED) | (old & CR_BUSY_LOCKED);
	}
	if (value & OCTOSPI_CR_DMAEN)
		warn_once(&o->warned_dma, o,
			  "CR.DMAEN: DMA requests are not modelled");
	o->cr = value & ~OCTOSPI_CR_ABORT;
	if (((old & OCTOSPI_CR_EN) && !(value & OCTOSPI_CR_EN)) ||
	    ((old ^ value) & (3U << OCTOSPI_CR_FMODE_SHIFT)))
		stop(o, now, false);
	if (value & OCTOSPI_CR_ABORT) {
		/* OCTOSPI_CR.ABORT: the operation stops, the FIFO is
		 * flushed, BUSY clears; TCF reports it. ABORT self-clears. */
		if (busy(o) || o->op != OP_IDLE)
			o->flags |= OCTOSPI_SR_TCF;
		stop(o, now, true);
	}
}

/* The instruction register triggers a command that has no address
 * phase (docs/hardware-stm32h7a3.md §6.3). */
static void write_ir(struct octospi *o, uint32_t value)
{
	if (busy(o)) {
		refused(o, "IR", value);
		return;
	}
	o->reg.ir = value;
	if (has_addr(&o->reg))
		return;
	switch (fmode(o)) {
	case FMODE_WRITE:
		if (!dmode_lines(&o->reg))
			start_indirect(o, "IR write", false);
		break;
	case FMODE_READ:
	case FMODE_POLL:
		start_indirect(o, "IR write", false);
		break;
	case FMODE_MMAP:
		break;
	}
}

static void write_ar(struct octospi *o, uint32_t value)
{
	/* OCTOSPI_AR: ignored while BUSY = 1 or FMODE = 11. */
	if (busy(o)) {
		refused(o, "AR", value);
		return;
	}
	if (fmode(o) == FMODE_MMAP)
		return;
	o->ar = value;
	if (!has_addr(&o->reg))
		return;
	switch (fmode(o)) {
	case FMODE_WRITE:
		if (!dmode_lines(&o->reg))
			start_indirect(o, "AR write", false);
		break;
	case FMODE_READ:
	case FMODE_POLL:
		start_indirect(o, "AR write", false);
		break;
	case FMODE_MMAP:
		break;
	}
}

static bool dr_access_ok(struct octospi *o, uint32_t offset, unsigned size,
			 bool write)
{
	if (offset == OCTOSPI_DR)
		return true;
	sim_log(LOG_GUEST_ERROR,
		"OCTOSPI%u: %u-byte DR %s at offset 0x%03x; byte and halfword "
		"accesses must target the bottom of DR: ignored",
		o->instance + 1, size, write ? "write" : "read",
		(unsigned)offset);
	return false;
}

static void write_dr(struct octospi *o, uint32_t offset, unsigned size,
		     uint32_t value, uint64_t now)
{
	if (!dr_access_ok(o, offset, size, true))
		return;
	if (fmode(o) != FMODE_WRITE || !dmode_lines(&o->reg)) {
		sim_log(LOG_GUEST_ERROR,
			"OCTOSPI%u: DR write outside indirect-write mode with "
			"a data phase (FMODE = %u): ignored", o->instance + 1,
			(unsigned)fmode(o));
		return;
	}
	if (o->op == OP_HUNG)
		return;
	if (o->op == OP_IDLE) {
		if (!enabled(o, "DR write"))
			return;
		fifo_flush(o);
		o->fifo_read = false;
		for (unsigned i = 0; i < size; i++)
			fifo_push(o, (uint8_t)(value >> (8 * i)));
		start_indirect(o, "DR write", true);
		if (o->op != OP_WRITE)
			fifo_flush(o);
		return;
	}
	if (o->op != OP_WRITE)
		return;
	stall_for_fifo(o, size, false);
	if (o->op == OP_IDLE) {
		write_dr(o, offset, size, value, vclock_now(o->clk));
		return;
	}
	if (OCTOSPI_FIFO_SIZE - o->level < size) {
		sim_log(LOG_GUEST_ERROR,
			"OCTOSPI%u: DR write with a full FIFO that will not "
			"drain: dropped", o->instance + 1);
		return;
	}
	now = vclock_now(o->clk);
	for (unsigned i = 0; i < size; i++)
		fifo_push(o, (uint8_t)(value >> (8 * i)));
	if (o->stalled)
		resume(o, now);
	advance(o, now);
}

static uint32_t read_dr(struct octospi *o, uint32_t offset, unsigned size)
{
	uint32_t v = 0;
	uint64_t now;
	unsigned n;

	if (!dr_access_ok(o, offset, size, false))
		return 0;
	switch (fmode(o)) {
	case FMODE_MMAP:
		return 0;
	case FMODE_POLL:
		o->poll_ftf = false;
		return size == 4 ? o->poll_dr
				 : o->poll_dr & ((1U << (8 * size)) - 1);
	case FMODE_WRITE:
	case FMODE_READ:
		break;
	}
	if (!o->fifo_read) {
		sim_log(LOG_GUEST_ERROR,
			"OCTOSPI%u: DR read with no indirect read in "
			"progress: returns 0", o->instance + 1);
		return 0;
	}
	stall_for_fifo(o, size, true);
	now = vclock_now(o->clk);
	if (!o->level) {
		sim_log(LOG_GUEST_ERROR,
			"OCTOSPI%u: DR read with an empty FIFO and no data to "
			"come: returns 0", o->instance + 1);
		return 0;
	}
	n = size < o->level ? size : o->level;
	for (unsigned i = 0; i < n; i++)
		v |= (uint32_t)fifo_pop(o) << (8 * i);
	if (o->stalled && o->op == OP_READ &&
	    OCTOSPI_FIFO_SIZE - o->level >= FIFO_RESTART_FREE)
		resume(o, now);
	advance(o, now);
	return v;
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
	PLAIN(OCTOSPI_DLR, "DLR", dlr, 0xFFFFFFFFU, true),
	PLAIN(OCTOSPI_PSMKR, "PSMKR", psmkr, 0xFFFFFFFFU, true),
	PLAIN(OCTOSPI_PSMAR, "PSMAR", psmar, 0xFFFFFFFFU, true),
	PLAIN(OCTOSPI_PIR, "PIR", pir, 0x0000FFFFU, true),
	PLAIN(OCTOSPI_CCR, "CCR", reg.ccr, CCR_MASK, true),
	PLAIN(OCTOSPI_TCR, "TCR", reg.tcr, TCR_MASK, true),
	PLAIN(OCTOSPI_ABR, "ABR", reg.abr, 0xFFFFFFFFU, true),
	PLAIN(OCTOSPI_LPTR, "LPTR", lptr, 0x0000FFFFU, true),
	PLAIN(OCTOSPI_WPCCR, "WPCCR", wpreg.ccr, CCR_MASK, true),
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

static bool reg_value(struct octospi *o, uint32_t reg, uint32_t *v)
{
	const struct plain_reg *p = find_plain(reg);

	if (p) {
		*v = *plain_field(o, p);
		return true;
	}
	switch (reg) {
	case OCTOSPI_CR:
		*v = o->cr;
		return true;
	case OCTOSPI_DCR1:
		*v = o->dcr1;
		return true;
	case OCTOSPI_SR:
		*v = sr_value(o);
		return true;
	case OCTOSPI_FCR:
		*v = 0;
		return true;
	case OCTOSPI_AR:
		*v = o->ar;
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

static void write_reg(struct octospi *o, uint32_t reg, uint32_t value,
		      uint64_t now)
{
	const struct plain_reg *p = find_plain(reg);

	if (p) {
		if (p->busy_locked && busy(o)) {
			refused(o, p->name, value);
			return;
		}
		*plain_field(o, p) = reserved_check(o, p->name, value, p->mask);
		if (reg == OCTOSPI_CCR)
			o->instr_sent = false;
		if (reg == OCTOSPI_CCR && fmode(o) == FMODE_WRITE)
			o->fifo_read = false;
		if (reg == OCTOSPI_DCR3 && bits(value, 0, 8))
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
		if (busy(o)) {
			refused(o, "DCR1", value);
			return;
		}
		o->dcr1 = reserved_check(o, "DCR1", value, DCR1_MASK);
		octospi_route_changed(o);
		return;
	case OCTOSPI_SR:
		sim_log(LOG_GUEST_ERROR, "OCTOSPI%u: SR is read-only",
			o->instance + 1);
		return;
	case OCTOSPI_FCR:
		o->flags &= ~reserved_check(o, "FCR", value, FCR_MASK);
		return;
	case OCTOSPI_AR:
		write_ar(o, value);
		return;
	case OCTOSPI_IR:
		write_ir(o, value);
		return;
	}
	sim_log(LOG_GUEST_ERROR,
		"OCTOSPI%u: write to read-only or reserved offset 0x%03x",
		o->instance + 1, (unsigned)reg);
}

/* The xspi-wait fault: the access completes `bus_wait` core cycles later,
 * as on a bus matrix another master keeps busy (RM0433 §2.1). */
static void bus_wait(struct octospi *o)
{
	if (o->bus_wait)
		vclock_stall_until(o->clk, vclock_now(o->clk) + o->bus_wait);
}

void octospi_set_bus_wait(struct octospi *o, uint32_t cycles)
{
	o->bus_wait = cycles;
}

static bool reg_read(void *dev, uint32_t offset, unsigned size,
		     uint32_t *value, enum bus_master master)
{
	struct octospi *o = dev;
	uint32_t reg = offset & ~3U, v;

	(void)master;
	bus_wait(o);
	advance(o, vclock_now(o->clk));
	if (reg == OCTOSPI_DR) {
		*value = read_dr(o, offset, size);
		return true;
	}
	if (!reg_value(o, reg, &v)) {
		sim_log(LOG_GUEST_ERROR,
			"OCTOSPI%u: read of reserved offset 0x%03x",
			o->instance + 1, (unsigned)offset);
		*value = 0;
		return true;
	}
	v >>= 8 * (offset & 3U);
	*value = size == 4 ? v : v & ((1U << (8 * size)) - 1);
	return true;
}

static bool reg_write(void *dev, uint32_t offset, unsigned size,
		      uint32_t value, enum bus_master master)
{
	struct octospi *o = dev;
	uint32_t reg = offset & ~3U, cur;
	unsigned lane = offset & 3U;
	uint64_t now = vclock_now(o->clk);

	(void)master;
	bus_wait(o);
	now = vclock_now(o->clk);
	advance(o, now);
	if (reg == OCTOSPI_DR) {
		write_dr(o, offset, size, value, now);
		return true;
	}
	if (size < 4 && reg_value(o, reg, &cur)) {
		uint32_t mask = (size == 2 ? 0xFFFFU : 0xFFU) << (8 * lane);

		if (reg == OCTOSPI_FCR || reg == OCTOSPI_SR)
			cur = 0;
		value = (cur & ~mask) | ((value << (8 * lane)) & mask);
	}
	write_reg(o, reg, value, now);
	return true;
}

const struct mmio_ops octospi_reg_ops = {
	.read = reg_read,
	.write = reg_write,
};

/* ---- memory-mapped window --------------------------------------------------
 * RM0455 OCTOSPI memory-mapped mode: reads use CCR/TCR/IR/ABR, writes
 * WCCR/WTCR/WIR/WABR. An access while the block is disabled or not in
 * memory-mapped mode, or beyond DEVSIZE, is answered with a bus error. */

static bool window_usable(struct octospi *o, uint32_t offset, unsigned size,
			  const char *what)
{
	if (!(o->cr & OCTOSPI_CR_EN) || fmode(o) != FMODE_MMAP) {
		sim_log(LOG_GUEST_ERROR,
			"OCTOSPI%u: %s of 0x%08x while %s: bus error",
			o->instance + 1, what, (unsigned)(o->window + offset),
			!(o->cr & OCTOSPI_CR_EN) ? "the OCTOSPI is disabled"
						 : "not in memory-mapped mode");
		return false;
	}
	if ((uint64_t)offset + size > dev_bytes(o)) {
		sim_log(LOG_GUEST_ERROR,
			"OCTOSPI%u: %s of 0x%08x beyond DEVSIZE (%llu bytes): "
			"bus error", o->instance + 1, what,
			(unsigned)(o->window + offset),
			(unsigned long long)dev_bytes(o));
		return false;
	}
	if (o->op == OP_HUNG)
		return false;
	return true;
}

static bool mem_read(void *dev, uint32_t offset, unsigned size,
		     uint32_t *value, enum bus_master master)
{
	struct octospi *o = dev;
	uint64_t now = vclock_now(o->clk);
	uint32_t v = 0;

	(void)master;
	advance(o, now);
	if (!window_usable(o, offset, size, "read"))
		return false;
	if (!(o->op == OP_MM_READ && offset >= o->mm_head &&
	      offset <= o->mm_head + o->level)) {
		/* Not the continuation of the prefetch: a new command at the
		 * bus address (a write burst first sends what it holds). */
		stop(o, now, false);
		now = vclock_now(o->clk);
		check_frame_rules(o, &o->reg, true);
		if (!dmode_lines(&o->reg)) {
			sim_log(LOG_GUEST_ERROR,
				"OCTOSPI%u: memory-mapped read with DMODE = "
				"000: bus error", o->instance + 1);
			return false;
		}
		o->mm_addr = offset;
		if (!command_begin(o, &o->reg, now, offset, XSPI_DIR_READ,
				   burst_limit(o, offset))) {
			o->op = OP_HUNG;
			return false;
		}
		o->op = OP_MM_READ;
		o->mm_head = offset;
	} else {
		for (uint32_t skip = offset - o->mm_head; skip; skip--)
			fifo_pop(o);
		o->mm_head = offset;
	}
	while (o->level < size) {
		uint64_t t;

		if (!o->on_wire) {
			/* Released at a boundary, by REFRESH or the timeout:
			 * the burst goes on with a new command. */
			uint32_t at = o->mm_head + o->level;

			if (!command_begin(o, &o->reg, vclock_now(o->clk), at,
					   XSPI_DIR_READ, burst_limit(o, at))) {
				o->op = OP_HUNG;
				return false;
			}
			o->mm_addr = at;
		}
		if (o->stalled)
			resume(o, vclock_now(o->clk));
		t = next_event(o);
		vclock_stall_until(o->clk, t);
		advance(o, t);
	}
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)fifo_pop(o) << (8 * i);
	o->mm_head += size;
	now = vclock_now(o->clk);
	if (o->stalled && OCTOSPI_FIFO_SIZE - o->level >= FIFO_RESTART_FREE &&
	    o->on_wire)
		resume(o, now);
	advance(o, now);
	*value = v;
	return true;
}

static bool mem_write(void *dev, uint32_t offset, unsigned size,
		      uint32_t value, enum bus_master master)
{
	struct octospi *o = dev;
	uint64_t now = vclock_now(o->clk);

	(void)master;
	advance(o, now);
	if (!window_usable(o, offset, size, "write"))
		return false;
	/* ES0478 "Memory-mapped write error response when DQS output is
	 * disabled": a memory-mapped write with WCCR.DQSE = 0 is answered
	 * with an AXI error; set DQSE even for memories without DQS. */
	if (!(o->wreg.ccr & OCTOSPI_CCR_DQSE)) {
		sim_log(LOG_GUEST_ERROR,
			"OCTOSPI%u: memory-mapped write of 0x%08x with "
			"WCCR.DQSE = 0: AXI error response (ES0478, "
			"memory-mapped write error response when DQS output "
			"is disabled)", o->instance + 1,
			(unsigned)(o->window + offset));
		return false;
	}
	if (!dmode_lines(&o->wreg)) {
		sim_log(LOG_GUEST_ERROR,
			"OCTOSPI%u: memory-mapped write with WCCR.DMODE = "
			"000: bus error", o->instance + 1);
		return false;
	}
	if (!(o->op == OP_MM_WRITE &&
	      offset == o->mm_addr + o->done + o->level)) {
		stop(o, now, false);
		now = vclock_now(o->clk);
		check_frame_rules(o, &o->wreg, false);
		o->mm_addr = offset;
		if (!command_begin(o, &o->wreg, now, offset, XSPI_DIR_WRITE,
				   burst_limit(o, offset))) {
			o->op = OP_HUNG;
			return false;
		}
		o->op = OP_MM_WRITE;
		o->fifo_read = false;
	}
	stall_for_fifo(o, size, false);
	now = vclock_now(o->clk);
	for (unsigned i = 0; i < size; i++)
		fifo_push(o, (uint8_t)(value >> (8 * i)));
	if (o->on_wire && o->stalled)
		resume(o, now);
	else if (!o->on_wire)
		mm_write_continue(o, now);
	advance(o, now);
	return true;
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
	o->instance = instance;
	o->base = instance ? OCTOSPI2_BASE : OCTOSPI1_BASE;
	o->window = instance ? OCTOSPI2_MEM_BASE : OCTOSPI1_MEM_BASE;
	o->clk = clk;
	o->kernel_hz = kernel_hz;
	o->kernel_ctx = kernel_ctx;
	o->routed = routed;
	o->routed_ctx = routed_ctx;
	o->wire = wire;
	o->cmd = &o->reg;
	octospi_reset(o);
	return o;
}

void octospi_free(struct octospi *o)
{
	if (!o)
		return;
	if (o->on_wire)
		command_end(o, vclock_now(o->clk));
	free(o);
}

void octospi_reset(struct octospi *o)
{
	if (o->on_wire)
		command_end(o, vclock_now(o->clk));
	o->cr = o->dcr1 = o->dcr2 = o->dcr3 = o->dcr4 = 0;
	o->dlr = o->ar = o->psmkr = o->psmar = o->pir = o->lptr = 0;
	memset(&o->reg, 0, sizeof(o->reg));
	memset(&o->wreg, 0, sizeof(o->wreg));
	memset(&o->wpreg, 0, sizeof(o->wpreg));
	o->hlcr = 0;
	o->flags = 0;
	o->poll_dr = 0;
	o->poll_ftf = false;
	o->instr_sent = false;
	fifo_flush(o);
	o->fifo_read = false;
	o->op = OP_IDLE;
	o->stalled = false;
	o->cmd = &o->reg;
	octospi_route_changed(o);
}

bool octospi_enabled(const struct octospi *o)
{
	return o->cr & OCTOSPI_CR_EN;
}

void octospi_route_changed(struct octospi *o)
{
	if (!o->routed || o->routed(o->routed_ctx, o->instance))
		xspi_wire_set_clk_idle(o->wire, o->dcr1 & OCTOSPI_DCR1_CKMODE);
}

uint64_t octospi_max_cs_low_ns(const struct octospi *o)
{
	return o->max_cs_low_ns;
}
