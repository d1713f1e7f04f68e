/* Board facts: docs/boards.md §1 (wiring: PB2 CLK AF9, PB6 nCS AF10,
 * PD11/PD12/PD13/PE2 IO0/IO1/IO3/IO2 AF9 on DEVEBOX and WeAct boards), §1
 * (DEV_ID/REV_ID, flash size) and §2 (RAM map) of docs/hardware-stm32h7.md
 * and docs/hardware-stm32h7a3.md; the STM32F7 boards: §1, §2 and §5 of
 * docs/hardware-stm32f7.md. */
#include "board.h"

#include <string.h>

#define H74X_RAM                                                               \
	{                                                                      \
		{"ITCM", 0x00000000U, 0x10000U},                               \
		{"DTCM", 0x20000000U, 0x20000U},                               \
		{"AXI SRAM", 0x24000000U, 0x80000U},                           \
		{"SRAM1-3", 0x30000000U, 0x48000U},                            \
		{"SRAM4", 0x38000000U, 0x10000U},                              \
		{"Backup SRAM", 0x38800000U, 0x1000U},                         \
	}

/* RM0455 §2.3.2 memory map: 64 KiB ITCM, 128 KiB DTCM, AXI SRAM1-3
 * (256 + 384 + 384 KiB, contiguous), AHB SRAM1/2 (64 + 64 KiB), SRD SRAM
 * and the backup SRAM (docs/hardware-stm32h7a3.md §2). */
#define H7A3_RAM                                                               \
	{                                                                      \
		{"ITCM", 0x00000000U, 0x10000U},                               \
		{"DTCM", 0x20000000U, 0x20000U},                               \
		{"AXI SRAM", 0x24000000U, 0x100000U},                          \
		{"AHB SRAM1-2", 0x30000000U, 0x20000U},                        \
		{"SRD SRAM", 0x38000000U, 0x8000U},                            \
		{"Backup SRAM", 0x38800000U, 0x1000U},                         \
	}

/* Same six pins on every supported board (docs/boards.md §1). */
#define QSPI_BK1_PINS                                                          \
	{                                                                      \
		[XSPI_CLK] = {'B', 2, 9}, [XSPI_NCS] = {'B', 6, 10},           \
		[XSPI_IO0] = {'D', 11, 9}, [XSPI_IO1] = {'D', 12, 9},          \
		[XSPI_IO2] = {'E', 2, 9}, [XSPI_IO3] = {'D', 13, 9},           \
	}

/* RM0385 §2.2.2 (F74x/75x) and RM0410 §2.2.2 (F76x/77x): ITCM RAM, DTCM,
 * SRAM1, SRAM2 and the 4 KiB backup SRAM. */
#define F74X_RAM                                                               \
	{                                                                      \
		{"ITCM RAM", 0x00000000U, 0x4000U},                            \
		{"DTCM", 0x20000000U, 0x10000U},                               \
		{"SRAM1", 0x20010000U, 0x3C000U},                              \
		{"SRAM2", 0x2004C000U, 0x4000U},                               \
		{"Backup SRAM", 0x40024000U, 0x1000U},                         \
	}
#define F76X_RAM                                                               \
	{                                                                      \
		{"ITCM RAM", 0x00000000U, 0x4000U},                            \
		{"DTCM", 0x20000000U, 0x20000U},                               \
		{"SRAM1", 0x20020000U, 0x5C000U},                              \
		{"SRAM2", 0x2007C000U, 0x4000U},                               \
		{"Backup SRAM", 0x40024000U, 0x1000U},                         \
	}

/* STM32F769I-DISCO (and F723E-DISCO): IO0/IO1 on PC9/PC10, AF9
 * (DS11532 alternate-function table; OpenOCD board/stm32f769i-disco.cfg). */
#define QSPI_F769_DISCO_PINS                                                   \
	{                                                                      \
		[XSPI_CLK] = {'B', 2, 9}, [XSPI_NCS] = {'B', 6, 10},           \
		[XSPI_IO0] = {'C', 9, 9}, [XSPI_IO1] = {'C', 10, 9},           \
		[XSPI_IO2] = {'E', 2, 9}, [XSPI_IO3] = {'D', 13, 9},           \
	}

