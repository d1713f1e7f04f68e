/*
 * The indirect-mode engine the QUADSPI (RM0433 §23, RM0385 for F7) and
 * OCTOSPI (RM0455) transports share: one sequence over two register
 * layouts. A driver includes this after defining its description,
 * `static const struct xspi_ctl xspi_ctl` (xspi_ctl.h); the engine's
 * functions are static, so each driver gets its own copy with the
 * offsets and hooks folded in at compile time: the register accesses are
 * the ones a driver written for its block alone would make, and an image
 * with one transport carries one copy.
 *
 * Every op runs the same way (xspi_exec_op):
 *   wait BUSY = 0 → FCR = all flags → DLR (if data) → the frame
 *   registers (xspi_ctl.write_frame) → AR (if address) → data through
 *   DR → wait TCF → FCR.CTCF → wait BUSY = 0.
 * The transfer starts at the last frame-register write (no address, and
 * read or no data), at the AR write (address, and read or no data) or at
 * the first DR write (write with data) — RM0433 §23.3.5, RM0455's OCTOSPI
 * indirect mode, docs/hardware-stm32h7a3.md §6.3 — so DLR always precedes
 * the trigger. A transfer split into bursts (xspi_exec_bursts) sets the
 * frame up once and then writes only DLR (when the length changes) and AR
 * per burst. Any failure goes through one abort path and leaves the block
 * idle.
 */
#ifndef TARGET_STUBS_XSPI_INDIRECT_H
#define TARGET_STUBS_XSPI_INDIRECT_H

#include "transport/xspi_ctl.h"

static uint32_t xspi_sr_level(uint32_t sr)
{
	return (sr & XSPI_SR_FLEVEL_MASK) >> XSPI_SR_FLEVEL_SHIFT;
}

static uint32_t xspi_lines_mode(uint8_t lines)
{
	switch (lines) {
	case 1:
		return XSPI_MODE_1LINE;
	case 2:
		return XSPI_MODE_2LINES;
	case 4:
		return XSPI_MODE_4LINES;
	default:
		return XSPI_MODE_NONE;
	}
}

static bool xspi_lines_valid(uint8_t lines, bool may_be_absent)
{
	return lines == 1U || lines == 2U || lines == 4U ||
	       (may_be_absent && lines == 0U);
}

/* The one place an op becomes a CCR value; `fmode` lands in CCR only
 * where the block keeps it there. No alternate bytes (the PSRAMs take
 * none, pitfall 10); every DDR/DTR bit, DQSE and SIOO stay 0 (SDR,
 * pitfall 7). */
static uint32_t xspi_op_ccr(const struct xspi_op *op, uint32_t fmode)
{
	uint32_t ccr = xspi_lines_mode(op->cmd_lines) << xspi_ctl.ccr_imode;

	if (xspi_ctl.ccr_instruction != XSPI_CCR_ELSEWHERE)
		ccr |= (uint32_t)op->opcode << xspi_ctl.ccr_instruction;
	if (op->addr_lines != 0U) {
		ccr |= xspi_lines_mode(op->addr_lines) << xspi_ctl.ccr_admode;
		ccr |= (uint32_t)(op->addr_bytes - 1U) << xspi_ctl.ccr_adsize;
	}
	if (xspi_ctl.ccr_dcyc != XSPI_CCR_ELSEWHERE)
		ccr |= (uint32_t)op->dummy_cycles << xspi_ctl.ccr_dcyc;
	ccr |= xspi_lines_mode(op->data_lines) << xspi_ctl.ccr_dmode;
	if (xspi_ctl.ccr_fmode != XSPI_CCR_ELSEWHERE)
		ccr |= fmode << xspi_ctl.ccr_fmode;
	return ccr;
}

/* The phases alone, as CCR can express them for these memories. An
 * instruction phase in every op keeps a QUADSPI's CCR != 0 (ES0396
 * 2.6.2), a read from ever being data-only (2.6.3), and gives an OCTOSPI
 * op without address the IR write that starts it. */
