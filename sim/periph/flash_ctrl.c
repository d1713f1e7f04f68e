/* STM32H7 embedded flash: RM0433 §4 (register map §4.9, program §4.3.9,
 * erase §4.3.10, errors §4.7, configuration protection §4.5.1), with the
 * RM0455 line as a second family table. */
#include "periph/flash_ctrl.h"

#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/stats.h"

#define OPTCR_OPTLOCK (1U << 0)
#define OPTCR_OPTSTART (1U << 1)
#define OPTCR_MER (1U << 4)
#define OPTCR_OPTCHANGEERRIE (1U << 30)
#define OPTCR_SWAP_BANK (1U << 31)
#define OPTSR_RDP_MASK 0x0000FF00U
#define OPTSR_SECURITY (1U << 21)
#define OPTSR_OPTCHANGEERR (1U << 30)
#define OPTSR_SWAP_BANK_OPT (1U << 31)
#define OPTCCR_CLR_OPTCHANGEERR (1U << 30)
#define CRCCR_START_CRC (1U << 16)
#define CRCCR_CLEAN_CRC (1U << 17)
#define CRCCR_KEPT 0x00300787U

/* RM0433 §4.4 and §4.9 (OPTSR_CUR, PRAR, SCAR, WPSN, BOOT_CUR): the
 * option bytes of a device as it leaves the
 * factory: RDP level 0 (0xAA), no security, IWDG1 in software mode; no
 * PCROP or secure-only area (start above end); no write-protected sector;
 * boot from 0x08000000 (BOOT_ADD0 = 0x0800) or the system memory
 * (BOOT_ADD1 = 0x1FF0). */
#define OPTSR_FACTORY 0x1606AAF0U
#define PRAR_FACTORY 0x000000FFU
#define SCAR_FACTORY 0x000000FFU
#define BOOT_FACTORY 0x1FF00800U
#define ACR_WRITABLE 0x0000003FU

/* Common to both lines: the SR flags (RM0433 §4.9.5, RM0455 §4.9.5). */
#define SR_COMMON                                                              \
	(FLASH_SR_EOP | FLASH_SR_WRPERR | FLASH_SR_PGSERR | FLASH_SR_STRBERR | \
	 FLASH_SR_INCERR | FLASH_SR_RDPERR | FLASH_SR_RDSERR |                 \
	 FLASH_SR_SNECCERR | FLASH_SR_DBECCERR | FLASH_SR_CRCEND)

#define MS(n) ((uint64_t)(n) * 1000000ULL)

/* RM0433 §4.9.4 FLASH_CR1: PSIZE 5:4, FW 6, START 7, SNB 10:8; CRC_EN 15
 * and the interrupt enables 16-19, 21-27 hold what is written.
 * Durations: DS12110 (STM32H742xI/G, H743xI/G) flash memory programming
 * table, typical column, by parallelism x8/x16/x32/x64: a 266-bit flash
 * word (256 data + 10 ECC bits) 290/180/130/100 us, a 128 KiB sector
 * 2/1.8/1.1/1 s, a mass (bank) erase 13/8/6/5 s. The maxima (580 us,
 * 4 s at x8) match the timeouts other STM32H7 flash drivers use. */
const struct flash_ctrl_family flash_family_h74x = {
	.name = "STM32H742/743/750/753",
	.manual = "RM0433",
	.word_size = 32,
	.sector_size = 128 * 1024,
	.max_bank_size = 1024 * 1024,
	.cr_reset = 0x00000031U,
	.cr_fw = 1U << 6,
	.cr_start = 1U << 7,
	.cr_snb_shift = 8,
	.cr_snb_mask = 0x7,
	.cr_psize_shift = 4,
	.cr_psize_mask = 0x3,
	.cr_kept = 0x0FEF8000U,
	.sr_flags = SR_COMMON | FLASH_SR_OPERR,
	.sr_op_error = FLASH_SR_OPERR,
	.program_ns = {290000, 180000, 130000, 100000},
	.sector_erase_ns = {MS(2000), MS(1800), MS(1100), MS(1000)},
	.bank_erase_ns = {MS(13000), MS(8000), MS(6000), MS(5000)},
	.acr_reset = 0x00000037U,	/* §4.9.1: LATENCY 7, WRHIGHFREQ 3 */
	.wpsn_factory = 0x000000FFU,	/* §4.9.15: one bit per sector */
	.wps_group = 1,
};

/* RM0455 §4.9.4 FLASH_CR1: FW 4, START 5, SSN 12:6, no PSIZE (OpenOCD's
 * stm32h7x driver shifts FW/START down by two and SNB to bit 6 for this
 * line); reset value 0x00000001. Its SR has no OPERR but a CRCRDERR.
 * Durations: estimates, not datasheet values. DS13195's flash
 * programming table (tPROG, tERASE, tME) was not available to the
 * project; the figures are of the STM32H74x's order (DS12110 typical at
 * x64: 100 us per flash word) for a 128-bit word, an 8 KiB sector erase
 * taken as 20 ms and a bank erase as 2 s. The only published bounds found
 * are tool timeouts, far above them: Keil's STM32H7A-B3 flash algorithm
 * (STM32H7xx_DFP, FlashDev.c) allows 100 ms per page program and 6 s per
 * sector erase (docs/hardware-stm32h7a3.md §8). */
