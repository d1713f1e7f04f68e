/* The board file's PSRAM_* Tcl variables (cfg/README.md), read over the
 * TCL port from the OpenOCD that loaded the file. Variables the file does
 * not set are left out (their `have` bit clear); a set but malformed one
 * is an error naming it. */
#ifndef CLI_BOARD_VARS_H
#define CLI_BOARD_VARS_H

#include <stdint.h>

#include "link/tcl_link.h"

#define BOARD_MAX_PINS 12

enum board_var_bit {
	BV_XSPI_BASE = 1u << 0,
	BV_XSPI_WINDOW = 1u << 1,
	BV_KERNEL_HZ = 1u << 2,
	BV_CPU_HZ = 1u << 3,
	BV_CLOCK_MHZ = 1u << 4,
	BV_STUB_RAM = 1u << 5,
	BV_WORK_AREA = 1u << 6,
	BV_PINS = 1u << 7,
	BV_HSE_HZ = 1u << 8,
};

struct board_pin {
	char signal[8]; /* clk, ncs, io0..io3 */
	char pin[8];    /* PB2 */
	unsigned af;
};

struct board_range {
	uint32_t start;
	uint32_t size;
};

struct board_vars {
	char *board;  /* PSRAM_BOARD */
	char *desc;   /* PSRAM_BOARD_DESC */
	char *family; /* PSRAM_FAMILY */
	char *target; /* PSRAM_TARGET */
	char *xspi;   /* PSRAM_XSPI */
	char *chip;   /* PSRAM_CHIP */
	unsigned have; /* enum board_var_bit */
	uint32_t xspi_base, xspi_window;
	uint64_t kernel_hz, cpu_hz, clock_mhz, hse_hz;
	struct board_range stub_ram, work_area;
	struct board_pin pins[BOARD_MAX_PINS];
	int npins;
};

/* One round trip. Errors are printed. */
int board_vars_read(struct tcl_link *l, struct board_vars *v);
/* Parses the `name value name value ...` list board_vars_read gets (for
 * tests). Errors are printed. */
int board_vars_parse(const char *list, struct board_vars *v);
void board_vars_free(struct board_vars *v);

#endif
