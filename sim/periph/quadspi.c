/* The QUADSPI on the shared xSPI engine (xspi_engine.h): its register map
 * (RM0399 §24.5, the same block as RM0433 §23.5), the STM32H7/F7
 * differences and errata, the memory-mapped prefetch, the interrupt line
 * (§24.4) and what the boards do not wire (bank 2, dual-flash, DDR);
 * docs/psramsim-periph.md §11 sums it up. */
#include "periph/quadspi.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "cpu/irq.h"
#include "periph/xspi_engine.h"
#include "util/log.h"

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

struct quadspi {
	struct xspi_engine e;	/* CR, DLR, AR, PSMKR, PSMAR, PIR, LPTR */
	enum quadspi_family family;
	uint32_t dcr, ccr, abr;

	bool hung_needs_en;	/* ES0396 2.6.2: ABORT does not help */
	bool rev_y;		/* H7 revision Y: ES0396 2.6.1 applies */
	bool lane0;		/* the access under way writes bits 7:0 */
	bool warned_fthres;	/* F7: FTHRES[4] dropped, said once */
	bool warned_dfm, warned_fsel, warned_ddr, warned_dmaen;
};

/* The engine comes first: the bus hands the engine's mmio_ops a struct
 * quadspi, and the engine's hooks get back to it from the engine. */
_Static_assert(offsetof(struct quadspi, e) == 0, "engine first");

static struct quadspi *of(struct xspi_engine *e)
{
	return (struct quadspi *)e;
}

static const struct quadspi *of_const(const struct xspi_engine *e)
{
	return (const struct quadspi *)e;
}

static unsigned lines_of(unsigned mode)
{
	static const unsigned lines[4] = {0, 1, 2, 4};

	return lines[mode & 3];
}

static enum xspi_fmode fmode(const struct xspi_engine *e)
{
	return (enum xspi_fmode)xspi_bits(of_const(e)->ccr,
					  QUADSPI_CCR_FMODE_SHIFT, 2);
}

/* One command register set (CCR, ABR); CR.PRESCALER and SSHIFT, DCR.CSHT
 * time it. */
static void decode(const struct xspi_engine *e, enum xspi_cmd_set set,
		   struct xspi_cmd *c)
{
	const struct quadspi *q = of_const(e);
	uint32_t ccr = q->ccr;

	(void)set;
	c->imode = lines_of(xspi_bits(ccr, QUADSPI_CCR_IMODE_SHIFT, 2));
	c->isize = 1;
	c->instr = ccr & 0xFF;
	c->admode = lines_of(xspi_bits(ccr, QUADSPI_CCR_ADMODE_SHIFT, 2));
	c->adsize = xspi_bits(ccr, QUADSPI_CCR_ADSIZE_SHIFT, 2) + 1;
	c->has_addr = c->admode != 0;
	c->abmode = lines_of(xspi_bits(ccr, QUADSPI_CCR_ABMODE_SHIFT, 2));
	c->absize = xspi_bits(ccr, QUADSPI_CCR_ABSIZE_SHIFT, 2) + 1;
	c->alt = q->abr;
	c->dcyc = xspi_bits(ccr, QUADSPI_CCR_DCYC_SHIFT, 5);
	c->dmode = lines_of(xspi_bits(ccr, QUADSPI_CCR_DMODE_SHIFT, 2));
	c->sioo = ccr & QUADSPI_CCR_SIOO;
	c->div = xspi_bits(e->cr, QUADSPI_CR_PRESCALER_SHIFT, 8) + 1;
	c->csht = xspi_bits(q->dcr, QUADSPI_DCR_CSHT_SHIFT, 3);
	c->sshift = e->cr & QUADSPI_CR_SSHIFT;
}

static unsigned size_code(const struct xspi_engine *e)
{
	return xspi_bits(of_const(e)->dcr, QUADSPI_DCR_FSIZE_SHIFT, 5);
}

/* DDR, dual-flash mode and bank 2 do not reach the chip on these boards:
 * the command is refused (logged once each), not run as something else. */
