/* STM32F7 embedded flash: RM0385 §3 (unlocking FLASH_CR, the programming
 * and erase sequences, the option bytes, the error flags of FLASH_SR) with
 * the RM0410 dual-bank organisation of the STM32F76x/77x. */
#include "periph/flash_f7.h"

#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/stats.h"

#define KEY1 0x45670123U
#define KEY2 0xCDEF89ABU
#define OPTKEY1 0x08192A3BU
#define OPTKEY2 0x4C5D6E7FU

#define CR_SNB_SHIFT 3U
#define CR_PSIZE_SHIFT 8U
/* EOPIE, ERRIE (RM0385 §3, FLASH_CR; the F74x/75x and F76x/77x have no
 * RDERRIE, the F72x/73x do). */
#define CR_KEPT 0x03000000U
#define CR_EOPIE (1U << 24)
#define CR_ERRIE (1U << 25)
#define SR_ERRORS                                                              \
	(FLASH_F7_SR_OPERR | FLASH_F7_SR_WRPERR | FLASH_F7_SR_PGAERR |         \
	 FLASH_F7_SR_PGPERR | FLASH_F7_SR_ERSERR)
#define SR_CLEARABLE 0x000000F3U	/* EOP, OPERR, WRPERR..ERSERR */
#define ACR_WRITABLE 0x00000B0FU	/* LATENCY, PRFTEN, ARTEN, ARTRST */
#define OPTCR1_FACTORY 0x00400080U	/* BOOT_ADD0 0x0080, BOOT_ADD1 0x0040 */

#define MS(n) ((uint64_t)(n) * 1000000ULL)

/* Durations of the order DS10916 gives in its flash memory programming
 * table (typical, x32 parallelism): one program access 16 us, a 32 KiB
 * sector 250 ms, 128 KiB 1 s, 256 KiB 2 s, a mass erase 8 s per MiB;
 * smaller dual-bank sectors scale with their size. */
#define PROGRAM_NS 16000U
#define ERASE_NS_PER_KIB (MS(250) / 32)
#define MASS_ERASE_NS_PER_MIB MS(8000)
/* A CPU read of FLASH_SR while BSY is set costs this much virtual time
 * (as in the H7 model), so a polling loop does not set the pace. */
#define SR_POLL_NS 1000U

/* RM0385 §3, FLASH_OPTCR: IWDG_STOP/STDBY 1, nWRP all 1 (no protection), RDP
 * level 0 (0xAA), nRST_STDBY/STOP 1, IWDG_SW/WWDG_SW 1 (software
 * watchdogs), BOR off (11), OPTLOCK. */
const struct flash_f7_family flash_f7_family_f74x = {
	.name = "STM32F74x/75x",
	.manual = "RM0385",
	.dual_bank_option = false,
	.cr_snb_mask = 0xF,
	.optcr_factory = 0xC0FFAAFDU,
	.optcr_writable = 0xC0FFFFFCU,
	.nwrp_bits = 8,
};

/* RM0410 §3, FLASH_OPTCR: as F74x plus nWRP[11:0], nDBOOT and nDBANK, both 1
 * from the factory (single bank, dual boot off). */
const struct flash_f7_family flash_f7_family_f76x = {
	.name = "STM32F76x/77x",
	.manual = "RM0410",
	.dual_bank_option = true,
	.cr_snb_mask = 0x1F,
	.optcr_factory = 0xFFFFAAFDU,
	.optcr_writable = 0xFFFFFFFCU,
	.nwrp_bits = 12,
};

struct flash_sector {
	uint32_t offset, size;
};

struct flash_f7 {
	const struct flash_f7_family *fam;
	struct bus *bus;
	struct bus_region *array;
	struct vclock *clk;
	uint64_t idle;			/* cycles that passed while halted */
	uint32_t size;
	uint8_t *cells;
	/* Layout in force since the last reset. */
	bool dual_bank;
	unsigned nsectors, per_bank;
	struct flash_sector sector[FLASH_F7_MAX_SECTORS];
	/* Registers. */
	uint32_t acr, sr, cr, optcr, optcr1;
	bool locked, opt_locked;
	int key_stage, opt_key_stage;
	bool key_refused, opt_key_refused;
	uint64_t busy_until;
	uint32_t pending_flags;		/* raised when the operation ends */
	bool erasing;			/* the operation is an erase (STRT) */
	/* Non-volatile option bytes. */
	uint32_t opt_stored, opt1_stored;
	uint32_t fail;			/* failing sectors, a bit each */
	uint32_t hclk_hz;
	bool unreliable;		/* too few wait states: reads all ones */
	struct irq_line irq;		/* FLASH global interrupt */
	/* Fires when the operation in progress ends, so that EOP and the
	 * interrupt come on time rather than at the next register read. */
	struct vclock_event done;
};

