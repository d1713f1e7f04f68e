/*
 * What the indirect-mode engine (xspi_indirect.h) knows of a controller:
 * the bits the QUADSPI (RM0433 §23.5, RM0385 for F7) and the OCTOSPI
 * (RM0455) place alike, and a struct xspi_ctl with the register offsets,
 * CCR field positions and rules that differ. A driver defines its own as
 * `static const struct xspi_ctl xspi_ctl`, then includes xspi_indirect.h.
 */
#ifndef TARGET_STUBS_XSPI_CTL_H
#define TARGET_STUBS_XSPI_CTL_H

#include "transport/xspi_op.h"

#include "regs/mmio.h"

/* The bits both blocks place alike (RM0433 §23.5 QUADSPI_CR/SR/FCR,
 * RM0455 OCTOSPI_CR/SR/FCR; each driver checks them against its regs_*.h
 * header at compile time). */
#define XSPI_CR_EN (1U << 0)
#define XSPI_CR_ABORT (1U << 1)
#define XSPI_SR_TEF (1U << 0)
#define XSPI_SR_TCF (1U << 1)
#define XSPI_SR_FTF (1U << 2)
#define XSPI_SR_BUSY (1U << 5)
#define XSPI_SR_FLEVEL_SHIFT 8U
#define XSPI_SR_FLEVEL_MASK (0x3FU << 8)
#define XSPI_FCR_CTEF (1U << 0)
#define XSPI_FCR_CTCF (1U << 1)
#define XSPI_FCR_ALL 0x1BU	/* CTEF, CTCF, CSMF, CTOF */
/* IMODE/ADMODE/DMODE encodings of CCR */
#define XSPI_MODE_NONE 0U
#define XSPI_MODE_1LINE 1U
#define XSPI_MODE_2LINES 2U
#define XSPI_MODE_4LINES 3U
/* FMODE encodings (CCR on a QUADSPI, CR on an OCTOSPI) */
#define XSPI_FMODE_INDIRECT_WRITE 0U
#define XSPI_FMODE_INDIRECT_READ 1U
#define XSPI_FMODE_MEMORY_MAPPED 3U
/* Both FIFOs hold 32 bytes (FLEVEL counts to 32). */
#define XSPI_FIFO_BYTES 32U
#define XSPI_PRESCALER_MAX 255U

/* FTF when 4 bytes are free (write) / valid (read): one word access. */
#define XSPI_FTHRES 3U
/* Half-cycle sample shift above this clock (docs/psram-chips.md §4, §9.8:
 * tACLK up to 6-7 ns leaves no margin beyond ~70 MHz without it). */
#define XSPI_SSHIFT_AUTO_HZ 50000000U
/* Tight waits check their deadline once per this many polls (a power of
 * two); the backstop of a deadline whose CYCCNT does not count grows by
 * as much, and stays bounded. */
#define XSPI_POLLS_PER_CHECK 8U
#define XSPI_ABORT_US 1000U
#define XSPI_BUSY_US 1000U

/* Where a CCR field has no place in CCR (struct xspi_ctl). */
#define XSPI_CCR_ELSEWHERE 0xFFU

/* One controller's register layout and its own rules. */
struct xspi_ctl {
	/* Register offsets from xspi.base. */
	uint16_t cr, sr, fcr, dlr, ar, dr;
	/* CCR field positions; the instruction, the dummy cycles and FMODE
	 * may live elsewhere (XSPI_CCR_ELSEWHERE): the OCTOSPI has IR, TCR
	 * and CR.FMODE for them. */
	uint8_t ccr_instruction, ccr_imode, ccr_admode, ccr_adsize;
	uint8_t ccr_dcyc, ccr_dmode, ccr_fmode;
	/* After DLR: the writes that program the frame, the last of which
	 * starts an op without address. */
	void (*write_frame)(struct xspi *x, const struct xspi_op *op,
			    uint32_t fmode, uint32_t ccr);
	/* Dummy cycles in an indirect write lose data (supports refuses
	 * them). */
	bool write_dummy_lost;
	/* TEF right after a valid AR write is cleared and AR written again. */
	bool ar_tef_retry;
};

static inline uint32_t xspi_rd(const struct xspi *x, uint32_t off)
{
	return mmio_read32(x->base + off);
}

static inline void xspi_wr(const struct xspi *x, uint32_t off,
			   uint32_t value)
{
	mmio_write32(x->base + off, value);
}

#endif
