#include "parts/mcu.h"

#include <string.h>

#define KIB(n) ((uint32_t)(n) * 1024u)
#define FLASH_AXIM 0x08000000u /* the flash on every line */

#define H7_FLASH_SIZE 0x1ff1e880u   /* docs/hardware-stm32h7.md §1 */
#define H7A3_FLASH_SIZE 0x08fff80cu /* docs/hardware-stm32h7a3.md §1 */
#define F7_FLASH_SIZE 0x1ff0f442u   /* docs/hardware-stm32f7.md §1 */
#define F72X_FLASH_SIZE 0x1ff07a22u

/* DEV_ID, name, PSRAM_FAMILY, DBGMCU_IDCODE, flash-size register, flash. */
const struct mcu_line mcu_lines[] = {
	{0x450, "STM32H742/743/750/753", "stm32h7", MCU_IDCODE_H7,
	 H7_FLASH_SIZE, FLASH_AXIM},
	{0x480, "STM32H7A3/B3/B0", "stm32h7a3", MCU_IDCODE_H7, H7A3_FLASH_SIZE,
	 FLASH_AXIM},
	{0x483, "STM32H72x/73x", "stm32h7", MCU_IDCODE_H7, H7_FLASH_SIZE,
	 FLASH_AXIM},
	{0x449, "STM32F74x/75x", "stm32f7", MCU_IDCODE_F7, F7_FLASH_SIZE,
	 FLASH_AXIM},
	{0x451, "STM32F76x/77x", "stm32f7", MCU_IDCODE_F7, F7_FLASH_SIZE,
	 FLASH_AXIM},
	{0x452, "STM32F72x/73x", "stm32f7", MCU_IDCODE_F7, F72X_FLASH_SIZE,
	 FLASH_AXIM},
};

const unsigned mcu_line_count = sizeof(mcu_lines) / sizeof(mcu_lines[0]);

/* DEV_ID, REV_ID, letter: ES0396 Table 2 and OpenOCD's stm32h7x.c for
 * 0x450; only A is confirmed for 0x480 (OpenOCD's table);
 * docs/hardware-stm32f7.md §1 for the F7 lines. */
const struct mcu_rev mcu_revs[] = {
	{0x450, 0x1000, "A"}, {0x450, 0x1001, "Z"}, {0x450, 0x1003, "Y"},
	{0x450, 0x2001, "X"}, {0x450, 0x2003, "V"},
	{0x480, 0x1000, "A"},
	{0x483, 0x1000, "A"}, {0x483, 0x1001, "Z"},
	{0x449, 0x1000, "A"}, {0x449, 0x1001, "Z"},
	{0x451, 0x1000, "A"}, {0x451, 0x1001, "Z"},
	{0x452, 0x1000, "A"},
};

const unsigned mcu_rev_count = sizeof(mcu_revs) / sizeof(mcu_revs[0]);

/* DEV_ID, region, start, size: docs/hardware-stm32h7.md §2,
 * docs/hardware-stm32h7a3.md §2 and docs/hardware-stm32f7.md §2; the
 * TCMs sit at the Cortex-M7's fixed TCM addresses. No map is documented
 * for 0x483. */
const struct mcu_region mcu_ram_map[] = {
	{0x450, "ITCM", 0x00000000, KIB(64)},
	{0x450, "DTCM", 0x20000000, KIB(128)},
	{0x450, "AXI SRAM", 0x24000000, KIB(512)},
	{0x450, "SRAM1", 0x30000000, KIB(128)},
	{0x450, "SRAM2", 0x30020000, KIB(128)},
	{0x450, "SRAM3", 0x30040000, KIB(32)},
	{0x450, "SRAM4", 0x38000000, KIB(64)},
	{0x450, "Backup SRAM", 0x38800000, KIB(4)},
	{0x480, "ITCM", 0x00000000, KIB(64)},
	{0x480, "DTCM", 0x20000000, KIB(128)},
	{0x480, "AXI SRAM1", 0x24000000, KIB(256)},
	{0x480, "AXI SRAM2", 0x24040000, KIB(384)},
	{0x480, "AXI SRAM3", 0x240a0000, KIB(384)},
	{0x480, "AHB SRAM1", 0x30000000, KIB(64)},
	{0x480, "AHB SRAM2", 0x30010000, KIB(64)},
	{0x480, "SRD SRAM", 0x38000000, KIB(32)},
	{0x480, "Backup SRAM", 0x38800000, KIB(4)},
	{0x449, "ITCM RAM", 0x00000000, KIB(16)},
	{0x449, "DTCM", 0x20000000, KIB(64)},
	{0x449, "SRAM1", 0x20010000, KIB(240)},
	{0x449, "SRAM2", 0x2004c000, KIB(16)},
	{0x451, "ITCM RAM", 0x00000000, KIB(16)},
	{0x451, "DTCM", 0x20000000, KIB(128)},
	{0x451, "SRAM1", 0x20020000, KIB(368)},
	{0x451, "SRAM2", 0x2007c000, KIB(16)},
	{0x452, "ITCM RAM", 0x00000000, KIB(16)},
	{0x452, "DTCM", 0x20000000, KIB(64)},
	{0x452, "SRAM1", 0x20010000, KIB(176)},
	{0x452, "SRAM2", 0x2003c000, KIB(16)},
};

const unsigned mcu_ram_map_count =
	sizeof(mcu_ram_map) / sizeof(mcu_ram_map[0]);

const struct mcu_line *mcu_lookup(uint16_t dev_id)
{
	for (unsigned i = 0; i < mcu_line_count; i++)
		if (mcu_lines[i].dev_id == dev_id)
			return &mcu_lines[i];
	return NULL;
}

const char *mcu_rev_name(const struct mcu_line *line, uint16_t rev_id)
{
	for (unsigned i = 0; i < mcu_rev_count; i++)
		if (mcu_revs[i].dev_id == line->dev_id &&
		    mcu_revs[i].rev_id == rev_id)
			return mcu_revs[i].name;
	return NULL;
}

const struct mcu_region *mcu_ram(const struct mcu_line *line, unsigned *n)
{
	unsigned first = 0;

	while (first < mcu_ram_map_count &&
	       mcu_ram_map[first].dev_id != line->dev_id)
		first++;
	*n = 0;
	while (first + *n < mcu_ram_map_count &&
	       mcu_ram_map[first + *n].dev_id == line->dev_id)
		(*n)++;
	return &mcu_ram_map[first];
}

uint32_t mcu_idcode_addr(const char *family)
{
	if (!family)
		return 0;
	for (unsigned i = 0; i < mcu_line_count; i++)
		if (!strcmp(mcu_lines[i].family, family))
			return mcu_lines[i].idcode_addr;
	return 0;
}
