/*
 * read / write: the chip's bytes to or from the host, for psramctl shell's
 * memory commands on the PSRAM window (the window itself stays unmapped:
 * the stub keeps the xSPI in indirect mode).
 *
 *   xSPI at the requested clock → pins → reset → QPI if asked →
 *   params.range_len bytes at chip offset params.range_start, between the
 *   chip and the buffer at STUB_DATA_ADDR → SPI mode again
 *
 * psram_read / psram_write cut the transfer into bursts that keep CE# low
 * within tCEM and, above 84 MHz, inside a 1 KiB page (docs/psram-chips.md
 * §4). Each run starts with the reset in both forms, since the chip's
 * mode is unknown (docs/psram-chips.md §5); the datasheets describe that
 * reset as a return to SPI mode, not as clearing the array, and a read
 * in one run finds what a write in an earlier run left (psramsim models
 * it so; tests/e2e/t0815-shell-psram.sh checks it).
 */
#include "runtime/board_setup.h"
#include "chip/psram_protocol.h"

uint8_t xfer_data[STUB_DATA_MAX] __attribute__((section(".xfer_data"), used));

static int check_xfer_params(struct stub_ctx *ctx)
{
	const volatile struct stub_params *prm = &ctx->mb->params;
	uint32_t size = prm->chip_size ? prm->chip_size : 8U * 1024U * 1024U;
	uint32_t len = prm->range_len;

	if (prm->clock_hz == 0U)
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS,
				 STUB_DETAIL_CLOCK_HZ, 0U, prm->kernel_hz);
	if (prm->mode != STUB_MODE_SPI && prm->mode != STUB_MODE_QPI)
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS, STUB_DETAIL_MODE,
				 prm->mode, 0U);
	if (len == 0U || len > STUB_DATA_MAX || prm->range_start >= size ||
	    len > size - prm->range_start)
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS, STUB_DETAIL_RANGE,
				 prm->range_start, len);
	return STUB_STATUS_OK;
}

static int xfer_run(struct stub_ctx *ctx, bool write)
{
	const volatile struct stub_params *prm = &ctx->mb->params;
	uint32_t read_cmd, write_cmd;
	int st;

	st = bus_psram_start(ctx, &read_cmd, &write_cmd);
	if (st != STUB_STATUS_OK)
		return st;
	ctx->mb->progress_total = prm->range_len;
	st = write ? psram_write(&ctx->psram, write_cmd, prm->range_start,
				 xfer_data, prm->range_len)
		   : psram_read(&ctx->psram, read_cmd, prm->range_start,
				xfer_data, prm->range_len);
	st = bus_status(ctx, st);
	if (st == STUB_STATUS_OK)
		ctx->mb->progress_done = prm->range_len;
	return st;
}

static int xfer(struct stub_ctx *ctx, bool write)
{
	int st;

	st = bus_check_params(ctx);
	if (st == STUB_STATUS_OK)
		st = check_xfer_params(ctx);
	if (st == STUB_STATUS_OK)
		st = bus_clocks_on(ctx);
	if (st == STUB_STATUS_OK)
		st = bus_xspi_init(ctx, ctx->mb->params.clock_hz);
	if (st != STUB_STATUS_OK)
		return st;
	bus_pins_xspi(ctx);
	st = xfer_run(ctx, write);
	/* Leave the chip in SPI mode, where the next command expects it. */
	if (ctx->psram.qpi)
		(void)psram_exit_qpi(&ctx->psram);
	return st;
}

int cmd_read(struct stub_ctx *ctx)
{
	return xfer(ctx, false);
}

int cmd_write(struct stub_ctx *ctx)
{
	return xfer(ctx, true);
}
