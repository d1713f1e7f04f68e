/*
 * margin: does the chip work at the requested clock and sample shift?
 * The host sweeps the prescaler and the sample shift and runs this once
 * per point; each run starts from a reset chip, so a point that garbled a
 * mode command does not spoil the next one.
 *
 *   QUADSPI at exactly the requested clock → pins → reset → QPI if asked
 *   → data test → page-crossing test → SPI mode again
 *
 * data: MARGIN_BLOCKS blocks of MARGIN_BLOCK_BYTES at page-aligned
 * addresses spread over the range, written with data that differ per
 * point, then read back; no burst crosses a page.
 *
 * page crossing (docs/psram-chips.md §4: a linear burst may cross a 1 KiB page
 * only up to 84 MHz; beyond that the bench and memtest never cross, so
 * neither does this): around a page boundary B, with P the page before,
 *   [P, P+K) and [B, B+K) ← G        guards, bursts that do not cross
 *   [B-K, B+K) ← D                  some burst straddles B
 *   [B-K, B), [B, B+K), [P, P+K) → D low, D high, G   (no crossing)
 *   [B-K, B+K) → D                  (crossing)
 * A chip whose burst wraps inside the page instead of moving on writes
 * D's high half over [P, P+K) and leaves G at B; a read that wraps
 * returns [P, P+K). K is odd so that however psram_write splits the
 * bursts (lengths of 2 or more, multiples of 4 from 4 on), one straddles
 * B. G = ~D high, so every wrapped byte differs.
 *
 * Each test ends in a MARGIN record (code = test, a = bytes checked or 0
 * when not run, b = bytes wrong, c = offset of the first wrong one); the
 * status is TEST_ERRORS when a byte was wrong.
 */
#include "runtime/board_setup.h"
#include "chip/psram_protocol.h"
#include "commands/paced_session.h"
#include "runtime/ring.h"

#define MARGIN_BLOCKS 4U
#define MARGIN_BLOCK_BYTES 512U
#define MARGIN_CROSS_HALF 31U	/* K above */
#define NO_OFFSET 0xFFFFFFFFU
#define MARGIN_UNIT 4U		/* words through the data register */

struct margin {
	/* Paced bursts: a clock-limit fault is the chip's, never CE# held
	 * past tCEM by the stub. */
	struct paced_bus bus;
	uint32_t start;
	uint32_t len;
	uint32_t rng;
	uint32_t checked;
	uint32_t wrong;
	uint32_t first_wrong;
};

static uint8_t wr_buf[MARGIN_BLOCK_BYTES];
static uint8_t rd_buf[MARGIN_BLOCK_BYTES];

/* xorshift32: data that differ from point to point and block to block. */
static uint32_t next_random(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

static void fill_random(uint8_t *buf, uint32_t n, uint32_t *s)
{
	for (uint32_t i = 0; i < n; i++)
		buf[i] = (uint8_t)(next_random(s) >> 24);
}

static int check_margin_params(struct stub_ctx *ctx, struct margin *m)
{
	const volatile struct stub_params *prm = &ctx->mb->params;
	uint32_t size = prm->chip_size ? prm->chip_size : 8U * 1024U * 1024U;
	uint32_t len = prm->range_len ? prm->range_len : size;

	if (prm->clock_hz == 0U)
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS,
				 STUB_DETAIL_CLOCK_HZ, 0U, prm->kernel_hz);
	if (prm->mode != STUB_MODE_SPI && prm->mode != STUB_MODE_QPI)
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS, STUB_DETAIL_MODE,
				 prm->mode, 0U);
	/* Page-aligned, and room for the blocks and the boundary test. */
	if (prm->range_start >= size || len > size - prm->range_start ||
	    (prm->range_start & (PSRAM_PAGE_BYTES - 1U)) ||
	    len < MARGIN_BLOCKS * PSRAM_PAGE_BYTES)
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS, STUB_DETAIL_RANGE,
				 prm->range_start, len);
	m->start = prm->range_start;
	m->len = len;
	m->rng = (prm->seed ^ prm->clock_hz ^ prm->sample_shift << 30) | 1U;
	return STUB_STATUS_OK;
}

static int put(struct stub_ctx *ctx, struct margin *m, uint32_t addr,
	       const uint8_t *src, uint32_t n)
{
	struct paced_bus *bus = &m->bus;

	return bus_status(ctx, psram_write_paced(&ctx->psram, &bus->pace[1],
						 bus->write_cmd, addr, src, n,
						 MARGIN_UNIT));
}

