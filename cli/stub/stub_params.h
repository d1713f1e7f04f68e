/* The board file's PSRAM_* variables turned into the stub's mailbox
 * parameters (cfg/README.md → struct stub_params): everything the stub
 * knows about a board comes from here. */
#ifndef CLI_STUB_PARAMS_H
#define CLI_STUB_PARAMS_H

#include <stdint.h>

#include "link/board_vars.h"
#include "stub_abi.h"

/* Fills p (zeroed first) with family, xSPI block, clocks, chip and pins,
 * and *sp with the stack pointer the stub starts with (the end of
 * PSRAM_STUB_RAM, or the smallest stub RAM when the file does not say).
 * Missing or unusable variables are PSR_ERR_BOARD_FILE, printed with the
 * variable's name. A PSRAM_CHIP it does not know gives STUB_CHIP_UNKNOWN,
 * for which the stub uses the strictest timing limits. */
int stub_params_from_board(const struct board_vars *v, struct stub_params *p,
			   uint32_t *sp);

/* PSRAM_CHIP names ("esp-psram64h", ...) and enum stub_chip. from_name
 * returns -1 for a name it does not know; name returns NULL for
 * STUB_CHIP_UNKNOWN and values out of range. */
int stub_chip_from_name(const char *name);
const char *stub_chip_name(uint32_t chip);
/* The part as printed on the package: "ESP-PSRAM64H", ... */
const char *stub_chip_part(uint32_t chip);

/* "PB2" → port 1, pin 2. Returns -1 for anything else. */
int stub_pin_parse(const char *name, uint8_t *port, uint8_t *pin);

#endif
