#include "periph/quadspi.h"

#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/stats.h"

/* RM0399 §24.5.1, Table 204: writable bits (bit 2 is DMAEN on F7 only). */
#define CR_MASK_H7 0xFFDF1FDBU
#define CR_MASK_F7 (CR_MASK_H7 | QUADSPI_CR_DMAEN)
#define CR_FTHRES_BIT4 (1U << 12)
/* CR fields that "can be modified only when BUSY = 0". */
#define CR_BUSY_LOCKED 0xFFC000D8U
#define DCR_MASK 0x001F0701U
#define CCR_MASK_H7 0xFF7FFFFFU
#define CCR_MASK_F7 (CCR_MASK_H7 & ~QUADSPI_CCR_FRCM)
#define FCR_MASK 0x0000001BU
#define FLAG_MASK (QUADSPI_SR_TEF | QUADSPI_SR_TCF | QUADSPI_SR_SMF | \
		   QUADSPI_SR_TOF)

/* After a full FIFO stops a read, reading restarts once 4 bytes are free
 * (RM0399 §24.3.5; its "FLEVEL <= 11" is the 16-byte FIFO's figure). */
#define FIFO_RESTART_FREE 4U

enum fmode { FMODE_WRITE, FMODE_READ, FMODE_POLL, FMODE_MMAP };

enum op {
	OP_IDLE,
	OP_WRITE,	/* indirect write */
	OP_READ,	/* indirect read */
	OP_POLL,	/* automatic status polling, between and during polls */
	OP_MMAP,	/* memory-mapped prefetch burst */
	OP_FRCM,	/* free-running clock */
	OP_HUNG,	/* BUSY stuck (errata, no kernel clock) */
};

struct quadspi {
	uint32_t base;
	enum quadspi_family family;
	struct vclock *clk;
	quadspi_kernel_hz_fn kernel_hz;
	void *kernel_ctx;
	struct xspi_wire *wire;

	/* Registers. */
	uint32_t cr, dcr, dlr, ccr, ar, abr, psmkr, psmar, pir, lptr;
	uint32_t flags;		/* latched TEF, TCF, SMF, TOF */
	uint32_t poll_dr;	/* last status read by polling */
	bool poll_ftf;
	bool instr_sent;	/* SIOO: instruction gone since the CCR write */

	/* FIFO (indirect modes, memory-mapped prefetch). */
	uint8_t fifo[QUADSPI_FIFO_SIZE];
	unsigned head, level;
	bool fifo_read;		/* holds read data (else write data) */

	/* The operation in progress. */
	enum op op;
	bool hung_needs_en;	/* ES0396 2.6.2: ABORT does not help */
	bool warned_fthres;	/* F7: FTHRES[4] dropped, said once */
	bool on_wire;		/* NCS low on this command */
	bool reaches_chip;	/* not DDR / bank 2: the wire sees it */
	struct xspi_frame frame;
	struct xspi_clocking clocking;
	uint32_t ker_hz, div;
	uint64_t anchor;	/* CPU cycle where k counts from */
	uint64_t k;		/* CLK rising edges since anchor: edge j at
				 * anchor + j periods */
	uint64_t total, done;	/* data bytes of this command */
	bool stalled;		/* FIFO full (read) or empty (write) */
	uint64_t stalled_at;
	uint32_t bus_wait;	/* core cycles added to each register access */
	uint64_t cs_fall;
	uint64_t cs_rise;
	bool cs_rise_valid;
	uint64_t max_cs_low_ns;
	uint32_t mm_head;	/* window offset of fifo[head] */
	uint64_t poll_at;	/* when the next poll may drop NCS */

	bool warned_dfm, warned_fsel, warned_ddr, warned_dmaen;
};

static uint32_t bits(uint32_t v, unsigned shift, unsigned width)
{
	return (v >> shift) & ((1U << width) - 1);
}

static unsigned lines_of(unsigned mode)
{
	static const unsigned lines[4] = {0, 1, 2, 4};

	return lines[mode & 3];
}

static enum fmode fmode(const struct quadspi *q)
{
	return (enum fmode)bits(q->ccr, QUADSPI_CCR_FMODE_SHIFT, 2);
}

static unsigned dmode_lines(const struct quadspi *q)
{
	return lines_of(bits(q->ccr, QUADSPI_CCR_DMODE_SHIFT, 2));
}

static uint64_t fsize_bytes(const struct quadspi *q)
{
	return 2ULL << bits(q->dcr, QUADSPI_DCR_FSIZE_SHIFT, 5);
}

static unsigned fthres(const struct quadspi *q)
{
	return bits(q->cr, QUADSPI_CR_FTHRES_SHIFT, 5);
}

static uint32_t cpu_hz(const struct quadspi *q)
{
	/* Before the RCC model sets it: the H7/F7 reset clock is HSI. */
	return q->clk->cpu_hz ? q->clk->cpu_hz : 64000000U;
}

/* CPU cycle of the `k`th CLK rising edge counted from `anchor`. */
static uint64_t clk_to_cpu(const struct quadspi *q, uint64_t anchor,
			   uint64_t k)
{
	unsigned __int128 num = (unsigned __int128)k * q->div * cpu_hz(q);

	return anchor + (uint64_t)((num + q->ker_hz - 1) / q->ker_hz);
}

static uint64_t cpu_ps(const struct quadspi *q, uint64_t cycles)
{
	return xspi_cycles_to_ps(cycles, cpu_hz(q));
}

/* ---- FIFO ----------------------------------------------------------------*/

static void fifo_flush(struct quadspi *q)
{
	q->head = 0;
	q->level = 0;
}

static void fifo_push(struct quadspi *q, uint8_t v)
{
	q->fifo[(q->head + q->level) % QUADSPI_FIFO_SIZE] = v;
	q->level++;
}

static uint8_t fifo_pop(struct quadspi *q)
{
	uint8_t v = q->fifo[q->head];

	q->head = (q->head + 1) % QUADSPI_FIFO_SIZE;
	q->level--;
	return v;
}

/* ---- commands on the wire ------------------------------------------------*/