static void check_latency(struct flash_f7 *fc);

static uint64_t now(const struct flash_f7 *fc)
{
	return vclock_now(fc->clk) + fc->idle;
}

/* The FLASH interrupt: end of operation with EOPIE, an error flag with
 * ERRIE (RM0385 §3, flash interrupts). */
static void irq_update(struct flash_f7 *fc)
{
	irq_set(&fc->irq, ((fc->sr & FLASH_F7_SR_EOP) && (fc->cr & CR_EOPIE)) ||
				  ((fc->sr & SR_ERRORS) && (fc->cr & CR_ERRIE)));
}

static void update(struct flash_f7 *fc)
{
	if (fc->busy_until && now(fc) >= fc->busy_until) {
		fc->busy_until = 0;
		uint32_t f = fc->pending_flags;

		/* RM0385 §3, FLASH_SR: EOP is set only while EOPIE is, OPERR
		 * only while ERRIE is. */
		if (!(fc->cr & CR_EOPIE))
			f &= ~FLASH_F7_SR_EOP;
		if (!(fc->cr & CR_ERRIE))
			f &= ~FLASH_F7_SR_OPERR;
		fc->sr |= f;
		fc->pending_flags = 0;
		irq_update(fc);
	}
}

static void on_done(void *ctx)
{
	update(ctx);
}

static bool busy(struct flash_f7 *fc)
{
	update(fc);
	return fc->busy_until != 0;
}

/* The access that must wait for the operation in progress: a CPU access
 * stalls the core, a debugger access takes that long. */
static void wait_idle(struct flash_f7 *fc, enum bus_master master)
{
	uint64_t t = now(fc);

	if (!fc->busy_until || fc->busy_until <= t) {
		update(fc);
		return;
	}
	if (master == BUS_MASTER_CPU)
		vclock_stall_until(fc->clk,
				   fc->clk->cycles + (fc->busy_until - t));
	else
		fc->idle += fc->busy_until - t;
	update(fc);
}

static void start_op(struct flash_f7 *fc, uint64_t ns, uint32_t flags)
{
	fc->erasing = false;
	fc->busy_until = now(fc) + vclock_cycles_for_ns(fc->clk, ns);
	if (fc->busy_until == now(fc))
		fc->busy_until++;
	fc->pending_flags = flags;
	/* busy_until counts the debugger's idle time too; the event is on
	 * the core's clock. Idle time added later brings the end closer:
	 * flash_f7_idle() moves the event with it. */
	vclock_schedule_at(fc->clk, &fc->done, fc->busy_until - fc->idle);
}

static void layout(struct flash_f7 *fc)
{
	bool dual = fc->fam->dual_bank_option &&
		    !(fc->opt_stored & FLASH_F7_OPTCR_NDBANK);
	uint32_t bank = dual ? fc->size / 2 : fc->size;
	uint32_t unit = dual ? 16 * 1024 : 32 * 1024;
	unsigned n = 0;

	fc->dual_bank = dual;
	for (unsigned b = 0; b < (dual ? 2U : 1U); b++) {
		uint32_t off = 0;

		for (unsigned i = 0; off < bank; i++, n++) {
			uint32_t sz = i < 4 ? unit : i == 4 ? 4 * unit
							   : 8 * unit;

			fc->sector[n].offset = b * bank + off;
			fc->sector[n].size = sz;
			off += sz;
		}
		if (b == 0)
			fc->per_bank = n;
	}
	fc->nsectors = n;
}

static unsigned sector_of(const struct flash_f7 *fc, uint32_t off)
{
	for (unsigned i = 0; i < fc->nsectors; i++)
		if (off - fc->sector[i].offset < fc->sector[i].size)
			return i;
	return 0;
}

/* nWRPi protects sector i; in dual-bank mode one bit covers two adjacent
 * sectors of each bank (RM0410 §3, nWRP, as OpenOCD's stm32f2x.c reads it). */
