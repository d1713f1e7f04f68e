/* The memory bus as the mailbox describes it: checks the parameters, turns
 * clocks and pins on, probes the data lines, starts the transport and the
 * PSRAM layer. Commands call these in the order they need. */
#ifndef TARGET_STUBS_BUS_H
#define TARGET_STUBS_BUS_H

#include <stdint.h>

#include "runtime/stub.h"

/* Checks every board and chip parameter; resolves the pins into ctx. */
int bus_check_params(struct stub_ctx *ctx);
/* Clocks the GPIO ports in use and the xSPI block, and resets the block. */
int bus_clocks_on(struct stub_ctx *ctx);
/* All six pins to their xSPI alternate function. Call it once the
 * transport is enabled: an idle controller holds nCS high. */
void bus_pins_xspi(struct stub_ctx *ctx);
/* Levels of IO0..IO3 (bit n = IOn) as GPIO inputs with `pull`, nCS driven
 * high and CLK low, after the lines have had time to settle. Leaves the
 * pins as GPIOs. */
uint8_t bus_probe_lines(struct stub_ctx *ctx, uint32_t pull);
/* Starts the transport at the requested clock, capped at max_hz (the
 * requested clock when it is 0), fills mailbox result.xspi and the PSRAM
 * layer, and makes the window no-access to the CPU. */
int bus_xspi_init(struct stub_ctx *ctx, uint32_t max_hz);
/* Passes a transport or PSRAM status up with its details. */
int bus_status(struct stub_ctx *ctx, int status);
/* The start of every command that moves data: resets the chip, puts it in
 * QPI when the mailbox's mode asks for it, and picks that mode's read and
 * write commands. */
int bus_psram_start(struct stub_ctx *ctx, uint32_t *read_cmd,
		    uint32_t *write_cmd);

#endif