/* Reads [addr, addr + n) and counts the bytes that differ from want. */
static int get_compare(struct stub_ctx *ctx, struct margin *m, uint32_t addr,
		       const uint8_t *want, uint32_t n)
{
	struct paced_bus *bus = &m->bus;
	int st = bus_status(ctx, psram_read_paced(&ctx->psram, &bus->pace[0],
						  bus->read_cmd, addr, rd_buf,
						  n, MARGIN_UNIT));

	if (st != STUB_STATUS_OK)
		return st;
	for (uint32_t i = 0; i < n; i++) {
		if (rd_buf[i] == want[i])
			continue;
		if (m->wrong++ == 0U)
			m->first_wrong = addr + i;
	}
	m->checked += n;
	return STUB_STATUS_OK;
}

static void tally_reset(struct margin *m)
{
	m->checked = 0U;
	m->wrong = 0U;
	m->first_wrong = NO_OFFSET;
}

static int report(struct stub_ctx *ctx, const struct margin *m, uint16_t test)
{
	struct stub_record rec = {
		.type = STUB_REC_MARGIN,
		.code = test,
		.a = m->checked,
		.b = m->wrong,
		.c = m->first_wrong,
	};

	ctx->mb->result.errors += m->wrong;
	return ring_put(ctx, &rec);
}

static uint32_t block_addr(const struct margin *m, uint32_t i)
{
	return m->start +
	       ((m->len / MARGIN_BLOCKS * i) & ~(PSRAM_PAGE_BYTES - 1U));
}

static int data_test(struct stub_ctx *ctx, struct margin *m)
{
	uint32_t seed = m->rng;
	int st;

	tally_reset(m);
	for (uint32_t i = 0; i < MARGIN_BLOCKS; i++) {
		fill_random(wr_buf, MARGIN_BLOCK_BYTES, &m->rng);
		st = put(ctx, m, block_addr(m, i), wr_buf,
			 MARGIN_BLOCK_BYTES);
		if (st != STUB_STATUS_OK)
			return st;
	}
	/* All written before any is read: a read that only echoes the last
	 * write cannot pass. */
	m->rng = seed;
	for (uint32_t i = 0; i < MARGIN_BLOCKS; i++) {
		fill_random(wr_buf, MARGIN_BLOCK_BYTES, &m->rng);
		st = get_compare(ctx, m, block_addr(m, i), wr_buf,
				 MARGIN_BLOCK_BYTES);
		if (st != STUB_STATUS_OK)
			return st;
	}
	return report(ctx, m, STUB_MARGIN_DATA);
}

static int page_cross_test(struct stub_ctx *ctx, struct margin *m)
{
	const uint32_t k = MARGIN_CROSS_HALF;
	uint32_t b = m->start + 2U * PSRAM_PAGE_BYTES;
	uint32_t p = b - PSRAM_PAGE_BYTES;
	uint8_t *d = wr_buf;		/* D: 2K bytes */
	uint8_t *g = wr_buf + 2U * k;	/* G: K bytes */
	int st;

	tally_reset(m);
	if (ctx->psram.clock_hz > PSRAM_PAGE_CROSS_MAX_HZ)
		return report(ctx, m, STUB_MARGIN_PAGE_CROSS);
	fill_random(d, 2U * k, &m->rng);
	for (uint32_t i = 0; i < k; i++)
		g[i] = (uint8_t)~d[k + i];

	st = put(ctx, m, p, g, k);
	if (st == STUB_STATUS_OK)
		st = put(ctx, m, b, g, k);
	if (st == STUB_STATUS_OK)
		st = put(ctx, m, b - k, d, 2U * k);
	if (st == STUB_STATUS_OK)
		st = get_compare(ctx, m, b - k, d, k);
	if (st == STUB_STATUS_OK)
		st = get_compare(ctx, m, b, d + k, k);
	if (st == STUB_STATUS_OK)
		st = get_compare(ctx, m, p, g, k);
	if (st == STUB_STATUS_OK)
		st = get_compare(ctx, m, b - k, d, 2U * k);
	if (st != STUB_STATUS_OK)
		return st;
	return report(ctx, m, STUB_MARGIN_PAGE_CROSS);
}

/* The two tests, once paced_session has the chip started. */
static int margin_run(struct stub_ctx *ctx, void *arg)
{
	struct margin *m = arg;
	int st = data_test(ctx, m);

	if (st != STUB_STATUS_OK)
		return st;
	return page_cross_test(ctx, m);
}

int cmd_margin(struct stub_ctx *ctx)
{
	struct margin m;
	int st;

	st = bus_check_params(ctx);
	if (st != STUB_STATUS_OK)
		return st;
	st = check_margin_params(ctx, &m);
	if (st != STUB_STATUS_OK)
		return st;
	st = paced_session(ctx, &m.bus, margin_run, &m);
	if (st == STUB_STATUS_OK && ctx->mb->result.errors != 0U)
		return STUB_STATUS_TEST_ERRORS;
	return st;
}