const struct flash_ctrl_family flash_family_h7a3 = {
	.name = "STM32H7A3/B3/B0",
	.manual = "RM0455",
	.word_size = 16,
	.sector_size = 8 * 1024,
	.max_bank_size = 1024 * 1024,
	.cr_reset = 0x00000001U,
	.cr_fw = 1U << 4,
	.cr_start = 1U << 5,
	.cr_snb_shift = 6,
	.cr_snb_mask = 0x7F,
	.cr_psize_shift = 0,
	.cr_psize_mask = 0,
	.cr_kept = 0x1FEF8000U & ~(1U << 22),
	.sr_flags = SR_COMMON | FLASH_SR_CRCRDERR,
	.sr_op_error = 0,
	.program_ns = {100000, 100000, 100000, 100000},
	.sector_erase_ns = {MS(20), MS(20), MS(20), MS(20)},
	.bank_erase_ns = {MS(2000), MS(2000), MS(2000), MS(2000)},
	/* RM0455 §4.9.1 FLASH_ACR reset: LATENCY 3, WRHIGHFREQ 1. */
	.acr_reset = 0x00000013U,
	/* RM0455 §4.9.15: WPSN bit n protects sectors 4n..4n+3 of a bank
	 * (OpenOCD's stm32h7x: wps_group_size 4, mask 0xFFFFFFFF). */
	.wpsn_factory = 0xFFFFFFFFU,
	.wps_group = 4,
};

/* One queued or executing operation: when it ends and what it reports. */
struct flash_op {
	uint64_t end;
	uint32_t flags;
};

/* A CPU read of FLASH_SR while the bank is busy returns at once with
 * BSY/QW set, as on silicon, and then costs the core this much virtual
 * time (a register read takes a few cycles on silicon). A polling loop sees
 * the same flags over the same elapsed time in fewer iterations: without
 * it a 400 MHz core spins 116 000 instructions per 290 us flash word, and
 * the simulator, not the debug link, would set the pace. */
#define SR_POLL_NS 1000

/* RM0433 §4.3.9 names the write buffer and a command queue; the depth of
 * the queue is not given: one operation executes, one waits, and a third
 * request stalls the bus access that makes it. */
#define QUEUE_DEPTH 2

struct flash_bank {
	unsigned number;		/* 1 or 2, as the manual names them */
	uint32_t base;			/* offset in the array */
	uint32_t size;
	unsigned first_sector;		/* flash-wide number of sector 0 */
	unsigned nsectors;
	uint32_t cr;			/* without LOCK */
	bool locked;
	int key_stage;
	bool key_refused;		/* wrong key: locked until reset */
	uint32_t sr;			/* sticky flags */
	uint32_t prar_cur, prar_prg, scar_cur, scar_prg;
	uint32_t wpsn_cur, wpsn_prg;
	uint32_t crccr, crcsadd, crceadd;
	/* The write buffer: one flash word being collected. */
	bool wb_used;
	uint32_t wb_word;
	uint8_t wb_data[FLASH_CTRL_MAX_WORD];
	uint8_t wb_written[FLASH_CTRL_MAX_WORD];
	struct flash_op ops[QUEUE_DEPTH];
	unsigned nops;
};

struct flash_ctrl {
	const struct flash_ctrl_family *fam;
	struct bus *bus;
	struct bus_region *array;
	struct vclock *clk;
	/* Fires when the earliest queued operation ends, so that FLASH_SR
	 * changes only at an event (flash_ctrl_read_stable). */
	struct vclock_event op_end;
	uint64_t idle;			/* cycles that passed while halted */
	uint32_t size;
	uint8_t *cells;			/* the array: what reads return */
	unsigned nbanks;
	struct flash_bank bank[FLASH_CTRL_MAX_BANKS];
	uint32_t acr;
	bool opt_locked;
	int opt_key_stage;
	bool opt_key_refused;
	uint32_t optcr;			/* without OPTLOCK */
	uint32_t optsr_cur, optsr_prg, boot_cur, boot_prg;
	uint64_t fail[FLASH_CTRL_MAX_SECTORS / 64];
	flash_ctrl_changed_fn changed;
	void *changed_ctx;
	void (*acr_written)(void *ctx);
	void *acr_ctx;
	bool warned_bank2;
	/* Read with too few wait states for the AXI clock: the core and
	 * the debugger see the precharged bit lines, not the cells
	 * (flash_ctrl_set_unreliable). */
	bool unreliable;
};

static uint64_t now(const struct flash_ctrl *fc)
{
	return vclock_now(fc->clk) + fc->idle;
}

/* The op_end event at the end of the earliest queued operation: the
 * clock reaches it whatever the core does (an idle loop or a sleep jumps
 * straight to it), so BSY, QW and EOP change at an event. Called after
 * every change to the queues or to `idle`. */
static void arm_op_end(struct flash_ctrl *fc)
{
	uint64_t first = VCLOCK_NEVER;

	for (unsigned n = 0; n < fc->nbanks; n++)
		if (fc->bank[n].nops && fc->bank[n].ops[0].end < first)
			first = fc->bank[n].ops[0].end;
	if (first == VCLOCK_NEVER) {
		vclock_cancel(fc->clk, &fc->op_end);
		return;
	}
	first = first > fc->idle ? first - fc->idle : 0;
	if (first < fc->clk->cycles)
		first = fc->clk->cycles;
	if (vclock_event_queued(&fc->op_end) && fc->op_end.when == first)
		return;
	vclock_cancel(fc->clk, &fc->op_end);
	vclock_schedule_at(fc->clk, &fc->op_end, first);
}

/* Operations whose time is up report their flags and leave the queue. */
static void update(struct flash_ctrl *fc)
{
	uint64_t t = now(fc);

	for (unsigned n = 0; n < fc->nbanks; n++) {
		struct flash_bank *b = &fc->bank[n];

		while (b->nops && b->ops[0].end <= t) {
			b->sr |= b->ops[0].flags;
			b->nops--;
			memmove(&b->ops[0], &b->ops[1],
				b->nops * sizeof(b->ops[0]));
		}
	}
	arm_op_end(fc);
}

static void on_op_end(void *ctx)
{
	update(ctx);
}

/* The access that needs `until` waits for it: a CPU access stalls the
 * core (the clock jumps), a debugger access takes that long. */
static void wait_until(struct flash_ctrl *fc, uint64_t until,
		       enum bus_master master)
{
	uint64_t t = now(fc);

