/*
 * OCTOSPI transport (STM32H7A3/B3/B0), written to RM0455's OCTOSPI chapter
 * and docs/hardware-stm32h7a3.md §6, docs/psram-chips.md §9. The same
 * struct xspi_ops as the QUADSPI transport; indirect mode runs on the
 * engine both share (xspi_indirect.h). What is the OCTOSPI's own:
 *  - FMODE lives in CR, the instruction in IR, the dummy cycles and
 *    SSHIFT in TCR: the frame is CR.FMODE → CCR → TCR → IR, and the IR
 *    write starts an op without address (docs/hardware-stm32h7a3.md §6.3);
 *  - DCR1..4 (memory type, DEVSIZE, CSHT, prescaler, CSBOUND, REFRESH);
 *  - mapped mode maps writes too (WCCR/WTCR/WIR).
 */
#include "transport/octospi_driver.h"

#include "regs/regs_octospi.h"
#include "transport/xspi_ctl.h"

/* The engine's shared bits are the OCTOSPI's (RM0455 OCTOSPI registers). */
_Static_assert(OCTOSPI_CR_EN == XSPI_CR_EN &&
	       OCTOSPI_CR_ABORT == XSPI_CR_ABORT &&
	       OCTOSPI_SR_TEF == XSPI_SR_TEF &&
	       OCTOSPI_SR_TCF == XSPI_SR_TCF &&
	       OCTOSPI_SR_FTF == XSPI_SR_FTF &&
	       OCTOSPI_SR_BUSY == XSPI_SR_BUSY &&
	       OCTOSPI_SR_FLEVEL_MASK == XSPI_SR_FLEVEL_MASK &&
	       OCTOSPI_FCR_ALL == XSPI_FCR_ALL &&
	       OCTOSPI_FCR_CTEF == XSPI_FCR_CTEF &&
	       OCTOSPI_FCR_CTCF == XSPI_FCR_CTCF &&
	       OCTOSPI_MODE_4LINES == XSPI_MODE_4LINES &&
	       OCTOSPI_FMODE_INDIRECT_READ == XSPI_FMODE_INDIRECT_READ &&
	       OCTOSPI_FMODE_MEMORY_MAPPED == XSPI_FMODE_MEMORY_MAPPED &&
	       OCTOSPI_FIFO_BYTES == XSPI_FIFO_BYTES &&
	       OCTOSPI_PRESCALER_MAX == XSPI_PRESCALER_MAX,
	       "OCTOSPI bits as xspi_ctl.h has them");

/* TCR: the dummy cycles and the sample shift, per command. */
static uint32_t op_tcr(const struct xspi *x, const struct xspi_op *op)
{
	return (uint32_t)op->dummy_cycles << OCTOSPI_TCR_DCYC_SHIFT |
	       (x->setup.sample_shift ? OCTOSPI_TCR_SSHIFT : 0U);
}

/* The frame registers; the IR write starts an op without address. An
 * 8-bit instruction (CCR.ISIZE 0). CR.FMODE, CCR, TCR and IR may be
 * written only while BUSY = 0; DLR must be set before. */
static void octospi_write_frame(struct xspi *x, const struct xspi_op *op,
				uint32_t fmode, uint32_t ccr)
{
	uint32_t cr = xspi_rd(x, OCTOSPI_CR) & ~OCTOSPI_CR_FMODE_MASK;

	xspi_wr(x, OCTOSPI_CR, cr | fmode << OCTOSPI_CR_FMODE_SHIFT);
	xspi_wr(x, OCTOSPI_CCR, ccr);
	xspi_wr(x, OCTOSPI_TCR, op_tcr(x, op));
	xspi_wr(x, OCTOSPI_IR, op->opcode);
}

