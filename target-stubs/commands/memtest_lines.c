/* The lines test: which IO lines ever carry the chip's drive. */
#include "commands/memtest.h"

#define MT_LINES_READS 1024U
#define MT_LINES_BYTES 32U

/* Each line's bits that differ from its pull: bits n and n + 4 of every
 * byte travel on IOn in QPI (docs/psram-chips.md §2). */
static void lines_count(const uint8_t *buf, uint32_t n, uint32_t pull_up,
			uint32_t against[4])
{
	for (uint32_t i = 0; i < n; i++) {
		uint32_t x = (uint32_t)buf[i] ^ (pull_up ? 0xFFU : 0x00U);

		for (uint32_t l = 0; l < 4U; l++)
			against[l] += ((x >> l) & 1U) + ((x >> (l + 4U)) & 1U);
	}
}

static void pins_pull(struct stub_ctx *ctx, uint32_t pull)
{
	for (uint32_t i = STUB_PIN_IO0; i <= STUB_PIN_IO3; i++) {
		struct gpio_pin pin = ctx->pins[i];

		pin.pull = (uint8_t)pull;
		gpio_mode_af(&pin);
	}
}

static int lines_run(struct memtest *m, uint32_t pull)
{
	uint8_t *buf = (uint8_t *)mt_rbuf;
	uint32_t against[4] = {0U, 0U, 0U, 0U};
	struct stub_record rec = {
		.type = STUB_REC_LINES,
		.code = (uint16_t)pull,
	};
	int st;

	pins_pull(m->ctx, pull);
	st = bus_status(m->ctx, psram_reset(m->p));
	if (st == STUB_STATUS_OK)
		st = bus_status(m->ctx, psram_enter_qpi(m->p));
	/* Something to read that is neither pull level. */
	for (uint32_t i = 0; i < MT_LINES_BYTES; i++)
		buf[i] = (uint8_t)(i & 1U ? 0xA5U : 0x5AU);
	if (st == STUB_STATUS_OK)
		st = bus_status(m->ctx, psram_write(m->p, PSRAM_CMD_QUAD_WRITE,
						    m->start, buf,
						    MT_LINES_BYTES));
	for (uint32_t i = 0; i < MT_LINES_READS && st == STUB_STATUS_OK; i++) {
		st = bus_status(m->ctx, psram_read(m->p, PSRAM_CMD_QUAD_READ,
						   m->start, buf,
						   MT_LINES_BYTES));
		if (st == STUB_STATUS_OK)
			lines_count(buf, MT_LINES_BYTES,
				    pull == STUB_PULL_UP, against);
		if (st == STUB_STATUS_OK && (i & 63U) == 0U)
			st = mt_stopped(m);
	}
	if (st == STUB_STATUS_OK)
		st = mt_leave_qpi(m);
	if (st != STUB_STATUS_OK)
		return st;
	rec.a = 2U * MT_LINES_BYTES * MT_LINES_READS;
	rec.b = mt_sat16(against[0]) | mt_sat16(against[1]) << 16;
	rec.c = mt_sat16(against[2]) | mt_sat16(against[3]) << 16;
	return ring_put(m->ctx, &rec);
}

int mt_lines(struct memtest *m)
{
	int st;

	mt_test_begin(m, STUB_TEST_LINES);
	st = lines_run(m, STUB_PULL_UP);
	if (st == STUB_STATUS_OK)
		st = lines_run(m, STUB_PULL_DOWN);
	bus_pins_xspi(m->ctx);
	if (st != STUB_STATUS_OK)
		return st;
	return mt_test_end(m, 1U, 2U * MT_LINES_BYTES * MT_LINES_READS);
}