	if (until <= t)
		return;
	if (master == BUS_MASTER_CPU)
		vclock_stall_until(fc->clk, fc->clk->cycles + (until - t));
	else
		fc->idle += until - t;
	update(fc);
}

static unsigned psize(const struct flash_ctrl *fc, const struct flash_bank *b)
{
	if (!fc->fam->cr_psize_mask)
		return 3;
	return (b->cr >> fc->fam->cr_psize_shift) & fc->fam->cr_psize_mask;
}

static void schedule(struct flash_ctrl *fc, struct flash_bank *b,
		     uint64_t ns, uint32_t flags, enum bus_master master)
{
	uint64_t start;

	update(fc);
	if (b->nops == QUEUE_DEPTH)
		wait_until(fc, b->ops[0].end, master);
	start = b->nops ? b->ops[b->nops - 1].end : now(fc);
	b->ops[b->nops].end = start + vclock_cycles_for_ns(fc->clk, ns);
	b->ops[b->nops].flags = flags;
	b->nops++;
	arm_op_end(fc);
}

static void publish(struct flash_ctrl *fc, uint32_t offset, uint32_t len)
{
	if (!fc->unreliable)
		bus_update_mem(fc->bus, fc->array, offset, fc->cells + offset,
			       len);
	if (fc->changed)
		fc->changed(fc->changed_ctx, offset, len);
}

static uint32_t addr_of(const struct flash_ctrl *fc, uint32_t offset)
{
	return fc->array->base + offset;
}

static bool sector_failing(const struct flash_ctrl *fc, unsigned sector)
{
	return sector < FLASH_CTRL_MAX_SECTORS &&
	       (fc->fail[sector / 64] >> (sector % 64)) & 1U;
}

/* RM0433 §4.9.15 FLASH_WPSN_CUR1R: a sector is write-protected while its bit
 * is 0; WPSN holds one bit per sector, bit 0 for the bank's sector 0. */
static bool sector_protected(const struct flash_ctrl *fc,
			     const struct flash_bank *b, unsigned in_bank)
{
	unsigned group = in_bank / fc->fam->wps_group;

	return group < 32 && !((b->wpsn_cur >> group) & 1U);
}

static void flush_buffer(struct flash_bank *b)
{
	b->wb_used = false;
	memset(b->wb_written, 0, sizeof(b->wb_written));
}

/* A complete flash word leaves the write buffer for the queue (RM0433
 * §4.3.9 "Single write sequence"). */
static void commit_word(struct flash_ctrl *fc, struct flash_bank *b,
			enum bus_master master)
{
	const struct flash_ctrl_family *fam = fc->fam;
	uint32_t word = b->wb_word, ws = fam->word_size;
	unsigned in_bank = (word - b->base) / fam->sector_size;
	unsigned sector = b->first_sector + in_bank;
	uint8_t *cells = fc->cells + word;
	uint32_t flags = FLASH_SR_EOP;
	bool virgin = true, zero = true, same;
	uint8_t data[FLASH_CTRL_MAX_WORD];

	memcpy(data, b->wb_data, ws);
	flush_buffer(b);
	if (sector_protected(fc, b, in_bank)) {
		/* §4.7.2: programming a write-protected sector is refused. */
		b->sr |= FLASH_SR_WRPERR;
		sim_log(LOG_GUEST_ERROR,
			"FLASH: program of 0x%08x in write-protected sector %u "
			"refused (%s §4.7.2, WRPERR)",
			addr_of(fc, word), in_bank, fam->manual);
		return;
	}
	for (uint32_t i = 0; i < ws; i++) {
		virgin = virgin && cells[i] == 0xFF;
		zero = zero && data[i] == 0;
	}
	same = memcmp(cells, data, ws) == 0;
	sim_trace("flash: bank %u program 0x%08x", b->number,
		  addr_of(fc, word));
	if (sector_failing(fc, sector)) {
		/* Injected: the sector's cells no longer take a charge. */
		sim_log(LOG_INFO,
			"FLASH: program of 0x%08x fails (fault flash-fail=%u)",
			addr_of(fc, word), sector);
		flags = fam->sr_op_error;
	} else {
		if (!virgin && !zero && !same) {
			/* §4.3.9: a flash word is programmed once after an
			 * erase (its ECC bits are written with it); only an
			 * all-zero word may go over it. The cells can only
			 * lose charge (1 -> 0) and the ECC no longer matches,
			 * which the controller reports as an operation
			 * error. */
			sim_log(LOG_GUEST_ERROR,
				"FLASH: flash word at 0x%08x programmed again "
				"without an erase (%s §4.3.9, OPERR)",
				addr_of(fc, word), fam->manual);
			if (fam->sr_op_error)
				flags = fam->sr_op_error;
		}
		if (!same) {
			for (uint32_t i = 0; i < ws; i++)
				cells[i] &= data[i];
			publish(fc, word, ws);
		}
	}
	schedule(fc, b, fam->program_ns[psize(fc, b)], flags, master);
}

static void erase_range(struct flash_ctrl *fc, uint32_t offset, uint32_t len)
{
	memset(fc->cells + offset, 0xFF, len);
	publish(fc, offset, len);
}

/* START (RM0433 §4.3.10): a sector erase with SER, a bank erase with BER,
 * which wins when both are set. */
static void start_erase(struct flash_ctrl *fc, struct flash_bank *b,
			enum bus_master master)
{
	const struct flash_ctrl_family *fam = fc->fam;
	unsigned p = psize(fc, b), sector;