static void build_frame(struct quadspi *q, uint32_t addr, enum xspi_dir dir,
			uint64_t len)
{
	struct xspi_frame *f = &q->frame;
	uint32_t ccr = q->ccr;
	unsigned imode = lines_of(bits(ccr, QUADSPI_CCR_IMODE_SHIFT, 2));
	unsigned admode = lines_of(bits(ccr, QUADSPI_CCR_ADMODE_SHIFT, 2));
	unsigned abmode = lines_of(bits(ccr, QUADSPI_CCR_ABMODE_SHIFT, 2));
	unsigned dmode = dmode_lines(q);

	memset(f, 0, sizeof(*f));
	/* RM0399 §24.3.13: with SIOO only the first command after a CCR
	 * write carries the instruction. */
	if (imode && !((ccr & QUADSPI_CCR_SIOO) && q->instr_sent))
		xspi_frame_phase(f, XSPI_PH_INSTR, imode, 1, ccr & 0xFF, 0);
	if (admode)
		xspi_frame_phase(f, XSPI_PH_ADDR, admode,
				 bits(ccr, QUADSPI_CCR_ADSIZE_SHIFT, 2) + 1,
				 addr, 0);
	if (abmode)
		xspi_frame_phase(f, XSPI_PH_ALT, abmode,
				 bits(ccr, QUADSPI_CCR_ABSIZE_SHIFT, 2) + 1,
				 q->abr, 0);
	xspi_frame_phase(f, XSPI_PH_DUMMY, dmode, 0, 0,
			 bits(ccr, QUADSPI_CCR_DCYC_SHIFT, 5));
	if (dmode && dir != XSPI_DIR_NONE)
		xspi_frame_phase(f, XSPI_PH_DATA, dmode, 0, 0, 0);
	f->dir = dmode ? dir : XSPI_DIR_NONE;
	f->data_len = dmode ? len : 0;
	f->clk_hz = q->ker_hz / q->div;
}

/* Works out the next command's frame and timing without touching the wire:
 * when NCS can fall (after CSHT, RM0399 §24.5.2) and the CLK figures.
 * Returns false when the block has no kernel clock. */
static bool command_plan(struct quadspi *q, uint64_t t_req, uint32_t addr,
			 enum xspi_dir dir, uint64_t len)
{
	uint64_t fall = t_req;
	uint32_t period_ps, low_ps, kper_ps;

	q->ker_hz = q->kernel_hz ? q->kernel_hz(q->kernel_ctx) : 0;
	if (!q->ker_hz) {
		sim_log(LOG_GUEST_ERROR,
			"QUADSPI@0x%08x: command with no kernel clock (RCC "
			"QSPISEL/clock enable, RM0433 §8.7): BUSY stays "
			"set", (unsigned)q->base);
		return false;
	}
	q->div = bits(q->cr, QUADSPI_CR_PRESCALER_SHIFT, 8) + 1;
	build_frame(q, addr, dir, len);
	if (q->cs_rise_valid) {
		uint64_t earliest = clk_to_cpu(
			q, q->cs_rise, bits(q->dcr, QUADSPI_DCR_CSHT_SHIFT, 3) + 1);

		if (earliest > fall)
			fall = earliest;
	}
	kper_ps = (uint32_t)(1000000000000ULL / q->ker_hz);
	period_ps = (uint32_t)(1000000000000ULL * q->div / q->ker_hz);
	/* RM0399 CR.PRESCALER: with an odd division factor CLK stays low one
	 * kernel cycle longer than high; SSHIFT samples half a CLK later
	 * (§24.3.10). */
	low_ps = q->div == 1 ? period_ps / 2 : (q->div + 1) / 2 * kper_ps;
	q->clocking.clk_hz = q->ker_hz / q->div;
	q->clocking.period_ps = period_ps;
	q->clocking.sample_ps = (q->cr & QUADSPI_CR_SSHIFT) ? period_ps : low_ps;
	q->cs_fall = fall;
	q->anchor = fall;
	/* RM0433 §23.3.16 (RM0399 §24.3.16): NCS falls one CLK cycle before
	 * the first rising edge, so edge j of the header comes j periods
	 * after it, as the wire sees it (xspi_wire_select). */
	q->k = xspi_frame_header_cycles(&q->frame);
	q->total = q->frame.data_len;
	q->done = 0;
	q->stalled = false;
	return true;
}

/* NCS falls and the planned header (instruction to dummy cycles) goes out. */
static void command_start(struct quadspi *q)
{
	const struct xspi_phase *ph = q->frame.ph;

	q->on_wire = true;
	q->instr_sent = true;
	sim_stats.xspi_commands++;
	q->reaches_chip = true;
	if (q->ccr & QUADSPI_CCR_DDRM) {
		if (!q->warned_ddr)
			sim_log(LOG_UNIMP,
				"QUADSPI@0x%08x: DDR mode (CCR.DDRM) is not "
				"modelled; the memories here are SDR only: the "
				"command does not reach the chip",
				(unsigned)q->base);
		q->warned_ddr = true;
		q->reaches_chip = false;
	}
	if ((q->cr & QUADSPI_CR_FSEL) && !(q->cr & QUADSPI_CR_DFM)) {
		if (!q->warned_fsel)
			sim_log(LOG_UNIMP,
				"QUADSPI@0x%08x: FSEL = 1 selects FLASH 2 "
				"(BK2), which these boards do not wire",
				(unsigned)q->base);
		q->warned_fsel = true;
		q->reaches_chip = false;
	}
	if (!q->reaches_chip)
		return;
	xspi_wire_select(q->wire, cpu_ps(q, q->cs_fall), &q->clocking,
			 &q->frame);
	if (ph[XSPI_PH_INSTR].lines)
		xspi_wire_send(q->wire, ph[XSPI_PH_INSTR].lines,
			       ph[XSPI_PH_INSTR].value, 8);
	if (ph[XSPI_PH_ADDR].lines)
		xspi_wire_send(q->wire, ph[XSPI_PH_ADDR].lines,
			       ph[XSPI_PH_ADDR].value,
			       8U * ph[XSPI_PH_ADDR].bytes);
	if (ph[XSPI_PH_ALT].lines)
		xspi_wire_send(q->wire, ph[XSPI_PH_ALT].lines,
			       ph[XSPI_PH_ALT].value,
			       8U * ph[XSPI_PH_ALT].bytes);
	if (ph[XSPI_PH_DUMMY].cycles)
		xspi_wire_dummy(q->wire, ph[XSPI_PH_DUMMY].lines,
				ph[XSPI_PH_DUMMY].cycles);
}

static bool command_begin(struct quadspi *q, uint64_t t_req, uint32_t addr,
			  enum xspi_dir dir, uint64_t len)
{
	if (!command_plan(q, t_req, addr, dir, len))
		return false;
	command_start(q);
	return true;
}

/* Completion time of the next data byte. */
static uint64_t next_byte_at(const struct quadspi *q)
{
	return clk_to_cpu(q, q->anchor, q->k + q->frame.ph[XSPI_PH_DATA].cycles);
}