static bool xspi_frame_valid(const struct xspi_op *op)
{
	if (!xspi_lines_valid(op->cmd_lines, false) ||
	    !xspi_lines_valid(op->addr_lines, true) ||
	    !xspi_lines_valid(op->data_lines, true))
		return false;
	if (op->addr_lines != 0U &&
	    (op->addr_bytes < 1U || op->addr_bytes > 4U))
		return false;
	/* Receiving on 2 or 4 lines needs a dummy cycle for the bus
	 * turnaround (RM0433 §23.3.3; RM0455 OCTOSPI regular-command mode). */
	if (op->dir == XSPI_DIR_IN && op->data_lines > 1U &&
	    op->dummy_cycles == 0U)
		return false;
	return op->dummy_cycles <= 31U;
}

static bool xspi_supports(const struct xspi *x, const struct xspi_op *op)
{
	if (!xspi_frame_valid(op))
		return false;
	if (op->access != 0U && op->access != 1U && op->access != 2U &&
	    op->access != 4U)
		return false;
	switch (op->dir) {
	case XSPI_DIR_NONE:
		if (op->data_lines != 0U || op->len != 0U)
			return false;
		break;
	case XSPI_DIR_IN:
		/* A read needs a data phase (RM0433 §23.3.3: DMODE = 00
		 * only in indirect write mode). */
		if (op->data_lines == 0U || op->len == 0U || !op->in)
			return false;
		break;
	case XSPI_DIR_OUT:
		if (op->data_lines == 0U || op->len == 0U || !op->out)
			return false;
		if (xspi_ctl.write_dummy_lost && op->dummy_cycles != 0U)
			return false;
		break;
	default:
		return false;
	}
	/* Beyond FSIZE/DEVSIZE, TEF is set and nothing moves (RM0433
	 * §23.3.14, OCTOSPI_SR.TEF). */
	if (op->addr_lines != 0U && x->size_log2 < 32U) {
		uint32_t size = 1U << x->size_log2;

		if (op->addr >= size || op->len > size - op->addr)
			return false;
	}
	return true;
}

static bool xspi_abort_done(const struct xspi *x)
{
	return !(xspi_rd(x, xspi_ctl.cr) & XSPI_CR_ABORT) &&
	       !(xspi_rd(x, xspi_ctl.sr) & XSPI_SR_BUSY);
}

/* The one abort path. CR.ABORT stops the transfer, and once it completes
 * BUSY and ABORT clear and the FIFO is flushed (RM0433 §23.3.15, RM0455
 * OCTOSPI_CR.ABORT). A hung QUADSPI keeps BUSY whatever ABORT does, and
 * only EN 0 → 1 recovers it (ES0396 2.6.2): should ABORT not complete,
 * that is tried, the other CR fields written back unchanged. Then clear
 * flags. */
static void xspi_abort(struct xspi *x)
{
	uint32_t cr = xspi_rd(x, xspi_ctl.cr) & ~XSPI_CR_ABORT;
	struct deadline d;

	xspi_wr(x, xspi_ctl.cr, cr | XSPI_CR_ABORT);
	timer_deadline_start(&d, x->timer, XSPI_ABORT_US);
	while (!xspi_abort_done(x)) {
		if (timer_deadline_passed(&d)) {
			xspi_event(x, STUB_LOG_ABORT_STUCK,
				   xspi_rd(x, xspi_ctl.sr),
				   xspi_rd(x, xspi_ctl.cr));
			xspi_wr(x, xspi_ctl.cr, cr & ~XSPI_CR_EN);
			xspi_wr(x, xspi_ctl.cr, cr);
			timer_deadline_start(&d, x->timer, XSPI_BUSY_US);
			while ((xspi_rd(x, xspi_ctl.sr) & XSPI_SR_BUSY) &&
			       !timer_deadline_passed(&d))
				;
			break;
		}
	}
	xspi_wr(x, xspi_ctl.fcr, XSPI_FCR_ALL);
}