static bool reaches_chip(struct xspi_engine *e)
{
	struct quadspi *q = of(e);
	bool reaches = true;

	if (q->rev_y && fmode(e) == XSPI_FMODE_WRITE &&
	    xspi_bits(q->ccr, QUADSPI_CCR_DCYC_SHIFT, 5) &&
	    xspi_bits(q->ccr, QUADSPI_CCR_DMODE_SHIFT, 2)) {
		/* ES0396 §2.6.1 (revision Y): an indirect write with dummy
		 * cycles loses its first data nibble; what the memory makes
		 * of the rest is not described, so the write is refused,
		 * not performed intact. The workaround is alternate bytes
		 * in place of the dummy cycles. */
		sim_log(LOG_GUEST_ERROR,
			"%s: indirect write with DCYC = %u on a revision Y "
			"part loses its first data nibble (ES0396 §2.6.1; use "
			"alternate bytes): the write does not reach the chip",
			e->name,
			(unsigned)xspi_bits(q->ccr, QUADSPI_CCR_DCYC_SHIFT, 5));
		return false;
	}
	if (e->cr & QUADSPI_CR_DFM) {
		/* RM0399 §24.3.4 "Dual-flash mode": 8 bits a cycle, even
		 * bytes from FLASH 1 and odd ones from FLASH 2; these boards
		 * wire one memory on bank 1 and none on bank 2. */
		if (!q->warned_dfm)
			sim_log(LOG_UNIMP,
				"%s: dual-flash mode (CR.DFM) is not "
				"modelled; these boards wire one memory on "
				"bank 1: the command does not reach the chip",
				e->name);
		q->warned_dfm = true;
		return false;
	}

	if (q->ccr & QUADSPI_CCR_DDRM) {
		if (!q->warned_ddr)
			sim_log(LOG_UNIMP,
				"%s: DDR mode (CCR.DDRM) is not modelled; the "
				"memories here are SDR only: the command does "
				"not reach the chip", e->name);
		q->warned_ddr = true;
		reaches = false;
	}
	if ((e->cr & QUADSPI_CR_FSEL) && !(e->cr & QUADSPI_CR_DFM)) {
		if (!q->warned_fsel)
			sim_log(LOG_UNIMP,
				"%s: FSEL = 1 selects FLASH 2 (BK2), which "
				"these boards do not wire", e->name);
		q->warned_fsel = true;
		reaches = false;
	}
	return reaches;
}

/* RM0399 §24.3.3 rules on the frame a command is about to use. */
static void check_frame_rules(struct xspi_engine *e, enum xspi_cmd_set set,
			      bool reading)
{
	uint32_t ccr = of(e)->ccr;
	unsigned dmode = xspi_bits(ccr, QUADSPI_CCR_DMODE_SHIFT, 2);

	(void)set;
	if (!xspi_bits(ccr, QUADSPI_CCR_IMODE_SHIFT, 2) &&
	    !xspi_bits(ccr, QUADSPI_CCR_ADMODE_SHIFT, 2) &&
	    !xspi_bits(ccr, QUADSPI_CCR_ABMODE_SHIFT, 2) && !dmode)
		sim_log(LOG_GUEST_ERROR,
			"%s: command with no instruction, address, alternate "
			"or data phase (RM0399 §24.3.3: at least one must be "
			"present)", e->name);
	if (reading && !dmode)
		sim_log(LOG_GUEST_ERROR,
			"%s: read with DMODE = 00 (RM0399 §24.3.3: only for "
			"indirect write)", e->name);
	if (reading && dmode >= 2 &&
	    !xspi_bits(ccr, QUADSPI_CCR_DCYC_SHIFT, 5))
		sim_log(LOG_GUEST_ERROR,
			"%s: dual/quad read with no dummy cycle (RM0399 "
			"§24.3.3: one is needed for the turnaround)", e->name);
	/* The DDR rules, broken before the DDR command itself is refused
	 * as not modelled (reaches_chip). */
	if ((ccr & QUADSPI_CCR_DDRM) && !xspi_bits(e->cr,
						  QUADSPI_CR_PRESCALER_SHIFT, 8))
		sim_log(LOG_GUEST_ERROR,
			"%s: DDR with PRESCALER = 0 (RM0399 §24.3.11: DDR "
			"needs a division ratio of two or more)", e->name);
	if ((ccr & QUADSPI_CCR_DDRM) && (e->cr & QUADSPI_CR_SSHIFT))
		sim_log(LOG_GUEST_ERROR,
			"%s: DDR with SSHIFT = 1 (RM0399 §24.3.10: SSHIFT must "
			"be clear when DDRM is set)", e->name);
	if ((ccr & QUADSPI_CCR_DHHC) && !xspi_bits(e->cr,
						  QUADSPI_CR_PRESCALER_SHIFT, 8))
		sim_log(LOG_GUEST_ERROR,
			"%s: DHHC = 1 with PRESCALER = 0 (RM0399 §24.5.6: "
			"PRESCALER > 0 is mandatory)", e->name);
}