/* NCS rises one CLK cycle after the final rising edge, in mode 0 and in
 * SDR mode 3 alike (RM0433 §23.3.16 "NCS behavior", RM0399 §24.3.16
 * Figures 136 and 137, RM0385's QUADSPI "nCS behavior"): the chip sees
 * one period of hold whatever CKMODE, CSHT or SSHIFT (CSHT sets the high
 * time between commands, SSHIFT only when the controller samples). */
static uint64_t end_at(const struct quadspi *q)
{
	return clk_to_cpu(q, q->anchor, q->k + 1);
}

static uint8_t byte_in(struct quadspi *q)
{
	q->k += q->frame.ph[XSPI_PH_DATA].cycles;
	q->done++;
	if (!q->reaches_chip)
		return 0;
	return xspi_wire_recv_byte(q->wire, q->frame.ph[XSPI_PH_DATA].lines);
}

static void byte_out(struct quadspi *q, uint8_t v)
{
	q->k += q->frame.ph[XSPI_PH_DATA].cycles;
	q->done++;
	if (q->reaches_chip)
		xspi_wire_send(q->wire, q->frame.ph[XSPI_PH_DATA].lines, v, 8);
}

static void resume(struct quadspi *q, uint64_t t)
{
	q->stalled = false;
	/* Data that comes before the cycle the stall stopped would have
	 * ended are in time for it; later, CLK starts again from then. */
	if (t > clk_to_cpu(q, q->anchor, q->k + 1)) {
		q->anchor = t;
		q->k = 0;
		if (q->reaches_chip)
			xspi_wire_resume_at(q->wire, cpu_ps(q, t));
	}
}

static void command_end(struct quadspi *q, uint64_t t)
{
	const struct xspi_frame *f = &q->frame;
	uint64_t low_ns;

	if (!q->on_wire)
		return;
	/* An operation cut short (a memory-mapped access elsewhere, an
	 * abort while CLK runs) still ends its CLK cycle: NCS rises no
	 * sooner than one CLK after the final rising edge (RM0433
	 * §23.3.16). A stalled one stopped CLK long before. */
	if (!q->stalled && t < clk_to_cpu(q, q->anchor, q->k + 1))
		t = clk_to_cpu(q, q->anchor, q->k + 1);
	if (q->reaches_chip)
		xspi_wire_deselect(q->wire, cpu_ps(q, t));
	q->on_wire = false;
	q->cs_rise = t;
	q->cs_rise_valid = true;
	sim_stats.xspi_bytes += q->done;
	low_ns = (uint64_t)((unsigned __int128)(t - q->cs_fall) * 1000000000U /
			    cpu_hz(q));
	if (low_ns > q->max_cs_low_ns)
		q->max_cs_low_ns = low_ns;
	if (sim_log_tracing()) {
		char modes[16];

		xspi_frame_modes(f, modes, sizeof(modes));
		sim_trace("QUADSPI: %s%02x %s addr=%s%06x dcyc=%u %s %llu B "
			  "at %.3f MHz, NCS low %.3f us",
			  f->ph[XSPI_PH_INSTR].lines ? "0x" : "-",
			  f->ph[XSPI_PH_INSTR].lines
				  ? (unsigned)f->ph[XSPI_PH_INSTR].value : 0U,
			  modes, f->ph[XSPI_PH_ADDR].lines ? "0x" : "-",
			  (unsigned)f->ph[XSPI_PH_ADDR].value,
			  (unsigned)f->ph[XSPI_PH_DUMMY].cycles,
			  f->dir == XSPI_DIR_READ ? "read"
			  : f->dir == XSPI_DIR_WRITE ? "write" : "no-data",
			  (unsigned long long)q->done, f->clk_hz / 1e6,
			  low_ns / 1e3);
	}
}

/* ---- time: bring the operation up to `now` --------------------------------*/

static void poll_advance(struct quadspi *q, uint64_t now);

static void indirect_advance(struct quadspi *q, uint64_t now)
{
	while (q->on_wire) {
		if (q->done == q->total) {
			uint64_t t = end_at(q);

			if (t > now)
				return;
			command_end(q, t);
			/* RM0399 §24.5.3: TCF when the programmed number of
			 * bytes is transferred; extra written bytes are
			 * flushed then (§24.3.5). */
			q->flags |= QUADSPI_SR_TCF;
			if (q->op == OP_WRITE)
				fifo_flush(q);
			q->op = OP_IDLE;
			return;
		}
		if (q->stalled)
			return;
		if ((q->op == OP_WRITE && q->level == 0) ||
		    (q->op == OP_READ && q->level == QUADSPI_FIFO_SIZE)) {
			q->stalled = true;
			q->stalled_at = clk_to_cpu(q, q->anchor, q->k + 1);
			return;
		}
		if (next_byte_at(q) > now)
			return;
		if (q->op == OP_WRITE)
			byte_out(q, fifo_pop(q));
		else
			fifo_push(q, byte_in(q));
	}
}

static void mmap_advance(struct quadspi *q, uint64_t now)
{
	while (q->on_wire) {
		if (q->stalled) {
			/* RM0399 §24.3.7/§24.5.13: with TCEN, NCS rises
			 * TIMEOUT CLK cycles after the FIFO filled. */
			uint64_t t;

			if (!(q->cr & QUADSPI_CR_TCEN))
				return;
			t = clk_to_cpu(q, q->stalled_at,
				       bits(q->lptr, 0, 16));
			if (t > now)
				return;
			command_end(q, t);
			q->flags |= QUADSPI_SR_TOF;
			fifo_flush(q);
			q->op = OP_IDLE;
			return;
		}
		if (q->level == QUADSPI_FIFO_SIZE) {
			q->stalled = true;
			q->stalled_at = clk_to_cpu(q, q->anchor, q->k + 1);
			continue;
		}
		if (next_byte_at(q) > now)
			return;
		fifo_push(q, byte_in(q));
	}
}

static void advance(struct quadspi *q, uint64_t now)
{
	switch (q->op) {
	case OP_WRITE:
	case OP_READ:
		indirect_advance(q, now);
		break;
	case OP_POLL:
		poll_advance(q, now);
		break;
	case OP_MMAP:
		mmap_advance(q, now);
		break;
	case OP_IDLE:
	case OP_FRCM:
	case OP_HUNG:
		break;
	}
}