/* Ends a failed op: remembers why, aborts, returns the status. */
static int xspi_op_fail(struct xspi *x, int status, uint32_t detail,
			uint32_t ccr)
{
	uint32_t sr = xspi_rd(x, xspi_ctl.sr);

	xspi_abort(x);
	return xspi_fail(x, status, detail, sr, ccr);
}

/* Waits for SR & mask == want. TEF ends any wait: the op is lost. */
static int xspi_wait_sr(struct xspi *x, struct deadline *d, uint32_t mask,
			uint32_t want, uint32_t detail, uint32_t ccr)
{
	for (;;) {
		uint32_t sr = xspi_rd(x, xspi_ctl.sr);

		if (sr & XSPI_SR_TEF)
			return xspi_op_fail(x, STUB_STATUS_XSPI_ERROR,
					    STUB_DETAIL_TEF, ccr);
		if ((sr & mask) == want)
			return STUB_STATUS_OK;
		if (timer_deadline_passed(d))
			return xspi_op_fail(x, STUB_STATUS_XSPI_TIMEOUT,
					    detail, ccr);
	}
}

/* The DR access size for the next piece of an op. */
static uint32_t xspi_access_size(const struct xspi_op *op, uint32_t left)
{
	uint32_t n = op->access ? op->access : 4U;

	return left < n ? 1U : n;
}

/* Drains the FIFO as data arrive, with DR accesses of the op's size and
 * bytes for the tail (RM0433 §23.5.9, OCTOSPI_DR: a byte read pops one
 * byte, a halfword two, a word four, little-endian). Every byte FLEVEL
 * counts is taken before SR is read again; a DR read never waits on an
 * empty FIFO, so a dead bus cannot stall the AHB. */
static int xspi_read_fifo(struct xspi *x, struct deadline *d,
			  const struct xspi_op *op, uint32_t ccr)
{
	uint8_t *p = op->in;
	uint32_t left = op->len;
	uint32_t polls = 0;

	while (left != 0U) {
		uint32_t sr = xspi_rd(x, xspi_ctl.sr);
		uint32_t level = xspi_sr_level(sr);
		uint32_t n = xspi_access_size(op, left);

		if (sr & XSPI_SR_TEF)
			return xspi_op_fail(x, STUB_STATUS_XSPI_ERROR,
					    STUB_DETAIL_TEF, ccr);
		if (level < n) {
			/* The deadline costs more than a poll: ask it every
			 * few polls, so that the last word of a burst is
			 * taken as soon as it is in. */
			if ((++polls & (XSPI_POLLS_PER_CHECK - 1U)) == 0U &&
			    timer_deadline_passed(d))
				return xspi_op_fail(x,
						    STUB_STATUS_XSPI_TIMEOUT,
						    STUB_DETAIL_WAIT_FIFO, ccr);
			continue;
		}
		while (level >= n) {
			if (n == 4U) {
				/* Words: nothing but the DR read and the store
				 * per word, so the CPU keeps ahead of the bus
				 * and the FIFO never fills (a full FIFO stops
				 * CLK with CE# low, RM0433 §23.3.16,
				 * docs/hardware-stm32h7a3.md §6.6). */
				uint32_t words =
					(level < left ? level : left) / 4U;

				left -= 4U * words;
				level -= 4U * words;
				for (; words != 0U; words--, p += 4) {
					uint32_t w = xspi_rd(x, xspi_ctl.dr);

					__builtin_memcpy(p, &w, 4U);
				}
			} else {
				if (n == 2U) {
					uint16_t h = mmio_read16(x->base +
								 xspi_ctl.dr);

					p[0] = (uint8_t)h;
					p[1] = (uint8_t)(h >> 8);
				} else {
					p[0] = mmio_read8(x->base +
							  xspi_ctl.dr);
				}
				p += n;
				left -= n;
				level -= n;
			}
			if (left == 0U)
				break;
			n = xspi_access_size(op, left);
		}
	}
	return STUB_STATUS_OK;
}

