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
 * Tests (hardware-facts §6 for the chip; the classic forms after Barr,
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
 * (STUB_ERR_TRANSIENT when that read was right). A TEST record ends each
 * test. The status is TEST_ERRORS when anything was wrong.
 */
#include "bus.h"
#include "psram.h"
#include "ring.h"

#define MT_CHUNK PSRAM_PAGE_BYTES
#define MT_PROGRESS_STEP 65536U
#define MT_DATA_BUS_PAIRS 8U
#define MT_ADDR_P 0x55U
#define MT_LINES_READS 1024U
#define MT_LINES_BYTES 32U
#define MT_PAGE_HALF 7U		/* odd and not a multiple of 3: see page */
#define MT_DEFAULT_CHIP (8U * 1024U * 1024U)
#define MT_ADDR_BITS_MAX 28U	/* the 256 MiB window */
#define MT_MAX_HZ 200000000U

enum pat_kind {
	PAT_CONST,
	PAT_CHECKER,
	PAT_WALK1,
	PAT_WALK0,
	PAT_RANDOM,
	PAT_COUNT,
	PAT_COUNT_INV,
};

struct pattern {
	uint8_t kind;
	uint32_t value;
};

enum { MT_READ, MT_WRITE };

struct mt_pace {
	uint32_t n0, c0;	/* a one-unit transfer: bytes, CPU cycles */
	uint32_t n;		/* the longest timed since, in bytes */
	uint32_t slope16;	/* CPU cycles per further byte ×16, 0: unknown */
	bool wire_bound;	/* the CPU keeps up with the wire */
};

struct memtest {
	struct stub_ctx *ctx;
	struct psram *p;
	uint32_t read_cmd, write_cmd;
	uint32_t start, end;		/* the range */
	uint32_t width;			/* unit bytes */
	uint32_t mask;			/* unit bits */
	uint32_t pass;
	uint32_t seed;
	uint32_t max_errors, sent;
	uint32_t test_errors;		/* units wrong in the current test */
	uint32_t test_bytes;		/* bytes checked in the current test */
	uint32_t test_start;		/* CYCCNT */
	uint64_t done, total;		/* progress: bytes moved */
	uint64_t next_progress;
	uint32_t shift;			/* total >> shift fits a record */
	uint16_t test;			/* test bit number */
	struct mt_pace pace[2];		/* MT_READ, MT_WRITE */
	/* What wbuf holds: position-independent data may be reused. */
	bool wbuf_const;
	uint32_t wbuf_value;
	uint32_t wbuf_width;
};

static uint32_t wbuf[MT_CHUNK / 4U];
static uint32_t rbuf[MT_CHUNK / 4U];

/* data-bus counters per bit of the unit */
static uint32_t bit_n0[32], bit_n1[32], bit_e01[32], bit_e10[32];

static uint32_t unit_mask(uint32_t width)
{
	return width == 4U ? 0xFFFFFFFFU : (1U << (8U * width)) - 1U;
}

static uint32_t bit_number(uint32_t test_bit)
{
	uint32_t n = 0;

	while (test_bit > 1U) {
		test_bit >>= 1;
		n++;
	}
	return n;
}

/* A well-mixed function of the unit index: position-repeatable random
 * data (the verify pass regenerates what the fill pass wrote). */
static uint32_t mix(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

static uint32_t unit_value(const struct memtest *m, const struct pattern *pt,
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
		v = mix(i ^ mix(pt->value));
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

static void put_unit(uint8_t *buf, uint32_t width, uint32_t v)
{
	if (width == 4U)
		*(uint32_t *)(void *)buf = v;
	else if (width == 2U)
		*(uint16_t *)(void *)buf = (uint16_t)v;
	else
		*buf = (uint8_t)v;
}

static uint32_t get_unit(const uint8_t *buf, uint32_t width)
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
	uint32_t v = pt->value, s = mix(pt->value);

	switch (pt->kind) {
	case PAT_CHECKER:
		for (uint32_t k = 0; k < n; k++)
			wbuf[k] = ((i + k) & 1U) ? ~v : v;
		break;
	case PAT_WALK1:
		for (uint32_t k = 0; k < n; k++)
			wbuf[k] = 1U << ((i + k) & 31U);
		break;
	case PAT_WALK0:
		for (uint32_t k = 0; k < n; k++)
			wbuf[k] = ~(1U << ((i + k) & 31U));
		break;
	case PAT_RANDOM:
		for (uint32_t k = 0; k < n; k++)
			wbuf[k] = mix((i + k) ^ s);
		break;
	case PAT_COUNT:
		for (uint32_t k = 0; k < n; k++)
			wbuf[k] = i + k + v;
		break;
	case PAT_COUNT_INV:
		for (uint32_t k = 0; k < n; k++)
			wbuf[k] = ~(i + k + v);
		break;
	default:
		for (uint32_t k = 0; k < n; k++)
			wbuf[k] = v;
		break;
	}
}

/* The expected contents of [off, off + n) into wbuf. */
static void generate(struct memtest *m, const struct pattern *pt,
		     uint32_t off, uint32_t n)
{
	uint8_t *b = (uint8_t *)wbuf;
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
		put_unit(b + k, m->width, unit_value(m, pt, i++));
}

static int stopped(const struct memtest *m)
{
	return stub_stop_requested(m->ctx) ? STUB_STATUS_STOPPED
					    : STUB_STATUS_OK;
}

static int progress(struct memtest *m, uint32_t bytes)
{
	int st;

	m->done += bytes;
	if (m->done < m->next_progress && m->done < m->total)
		return stopped(m);
	m->next_progress = m->done + MT_PROGRESS_STEP;
	st = ring_progress(m->ctx, m->test, (uint32_t)(m->done >> m->shift),
			   (uint32_t)(m->total >> m->shift), m->pass);
	return st == STUB_STATUS_OK ? stopped(m) : st;
}

/* ---- tCEM with the CPU in the loop -------------------------------------
 * A burst holds CE# low while the CPU serves the FIFO: with byte or
 * halfword DR accesses the CPU can be slower than the wire, and a FIFO
 * that runs dry (write) or full (read) stops CLK with CE# still low
 * (hardware-facts §4.5), past tCEM if the burst is long (§6.3). So the
 * transfers are timed: a one-unit transfer gives the fixed cost of a call,
 * a longer one the CPU cycles each further byte costs, and transfers are
 * then cut to what fits in 7/8 of tCEM at that rate (with a quarter more
 * in hand while the lengths compared are short). Once a byte is seen to
 * cost no more than the wire takes to move it, the PSRAM layer's own
 * bursts stand. */

#define PACE_PROBE 12U
#define PACE_PRECISE 32U	/* bytes between the two timings */

/* CPU cycles per CLK cycle, ×16. */
static uint32_t cpu_per_clk16(const struct memtest *m)
{
	return (uint32_t)((uint64_t)m->ctx->timer.cycles_per_us * 16000000U /
			  m->p->clock_hz);
}

/* CLK cycles of a transfer before its data, and per data byte
 * (hardware-facts §6.6), plus a CLK of nCS setup and one of hold. */
static void op_clocks(const struct memtest *m, uint32_t dir,
		      uint32_t *header, uint32_t *per_byte)
{
	if (m->p->qpi) {
		*header = dir == MT_READ ? 2U + 6U + 6U + 2U : 2U + 6U + 2U;
		*per_byte = 2U;
	} else {
		*header = 8U + 24U + 2U +
			  (dir == MT_READ && m->read_cmd == PSRAM_CMD_FAST_READ
				   ? 8U : 0U);
		*per_byte = 8U;
	}
}

static uint32_t pace_max(const struct memtest *m, uint32_t dir)
{
	const struct mt_pace *pc = &m->pace[dir];
	uint32_t budget = psram_timing(m->ctx->mb->params.chip)->tcem_ns *
			  m->ctx->timer.cycles_per_us / 1000U;
	uint32_t header, per_byte, slope16 = pc->slope16;
	uint32_t n;

	if (pc->wire_bound)
		return 0xFFFFFFFFU;
	if (pc->n0 == 0U)
		return m->width;
	if (slope16 == 0U)
		return PACE_PROBE;
	if (pc->n - pc->n0 < PACE_PRECISE)
		slope16 += slope16 / 4U;
	op_clocks(m, dir, &header, &per_byte);
	budget -= budget / 8U;
	header = header * cpu_per_clk16(m) / 16U;
	if (budget <= header)
		return m->width;
	n = (uint32_t)((uint64_t)(budget - header) * 16U / slope16);
	n -= n % m->width;
	return n ? n : m->width;
}

static void pace_note(struct memtest *m, uint32_t dir, uint32_t n,
		      uint32_t cycles)
{
	struct mt_pace *pc = &m->pace[dir];
	uint32_t header, per_byte, wire16;

	if (pc->n0 == 0U) {
		pc->n0 = n;
		pc->c0 = cycles;
		return;
	}
	if (n <= pc->n0 || (pc->slope16 && n < pc->n))
		return;
	op_clocks(m, dir, &header, &per_byte);
	wire16 = per_byte * cpu_per_clk16(m);
	pc->n = n;
	pc->slope16 = cycles > pc->c0 ? (uint32_t)((uint64_t)(cycles - pc->c0) *
						    16U / (n - pc->n0))
				      : 0U;
	/* No byte moves faster than the wire. */
	if (pc->slope16 < wire16)
		pc->slope16 = wire16;
	if (n - pc->n0 >= PACE_PRECISE &&
	    pc->slope16 <= wire16 + wire16 / 8U)
		pc->wire_bound = true;
}

static int chip_xfer(struct memtest *m, uint32_t dir, uint32_t off,
		     uint8_t *in, const uint8_t *out, uint32_t len)
{
	while (len != 0U) {
		uint32_t max = pace_max(m, dir);
		uint32_t n = max < len ? max : len;
		uint32_t t0 = timer_now();
		int st;

		st = dir == MT_READ
			     ? psram_read(m->p, m->read_cmd, off, in, n)
			     : psram_write(m->p, m->write_cmd, off, out, n);
		if (st != STUB_STATUS_OK)
			return bus_status(m->ctx, st);
		pace_note(m, dir, n, timer_now() - t0);
		off += n;
		len -= n;
		if (in)
			in += n;
		if (out)
			out += n;
	}
	return STUB_STATUS_OK;
}

static void pace_reset(struct memtest *m)
{
	m->pace[MT_READ] = (struct mt_pace){0U, 0U, 0U, 0U, false};
	m->pace[MT_WRITE] = (struct mt_pace){0U, 0U, 0U, 0U, false};
}

static int chip_write(struct memtest *m, uint32_t off, const void *buf,
		      uint32_t n)
{
	return chip_xfer(m, MT_WRITE, off, NULL, buf, n);
}

static int chip_read(struct memtest *m, uint32_t off, void *buf, uint32_t n)
{
	return chip_xfer(m, MT_READ, off, buf, NULL, n);
}

/* A second read of a unit that read wrong. */
static int read_again(struct memtest *m, uint32_t off, uint32_t width,
		      uint32_t *again)
{
	uint8_t buf[4];
	int st = chip_read(m, off, buf, width);

	*again = get_unit(buf, width);
	return st;
}

/* One wrong unit: counted always, reported while under max_errors after
 * a second read tells a lasting fault (the same wrong value again) from a
 * transient one (unless flags already say, STUB_ERR_KNOWN). */
#define STUB_ERR_KNOWN 0x8000U

static int report_error(struct memtest *m, uint32_t off, uint32_t width,
			uint32_t written, uint32_t got, uint32_t flags)
{
	struct stub_record rec = {
		.type = STUB_REC_ERROR,
		.width = (uint8_t)width,
		.a = off,
		.b = written,
		.c = got,
	};
	uint32_t again;
	int st;

	m->test_errors++;
	m->ctx->mb->result.errors++;
	if (m->sent >= m->max_errors)
		return STUB_STATUS_OK;
	m->sent++;
	if (!(flags & STUB_ERR_KNOWN)) {
		st = read_again(m, off, width, &again);
		if (st != STUB_STATUS_OK)
			return st;
		if (again != got)
			flags |= STUB_ERR_TRANSIENT;
	}
	rec.code = (uint16_t)(m->test | (flags & ~STUB_ERR_KNOWN));
	return ring_put(m->ctx, &rec);
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

static int compare(struct memtest *m, uint32_t off, const uint8_t *want,
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
			uint32_t a = get_unit(want + u, width);
			uint32_t b = get_unit(got + u, width);

			if (a == b)
				continue;
			st = report_error(m, off + u, width, a, b, 0U);
			if (st != STUB_STATUS_OK)
				return st;
		}
	}
	return STUB_STATUS_OK;
}

/* Chunks of the range: never across a page. */
static uint32_t chunk_len(const struct memtest *m, uint32_t off)
{
	uint32_t room = MT_CHUNK - (off & (MT_CHUNK - 1U));

	return m->end - off < room ? m->end - off : room;
}

static int fill(struct memtest *m, const struct pattern *pt)
{
	for (uint32_t off = m->start; off < m->end;) {
		uint32_t n = chunk_len(m, off);
		int st;

		generate(m, pt, off, n);
		st = chip_write(m, off, wbuf, n);
		if (st == STUB_STATUS_OK)
			st = progress(m, n);
		if (st != STUB_STATUS_OK)
			return st;
		off += n;
	}
	return STUB_STATUS_OK;
}

static int verify(struct memtest *m, const struct pattern *pt)
{
	for (uint32_t off = m->start; off < m->end;) {
		uint32_t n = chunk_len(m, off);
		int st;

		generate(m, pt, off, n);
		st = chip_read(m, off, rbuf, n);
		if (st == STUB_STATUS_OK)
			st = compare(m, off, (const uint8_t *)wbuf,
				     (const uint8_t *)rbuf, n, m->width);
		if (st == STUB_STATUS_OK)
			st = progress(m, n);
		if (st != STUB_STATUS_OK)
			return st;
		off += n;
	}
	return STUB_STATUS_OK;
}

static int fill_verify(struct memtest *m, const struct pattern *pt)
{
	int st = fill(m, pt);

	return st == STUB_STATUS_OK ? verify(m, pt) : st;
}

static void test_begin(struct memtest *m, uint32_t test_bit)
{
	m->test = (uint16_t)bit_number(test_bit);
	m->test_errors = 0U;
	m->test_bytes = 0U;
	m->test_start = timer_now();
}

static int test_end(struct memtest *m, uint32_t width, uint32_t checked)
{
	struct stub_record rec = {
		.type = STUB_REC_TEST,
		.width = (uint8_t)width,
		.code = m->test,
		.a = checked,
		.b = m->test_errors,
		.c = timer_now() - m->test_start,
	};

	return ring_put(m->ctx, &rec);
}

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

static uint32_t sat16(uint32_t v)
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
			.a = sat16(bit_n0[k]) | sat16(bit_n1[k]) << 16,
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

	put_unit(out, m->width, v);
	st = chip_write(m, a, out, m->width);
	if (st != STUB_STATUS_OK)
		return st;
	put_unit(out, m->width, ~v & m->mask);
	st = chip_write(m, b, out, m->width);
	if (st != STUB_STATUS_OK)
		return st;
	st = chip_read(m, a, in, m->width);
	if (st != STUB_STATUS_OK)
		return st;
	got = get_unit(in, m->width);
	m->test_bytes += m->width;
	if (got == v) {
		bits_count(m, v, got);
		return STUB_STATUS_OK;
	}
	if (got == (~v & m->mask))
		return report_error(m, a, m->width, v, got, STUB_ERR_ECHO);
	/* A line fault reads wrong every time; a bit that flipped once is
	 * no evidence about the lines. */
	st = read_again(m, a, m->width, &again);
	if (st != STUB_STATUS_OK)
		return st;
	transient = again == v;
	if (!transient)
		bits_count(m, v, got);
	return report_error(m, a, m->width, v, got,
			    STUB_ERR_KNOWN |
				    (transient ? STUB_ERR_TRANSIENT : 0U));
}

