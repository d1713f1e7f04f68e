/* The STM32H7 embedded-flash controller and the flash array behind it:
 * RM0433 §4 (STM32H742/743/750/753) with the RM0455 (STM32H7A3/B3/B0)
 * differences kept as parameters of the family table.
 *
 * Two bus views share one model:
 *  - the register block (flash_ctrl_reg_ops, 4 KiB at 0x52002000: bank 1
 *    at +0x000, bank 2 at +0x100, RM0433 §4.9);
 *  - the array itself (flash_ctrl_mem_ops, a REGION_WRITE_BY_MODEL region
 *    at 0x08000000): reads come from the region's memory, writes feed the
 *    bank's write buffer.
 *
 * Time: erase and program operations keep BSY/QW set for the duration the
 * datasheet gives, in virtual time. The model's clock is the board's
 * virtual clock plus the time it is told passes while the core does not
 * run (flash_ctrl_idle), so a debugger polling a halted core sees an erase
 * end after a realistic number of polls. The array contents change when an
 * operation is accepted; a read of a bank that is being written stalls on
 * silicon until the operation ends, so no observer can tell the
 * difference. */
#ifndef SIM_FLASH_CTRL_H
#define SIM_FLASH_CTRL_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "util/vclock.h"

#define FLASH_CTRL_MAX_BANKS 2
#define FLASH_CTRL_MAX_SECTORS 256	/* 2 MiB in 8 KiB sectors (RM0455) */
#define FLASH_CTRL_MAX_WORD 32
#define FLASH_CTRL_REG_SIZE 0x1000U
#define FLASH_CTRL_BANK_STRIDE 0x100U

/* Register offsets of bank 1 (RM0433 §4.9, register map); bank 2
 * adds FLASH_CTRL_BANK_STRIDE, and the registers shared by both banks
 * (ACR, OPTKEYR, OPTCR, OPTSR, OPTCCR, BOOT, CRCDATA) are aliased there. */
#define FLASH_ACR 0x00U
#define FLASH_KEYR 0x04U
#define FLASH_OPTKEYR 0x08U
#define FLASH_CR 0x0CU
#define FLASH_SR 0x10U
#define FLASH_CCR 0x14U
#define FLASH_OPTCR 0x18U
#define FLASH_OPTSR_CUR 0x1CU
#define FLASH_OPTSR_PRG 0x20U
#define FLASH_OPTCCR 0x24U
#define FLASH_PRAR_CUR 0x28U
#define FLASH_PRAR_PRG 0x2CU
#define FLASH_SCAR_CUR 0x30U
#define FLASH_SCAR_PRG 0x34U
#define FLASH_WPSN_CUR 0x38U
#define FLASH_WPSN_PRG 0x3CU
#define FLASH_BOOT_CUR 0x40U
#define FLASH_BOOT_PRG 0x44U
#define FLASH_CRCCR 0x50U
#define FLASH_CRCSADD 0x54U
#define FLASH_CRCEADD 0x58U
#define FLASH_CRCDATA 0x5CU
#define FLASH_ECC_FA 0x60U

/* FLASH_CR bits common to both families (RM0433 §4.9.4, RM0455 §4.9.4). */
#define FLASH_CR_LOCK (1U << 0)
#define FLASH_CR_PG (1U << 1)
#define FLASH_CR_SER (1U << 2)
#define FLASH_CR_BER (1U << 3)

/* FLASH_SR (RM0433 §4.9.5); FLASH_CCR clears the flags at the same bit
 * positions (§4.9.6). */
#define FLASH_SR_BSY (1U << 0)
#define FLASH_SR_WBNE (1U << 1)
#define FLASH_SR_QW (1U << 2)
#define FLASH_SR_CRC_BUSY (1U << 3)
#define FLASH_SR_EOP (1U << 16)
#define FLASH_SR_WRPERR (1U << 17)
#define FLASH_SR_PGSERR (1U << 18)
#define FLASH_SR_STRBERR (1U << 19)
#define FLASH_SR_INCERR (1U << 21)
#define FLASH_SR_OPERR (1U << 22)
#define FLASH_SR_RDPERR (1U << 23)
#define FLASH_SR_RDSERR (1U << 24)
#define FLASH_SR_SNECCERR (1U << 25)
#define FLASH_SR_DBECCERR (1U << 26)
#define FLASH_SR_CRCEND (1U << 27)
#define FLASH_SR_CRCRDERR (1U << 28)

/* Unlock keys (RM0433 §4.5.1, §4.9.2/§4.9.3). */
#define FLASH_KEY1 0x45670123U
#define FLASH_KEY2 0xCDEF89ABU
#define FLASH_OPTKEY1 0x08192A3BU
#define FLASH_OPTKEY2 0x4C5D6E7FU