/* Fills the FIFO, waiting for FTF before every DR write
 * (docs/hardware-stm32h7.md §6.6: a write to a full FIFO stalls the bus; an
 * H747 hung without the check), with accesses of the op's size and bytes for
 * the tail. Words go in as many at a time as FLEVEL leaves room for, so the
 * FIFO never runs dry while there are data (an empty FIFO stops CLK with CE#
 * low). The first write starts the transfer. */
static int xspi_write_fifo(struct xspi *x, struct deadline *d,
			   const struct xspi_op *op, uint32_t ccr)
{
	const uint8_t *p = op->out;
	uint32_t left = op->len;

	while (left != 0U) {
		uint32_t sr = xspi_rd(x, xspi_ctl.sr);
		uint32_t n;

		if (sr & XSPI_SR_TEF)
			return xspi_op_fail(x, STUB_STATUS_XSPI_ERROR,
					    STUB_DETAIL_TEF, ccr);
		if (!(sr & XSPI_SR_FTF)) {
			if (timer_deadline_passed(d))
				return xspi_op_fail(x,
						    STUB_STATUS_XSPI_TIMEOUT,
						    STUB_DETAIL_WAIT_FIFO, ccr);
			continue;
		}
		/* FTF: at least FTHRES + 1 = 4 bytes free. */
		n = xspi_access_size(op, left);
		if (n == 4U) {
			uint32_t room = XSPI_FIFO_BYTES - xspi_sr_level(sr);
			uint32_t words = (room < left ? room : left) / 4U;

			if (words == 0U)
				words = 1U;
			left -= 4U * words;
			for (; words != 0U; words--, p += 4) {
				uint32_t w;

				__builtin_memcpy(&w, p, 4U);
				xspi_wr(x, xspi_ctl.dr, w);
			}
			continue;
		}
		if (n == 2U)
			mmio_write16(x->base + xspi_ctl.dr,
				     (uint16_t)(p[0] | p[1] << 8));
		else
			mmio_write8(x->base + xspi_ctl.dr, *p);
		p += n;
		left -= n;
	}
	return STUB_STATUS_OK;
}

/* The AR write, and where the block needs it (ctl->ar_tef_retry, the H7
 * QUADSPI: docs/hardware-stm32h7.md §6.5; MicroPython #5441) the check
 * after it: TEF right after a valid AR is cleared and AR written again.
 * supports() already refused addresses beyond the device size, so a TEF
 * that survives this is real and the waits report it. */
__attribute__((always_inline)) static inline void
xspi_write_ar(struct xspi *x, uint32_t addr)
{
	uint32_t sr;

	xspi_wr(x, xspi_ctl.ar, addr);
	if (!xspi_ctl.ar_tef_retry)
		return;
	sr = xspi_rd(x, xspi_ctl.sr);
	if (sr & XSPI_SR_TEF) {
		xspi_event(x, STUB_LOG_TEF_AFTER_AR, sr, addr);
		xspi_wr(x, xspi_ctl.fcr, XSPI_FCR_CTEF);
		xspi_wr(x, xspi_ctl.ar, addr);
	}
}

/* The driver's exec; `writes` false leaves the write path (write_fifo)
 * out of the code that inlines it, for an image that never sends data. */