static int data_bus(struct memtest *m)
{
	uint32_t len = m->end - m->start;
	uint32_t units = len / m->width;
	int st;

	test_begin(m, STUB_TEST_DATA_BUS);
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
		st = stopped(m);
		if (st != STUB_STATUS_OK)
			return st;
	}
	st = bits_report(m);
	return st == STUB_STATUS_OK ? test_end(m, m->width, m->test_bytes) : st;
}

/* ---- address bus -------------------------------------------------------*/

static int put_byte(struct memtest *m, uint32_t off, uint8_t v)
{
	return chip_write(m, off, &v, 1U);
}

static int get_byte(struct memtest *m, uint32_t off, uint8_t *v)
{
	return chip_read(m, off, v, 1U);
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
			st = report_error(m, off, 1U, MT_ADDR_P, v, 0U);
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

static int address_bus(struct memtest *m)
{
	uint32_t n = MT_ADDR_BITS_MAX, base = 0U, to_base = 0U, changed;
	const uint8_t p = (uint8_t)MT_ADDR_P, q = (uint8_t)~MT_ADDR_P;
	int st;

	test_begin(m, STUB_TEST_ADDRESS_BUS);
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
			st = stopped(m);
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
	return test_end(m, 1U, n >= 32U ? 0xFFFFFFFFU : (1U << n) - 1U);
}

/* ---- device, patterns, retention ---------------------------------------*/

static int device(struct memtest *m)
{
	struct pattern up = {PAT_COUNT, m->seed};
	struct pattern down = {PAT_COUNT_INV, m->seed};
	int st;

	test_begin(m, STUB_TEST_DEVICE);
	st = fill_verify(m, &up);
	if (st == STUB_STATUS_OK)
		st = fill_verify(m, &down);
	return st == STUB_STATUS_OK ? test_end(m, m->width, m->test_bytes) : st;
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

static int patterns(struct memtest *m)
{
	const volatile struct stub_params *prm = &m->ctx->mb->params;
	struct pattern pt[STUB_PATTERNS_MAX];
	uint32_t count = prm->pattern_count;
	int st = STUB_STATUS_OK;

	test_begin(m, STUB_TEST_PATTERNS);
	if (count == 0U) {
		count = default_patterns(m, pt);
	} else {
		for (uint32_t i = 0; i < count; i++) {
			pt[i].kind = PAT_CONST;
			pt[i].value = prm->patterns[i];
		}
	}
	for (uint32_t i = 0; i < count && st == STUB_STATUS_OK; i++)
		st = fill_verify(m, &pt[i]);
	return st == STUB_STATUS_OK ? test_end(m, m->width, m->test_bytes) : st;
}

static int retention(struct memtest *m)
{
	struct pattern pt = {PAT_RANDOM, ~m->seed + m->pass};
	uint32_t ms = m->ctx->mb->params.hold_ms;
	int st;

	test_begin(m, STUB_TEST_RETENTION);
	st = fill(m, &pt);
	for (uint32_t i = 0; i < ms && st == STUB_STATUS_OK; i++) {
		timer_delay_us(&m->ctx->timer, 1000U);
		st = stopped(m);
	}
	if (st == STUB_STATUS_OK)
		st = verify(m, &pt);
	return st == STUB_STATUS_OK ? test_end(m, m->width, m->test_bytes) : st;
}

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
	return (uint8_t)mix(off ^ ~m->seed ^ m->pass << 24);
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
	uint8_t *want = (uint8_t *)wbuf, *got = (uint8_t *)rbuf;
	const uint32_t h = MT_PAGE_HALF;
	int st;

	m->wbuf_const = false;
	for (uint32_t b = first_boundary(m); b < m->end && window_fits(m, b);
	     b += PSRAM_PAGE_BYTES) {
		m->p->cross_pages = true;
		st = chip_read(m, b - h, got, 2U * h);
		m->p->cross_pages = false;
		if (st != STUB_STATUS_OK)
			return st;
		for (uint32_t i = 0; i < 2U * h; i++) {
			uint32_t off = b - h + i;
			uint32_t u = off / m->width;
			uint32_t v = unit_value(m, x, u);

			want[i] = (uint8_t)(v >> 8U * (off % m->width));
			m->test_bytes++;
			if (want[i] != got[i]) {
				st = report_error(m, off, 1U, want[i], got[i],
						  0U);
				if (st != STUB_STATUS_OK)
					return st;
			}
		}
		st = progress(m, 2U * h);
		if (st != STUB_STATUS_OK)
			return st;
	}
	return STUB_STATUS_OK;
}

static int page_cross_writes(struct memtest *m)
{
	uint8_t *y = (uint8_t *)wbuf;
	const uint32_t h = MT_PAGE_HALF;
	int st;

	m->wbuf_const = false;
	for (uint32_t b = first_boundary(m); b < m->end && window_fits(m, b);
	     b += PSRAM_PAGE_BYTES) {
		for (uint32_t i = 0; i < 2U * h; i++)
			y[i] = page_y(m, b - h + i);
		m->p->cross_pages = true;
		st = chip_write(m, b - h, y, 2U * h);
		m->p->cross_pages = false;
		if (st == STUB_STATUS_OK)
			st = progress(m, 2U * h);
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
	uint8_t *want = (uint8_t *)wbuf, *got = (uint8_t *)rbuf;

	for (uint32_t off = m->start; off < m->end;) {
		uint32_t n = chunk_len(m, off);
		int st;

		generate(m, x, off, n);
		m->wbuf_const = false;
		for (uint32_t i = 0; i < n; i++)
			if (in_window(m, off + i))
				want[i] = page_y(m, off + i);
		st = chip_read(m, off, got, n);
		if (st != STUB_STATUS_OK)
			return st;
		for (uint32_t i = 0; i < n; i++) {
			m->test_bytes++;
			if (want[i] == got[i])
				continue;
			st = report_error(m, off + i, 1U, want[i], got[i], 0U);
			if (st != STUB_STATUS_OK)
				return st;
		}
		st = progress(m, n);
		if (st != STUB_STATUS_OK)
			return st;
		off += n;
	}
	return STUB_STATUS_OK;
}

static int page(struct memtest *m)
{
	struct pattern x = {PAT_RANDOM, m->seed ^ 0x5a5a5a5aU ^ m->pass};
	int st;

	test_begin(m, STUB_TEST_PAGE);
	/* hardware-facts §6.3: crossing is guaranteed only up to 84 MHz;
	 * beyond it the stub never crosses, so there is nothing to test. */
	if (m->p->clock_hz > PSRAM_PAGE_CROSS_MAX_HZ)
		return test_end(m, m->width, 0U);
	st = fill(m, &x);
	if (st == STUB_STATUS_OK)
		st = page_cross_reads(m, &x);
	if (st == STUB_STATUS_OK)
		st = page_cross_writes(m);
	if (st == STUB_STATUS_OK)
		st = page_verify(m, &x);
	return st == STUB_STATUS_OK ? test_end(m, m->width, m->test_bytes) : st;
}

/* ---- back to SPI mode ---------------------------------------------------
 * The chip keeps QPI mode until it understands an exit (0xF5) or a reset
 * in QPI form (hardware-facts §6.4). With IO0..IO3 sound one exit does;
 * with one of them open or tied the chip mishears the nibble on it, so an
 * exit gets through only now and then, and one that did not would leave
 * every later SPI command unheard. Hence the exits are repeated: to a chip
 * already in SPI mode a 4-line command is two clocks, too short to be
 * anything, and is dropped. A reset in both forms follows. */

#define MT_QPI_EXITS 64U

static int leave_qpi(struct memtest *m)
{
	for (uint32_t i = 0; i < MT_QPI_EXITS; i++) {
		int st;

		m->p->qpi = true;
		st = bus_status(m->ctx, psram_exit_qpi(m->p));
		if (st != STUB_STATUS_OK)
			return st;
	}
	return bus_status(m->ctx, psram_reset(m->p));
}

/* ---- lines -------------------------------------------------------------*/

/* Each line's bits that differ from its pull: bits n and n + 4 of every
 * byte travel on IOn in QPI (hardware-facts §6.1). */
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
	uint8_t *buf = (uint8_t *)rbuf;
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
			st = stopped(m);
	}
	if (st == STUB_STATUS_OK)
		st = leave_qpi(m);
	if (st != STUB_STATUS_OK)
		return st;
	rec.a = 2U * MT_LINES_BYTES * MT_LINES_READS;
	rec.b = sat16(against[0]) | sat16(against[1]) << 16;
	rec.c = sat16(against[2]) | sat16(against[3]) << 16;
	return ring_put(m->ctx, &rec);
}