	if (b->wb_used) {
		b->sr |= FLASH_SR_PGSERR;
		sim_log(LOG_GUEST_ERROR,
			"FLASH: erase started on bank %u while its write "
			"buffer holds an incomplete flash word (%s §4.7.3, "
			"PGSERR)",
			b->number, fam->manual);
		return;
	}
	if (b->cr & FLASH_CR_BER) {
		for (unsigned s = 0; s < b->nsectors; s++) {
			if (sector_protected(fc, b, s)) {
				b->sr |= FLASH_SR_WRPERR;
				sim_log(LOG_GUEST_ERROR,
					"FLASH: bank %u erase refused: sector "
					"%u is write-protected (%s §4.7.2, "
					"WRPERR)",
					b->number, s, fam->manual);
				return;
			}
		}
		sim_trace("flash: bank %u erase", b->number);
		erase_range(fc, b->base, b->size);
		schedule(fc, b, fam->bank_erase_ns[p], FLASH_SR_EOP, master);
		return;
	}
	if (!(b->cr & FLASH_CR_SER)) {
		b->sr |= FLASH_SR_PGSERR;
		sim_log(LOG_GUEST_ERROR,
			"FLASH: START set on bank %u with neither SER nor BER "
			"(%s §4.3.10, PGSERR)",
			b->number, fam->manual);
		return;
	}
	sector = (b->cr >> fam->cr_snb_shift) & fam->cr_snb_mask;
	if (sector >= b->nsectors) {
		b->sr |= FLASH_SR_PGSERR;
		sim_log(LOG_GUEST_ERROR,
			"FLASH: erase of sector %u, but bank %u of this device "
			"has %u (PGSERR)",
			sector, b->number, b->nsectors);
		return;
	}
	if (sector_protected(fc, b, sector)) {
		b->sr |= FLASH_SR_WRPERR;
		sim_log(LOG_GUEST_ERROR,
			"FLASH: erase of write-protected sector %u of bank %u "
			"refused (%s §4.7.2, WRPERR)",
			sector, b->number, fam->manual);
		return;
	}
	sim_trace("flash: bank %u erase sector %u", b->number, sector);
	erase_range(fc, b->base + sector * fam->sector_size, fam->sector_size);
	schedule(fc, b, fam->sector_erase_ns[p], FLASH_SR_EOP, master);
}

static void write_cr(struct flash_ctrl *fc, struct flash_bank *b, uint32_t v,
		     enum bus_master master)
{
	const struct flash_ctrl_family *fam = fc->fam;
	uint32_t stored = FLASH_CR_PG | FLASH_CR_SER | FLASH_CR_BER |
			  fam->cr_kept |
			  (fam->cr_snb_mask << fam->cr_snb_shift) |
			  (fam->cr_psize_mask << fam->cr_psize_shift);

	sim_stats.flash_cr_writes++;
	sim_trace("flash: CR%u <- 0x%08x", b->number, v);
	if (b->locked) {
		/* §4.5.1: FLASH_CR is read-only until the key sequence. */
		if (v & ~FLASH_CR_LOCK)
			sim_log(LOG_GUEST_ERROR,
				"FLASH: FLASH_CR%u = 0x%08x while locked is "
				"ignored (%s §4.5.1)",
				b->number, v, fam->manual);
		return;
	}
	if (v & FLASH_CR_LOCK) {
		/* §4.9.4 LOCK: when LOCK goes from 0 to 1 the other bits of
		 * FLASH_CR do not change. */
		b->locked = true;
		return;
	}
	if ((b->cr & FLASH_CR_PG) && !(v & FLASH_CR_PG) && b->wb_used) {
		/* §4.9.4 PG: clearing PG drops what the buffer holds. */
		sim_log(LOG_GUEST_ERROR,
			"FLASH: PG%u cleared with an incomplete flash word at "
			"0x%08x in the write buffer: its data are lost (%s "
			"§4.9.4)",
			b->number, addr_of(fc, b->wb_word), fam->manual);
		flush_buffer(b);
	}
	b->cr = v & stored;
	if ((v & fam->cr_fw) && b->wb_used) {
		/* §4.3.9 force-write: bytes not written are programmed as 1;
		 * FW has no effect on an empty buffer. */
		for (uint32_t i = 0; i < fam->word_size; i++)
			if (!b->wb_written[i])
				b->wb_data[i] = 0xFF;
		commit_word(fc, b, master);
	}
	if (v & fam->cr_start)
		start_erase(fc, b, master);
}

static void write_keyr(struct flash_ctrl *fc, struct flash_bank *b,
		       uint32_t v)
{
	const char *manual = fc->fam->manual;

	if (b->key_refused) {
		sim_log(LOG_GUEST_ERROR,
			"FLASH: FLASH_KEYR%u written after a wrong key "
			"sequence: locked until the next reset (%s §4.5.1)",
			b->number, manual);
		return;
	}
	if (!b->locked) {
		/* §4.9.4 LOCK: an unlock sequence performed twice keeps the
		 * register locked until the next reset. */
		sim_log(LOG_GUEST_ERROR,
			"FLASH: FLASH_KEYR%u written while unlocked: locked "
			"until the next reset (%s §4.5.1)",
			b->number, manual);
		b->locked = true;
		b->key_refused = true;
		return;
	}
	if (b->key_stage == 0 && v == FLASH_KEY1) {
		b->key_stage = 1;
	} else if (b->key_stage == 1 && v == FLASH_KEY2) {
		b->key_stage = 0;
		b->locked = false;
	} else {
		sim_log(LOG_GUEST_ERROR,
			"FLASH: wrong key 0x%08x in FLASH_KEYR%u: locked until "
			"the next reset (%s §4.5.1)",
			v, b->number, manual);
		b->key_stage = 0;
		b->key_refused = true;
	}
}