/* The engine below runs on this description. */
static const struct xspi_ctl xspi_ctl = {
	.cr = OCTOSPI_CR,
	.sr = OCTOSPI_SR,
	.fcr = OCTOSPI_FCR,
	.dlr = OCTOSPI_DLR,
	.ar = OCTOSPI_AR,
	.dr = OCTOSPI_DR,
	.ccr_instruction = XSPI_CCR_ELSEWHERE,	/* IR */
	.ccr_imode = OCTOSPI_CCR_IMODE_SHIFT,
	.ccr_admode = OCTOSPI_CCR_ADMODE_SHIFT,
	.ccr_adsize = OCTOSPI_CCR_ADSIZE_SHIFT,
	.ccr_dcyc = XSPI_CCR_ELSEWHERE,		/* TCR */
	.ccr_dmode = OCTOSPI_CCR_DMODE_SHIFT,
	.ccr_fmode = XSPI_CCR_ELSEWHERE,	/* CR */
	.write_frame = octospi_write_frame,
	.write_dummy_lost = false,
	.ar_tef_retry = false,
};

#include "transport/xspi_indirect.h"

/* CCR without FMODE (it is in CR): for the mapped-mode registers. */
static uint32_t op_ccr(const struct xspi_op *op)
{
	return xspi_op_ccr(op, 0U);
}

static int octospi_exec(struct xspi *x, const struct xspi_op *op)
{
	return xspi_exec_op(x, op, true);
}

static int octospi_exec_no_writes(struct xspi *x, const struct xspi_op *op)
{
	return xspi_exec_no_writes(x, op);
}

static int octospi_exec_bursts(struct xspi *x, const struct xspi_op *op,
			       uint32_t burst, uint32_t boundary)
{
	return xspi_exec_bursts(x, op, burst, boundary);
}

uint32_t octospi_prescaler(uint32_t kernel_hz, uint32_t clock_hz)
{
	return xspi_prescaler(kernel_hz, clock_hz);
}

static int octospi_init(struct xspi *x, const struct xspi_config *cfg)
{
	uint32_t cr = XSPI_FTHRES << OCTOSPI_CR_FTHRES_SHIFT;
	int st;

	xspi_setup_clock(x, cfg);
	st = xspi_wait_idle(x);
	if (st != STUB_STATUS_OK)
		return st;
	/* Standard memory type; DEVSIZE: 2^(DEVSIZE + 1) bytes; CKMODE = 0:
	 * the PSRAM timing diagrams are SPI mode 0 (pitfall 9). No CSBOUND,
	 * REFRESH or timeout: indirect commands end by themselves. */
	xspi_wr(x, OCTOSPI_DCR1,
		OCTOSPI_MTYP_STANDARD << OCTOSPI_DCR1_MTYP_SHIFT |
			(cfg->size_log2 - 1U) << OCTOSPI_DCR1_DEVSIZE_SHIFT |
			(x->setup.cs_high_cycles - 1U)
				<< OCTOSPI_DCR1_CSHT_SHIFT);
	xspi_wr(x, OCTOSPI_DCR2, x->setup.prescaler);
	xspi_wr(x, OCTOSPI_DCR3, 0U);
	xspi_wr(x, OCTOSPI_DCR4, 0U);
	xspi_wr(x, OCTOSPI_CR, cr);
	xspi_wr(x, OCTOSPI_CR, cr | OCTOSPI_CR_EN);
	xspi_wr(x, OCTOSPI_FCR, OCTOSPI_FCR_ALL);
	return STUB_STATUS_OK;
}

/* Memory-mapped mode (docs/hardware-stm32h7a3.md §6.4, §6.6): reads run
 * CCR/TCR/IR, writes WCCR/WTCR/WIR. DQS management on writes, the timeout
 * counter, CSBOUND, REFRESH, MAXTRAN and the memory type come from cfg, so
 * that a firmware's exact setup can be tried, a faulting one included
 * (ES0478: a mapped write without DQSE is answered with a bus error). */