static int lines(struct memtest *m)
{
	int st;

	test_begin(m, STUB_TEST_LINES);
	st = lines_run(m, STUB_PULL_UP);
	if (st == STUB_STATUS_OK)
		st = lines_run(m, STUB_PULL_DOWN);
	bus_pins_xspi(m->ctx);
	if (st != STUB_STATUS_OK)
		return st;
	return test_end(m, 1U, 2U * MT_LINES_BYTES * MT_LINES_READS);
}

/* ---- the command -------------------------------------------------------*/

static int check_memtest_params(struct stub_ctx *ctx, struct memtest *m)
{
	const volatile struct stub_params *prm = &ctx->mb->params;
	uint32_t size = prm->chip_size ? prm->chip_size : MT_DEFAULT_CHIP;
	uint32_t len = prm->range_len;
	uint32_t known = STUB_TEST_DATA_BUS | STUB_TEST_ADDRESS_BUS |
			 STUB_TEST_DEVICE | STUB_TEST_PATTERNS |
			 STUB_TEST_PAGE | STUB_TEST_RETENTION |
			 STUB_TEST_LINES;
	uint32_t widths = STUB_WIDTH_8 | STUB_WIDTH_16 | STUB_WIDTH_32;

	if (prm->clock_hz == 0U)
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS,
				 STUB_DETAIL_CLOCK_HZ, 0U, prm->kernel_hz);
	if (prm->mode != STUB_MODE_SPI && prm->mode != STUB_MODE_QPI)
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
	if (prm->pattern_count > STUB_PATTERNS_MAX)
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS,
				 STUB_DETAIL_PATTERNS, prm->pattern_count, 0U);
	m->ctx = ctx;
	m->p = &ctx->psram;
	m->start = prm->range_start;
	m->end = prm->range_start + len;
	m->seed = prm->seed;
	m->max_errors = prm->max_errors;
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
	return per * count_bits(prm->widths) * (prm->passes ? prm->passes : 1U);
}