/* When the operation will next change on its own, or UINT64_MAX. */
static uint64_t next_event(const struct quadspi *q)
{
	if (!q->on_wire || q->stalled)
		return UINT64_MAX;
	if ((q->op == OP_READ || q->op == OP_WRITE) && q->done == q->total)
		return end_at(q);
	return next_byte_at(q);
}

/* Stalls the core until the FIFO holds `need` bytes (read) or has room for
 * them (write), or nothing more can happen. */
static void stall_for_fifo(struct quadspi *q, unsigned need, bool reading)
{
	for (;;) {
		uint64_t t;

		if (reading ? q->level >= need
			    : QUADSPI_FIFO_SIZE - q->level >= need)
			return;
		t = next_event(q);
		if (t == UINT64_MAX)
			return;
		vclock_stall_until(q->clk, t);
		advance(q, t);
	}
}

/* ---- automatic status polling (RM0399 §24.3.6) ----------------------------*/

static void poll_once(struct quadspi *q)
{
	unsigned n = q->dlr > 3 ? 4 : q->dlr + 1;
	uint32_t status = 0, mask = q->psmkr, diff;
	bool match;

	for (unsigned i = 0; i < n; i++)
		status |= (uint32_t)byte_in(q) << (8 * i);
	q->poll_dr = status;
	q->poll_ftf = true;
	if (n < 4)
		mask &= (1U << (8 * n)) - 1;
	diff = (status ^ q->psmar) & mask;
	match = (q->cr & QUADSPI_CR_PMM) ? (~(status ^ q->psmar) & mask) != 0
					 : diff == 0;
	if (match)
		q->flags |= QUADSPI_SR_SMF;
	command_end(q, end_at(q));
	if (match && (q->cr & QUADSPI_CR_APMS)) {
		q->op = OP_IDLE;
		return;
	}
	/* The next poll INTERVAL CLK cycles after this one ended. */
	q->poll_at = clk_to_cpu(q, q->cs_rise, bits(q->pir, 0, 16));
}

static void poll_advance(struct quadspi *q, uint64_t now)
{
	while (q->op == OP_POLL) {
		unsigned n = q->dlr > 3 ? 4 : q->dlr + 1;
		uint64_t t_end;

		if (q->poll_at > now)
			return;
		if (!command_plan(q, q->poll_at, q->ar, XSPI_DIR_READ, n)) {
			q->op = OP_HUNG;
			return;
		}
		/* A poll is only observable once it is over: it goes on the
		 * wire when `now` has passed its end. */
		t_end = clk_to_cpu(q, q->anchor,
				   q->k + n * q->frame.ph[XSPI_PH_DATA].cycles +
					   1);
		if (t_end > now)
			return;
		command_start(q);
		poll_once(q);
	}
}

/* ---- starting operations --------------------------------------------------*/

/* RM0399 §24.3.3 rules on the frame a command is about to use. */
static void check_frame_rules(struct quadspi *q, bool reading)
{
	uint32_t ccr = q->ccr;
	unsigned dmode = bits(ccr, QUADSPI_CCR_DMODE_SHIFT, 2);

	if (!bits(ccr, QUADSPI_CCR_IMODE_SHIFT, 2) &&
	    !bits(ccr, QUADSPI_CCR_ADMODE_SHIFT, 2) &&
	    !bits(ccr, QUADSPI_CCR_ABMODE_SHIFT, 2) && !dmode)
		sim_log(LOG_GUEST_ERROR,
			"QUADSPI@0x%08x: command with no instruction, address, "
			"alternate or data phase (RM0399 §24.3.3: at least one "
			"must be present)", (unsigned)q->base);
	if (reading && !dmode)
		sim_log(LOG_GUEST_ERROR,
			"QUADSPI@0x%08x: read with DMODE = 00 (RM0399 §24.3.3: "
			"only for indirect write)", (unsigned)q->base);
	if (reading && dmode >= 2 && !bits(ccr, QUADSPI_CCR_DCYC_SHIFT, 5))
		sim_log(LOG_GUEST_ERROR,
			"QUADSPI@0x%08x: dual/quad read with no dummy cycle "
			"(RM0399 §24.3.3: one is needed for the turnaround)",
			(unsigned)q->base);
}

static bool enabled(struct quadspi *q, const char *what)
{
	if (q->cr & QUADSPI_CR_EN)
		return true;
	sim_log(LOG_GUEST_ERROR,
		"QUADSPI@0x%08x: %s while CR.EN = 0: no command starts "
		"(RM0399 §24.3.12)", (unsigned)q->base, what);
	return false;
}

static void start_indirect(struct quadspi *q, const char *trigger,
			   bool keep_fifo)
{
	enum fmode fm = fmode(q);
	bool has_addr = bits(q->ccr, QUADSPI_CCR_ADMODE_SHIFT, 2) != 0;
	uint64_t size = fsize_bytes(q);
	uint64_t len;
	uint64_t now = vclock_now(q->clk);

	if (!enabled(q, trigger))
		return;
	/* Dual-flash mode: DL[0] and ADDRESS[0] stuck (RM0399 §24.5.5/7). */
	if (q->cr & QUADSPI_CR_DFM && !q->warned_dfm) {
		q->warned_dfm = true;
		sim_log(LOG_UNIMP,
			"QUADSPI@0x%08x: dual-flash mode (CR.DFM): these "
			"boards wire one memory on bank 1; modelled as single "
			"flash", (unsigned)q->base);
	}
	if (q->family == QUADSPI_FAMILY_H7 && fm == FMODE_READ &&
	    !bits(q->ccr, QUADSPI_CCR_IMODE_SHIFT, 2) && !has_addr &&
	    !bits(q->ccr, QUADSPI_CCR_ABMODE_SHIFT, 2) &&
	    !bits(q->ccr, QUADSPI_CCR_DCYC_SHIFT, 5)) {
		sim_log(LOG_GUEST_ERROR,
			"QUADSPI@0x%08x: indirect read with only a data phase "
			"hangs with BUSY set (ES0396 §2.6.3; add dummy cycles)",
			(unsigned)q->base);
		q->op = OP_HUNG;
		return;
	}
	check_frame_rules(q, fm != FMODE_WRITE);
	if (!dmode_lines(q)) {
		len = 0;
	} else if (q->dlr == 0xFFFFFFFFU) {
		/* Undefined length: up to the end of FSIZE, or forever with
		 * FSIZE = 31 (RM0399 §24.3.5). */
		len = bits(q->dcr, QUADSPI_DCR_FSIZE_SHIFT, 5) == 31
			      ? XSPI_LEN_UNBOUNDED
			      : (has_addr && q->ar < size ? size - q->ar : size);
	} else {
		len = (uint64_t)q->dlr + 1;
	}
	/* RM0399 §24.3.14: TEF for an address beyond FSIZE, and in indirect
	 * mode for address + length beyond it, as soon as triggered. */
	if (has_addr && (q->ar >= size || (fm != FMODE_POLL &&
					   len != XSPI_LEN_UNBOUNDED &&
					   q->ar + len > size))) {
		q->flags |= QUADSPI_SR_TEF;
		sim_trace("QUADSPI: TEF: address 0x%08x + %llu bytes beyond "
			  "FSIZE (%llu bytes)", (unsigned)q->ar,
			  (unsigned long long)len, (unsigned long long)size);
		return;
	}
	if (fm == FMODE_POLL) {
		if (q->dlr > 3)
			sim_log(LOG_GUEST_ERROR,
				"QUADSPI@0x%08x: DLR = %u in status-polling "
				"mode; it must be at most 3 (RM0399 §24.5.5): "
				"4 bytes are read", (unsigned)q->base,
				(unsigned)q->dlr);
		q->op = OP_POLL;
		q->poll_at = now;
		q->poll_ftf = false;
		advance(q, now);
		return;
	}
	if (!keep_fifo)
		fifo_flush(q);
	q->fifo_read = fm == FMODE_READ;
	if (!command_begin(q, now, q->ar,
			   fm == FMODE_READ ? XSPI_DIR_READ : XSPI_DIR_WRITE,
			   len)) {
		q->op = OP_HUNG;
		return;
	}
	q->op = fm == FMODE_READ ? OP_READ : OP_WRITE;
	if (q->frame.dir == XSPI_DIR_NONE)
		q->total = 0;
	advance(q, now);
}