__attribute__((always_inline)) static inline int
xspi_exec_op(struct xspi *x, const struct xspi_op *op, bool writes)
{
	uint32_t fmode = op->dir == XSPI_DIR_IN ? XSPI_FMODE_INDIRECT_READ
						: XSPI_FMODE_INDIRECT_WRITE;
	uint32_t ccr;
	struct deadline d;
	int st;

	if (!xspi_supports(x, op))
		return xspi_fail(x, STUB_STATUS_UNSUPPORTED, STUB_DETAIL_OP,
				 op->opcode, op->len);
	ccr = xspi_op_ccr(op, fmode);
	timer_deadline_start(&d, x->timer, xspi_op_timeout_us(x, op));

	/* The frame registers and DLR may be written only while BUSY = 0. */
	st = xspi_wait_sr(x, &d, XSPI_SR_BUSY, 0U, STUB_DETAIL_WAIT_BUSY,
			  ccr);
	if (st != STUB_STATUS_OK)
		return st;
	xspi_wr(x, xspi_ctl.fcr, XSPI_FCR_ALL);
	if (op->data_lines != 0U)
		xspi_wr(x, xspi_ctl.dlr, op->len - 1U);
	xspi_ctl.write_frame(x, op, fmode, ccr);
	if (op->addr_lines != 0U)
		xspi_write_ar(x, op->addr);

	if (op->dir == XSPI_DIR_IN)
		st = xspi_read_fifo(x, &d, op, ccr);
	else if (writes && op->dir == XSPI_DIR_OUT)
		st = xspi_write_fifo(x, &d, op, ccr);
	if (st != STUB_STATUS_OK)
		return st;

	st = xspi_wait_sr(x, &d, XSPI_SR_TCF, XSPI_SR_TCF,
			  STUB_DETAIL_WAIT_TCF, ccr);
	if (st != STUB_STATUS_OK)
		return st;
	xspi_wr(x, xspi_ctl.fcr, XSPI_FCR_CTCF);
	/* Indirect mode: BUSY clears once the sequence is done and the FIFO
	 * is empty (RM0433 §23.5.3, OCTOSPI_SR.BUSY). */
	return xspi_wait_sr(x, &d, XSPI_SR_BUSY, 0U, STUB_DETAIL_WAIT_BUSY,
			    ccr);
}

/* exec for commands and reads only: an op with data to send is
 * refused as one the transport does not support. */
__attribute__((always_inline)) static inline int
xspi_exec_no_writes(struct xspi *x, const struct xspi_op *op)
{
	if (op->dir == XSPI_DIR_OUT)
		return xspi_fail(x, STUB_STATUS_UNSUPPORTED, STUB_DETAIL_OP,
				 op->opcode, op->len);
	return xspi_exec_op(x, op, false);
}

/* ---- bursts (xspi_ops.exec_bursts) ----------------------------------------
 * A transfer is many bursts of one frame; between two of them CE# should
 * stay high for little more than CSHT + 1 clocks, which leaves the CPU a
 * handful of instructions when the core runs only a few times faster than
 * CLK. So the frame is checked and programmed once, the next burst is
 * worked out while this one is on the wire, and the waits are tight
 * loops that ask their deadline only every few polls. */
#define XSPI_HOT __attribute__((always_inline)) static inline

/* Bytes of the burst at addr: at most `burst`, and not across a multiple
 * of `boundary` (a power of two; 0 = none). */
XSPI_HOT uint32_t xspi_burst_len(uint32_t addr, uint32_t left, uint32_t burst,
				 uint32_t boundary)
{
	uint32_t n = left < burst ? left : burst;

	if (boundary != 0U) {
		uint32_t room = boundary - (addr & (boundary - 1U));

		if (n > room)
			n = room;
	}
	return n;
}

/* A poll of a burst loop with nothing to move: TEF ends the op (RM0433
 * §23.3.14, OCTOSPI_SR.TEF: it is set when the access is triggered), and
 * every XSPI_POLLS_PER_CHECK polls the deadline is asked, `detail` saying
 * what the wait was for. STUB_STATUS_OK: poll again. */
XSPI_HOT int xspi_burst_idle(struct xspi *x, struct deadline *d, uint32_t sr,
			     uint32_t *polls, uint32_t detail, uint32_t ccr)
{
	if (sr & XSPI_SR_TEF)
		return xspi_op_fail(x, STUB_STATUS_XSPI_ERROR, STUB_DETAIL_TEF,
				    ccr);
	if ((++*polls & (XSPI_POLLS_PER_CHECK - 1U)) == 0U &&
	    timer_deadline_passed(d))
		return xspi_op_fail(x, STUB_STATUS_XSPI_TIMEOUT, detail, ccr);
	return STUB_STATUS_OK;
}

/* The words of a burst: the FIFO rules of read_fifo and write_fifo (no DR
 * read from an empty FIFO, no DR write into a full one, TEF ends the op),
 * in loops of a few instructions per word: with the core twice as fast
 * as CLK, a word goes by every 16 core cycles in QPI. Out of line,
 * so that the loop keeps its registers; the call happens while the
 * burst's header is on the wire. TEF is looked at while the FIFO gives
 * nothing to do (xspi_burst_idle). */
