/*
 * pins: an interconnect test at the MCU's pins, in the manner of a
 * boundary-scan test, before any command goes to the chip. All six memory
 * pins become GPIOs; no xSPI command is sent, so a bridge or a line tied to
 * a rail shows here even when it makes every SPI command fail.
 *
 *   every pin an input with pull-up, then with pull-down (nothing driven)
 *   → for each pin and each pull of the others: that pin driven high, then
 *   low, the others inputs with the pull → levels of all six pins
 *
 * One PIN record per step (code = driven pin | level << 8, a = the pull of
 * the others, b = the six levels). Where the result is read (host side):
 * a pin that does not read what it drives is held by a rail; an undriven
 * pin that leaves its pull to follow the driven one is bridged to it. An
 * open joint between MCU and chip is invisible here (the MCU's pin reads
 * its own drive and pull), which is what the lines test is for.
 *
 * nCS is driven high whenever it is not the pin under test, so the chip
 * stays deselected and keeps its IO pins released (docs/psram-chips.md §5);
 * while nCS is tested low, CLK only follows a pull, which gives the chip at
 * most one edge: no command can start.
 */
#include "runtime/board_setup.h"
#include "runtime/ring.h"

/* ~40 kΩ pulls against a few tens of pF settle in a few µs (board_setup.c). */
#define PINS_SETTLE_US 20U

static uint32_t read_all(struct stub_ctx *ctx)
{
	uint32_t levels = 0;

	timer_delay_us(&ctx->timer, PINS_SETTLE_US);
	for (uint32_t i = 0; i < STUB_PIN_COUNT; i++)
		levels |= gpio_level(&ctx->pins[i]) << i;
	return levels;
}

static int put(struct stub_ctx *ctx, uint32_t pin, uint32_t level,
	       uint32_t pull, uint32_t levels)
{
	struct stub_record rec = {
		.type = STUB_REC_PIN,
		.code = (uint16_t)(pin | level << 8),
		.a = pull,
		.b = levels,
	};

	return ring_put(ctx, &rec);
}

/* Every pin but `driven` (and nCS, unless it is the one under test or
 * nothing is driven) an input with `pull`. */
static void others(struct stub_ctx *ctx, uint32_t driven, uint32_t pull)
{
	for (uint32_t i = 0; i < STUB_PIN_COUNT; i++) {
		if (i == driven)
			continue;
		if (i == STUB_PIN_NCS && driven != STUB_PIN_NONE)
			gpio_mode_output(&ctx->pins[i], 1U);
		else
			gpio_mode_input(&ctx->pins[i], pull);
	}
}

static int idle_levels(struct stub_ctx *ctx, uint32_t pull)
{
	others(ctx, STUB_PIN_NONE, pull);
	return put(ctx, STUB_PIN_NONE, 0U, pull, read_all(ctx));
}

static int drive_levels(struct stub_ctx *ctx, uint32_t pin, uint32_t pull)
{
	static const uint8_t levels[] = {1U, 0U};
	int st;

	for (uint32_t i = 0; i < sizeof(levels); i++) {
		others(ctx, pin, pull);
		gpio_mode_output(&ctx->pins[pin], levels[i]);
		st = put(ctx, pin, levels[i], pull, read_all(ctx));
		if (st != STUB_STATUS_OK)
			return st;
	}
	/* Back to an input before the next pin drives, so two outputs never
	 * fight through a bridge. */
	gpio_mode_input(&ctx->pins[pin], pull);
	return STUB_STATUS_OK;
}

int cmd_pins(struct stub_ctx *ctx)
{
	static const uint8_t pulls[] = {STUB_PULL_UP, STUB_PULL_DOWN};
	int st;

	st = bus_check_params(ctx);
	if (st != STUB_STATUS_OK)
		return st;
	st = bus_clocks_on(ctx);
	if (st != STUB_STATUS_OK)
		return st;
	for (uint32_t p = 0; p < sizeof(pulls); p++) {
		st = idle_levels(ctx, pulls[p]);
		if (st != STUB_STATUS_OK)
			return st;
	}
	for (uint32_t p = 0; p < sizeof(pulls); p++) {
		for (uint32_t pin = 0; pin < STUB_PIN_COUNT; pin++) {
			st = drive_levels(ctx, pin, pulls[p]);
			if (st != STUB_STATUS_OK)
				return st;
			if (stub_stop_requested(ctx))
				return STUB_STATUS_STOPPED;
		}
	}
	/* Deselected chip, quiet clock, data lines held by their pulls. */
	gpio_mode_output(&ctx->pins[STUB_PIN_NCS], 1U);
	gpio_mode_output(&ctx->pins[STUB_PIN_CLK], 0U);
	for (uint32_t i = STUB_PIN_IO0; i <= STUB_PIN_IO3; i++)
		gpio_mode_input(&ctx->pins[i], STUB_PULL_DOWN);
	return STUB_STATUS_OK;
}