static bool busy(const struct quadspi *q)
{
	return q->op != OP_IDLE || (q->fifo_read && q->level > 0);
}

static void stop(struct quadspi *q, uint64_t now)
{
	if (q->on_wire)
		command_end(q, now);
	fifo_flush(q);
	q->op = OP_IDLE;
	q->stalled = false;
}

/* ---- registers ------------------------------------------------------------*/

static uint32_t sr_value(const struct quadspi *q)
{
	uint32_t sr = q->flags;
	enum fmode fm = fmode(q);

	if (busy(q))
		sr |= QUADSPI_SR_BUSY;
	switch (fm) {
	case FMODE_POLL:
		/* RM0399 §24.5.3: FLEVEL is 0 in polling and mapped modes. */
		if (q->poll_ftf)
			sr |= QUADSPI_SR_FTF;
		break;
	case FMODE_MMAP:
		break;
	case FMODE_WRITE:
	case FMODE_READ:
		sr |= q->level << QUADSPI_SR_FLEVEL_SHIFT;
		if (q->fifo_read) {
			bool all_in = q->op != OP_READ || q->done == q->total;

			if (q->level >= fthres(q) + 1 || (all_in && q->level))
				sr |= QUADSPI_SR_FTF;
		} else if (fm == FMODE_WRITE && (q->cr & QUADSPI_CR_EN) &&
			   dmode_lines(q) &&
			   QUADSPI_FIFO_SIZE - q->level >= fthres(q) + 1) {
			/* Gated by EN and a data phase so that SR reads its
			 * reset value 0 (RM0399 Table 204) (inferred). */
			sr |= QUADSPI_SR_FTF;
		}
		break;
	}
	return sr;
}

static void refused(struct quadspi *q, const char *reg, uint32_t value)
{
	sim_log(LOG_GUEST_ERROR,
		"QUADSPI@0x%08x: %s <- 0x%08x while BUSY = 1: ignored "
		"(RM0399 §24.5: writable only when BUSY = 0)",
		(unsigned)q->base, reg, (unsigned)value);
}

static uint32_t reserved_check(struct quadspi *q, const char *reg,
			       uint32_t value, uint32_t mask)
{
	if (value & ~mask)
		sim_log(LOG_GUEST_ERROR,
			"QUADSPI@0x%08x: %s <- 0x%08x sets reserved bits "
			"0x%08x (must be kept at reset value, RM0399 §24.5)",
			(unsigned)q->base, reg, (unsigned)value,
			(unsigned)(value & ~mask));
	return value & mask;
}

static void write_cr(struct quadspi *q, uint32_t value, uint64_t now)
{
	uint32_t mask = q->family == QUADSPI_FAMILY_F7 ? CR_MASK_F7 : CR_MASK_H7;
	uint32_t old = q->cr;

	value = reserved_check(q, "CR", value, mask);
	if (q->family == QUADSPI_FAMILY_F7 && (value & CR_FTHRES_BIT4)) {
		/* STM32F7 silicon drops FTHRES[4]: a threshold of 17..32
		 * bytes becomes 1..16 (ST-confirmed limitation, see
		 * docs/hardware-stm32f7.md §6). */
		if (!q->warned_fthres) {
			q->warned_fthres = true;
			sim_log(LOG_GUEST_ERROR,
				"QUADSPI@0x%08x: CR.FTHRES = %u: bit 4 is not "
				"writable on STM32F7, the threshold is %u",
				(unsigned)q->base,
				(unsigned)((value & QUADSPI_CR_FTHRES_MASK) >>
					   QUADSPI_CR_FTHRES_SHIFT),
				(unsigned)((value >> QUADSPI_CR_FTHRES_SHIFT) &
					   0xFU));
		}
		value &= ~CR_FTHRES_BIT4;
	}
	if (busy(q) && ((value ^ old) & CR_BUSY_LOCKED)) {
		refused(q, "CR (PRESCALER/PMM/APMS/FSEL/DFM/SSHIFT/TCEN)",
			value);
		value = (value & ~CR_BUSY_LOCKED) | (old & CR_BUSY_LOCKED);
	}
	if ((value & QUADSPI_CR_DMAEN) && !q->warned_dmaen) {
		q->warned_dmaen = true;
		sim_log(LOG_UNIMP, "QUADSPI@0x%08x: CR.DMAEN: DMA requests are "
			"not modelled", (unsigned)q->base);
	}
	q->cr = value & ~QUADSPI_CR_ABORT;
	if ((old & QUADSPI_CR_EN) && !(value & QUADSPI_CR_EN)) {
		/* Disabling stops any operation (RM0399 §24.3.6/§24.3.7) and
		 * is the way out of the ES0396 §2.6.2 hang. */
		stop(q, now);
		q->hung_needs_en = false;
	}
	if (value & QUADSPI_CR_ABORT) {
		/* RM0399 §24.3.15: stop, flush the FIFO, clear BUSY; TCF
		 * reports the abort (§24.5.3). ABORT self-clears. */
		if (q->op == OP_HUNG && q->hung_needs_en)
			return;
		if (busy(q))
			q->flags |= QUADSPI_SR_TCF;
		stop(q, now);
	}
}