static __attribute__((noinline)) int
xspi_read_words(struct xspi *x, struct deadline *d, uint8_t *p,
		uint32_t words, uint32_t ccr)
{
	const uint32_t sr_reg = x->base + xspi_ctl.sr;
	const uint32_t dr_reg = x->base + xspi_ctl.dr;
	uint32_t polls = 0;
	int st;

	while (words != 0U) {
		uint32_t sr = mmio_read32(sr_reg);
		uint32_t k = xspi_sr_level(sr) / 4U;

		if (k != 0U) {
			if (k > words)
				k = words;
			words -= k;
			do {
				uint32_t w = mmio_read32(dr_reg);

				__builtin_memcpy(p, &w, 4U);
				p += 4;
			} while (--k != 0U);
			continue;
		}
		st = xspi_burst_idle(x, d, sr, &polls, STUB_DETAIL_WAIT_FIFO,
				     ccr);
		if (st != STUB_STATUS_OK)
			return st;
	}
	return STUB_STATUS_OK;
}

static __attribute__((noinline)) int
xspi_write_words(struct xspi *x, struct deadline *d, const uint8_t *p,
		 uint32_t words, uint32_t ccr)
{
	const uint32_t sr_reg = x->base + xspi_ctl.sr;
	const uint32_t dr_reg = x->base + xspi_ctl.dr;
	uint32_t polls = 0;
	int st;

	while (words != 0U) {
		uint32_t sr = mmio_read32(sr_reg);
		uint32_t k = (XSPI_FIFO_BYTES - xspi_sr_level(sr)) / 4U;

		if (k != 0U) {
			if (k > words)
				k = words;
			words -= k;
			do {
				uint32_t w;

				__builtin_memcpy(&w, p, 4U);
				mmio_write32(dr_reg, w);
				p += 4;
			} while (--k != 0U);
			continue;
		}
		st = xspi_burst_idle(x, d, sr, &polls, STUB_DETAIL_WAIT_FIFO,
				     ccr);
		if (st != STUB_STATUS_OK)
			return st;
	}
	return STUB_STATUS_OK;
}

/* The end of a burst: BUSY = 0 (for a read also the FIFO empty, RM0433
 * §23.5.3), TEF ending the wait. */
XSPI_HOT int xspi_wait_burst_end(struct xspi *x, struct deadline *d,
				 uint32_t sr_reg, uint32_t ccr)
{
	uint32_t polls = 0;
	int st;

	for (;;) {
		uint32_t sr = mmio_read32(sr_reg);

		if (!(sr & (XSPI_SR_BUSY | XSPI_SR_TEF)))
			return STUB_STATUS_OK;
		st = xspi_burst_idle(x, d, sr, &polls, STUB_DETAIL_WAIT_BUSY,
				     ccr);
		if (st != STUB_STATUS_OK)
			return st;
	}
}

/* Bytes of a burst that are not whole words of a word-access op: as exec
 * moves them. */
static int xspi_burst_rest(struct xspi *x, struct deadline *d,
			   const struct xspi_op *op, uint32_t addr,
			   uint32_t len, uint32_t done, uint32_t ccr)
{
	struct xspi_op t = *op;

	t.addr = addr;
	t.len = len;
	if (t.in)
		t.in += done;
	if (t.out)
		t.out += done;
	return t.dir == XSPI_DIR_IN ? xspi_read_fifo(x, d, &t, ccr)
				    : xspi_write_fifo(x, d, &t, ccr);
}

/* The same bus traffic as exec per burst: between bursts only DLR (when
 * the length changes) and AR are written; AR starts the next read, the
 * first DR write the next write. TCF is checked once, after the last
 * burst. */