/* The ES0396 §2.6.3 data-only read. */
static bool may_start(struct xspi_engine *e, enum xspi_fmode fm)
{
	struct quadspi *q = of(e);
	uint32_t ccr = q->ccr;

	if (q->family == QUADSPI_FAMILY_H7 && fm == XSPI_FMODE_READ &&
	    !xspi_bits(ccr, QUADSPI_CCR_IMODE_SHIFT, 2) &&
	    !xspi_bits(ccr, QUADSPI_CCR_ADMODE_SHIFT, 2) &&
	    !xspi_bits(ccr, QUADSPI_CCR_ABMODE_SHIFT, 2) &&
	    !xspi_bits(ccr, QUADSPI_CCR_DCYC_SHIFT, 5)) {
		sim_log(LOG_GUEST_ERROR,
			"%s: indirect read with only a data phase hangs with "
			"BUSY set (ES0396 §2.6.3; add dummy cycles)", e->name);
		e->op = XSPI_OP_HUNG;
		return false;
	}
	return true;
}

/* The prefetch burst of memory-mapped mode (RM0399 §24.3.7). */
static void mmap_advance(struct xspi_engine *e, uint64_t now)
{
	while (e->on_wire) {
		if (e->stalled) {
			/* RM0399 §24.3.7/§24.5.13: with TCEN, NCS rises
			 * TIMEOUT CLK cycles after the FIFO filled. */
			uint64_t t;

			if (!(e->cr & QUADSPI_CR_TCEN))
				return;
			t = xspi_clk_to_cpu(e, e->stalled_at,
					    xspi_bits(e->lptr, 0, 16));
			if (t > now)
				return;
			xspi_command_end(e, t);
			e->flags |= QUADSPI_SR_TOF;
			xspi_fifo_flush(e);
			e->op = XSPI_OP_IDLE;
			return;
		}
		if (e->level == QUADSPI_FIFO_SIZE) {
			e->stalled = true;
			e->stalled_at = xspi_clk_to_cpu(e, e->anchor, e->k + 1);
			continue;
		}
		if (xspi_next_byte_at(e) > now)
			return;
		xspi_fifo_push(e, xspi_byte_in(e));
	}
}

/* ---- registers ------------------------------------------------------------*/