const struct board_profile board_profiles[] = {
	{
		.name = "devebox-h750",
		.description = "DEVEBOX STM32H7XX_M with STM32H750VBT6",
		.line = MCU_STM32H74X,
		.dev_id = 0x450,
		.rev_id = 0x2003, /* rev V (ES0396 Table 2) */
		.bs_idcode = 0x06450041U,
		.flash_size = 128 * 1024,
		.hse_hz = 25000000,
		.ram = H74X_RAM,
		.pins = QSPI_BK1_PINS,
		.default_chip = "esp-psram64h",
	},
	{
		.name = "devebox-h743",
		.description = "DEVEBOX STM32H7XX_M with STM32H743VIT6",
		.line = MCU_STM32H74X,
		.dev_id = 0x450,
		.rev_id = 0x2003,
		.bs_idcode = 0x06450041U,
		.flash_size = 2048 * 1024,
		.hse_hz = 25000000,
		.ram = H74X_RAM,
		.pins = QSPI_BK1_PINS,
		.default_chip = "esp-psram64h",
	},
	{
		.name = "weact-h750",
		.description = "WeAct MiniSTM32H7xx with STM32H750VBT6",
		.line = MCU_STM32H74X,
		.dev_id = 0x450,
		.rev_id = 0x1003, /* rev Y */
		.bs_idcode = 0x06450041U,
		.flash_size = 128 * 1024,
		.hse_hz = 25000000,
		.ram = H74X_RAM,
		.pins = QSPI_BK1_PINS,
		.default_chip = "ly68l6400",
	},
	{
		/* The pins above are OCTOSPIM port 1 on the H7A3, which
		 * OCTOSPI1 reaches in the I/O manager's reset mapping
		 * (docs/hardware-stm32h7a3.md §7). */
		.name = "devebox-h7a3",
		.description = "DEVEBOX STM32H7XX_M with STM32H7A3VIT6",
		.line = MCU_STM32H7A3,
		.dev_id = 0x480,
		.rev_id = 0x1000, /* rev A, the one OpenOCD's stm32h7x names */
		.bs_idcode = 0x06480041U,
		.flash_size = 2048 * 1024,
		.hse_hz = 25000000,
		.ram = H7A3_RAM,
		.pins = QSPI_BK1_PINS,
		.default_chip = "esp-psram64h",
	},
	{
		/* 25 MHz crystal X2 (UM1907); wiring as OpenOCD's
		 * board/stm32f746g-disco.cfg. */
		.name = "f746g-disco",
		.description = "STM32F746G-DISCO with STM32F746NGH6",
		.line = MCU_STM32F74X,
		.dev_id = 0x449,
		.rev_id = 0x1001, /* rev Z */
		.bs_idcode = 0x06449041U,
		.flash_size = 1024 * 1024,
		.hse_hz = 25000000,
		.ram = F74X_RAM,
		.pins = QSPI_BK1_PINS,
		.default_chip = "esp-psram64h",
	},
	{
		/* 25 MHz crystal (UM2033). */
		.name = "f769i-disco",
		.description = "STM32F769I-DISCO with STM32F769NIH6",
		.line = MCU_STM32F76X,
		.dev_id = 0x451,
		.rev_id = 0x1001, /* rev Z */
		.bs_idcode = 0x06451041U,
		.flash_size = 2048 * 1024,
		.hse_hz = 25000000,
		.ram = F76X_RAM,
		.pins = QSPI_F769_DISCO_PINS,
		.default_chip = "ly68l6400",
	},
};

const unsigned board_profile_count =
	sizeof(board_profiles) / sizeof(board_profiles[0]);

const struct board_profile *board_find(const char *name)
{
	for (unsigned i = 0; i < board_profile_count; i++)
		if (strcmp(board_profiles[i].name, name) == 0)
			return &board_profiles[i];
	return NULL;
}
