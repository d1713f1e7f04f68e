/*
 * QUADSPI transport, written to RM0433 §23 (RM0399 §24.3 is the same
 * block; RM0385 for F7) with the STM32H750 errata (ES0396 §2.6) and
 * docs/hardware-stm32h7.md §6 and docs/psram-chips.md §9. Indirect mode
 * runs on the engine both transports share (xspi_indirect.h); this file
 * holds what is the QUADSPI's own:
 *  - the instruction, DCYC and FMODE live in CCR, so the CCR write is
 *    the whole frame and starts an op without address (RM0399 §24.3.5);
 *  - ES0396 2.6.1 (rev Y): dummy cycles in an indirect write lose the
 *    first data nibble, so such ops are refused;
 *  - TEF right after a valid AR write on H7 silicon is cleared and AR
 *    written again (docs/hardware-stm32h7.md §6.5; MicroPython #5441);
 *  - SSHIFT lives in CR; mapped mode maps reads only.
 */
#include "transport/quadspi_driver.h"

#include "regs/regs_quadspi.h"
#include "transport/xspi_ctl.h"

/* The engine's shared bits are the QUADSPI's (RM0399 §24.5). */
_Static_assert(QUADSPI_CR_EN == XSPI_CR_EN &&
	       QUADSPI_CR_ABORT == XSPI_CR_ABORT &&
	       QUADSPI_SR_TEF == XSPI_SR_TEF &&
	       QUADSPI_SR_TCF == XSPI_SR_TCF &&
	       QUADSPI_SR_FTF == XSPI_SR_FTF &&
	       QUADSPI_SR_BUSY == XSPI_SR_BUSY &&
	       QUADSPI_SR_FLEVEL_MASK == XSPI_SR_FLEVEL_MASK &&
	       QUADSPI_FCR_ALL == XSPI_FCR_ALL &&
	       QUADSPI_FCR_CTEF == XSPI_FCR_CTEF &&
	       QUADSPI_FCR_CTCF == XSPI_FCR_CTCF &&
	       QUADSPI_MODE_4LINES == XSPI_MODE_4LINES &&
	       QUADSPI_FMODE_INDIRECT_READ == XSPI_FMODE_INDIRECT_READ &&
	       QUADSPI_FMODE_MEMORY_MAPPED == XSPI_FMODE_MEMORY_MAPPED &&
	       QUADSPI_FIFO_BYTES == XSPI_FIFO_BYTES &&
	       QUADSPI_PRESCALER_MAX == XSPI_PRESCALER_MAX,
	       "QUADSPI bits as xspi_ctl.h has them");

/* CCR carries the instruction and FMODE: writing it starts an op without
 * address. IMODE is never 0 (xspi_frame_valid), so CCR is never 0
 * (ES0396 2.6.2). */
static void quadspi_write_frame(struct xspi *x, const struct xspi_op *op,
				uint32_t fmode, uint32_t ccr)
{
	(void)op;
	(void)fmode;
	xspi_wr(x, QUADSPI_CCR, ccr);
}

/* The engine below runs on this description. */
static const struct xspi_ctl xspi_ctl = {
	.cr = QUADSPI_CR,
	.sr = QUADSPI_SR,
	.fcr = QUADSPI_FCR,
	.dlr = QUADSPI_DLR,
	.ar = QUADSPI_AR,
	.dr = QUADSPI_DR,
	.ccr_instruction = QUADSPI_CCR_INSTRUCTION_SHIFT,
	.ccr_imode = QUADSPI_CCR_IMODE_SHIFT,
	.ccr_admode = QUADSPI_CCR_ADMODE_SHIFT,
	.ccr_adsize = QUADSPI_CCR_ADSIZE_SHIFT,
	.ccr_dcyc = QUADSPI_CCR_DCYC_SHIFT,
	.ccr_dmode = QUADSPI_CCR_DMODE_SHIFT,
	.ccr_fmode = QUADSPI_CCR_FMODE_SHIFT,
	.write_frame = quadspi_write_frame,
	.write_dummy_lost = true,	/* ES0396 2.6.1 */
	.ar_tef_retry = true,		/* docs/hardware-stm32h7.md §6.5 */
};

#include "transport/xspi_indirect.h"

static int quadspi_exec(struct xspi *x, const struct xspi_op *op)
{
	return xspi_exec_op(x, op, true);
}

static int quadspi_exec_no_writes(struct xspi *x, const struct xspi_op *op)
{
	return xspi_exec_no_writes(x, op);
}

static int quadspi_exec_bursts(struct xspi *x, const struct xspi_op *op,
			       uint32_t burst, uint32_t boundary)
{
	return xspi_exec_bursts(x, op, burst, boundary);
}

uint32_t quadspi_prescaler(uint32_t kernel_hz, uint32_t clock_hz)
{
	return xspi_prescaler(kernel_hz, clock_hz);
}