static bool protected_sector(const struct flash_f7 *fc, unsigned s)
{
	unsigned bit = s;

	if (fc->dual_bank)
		bit = (s % fc->per_bank) / 2;
	if (bit >= fc->fam->nwrp_bits)
		return false;
	return !((fc->optcr >> (16 + bit)) & 1U);
}

static void publish(struct flash_f7 *fc, uint32_t offset, uint32_t len)
{
	if (!fc->unreliable)
		bus_update_mem(fc->bus, fc->array, offset, fc->cells + offset,
			       len);
}

static void erase(struct flash_f7 *fc, unsigned first, unsigned count)
{
	uint32_t off = fc->sector[first].offset;
	uint32_t len = 0;

	for (unsigned i = first; i < first + count; i++)
		len += fc->sector[i].size;
	memset(fc->cells + off, 0xFF, len);
	publish(fc, off, len);
}

/* SNB as software writes it to a sector index, or -1 if none. */
static int sector_from_snb(const struct flash_f7 *fc, uint32_t snb)
{
	if (!fc->dual_bank)
		return snb < fc->nsectors ? (int)snb : -1;
	if ((snb & 0xFU) >= fc->per_bank)
		return -1;
	return (int)((snb >> 4 & 1U) * fc->per_bank + (snb & 0xFU));
}

/* An error flag of FLASH_SR; OPERR comes with it while ERRIE is set
 * (RM0385 §3, FLASH_SR: "set only if error interrupts are enabled"). */
static void raise_error(struct flash_f7 *fc, uint32_t flag)
{
	fc->sr |= flag;
	if (fc->cr & CR_ERRIE)
		fc->sr |= FLASH_F7_SR_OPERR;
}

static void start(struct flash_f7 *fc, uint32_t cr)
{
	const struct flash_f7_family *fam = fc->fam;
	bool mer = cr & FLASH_F7_CR_MER;
	bool mer2 = fam->dual_bank_option && (cr & FLASH_F7_CR_MER2);

	if (mer || mer2) {
		unsigned first = 0, count = fc->nsectors;

		if (fc->dual_bank && !(mer && mer2)) {
			first = mer ? 0 : fc->per_bank;
			count = fc->per_bank;
		}
		for (unsigned i = first; i < first + count; i++)
			if (protected_sector(fc, i)) {
				sim_log(LOG_GUEST_ERROR,
					"FLASH: mass erase with sector %u "
					"write-protected (%s §3, erase, WRPERR)",
					i, fam->manual);
				raise_error(fc, FLASH_F7_SR_WRPERR);
				return;
			}
		erase(fc, first, count);
		start_op(fc,
			 MASS_ERASE_NS_PER_MIB * (count == fc->nsectors
							  ? fc->size
							  : fc->size / 2) /
				 (1024 * 1024),
			 FLASH_F7_SR_EOP);
		fc->erasing = true;
		return;
	}
	if (cr & FLASH_F7_CR_SER) {
		uint32_t snb = (cr >> CR_SNB_SHIFT) & fam->cr_snb_mask;
		int s = sector_from_snb(fc, snb);

		if (s < 0) {
			sim_log(LOG_GUEST_ERROR,
				"FLASH: sector erase of SNB %u, which this "
				"%s flash does not have (%s §3, FLASH_CR): nothing "
				"erased",
				(unsigned)snb,
				fc->dual_bank ? "dual-bank" : "single-bank",
				fam->manual);
			raise_error(fc, FLASH_F7_SR_ERSERR);
			return;
		}
		if (protected_sector(fc, (unsigned)s)) {
			sim_log(LOG_GUEST_ERROR,
				"FLASH: erase of write-protected sector %d "
				"refused (%s §3, erase, WRPERR)",
				s, fam->manual);
			raise_error(fc, FLASH_F7_SR_WRPERR);
			return;
		}
		erase(fc, (unsigned)s, 1);
		start_op(fc, ERASE_NS_PER_KIB * (fc->sector[s].size / 1024),
			 FLASH_F7_SR_EOP);
		fc->erasing = true;
		return;
	}
	sim_log(LOG_GUEST_ERROR,
		"FLASH_CR.STRT with neither SER nor MER set: ignored "
		"(%s §3, erase)", fam->manual);
}