static int xspi_exec_bursts(struct xspi *x, const struct xspi_op *op,
			    uint32_t burst, uint32_t boundary)
{
	const uint32_t sr_reg = x->base + xspi_ctl.sr;
	const uint32_t dr_reg = x->base + xspi_ctl.dr;
	const bool reading = op->dir == XSPI_DIR_IN;
	const bool words_ok = op->access == 0U || op->access == 4U;
	uint32_t fmode = reading ? XSPI_FMODE_INDIRECT_READ
				 : XSPI_FMODE_INDIRECT_WRITE;
	uint32_t addr = op->addr, left = op->len, done = 0U;
	uint32_t ccr, n, dl, bursts;
	struct deadline d;
	int st;

	if (op->addr_lines == 0U || op->dir == XSPI_DIR_NONE || burst == 0U ||
	    (boundary & (boundary - 1U)) != 0U || !xspi_supports(x, op))
		return xspi_fail(x, STUB_STATUS_UNSUPPORTED, STUB_DETAIL_OP,
				 op->opcode, op->len);
	ccr = xspi_op_ccr(op, fmode);
	/* At most this many bursts: cut by `burst` and by `boundary`. */
	bursts = left / burst + 1U + (boundary ? left / boundary + 1U : 0U);
	timer_deadline_start(&d, x->timer,
			     xspi_bursts_timeout_us(x, op, bursts));

	st = xspi_wait_sr(x, &d, XSPI_SR_BUSY, 0U, STUB_DETAIL_WAIT_BUSY,
			  ccr);
	if (st != STUB_STATUS_OK)
		return st;
	xspi_wr(x, xspi_ctl.fcr, XSPI_FCR_ALL);
	n = xspi_burst_len(addr, left, burst, boundary);
	dl = n;
	xspi_wr(x, xspi_ctl.dlr, n - 1U);
	xspi_ctl.write_frame(x, op, fmode, ccr);
	xspi_write_ar(x, addr);
	for (;;) {
		uint32_t next_addr = addr + n;
		uint32_t words = words_ok ? n / 4U : 0U;
		uint32_t next_n = 0U;

		left -= n;
		if (reading) {
			/* Worked out while the header goes out. */
			if (left != 0U)
				next_n = xspi_burst_len(next_addr, left, burst,
							boundary);
			if (words != 0U)
				st = xspi_read_words(x, &d, op->in + done,
						     words, ccr);
		} else if (words != 0U) {
			/* BUSY = 0 left the FIFO empty: the first word goes
			 * in at once and starts the burst. */
			uint32_t w;

			__builtin_memcpy(&w, op->out + done, 4U);
			mmio_write32(dr_reg, w);
			if (words > 1U)
				st = xspi_write_words(x, &d,
						      op->out + done + 4U,
						      words - 1U, ccr);
		}
		if (st != STUB_STATUS_OK)
			return st;
		if (!reading && left != 0U)
			/* Worked out while the FIFO drains. */
			next_n = xspi_burst_len(next_addr, left, burst,
						boundary);
		if (4U * words != n) {
			st = xspi_burst_rest(x, &d, op, addr + 4U * words,
					     n - 4U * words, done + 4U * words,
					     ccr);
			if (st != STUB_STATUS_OK)
				return st;
		}
		st = xspi_wait_burst_end(x, &d, sr_reg, ccr);
		if (st != STUB_STATUS_OK)
			return st;
		if (left == 0U)
			break;
		if (next_n != dl) {
			dl = next_n;
			xspi_wr(x, xspi_ctl.dlr, next_n - 1U);
		}
		xspi_write_ar(x, next_addr);
		done += n;
		addr = next_addr;
		n = next_n;
	}
	/* TCF: the programmed bytes of the last burst went over the wire. */
	st = xspi_wait_sr(x, &d, XSPI_SR_TCF, XSPI_SR_TCF,
			  STUB_DETAIL_WAIT_TCF, ccr);
	if (st != STUB_STATUS_OK)
		return st;
	xspi_wr(x, xspi_ctl.fcr, XSPI_FCR_CTCF);
	return STUB_STATUS_OK;
}

/* ---- clocking (the drivers' init) ---------------------------------------- */

