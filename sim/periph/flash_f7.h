/* The STM32F7 embedded-flash controller (RM0385 §3 for STM32F74x/75x,
 * RM0410 §3 for STM32F76x/77x) and the array behind it: registers at
 * 0x40023C00, the array at 0x08000000 (AXIM) read also through the ITCM
 * alias at 0x00200000.
 *
 * Sectors: 4 x 32, 128, then 256 KiB sectors on a single bank; an F76x
 * whose nDBANK option bit is 0 splits its 2 MiB into two banks of
 * 4 x 16, 64 and 7 x 128 KiB sectors (RM0410 §3, flash organisation). The
 * option bytes (OPTCR, OPTCR1) are kept in the array's non-volatile
 * option area: OPTSTRT programs them, a reset loads them, so nDBANK, RDP
 * and nWRP changes take effect at the next reset as on silicon (RM0385
 * §3, option bytes).
 *
 * Time: program and erase keep BSY set for the datasheet's typical
 * durations in virtual time; a CPU access that must wait stalls the core,
 * time passes for a debugger poll through flash_f7_idle(). */
#ifndef SIM_FLASH_F7_H
#define SIM_FLASH_F7_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "cpu/irq.h"
#include "util/vclock.h"

#define FLASH_F7_REG_BASE 0x40023C00U
#define FLASH_F7_REG_SIZE 0x400U
#define FLASH_F7_MAX_SECTORS 24

/* Register offsets, RM0385 §3, register map. */
#define FLASH_F7_ACR 0x00U
#define FLASH_F7_KEYR 0x04U
#define FLASH_F7_OPTKEYR 0x08U
#define FLASH_F7_SR 0x0CU
#define FLASH_F7_CR 0x10U
#define FLASH_F7_OPTCR 0x14U
#define FLASH_F7_OPTCR1 0x18U

#define FLASH_F7_SR_EOP (1U << 0)
#define FLASH_F7_SR_OPERR (1U << 1)
#define FLASH_F7_SR_WRPERR (1U << 4)
#define FLASH_F7_SR_PGAERR (1U << 5)
#define FLASH_F7_SR_PGPERR (1U << 6)
#define FLASH_F7_SR_ERSERR (1U << 7)
#define FLASH_F7_SR_BSY (1U << 16)

#define FLASH_F7_CR_PG (1U << 0)
#define FLASH_F7_CR_SER (1U << 1)
#define FLASH_F7_CR_MER (1U << 2)
#define FLASH_F7_CR_MER2 (1U << 15)
#define FLASH_F7_CR_STRT (1U << 16)
#define FLASH_F7_CR_LOCK (1U << 31)

#define FLASH_F7_OPTCR_OPTLOCK (1U << 0)
#define FLASH_F7_OPTCR_OPTSTRT (1U << 1)
#define FLASH_F7_OPTCR_NDBANK (1U << 29)

/* What differs between the F74x/75x and F76x/77x controllers. */
struct flash_f7_family {
	const char *name;
	const char *manual;
	bool dual_bank_option;		/* OPTCR.nDBANK/nDBOOT, CR.MER2 */
	uint32_t cr_snb_mask;		/* SNB field, unshifted */
	uint32_t optcr_factory;		/* OPTCR as the part ships */
	uint32_t optcr_writable;
	unsigned nwrp_bits;
};

extern const struct flash_f7_family flash_f7_family_f74x;
extern const struct flash_f7_family flash_f7_family_f76x;

struct flash_f7;

/* The controller for `size` bytes of flash (1 MiB for F74x, 2 MiB for
 * F76x) whose AXIM view is `array` on `bus`; contents start erased.
 * NULL if size does not fit the family. */
struct flash_f7 *flash_f7_new(const struct flash_f7_family *family,
			      struct bus *bus, struct bus_region *array,
			      uint32_t size, struct vclock *clk);
void flash_f7_free(struct flash_f7 *fc);

extern const struct mmio_ops flash_f7_reg_ops;
/* bus_region.read_stable for the register block (cpu/idle.c). */
bool flash_f7_reg_read_stable(void *dev, uint32_t off);
/* The array at 0x08000000 (a REGION_WRITE_BY_MODEL region). */
extern const struct mmio_ops flash_f7_mem_ops;
/* The read-only ITCM alias at 0x00200000 (an MMIO region). */
extern const struct mmio_ops flash_f7_itcm_ops;

/* System reset: registers to reset values, option bytes reloaded (a new
 * nDBANK changes the sector layout here), the operation in progress
 * stops where it was. */
void flash_f7_reset(struct flash_f7 *fc);
void flash_f7_idle(struct flash_f7 *fc, uint64_t ns);
void flash_f7_load(struct flash_f7 *fc, const uint8_t *data, uint32_t len);
const uint8_t *flash_f7_contents(const struct flash_f7 *fc);
uint32_t flash_f7_size(const struct flash_f7 *fc);
/* Sectors of the layout in force (both banks counted, bank 1 first). */
unsigned flash_f7_sector_count(const struct flash_f7 *fc);
/* The HCLK the flash is read at (the RCC tells every change): with
 * fewer wait states than RM0385 Table 5 asks for it, reads return all
 * ones (flash_f7.c, read access latency). */
void flash_f7_set_hclk(struct flash_f7 *fc, uint32_t hclk_hz);
/* ACR.LATENCY: wait states the core reads flash with. */
unsigned flash_f7_latency(const struct flash_f7 *fc);
/* The FLASH global interrupt (IRQ 4 on the F7): high while EOP is set
 * with CR.EOPIE or an error flag with CR.ERRIE. */
void flash_f7_set_irq(struct flash_f7 *fc, struct irq_line line);
/* Fault injection: programming any word of sector `sector` (numbered
 * across both banks) leaves the cells as they were and raises OPERR
 * (when CR.ERRIE lets it be set). */
void flash_f7_fail_sector(struct flash_f7 *fc, unsigned sector);

#endif