static void write_cr(struct quadspi *q, uint32_t value, uint64_t now)
{
	struct xspi_engine *e = &q->e;
	uint32_t mask = q->family == QUADSPI_FAMILY_F7 ? CR_MASK_F7 : CR_MASK_H7;
	uint32_t old = e->cr;

	value = xspi_reserved_check(e, "CR", value, mask);
	if (q->family == QUADSPI_FAMILY_F7 && (value & CR_FTHRES_BIT4)) {
		/* STM32F7 silicon drops FTHRES[4]: a threshold of 17..32
		 * bytes becomes 1..16 (ST-confirmed limitation, see
		 * docs/hardware-stm32f7.md §6). */
		if (!q->warned_fthres) {
			q->warned_fthres = true;
			sim_log(LOG_GUEST_ERROR,
				"%s: CR.FTHRES = %u: bit 4 is not writable on "
				"STM32F7, the threshold is %u", e->name,
				(unsigned)((value & QUADSPI_CR_FTHRES_MASK) >>
					   QUADSPI_CR_FTHRES_SHIFT),
				(unsigned)((value >> QUADSPI_CR_FTHRES_SHIFT) &
					   0xFU));
		}
		value &= ~CR_FTHRES_BIT4;
	}
	if (xspi_busy(e) && ((value ^ old) & CR_BUSY_LOCKED)) {
		xspi_refused(e, "CR (PRESCALER/PMM/APMS/FSEL/DFM/SSHIFT/TCEN)",
			     value);
		value = (value & ~CR_BUSY_LOCKED) | (old & CR_BUSY_LOCKED);
	}
	if ((value & QUADSPI_CR_DMAEN) && !q->warned_dmaen) {
		q->warned_dmaen = true;
		sim_log(LOG_UNIMP, "%s: CR.DMAEN: DMA requests are not "
			"modelled", e->name);
	}
	e->cr = value & ~QUADSPI_CR_ABORT;
	if (e->cr & QUADSPI_CR_DFM) {
		/* DL[0] stuck at 1, ADDRESS[0] at 0 while DFM = 1 (RM0399
		 * §24.5.5, §24.5.7), also for what was written before. */
		e->dlr |= 1U;
		e->ar &= ~1U;
	}
	if ((old & QUADSPI_CR_EN) && !(value & QUADSPI_CR_EN)) {
		/* Disabling stops any operation (RM0399 §24.3.6/§24.3.7) and
		 * is the way out of the ES0396 §2.6.2 hang. */
		xspi_stop(e, now);
		q->hung_needs_en = false;
	}
	if (value & QUADSPI_CR_ABORT) {
		/* RM0399 §24.3.15: stop, flush the FIFO, clear BUSY; TCF
		 * reports the abort (§24.5.3). ABORT self-clears. */
		if (e->op == XSPI_OP_HUNG && q->hung_needs_en)
			return;
		if (xspi_busy(e))
			e->flags |= QUADSPI_SR_TCF;
		xspi_stop(e, now);
	}
}

static void write_ccr(struct quadspi *q, uint32_t value)
{
	struct xspi_engine *e = &q->e;
	uint32_t mask = q->family == QUADSPI_FAMILY_F7 ? CCR_MASK_F7
						       : CCR_MASK_H7;

	if (xspi_busy(e)) {
		xspi_refused(e, "CCR", value);
		return;
	}
	value = xspi_reserved_check(e, "CCR", value, mask);
	q->ccr = value;
	e->instr_sent = false;
	/* RM0399 §24.5.3: in indirect write mode FTF reports free room in
	 * the FIFO, from the CCR write on, also right after a read (BUSY = 0
	 * here, so the FIFO holds nothing of it). */
	if (fmode(e) == XSPI_FMODE_WRITE)
		e->fifo_read = false;
	/* ES0396 §2.6.2: CCR = 0 asks for a command with no phase at all,
	 * started by this very write (§24.3.5: ADMODE = DMODE = 00); with
	 * EN = 0 nothing starts (§24.3.12), so nothing hangs, and a
	 * program that clears its registers before enabling the block is
	 * not left with BUSY stuck (inferred from the mechanism). */
	if (q->family == QUADSPI_FAMILY_H7 && value == 0 &&
	    (e->cr & QUADSPI_CR_EN)) {
		sim_log(LOG_GUEST_ERROR,
			"%s: CCR = 0 hangs the QUADSPI with BUSY set; only "
			"clearing and setting CR.EN recovers (ES0396 §2.6.2)",
			e->name);
		e->op = XSPI_OP_HUNG;
		q->hung_needs_en = true;
		return;
	}
	if (value & QUADSPI_CCR_FRCM) {
		/* RM0399 §24.3.8: CLK runs, NCS high, BUSY set until ABORT. */
		if (xspi_enabled(e, "CCR.FRCM"))
			e->op = XSPI_OP_FRCM;
		return;
	}
	/* RM0399 §24.3.5: with no address "a write ... to
	 * INSTRUCTION[7:0]" starts it; a byte or halfword write to the
	 * upper part of CCR does not. */
	if (!xspi_bits(value, QUADSPI_CCR_ADMODE_SHIFT, 2) && q->lane0)
		xspi_trigger(e, "CCR write");
}