/* What differs between the flash controllers of the STM32H7 lines. */
struct flash_ctrl_family {
	const char *name;
	const char *manual;		/* reference manual, for messages */
	uint32_t word_size;		/* flash word: the programming unit */
	uint32_t sector_size;
	uint32_t max_bank_size;		/* bank 2 starts this far in */
	/* FLASH_CR layout */
	uint32_t cr_reset;
	uint32_t cr_fw;			/* force-write bit */
	uint32_t cr_start;		/* erase start bit */
	unsigned cr_snb_shift;		/* sector number field */
	uint32_t cr_snb_mask;		/* field mask, unshifted */
	unsigned cr_psize_shift;	/* parallelism field (0 mask: none) */
	uint32_t cr_psize_mask;
	uint32_t cr_kept;		/* interrupt enables, CRC_EN: stored */
	uint32_t sr_flags;		/* FLASH_SR flags this line has */
	/* Flags an operation the array fails reports (0: none at all). */
	uint32_t sr_op_error;
	/* Typical durations, indexed by the PSIZE parallelism (x8, x16,
	 * x32, x64); lines without PSIZE fill all four alike. */
	uint32_t program_ns[4];		/* one flash word */
	uint64_t sector_erase_ns[4];
	uint64_t bank_erase_ns[4];
	uint32_t acr_reset;		/* FLASH_ACR after reset */
	/* FLASH_WPSN: factory value (every group writable) and the number
	 * of sectors one bit protects. */
	uint32_t wpsn_factory;
	unsigned wps_group;
};

extern const struct flash_ctrl_family flash_family_h74x;
extern const struct flash_ctrl_family flash_family_h7a3;

struct flash_ctrl;

/* Called when array contents changed (an accepted program or erase), with
 * the range; the whole new contents are flash_ctrl_contents(). */
typedef void (*flash_ctrl_changed_fn)(void *ctx, uint32_t offset,
				      uint32_t len);

/* The controller for `size` bytes of flash (one bank up to
 * family->max_bank_size, two banks above it) whose CPU view is `array`
 * on `bus`. The contents start erased. NULL if size does not fit the
 * family's geometry. */
struct flash_ctrl *flash_ctrl_new(const struct flash_ctrl_family *family,
				  struct bus *bus, struct bus_region *array,
				  uint32_t size, struct vclock *clk);
void flash_ctrl_free(struct flash_ctrl *fc);

extern const struct mmio_ops flash_ctrl_reg_ops;
extern const struct mmio_ops flash_ctrl_mem_ops;

/* A system or power-on reset: registers to their reset values, the write
 * buffers emptied; an operation in progress stops where it was (the array
 * keeps what it holds). */
void flash_ctrl_reset(struct flash_ctrl *fc);

/* `ns` of time passed while the core did not run. */
void flash_ctrl_idle(struct flash_ctrl *fc, uint64_t ns);

/* Replaces the whole contents (a factory program, a saved image): no
 * operation, no change notification. len must be the flash size. */
void flash_ctrl_load(struct flash_ctrl *fc, const uint8_t *data,
		     uint32_t len);
const uint8_t *flash_ctrl_contents(const struct flash_ctrl *fc);
uint32_t flash_ctrl_size(const struct flash_ctrl *fc);
unsigned flash_ctrl_sector_count(const struct flash_ctrl *fc);

void flash_ctrl_on_change(struct flash_ctrl *fc, flash_ctrl_changed_fn fn,
			  void *ctx);

/* FLASH_ACR.LATENCY: the read wait states software set. */
unsigned flash_ctrl_latency(const struct flash_ctrl *fc);
/* While `on`, reads of the array (core and debugger) return all ones
 * instead of the cells: FLASH_ACR.LATENCY too low for the AXI clock
 * (RM0433 §4.3.8; flash_ctrl.c says why all ones). */
void flash_ctrl_set_unreliable(struct flash_ctrl *fc, bool on);
/* bus_region.read_stable for the register block: the registers a wait
 * loop polls whose value changes only by a write or at an event. */
bool flash_ctrl_reg_read_stable(void *dev, uint32_t off);
/* fn runs after every write to FLASH_ACR (the clock rules are checked). */
void flash_ctrl_on_acr(struct flash_ctrl *fc, void (*fn)(void *ctx),
		       void *ctx);

/* Fault injection: programming any flash word of sector `sector`
 * (numbered from the start of flash across both banks) fails as a worn
 * sector does: the cells keep their value and the operation error flag of
 * the family is raised when the operation ends. */
void flash_ctrl_fail_sector(struct flash_ctrl *fc, unsigned sector);

#endif
