/* What psramctl knows about the supported MCUs: the DBGMCU IDCODE decoding,
 * the flash-size register and the RAM map per device line, all from
 * docs/hardware-stm32h7.md, docs/hardware-stm32h7a3.md and
 * docs/hardware-stm32f7.md, §1 and §2 of each (RM0433, RM0455,
 * RM0385/RM0410/RM0431 through the CMSIS device headers). */
#ifndef CLI_MCU_H
#define CLI_MCU_H

#include <stdint.h>

/* The most RAM regions a line's map has (cmd_info sizes its table). */
#define MCU_MAX_REGIONS 10

/* DBGMCU_IDCODE: DEV_ID = bits[11:0], REV_ID = bits[31:16]. */
#define MCU_DEV_ID(idcode) ((uint16_t)((idcode) & 0xfffu))
#define MCU_REV_ID(idcode) ((uint16_t)((idcode) >> 16))

#define MCU_IDCODE_H7 0x5c001000u
#define MCU_IDCODE_F7 0xe0042000u

struct mcu_line {
	uint16_t dev_id;
	const char *name;   /* "STM32H742/743/750/753" */
	const char *family; /* as PSRAM_FAMILY in board files */
	uint32_t idcode_addr;
	uint32_t flash_size_addr; /* 16-bit register, KiB */
	uint32_t flash_base;
};

/* The revisions and RAM regions of every line, one row each, keyed by
 * the line's DEV_ID; a line's rows are consecutive. */
struct mcu_rev {
	uint16_t dev_id;
	uint16_t rev_id;
	const char *name;
};

struct mcu_region {
	uint16_t dev_id;
	const char *name;
	uint32_t start;
	uint32_t size;
};

extern const struct mcu_line mcu_lines[];
extern const unsigned mcu_line_count;
extern const struct mcu_rev mcu_revs[];
extern const unsigned mcu_rev_count;
extern const struct mcu_region mcu_ram_map[];
extern const unsigned mcu_ram_map_count;

const struct mcu_line *mcu_lookup(uint16_t dev_id);
/* The revision letter, or NULL if the table does not know it. */
const char *mcu_rev_name(const struct mcu_line *line, uint16_t rev_id);
/* The line's RAM regions, lowest address first: *n rows from the one
 * returned (none where the table has no map for the line). */
const struct mcu_region *mcu_ram(const struct mcu_line *line, unsigned *n);
/* Where to read the IDCODE for a PSRAM_FAMILY value; 0 if unknown. */
uint32_t mcu_idcode_addr(const char *family);

#endif