static void write_ccr(struct quadspi *q, uint32_t value)
{
	uint32_t mask = q->family == QUADSPI_FAMILY_F7 ? CCR_MASK_F7
						       : CCR_MASK_H7;
	unsigned admode;

	if (busy(q)) {
		refused(q, "CCR", value);
		return;
	}
	value = reserved_check(q, "CCR", value, mask);
	q->ccr = value;
	q->instr_sent = false;
	/* RM0399 §24.5.3: in indirect write mode FTF reports free room in
	 * the FIFO, from the CCR write on, also right after a read (BUSY = 0
	 * here, so the FIFO holds nothing of it). */
	if (fmode(q) == FMODE_WRITE)
		q->fifo_read = false;
	if (q->family == QUADSPI_FAMILY_H7 && value == 0) {
		sim_log(LOG_GUEST_ERROR,
			"QUADSPI@0x%08x: CCR = 0 hangs the QUADSPI with BUSY "
			"set; only clearing and setting CR.EN recovers "
			"(ES0396 §2.6.2)", (unsigned)q->base);
		q->op = OP_HUNG;
		q->hung_needs_en = true;
		return;
	}
	if (value & QUADSPI_CCR_FRCM) {
		/* RM0399 §24.3.8: CLK runs, NCS high, BUSY set until ABORT. */
		if (enabled(q, "CCR.FRCM"))
			q->op = OP_FRCM;
		return;
	}
	admode = bits(value, QUADSPI_CCR_ADMODE_SHIFT, 2);
	switch (fmode(q)) {
	case FMODE_WRITE:
		/* RM0399 §24.3.5: no address and no data: starts on CCR. */
		if (!admode && !dmode_lines(q))
			start_indirect(q, "CCR write", false);
		break;
	case FMODE_READ:
	case FMODE_POLL:
		if (!admode)
			start_indirect(q, "CCR write", false);
		break;
	case FMODE_MMAP:
		break;
	}
}

static void write_ar(struct quadspi *q, uint32_t value)
{
	/* RM0399 §24.5.7: ignored when BUSY = 1 or FMODE = 11. */
	if (busy(q)) {
		refused(q, "AR", value);
		return;
	}
	if (fmode(q) == FMODE_MMAP)
		return;
	if (q->cr & QUADSPI_CR_DFM)
		value &= ~1U;
	q->ar = value;
	if (!bits(q->ccr, QUADSPI_CCR_ADMODE_SHIFT, 2))
		return;
	switch (fmode(q)) {
	case FMODE_WRITE:
		if (!dmode_lines(q))
			start_indirect(q, "AR write", false);
		break;
	case FMODE_READ:
	case FMODE_POLL:
		start_indirect(q, "AR write", false);
		break;
	case FMODE_MMAP:
		break;
	}
}

static bool dr_access_ok(struct quadspi *q, uint32_t offset, unsigned size,
			 bool write)
{
	/* RM0399 §24.5.9: byte and halfword accesses must target the bottom
	 * of DR. */
	if (offset == QUADSPI_DR && (size == 1 || size == 2 || size == 4))
		return true;
	sim_log(LOG_GUEST_ERROR,
		"QUADSPI@0x%08x: %u-byte DR %s at offset 0x%02x; byte and "
		"halfword accesses must target DATA[7:0]/DATA[15:0] "
		"(RM0399 §24.5.9): ignored", (unsigned)q->base, size,
		write ? "write" : "read", (unsigned)offset);
	return false;
}

static void write_dr(struct quadspi *q, uint32_t offset, unsigned size,
		     uint32_t value, uint64_t now)
{
	if (!dr_access_ok(q, offset, size, true))
		return;
	if (fmode(q) != FMODE_WRITE || !dmode_lines(q)) {
		sim_log(LOG_GUEST_ERROR,
			"QUADSPI@0x%08x: DR write outside indirect-write mode "
			"with a data phase (FMODE = %u, DMODE = 0): ignored "
			"(RM0399 §24.3.5)", (unsigned)q->base,
			(unsigned)fmode(q));
		return;
	}
	if (q->op == OP_HUNG)
		return;
	if (q->op == OP_IDLE) {
		if (!(q->cr & QUADSPI_CR_EN)) {
			enabled(q, "DR write");
			return;
		}
		/* The first DR write starts the command (RM0399 §24.3.5). */
		fifo_flush(q);
		q->fifo_read = false;
		for (unsigned i = 0; i < size; i++)
			fifo_push(q, (uint8_t)(value >> (8 * i)));
		start_indirect(q, "DR write", true);
		if (q->op != OP_WRITE)
			fifo_flush(q);
		return;
	}
	if (q->op != OP_WRITE)
		return;
	/* RM0399 §24.5.9: a write to a full FIFO stalls until there is room. */
	stall_for_fifo(q, size, false);
	if (q->op == OP_IDLE) {
		/* The command ended while the write waited (the FIFO held
		 * bytes beyond DLR): this write starts the next one. */
		write_dr(q, offset, size, value, vclock_now(q->clk));
		return;
	}
	if (QUADSPI_FIFO_SIZE - q->level < size) {
		sim_log(LOG_GUEST_ERROR,
			"QUADSPI@0x%08x: DR write with a full FIFO that will "
			"not drain: dropped", (unsigned)q->base);
		return;
	}
	now = vclock_now(q->clk);
	for (unsigned i = 0; i < size; i++)
		fifo_push(q, (uint8_t)(value >> (8 * i)));
	if (q->stalled)
		resume(q, now);
	advance(q, now);
}

