/*
 * QUADSPI transport, written to RM0399 §24.3 (the RM0433 block) with the
 * STM32H750 errata (ES0396 §2.6) and docs/hardware-stm32h7.md §6 and
 * docs/psram-chips.md §9.
 *
 * Every op runs the same way (exec):
 *   wait BUSY = 0 → FCR = all flags → DLR (if data) → CCR → AR (if address)
 *   → data through DR → wait TCF → FCR.CTCF → wait BUSY = 0.
 * The transfer starts at the CCR write (no address, and read or no data),
 * at the AR write (address, and read or no data) or at the first DR write
 * (write with data) — RM0399 §24.3.5 — so DLR always precedes the trigger.
 * A transfer split into bursts (exec_bursts) sets the frame up once and
 * then writes only DLR (when the length changes) and AR per burst.
 * Any failure goes through one abort path and leaves the block idle.
 */
#include "transport/quadspi_driver.h"

#include "regs/mmio.h"
#include "regs/regs_quadspi.h"

/* FTF when 4 bytes are free (write) / valid (read): one word access. */
#define QSPI_FTHRES 3U
/* Half-cycle sample shift above this clock (docs/psram-chips.md §4, §9.8:
 * tACLK up to 6-7 ns leaves no margin beyond ~70 MHz without it). */
#define QSPI_SSHIFT_AUTO_HZ 50000000U
/* Tight waits check their deadline once per this many polls (a power of
 * two); the backstop of a deadline whose CYCCNT does not count grows by
 * as much, and stays bounded. */
#define QSPI_POLLS_PER_CHECK 8U
#define QSPI_ABORT_US 1000U
#define QSPI_BUSY_US 1000U

static uint32_t rd(const struct xspi *x, uint32_t off)
{
	return mmio_read32(x->base + off);
}

static void wr(const struct xspi *x, uint32_t off, uint32_t value)
{
	mmio_write32(x->base + off, value);
}

static uint32_t sr_level(uint32_t sr)
{
	return (sr & QUADSPI_SR_FLEVEL_MASK) >> QUADSPI_SR_FLEVEL_SHIFT;
}

static uint32_t lines_mode(uint8_t lines)
{
	switch (lines) {
	case 1:
		return QUADSPI_MODE_1LINE;
	case 2:
		return QUADSPI_MODE_2LINES;
	case 4:
		return QUADSPI_MODE_4LINES;
	default:
		return QUADSPI_MODE_NONE;
	}
}

static bool lines_valid(uint8_t lines, bool may_be_absent)
{
	return lines == 1U || lines == 2U || lines == 4U ||
	       (may_be_absent && lines == 0U);
}

/* The one place an op becomes a CCR value. No alternate bytes (the PSRAMs
 * take none, pitfall 10); SIOO, FRCM, DHHC and DDRM stay 0 (SDR, pitfall 7).
 * IMODE is never 0 (supports()), so CCR is never 0 (ES0396 2.6.2). */
static uint32_t op_ccr(const struct xspi_op *op, uint32_t fmode)
{
	uint32_t ccr = (uint32_t)op->opcode << QUADSPI_CCR_INSTRUCTION_SHIFT;

	ccr |= lines_mode(op->cmd_lines) << QUADSPI_CCR_IMODE_SHIFT;
	if (op->addr_lines != 0U) {
		ccr |= lines_mode(op->addr_lines) << QUADSPI_CCR_ADMODE_SHIFT;
		ccr |= (uint32_t)(op->addr_bytes - 1U) << QUADSPI_CCR_ADSIZE_SHIFT;
	}
	ccr |= (uint32_t)op->dummy_cycles << QUADSPI_CCR_DCYC_SHIFT;
	ccr |= lines_mode(op->data_lines) << QUADSPI_CCR_DMODE_SHIFT;
	ccr |= fmode << QUADSPI_CCR_FMODE_SHIFT;
	return ccr;
}

/* The phases alone, as CCR can express them. An instruction phase in
 * every op keeps CCR != 0 (ES0396 2.6.2) and a read from ever being
 * data-only (2.6.3). */
