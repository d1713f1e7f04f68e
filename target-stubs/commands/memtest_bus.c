/* The bus tests: data-bus (walking 1s and 0s, per-bit counts) and
 * address-bus (aliases at power-of-two offsets). */
#include "commands/memtest.h"

#define MT_DATA_BUS_PAIRS 8U
#define MT_ADDR_P 0x55U
#define MT_ADDR_BITS_MAX 28U	/* the 256 MiB window */

/* data-bus counters per bit of the unit */
static uint32_t bit_n0[32], bit_n1[32], bit_e01[32], bit_e10[32];

/* ---- data bus ----------------------------------------------------------*/

static void bits_count(const struct memtest *m, uint32_t written,
		       uint32_t got)
{
	for (uint32_t k = 0; k < 8U * m->width; k++) {
		uint32_t w = (written >> k) & 1U;
		uint32_t g = (got >> k) & 1U;

		if (w) {
			bit_n1[k]++;
			bit_e10[k] += g ^ 1U;
		} else {
			bit_n0[k]++;
			bit_e01[k] += g;
		}
	}
}

uint32_t mt_sat16(uint32_t v)
{
	return v > 0xFFFFU ? 0xFFFFU : v;
}

static int bits_report(struct memtest *m)
{
	for (uint32_t k = 0; k < 8U * m->width; k++) {
		struct stub_record rec = {
			.type = STUB_REC_BITS,
			.width = (uint8_t)m->width,
			.code = (uint16_t)k,
			.a = mt_sat16(bit_n0[k]) | mt_sat16(bit_n1[k]) << 16,
			.b = bit_e01[k],
			.c = bit_e10[k],
		};
		int st = ring_put(m->ctx, &rec);

		if (st != STUB_STATUS_OK)
			return st;
	}
	return STUB_STATUS_OK;
}

static int data_bus_step(struct memtest *m, uint32_t a, uint32_t b,
			 uint32_t v)
{
	uint8_t out[4], in[4];
	uint32_t got, again;
	int transient, st;

	mt_put_unit(out, m->width, v);
	st = mt_chip_write(m, a, out, m->width);
	if (st != STUB_STATUS_OK)
		return st;
	mt_put_unit(out, m->width, ~v & m->mask);
	st = mt_chip_write(m, b, out, m->width);
	if (st != STUB_STATUS_OK)
		return st;
	st = mt_chip_read(m, a, in, m->width);
	if (st != STUB_STATUS_OK)
		return st;
	got = mt_get_unit(in, m->width);
	m->test_bytes += m->width;
	if (got == v) {
		bits_count(m, v, got);
		return STUB_STATUS_OK;
	}
	if (got == (~v & m->mask))
		return mt_report_error(m, a, m->width, v, got, STUB_ERR_ECHO);
	/* A line fault reads wrong every time; a bit that flipped once is
	 * no evidence about the lines. */
	st = mt_read_again(m, a, m->width, &again);
	if (st != STUB_STATUS_OK)
		return st;
	transient = again == v;
	if (!transient)
		bits_count(m, v, got);
	return mt_report_error(m, a, m->width, v, got,
			    MT_ERR_KNOWN |
				    (transient ? STUB_ERR_TRANSIENT : 0U));
}

int mt_data_bus(struct memtest *m)
{
	uint32_t len = m->end - m->start;
	uint32_t units = len / m->width;
	int st;

	mt_test_begin(m, STUB_TEST_DATA_BUS);
	for (uint32_t k = 0; k < 32U; k++)
		bit_n0[k] = bit_n1[k] = bit_e01[k] = bit_e10[k] = 0U;
	for (uint32_t p = 0; p < MT_DATA_BUS_PAIRS; p++) {
		uint32_t ia = units / MT_DATA_BUS_PAIRS * p + p;
		uint32_t ib = (ia + units / 2U) % units;
		uint32_t a = m->start + (ia % units) * m->width;
		uint32_t b = m->start + ib * m->width;

		if (a == b)
			b = m->start + ((ia + 1U) % units) * m->width;
		for (uint32_t k = 0; k < 8U * m->width; k++) {
			st = data_bus_step(m, a, b, 1U << k);
			if (st == STUB_STATUS_OK)
				st = data_bus_step(m, a, b,
						   ~(1U << k) & m->mask);
			if (st != STUB_STATUS_OK)
				return st;
		}
		st = mt_stopped(m);
		if (st != STUB_STATUS_OK)
			return st;
	}
	st = bits_report(m);
	return st == STUB_STATUS_OK ? mt_test_end(m, m->width, m->test_bytes) : st;
}

/* ---- address bus -------------------------------------------------------*/

static int put_byte(struct memtest *m, uint32_t off, uint8_t v)
{
	return mt_chip_write(m, off, &v, 1U);
}

static int get_byte(struct memtest *m, uint32_t off, uint8_t *v)
{
	return mt_chip_read(m, off, v, 1U);
}