static bool reg_value(struct xspi_engine *e, uint32_t reg, uint32_t *v)
{
	const struct quadspi *q = of(e);

	switch (reg) {
	case QUADSPI_CR:
		*v = e->cr;
		return true;
	case QUADSPI_DCR:
		*v = q->dcr;
		return true;
	case QUADSPI_SR:
		*v = xspi_sr_value(e);
		return true;
	case QUADSPI_FCR:
		*v = 0;
		return true;
	case QUADSPI_DLR:
		*v = e->dlr;
		return true;
	case QUADSPI_CCR:
		*v = q->ccr;
		return true;
	case QUADSPI_AR:
		*v = e->ar;
		return true;
	case QUADSPI_ABR:
		*v = q->abr;
		return true;
	case QUADSPI_PSMKR:
		*v = e->psmkr;
		return true;
	case QUADSPI_PSMAR:
		*v = e->psmar;
		return true;
	case QUADSPI_PIR:
		*v = e->pir;
		return true;
	case QUADSPI_LPTR:
		*v = e->lptr;
		return true;
	}
	/* Past LPTR the block's 1 KiB holds no register (Table 204): a read
	 * answers 0, as a debugger's dump of the block expects; traced, not
	 * a misuse. Writes there are still reported (write_reg). */
	if (reg > QUADSPI_LPTR && reg < QUADSPI_REG_SIZE) {
		sim_trace("%s: read of reserved offset 0x%03x: 0", e->trace_name,
			  (unsigned)reg);
		*v = 0;
		return true;
	}
	return false;
}