static void write_cr(struct flash_f7 *fc, uint32_t v, enum bus_master master)
{
	const struct flash_f7_family *fam = fc->fam;
	uint32_t mask = FLASH_F7_CR_PG | FLASH_F7_CR_SER | FLASH_F7_CR_MER |
			fam->cr_snb_mask << CR_SNB_SHIFT |
			3U << CR_PSIZE_SHIFT | CR_KEPT |
			(fam->dual_bank_option ? FLASH_F7_CR_MER2 : 0);

	if (fc->locked) {
		sim_log(LOG_GUEST_ERROR,
			"FLASH_CR <- 0x%08x while locked: ignored (%s §3, unlocking)",
			(unsigned)v, fam->manual);
		return;
	}
	/* RM0385 §3, unlocking the flash control register: FLASH_CR cannot be
	 * written while BSY is set; the write stalls the bus until the
	 * operation in progress ends. */
	wait_idle(fc, master);
	if (v & FLASH_F7_CR_LOCK) {
		fc->locked = true;
		fc->key_stage = 0;
	}
	fc->cr = v & mask;
	if ((v & FLASH_F7_CR_STRT) && !fc->locked)
		start(fc, fc->cr);
}

static void write_keyr(struct flash_f7 *fc, uint32_t v)
{
	if (fc->key_refused || !fc->locked) {
		/* §3, unlocking: unlocking twice or after a wrong key is a bus
		 * error and keeps CR locked until the next reset. */
		fc->key_refused = true;
		fc->locked = true;
		return;
	}
	if (fc->key_stage == 0 && v == KEY1) {
		fc->key_stage = 1;
	} else if (fc->key_stage == 1 && v == KEY2) {
		fc->locked = false;
		fc->key_stage = 0;
	} else {
		sim_log(LOG_GUEST_ERROR,
			"FLASH_KEYR: wrong key 0x%08x: FLASH_CR locked until "
			"reset (%s §3, unlocking)", (unsigned)v, fc->fam->manual);
		fc->key_refused = true;
	}
}

static void write_optkeyr(struct flash_f7 *fc, uint32_t v)
{
	if (fc->opt_key_refused || !fc->opt_locked) {
		fc->opt_key_refused = true;
		fc->opt_locked = true;
		return;
	}
	if (fc->opt_key_stage == 0 && v == OPTKEY1) {
		fc->opt_key_stage = 1;
	} else if (fc->opt_key_stage == 1 && v == OPTKEY2) {
		fc->opt_locked = false;
		fc->opt_key_stage = 0;
	} else {
		sim_log(LOG_GUEST_ERROR,
			"FLASH_OPTKEYR: wrong key 0x%08x: FLASH_OPTCR locked "
			"until reset (%s §3, option bytes)", (unsigned)v,
			fc->fam->manual);
		fc->opt_key_refused = true;
	}
}

/* RM0385 §3, option bytes: with OPTLOCK clear, software writes the option
 * values into OPTCR/OPTCR1, then OPTSTRT programs them (BSY meanwhile); they
 * take effect at the next reset. */
static void write_optcr(struct flash_f7 *fc, uint32_t v,
			enum bus_master master)
{
	if (fc->opt_locked) {
		sim_log(LOG_GUEST_ERROR,
			"FLASH_OPTCR <- 0x%08x while OPTLOCK is set: ignored "
			"(%s §3, option bytes)", (unsigned)v, fc->fam->manual);
		return;
	}
	fc->optcr = v & fc->fam->optcr_writable;
	if (v & FLASH_F7_OPTCR_OPTLOCK) {
		fc->opt_locked = true;
		fc->opt_key_stage = 0;
	}
	if (v & FLASH_F7_OPTCR_OPTSTRT) {
		wait_idle(fc, master);
		fc->opt_stored = fc->optcr;
		fc->opt1_stored = fc->optcr1;
		/* Programming the option bytes takes a sector erase. */
		start_op(fc, MS(250), 0);
	}
}

static bool reg_read(void *dev, uint32_t off, unsigned size, uint32_t *value,
		     enum bus_master master)
{
	struct flash_f7 *fc = dev;
	uint32_t v;

