/*
 * memtest: the memory tests of params.tests over [range_start, range_start
 * + range_len), at each access width of params.widths, params.passes times.
 * The stub only measures and reports; what the errors mean is the host's.
 *
 *   QUADSPI at params.clock_hz → pins (with the pulls of params.pins) →
 *   lines (once) → reset → QPI if asked → address-bus (once) → for each
 *   pass and width: data-bus, device, patterns, page, retention → SPI mode
 *
 * The width is the unit of the test data (patterns are replicated to it,
 * errors are reported per unit) and the size of every data register
 * access (xspi_op.access), as a program using the memory with 8-, 16- or
 * 32-bit accesses would make them. Data move in page-sized chunks through
 * two buffers, so the host never holds more than the records it streams;
 * no burst crosses a 1 KiB page except in the page test.
 *
 * Tests (docs/psram-chips.md for the chip; the classic forms after Barr,
 * "Software-based memory testing"):
 *   lines     IO0..IO3 with the MCU's pull-up, then pull-down, while QPI
 *             reads run: a line the chip never drives reads its pull all
 *             along (open, or nothing there). LINES records.
 *   data-bus  walking 1s and 0s across the unit at a few addresses A; after
 *             each write to A the complement goes to another address B, so
 *             a floating line cannot return the value it last carried.
 *             BITS records per bit, ERROR records.
 *   address-bus  in the largest aligned power-of-two block of the range:
 *             a byte at the base and at base + 2^k for each k; a write to
 *             one that changes another is an ALIAS record (stuck-high,
 *             stuck-low and shorted bits); where two bits both alias the
 *             base, base + 2^j + 2^k tells two stuck bits from a short.
 *   device    an incrementing count, folded to the width so that every
 *             address bit changes it, then its complement.
 *   patterns  params.patterns, or the default set: 0x00, 0xFF, 0x55/0xAA
 *             checkerboard, 0x5a5a, walking ones, walking zeros, random.
 *   page      bursts across every 1 KiB page boundary in the range, read
 *             and written, checked with bursts that do not cross (only up
 *             to 84 MHz, the datasheets' limit for crossing).
 *   retention write, wait params.hold_ms with CE# high, read.
 *
 * Every mismatch counts in result.errors; the first params.max_errors are
 * sent as ERROR records, each after a second read of the unit
 * (STUB_ERR_TRANSIENT unless it read the same wrong value again). A TEST
 * record ends each test. The status is TEST_ERRORS when anything was
 * wrong. The pieces are in memtest.h.
 */
#include "commands/memtest.h"

#define MT_DEFAULT_CHIP (8U * 1024U * 1024U)
#define MT_MAX_HZ 200000000U

static int check_memtest_params(struct stub_ctx *ctx, struct memtest *m)
{
	const volatile struct stub_params *prm = &ctx->mb->params;
	uint32_t size = prm->chip_size ? prm->chip_size : MT_DEFAULT_CHIP;
	uint32_t len = prm->range_len;
	uint32_t known = STUB_TEST_DATA_BUS | STUB_TEST_ADDRESS_BUS |
			 STUB_TEST_DEVICE | STUB_TEST_PATTERNS |
			 STUB_TEST_PAGE | STUB_TEST_RETENTION |
			 STUB_TEST_LINES | STUB_TEST_ACCESS;
	uint32_t widths = STUB_WIDTH_8 | STUB_WIDTH_16 | STUB_WIDTH_32;

	if (prm->mode == STUB_MODE_MAPPED)
		widths |= STUB_WIDTH_64;
	if (prm->clock_hz == 0U)
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS,
				 STUB_DETAIL_CLOCK_HZ, 0U, prm->kernel_hz);
	if (prm->mode != STUB_MODE_SPI && prm->mode != STUB_MODE_QPI &&
	    prm->mode != STUB_MODE_MAPPED)
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS, STUB_DETAIL_MODE,
				 prm->mode, 0U);
	/* Whole words, and at least two of them for data-bus. */
	if (prm->range_start >= size || len > size - prm->range_start ||
	    len < 8U || (prm->range_start & 3U) || (len & 3U))
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS, STUB_DETAIL_RANGE,
				 prm->range_start, len);
	if (prm->tests == 0U || (prm->tests & ~known) ||
	    prm->widths == 0U || (prm->widths & ~widths))
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS,
				 STUB_DETAIL_TESTS, prm->tests, prm->widths);
	if ((prm->tests & STUB_TEST_ACCESS) && prm->mode != STUB_MODE_MAPPED)
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS,
				 STUB_DETAIL_TESTS, prm->tests, prm->widths);
	if (prm->pattern_count > STUB_PATTERNS_MAX)
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS,
				 STUB_DETAIL_PATTERNS, prm->pattern_count, 0U);
	m->ctx = ctx;
	m->p = &ctx->psram;
	m->start = prm->range_start;
	m->end = prm->range_start + len;
	m->seed = prm->seed;
	m->max_errors = prm->max_errors;
	m->window = prm->xspi_window;
	if (prm->map.mpu > STUB_MPU_WB)
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS, STUB_DETAIL_MODE,
				 prm->mode, prm->map.mpu);
	return STUB_STATUS_OK;
}