static int octospi_map(struct xspi *x, const struct xspi_op *rop,
		       const struct xspi_op *wop, const struct stub_map *cfg)
{
	uint32_t cr = xspi_rd(x, OCTOSPI_CR) &
		      ~(OCTOSPI_CR_FMODE_MASK | OCTOSPI_CR_TCEN);
	uint32_t dcr1 = xspi_rd(x, OCTOSPI_DCR1) &
			~(7U << OCTOSPI_DCR1_MTYP_SHIFT);
	uint32_t ccr;
	struct deadline d;
	int st;

	if (!xspi_frame_valid(rop) || rop->dir != XSPI_DIR_IN ||
	    rop->data_lines == 0U ||
	    (wop && (!xspi_frame_valid(wop) || wop->data_lines == 0U)))
		return xspi_fail(x, STUB_STATUS_UNSUPPORTED, STUB_DETAIL_OP,
				 rop->opcode, wop ? wop->opcode : 0U);
	ccr = op_ccr(rop);
	timer_deadline_start(&d, x->timer, XSPI_BUSY_US);
	st = xspi_wait_sr(x, &d, OCTOSPI_SR_BUSY, 0U, STUB_DETAIL_WAIT_BUSY,
			  ccr);
	if (st != STUB_STATUS_OK)
		return st;
	xspi_wr(x, OCTOSPI_FCR, OCTOSPI_FCR_ALL);
	xspi_wr(x, OCTOSPI_DCR1,
		dcr1 | (cfg->mtyp & 7U) << OCTOSPI_DCR1_MTYP_SHIFT);
	xspi_wr(x, OCTOSPI_DCR3,
		(cfg->csbound & 0x1FU) << OCTOSPI_DCR3_CSBOUND_SHIFT |
			(cfg->maxtran & 0xFFU));
	xspi_wr(x, OCTOSPI_DCR4, cfg->refresh);
	xspi_wr(x, OCTOSPI_LPTR, cfg->timeout & 0xFFFFU);
	xspi_wr(x, OCTOSPI_CCR, ccr);
	xspi_wr(x, OCTOSPI_TCR, op_tcr(x, rop));
	xspi_wr(x, OCTOSPI_IR, rop->opcode);
	if (wop) {
		xspi_wr(x, OCTOSPI_WCCR,
			op_ccr(wop) | ((cfg->flags & STUB_MAP_DQS)
					       ? OCTOSPI_CCR_DQSE
					       : 0U));
		xspi_wr(x, OCTOSPI_WTCR, (uint32_t)wop->dummy_cycles);
		xspi_wr(x, OCTOSPI_WIR, wop->opcode);
	}
	if (cfg->flags & STUB_MAP_TIMEOUT)
		cr |= OCTOSPI_CR_TCEN;
	xspi_wr(x, OCTOSPI_CR, cr | OCTOSPI_FMODE_MEMORY_MAPPED
				       << OCTOSPI_CR_FMODE_SHIFT);
	x->map_writes = wop != NULL;
	return STUB_STATUS_OK;
}

/* Mapped writes may still be on their way: a DSB and a read of the window
 * (which waits for them) before the ABORT, the order ST gives for leaving
 * memory-mapped mode after writes (docs/hardware-stm32h7a3.md §6.5). */
static int octospi_unmap(struct xspi *x)
{
	uint32_t dcr1;

	if (x->map_writes) {
		barrier_sync();
		(void)mmio_read32(x->window);
	}
	xspi_abort(x);
	xspi_wr(x, OCTOSPI_CR, xspi_rd(x, OCTOSPI_CR) &
				  ~(OCTOSPI_CR_FMODE_MASK | OCTOSPI_CR_TCEN));
	dcr1 = xspi_rd(x, OCTOSPI_DCR1) & ~(7U << OCTOSPI_DCR1_MTYP_SHIFT);
	xspi_wr(x, OCTOSPI_DCR1, dcr1 | OCTOSPI_MTYP_STANDARD
					   << OCTOSPI_DCR1_MTYP_SHIFT);
	xspi_wr(x, OCTOSPI_DCR3, 0U);
	xspi_wr(x, OCTOSPI_DCR4, 0U);
	x->map_writes = false;
	return STUB_STATUS_OK;
}

const struct xspi_ops octospi_ops = {
	.init = octospi_init,
	.supports = xspi_supports,
	.exec = octospi_exec,
	.exec_bursts = octospi_exec_bursts,
	.map = octospi_map,
	.unmap = octospi_unmap,
};

const struct xspi_ops octospi_read_ops = {
	.init = octospi_init,
	.supports = xspi_supports,
	.exec = octospi_exec_no_writes,
};