static void write_reg(struct xspi_engine *e, uint32_t reg, uint32_t value,
		      uint64_t now)
{
	struct quadspi *q = of(e);

	switch (reg) {
	case QUADSPI_CR:
		write_cr(q, value, now);
		return;
	case QUADSPI_DCR:
		if (xspi_busy(e)) {
			xspi_refused(e, "DCR", value);
			return;
		}
		q->dcr = xspi_reserved_check(e, "DCR", value, DCR_MASK);
		xspi_wire_set_clk_idle(e->wire, q->dcr & QUADSPI_DCR_CKMODE);
		return;
	case QUADSPI_SR:
		sim_log(LOG_GUEST_ERROR, "%s: SR is read-only (RM0399 "
			"§24.5.3)", e->name);
		return;
	case QUADSPI_FCR:
		e->flags &= ~xspi_reserved_check(e, "FCR", value, FCR_MASK);
		return;
	case QUADSPI_DLR:
		if (xspi_busy(e)) {
			xspi_refused(e, "DLR", value);
			return;
		}
		/* DL[0] stuck at 1 in dual-flash mode (RM0399 §24.5.5). */
		e->dlr = (e->cr & QUADSPI_CR_DFM) ? value | 1U : value;
		return;
	case QUADSPI_CCR:
		write_ccr(q, value);
		return;
	case QUADSPI_AR:
		/* RM0399 §24.5.7: "Writes to this bitfield are ignored when
		 * BUSY = 1": a defined outcome, not a rule broken, and the
		 * HAL relies on it (HAL_QSPI_Receive rewrites AR to start a
		 * read, also one the CCR write already started); traced
		 * only. */
		if (xspi_busy(e)) {
			sim_trace("%s: AR <- 0x%08x while BUSY = 1: ignored",
				  e->trace_name, (unsigned)value);
			return;
		}
		/* ADDRESS[0] stuck at 0 in dual-flash mode (RM0399
		 * §24.5.7). */
		if (e->cr & QUADSPI_CR_DFM)
			value &= ~1U;
		/* RM0399 §24.3.14: TEF "when a wrong address is programmed
		 * in QUADSPI_AR". A write with a data phase starts only at
		 * its first DR write; the flag does not wait for it (the
		 * commands AR starts check at their start). */
		if ((e->cr & QUADSPI_CR_EN) && fmode(e) == XSPI_FMODE_WRITE &&
		    xspi_bits(q->ccr, QUADSPI_CCR_ADMODE_SHIFT, 2) &&
		    xspi_bits(q->ccr, QUADSPI_CCR_DMODE_SHIFT, 2) &&
		    value >= xspi_mem_bytes(e)) {
			e->flags |= QUADSPI_SR_TEF;
			sim_trace("%s: TEF: AR = 0x%08x beyond FSIZE (%llu "
				  "bytes)", e->trace_name, (unsigned)value,
				  (unsigned long long)xspi_mem_bytes(e));
		}
		xspi_write_ar(e, value, 0xFFFFFFFFU);
		return;
	case QUADSPI_ABR:
	case QUADSPI_PSMKR:
	case QUADSPI_PSMAR:
	case QUADSPI_PIR:
	case QUADSPI_LPTR: {
		static const char *const names[] = {"ABR", "", "", "", "PSMKR",
						    "PSMAR", "PIR", "LPTR"};
		const char *name = names[(reg - QUADSPI_ABR) / 4];
		uint32_t *r = reg == QUADSPI_ABR     ? &q->abr
			      : reg == QUADSPI_PSMKR ? &e->psmkr
			      : reg == QUADSPI_PSMAR ? &e->psmar
			      : reg == QUADSPI_PIR   ? &e->pir
						     : &e->lptr;

		if (xspi_busy(e)) {
			xspi_refused(e, name, value);
			return;
		}
		if (reg == QUADSPI_PIR || reg == QUADSPI_LPTR)
			value = xspi_reserved_check(e, name, value, 0xFFFF);
		*r = value;
		return;
	}
	}
	sim_log(LOG_GUEST_ERROR, "%s: write to reserved offset 0x%03x (RM0399 "
		"Table 204)", e->name, (unsigned)reg);
}

static bool dr_access_ok(struct xspi_engine *e, uint32_t offset,
			 unsigned size, bool write)
{
	/* RM0399 §24.5.9: byte and halfword accesses must target the bottom
	 * of DR. */
	if (offset == QUADSPI_DR && (size == 1 || size == 2 || size == 4))
		return true;
	sim_log(LOG_GUEST_ERROR,
		"%s: %u-byte DR %s at offset 0x%02x; byte and halfword "
		"accesses must target DATA[7:0]/DATA[15:0] (RM0399 §24.5.9): "
		"ignored", e->name, size, write ? "write" : "read",
		(unsigned)offset);
	return false;
}

static uint64_t next_flag_change(const struct xspi_engine *e,
				 uint64_t now);

static const struct xspi_desc quadspi_desc = {
	.dr = QUADSPI_DR,
	.sr = QUADSPI_SR,
	.fcr = QUADSPI_FCR,
	.size_name = "FSIZE",
	.kernel_clock_src = "RCC QSPISEL/clock enable, RM0433 §8.7",
	.busy_cite = "RM0399 §24.5",
	.reserved_note = "must be kept at reset value, RM0399 §24.5",
	.enable_cite = " (RM0399 §24.3.12)",
	.dr_cite = " (RM0399 §24.5.9)",
	.poll_dlr_note = "; it must be at most 3 (RM0399 §24.5.5)",
	.reserved_cite = " (RM0399 Table 204)",
	.dr_write_fields = ", DMODE = 0",
	.dr_write_cite = " (RM0399 §24.3.5)",
	.hung_empty = "the QUADSPI hung",
	.trace_marks_absent = true,
	.fmode = fmode,
	.decode = decode,
	.size_code = size_code,
	.reaches_chip = reaches_chip,
	.check_frame = check_frame_rules,
	.may_start = may_start,
	.mm_advance = mmap_advance,
	.reg_value = reg_value,
	.write_reg = write_reg,
	.dr_access_ok = dr_access_ok,
	.next_flag_change = next_flag_change,
};

