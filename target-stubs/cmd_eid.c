/*
 * eid: is a chip there, and which? The stub only reports bytes; decoding
 * (maker, KGD, density, "flash still fitted", "no chip") is the host's.
 *
 *   lines before → QUADSPI at <= STUB_EID_MAX_HZ → pins to the xSPI →
 *   reset (QPI form, SPI form) → 0x9F PSRAM framing (8 bytes) →
 *   0x9F flash framing (3 bytes) → lines after
 *
 * Both ID framings are needed (hardware-facts §6.7): a W25Q64 answers
 * EF 40 17 only without the address, a PSRAM answers only with it.
 */
#include "bus.h"
#include "psram.h"

static uint32_t all_equal(const uint8_t *b, uint32_t n, uint8_t v)
{
	for (uint32_t i = 0; i < n; i++)
		if (b[i] != v)
			return 0U;
	return 1U;
}

static int eid_sequence(struct stub_ctx *ctx, uint8_t *id, uint8_t *jedec)
{
	int st = bus_xspi_init(ctx, STUB_EID_MAX_HZ);

	if (st != STUB_STATUS_OK)
		return st;
	bus_pins_xspi(ctx);
	st = bus_status(ctx, psram_reset(&ctx->psram));
	if (st != STUB_STATUS_OK)
		return st;
	st = bus_status(ctx, psram_read_id(&ctx->psram, id));
	if (st != STUB_STATUS_OK)
		return st;
	return bus_status(ctx, psram_read_jedec(&ctx->psram, jedec));
}

int cmd_eid(struct stub_ctx *ctx)
{
	volatile struct stub_result *res = &ctx->mb->result;
	uint8_t id[PSRAM_ID_BYTES] = {0};
	uint8_t jedec[PSRAM_JEDEC_BYTES] = {0};
	uint32_t flags = 0;
	int st;

	st = bus_check_params(ctx);
	if (st != STUB_STATUS_OK)
		return st;
	st = bus_clocks_on(ctx);
	if (st != STUB_STATUS_OK)
		return st;

	res->lines_before_up = bus_probe_lines(ctx, STUB_PULL_UP);
	res->lines_before_down = bus_probe_lines(ctx, STUB_PULL_DOWN);
	st = eid_sequence(ctx, id, jedec);
	/* Also after a failure: the line levels are what explains it. */
	res->lines_after_up = bus_probe_lines(ctx, STUB_PULL_UP);
	res->lines_after_down = bus_probe_lines(ctx, STUB_PULL_DOWN);
	bus_pins_xspi(ctx);

	for (uint32_t i = 0; i < PSRAM_ID_BYTES; i++)
		res->eid[i] = id[i];
	for (uint32_t i = 0; i < PSRAM_JEDEC_BYTES; i++)
		res->jedec[i] = jedec[i];
	res->jedec[PSRAM_JEDEC_BYTES] = 0U;
	if (st == STUB_STATUS_OK) {
		if (all_equal(id, PSRAM_ID_BYTES, 0xFFU))
			flags |= STUB_EID_ID_ALL_ONES;
		if (all_equal(id, PSRAM_ID_BYTES, 0x00U))
			flags |= STUB_EID_ID_ALL_ZEROS;
		if (all_equal(jedec, PSRAM_JEDEC_BYTES, 0xFFU))
			flags |= STUB_EID_JEDEC_ALL_ONES;
		if (all_equal(jedec, PSRAM_JEDEC_BYTES, 0x00U))
			flags |= STUB_EID_JEDEC_ALL_ZEROS;
	}
	res->eid_flags = flags;
	return st;
}
