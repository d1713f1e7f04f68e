/* Board facts: docs/boards.md §1 (wiring: PB2 CLK AF9, PB6 nCS AF10,
 * PD11/PD12/PD13/PE2 IO0/IO1/IO3/IO2 AF9 on DEVEBOX and WeAct boards), §1
 * (DEV_ID/REV_ID, flash size) and §2 (RAM map) of docs/hardware-stm32h7.md
 * and docs/hardware-stm32h7a3.md; the STM32F7 boards: §1, §2 and §5 of
 * docs/hardware-stm32f7.md. */
#include "board.h"

#include <string.h>

/* The RAM of each MCU line, lowest address first, each list ending with a
 * NULL name. H74x: RM0433 §2.3.2 (docs/hardware-stm32h7.md §2); H7A3:
 * RM0455 §2.3.2, AXI SRAM1-3 (256 + 384 + 384 KiB) contiguous, AHB
 * SRAM1/2 (64 + 64 KiB) (docs/hardware-stm32h7a3.md §2); F74x: RM0385
 * §2.2.2, F76x: RM0410 §2.2.2, ITCM RAM, DTCM, SRAM1, SRAM2 and the
 * 4 KiB backup SRAM (docs/hardware-stm32f7.md §2). */
static const struct board_memory h74x_ram[] = {
	{"ITCM", 0x00000000U, 0x10000U}, {"DTCM", 0x20000000U, 0x20000U},
	{"AXI SRAM", 0x24000000U, 0x80000U},
	{"SRAM1-3", 0x30000000U, 0x48000U}, {"SRAM4", 0x38000000U, 0x10000U},
	{"Backup SRAM", 0x38800000U, 0x1000U}, {NULL, 0, 0},
};
static const struct board_memory h7a3_ram[] = {
	{"ITCM", 0x00000000U, 0x10000U}, {"DTCM", 0x20000000U, 0x20000U},
	{"AXI SRAM", 0x24000000U, 0x100000U},
	{"AHB SRAM1-2", 0x30000000U, 0x20000U},
	{"SRD SRAM", 0x38000000U, 0x8000U},
	{"Backup SRAM", 0x38800000U, 0x1000U}, {NULL, 0, 0},
};
static const struct board_memory f74x_ram[] = {
	{"ITCM RAM", 0x00000000U, 0x4000U}, {"DTCM", 0x20000000U, 0x10000U},
	{"SRAM1", 0x20010000U, 0x3C000U}, {"SRAM2", 0x2004C000U, 0x4000U},
	{"Backup SRAM", 0x40024000U, 0x1000U}, {NULL, 0, 0},
};
static const struct board_memory f76x_ram[] = {
	{"ITCM RAM", 0x00000000U, 0x4000U}, {"DTCM", 0x20000000U, 0x20000U},
	{"SRAM1", 0x20020000U, 0x5C000U}, {"SRAM2", 0x2007C000U, 0x4000U},
	{"Backup SRAM", 0x40024000U, 0x1000U}, {NULL, 0, 0},
};

/* The xSPI pins, port, pin and alternate function, in enum xspi_signal
 * order: CLK, nCS, IO0..IO3. The same six on the DEVEBOX and WeAct
 * boards and the F746G-DISCO (docs/boards.md §1); the F769I-DISCO (and
 * F723E-DISCO) has IO0/IO1 on PC9/PC10, AF9 (DS11532 alternate-function
 * table; OpenOCD board/stm32f769i-disco.cfg). */
static const struct board_pin qspi_bk1_pins[XSPI_SIGNALS] = {
	[XSPI_CLK] = {'B', 2, 9}, [XSPI_NCS] = {'B', 6, 10},
	[XSPI_IO0] = {'D', 11, 9}, [XSPI_IO1] = {'D', 12, 9},
	[XSPI_IO2] = {'E', 2, 9}, [XSPI_IO3] = {'D', 13, 9},
};
static const struct board_pin f769_disco_pins[XSPI_SIGNALS] = {
	[XSPI_CLK] = {'B', 2, 9}, [XSPI_NCS] = {'B', 6, 10},
	[XSPI_IO0] = {'C', 9, 9}, [XSPI_IO1] = {'C', 10, 9},
	[XSPI_IO2] = {'E', 2, 9}, [XSPI_IO3] = {'D', 13, 9},
};

#define KIB(n) ((uint32_t)(n) * 1024U)

/* One row per board: name, description; MCU line, DEV_ID, REV_ID, the
 * boundary-scan TAP's IDCODE, flash size, crystal; RAM, xSPI pins and
 * the chip fitted unless --chip says otherwise. */
const struct board_profile board_profiles[] = {
	/* rev V (ES0396 Table 2) */
	{"devebox-h750", "DEVEBOX STM32H7XX_M with STM32H750VBT6",
	 MCU_STM32H74X, 0x450, 0x2003, 0x06450041U, KIB(128), 25000000,
	 h74x_ram, qspi_bk1_pins, "esp-psram64h"},
	{"devebox-h743", "DEVEBOX STM32H7XX_M with STM32H743VIT6",
	 MCU_STM32H74X, 0x450, 0x2003, 0x06450041U, KIB(2048), 25000000,
	 h74x_ram, qspi_bk1_pins, "esp-psram64h"},
	/* rev Y */
	{"weact-h750", "WeAct MiniSTM32H7xx with STM32H750VBT6",
	 MCU_STM32H74X, 0x450, 0x1003, 0x06450041U, KIB(128), 25000000,
	 h74x_ram, qspi_bk1_pins, "ly68l6400"},
	/* rev A, the one OpenOCD's stm32h7x names. The pins are OCTOSPIM
	 * port 1 on the H7A3, which OCTOSPI1 reaches in the I/O manager's
	 * reset mapping (docs/hardware-stm32h7a3.md §7). */
	{"devebox-h7a3", "DEVEBOX STM32H7XX_M with STM32H7A3VIT6",
	 MCU_STM32H7A3, 0x480, 0x1000, 0x06480041U, KIB(2048), 25000000,
	 h7a3_ram, qspi_bk1_pins, "esp-psram64h"},
	/* rev Z; 25 MHz crystal X2 (UM1907); wiring as OpenOCD's
	 * board/stm32f746g-disco.cfg. */
	{"f746g-disco", "STM32F746G-DISCO with STM32F746NGH6",
	 MCU_STM32F74X, 0x449, 0x1001, 0x06449041U, KIB(1024), 25000000,
	 f74x_ram, qspi_bk1_pins, "esp-psram64h"},
	/* rev Z; 25 MHz crystal (UM2033). */
	{"f769i-disco", "STM32F769I-DISCO with STM32F769NIH6",
	 MCU_STM32F76X, 0x451, 0x1001, 0x06451041U, KIB(2048), 25000000,
	 f76x_ram, f769_disco_pins, "ly68l6400"},
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
