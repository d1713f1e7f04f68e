/*
 * eid: is a chip there, and which? The stub only reports bytes; decoding
 * (maker, KGD, density, "flash still fitted", "no chip") is the host's.
 *
 *   lines before → QUADSPI at <= STUB_EID_MAX_HZ → pins to the xSPI →
 *   reset (QPI form, SPI form) → 0x9F PSRAM framing (8 bytes) →
 *   0x9F flash framing (3 bytes) → which lines the chip drives (two
 *   LINES records) → lines after
 *
 * Both ID framings are needed (docs/psram-chips.md §8): a W25Q64 answers
 * EF 40 17 only without the address, a PSRAM answers only with it.
 *
 * The ID comes back on IO1 alone, so an open IO1 and no chip at all read
 * alike. A 1-4-4 0xEB read (SPI mode, docs/psram-chips.md §2: command on IO0,
 * address and data on IO0..IO3, 6 wait cycles) makes a PSRAM drive all four
 * lines. The controller releases all four during the data phase (RM0399
 * §24.3.4), so read once with the MCU's pull-up and once with its pull-down,
 * a line the chip's output does not reach follows the pull both times
 * (io-open, docs/architecture.md §5). It only reads: the array is left as it
 * was.
 */
#include "runtime/board_setup.h"
#include "chip/psram_protocol.h"
#include "runtime/ring.h"

#define LINES_PROBE_BYTES 8U
#define LINES 4U

static uint32_t all_equal(const uint8_t *b, uint32_t n, uint8_t v)
{
	for (uint32_t i = 0; i < n; i++)
		if (b[i] != v)
			return 0U;
	return 1U;
}

/* Per line, how many of the sampled bits read against `pull`. */
static void against_pull(const uint8_t *buf, uint32_t pull,
			 uint32_t against[LINES])
{
	for (uint32_t n = 0; n < LINES; n++)
		against[n] = 0U;
	/* 4-line data: the high nibble first, bit k of a nibble on IOk
	 * (docs/psram-chips.md §2). */
	for (uint32_t i = 0; i < LINES_PROBE_BYTES; i++) {
		for (uint32_t n = 0; n < LINES; n++) {
			uint32_t hi = (buf[i] >> (4U + n)) & 1U;
			uint32_t lo = (buf[i] >> n) & 1U;
			uint32_t want = pull == STUB_PULL_UP ? 1U : 0U;

			against[n] += (hi != want) + (lo != want);
		}
	}
}

static int eid_lines(struct stub_ctx *ctx)
{
	static const uint8_t pulls[] = {STUB_PULL_UP, STUB_PULL_DOWN};
	int st = STUB_STATUS_OK;

	for (uint32_t k = 0; k < sizeof(pulls) && st == STUB_STATUS_OK; k++) {
		uint8_t buf[LINES_PROBE_BYTES];
		uint32_t against[LINES];
		struct stub_record rec = {
			.type = STUB_REC_LINES,
			.code = pulls[k],
			.a = LINES_PROBE_BYTES * 8U / LINES,
		};

		for (uint32_t n = 0; n < LINES; n++) {
			struct gpio_pin p = ctx->pins[STUB_PIN_IO0 + n];

			p.pull = pulls[k];
			gpio_mode_af(&p);
		}
		st = bus_status(ctx, psram_read_once(&ctx->psram,
						     PSRAM_CMD_QUAD_READ, 0U,
						     buf, LINES_PROBE_BYTES));
		if (st != STUB_STATUS_OK)
			break;
		against_pull(buf, pulls[k], against);
		rec.b = against[0] | against[1] << 16;
		rec.c = against[2] | against[3] << 16;
		st = ring_put(ctx, &rec);
	}
	for (uint32_t n = 0; n < LINES; n++)
		gpio_mode_af(&ctx->pins[STUB_PIN_IO0 + n]);
	return st;
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
	st = bus_status(ctx, psram_read_jedec(&ctx->psram, jedec));
	if (st != STUB_STATUS_OK)
		return st;
	return eid_lines(ctx);
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