static void write_optkeyr(struct flash_ctrl *fc, uint32_t v)
{
	const char *manual = fc->fam->manual;

	if (fc->opt_key_refused || !fc->opt_locked) {
		sim_log(LOG_GUEST_ERROR,
			"FLASH: FLASH_OPTKEYR written %s: option bytes locked "
			"until the next reset (%s §4.5.1)",
			fc->opt_locked ? "after a wrong key" : "while unlocked",
			manual);
		fc->opt_locked = true;
		fc->opt_key_refused = true;
		return;
	}
	if (fc->opt_key_stage == 0 && v == FLASH_OPTKEY1) {
		fc->opt_key_stage = 1;
	} else if (fc->opt_key_stage == 1 && v == FLASH_OPTKEY2) {
		fc->opt_key_stage = 0;
		fc->opt_locked = false;
	} else {
		sim_log(LOG_GUEST_ERROR,
			"FLASH: wrong key 0x%08x in FLASH_OPTKEYR: option "
			"bytes locked until the next reset (%s §4.5.1)",
			v, manual);
		fc->opt_key_stage = 0;
		fc->opt_key_refused = true;
	}
}

/* OPTSTART (RM0433 §4.4.3): the programmed option values become current.
 * Write protection and boot addresses take effect; read protection, the
 * secure area and a bank swap are not modelled and keep their values. */
static void change_options(struct flash_ctrl *fc)
{
	uint32_t fixed = OPTSR_RDP_MASK | OPTSR_SECURITY |
			 OPTSR_SWAP_BANK_OPT | OPTSR_OPTCHANGEERR | 1U;

	if ((fc->optsr_prg ^ fc->optsr_cur) & fixed & ~OPTSR_OPTCHANGEERR &
	    ~1U)
		sim_log(LOG_UNIMP,
			"FLASH: option change of RDP, SECURITY or SWAP_BANK "
			"(OPTSR_PRG 0x%08x) is not applied",
			fc->optsr_prg);
	fc->optsr_cur = (fc->optsr_cur & fixed) | (fc->optsr_prg & ~fixed);
	fc->boot_cur = fc->boot_prg;
	for (unsigned n = 0; n < fc->nbanks; n++) {
		struct flash_bank *b = &fc->bank[n];

		if (b->prar_prg != b->prar_cur || b->scar_prg != b->scar_cur)
			sim_log(LOG_UNIMP,
				"FLASH: PCROP and secure areas of bank %u "
				"are not applied",
				b->number);
		b->wpsn_cur = b->wpsn_prg;
	}
	sim_trace("flash: option bytes changed, OPTSR_CUR 0x%08x",
		  fc->optsr_cur);
}

static void write_optcr(struct flash_ctrl *fc, uint32_t v,
			enum bus_master master)
{
	if (fc->opt_locked) {
		if (v & ~OPTCR_OPTLOCK)
			sim_log(LOG_GUEST_ERROR,
				"FLASH: FLASH_OPTCR = 0x%08x while OPTLOCK "
				"is set is ignored (%s §4.5.1)",
				v, fc->fam->manual);
		return;
	}
	if (v & OPTCR_OPTLOCK) {
		fc->opt_locked = true;
		return;
	}
	if (v & OPTCR_SWAP_BANK)
		sim_log(LOG_UNIMP, "FLASH: bank swapping (SWAP_BANK)");
	fc->optcr = v & (OPTCR_OPTCHANGEERRIE | OPTCR_SWAP_BANK);
	if (v & OPTCR_MER) {
		/* §4.3.10 mass erase: both banks, as two bank erases. */
		for (unsigned n = 0; n < fc->nbanks; n++) {
			struct flash_bank *b = &fc->bank[n];
			uint32_t cr = b->cr;

			b->cr = (b->cr & ~FLASH_CR_SER) | FLASH_CR_BER;
			start_erase(fc, b, master);
			b->cr = cr;
		}
	}
	if (v & OPTCR_OPTSTART)
		change_options(fc);
}

static void write_crccr(struct flash_ctrl *fc, struct flash_bank *b,
			uint32_t v)
{
	(void)fc;
	if (v & CRCCR_START_CRC)
		sim_log(LOG_UNIMP,
			"FLASH: CRC computation of bank %u (START_CRC)",
			b->number);
	b->crccr = v & CRCCR_KEPT;
}

static uint32_t read_sr(const struct flash_bank *b)
{
	return b->sr | (b->nops ? FLASH_SR_BSY | FLASH_SR_QW : 0) |
	       (b->wb_used ? FLASH_SR_WBNE : 0);
}

/* A register shared by both banks, aliased in bank 2's block. */
static bool shared_read(struct flash_ctrl *fc, uint32_t reg, uint32_t *v)
{
	switch (reg) {
	case FLASH_ACR:
		*v = fc->acr;
		return true;
	case FLASH_OPTKEYR:
		*v = 0;
		return true;
	case FLASH_OPTCR:
		*v = fc->optcr | (fc->opt_locked ? OPTCR_OPTLOCK : 0);
		return true;
	case FLASH_OPTSR_CUR:
		*v = fc->optsr_cur;
		return true;
	case FLASH_OPTSR_PRG:
		*v = fc->optsr_prg;
		return true;
	case FLASH_OPTCCR:
		*v = 0;
		return true;
	case FLASH_BOOT_CUR:
		*v = fc->boot_cur;
		return true;
	case FLASH_BOOT_PRG:
		*v = fc->boot_prg;
		return true;
	case FLASH_CRCDATA:
		*v = 0;
		return true;
	default:
		return false;
	}
}

static bool bank_read(struct flash_bank *b, uint32_t reg, uint32_t *v)
{
	switch (reg) {
	case FLASH_KEYR:
	case FLASH_CCR:
	case FLASH_ECC_FA:
		*v = 0;
		return true;
	case FLASH_CR:
		*v = b->cr | (b->locked ? FLASH_CR_LOCK : 0);
		return true;
	case FLASH_SR:
		*v = read_sr(b);
		return true;
	case FLASH_PRAR_CUR:
		*v = b->prar_cur;
		return true;
	case FLASH_PRAR_PRG:
		*v = b->prar_prg;
		return true;
	case FLASH_SCAR_CUR:
		*v = b->scar_cur;
		return true;
	case FLASH_SCAR_PRG:
		*v = b->scar_prg;
		return true;
	case FLASH_WPSN_CUR:
		*v = b->wpsn_cur;
		return true;
	case FLASH_WPSN_PRG:
		*v = b->wpsn_prg;
		return true;
	case FLASH_CRCCR:
		*v = b->crccr;
		return true;
	case FLASH_CRCSADD:
		*v = b->crcsadd;
		return true;
	case FLASH_CRCEADD:
		*v = b->crceadd;
		return true;
	default:
		return false;
	}
}