static uint32_t read_dr(struct quadspi *q, uint32_t offset, unsigned size)
{
	uint32_t v = 0;
	uint64_t now;
	unsigned n;

	if (!dr_access_ok(q, offset, size, false))
		return 0;
	switch (fmode(q)) {
	case FMODE_MMAP:
		return 0;	/* RM0399 §24.3.12 */
	case FMODE_POLL:
		/* RM0399 §24.3.6: the last status, unmasked; the read clears
		 * FTF. */
		q->poll_ftf = false;
		return size == 4 ? q->poll_dr
				 : q->poll_dr & ((1U << (8 * size)) - 1);
	case FMODE_WRITE:
	case FMODE_READ:
		break;
	}
	if (!q->fifo_read) {
		sim_log(LOG_GUEST_ERROR,
			"QUADSPI@0x%08x: DR read with no indirect read in "
			"progress (RM0399 §24.5.9): returns 0",
			(unsigned)q->base);
		return 0;
	}
	/* RM0399 §24.5.9: too few bytes while BUSY stalls the read until
	 * they arrive or the transfer completes. */
	stall_for_fifo(q, size, true);
	now = vclock_now(q->clk);
	if (!q->level) {
		sim_log(LOG_GUEST_ERROR,
			"QUADSPI@0x%08x: DR read with an empty FIFO and %s "
			"(RM0399 §24.5.9): returns 0", (unsigned)q->base,
			q->op == OP_HUNG ? "the QUADSPI hung"
					 : "no data to come");
		return 0;
	}
	n = size < q->level ? size : q->level;
	for (unsigned i = 0; i < n; i++)
		v |= (uint32_t)fifo_pop(q) << (8 * i);
	if (q->stalled && q->op == OP_READ &&
	    QUADSPI_FIFO_SIZE - q->level >= FIFO_RESTART_FREE)
		resume(q, now);
	advance(q, now);
	return v;
}

static uint32_t reg_value(struct quadspi *q, uint32_t reg)
{
	switch (reg) {
	case QUADSPI_CR:
		return q->cr;
	case QUADSPI_DCR:
		return q->dcr;
	case QUADSPI_SR:
		return sr_value(q);
	case QUADSPI_FCR:
		return 0;
	case QUADSPI_DLR:
		return q->dlr;
	case QUADSPI_CCR:
		return q->ccr;
	case QUADSPI_AR:
		return q->ar;
	case QUADSPI_ABR:
		return q->abr;
	case QUADSPI_PSMKR:
		return q->psmkr;
	case QUADSPI_PSMAR:
		return q->psmar;
	case QUADSPI_PIR:
		return q->pir;
	case QUADSPI_LPTR:
		return q->lptr;
	}
	return 0;
}

static void write_reg(struct quadspi *q, uint32_t reg, uint32_t value,
		      uint64_t now)
{
	switch (reg) {
	case QUADSPI_CR:
		write_cr(q, value, now);
		return;
	case QUADSPI_DCR:
		if (busy(q)) {
			refused(q, "DCR", value);
			return;
		}
		q->dcr = reserved_check(q, "DCR", value, DCR_MASK);
		xspi_wire_set_clk_idle(q->wire, q->dcr & QUADSPI_DCR_CKMODE);
		return;
	case QUADSPI_SR:
		sim_log(LOG_GUEST_ERROR, "QUADSPI@0x%08x: SR is read-only "
			"(RM0399 §24.5.3)", (unsigned)q->base);
		return;
	case QUADSPI_FCR:
		q->flags &= ~reserved_check(q, "FCR", value, FCR_MASK);
		return;
	case QUADSPI_DLR:
		if (busy(q)) {
			refused(q, "DLR", value);
			return;
		}
		/* DL[0] stuck at 1 in dual-flash mode (RM0399 §24.5.5). */
		q->dlr = (q->cr & QUADSPI_CR_DFM) ? value | 1U : value;
		return;
	case QUADSPI_CCR:
		write_ccr(q, value);
		return;
	case QUADSPI_AR:
		write_ar(q, value);
		return;
	case QUADSPI_ABR:
	case QUADSPI_PSMKR:
	case QUADSPI_PSMAR:
	case QUADSPI_PIR:
	case QUADSPI_LPTR: {
		static const char *const names[] = {"ABR", "", "", "", "PSMKR",
						    "PSMAR", "PIR", "LPTR"};
		const char *name = names[(reg - QUADSPI_ABR) / 4];
		uint32_t *r = reg == QUADSPI_ABR	 ? &q->abr
			      : reg == QUADSPI_PSMKR ? &q->psmkr
			      : reg == QUADSPI_PSMAR ? &q->psmar
			      : reg == QUADSPI_PIR   ? &q->pir
						     : &q->lptr;

		if (busy(q)) {
			refused(q, name, value);
			return;
		}
		if (reg == QUADSPI_PIR || reg == QUADSPI_LPTR)
			value = reserved_check(q, name, value, 0xFFFF);
		*r = value;
		return;
	}
	}
	sim_log(LOG_GUEST_ERROR, "QUADSPI@0x%08x: write to reserved offset "
		"0x%03x (RM0399 Table 204)", (unsigned)q->base, (unsigned)reg);
}

/* The xspi-wait fault: the access completes `bus_wait` core cycles later,
 * as on a bus matrix another master keeps busy (RM0433 §2.1). */
static void bus_wait(struct quadspi *q)
{
	if (q->bus_wait)
		vclock_stall_until(q->clk, vclock_now(q->clk) + q->bus_wait);
}

void quadspi_set_bus_wait(struct quadspi *q, uint32_t cycles)
{
	q->bus_wait = cycles;
}

static bool reg_read(void *dev, uint32_t offset, unsigned size,
		     uint32_t *value, enum bus_master master)
{
	struct quadspi *q = dev;
	uint32_t reg = offset & ~3U;
	unsigned lane = offset & 3U;
	uint32_t v;

	(void)master;
	bus_wait(q);
	advance(q, vclock_now(q->clk));
	if (reg == QUADSPI_DR) {
		*value = read_dr(q, offset, size);
		return true;
	}
	if (reg > QUADSPI_LPTR) {
		sim_log(LOG_GUEST_ERROR, "QUADSPI@0x%08x: read of reserved "
			"offset 0x%03x (RM0399 Table 204)", (unsigned)q->base,
			(unsigned)offset);
		*value = 0;
		return true;
	}
	v = reg_value(q, reg) >> (8 * lane);
	*value = size == 4 ? v : v & ((1U << (8 * size)) - 1);
	return true;
}

static bool reg_write(void *dev, uint32_t offset, unsigned size,
		      uint32_t value, enum bus_master master)
{
	struct quadspi *q = dev;
	uint32_t reg = offset & ~3U;
	unsigned lane = offset & 3U;
	uint64_t now = vclock_now(q->clk);

	(void)master;
	bus_wait(q);
	now = vclock_now(q->clk);
	advance(q, now);
	if (reg == QUADSPI_DR) {
		write_dr(q, offset, size, value, now);
		return true;
	}
	if (size < 4 && reg <= QUADSPI_LPTR) {
		/* A narrow write replaces its byte lanes of the register. */
		uint32_t mask = ((size == 2 ? 0xFFFFU : 0xFFU)) << (8 * lane);
		uint32_t cur = reg == QUADSPI_FCR || reg == QUADSPI_SR
				       ? 0 : reg_value(q, reg);

		value = (cur & ~mask) | ((value << (8 * lane)) & mask);
	}
	write_reg(q, reg, value, now);
	return true;
}