void quadspi_set_bus_wait(struct quadspi *q, uint32_t cycles)
{
	q->e.bus_wait = cycles;
}

/* ---- interrupt (RM0399 §24.4; the line itself: xspi_irq_update) ---------*/

/* When the operation under way will next change SR on its own, or
 * VCLOCK_NEVER: the next data byte or the end of an indirect command, the
 * end of the next status poll, the timeout of a memory-mapped prefetch. */
static uint64_t next_flag_change(const struct xspi_engine *e, uint64_t now)
{
	switch (e->op) {
	case XSPI_OP_READ:
	case XSPI_OP_WRITE:
		return xspi_next_event(e);
	case XSPI_OP_POLL:
		return e->poll_at > now ? e->poll_at : e->poll_end;
	case XSPI_OP_MM_READ:
		if (!e->on_wire)
			return VCLOCK_NEVER;
		if (!e->stalled)
			return xspi_next_byte_at(e);
		if (!(e->cr & QUADSPI_CR_TCEN))
			return VCLOCK_NEVER;
		return xspi_clk_to_cpu(e, e->stalled_at,
				       xspi_bits(e->lptr, 0, 16));
	case XSPI_OP_IDLE:
	case XSPI_OP_MM_WRITE:
	case XSPI_OP_FRCM:
	case XSPI_OP_HUNG:
		break;
	}
	return VCLOCK_NEVER;
}

void quadspi_set_rev_y(struct quadspi *q, bool rev_y)
{
	q->rev_y = rev_y;
}

void quadspi_set_irq(struct quadspi *q, struct irq_line line)
{
	xspi_set_irq(&q->e, line);
}

static bool reg_write(void *dev, uint32_t offset, unsigned size,
		      uint32_t value, enum bus_master master)
{
	struct quadspi *q = dev;
	bool ok;

	q->lane0 = (offset & 3U) == 0;
	ok = xspi_reg_write(dev, offset, size, value, master);
	q->lane0 = true;
	return ok;
}

/* dev = the struct quadspi, which begins with its engine. */
const struct mmio_ops quadspi_reg_ops = {
	.read = xspi_reg_read,
	.write = reg_write,
};

/* ---- memory-mapped window (RM0399 §24.3.7) --------------------------------*/