/* Which bank's block an offset is in; NULL for bank 2 of a single-bank
 * device. *exists is false past both blocks (reserved offsets). */
static struct flash_bank *bank_at(struct flash_ctrl *fc, uint32_t off,
				  bool *exists)
{
	unsigned n = off / FLASH_CTRL_BANK_STRIDE;

	*exists = n < FLASH_CTRL_MAX_BANKS;
	return n < fc->nbanks ? &fc->bank[n] : NULL;
}

static void warn_no_bank2(struct flash_ctrl *fc)
{
	if (fc->warned_bank2)
		return;
	sim_log(LOG_UNIMP,
		"FLASH: bank 2 registers of a single-bank device (read as "
		"zero, writes ignored)");
	fc->warned_bank2 = true;
}

static bool reg_read(void *dev, uint32_t off, unsigned size, uint32_t *value,
		     enum bus_master master)
{
	struct flash_ctrl *fc = dev;
	uint32_t reg = (off & ~3U) % FLASH_CTRL_BANK_STRIDE, v = 0;
	struct flash_bank *b;
	bool exists;

	update(fc);
	b = bank_at(fc, off & ~3U, &exists);
	if (!exists)
		sim_log(LOG_GUEST_ERROR,
			"FLASH: read of reserved offset 0x%03x (%s §4.9)", off,
			fc->fam->manual);
	else if (!shared_read(fc, reg, &v) && b)
		bank_read(b, reg, &v);
	else if (!shared_read(fc, reg, &v))
		warn_no_bank2(fc);
	if (master == BUS_MASTER_CPU && b && reg == FLASH_SR && b->nops) {
		uint64_t t = now(fc), quantum;

		quantum = vclock_cycles_for_ns(fc->clk, SR_POLL_NS);
		if (b->ops[0].end - t < quantum)
			quantum = b->ops[0].end - t;
		vclock_stall_until(fc->clk, fc->clk->cycles + quantum);
	}
	v >>= 8 * (off & 3U);
	if (size < 4)
		v &= (1U << (8 * size)) - 1U;
	*value = v;
	return true;
}

static void bank_write(struct flash_ctrl *fc, struct flash_bank *b,
		       uint32_t reg, uint32_t v, enum bus_master master)
{
	bool opt = !fc->opt_locked;

	switch (reg) {
	case FLASH_KEYR:
		write_keyr(fc, b, v);
		return;
	case FLASH_CR:
		write_cr(fc, b, v, master);
		return;
	case FLASH_CCR:
		b->sr &= ~(v & fc->fam->sr_flags);
		return;
	case FLASH_SR:
		sim_log(LOG_GUEST_ERROR,
			"FLASH: FLASH_SR%u is read-only; flags are cleared "
			"through FLASH_CCR%u (%s §4.9.5)",
			b->number, b->number, fc->fam->manual);
		return;
	case FLASH_PRAR_PRG:
	case FLASH_SCAR_PRG:
	case FLASH_WPSN_PRG:
		if (!opt) {
			sim_log(LOG_GUEST_ERROR,
				"FLASH: option register 0x%03x written while "
				"OPTLOCK is set is ignored (%s §4.5.1)",
				reg, fc->fam->manual);
			return;
		}
		if (reg == FLASH_PRAR_PRG)
			b->prar_prg = v;
		else if (reg == FLASH_SCAR_PRG)
			b->scar_prg = v;
		else
			b->wpsn_prg = v & fc->fam->wpsn_factory;
		return;
	case FLASH_CRCCR:
		write_crccr(fc, b, v);
		return;
	case FLASH_CRCSADD:
		b->crcsadd = v & 0x000FFFFCU;
		return;
	case FLASH_CRCEADD:
		b->crceadd = v & 0x000FFFFCU;
		return;
	default:
		/* Read-only registers (the *_CUR copies, ECC_FA). */
		return;
	}
}

static bool reg_write(void *dev, uint32_t off, unsigned size, uint32_t v,
		      enum bus_master master)
{
	struct flash_ctrl *fc = dev;
	uint32_t reg = off % FLASH_CTRL_BANK_STRIDE;
	struct flash_bank *b;
	bool exists;

	update(fc);
	if (size != 4 || (off & 3U)) {
		sim_log(LOG_GUEST_ERROR,
			"FLASH: %u-byte write at offset 0x%03x ignored: the "
			"registers take 32-bit writes (%s §4.9)",
			size, off, fc->fam->manual);
		return true;
	}
	b = bank_at(fc, off, &exists);
	if (!exists) {
		sim_log(LOG_GUEST_ERROR,
			"FLASH: write to reserved offset 0x%03x (%s §4.9)", off,
			fc->fam->manual);
		return true;
	}
	switch (reg) {
	case FLASH_ACR:
		fc->acr = v & ACR_WRITABLE;
		if (fc->acr_written)
			fc->acr_written(fc->acr_ctx);
		return true;
	case FLASH_OPTKEYR:
		write_optkeyr(fc, v);
		return true;
	case FLASH_OPTCR:
		write_optcr(fc, v, master);
		return true;
	case FLASH_OPTSR_PRG:
		if (fc->opt_locked)
			sim_log(LOG_GUEST_ERROR,
				"FLASH: FLASH_OPTSR_PRG written while OPTLOCK "
				"is set is ignored (%s §4.5.1)",
				fc->fam->manual);
		else
			fc->optsr_prg = v & ~(OPTSR_OPTCHANGEERR | 1U);
		return true;
	case FLASH_OPTCCR:
		if (v & OPTCCR_CLR_OPTCHANGEERR)
			fc->optsr_cur &= ~OPTSR_OPTCHANGEERR;
		return true;
	case FLASH_BOOT_PRG:
		if (fc->opt_locked)
			sim_log(LOG_GUEST_ERROR,
				"FLASH: FLASH_BOOT_PRGR written while OPTLOCK "
				"is set is ignored (%s §4.5.1)",
				fc->fam->manual);
		else
			fc->boot_prg = v;
		return true;
	case FLASH_OPTSR_CUR:
	case FLASH_BOOT_CUR:
	case FLASH_CRCDATA:
		return true;
	default:
		break;
	}
	if (b) {
		bank_write(fc, b, reg, v, master);
		return true;
	}
	if (reg == FLASH_CR)
		sim_stats.flash_cr_writes++;
	warn_no_bank2(fc);
	return true;
}