static int quadspi_init(struct xspi *x, const struct xspi_config *cfg)
{
	uint32_t cr;
	int st;

	xspi_setup_clock(x, cfg);
	cr = x->setup.prescaler << QUADSPI_CR_PRESCALER_SHIFT |
	     XSPI_FTHRES << QUADSPI_CR_FTHRES_SHIFT |
	     (x->setup.sample_shift ? QUADSPI_CR_SSHIFT : 0U);
	st = xspi_wait_idle(x);
	if (st != STUB_STATUS_OK)
		return st;
	/* FSIZE: 2^(FSIZE + 1) bytes. CKMODE = 0: the PSRAM timing diagrams
	 * are SPI mode 0 (pitfall 9). */
	xspi_wr(x, QUADSPI_DCR,
		(cfg->size_log2 - 1U) << QUADSPI_DCR_FSIZE_SHIFT |
			(x->setup.cs_high_cycles - 1U)
				<< QUADSPI_DCR_CSHT_SHIFT);
	xspi_wr(x, QUADSPI_CR, cr);
	xspi_wr(x, QUADSPI_CR, cr | QUADSPI_CR_EN);
	xspi_wr(x, QUADSPI_FCR, QUADSPI_FCR_ALL);
	return STUB_STATUS_OK;
}

/* RM0399 §24.3.7: memory-mapped mode runs the CCR frame (FMODE = 11) for
 * every read of the window; with TCEN, NCS rises LPTR.TIMEOUT cycles after
 * the prefetch filled the FIFO. Writes stay indirect: "only read
 * operations are allowed" (§24.3.12). */
static int quadspi_map(struct xspi *x, const struct xspi_op *rop,
		       const struct xspi_op *wop, const struct stub_map *cfg)
{
	uint32_t cr = xspi_rd(x, QUADSPI_CR) & ~QUADSPI_CR_TCEN;
	uint32_t ccr;
	struct deadline d;
	int st;

	(void)wop;
	if (!xspi_frame_valid(rop) || rop->dir != XSPI_DIR_IN ||
	    rop->data_lines == 0U)
		return xspi_fail(x, STUB_STATUS_UNSUPPORTED, STUB_DETAIL_OP,
				 rop->opcode, 0U);
	ccr = xspi_op_ccr(rop, QUADSPI_FMODE_MEMORY_MAPPED);
	timer_deadline_start(&d, x->timer, XSPI_BUSY_US);
	st = xspi_wait_sr(x, &d, QUADSPI_SR_BUSY, 0U, STUB_DETAIL_WAIT_BUSY,
			  ccr);
	if (st != STUB_STATUS_OK)
		return st;
	xspi_wr(x, QUADSPI_FCR, QUADSPI_FCR_ALL);
	if (cfg->flags & STUB_MAP_TIMEOUT) {
		xspi_wr(x, QUADSPI_LPTR,
			cfg->timeout & QUADSPI_LPTR_TIMEOUT_MASK);
		cr |= QUADSPI_CR_TCEN;
	}
	xspi_wr(x, QUADSPI_CR, cr);
	xspi_wr(x, QUADSPI_CCR, ccr);
	x->map_writes = false;
	return STUB_STATUS_OK;
}

/* ABORT ends memory-mapped mode (RM0399 §24.3.15); the next exec writes
 * CCR with its own FMODE before AR. */
static int quadspi_unmap(struct xspi *x)
{
	xspi_abort(x);
	xspi_wr(x, QUADSPI_CR, xspi_rd(x, QUADSPI_CR) & ~QUADSPI_CR_TCEN);
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
		       (xspi_rd(x, QUADSPI_LPTR) & QUADSPI_LPTR_TIMEOUT_MASK);
	uint32_t khz = x->setup.clock_hz / 1000U;
	uint64_t cpu = (uint64_t)clk * x->timer->cycles_per_us * 1000U /
		       (khz ? khz : 1U) + 1U;
	uint32_t t0 = timer_now();
	struct deadline d;

	if (!(xspi_rd(x, QUADSPI_CR) & QUADSPI_CR_TCEN))
		return STUB_STATUS_OK;	/* nothing raises NCS but a new frame */
	while ((uint32_t)(timer_now() - t0) < cpu)
		;
	timer_deadline_start(&d, x->timer, XSPI_BUSY_US);
	while (!(xspi_rd(x, QUADSPI_SR) & QUADSPI_SR_TOF)) {
		if (timer_deadline_passed(&d))
			return xspi_fail(x, STUB_STATUS_XSPI_TIMEOUT,
					 STUB_DETAIL_WAIT_BUSY,
					 xspi_rd(x, QUADSPI_SR), clk);
	}
	xspi_wr(x, QUADSPI_FCR, QUADSPI_FCR_CTOF);
	return STUB_STATUS_OK;
}

const struct xspi_ops quadspi_ops = {
	.init = quadspi_init,
	.supports = xspi_supports,
	.exec = quadspi_exec,
	.exec_bursts = quadspi_exec_bursts,
	.map = quadspi_map,
	.unmap = quadspi_unmap,
	.map_release = quadspi_map_release,
};

const struct xspi_ops quadspi_read_ops = {
	.init = quadspi_init,
	.supports = xspi_supports,
	.exec = quadspi_exec_no_writes,
};