static bool mem_read_at(struct quadspi *q, uint32_t offset, unsigned size,
			uint32_t *value)
{
	struct xspi_engine *e = &q->e;
	uint64_t now = vclock_now(e->clk);
	uint32_t v = 0;

	xspi_advance(e, now);
	/* RM0399 §24.3.14: bus error when disabled, when memory-mapped mode
	 * is not selected, or beyond FSIZE. */
	if (!(e->cr & QUADSPI_CR_EN) || fmode(e) != XSPI_FMODE_MMAP) {
		sim_log(LOG_GUEST_ERROR,
			"%s: read of 0x%08x while %s: bus error (RM0399 "
			"§24.3.14)", e->name,
			(unsigned)(QUADSPI_MEM_BASE + offset),
			!(e->cr & QUADSPI_CR_EN) ? "the QUADSPI is disabled"
						 : "not in memory-mapped mode");
		return false;
	}
	if ((uint64_t)offset + size > xspi_mem_bytes(e)) {
		sim_log(LOG_GUEST_ERROR,
			"%s: read of 0x%08x beyond FSIZE (%llu bytes): bus "
			"error (RM0399 §24.3.7)", e->name,
			(unsigned)(QUADSPI_MEM_BASE + offset),
			(unsigned long long)xspi_mem_bytes(e));
		return false;
	}
	if (e->op == XSPI_OP_HUNG || e->op == XSPI_OP_FRCM) {
		sim_log(LOG_GUEST_ERROR,
			"%s: read of 0x%08x while the QUADSPI is %s: bus error",
			e->name, (unsigned)(QUADSPI_MEM_BASE + offset),
			e->op == XSPI_OP_HUNG ? "hung"
					      : "in free-running clock mode");
		return false;
	}
	if (e->op == XSPI_OP_MM_READ && e->on_wire && offset >= e->mm_head &&
	    offset <= e->mm_head + e->level) {
		/* Sequential: served from the prefetch FIFO. */
		for (uint32_t skip = offset - e->mm_head; skip; skip--)
			xspi_fifo_pop(e);
		e->mm_head = offset;
	} else {
		/* A new frame at the bus address; the running prefetch
		 * ends first (inferred from RM0399 §24.3.7). */
		xspi_stop(e, now);
		check_frame_rules(e, XSPI_SET_REGULAR, true);
		e->fifo_read = false;
		if (!xspi_command_begin(e, XSPI_SET_REGULAR, now, offset,
					XSPI_DIR_READ, XSPI_LEN_UNBOUNDED)) {
			e->op = XSPI_OP_HUNG;
			return false;
		}
		if (e->frame.dir != XSPI_DIR_READ) {
			/* DMODE = 00: a read without a data phase. */
			sim_log(LOG_GUEST_ERROR,
				"%s: memory-mapped read with DMODE = 00 "
				"(RM0399 §24.3.3): bus error", e->name);
			xspi_command_end(e, xspi_end_at(e));
			return false;
		}
		e->op = XSPI_OP_MM_READ;
		e->mm_head = offset;
	}
	if (e->level < size) {
		if (e->stalled)
			xspi_resume(e, now);
		while (e->level < size) {
			uint64_t t = xspi_next_byte_at(e);

			vclock_stall_until(e->clk, t);
			xspi_fifo_push(e, xspi_byte_in(e));
		}
	}
	now = vclock_now(e->clk);
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)xspi_fifo_pop(e) << (8 * i);
	e->mm_head += size;
	if (e->stalled &&
	    QUADSPI_FIFO_SIZE - e->level >= XSPI_FIFO_RESTART_FREE)
		xspi_resume(e, now);
	xspi_advance(e, now);
	*value = v;
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
	struct quadspi *q = dev;

	(void)size;
	(void)value;
	(void)master;
	/* RM0399 §24.3.12: "Only read operations are allowed"; answered with
	 * a bus error (docs/hardware-stm32h7.md §6.7, inferred). */
	sim_log(LOG_GUEST_ERROR,
		"%s: write to 0x%08x in the memory-mapped window: only reads "
		"are allowed (RM0399 §24.3.12): bus error", q->e.name,
		(unsigned)(QUADSPI_MEM_BASE + offset));
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
	xspi_init(&q->e, &quadspi_desc, clk, kernel_hz, kernel_ctx, wire);
	snprintf(q->e.name, sizeof(q->e.name), "QUADSPI@0x%08x",
		 (unsigned)base);
	snprintf(q->e.trace_name, sizeof(q->e.trace_name), "QUADSPI");
	q->lane0 = true;
	q->family = family;
	quadspi_reset(q);
	return q;
}

void quadspi_free(struct quadspi *q)
{
	if (!q)
		return;
	xspi_release(&q->e);
	free(q);
}

void quadspi_reset(struct quadspi *q)
{
	xspi_reset(&q->e);
	q->dcr = q->ccr = q->abr = 0;
	q->hung_needs_en = false;
	xspi_wire_set_clk_idle(q->e.wire, false);
	xspi_irq_update(&q->e);
}

uint64_t quadspi_max_cs_low_ns(const struct quadspi *q)
{
	return q->e.max_cs_low_ns;
}
