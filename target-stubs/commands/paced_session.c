/* bench's and margin's common frame (paced_session.h). */
#include "commands/paced_session.h"

#include "chip/psram_protocol.h"
#include "runtime/board_setup.h"

int paced_session(struct stub_ctx *ctx, struct paced_bus *bus,
		  int (*run)(struct stub_ctx *ctx, void *arg), void *arg)
{
	int st;

	st = bus_clocks_on(ctx);
	if (st != STUB_STATUS_OK)
		return st;
	st = bus_xspi_init(ctx, ctx->mb->params.clock_hz);
	if (st != STUB_STATUS_OK)
		return st;
	bus_pins_xspi(ctx);
	st = bus_psram_start(ctx, &bus->read_cmd, &bus->write_cmd);
	if (st == STUB_STATUS_OK) {
		psram_pace_reset(&bus->pace[0]);
		psram_pace_reset(&bus->pace[1]);
		st = run(ctx, arg);
	}
	if (ctx->psram.qpi)
		(void)psram_exit_qpi(&ctx->psram);
	return st;
}
