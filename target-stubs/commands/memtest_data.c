/* The array tests' data (patterns, generated per position so that the
 * read pass regenerates what the write pass wrote) and the tests that
 * fill the range and read it back: device, patterns, retention. */
#include "commands/memtest.h"

#include "runtime/sleep.h"

#define HOLD_SLICE_MS 10U

/* A well-mixed function of the unit index: position-repeatable random
 * data (the verify pass regenerates what the fill pass wrote). */
uint32_t mt_mix(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

uint32_t mt_unit_value(const struct memtest *m, const struct pattern *pt,
			   uint32_t i)
{
	uint32_t bits = 8U * m->width;
	uint32_t v;

	switch (pt->kind) {
	case PAT_CONST:
		v = pt->value;
		break;
	case PAT_CHECKER:
		v = (i & 1U) ? ~pt->value : pt->value;
		break;
	case PAT_WALK1:
		v = 1U << (i % bits);
		break;
	case PAT_WALK0:
		v = ~(1U << (i % bits));
		break;
	case PAT_RANDOM:
		v = mt_mix(i ^ mt_mix(pt->value));
		break;
	case PAT_COUNT:
	case PAT_COUNT_INV:
		/* Every byte of the count folded in: a unit whose address
		 * differs in any bit holds a different value. */
		v = i + pt->value;
		if (m->width == 2U)
			v += v >> 16;
		else if (m->width == 1U)
			v += (v >> 8) + (v >> 16) + (v >> 24);
		if (pt->kind == PAT_COUNT_INV)
			v = ~v;
		break;
	default:
		v = 0U;
		break;
	}
	return v & m->mask;
}

void mt_put_unit(uint8_t *buf, uint32_t width, uint32_t v)
{
	if (width == 4U)
		*(uint32_t *)(void *)buf = v;
	else if (width == 2U)
		*(uint16_t *)(void *)buf = (uint16_t)v;
	else
		*buf = (uint8_t)v;
}

uint32_t mt_get_unit(const uint8_t *buf, uint32_t width)
{
	if (width == 4U)
		return *(const uint32_t *)(const void *)buf;
	if (width == 2U)
		return *(const uint16_t *)(const void *)buf;
	return *buf;
}

/* 32-bit units, one loop per kind: the array tests spend a good part of
 * their time here, between bursts. Same values as unit_value. */
static void generate32(const struct pattern *pt, uint32_t i, uint32_t n)
{
	uint32_t v = pt->value, s = mt_mix(pt->value);

	switch (pt->kind) {
	case PAT_CHECKER:
		for (uint32_t k = 0; k < n; k++)
			mt_wbuf[k] = ((i + k) & 1U) ? ~v : v;
		break;
	case PAT_WALK1:
		for (uint32_t k = 0; k < n; k++)
			mt_wbuf[k] = 1U << ((i + k) & 31U);
		break;
	case PAT_WALK0:
		for (uint32_t k = 0; k < n; k++)
			mt_wbuf[k] = ~(1U << ((i + k) & 31U));
		break;
	case PAT_RANDOM:
		for (uint32_t k = 0; k < n; k++)
			mt_wbuf[k] = mt_mix((i + k) ^ s);
		break;
	case PAT_COUNT:
		for (uint32_t k = 0; k < n; k++)
			mt_wbuf[k] = i + k + v;
		break;
	case PAT_COUNT_INV:
		for (uint32_t k = 0; k < n; k++)
			mt_wbuf[k] = ~(i + k + v);
		break;
	default:
		for (uint32_t k = 0; k < n; k++)
			mt_wbuf[k] = v;
		break;
	}
}

/* The expected contents of [off, off + n) into mt_wbuf. */
void mt_generate(struct memtest *m, const struct pattern *pt,
		     uint32_t off, uint32_t n)
{
	uint8_t *b = (uint8_t *)mt_wbuf;
	uint32_t i = off / m->width;

	if (pt->kind == PAT_CONST) {
		if (m->wbuf_const && m->wbuf_value == pt->value &&
		    m->wbuf_width == m->width)
			return;
		n = MT_CHUNK;
		m->wbuf_const = true;
		m->wbuf_value = pt->value;
		m->wbuf_width = m->width;
	} else {
		m->wbuf_const = false;
	}
	if (m->width == 4U) {
		generate32(pt, i, n / 4U);
		return;
	}
	for (uint32_t k = 0; k < n; k += m->width)
		mt_put_unit(b + k, m->width, mt_unit_value(m, pt, i++));
}

/* The first word from i on where a and b differ, or n: four words a
 * step, since this loop runs once for every word the tests read. */
static uint32_t first_difference(const uint32_t *a, const uint32_t *b,
				 uint32_t i, uint32_t n)
{
	for (; i + 4U <= n; i += 4U)
		if ((a[i] ^ b[i]) | (a[i + 1U] ^ b[i + 1U]) |
		    (a[i + 2U] ^ b[i + 2U]) | (a[i + 3U] ^ b[i + 3U]))
			break;
	for (; i < n; i++)
		if (a[i] != b[i])
			break;
	return i;
}

int mt_compare(struct memtest *m, uint32_t off, const uint8_t *want,
		   const uint8_t *got, uint32_t n, uint32_t width)
{
	const uint32_t *w = (const uint32_t *)(const void *)want;
	const uint32_t *g = (const uint32_t *)(const void *)got;
	int st;

	m->test_bytes += n;
	for (uint32_t k = 0; k < n / 4U; k++) {
		k = first_difference(w, g, k, n / 4U);
		if (k == n / 4U)
			break;
		for (uint32_t u = 4U * k; u < 4U * k + 4U; u += width) {
			uint32_t a = mt_get_unit(want + u, width);
			uint32_t b = mt_get_unit(got + u, width);

			if (a == b)
				continue;
			st = mt_report_error(m, off + u, width, a, b, 0U);
			if (st != STUB_STATUS_OK)
				return st;
		}
	}
	return STUB_STATUS_OK;
}

/* Chunks of the range: never across a page. */
uint32_t mt_chunk_len(const struct memtest *m, uint32_t off)
{
	uint32_t room = MT_CHUNK - (off & (MT_CHUNK - 1U));

	return m->end - off < room ? m->end - off : room;
}

int mt_fill(struct memtest *m, const struct pattern *pt)
{
	for (uint32_t off = m->start; off < m->end;) {
		uint32_t n = mt_chunk_len(m, off);
		int st;

		mt_generate(m, pt, off, n);
		st = mt_chip_write(m, off, mt_wbuf, n);
		if (st == STUB_STATUS_OK)
			st = mt_progress(m, n);
		if (st != STUB_STATUS_OK)
			return st;
		off += n;
	}
	return STUB_STATUS_OK;
}

int mt_verify(struct memtest *m, const struct pattern *pt)
{
	for (uint32_t off = m->start; off < m->end;) {
		uint32_t n = mt_chunk_len(m, off);
		int st;

		mt_generate(m, pt, off, n);
		st = mt_chip_read(m, off, mt_rbuf, n);
		if (st == STUB_STATUS_OK)
			st = mt_compare(m, off, (const uint8_t *)mt_wbuf,
				     (const uint8_t *)mt_rbuf, n, m->width);
		if (st == STUB_STATUS_OK)
			st = mt_progress(m, n);
		if (st != STUB_STATUS_OK)
			return st;
		off += n;
	}
	return STUB_STATUS_OK;
}

int mt_fill_verify(struct memtest *m, const struct pattern *pt)
{
	int st = mt_fill(m, pt);

	return st == STUB_STATUS_OK ? mt_verify(m, pt) : st;
}

/* ---- device, patterns, retention ---------------------------------------*/

int mt_device(struct memtest *m)
{
	struct pattern up = {PAT_COUNT, m->seed};
	struct pattern down = {PAT_COUNT_INV, m->seed};
	int st;

	mt_test_begin(m, STUB_TEST_DEVICE);
	st = mt_fill_verify(m, &up);
	if (st == STUB_STATUS_OK)
		st = mt_fill_verify(m, &down);
	return st == STUB_STATUS_OK ? mt_test_end(m, m->width, m->test_bytes) : st;
}

static uint32_t default_patterns(const struct memtest *m, struct pattern *pt)
{
	static const struct pattern set[] = {
		{PAT_CONST, 0x00000000U},
		{PAT_CONST, 0xFFFFFFFFU},
		{PAT_CHECKER, 0x55555555U},
		{PAT_CONST, 0x5a5a5a5aU},
		{PAT_WALK1, 0U},
		{PAT_WALK0, 0U},
		{PAT_RANDOM, 0U},
	};
	uint32_t n = sizeof(set) / sizeof(set[0]);

	for (uint32_t i = 0; i < n; i++)
		pt[i] = set[i];
	pt[n - 1U].value = m->seed + m->pass;
	return n;
}

int mt_patterns(struct memtest *m)
{
	const volatile struct stub_params *prm = &m->ctx->mb->params;
	struct pattern pt[STUB_PATTERNS_MAX];
	uint32_t count = prm->pattern_count;
	int st = STUB_STATUS_OK;

	mt_test_begin(m, STUB_TEST_PATTERNS);
	if (count == 0U) {
		count = default_patterns(m, pt);
	} else {
		for (uint32_t i = 0; i < count; i++) {
			pt[i].kind = PAT_CONST;
			pt[i].value = prm->patterns[i];
		}
	}
	for (uint32_t i = 0; i < count && st == STUB_STATUS_OK; i++)
		st = mt_fill_verify(m, &pt[i]);
	return st == STUB_STATUS_OK ? mt_test_end(m, m->width, m->test_bytes) : st;
}

int mt_retention(struct memtest *m)
{
	struct pattern pt = {PAT_RANDOM, ~m->seed + m->pass};
	uint32_t ms = m->ctx->mb->params.hold_ms;
	int st;

	mt_test_begin(m, STUB_TEST_RETENTION);
	st = mt_fill(m, &pt);
	/* Asleep (runtime/sleep.h), looking for a stop request every
	 * HOLD_SLICE_MS. */
	for (uint32_t done = 0, n; done < ms && st == STUB_STATUS_OK;
	     done += n) {
		n = ms - done < HOLD_SLICE_MS ? ms - done : HOLD_SLICE_MS;
		sleep_us(&m->ctx->timer, n * 1000U);
		st = mt_stopped(m);
	}
	if (st == STUB_STATUS_OK)
		st = mt_verify(m, &pt);
	return st == STUB_STATUS_OK ? mt_test_end(m, m->width, m->test_bytes) : st;
}