static uint32_t count_bits(uint32_t v)
{
	uint32_t n = 0;

	for (; v; v &= v - 1U)
		n++;
	return n;
}

/* Bytes the tests move, for the progress figures. */
static uint64_t work_total(const struct memtest *m, uint32_t tests)
{
	const volatile struct stub_params *prm = &m->ctx->mb->params;
	uint64_t len = m->end - m->start;
	uint64_t per = 0U;
	uint32_t npat = prm->pattern_count ? prm->pattern_count : 7U;

	if (tests & STUB_TEST_DEVICE)
		per += 4U * len;
	if (tests & STUB_TEST_PATTERNS)
		per += 2U * npat * len;
	if (tests & STUB_TEST_PAGE)
		per += 2U * len + 4U * MT_PAGE_HALF * (len / PSRAM_PAGE_BYTES);
	if (tests & STUB_TEST_RETENTION)
		per += 2U * len;
	if (tests & STUB_TEST_ACCESS)
		per += 2U * 5U * 256U;
	return per * count_bits(prm->widths) * (prm->passes ? prm->passes : 1U);
}

static int use_mode(struct memtest *m, uint32_t mode)
{
	int st = mt_leave_qpi(m);

	mt_pace_reset(m);
	if (st != STUB_STATUS_OK)
		return st;
	psram_pick_commands(m->p, mode != STUB_MODE_SPI, &m->read_cmd,
			    &m->write_cmd);
	if (mode == STUB_MODE_SPI)
		return STUB_STATUS_OK;
	st = bus_status(m->ctx, psram_enter_qpi(m->p));
	if (st == STUB_STATUS_OK && mode == STUB_MODE_MAPPED)
		st = mt_map(m);
	return st;
}

static int one_width(struct memtest *m, uint32_t tests)
{
	int st = STUB_STATUS_OK;

	m->mask = mt_unit_mask(m->width);
	m->p->access = (uint8_t)m->width;
	m->wbuf_const = false;
	mt_pace_reset(m);
	if (tests & STUB_TEST_DATA_BUS)
		st = mt_data_bus(m);
	if (st == STUB_STATUS_OK && (tests & STUB_TEST_DEVICE))
		st = mt_device(m);
	if (st == STUB_STATUS_OK && (tests & STUB_TEST_PATTERNS))
		st = mt_patterns(m);
	if (st == STUB_STATUS_OK && (tests & STUB_TEST_PAGE))
		st = mt_page(m);
	if (st == STUB_STATUS_OK && (tests & STUB_TEST_RETENTION))
		st = mt_retention(m);
	m->p->access = 0U;
	return st;
}

static int memtest_run(struct memtest *m)
{
	const volatile struct stub_params *prm = &m->ctx->mb->params;
	uint32_t tests = prm->tests;
	uint32_t passes = prm->passes ? prm->passes : 1U;
	uint32_t widths = prm->widths;
	int st = STUB_STATUS_OK;

	m->total = work_total(m, tests);
	while (m->total >> m->shift > 0xFFFFFFFFU)
		m->shift++;
	if (tests & STUB_TEST_LINES) {
		st = mt_lines(m);
		if (st != STUB_STATUS_OK)
			return st;
	}
	st = use_mode(m, prm->mode);
	if (st == STUB_STATUS_OK && (tests & STUB_TEST_ADDRESS_BUS)) {
		m->width = 1U;
		m->mask = 0xFFU;
		st = mt_address_bus(m);
	}
	if (st == STUB_STATUS_OK && (tests & STUB_TEST_ACCESS))
		st = mt_access(m);
	for (m->pass = 0; m->pass < passes && st == STUB_STATUS_OK; m->pass++)
		for (uint32_t w = 1U; w <= 8U && st == STUB_STATUS_OK; w <<= 1) {
			if (!(widths & (w == 1U   ? STUB_WIDTH_8
					: w == 2U ? STUB_WIDTH_16
					: w == 4U ? STUB_WIDTH_32
						  : STUB_WIDTH_64)))
				continue;
			/* 64 bits: the 32-bit units, two per LDRD/STRD. */
			m->width = w == 8U ? 4U : w;
			m->move = w;
			st = one_width(m, tests);
		}
	m->move = 0U;
	return st;
}

int cmd_memtest(struct stub_ctx *ctx)
{
	struct memtest m = {0};
	int st;

	st = bus_check_params(ctx);
	if (st != STUB_STATUS_OK)
		return st;
	st = check_memtest_params(ctx, &m);
	if (st != STUB_STATUS_OK)
		return st;
	st = bus_clocks_on(ctx);
	if (st != STUB_STATUS_OK)
		return st;
	st = bus_xspi_init(ctx, MT_MAX_HZ);
	if (st != STUB_STATUS_OK)
		return st;
	bus_pins_xspi(ctx);
	st = memtest_run(&m);
	/* Leave the chip in SPI mode, the state every command starts from. */
	if (ctx->psram.qpi && st != STUB_STATUS_OK)
		(void)mt_leave_qpi(&m);
	else if (ctx->psram.qpi)
		st = mt_leave_qpi(&m);
	ctx->psram.cross_pages = false;
	if (st == STUB_STATUS_OK && ctx->mb->result.errors != 0U)
		return STUB_STATUS_TEST_ERRORS;
	return st;
}