/* FLASH_ACR and each bank's FLASH_CR change only when written
 * (RM0433 §4.9.1, §4.9.4; RM0455 the same sections). FLASH_SR (§4.9.5)
 * changes by writes (FLASH_CCR, the write buffer, a new operation) and
 * when an operation ends, which is the op_end event here; its read clears
 * nothing (flags are cleared through FLASH_CCR, §4.9.6). The SR read's
 * stall only charges the poll's time. The HAL's FLASH_WaitForLastOperation
 * polls these while SysTick advances its tick (docs/psramsim-cpu.md). */
bool flash_ctrl_reg_read_stable(void *dev, uint32_t off)
{
	uint32_t reg = off % FLASH_CTRL_BANK_STRIDE;

	(void)dev;
	if (off & 3U || off >= FLASH_CTRL_MAX_BANKS * FLASH_CTRL_BANK_STRIDE)
		return false;
	return reg == FLASH_SR || reg == FLASH_CR || off == FLASH_ACR;
}

const struct mmio_ops flash_ctrl_reg_ops = {
	.read = reg_read,
	.write = reg_write,
};

static bool mem_read(void *dev, uint32_t off, unsigned size, uint32_t *value,
		     enum bus_master master)
{
	struct flash_ctrl *fc = dev;
	uint32_t v = 0;

	(void)master;
	if (off >= fc->size || size > fc->size - off)
		return false;
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)fc->cells[off + i] << (8 * i);
	*value = fc->unreliable ? 0xFFFFFFFFU >> (32 - 8 * size) : v;
	return true;
}

/* A store into the array feeds the bank's write buffer (RM0433 §4.3.9). */
static bool mem_write(void *dev, uint32_t off, unsigned size, uint32_t v,
		      enum bus_master master)
{
	struct flash_ctrl *fc = dev;
	const struct flash_ctrl_family *fam = fc->fam;
	uint32_t ws = fam->word_size, word, pos;
	struct flash_bank *b;

	if (off >= fc->size || size > fc->size - off)
		return false;
	update(fc);
	b = &fc->bank[off / fam->max_bank_size];
	if (!(b->cr & FLASH_CR_PG)) {
		/* §4.7.3: a write with PG clear is a sequence error; the
		 * AXI write is answered with a bus error. */
		b->sr |= FLASH_SR_PGSERR;
		sim_log(LOG_GUEST_ERROR,
			"FLASH: write to 0x%08x with PG%u clear refused (%s "
			"§4.7.3, PGSERR)",
			addr_of(fc, off), b->number, fam->manual);
		return false;
	}
	word = off & ~(ws - 1U);
	if (((off + size - 1U) & ~(ws - 1U)) != word ||
	    (b->wb_used && b->wb_word != word)) {
		/* §4.7.5: a write to another flash word before the current
		 * one is complete, or one access spanning two flash words,
		 * is an inconsistency; the buffered data are lost. */
		sim_log(LOG_GUEST_ERROR,
			"FLASH: %u-byte write at 0x%08x while the write buffer "
			"of bank %u %s (%s §4.7.5, INCERR): data lost",
			size, addr_of(fc, off), b->number,
			b->wb_used ? "collects another flash word"
				   : "cannot hold it",
			fam->manual);
		b->sr |= FLASH_SR_INCERR;
		flush_buffer(b);
		return true;
	}
	pos = off - word;
	for (unsigned i = 0; i < size; i++) {
		if (b->wb_written[pos + i]) {
			/* §4.7.4: the same byte written twice in the buffer
			 * is a strobe error; the buffer is flushed. */
			sim_log(LOG_GUEST_ERROR,
				"FLASH: byte 0x%08x written twice in the write "
				"buffer (%s §4.7.4, STRBERR): data lost",
				addr_of(fc, off + i), fam->manual);
			b->sr |= FLASH_SR_STRBERR;
			flush_buffer(b);
			return true;
		}
	}
	for (unsigned i = 0; i < size; i++) {
		b->wb_data[pos + i] = (uint8_t)(v >> (8 * i));
		b->wb_written[pos + i] = 1;
	}
	b->wb_used = true;
	b->wb_word = word;
	if (memchr(b->wb_written, 0, ws) == NULL)
		commit_word(fc, b, master);
	return true;
}

const struct mmio_ops flash_ctrl_mem_ops = {
	.read = mem_read,
	.write = mem_write,
};

static void init_options(struct flash_ctrl *fc)
{
	fc->optsr_cur = OPTSR_FACTORY;
	fc->boot_cur = BOOT_FACTORY;
	for (unsigned n = 0; n < fc->nbanks; n++) {
		fc->bank[n].prar_cur = PRAR_FACTORY;
		fc->bank[n].scar_cur = SCAR_FACTORY;
		fc->bank[n].wpsn_cur = fc->fam->wpsn_factory;
	}
}