/* The prescaler for the fastest clock kernel_hz / (PRESCALER + 1) not
 * above clock_hz; XSPI_PRESCALER_MAX when even that is too fast. */
static uint32_t xspi_prescaler(uint32_t kernel_hz, uint32_t clock_hz)
{
	uint32_t div;

	if (clock_hz == 0U)
		return XSPI_PRESCALER_MAX;
	div = kernel_hz / clock_hz;
	if (div * clock_hz < kernel_hz)
		div++;
	if (div == 0U)
		div = 1U;
	return div > XSPI_PRESCALER_MAX + 1U ? XSPI_PRESCALER_MAX : div - 1U;
}

/* nCS high between commands: CSHT + 1 CLK cycles (RM0433 §23.5.2
 * QUADSPI_DCR, OCTOSPI_DCR1) must cover the chip's tCPH
 * (docs/psram-chips.md §4). */
static uint32_t xspi_cs_high_cycles(uint32_t cs_high_ns, uint32_t clock_hz)
{
	uint32_t khz = clock_hz / 1000U;
	uint32_t cycles = (cs_high_ns * khz + 999999U) / 1000000U;

	if (cycles < 1U)
		cycles = 1U;
	return cycles > 8U ? 8U : cycles;
}

/* RM0433 §23.5.1 (QUADSPI_CR.PRESCALER), OCTOSPI_DCR2: an odd division
 * factor 2m + 1 keeps CLK high for m kernel cycles and low for m + 1. When
 * m cycles are shorter than the chip's tCH (docs/psram-chips.md §9.18),
 * divide by one more: the clock gets slower, never faster, and the duty
 * cycle 50 %. */
static uint32_t xspi_duty_safe(uint32_t presc, uint32_t kernel_hz,
			       uint32_t clk_high_ps)
{
	uint32_t div = presc + 1U;
	uint32_t kernel_mhz = kernel_hz / 1000000U;

	if (div < 3U || (div & 1U) == 0U || presc == XSPI_PRESCALER_MAX ||
	    kernel_mhz == 0U)
		return presc;
	if (div / 2U * 1000000U / kernel_mhz < clk_high_ps)
		return presc + 1U;
	return presc;
}

/* The clock settings for cfg, into x->setup and x->size_log2: the
 * prescaler (duty-safe), the bus clock, CSHT + 1 and the sample shift. */
static void xspi_setup_clock(struct xspi *x, const struct xspi_config *cfg)
{
	uint32_t presc = xspi_duty_safe(xspi_prescaler(cfg->kernel_hz,
						       cfg->clock_hz),
					cfg->kernel_hz, cfg->clk_high_ps);
	uint32_t clock = cfg->kernel_hz / (presc + 1U);
	bool sshift = cfg->sample_shift == STUB_SSHIFT_ON ||
		      (cfg->sample_shift == STUB_SSHIFT_AUTO &&
		       clock > XSPI_SSHIFT_AUTO_HZ);

	x->size_log2 = cfg->size_log2;
	x->setup.clock_hz = clock;
	x->setup.prescaler = presc;
	x->setup.cs_high_cycles = xspi_cs_high_cycles(cfg->cs_high_ns, clock);
	x->setup.sample_shift = sshift ? 1U : 0U;
}

/* The RCC has just reset the block; a block left busy by firmware would
 * refuse the configuration writes, so make sure it is idle. */
static int xspi_wait_idle(struct xspi *x)
{
	struct deadline d;

	if (xspi_rd(x, xspi_ctl.sr) & XSPI_SR_BUSY)
		xspi_abort(x);
	timer_deadline_start(&d, x->timer, XSPI_BUSY_US);
	while (xspi_rd(x, xspi_ctl.sr) & XSPI_SR_BUSY) {
		if (timer_deadline_passed(&d))
			return xspi_fail(x, STUB_STATUS_XSPI_TIMEOUT,
					 STUB_DETAIL_WAIT_BUSY,
					 xspi_rd(x, xspi_ctl.sr), 0U);
	}
	return STUB_STATUS_OK;
}

#endif