	switch (off & ~3U) {
	case FLASH_F7_ACR:
		v = fc->acr;
		break;
	case FLASH_F7_SR:
		if (busy(fc) && master == BUS_MASTER_CPU)
			vclock_stall_until(
				fc->clk, fc->clk->cycles +
						 vclock_cycles_for_ns(fc->clk,
								      SR_POLL_NS));
		v = fc->sr | (busy(fc) ? FLASH_F7_SR_BSY : 0);
		break;
	case FLASH_F7_CR:
		/* STRT reads 1 until BSY clears (RM0385 §3, FLASH_CR). */
		v = fc->cr | (fc->locked ? FLASH_F7_CR_LOCK : 0) |
		    (busy(fc) && fc->erasing ? FLASH_F7_CR_STRT : 0);
		break;
	case FLASH_F7_OPTCR:
		v = fc->optcr | (fc->opt_locked ? FLASH_F7_OPTCR_OPTLOCK : 0) |
		    (busy(fc) && fc->pending_flags == 0
			     ? FLASH_F7_OPTCR_OPTSTRT
			     : 0);
		break;
	case FLASH_F7_OPTCR1:
		v = fc->optcr1;
		break;
	default:
		v = 0;	/* KEYR, OPTKEYR are write-only; reserved RAZ */
		break;
	}
	*value = v >> (8 * (off & 3U));
	if (size < 4)
		*value &= (1U << (8 * size)) - 1U;
	return true;
}

static bool reg_store(void *dev, uint32_t off, unsigned size, uint32_t v,
		      enum bus_master master)
{
	struct flash_f7 *fc = dev;

	if (size != 4 && (off & ~3U) != FLASH_F7_ACR) {
		sim_log(LOG_GUEST_ERROR,
			"FLASH+0x%02x: %u-byte write; the flash registers "
			"take word writes (%s §3, registers)",
			(unsigned)off, size, fc->fam->manual);
		return true;
	}
	update(fc);
	switch (off & ~3U) {
	case FLASH_F7_ACR:
		fc->acr = (fc->acr & ~ACR_WRITABLE) | (v & ACR_WRITABLE);
		check_latency(fc);
		break;
	case FLASH_F7_KEYR:
		write_keyr(fc, v);
		return !fc->key_refused;
	case FLASH_F7_OPTKEYR:
		write_optkeyr(fc, v);
		return !fc->opt_key_refused;
	case FLASH_F7_SR:
		fc->sr &= ~(v & SR_CLEARABLE);
		break;
	case FLASH_F7_CR:
		sim_stats.flash_cr_writes++;
		write_cr(fc, v, master);
		break;
	case FLASH_F7_OPTCR:
		write_optcr(fc, v, master);
		break;
	case FLASH_F7_OPTCR1:
		if (!fc->opt_locked)
			fc->optcr1 = v;
		break;
	default:
		break;
	}
	return true;
}

static bool reg_write(void *dev, uint32_t off, unsigned size, uint32_t v,
		      enum bus_master master)
{
	bool ok = reg_store(dev, off, size, v, master);

	irq_update(dev);
	return ok;
}

const struct mmio_ops flash_f7_reg_ops = {reg_read, reg_write};

/* FLASH_ACR and FLASH_CR change only when written (RM0385 §3, flash
 * registers); FLASH_SR by writes (its flags are cleared by writing 1) and
 * when the operation ends, at the `done` event; no read clears anything.
 * The SR read's stall only charges the poll's time. */
bool flash_f7_reg_read_stable(void *dev, uint32_t off)
{
	(void)dev;
	return off == FLASH_F7_ACR || off == FLASH_F7_SR || off == FLASH_F7_CR;
}

static bool mem_read(void *dev, uint32_t off, unsigned size, uint32_t *value,
		     enum bus_master master)
{
	struct flash_f7 *fc = dev;
	uint32_t v = 0;

	(void)master;
	if (off >= fc->size || size > fc->size - off)
		return false;
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)fc->cells[off + i] << (8 * i);
	*value = fc->unreliable ? 0xFFFFFFFFU >> (32 - 8 * size) : v;
	return true;
}

/* A store into the array with PG set programs it (RM0385 §3, programming): the
 * access size must match PSIZE (else PGPERR), the sector must not be
 * write-protected (WRPERR); cells only go from 1 to 0. */
static bool mem_program(void *dev, uint32_t off, unsigned size, uint32_t v,
			enum bus_master master)
{
	struct flash_f7 *fc = dev;
	const char *manual = fc->fam->manual;
	unsigned psize = (fc->cr >> CR_PSIZE_SHIFT) & 3U;
	unsigned s;