struct flash_ctrl *flash_ctrl_new(const struct flash_ctrl_family *family,
				  struct bus *bus, struct bus_region *array,
				  uint32_t size, struct vclock *clk)
{
	struct flash_ctrl *fc;
	uint32_t bank_size;

	if (!size || size % family->sector_size ||
	    size > FLASH_CTRL_MAX_BANKS * family->max_bank_size ||
	    size / family->sector_size > FLASH_CTRL_MAX_SECTORS ||
	    family->word_size > FLASH_CTRL_MAX_WORD)
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
	vclock_event_init(&fc->op_end, on_op_end, fc);
	fc->fam = family;
	fc->bus = bus;
	fc->array = array;
	fc->clk = clk;
	fc->size = size;
	/* RM0433 §4.3.4: parts above one bank's size split the flash in two
	 * equal banks, bank 2 at 0x08100000 (OpenOCD stm32h7x.c does the
	 * same); a 128 KiB part has one bank. Parts with 512 KiB banks leave
	 * a hole before bank 2, which one contiguous region cannot show, so
	 * only full 1 MiB banks are accepted. */
	fc->nbanks = size > family->max_bank_size ? 2 : 1;
	bank_size = size / fc->nbanks;
	if (fc->nbanks == 2 && bank_size != family->max_bank_size) {
		free(fc->cells);
		free(fc);
		return NULL;
	}
	for (unsigned n = 0; n < fc->nbanks; n++) {
		struct flash_bank *b = &fc->bank[n];

		b->number = n + 1;
		b->base = n * family->max_bank_size;
		b->size = bank_size;
		b->nsectors = bank_size / family->sector_size;
		b->first_sector = n * b->nsectors;
	}
	init_options(fc);
	flash_ctrl_reset(fc);
	memcpy(array->mem, fc->cells, size);
	return fc;
}

void flash_ctrl_free(struct flash_ctrl *fc)
{
	if (!fc)
		return;
	vclock_cancel(fc->clk, &fc->op_end);
	free(fc->cells);
	free(fc);
}

void flash_ctrl_reset(struct flash_ctrl *fc)
{
	for (unsigned n = 0; n < fc->nbanks; n++) {
		struct flash_bank *b = &fc->bank[n];

		b->cr = fc->fam->cr_reset & ~FLASH_CR_LOCK;
		b->locked = true;
		b->key_stage = 0;
		b->key_refused = false;
		b->sr = 0;
		b->nops = 0;
		flush_buffer(b);
		/* The *_PRG registers load the current option values. */
		b->prar_prg = b->prar_cur;
		b->scar_prg = b->scar_cur;
		b->wpsn_prg = b->wpsn_cur;
		b->crccr = 0;
		b->crcsadd = 0;
		b->crceadd = 0;
	}
	fc->acr = fc->fam->acr_reset;
	/* The reset latency suits every clock: the clock rules see it. */
	if (fc->acr_written)
		fc->acr_written(fc->acr_ctx);
	fc->opt_locked = true;
	fc->opt_key_stage = 0;
	fc->opt_key_refused = false;
	fc->optcr = 0;
	fc->optsr_prg = fc->optsr_cur;
	fc->boot_prg = fc->boot_cur;
	arm_op_end(fc);
}

void flash_ctrl_idle(struct flash_ctrl *fc, uint64_t ns)
{
	fc->idle += vclock_cycles_for_ns(fc->clk, ns);
	arm_op_end(fc);
}

void flash_ctrl_load(struct flash_ctrl *fc, const uint8_t *data, uint32_t len)
{
	if (len != fc->size)
		return;
	memcpy(fc->cells, data, len);
	if (!fc->unreliable)
		bus_update_mem(fc->bus, fc->array, 0, fc->cells, len);
}

/* RM0433 §4.3.8 (read access latency): LATENCY must cover the AXI clock
 * (Table 17) or the data read are not guaranteed; the embedded flash does
 * not check the setting. What a read sampled too early returns is not
 * specified; psramsim takes the strictest reading that is still physical:
 * the bit lines have not been discharged by the cells yet, so every read
 * returns their precharged state, all ones (docs/psramsim-periph.md §6).
 * Data reads see 0xFFFFFFFF and the core executes 0xFFFF halfwords, which
 * decode as coprocessor instructions and end in a UsageFault. The cells
 * keep their contents; programming goes on and shows once the latency is
 * right again. */
void flash_ctrl_set_unreliable(struct flash_ctrl *fc, bool on)
{
	if (on == fc->unreliable)
		return;
	fc->unreliable = on;
	if (on)
		bus_fill_mem(fc->bus, fc->array, 0, 0xFF, fc->size);
	else
		bus_update_mem(fc->bus, fc->array, 0, fc->cells, fc->size);
}

const uint8_t *flash_ctrl_contents(const struct flash_ctrl *fc)
{
	return fc->cells;
}

uint32_t flash_ctrl_size(const struct flash_ctrl *fc)
{
	return fc->size;
}

unsigned flash_ctrl_sector_count(const struct flash_ctrl *fc)
{
	return fc->size / fc->fam->sector_size;
}

void flash_ctrl_on_change(struct flash_ctrl *fc, flash_ctrl_changed_fn fn,
			  void *ctx)
{
	fc->changed = fn;
	fc->changed_ctx = ctx;
}

void flash_ctrl_fail_sector(struct flash_ctrl *fc, unsigned sector)
{
	if (sector < FLASH_CTRL_MAX_SECTORS)
		fc->fail[sector / 64] |= 1ULL << (sector % 64);
}

unsigned flash_ctrl_latency(const struct flash_ctrl *fc)
{
	return fc->acr & 0xFU;
}

void flash_ctrl_on_acr(struct flash_ctrl *fc, void (*fn)(void *ctx),
		       void *ctx)
{
	fc->acr_written = fn;
	fc->acr_ctx = ctx;
}
