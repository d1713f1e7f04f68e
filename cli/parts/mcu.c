#include "parts/mcu.h"

#include <string.h>

#define KIB(n) ((uint32_t)(n) * 1024u)

const struct mcu_line mcu_lines[] = {
	{
		.dev_id = 0x450,
		.name = "STM32H742/743/750/753",
		.family = "stm32h7",
		.idcode_addr = MCU_IDCODE_H7,
		.flash_size_addr = 0x1ff1e880,
		.flash_base = 0x08000000,
		/* ES0396 Table 2, OpenOCD stm32h7x.c */
		.revs = {{0x1000, "A"}, {0x1001, "Z"}, {0x1003, "Y"},
			 {0x2001, "X"}, {0x2003, "V"}},
		.ram = {
			{"ITCM", 0x00000000, KIB(64)},
			{"DTCM", 0x20000000, KIB(128)},
			{"AXI SRAM", 0x24000000, KIB(512)},
			{"SRAM1", 0x30000000, KIB(128)},
			{"SRAM2", 0x30020000, KIB(128)},
			{"SRAM3", 0x30040000, KIB(32)},
			{"SRAM4", 0x38000000, KIB(64)},
			{"Backup SRAM", 0x38800000, KIB(4)},
		},
	},
	{
		.dev_id = 0x480,
		.name = "STM32H7A3/B3/B0",
		.family = "stm32h7a3",
		.idcode_addr = MCU_IDCODE_H7,
		.flash_size_addr = 0x08fff80c,
		.flash_base = 0x08000000,
		/* Only A is confirmed for 0x480 (OpenOCD's table). */
		.revs = {{0x1000, "A"}},
		.ram = {
			/* TCMs sit at the Cortex-M7's fixed TCM addresses */
			{"ITCM", 0x00000000, KIB(64)},
			{"DTCM", 0x20000000, KIB(128)},
			{"AXI SRAM1", 0x24000000, KIB(256)},
			{"AXI SRAM2", 0x24040000, KIB(384)},
			{"AXI SRAM3", 0x240a0000, KIB(384)},
			{"AHB SRAM1", 0x30000000, KIB(64)},
			{"AHB SRAM2", 0x30010000, KIB(64)},
			{"SRD SRAM", 0x38000000, KIB(32)},
			{"Backup SRAM", 0x38800000, KIB(4)},
		},
	},
	{
		.dev_id = 0x483,
		.name = "STM32H72x/73x",
		.family = "stm32h7",
		.idcode_addr = MCU_IDCODE_H7,
		.flash_size_addr = 0x1ff1e880,
		.flash_base = 0x08000000,
		.revs = {{0x1000, "A"}, {0x1001, "Z"}},
		/* RAM map not among the documented lines */
	},
	{
		.dev_id = 0x449,
		.name = "STM32F74x/75x",
		.family = "stm32f7",
		.idcode_addr = MCU_IDCODE_F7,
		.flash_size_addr = 0x1ff0f442,
		.flash_base = 0x08000000,
		.revs = {{0x1000, "A"}, {0x1001, "Z"}},
		.ram = {
			{"ITCM RAM", 0x00000000, KIB(16)},
			{"DTCM", 0x20000000, KIB(64)},
			{"SRAM1", 0x20010000, KIB(240)},
			{"SRAM2", 0x2004c000, KIB(16)},
		},
	},
	{
		.dev_id = 0x451,
		.name = "STM32F76x/77x",
		.family = "stm32f7",
		.idcode_addr = MCU_IDCODE_F7,
		.flash_size_addr = 0x1ff0f442,
		.flash_base = 0x08000000,
		.revs = {{0x1000, "A"}, {0x1001, "Z"}},
		.ram = {
			{"ITCM RAM", 0x00000000, KIB(16)},
			{"DTCM", 0x20000000, KIB(128)},
			{"SRAM1", 0x20020000, KIB(368)},
			{"SRAM2", 0x2007c000, KIB(16)},
		},
	},
	{
		.dev_id = 0x452,
		.name = "STM32F72x/73x",
		.family = "stm32f7",
		.idcode_addr = MCU_IDCODE_F7,
		.flash_size_addr = 0x1ff07a22,
		.flash_base = 0x08000000,
		.revs = {{0x1000, "A"}},
		.ram = {
			{"ITCM RAM", 0x00000000, KIB(16)},
			{"DTCM", 0x20000000, KIB(64)},
			{"SRAM1", 0x20010000, KIB(176)},
			{"SRAM2", 0x2003c000, KIB(16)},
		},
	},
};

const unsigned mcu_line_count = sizeof(mcu_lines) / sizeof(mcu_lines[0]);

const struct mcu_line *mcu_lookup(uint16_t dev_id)
{
	for (unsigned i = 0; i < mcu_line_count; i++)
		if (mcu_lines[i].dev_id == dev_id)
			return &mcu_lines[i];
	return NULL;
}

const char *mcu_rev_name(const struct mcu_line *line, uint16_t rev_id)
{
	for (int i = 0; i < MCU_MAX_REVS && line->revs[i].rev_id; i++)
		if (line->revs[i].rev_id == rev_id)
			return line->revs[i].name;
	return NULL;
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