static bool frame_valid(const struct xspi_op *op)
{
	if (!lines_valid(op->cmd_lines, false) ||
	    !lines_valid(op->addr_lines, true) ||
	    !lines_valid(op->data_lines, true))
		return false;
	if (op->addr_lines != 0U && (op->addr_bytes < 1U || op->addr_bytes > 4U))
		return false;
	/* RM0399 §24.3.3: receiving on 2 or 4 lines needs a dummy cycle for
	 * the bus turnaround. */
	if (op->dir == XSPI_DIR_IN && op->data_lines > 1U &&
	    op->dummy_cycles == 0U)
		return false;
	return op->dummy_cycles <= 31U;
}

static bool quadspi_supports(const struct xspi *x, const struct xspi_op *op)
{
	if (!frame_valid(op))
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
		/* RM0399 §24.3.3: DMODE = 00 only in indirect write mode. */
		if (op->data_lines == 0U || op->len == 0U || !op->in)
			return false;
		break;
	case XSPI_DIR_OUT:
		if (op->data_lines == 0U || op->len == 0U || !op->out)
			return false;
		/* ES0396 2.6.1 (rev Y): dummy cycles in an indirect write
		 * lose the first data nibble. */
		if (op->dummy_cycles != 0U)
			return false;
		break;
	default:
		return false;
	}
	/* RM0399 §24.3.14: beyond FSIZE, TEF is set and nothing moves. */
	if (op->addr_lines != 0U && x->size_log2 < 32U) {
		uint32_t size = 1U << x->size_log2;

		if (op->addr >= size || op->len > size - op->addr)
			return false;
	}
	return true;
}

static bool abort_done(const struct xspi *x)
{
	return !(rd(x, QUADSPI_CR) & QUADSPI_CR_ABORT) &&
	       !(rd(x, QUADSPI_SR) & QUADSPI_SR_BUSY);
}

/* The one abort path. RM0399 §24.3.15: ABORT stops the transfer, and once
 * it completes BUSY and ABORT clear and the FIFO is flushed. ES0396 2.6.2:
 * a hung block keeps BUSY whatever ABORT does, and only EN 0 → 1 recovers
 * it (the other CR fields are written back unchanged). Then clear flags. */
static void quadspi_abort(struct xspi *x)
{
	uint32_t cr = rd(x, QUADSPI_CR) & ~QUADSPI_CR_ABORT;
	struct deadline d;

	wr(x, QUADSPI_CR, cr | QUADSPI_CR_ABORT);
	timer_deadline_start(&d, x->timer, QSPI_ABORT_US);
	while (!abort_done(x)) {
		if (timer_deadline_passed(&d)) {
			xspi_event(x, STUB_LOG_ABORT_STUCK, rd(x, QUADSPI_SR),
				   rd(x, QUADSPI_CR));
			wr(x, QUADSPI_CR, cr & ~QUADSPI_CR_EN);
			wr(x, QUADSPI_CR, cr);
			timer_deadline_start(&d, x->timer, QSPI_BUSY_US);
			while ((rd(x, QUADSPI_SR) & QUADSPI_SR_BUSY) &&
			       !timer_deadline_passed(&d))
				;
			break;
		}
	}
	wr(x, QUADSPI_FCR, QUADSPI_FCR_ALL);
}

/* Ends a failed op: remembers why, aborts, returns the status. */
static int op_fail(struct xspi *x, int status, uint32_t detail, uint32_t ccr)
{
	uint32_t sr = rd(x, QUADSPI_SR);

	quadspi_abort(x);
	return xspi_fail(x, status, detail, sr, ccr);
}

/* Waits for SR & mask == want. TEF ends any wait: the op is lost. */
static int wait_sr(struct xspi *x, struct deadline *d, uint32_t mask,
		   uint32_t want, uint32_t detail, uint32_t ccr)
{
	for (;;) {
		uint32_t sr = rd(x, QUADSPI_SR);

		if (sr & QUADSPI_SR_TEF)
			return op_fail(x, STUB_STATUS_XSPI_ERROR,
				       STUB_DETAIL_TEF, ccr);
		if ((sr & mask) == want)
			return STUB_STATUS_OK;
		if (timer_deadline_passed(d))
			return op_fail(x, STUB_STATUS_XSPI_TIMEOUT, detail, ccr);
	}
}

/* The DR access size for the next piece of an op. */
static uint32_t access_size(const struct xspi_op *op, uint32_t left)
{
	uint32_t n = op->access ? op->access : 4U;

	return left < n ? 1U : n;
}