	if (off >= fc->size || size > fc->size - off)
		return false;
	wait_idle(fc, master);
	if (!(fc->cr & FLASH_F7_CR_PG) || fc->locked) {
		sim_log(LOG_GUEST_ERROR,
			"FLASH: write to 0x%08x with PG clear or FLASH_CR "
			"locked: nothing programmed (%s §3, FLASH_SR, ERSERR)",
			(unsigned)(fc->array->base + off), manual);
		raise_error(fc, FLASH_F7_SR_ERSERR);
		return true;
	}
	if (size != 1U << psize) {
		sim_log(LOG_GUEST_ERROR,
			"FLASH: %u-byte write at 0x%08x with PSIZE x%u "
			"(%s §3, programming, PGPERR)%s",
			size, (unsigned)(fc->array->base + off), 8U << psize,
			manual,
			psize == 3 ? "; x64 needs an external VPP" : "");
		raise_error(fc, FLASH_F7_SR_PGPERR);
		return true;
	}
	/* PGAERR: "the data to program cannot be contained in the same
	 * 128-bit flash memory row" (RM0385 §3, FLASH_SR). */
	if ((off & 15U) + size > 16U) {
		sim_log(LOG_GUEST_ERROR,
			"FLASH: %u-byte write at 0x%08x crosses a 128-bit row "
			"(%s §3, FLASH_SR, PGAERR)", size,
			(unsigned)(fc->array->base + off), manual);
		raise_error(fc, FLASH_F7_SR_PGAERR);
		return true;
	}
	s = sector_of(fc, off);
	if (protected_sector(fc, s)) {
		sim_log(LOG_GUEST_ERROR,
			"FLASH: write to write-protected sector %u refused "
			"(%s §3, programming, WRPERR)", s, manual);
		raise_error(fc, FLASH_F7_SR_WRPERR);
		return true;
	}
	if ((fc->fail >> s) & 1U) {
		start_op(fc, PROGRAM_NS, FLASH_F7_SR_OPERR);
		return true;
	}
	for (unsigned i = 0; i < size; i++)
		fc->cells[off + i] &= (uint8_t)(v >> (8 * i));
	publish(fc, off, size);
	start_op(fc, PROGRAM_NS, FLASH_F7_SR_EOP);
	return true;
}

static bool mem_write(void *dev, uint32_t off, unsigned size, uint32_t v,
		      enum bus_master master)
{
	bool ok = mem_program(dev, off, size, v, master);

	irq_update(dev);
	return ok;
}

const struct mmio_ops flash_f7_mem_ops = {mem_read, mem_write};

static bool itcm_write(void *dev, uint32_t off, unsigned size, uint32_t v,
		       enum bus_master master)
{
	struct flash_f7 *fc = dev;

	(void)size;
	(void)v;
	(void)master;
	/* RM0385 §2, memory map: the ITCM path to the flash is read-only;
	 * programming goes through AXIM at 0x08000000. */
	sim_log(LOG_GUEST_ERROR,
		"FLASH: write to the ITCM alias 0x%08x: the ITCM interface "
		"reads only (%s §2, memory map)", (unsigned)(0x00200000U + off),
		fc->fam->manual);
	return false;
}

const struct mmio_ops flash_f7_itcm_ops = {mem_read, itcm_write};

void flash_f7_reset(struct flash_f7 *fc)
{
	fc->acr = 0;
	fc->sr = 0;
	fc->cr = 0;
	fc->locked = true;
	fc->opt_locked = true;
	fc->key_stage = fc->opt_key_stage = 0;
	fc->key_refused = fc->opt_key_refused = false;
	fc->busy_until = 0;
	fc->pending_flags = 0;
	vclock_cancel(fc->clk, &fc->done);
	fc->erasing = false;
	/* The option bytes are loaded at reset (RM0385 §3, option bytes). */
	fc->optcr = fc->opt_stored & ~(FLASH_F7_OPTCR_OPTLOCK |
				       FLASH_F7_OPTCR_OPTSTRT);
	fc->optcr1 = fc->opt1_stored;
	layout(fc);
	irq_update(fc);
	check_latency(fc);
}

