/* The page test: bursts across every 1 KiB page boundary of the range. */
#include "commands/memtest.h"

/* ---- page crossing -----------------------------------------------------
 * X fills the range with bursts inside pages. Then around every page
 * boundary B inside the range, [B-H, B+H) is read in one call (some burst
 * crosses B: H is odd and not a multiple of 3, and psram_read cuts bursts
 * at multiples of 4 from its start, or at 1, 2 or 3 bytes) and compared
 * with X, and written with Y the same way. Reading the range back page by
 * page must give X with Y in every window: a chip that wraps within the
 * page on a crossing write leaves X after B and Y at the start of the
 * page before. */

static uint8_t page_y(const struct memtest *m, uint32_t off)
{
	return (uint8_t)mt_mix(off ^ ~m->seed ^ m->pass << 24);
}

static uint32_t first_boundary(const struct memtest *m)
{
	return (m->start + MT_PAGE_HALF + PSRAM_PAGE_BYTES - 1U) &
	       ~(PSRAM_PAGE_BYTES - 1U);
}

static bool window_fits(const struct memtest *m, uint32_t b)
{
	return b - m->start >= MT_PAGE_HALF && m->end - b >= MT_PAGE_HALF;
}

static int page_cross_reads(struct memtest *m, const struct pattern *x)
{
	uint8_t *want = (uint8_t *)mt_wbuf, *got = (uint8_t *)mt_rbuf;
	const uint32_t h = MT_PAGE_HALF;
	int st;

	m->wbuf_const = false;
	for (uint32_t b = first_boundary(m); b < m->end && window_fits(m, b);
	     b += PSRAM_PAGE_BYTES) {
		m->p->cross_pages = true;
		st = mt_chip_read(m, b - h, got, 2U * h);
		m->p->cross_pages = false;
		if (st != STUB_STATUS_OK)
			return st;
		for (uint32_t i = 0; i < 2U * h; i++) {
			uint32_t off = b - h + i;
			uint32_t u = off / m->width;
			uint32_t v = mt_unit_value(m, x, u);

			want[i] = (uint8_t)(v >> 8U * (off % m->width));
			m->test_bytes++;
			if (want[i] != got[i]) {
				st = mt_report_error(m, off, 1U, want[i], got[i],
						  0U);
				if (st != STUB_STATUS_OK)
					return st;
			}
		}
		st = mt_progress(m, 2U * h);
		if (st != STUB_STATUS_OK)
			return st;
	}
	return STUB_STATUS_OK;
}

static int page_cross_writes(struct memtest *m)
{
	uint8_t *y = (uint8_t *)mt_wbuf;
	const uint32_t h = MT_PAGE_HALF;
	int st;

	m->wbuf_const = false;
	for (uint32_t b = first_boundary(m); b < m->end && window_fits(m, b);
	     b += PSRAM_PAGE_BYTES) {
		for (uint32_t i = 0; i < 2U * h; i++)
			y[i] = page_y(m, b - h + i);
		m->p->cross_pages = true;
		st = mt_chip_write(m, b - h, y, 2U * h);
		m->p->cross_pages = false;
		if (st == STUB_STATUS_OK)
			st = mt_progress(m, 2U * h);
		if (st != STUB_STATUS_OK)
			return st;
	}
	return STUB_STATUS_OK;
}

/* X with Y in the windows around the boundaries inside the range. */
static bool in_window(const struct memtest *m, uint32_t off)
{
	uint32_t in_page = off & (PSRAM_PAGE_BYTES - 1U);
	uint32_t b = in_page < PSRAM_PAGE_BYTES / 2U
			     ? off - in_page
			     : off - in_page + PSRAM_PAGE_BYTES;

	if (b < first_boundary(m) || !window_fits(m, b) || b >= m->end)
		return false;
	return off + MT_PAGE_HALF >= b && off < b + MT_PAGE_HALF;
}

static int page_verify(struct memtest *m, const struct pattern *x)
{
	uint8_t *want = (uint8_t *)mt_wbuf, *got = (uint8_t *)mt_rbuf;

	for (uint32_t off = m->start; off < m->end;) {
		uint32_t n = mt_chunk_len(m, off);
		int st;

		mt_generate(m, x, off, n);
		m->wbuf_const = false;
		for (uint32_t i = 0; i < n; i++)
			if (in_window(m, off + i))
				want[i] = page_y(m, off + i);
		st = mt_chip_read(m, off, got, n);
		if (st != STUB_STATUS_OK)
			return st;
		for (uint32_t i = 0; i < n; i++) {
			m->test_bytes++;
			if (want[i] == got[i])
				continue;
			st = mt_report_error(m, off + i, 1U, want[i], got[i], 0U);
			if (st != STUB_STATUS_OK)
				return st;
		}
		st = mt_progress(m, n);
		if (st != STUB_STATUS_OK)
			return st;
		off += n;
	}
	return STUB_STATUS_OK;
}

int mt_page(struct memtest *m)
{
	struct pattern x = {PAT_RANDOM, m->seed ^ 0x5a5a5a5aU ^ m->pass};
	int st;

	mt_test_begin(m, STUB_TEST_PAGE);
	/* docs/psram-chips.md §4: crossing is guaranteed only up to 84 MHz;
	 * beyond it the stub never crosses, so there is nothing to test. */
	if (m->p->clock_hz > PSRAM_PAGE_CROSS_MAX_HZ)
		return mt_test_end(m, m->width, 0U);
	st = mt_fill(m, &x);
	if (st == STUB_STATUS_OK)
		st = page_cross_reads(m, &x);
	if (st == STUB_STATUS_OK)
		st = page_cross_writes(m);
	if (st == STUB_STATUS_OK)
		st = page_verify(m, &x);
	return st == STUB_STATUS_OK ? mt_test_end(m, m->width, m->test_bytes) : st;
}