static int alias(struct memtest *m, uint32_t written, uint32_t changed,
		 uint32_t base)
{
	struct stub_record rec = {
		.type = STUB_REC_ALIAS,
		.code = m->test,
		.a = written,
		.b = changed,
		.c = base,
	};

	m->test_errors++;
	m->ctx->mb->result.errors++;
	return ring_put(m->ctx, &rec);
}

/* Checks that base + 2^k (k < n, k != skip) and, unless skip == n, the
 * base still hold MT_ADDR_P after ~MT_ADDR_P went to `written`. One that
 * holds ~MT_ADDR_P, twice, is an alias of `written`; any other value is
 * a bad bit at that address (an ERROR record, as the array tests report
 * them), not an address fault. Returns the offsets that alias as a bit
 * mask in *changed (bit n = the base). */
static int addr_check(struct memtest *m, uint32_t base, uint32_t n,
		      uint32_t skip, uint32_t written, uint32_t *changed)
{
	uint8_t v;
	int st;

	*changed = 0U;
	for (uint32_t k = 0; k <= n; k++) {
		uint32_t off = k == n ? base : base + (1U << k);

		if (k == skip)
			continue;
		st = get_byte(m, off, &v);
		if (st != STUB_STATUS_OK)
			return st;
		if (v == (uint8_t)MT_ADDR_P)
			continue;
		if (v != (uint8_t)~MT_ADDR_P) {
			st = mt_report_error(m, off, 1U, MT_ADDR_P, v, 0U);
			if (st != STUB_STATUS_OK)
				return st;
			continue;
		}
		/* An alias holds what was written; a read that only flipped
		 * does not come back. */
		st = get_byte(m, off, &v);
		if (st != STUB_STATUS_OK)
			return st;
		if (v != (uint8_t)~MT_ADDR_P)
			continue;
		*changed |= 1U << k;
		st = alias(m, written, off, base);
		if (st != STUB_STATUS_OK)
			return st;
	}
	return STUB_STATUS_OK;
}

int mt_address_bus(struct memtest *m)
{
	uint32_t n = MT_ADDR_BITS_MAX, base = 0U, to_base = 0U, changed;
	const uint8_t p = (uint8_t)MT_ADDR_P, q = (uint8_t)~MT_ADDR_P;
	int st;

	mt_test_begin(m, STUB_TEST_ADDRESS_BUS);
	/* The largest aligned power-of-two block inside the range. */
	for (;; n--) {
		uint32_t size = 1U << n;

		base = (m->start + size - 1U) & ~(size - 1U);
		if (base >= m->start && base + size <= m->end && base + size > base)
			break;
		if (n == 0U)
			break;
	}
	/* Stage 1: a write to the base must not reach base + 2^k. */
	for (uint32_t k = 0; k < n; k++) {
		st = put_byte(m, base + (1U << k), p);
		if (st != STUB_STATUS_OK)
			return st;
	}
	st = put_byte(m, base, q);
	if (st == STUB_STATUS_OK)
		st = addr_check(m, base, n, n, base, &changed);
	if (st != STUB_STATUS_OK)
		return st;
	/* Stage 2: a write to base + 2^j must reach neither the base nor
	 * any other base + 2^k. */
	st = put_byte(m, base, p);
	if (st != STUB_STATUS_OK)
		return st;
	for (uint32_t j = 0; j < n; j++) {
		uint32_t off = base + (1U << j);

		st = put_byte(m, off, q);
		if (st == STUB_STATUS_OK)
			st = addr_check(m, base, n, j, off, &changed);
		if (st == STUB_STATUS_OK)
			st = put_byte(m, off, p);
		if (st == STUB_STATUS_OK && changed) {
			/* Put back whatever the write reached. */
			for (uint32_t k = 0; k <= n && st == STUB_STATUS_OK;
			     k++)
				if (changed & (1U << k))
					st = put_byte(m, k == n ? base
							: base + (1U << k), p);
		}
		if (st == STUB_STATUS_OK)
			st = mt_stopped(m);
		if (st != STUB_STATUS_OK)
			return st;
		if (changed & (1U << n))
			to_base |= 1U << j;
	}
	/* Stage 3: two bits that both alias the base are two stuck bits if
	 * base + 2^j + 2^k aliases it too, else tied to each other. */
	for (uint32_t j = 0; j < n; j++) {
		for (uint32_t k = j + 1U; k < n; k++) {
			uint32_t off = base + (1U << j) + (1U << k);
			uint8_t v;

			if (!(to_base & (1U << j)) || !(to_base & (1U << k)))
				continue;
			st = put_byte(m, base, p);
			if (st == STUB_STATUS_OK)
				st = put_byte(m, off, q);
			if (st == STUB_STATUS_OK)
				st = get_byte(m, base, &v);
			if (st == STUB_STATUS_OK && v == q)
				st = get_byte(m, base, &v);
			if (st == STUB_STATUS_OK && v == q)
				st = alias(m, off, base, base);
			if (st != STUB_STATUS_OK)
				return st;
		}
	}
	return mt_test_end(m, 1U, n >= 32U ? 0xFFFFFFFFU : (1U << n) - 1U);
}