struct flash_f7 *flash_f7_new(const struct flash_f7_family *family,
			      struct bus *bus, struct bus_region *array,
			      uint32_t size, struct vclock *clk)
{
	struct flash_f7 *fc;

	if (size != (family->dual_bank_option ? 2048U : 1024U) * 1024U)
		return NULL;
	fc = calloc(1, sizeof(*fc));
	if (!fc)
		return NULL;
	fc->cells = malloc(size);
	if (!fc->cells) {
		free(fc);
		return NULL;
	}
	memset(fc->cells, 0xFF, size);
	fc->fam = family;
	fc->bus = bus;
	fc->array = array;
	fc->clk = clk;
	fc->size = size;
	fc->opt_stored = family->optcr_factory;
	fc->opt1_stored = OPTCR1_FACTORY;
	vclock_event_init(&fc->done, on_done, fc);
	flash_f7_reset(fc);
	memcpy(array->mem, fc->cells, size);
	return fc;
}

void flash_f7_free(struct flash_f7 *fc)
{
	if (!fc)
		return;
	vclock_cancel(fc->clk, &fc->done);
	free(fc->cells);
	free(fc);
}

void flash_f7_idle(struct flash_f7 *fc, uint64_t ns)
{
	fc->idle += vclock_cycles_for_ns(fc->clk, ns);
	update(fc);
	/* BSY must clear at the event, never between events
	 * (flash_f7_reg_read_stable). */
	if (fc->busy_until)
		vclock_schedule_at(fc->clk, &fc->done,
				   fc->busy_until - fc->idle);
}

void flash_f7_load(struct flash_f7 *fc, const uint8_t *data, uint32_t len)
{
	if (len != fc->size)
		return;
	memcpy(fc->cells, data, len);
	if (!fc->unreliable)
		memcpy(fc->array->mem, data, len);
	if (fc->bus->code_changed)
		fc->bus->code_changed(fc->bus->code_changed_ctx,
				      fc->array->base, len);
}

const uint8_t *flash_f7_contents(const struct flash_f7 *fc)
{
	return fc->cells;
}

uint32_t flash_f7_size(const struct flash_f7 *fc)
{
	return fc->size;
}

unsigned flash_f7_sector_count(const struct flash_f7 *fc)
{
	return fc->nsectors;
}

unsigned flash_f7_latency(const struct flash_f7 *fc)
{
	return fc->acr & 0xFU;
}

void flash_f7_set_irq(struct flash_f7 *fc, struct irq_line line)
{
	fc->irq = line;
	irq_update(fc);
}

void flash_f7_fail_sector(struct flash_f7 *fc, unsigned sector)
{
	if (sector < FLASH_F7_MAX_SECTORS)
		fc->fail |= 1U << sector;
}

/* RM0385 §3, read access latency, Table 5: at VDD 2.7-3.6 V (the boards'
 * 3.3 V) LATENCY must be at least one wait state per 30 MHz of HCLK, 7
 * at 216 MHz. The flash does not check it; a read sampled too early is
 * not specified, and psramsim takes the strictest reading that is still
 * physical, as for the H7 (docs/psramsim-periph.md §6): the bit lines
 * still hold their precharge, every read returns all ones, data reads see
 * 0xFFFFFFFF and the core executes 0xFFFF halfwords (a UsageFault). The
 * cells keep their contents and show again once LATENCY covers HCLK. */
static void check_latency(struct flash_f7 *fc)
{
	unsigned need = fc->hclk_hz ? (fc->hclk_hz - 1) / 30000000U : 0;
	bool on = flash_f7_latency(fc) < need;

	if (on == fc->unreliable)
		return;
	fc->unreliable = on;
	if (on)
		sim_log(LOG_GUEST_ERROR,
			"FLASH_ACR.LATENCY %u is too few for HCLK %u Hz: %u wait "
			"states needed (%s §3, Table 5); flash reads return "
			"all ones", flash_f7_latency(fc),
			(unsigned)fc->hclk_hz, need, fc->fam->manual);
	if (on)
		bus_fill_mem(fc->bus, fc->array, 0, 0xFF, fc->size);
	else
		bus_update_mem(fc->bus, fc->array, 0, fc->cells, fc->size);
}

void flash_f7_set_hclk(struct flash_f7 *fc, uint32_t hclk_hz)
{
	fc->hclk_hz = hclk_hz;
	check_latency(fc);
}