/* Drains the FIFO as data arrive, with DR accesses of the op's size and
 * bytes for the tail (RM0399 §24.5.9: a byte read pops one byte, a
 * halfword two, a word four, little-endian). Every byte FLEVEL counts is
 * taken before SR is read again; a DR read never waits on an empty FIFO,
 * so a dead bus cannot stall the AHB. */
static int read_fifo(struct xspi *x, struct deadline *d,
		     const struct xspi_op *op, uint32_t ccr)
{
	uint8_t *p = op->in;
	uint32_t left = op->len;
	uint32_t polls = 0;

	while (left != 0U) {
		uint32_t sr = rd(x, QUADSPI_SR);
		uint32_t level = sr_level(sr);
		uint32_t n = access_size(op, left);

		if (sr & QUADSPI_SR_TEF)
			return op_fail(x, STUB_STATUS_XSPI_ERROR,
				       STUB_DETAIL_TEF, ccr);
		if (level < n) {
			/* The deadline costs more than a poll: ask it every
			 * few polls, so that the last word of a burst is
			 * taken as soon as it is in. */
			if ((++polls & (QSPI_POLLS_PER_CHECK - 1U)) == 0U &&
			    timer_deadline_passed(d))
				return op_fail(x, STUB_STATUS_XSPI_TIMEOUT,
					       STUB_DETAIL_WAIT_FIFO, ccr);
			continue;
		}
		while (level >= n) {
			if (n == 4U) {
				/* Words: nothing but the DR read and the store
				 * per word, so the CPU keeps ahead of the bus
				 * and the FIFO never fills (a full FIFO stops
				 * CLK with CE# low, RM0399 §24.3.16). */
				uint32_t words = (level < left ? level : left) / 4U;

				left -= 4U * words;
				level -= 4U * words;
				for (; words != 0U; words--, p += 4) {
					uint32_t w = rd(x, QUADSPI_DR);

					__builtin_memcpy(p, &w, 4U);
				}
			} else {
				if (n == 2U) {
					uint16_t h = mmio_read16(x->base +
								 QUADSPI_DR);

					p[0] = (uint8_t)h;
					p[1] = (uint8_t)(h >> 8);
				} else {
					p[0] = mmio_read8(x->base + QUADSPI_DR);
				}
				p += n;
				left -= n;
				level -= n;
			}
			if (left == 0U)
				break;
			n = access_size(op, left);
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
static int write_fifo(struct xspi *x, struct deadline *d,
		      const struct xspi_op *op, uint32_t ccr)
{
	const uint8_t *p = op->out;
	uint32_t left = op->len;

	while (left != 0U) {
		uint32_t sr = rd(x, QUADSPI_SR);
		uint32_t n;

		if (sr & QUADSPI_SR_TEF)
			return op_fail(x, STUB_STATUS_XSPI_ERROR,
				       STUB_DETAIL_TEF, ccr);
		if (!(sr & QUADSPI_SR_FTF)) {
			if (timer_deadline_passed(d))
				return op_fail(x, STUB_STATUS_XSPI_TIMEOUT,
					       STUB_DETAIL_WAIT_FIFO, ccr);
			continue;
		}
		/* FTF: at least FTHRES + 1 = 4 bytes free. */
		n = access_size(op, left);
		if (n == 4U) {
			uint32_t room = QUADSPI_FIFO_BYTES - sr_level(sr);
			uint32_t words = (room < left ? room : left) / 4U;

			if (words == 0U)
				words = 1U;
			left -= 4U * words;
			for (; words != 0U; words--, p += 4) {
				uint32_t w;

				__builtin_memcpy(&w, p, 4U);
				wr(x, QUADSPI_DR, w);
			}
			continue;
		}
		if (n == 2U)
			mmio_write16(x->base + QUADSPI_DR,
				     (uint16_t)(p[0] | p[1] << 8));
		else
			mmio_write8(x->base + QUADSPI_DR, *p);
		p += n;
		left -= n;
	}
	return STUB_STATUS_OK;
}

/* AR write, then the H7 check seen on silicon (docs/hardware-stm32h7.md §6.5;
 * MicroPython #5441): TEF right after a valid AR is cleared and AR written
 * again. supports() already refused addresses beyond FSIZE, so a TEF
 * that survives this is real and the waits report it. */
__attribute__((always_inline)) static inline void write_ar(struct xspi *x,
							    uint32_t addr)
{
	uint32_t sr;

	wr(x, QUADSPI_AR, addr);
	sr = rd(x, QUADSPI_SR);
	if (sr & QUADSPI_SR_TEF) {
		xspi_event(x, STUB_LOG_TEF_AFTER_AR, sr, addr);
		wr(x, QUADSPI_FCR, QUADSPI_FCR_CTEF);
		wr(x, QUADSPI_AR, addr);
	}
}

/* exec's body; `writes` false leaves the write path (write_fifo) out of
 * the code that inlines it, for an image that never sends data. */
__attribute__((always_inline)) static inline int
exec_op(struct xspi *x, const struct xspi_op *op, bool writes)
{
	uint32_t fmode = op->dir == XSPI_DIR_IN ? QUADSPI_FMODE_INDIRECT_READ
						: QUADSPI_FMODE_INDIRECT_WRITE;
	uint32_t ccr;
	struct deadline d;
	int st;

	if (!quadspi_supports(x, op))
		return xspi_fail(x, STUB_STATUS_UNSUPPORTED, STUB_DETAIL_OP,
				 op->opcode, op->len);
	ccr = op_ccr(op, fmode);
	timer_deadline_start(&d, x->timer, xspi_op_timeout_us(x, op));

	/* CCR and DLR may be written only while BUSY = 0. */
	st = wait_sr(x, &d, QUADSPI_SR_BUSY, 0U, STUB_DETAIL_WAIT_BUSY, ccr);
	if (st != STUB_STATUS_OK)
		return st;
	wr(x, QUADSPI_FCR, QUADSPI_FCR_ALL);
	if (op->data_lines != 0U)
		wr(x, QUADSPI_DLR, op->len - 1U);
	wr(x, QUADSPI_CCR, ccr);
	if (op->addr_lines != 0U)
		write_ar(x, op->addr);

	if (op->dir == XSPI_DIR_IN)
		st = read_fifo(x, &d, op, ccr);
	else if (writes && op->dir == XSPI_DIR_OUT)
		st = write_fifo(x, &d, op, ccr);
	if (st != STUB_STATUS_OK)
		return st;

	st = wait_sr(x, &d, QUADSPI_SR_TCF, QUADSPI_SR_TCF,
		     STUB_DETAIL_WAIT_TCF, ccr);
	if (st != STUB_STATUS_OK)
		return st;
	wr(x, QUADSPI_FCR, QUADSPI_FCR_CTCF);
	/* Indirect mode: BUSY clears once the sequence is done and the FIFO
	 * is empty (RM0399 §24.5.3). */
	return wait_sr(x, &d, QUADSPI_SR_BUSY, 0U, STUB_DETAIL_WAIT_BUSY, ccr);
}

static int quadspi_exec(struct xspi *x, const struct xspi_op *op)
{
	return exec_op(x, op, true);
}

/* exec for commands and reads only: an op with data to send is
 * refused as one the transport does not support. */
static int quadspi_exec_no_writes(struct xspi *x, const struct xspi_op *op)
{
	if (op->dir == XSPI_DIR_OUT)
		return xspi_fail(x, STUB_STATUS_UNSUPPORTED, STUB_DETAIL_OP,
				 op->opcode, op->len);
	return exec_op(x, op, false);
}

/* ---- bursts (xspi_ops.exec_bursts) ----------------------------------------
 * A transfer is many bursts of one frame; between two of them CE# should
 * stay high for little more than CSHT + 1 clocks, which leaves the CPU a
 * handful of instructions when the core runs only a few times faster than
 * CLK. So the frame is checked and programmed once, the next burst is
 * worked out while this one is on the wire, and the waits are tight
 * loops that ask their deadline only every few polls. */
#define QSPI_HOT __attribute__((always_inline)) static inline

/* Bytes of the burst at addr: at most `burst`, and not across a multiple
 * of `boundary` (a power of two; 0 = none). */
QSPI_HOT uint32_t burst_len(uint32_t addr, uint32_t left, uint32_t burst,
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

/* The words of a burst: the FIFO rules of read_fifo and write_fifo (no DR
 * read from an empty FIFO, no DR write into a full one, TEF ends the op),
 * in loops of a few instructions per word: with the core twice as fast
 * as CLK, a word goes by every 16 core cycles in QPI. Out of line,
 * so that the loop keeps its registers; the call happens while the
 * burst's header is on the wire. TEF is looked at while the FIFO gives
 * nothing to do (RM0399 §24.3.14: it is set when the access is
 * triggered). */
static __attribute__((noinline)) int read_words(struct xspi *x,
						struct deadline *d,
						uint8_t *p, uint32_t words,
						uint32_t ccr)
{
	const uint32_t sr_reg = x->base + QUADSPI_SR;
	const uint32_t dr_reg = x->base + QUADSPI_DR;
	uint32_t polls = 0;

	while (words != 0U) {
		uint32_t sr = mmio_read32(sr_reg);
		uint32_t k = sr_level(sr) / 4U;

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
		if (sr & QUADSPI_SR_TEF)
			return op_fail(x, STUB_STATUS_XSPI_ERROR,
				       STUB_DETAIL_TEF, ccr);
		if ((++polls & (QSPI_POLLS_PER_CHECK - 1U)) == 0U &&
		    timer_deadline_passed(d))
			return op_fail(x, STUB_STATUS_XSPI_TIMEOUT,
				       STUB_DETAIL_WAIT_FIFO, ccr);
	}
	return STUB_STATUS_OK;
}

static __attribute__((noinline)) int write_words(struct xspi *x,
						 struct deadline *d,
						 const uint8_t *p,
						 uint32_t words, uint32_t ccr)
{
	const uint32_t sr_reg = x->base + QUADSPI_SR;
	const uint32_t dr_reg = x->base + QUADSPI_DR;
	uint32_t polls = 0;

	while (words != 0U) {
		uint32_t sr = mmio_read32(sr_reg);
		uint32_t k = (QUADSPI_FIFO_BYTES - sr_level(sr)) / 4U;

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
		if (sr & QUADSPI_SR_TEF)
			return op_fail(x, STUB_STATUS_XSPI_ERROR,
				       STUB_DETAIL_TEF, ccr);
		if ((++polls & (QSPI_POLLS_PER_CHECK - 1U)) == 0U &&
		    timer_deadline_passed(d))
			return op_fail(x, STUB_STATUS_XSPI_TIMEOUT,
				       STUB_DETAIL_WAIT_FIFO, ccr);
	}
	return STUB_STATUS_OK;
}

/* The end of a burst: BUSY = 0 (for a read also the FIFO empty, RM0399
 * §24.5.3), TEF ending the wait. */
QSPI_HOT int wait_burst_end(struct xspi *x, struct deadline *d,
			    uint32_t sr_reg, uint32_t ccr)
{
	uint32_t polls = 0;

	for (;;) {
		uint32_t sr = mmio_read32(sr_reg);

		if (!(sr & (QUADSPI_SR_BUSY | QUADSPI_SR_TEF)))
			return STUB_STATUS_OK;
		if (sr & QUADSPI_SR_TEF)
			return op_fail(x, STUB_STATUS_XSPI_ERROR,
				       STUB_DETAIL_TEF, ccr);
		if ((++polls & (QSPI_POLLS_PER_CHECK - 1U)) == 0U &&
		    timer_deadline_passed(d))
			return op_fail(x, STUB_STATUS_XSPI_TIMEOUT,
				       STUB_DETAIL_WAIT_BUSY, ccr);
	}
}

/* Bytes of a burst that are not whole words of a word-access op: as exec
 * moves them. */
static int burst_rest(struct xspi *x, struct deadline *d,
		      const struct xspi_op *op, uint32_t addr, uint32_t len,
		      uint32_t done, uint32_t ccr)
{
	struct xspi_op t = *op;

	t.addr = addr;
	t.len = len;
	if (t.in)
		t.in += done;
	if (t.out)
		t.out += done;
	return t.dir == XSPI_DIR_IN ? read_fifo(x, d, &t, ccr)
				    : write_fifo(x, d, &t, ccr);
}

/* The same bus traffic as exec per burst: between bursts only DLR (when
 * the length changes) and AR are written; AR starts the next read, the
 * first DR write the next write (RM0399 §24.3.5). TCF is checked once,
 * after the last burst. */
static int quadspi_exec_bursts(struct xspi *x, const struct xspi_op *op,
			       uint32_t burst, uint32_t boundary)
{
	const uint32_t sr_reg = x->base + QUADSPI_SR;
	const uint32_t dr_reg = x->base + QUADSPI_DR;
	const bool reading = op->dir == XSPI_DIR_IN;
	const bool words_ok = op->access == 0U || op->access == 4U;
	uint32_t fmode = reading ? QUADSPI_FMODE_INDIRECT_READ
				 : QUADSPI_FMODE_INDIRECT_WRITE;
	uint32_t addr = op->addr, left = op->len, done = 0U;
	uint32_t ccr, n, dl;
	struct deadline d;
	int st;

	if (op->addr_lines == 0U || op->dir == XSPI_DIR_NONE || burst == 0U ||
	    (boundary & (boundary - 1U)) != 0U || !quadspi_supports(x, op))
		return xspi_fail(x, STUB_STATUS_UNSUPPORTED, STUB_DETAIL_OP,
				 op->opcode, op->len);
	ccr = op_ccr(op, fmode);
	timer_deadline_start(&d, x->timer,
			     xspi_bursts_timeout_us(x, op,
					       left / burst + 1U +
						       (boundary ? left / boundary + 1U
								 : 0U)));

	st = wait_sr(x, &d, QUADSPI_SR_BUSY, 0U, STUB_DETAIL_WAIT_BUSY, ccr);
	if (st != STUB_STATUS_OK)
		return st;
	wr(x, QUADSPI_FCR, QUADSPI_FCR_ALL);
	n = burst_len(addr, left, burst, boundary);
	dl = n;
	wr(x, QUADSPI_DLR, n - 1U);
	wr(x, QUADSPI_CCR, ccr);
	write_ar(x, addr);
	for (;;) {
		uint32_t next_addr = addr + n;
		uint32_t words = words_ok ? n / 4U : 0U;
		uint32_t next_n = 0U;

		left -= n;
		if (reading) {
			/* Worked out while the header goes out. */
			if (left != 0U)
				next_n = burst_len(next_addr, left, burst,
						   boundary);
			if (words != 0U)
				st = read_words(x, &d, op->in + done, words,
						ccr);
		} else if (words != 0U) {
			/* BUSY = 0 left the FIFO empty: the first word goes
			 * in at once and starts the burst. */
			uint32_t w;

			__builtin_memcpy(&w, op->out + done, 4U);
			mmio_write32(dr_reg, w);
			if (words > 1U)
				st = write_words(x, &d, op->out + done + 4U,
						 words - 1U, ccr);
		}
		if (st != STUB_STATUS_OK)
			return st;
		if (!reading && left != 0U)
			/* Worked out while the FIFO drains. */
			next_n = burst_len(next_addr, left, burst, boundary);
		if (4U * words != n) {
			st = burst_rest(x, &d, op, addr + 4U * words,
					n - 4U * words, done + 4U * words, ccr);
			if (st != STUB_STATUS_OK)
				return st;
		}
		st = wait_burst_end(x, &d, sr_reg, ccr);
		if (st != STUB_STATUS_OK)
			return st;
		if (left == 0U)
			break;
		if (next_n != dl) {
			dl = next_n;
			wr(x, QUADSPI_DLR, next_n - 1U);
		}
		write_ar(x, next_addr);
		done += n;
		addr = next_addr;
		n = next_n;
	}
	/* TCF: the programmed bytes of the last burst went over the wire. */
	st = wait_sr(x, &d, QUADSPI_SR_TCF, QUADSPI_SR_TCF,
		     STUB_DETAIL_WAIT_TCF, ccr);
	if (st != STUB_STATUS_OK)
		return st;
	wr(x, QUADSPI_FCR, QUADSPI_FCR_CTCF);
	return STUB_STATUS_OK;
}

uint32_t quadspi_prescaler(uint32_t kernel_hz, uint32_t clock_hz)
{
	uint32_t div;

	if (clock_hz == 0U)
		return QUADSPI_PRESCALER_MAX;
	div = kernel_hz / clock_hz;
	if (div * clock_hz < kernel_hz)
		div++;
	if (div == 0U)
		div = 1U;
	return div > QUADSPI_PRESCALER_MAX + 1U ? QUADSPI_PRESCALER_MAX
						 : div - 1U;
}

/* nCS high between commands: CSHT + 1 CLK cycles (RM0399 §24.5.2) must
 * cover the chip's tCPH (docs/psram-chips.md §4). */
static uint32_t cs_high_cycles(uint32_t cs_high_ns, uint32_t clock_hz)
{
	uint32_t khz = clock_hz / 1000U;
	uint32_t cycles = (cs_high_ns * khz + 999999U) / 1000000U;

	if (cycles < 1U)
		cycles = 1U;
	return cycles > 8U ? 8U : cycles;
}

/* RM0399 §24.5.1: an odd division factor 2m + 1 keeps CLK high for m
 * kernel cycles and low for m + 1. When m cycles are shorter than the
 * chip's tCH (docs/psram-chips.md §9.18), divide by one more: the clock gets
 * slower, never faster, and the duty cycle 50 %. */
static uint32_t duty_safe(uint32_t presc, uint32_t kernel_hz,
			  uint32_t clk_high_ps)
{
	uint32_t div = presc + 1U;
	uint32_t kernel_mhz = kernel_hz / 1000000U;

	if (div < 3U || (div & 1U) == 0U || presc == QUADSPI_PRESCALER_MAX ||
	    kernel_mhz == 0U)
		return presc;
	if (div / 2U * 1000000U / kernel_mhz < clk_high_ps)
		return presc + 1U;
	return presc;
}

static int quadspi_init(struct xspi *x, const struct xspi_config *cfg)
{
	uint32_t presc = duty_safe(quadspi_prescaler(cfg->kernel_hz,
						     cfg->clock_hz),
				   cfg->kernel_hz, cfg->clk_high_ps);
	uint32_t clock = cfg->kernel_hz / (presc + 1U);
	uint32_t csht = cs_high_cycles(cfg->cs_high_ns, clock);
	bool sshift = cfg->sample_shift == STUB_SSHIFT_ON ||
		      (cfg->sample_shift == STUB_SSHIFT_AUTO &&
		       clock > QSPI_SSHIFT_AUTO_HZ);
	uint32_t cr = presc << QUADSPI_CR_PRESCALER_SHIFT |
		      QSPI_FTHRES << QUADSPI_CR_FTHRES_SHIFT |
		      (sshift ? QUADSPI_CR_SSHIFT : 0U);
	struct deadline d;

	x->size_log2 = cfg->size_log2;
	x->setup.clock_hz = clock;
	x->setup.prescaler = presc;
	x->setup.cs_high_cycles = csht;
	x->setup.sample_shift = sshift ? 1U : 0U;

	/* The RCC has just reset the block; a block left busy by firmware
	 * would refuse the writes below, so make sure. */
	if (rd(x, QUADSPI_SR) & QUADSPI_SR_BUSY)
		quadspi_abort(x);
	timer_deadline_start(&d, x->timer, QSPI_BUSY_US);
	while (rd(x, QUADSPI_SR) & QUADSPI_SR_BUSY) {
		if (timer_deadline_passed(&d))
			return xspi_fail(x, STUB_STATUS_XSPI_TIMEOUT,
					 STUB_DETAIL_WAIT_BUSY,
					 rd(x, QUADSPI_SR), 0U);
	}
	/* FSIZE: 2^(FSIZE + 1) bytes. CKMODE = 0: the PSRAM timing diagrams
	 * are SPI mode 0 (pitfall 9). */
	wr(x, QUADSPI_DCR, (cfg->size_log2 - 1U) << QUADSPI_DCR_FSIZE_SHIFT |
				   (csht - 1U) << QUADSPI_DCR_CSHT_SHIFT);
	wr(x, QUADSPI_CR, cr);
	wr(x, QUADSPI_CR, cr | QUADSPI_CR_EN);
	wr(x, QUADSPI_FCR, QUADSPI_FCR_ALL);
	return STUB_STATUS_OK;
}

/* RM0399 §24.3.7: memory-mapped mode runs the CCR frame (FMODE = 11) for
 * every read of the window; with TCEN, NCS rises LPTR.TIMEOUT cycles after
 * the prefetch filled the FIFO. Writes stay indirect: "only read
 * operations are allowed" (§24.3.12). */
static int quadspi_map(struct xspi *x, const struct xspi_op *rop,
		       const struct xspi_op *wop, const struct stub_map *cfg)
{
	uint32_t cr = rd(x, QUADSPI_CR) & ~QUADSPI_CR_TCEN;
	uint32_t ccr;
	struct deadline d;
	int st;

	(void)wop;
	if (!frame_valid(rop) || rop->dir != XSPI_DIR_IN || rop->data_lines == 0U)
		return xspi_fail(x, STUB_STATUS_UNSUPPORTED, STUB_DETAIL_OP,
				 rop->opcode, 0U);
	ccr = op_ccr(rop, QUADSPI_FMODE_MEMORY_MAPPED);
	timer_deadline_start(&d, x->timer, QSPI_BUSY_US);
	st = wait_sr(x, &d, QUADSPI_SR_BUSY, 0U, STUB_DETAIL_WAIT_BUSY, ccr);
	if (st != STUB_STATUS_OK)
		return st;
	wr(x, QUADSPI_FCR, QUADSPI_FCR_ALL);
	if (cfg->flags & STUB_MAP_TIMEOUT) {
		wr(x, QUADSPI_LPTR, cfg->timeout & QUADSPI_LPTR_TIMEOUT_MASK);
		cr |= QUADSPI_CR_TCEN;
	}
	wr(x, QUADSPI_CR, cr);
	wr(x, QUADSPI_CCR, ccr);
	x->map_writes = false;
	return STUB_STATUS_OK;
}

/* ABORT ends memory-mapped mode (RM0399 §24.3.15); the next exec writes
 * CCR with its own FMODE before AR. */
static int quadspi_unmap(struct xspi *x)
{
	quadspi_abort(x);
	wr(x, QUADSPI_CR, rd(x, QUADSPI_CR) & ~QUADSPI_CR_TCEN);
	x->map_writes = false;
	return STUB_STATUS_OK;
}

/* RM0433 §23.3.13 (RM0399 §24.3.7, RM0385's QUADSPI memory-mapped mode):
 * after each mapped access the QUADSPI prefetches the next bytes until
 * its FIFO is full and, with CR.TCEN, raises NCS LPTR.TIMEOUT CLK cycles
 * later and sets SR.TOF; until then a sequential read continues the same
 * burst with CE# low. So the pause is at least the FIFO's fill (2 CLK
 * per byte on four lines) and TIMEOUT cycles, counted on CYCCNT, and it
 * ends on TOF, the controller's word that NCS rose. */
static int quadspi_map_release(struct xspi *x)
{
	uint32_t clk = 2U * QUADSPI_FIFO_BYTES + 2U +
		       (rd(x, QUADSPI_LPTR) & QUADSPI_LPTR_TIMEOUT_MASK);
	uint32_t khz = x->setup.clock_hz / 1000U;
	uint64_t cpu = (uint64_t)clk * x->timer->cycles_per_us * 1000U /
		       (khz ? khz : 1U) + 1U;
	uint32_t t0 = timer_now();
	struct deadline d;

	if (!(rd(x, QUADSPI_CR) & QUADSPI_CR_TCEN))
		return STUB_STATUS_OK;	/* nothing raises NCS but a new frame */
	while ((uint32_t)(timer_now() - t0) < cpu)
		;
	timer_deadline_start(&d, x->timer, QSPI_BUSY_US);
	while (!(rd(x, QUADSPI_SR) & QUADSPI_SR_TOF)) {
		if (timer_deadline_passed(&d))
			return xspi_fail(x, STUB_STATUS_XSPI_TIMEOUT,
					 STUB_DETAIL_WAIT_BUSY,
					 rd(x, QUADSPI_SR), clk);
	}
	wr(x, QUADSPI_FCR, QUADSPI_FCR_CTOF);
	return STUB_STATUS_OK;
}

const struct xspi_ops quadspi_ops = {
	.init = quadspi_init,
	.supports = quadspi_supports,
	.exec = quadspi_exec,
	.exec_bursts = quadspi_exec_bursts,
	.map = quadspi_map,
	.unmap = quadspi_unmap,
	.map_release = quadspi_map_release,
};

const struct xspi_ops quadspi_read_ops = {
	.init = quadspi_init,
	.supports = quadspi_supports,
	.exec = quadspi_exec_no_writes,
};