static int use_mode(struct memtest *m, uint32_t mode)
{
	int st = leave_qpi(m);

	pace_reset(m);
	if (st != STUB_STATUS_OK)
		return st;
	if (mode == STUB_MODE_QPI) {
		m->read_cmd = PSRAM_CMD_QUAD_READ;
		m->write_cmd = PSRAM_CMD_QUAD_WRITE;
		return bus_status(m->ctx, psram_enter_qpi(m->p));
	}
	m->read_cmd = m->p->clock_hz <= m->p->timing->read_max_hz
			      ? PSRAM_CMD_READ
			      : PSRAM_CMD_FAST_READ;
	m->write_cmd = PSRAM_CMD_WRITE;
	return STUB_STATUS_OK;
}

static int one_width(struct memtest *m, uint32_t tests)
{
	int st = STUB_STATUS_OK;

	m->mask = unit_mask(m->width);
	m->p->access = (uint8_t)m->width;
	m->wbuf_const = false;
	pace_reset(m);
	if (tests & STUB_TEST_DATA_BUS)
		st = data_bus(m);
	if (st == STUB_STATUS_OK && (tests & STUB_TEST_DEVICE))
		st = device(m);
	if (st == STUB_STATUS_OK && (tests & STUB_TEST_PATTERNS))
		st = patterns(m);
	if (st == STUB_STATUS_OK && (tests & STUB_TEST_PAGE))
		st = page(m);
	if (st == STUB_STATUS_OK && (tests & STUB_TEST_RETENTION))
		st = retention(m);
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
		st = lines(m);
		if (st != STUB_STATUS_OK)
			return st;
	}
	st = use_mode(m, prm->mode);
	if (st == STUB_STATUS_OK && (tests & STUB_TEST_ADDRESS_BUS)) {
		m->width = 1U;
		m->mask = 0xFFU;
		st = address_bus(m);
	}
	for (m->pass = 0; m->pass < passes && st == STUB_STATUS_OK; m->pass++)
		for (uint32_t w = 1U; w <= 4U && st == STUB_STATUS_OK; w <<= 1) {
			if (!(widths & (w == 1U   ? STUB_WIDTH_8
					: w == 2U ? STUB_WIDTH_16
						  : STUB_WIDTH_32)))
				continue;
			m->width = w;
			st = one_width(m, tests);
		}
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
		(void)leave_qpi(&m);
	else if (ctx->psram.qpi)
		st = leave_qpi(&m);
	ctx->psram.cross_pages = false;
	if (st == STUB_STATUS_OK && ctx->mb->result.errors != 0U)
		return STUB_STATUS_TEST_ERRORS;
	return st;
}