const struct mmio_ops quadspi_reg_ops = {
	.read = reg_read,
	.write = reg_write,
};

/* ---- memory-mapped window (RM0399 §24.3.7) --------------------------------*/

static bool mem_read(void *dev, uint32_t offset, unsigned size,
		     uint32_t *value, enum bus_master master)
{
	struct quadspi *q = dev;
	uint64_t now = vclock_now(q->clk);
	uint32_t v = 0;

	(void)master;
	advance(q, now);
	/* RM0399 §24.3.14: bus error when disabled, when memory-mapped mode
	 * is not selected, or beyond FSIZE. */
	if (!(q->cr & QUADSPI_CR_EN) || fmode(q) != FMODE_MMAP) {
		sim_log(LOG_GUEST_ERROR,
			"QUADSPI@0x%08x: read of 0x%08x while %s: bus error "
			"(RM0399 §24.3.14)", (unsigned)q->base,
			(unsigned)(QUADSPI_MEM_BASE + offset),
			!(q->cr & QUADSPI_CR_EN) ? "the QUADSPI is disabled"
						 : "not in memory-mapped mode");
		return false;
	}
	if ((uint64_t)offset + size > fsize_bytes(q)) {
		sim_log(LOG_GUEST_ERROR,
			"QUADSPI@0x%08x: read of 0x%08x beyond FSIZE "
			"(%llu bytes): bus error (RM0399 §24.3.7)",
			(unsigned)q->base, (unsigned)(QUADSPI_MEM_BASE + offset),
			(unsigned long long)fsize_bytes(q));
		return false;
	}
	if (q->op == OP_HUNG || q->op == OP_FRCM) {
		sim_log(LOG_GUEST_ERROR,
			"QUADSPI@0x%08x: read of 0x%08x while the QUADSPI is "
			"%s: bus error", (unsigned)q->base,
			(unsigned)(QUADSPI_MEM_BASE + offset),
			q->op == OP_HUNG ? "hung" : "in free-running clock mode");
		return false;
	}
	if (q->op == OP_MMAP && q->on_wire && offset >= q->mm_head &&
	    offset <= q->mm_head + q->level) {
		/* Sequential: served from the prefetch FIFO. */
		for (uint32_t skip = offset - q->mm_head; skip; skip--)
			fifo_pop(q);
		q->mm_head = offset;
	} else {
		/* A new frame at the bus address; the running prefetch
		 * ends first (inferred from RM0399 §24.3.7). */
		stop(q, now);
		check_frame_rules(q, true);
		q->fifo_read = false;
		if (!command_begin(q, now, offset, XSPI_DIR_READ,
				   XSPI_LEN_UNBOUNDED)) {
			q->op = OP_HUNG;
			return false;
		}
		if (q->frame.dir != XSPI_DIR_READ) {
			/* DMODE = 00: a read without a data phase. */
			sim_log(LOG_GUEST_ERROR,
				"QUADSPI@0x%08x: memory-mapped read with "
				"DMODE = 00 (RM0399 §24.3.3): bus error",
				(unsigned)q->base);
			command_end(q, end_at(q));
			return false;
		}
		q->op = OP_MMAP;
		q->mm_head = offset;
	}
	if (q->level < size) {
		if (q->stalled)
			resume(q, now);
		while (q->level < size) {
			uint64_t t = next_byte_at(q);

			vclock_stall_until(q->clk, t);
			fifo_push(q, byte_in(q));
		}
	}
	now = vclock_now(q->clk);
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)fifo_pop(q) << (8 * i);
	q->mm_head += size;
	if (q->stalled && QUADSPI_FIFO_SIZE - q->level >= FIFO_RESTART_FREE)
		resume(q, now);
	advance(q, now);
	*value = v;
	return true;
}

static bool mem_write(void *dev, uint32_t offset, unsigned size,
		      uint32_t value, enum bus_master master)
{
	struct quadspi *q = dev;

	(void)size;
	(void)value;
	(void)master;
	/* RM0399 §24.3.12: "Only read operations are allowed"; answered with
	 * a bus error (docs/hardware-stm32h7.md §6.7, inferred). */
	sim_log(LOG_GUEST_ERROR,
		"QUADSPI@0x%08x: write to 0x%08x in the memory-mapped window: "
		"only reads are allowed (RM0399 §24.3.12): bus error",
		(unsigned)q->base, (unsigned)(QUADSPI_MEM_BASE + offset));
	return false;
}

const struct mmio_ops quadspi_mem_ops = {
	.read = mem_read,
	.write = mem_write,
};

/* ---- life cycle -----------------------------------------------------------*/

struct quadspi *quadspi_new(uint32_t base, enum quadspi_family family,
			    struct vclock *clk, quadspi_kernel_hz_fn kernel_hz,
			    void *kernel_ctx, struct xspi_wire *wire)
{
	struct quadspi *q = calloc(1, sizeof(*q));

	if (!q)
		return NULL;
	q->base = base;
	q->family = family;
	q->clk = clk;
	q->kernel_hz = kernel_hz;
	q->kernel_ctx = kernel_ctx;
	q->wire = wire;
	quadspi_reset(q);
	return q;
}

void quadspi_free(struct quadspi *q)
{
	if (!q)
		return;
	if (q->on_wire)
		command_end(q, vclock_now(q->clk));
	free(q);
}

void quadspi_reset(struct quadspi *q)
{
	if (q->on_wire)
		command_end(q, vclock_now(q->clk));
	q->cr = q->dcr = q->dlr = q->ccr = q->ar = q->abr = 0;
	q->psmkr = q->psmar = q->pir = q->lptr = 0;
	q->flags = 0;
	q->poll_dr = 0;
	q->poll_ftf = false;
	q->instr_sent = false;
	fifo_flush(q);
	q->fifo_read = false;
	q->op = OP_IDLE;
	q->hung_needs_en = false;
	q->stalled = false;
	xspi_wire_set_clk_idle(q->wire, false);
}

uint64_t quadspi_max_cs_low_ns(const struct quadspi *q)
{
	return q->max_cs_low_ns;
}
