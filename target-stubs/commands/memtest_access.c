/* The access test of memtest --mode mapped: the ways a CPU touches the
 * memory-mapped window that the unit-width tests do not. Each part fills
 * its span with known words first (through mt_chip_write), touches it, and
 * reads the whole span back as words (mt_chip_read), so a store that
 * disturbs its neighbours (a sub-word write that rewrites the rest of its
 * word or doubleword) shows as a wrong neighbour:
 *   1. 64-bit loads (LDRD) of the known words;
 *   2. 64-bit stores (STRD);
 *   3. words loaded and stored at addresses 1, 2 and 3 past a word
 *      boundary, where the memory type allows unaligned accesses (not
 *      Device memory, ARMv7-M ARM A3.2.1);
 *   4. bytes and halfwords stored between full words;
 *   5. a store right after a load of the word before it, back to back.
 * Stores need a controller that maps writes (the OCTOSPI); on a QUADSPI
 * only the loads run. With a cacheable MPU attribute the lines are
 * cleaned after the stores and invalidated before the loads. */
#include "commands/memtest.h"

#include "regs/mmio.h"
#include "runtime/core.h"

#define SPAN 256U	/* bytes per part, a multiple of 8 */
#define PARTS 5U

static uint32_t known(const struct memtest *m, uint32_t off, uint32_t salt)
{
	return mt_mix(off ^ m->seed ^ salt);
}

/* mt_wbuf[0..SPAN) := the known words of [off, off + SPAN). */
static void expect_known(const struct memtest *m, uint32_t off,
			 uint32_t salt)
{
	for (uint32_t i = 0; i < SPAN / 4U; i++)
		mt_wbuf[i] = known(m, off + 4U * i, salt);
}

static int fill(struct memtest *m, uint32_t off, uint32_t salt)
{
	expect_known(m, off, salt);
	return mt_chip_write(m, off, mt_wbuf, SPAN);
}

/* The span read back as words against mt_wbuf. */
static int check(struct memtest *m, uint32_t off)
{
	int st = mt_chip_read(m, off, mt_rbuf, SPAN);

	if (st != STUB_STATUS_OK)
		return st;
	return mt_compare(m, off, (const uint8_t *)mt_wbuf,
			  (const uint8_t *)mt_rbuf, SPAN, 4U);
}

static uint32_t win(const struct memtest *m, uint32_t off)
{
	return m->window + off;
}

static void stored(const struct memtest *m, uint32_t off)
{
	if (!(m->ctx->mb->params.map.flags & STUB_MAP_NO_CLEAN))
		core_dcache_flush(win(m, off), SPAN);
	barrier_sync();
}

static int loads64(struct memtest *m, uint32_t off)
{
	int st = fill(m, off, 0x1111U);

	if (st != STUB_STATUS_OK)
		return st;
	core_dcache_discard(win(m, off), SPAN);
	for (uint32_t i = 0; i < SPAN / 8U; i++) {
		uint64_t v;

		st = mt_map_run(m, win(m, off + 8U * i), 8U);
		if (st != STUB_STATUS_OK)
			return st;
		v = *(volatile uint64_t *)win(m, off + 8U * i);

		mt_rbuf[2U * i] = (uint32_t)v;
		mt_rbuf[2U * i + 1U] = (uint32_t)(v >> 32);
	}
	return mt_compare(m, off, (const uint8_t *)mt_wbuf,
			  (const uint8_t *)mt_rbuf, SPAN, 4U);
}

static int stores64(struct memtest *m, uint32_t off)
{
	int st = fill(m, off, 0x2222U);

	if (st != STUB_STATUS_OK)
		return st;
	expect_known(m, off, 0x2323U);
	for (uint32_t i = 0; i < SPAN / 8U; i++)
		*(volatile uint64_t *)win(m, off + 8U * i) =
			(uint64_t)mt_wbuf[2U * i + 1U] << 32 | mt_wbuf[2U * i];
	stored(m, off);
	return check(m, off);
}

static void put_byte(uint32_t k, uint8_t v)
{
	((uint8_t *)mt_wbuf)[k] = v;
}

static uint32_t expected_word_at(uint32_t k)
{
	const uint8_t *b = (const uint8_t *)mt_wbuf;

	return (uint32_t)b[k] | (uint32_t)b[k + 1U] << 8 |
	       (uint32_t)b[k + 2U] << 16 | (uint32_t)b[k + 3U] << 24;
}

static int unaligned(struct memtest *m, uint32_t off)
{
	int st = fill(m, off, 0x3333U);
	uint32_t bad = 0U;

	if (st != STUB_STATUS_OK)
		return st;
	core_dcache_discard(win(m, off), SPAN);
	/* Loads: words at +1, +2, +3 against the known bytes. */
	for (uint32_t k = 1U; k + 4U <= SPAN; k += 5U) {
		uint32_t got, want = expected_word_at(k);

		st = mt_map_run(m, win(m, off + k), 4U);
		if (st != STUB_STATUS_OK)
			return st;
		got = *(volatile uint32_t *)win(m, off + k);

		if (got != want) {
			bad++;
			st = mt_report_error(m, off + k, 4U, want, got,
					     MT_ERR_KNOWN);
			if (st != STUB_STATUS_OK)
				return st;
		}
	}
	m->test_bytes += SPAN;
	if (!m->p->bus->map_writes || bad)
		return STUB_STATUS_OK;
	/* Stores: words at +1, +2, +3 between untouched bytes. */
	for (uint32_t k = 1U; k + 4U <= SPAN; k += 7U) {
		uint32_t v = known(m, off + k, 0x3434U);

		*(volatile uint32_t *)win(m, off + k) = v;
		for (uint32_t b = 0; b < 4U; b++)
			put_byte(k + b, (uint8_t)(v >> (8U * b)));
	}
	stored(m, off);
	return check(m, off);
}

static int sub_words(struct memtest *m, uint32_t off)
{
	int st = fill(m, off, 0x4444U);

	if (st != STUB_STATUS_OK)
		return st;
	/* Word i: a full word, then a byte (odd words) or a halfword (even
	 * words) stored inside the next one. */
	for (uint32_t i = 0; i + 1U < SPAN / 4U; i += 2U) {
		uint32_t k = 4U * i, v = known(m, off + k, 0x4545U);

		*(volatile uint32_t *)win(m, off + k) = v;
		mt_wbuf[i] = v;
		if (i & 2U) {
			uint32_t b = k + 4U + (i & 3U);

			*(volatile uint8_t *)win(m, off + b) = (uint8_t)~v;
			put_byte(b, (uint8_t)~v);
		} else {
			uint32_t h = k + 4U + 2U * ((i >> 2) & 1U);

			*(volatile uint16_t *)win(m, off + h) = (uint16_t)~v;
			put_byte(h, (uint8_t)~v);
			put_byte(h + 1U, (uint8_t)(~v >> 8));
		}
	}
	stored(m, off);
	return check(m, off);
}

static int write_after_read(struct memtest *m, uint32_t off)
{
	int st = fill(m, off, 0x5555U);

	if (st != STUB_STATUS_OK)
		return st;
	core_dcache_discard(win(m, off), SPAN);
	/* Load word i, then at once store word i + 1: the store meets the
	 * prefetch the load started. */
	for (uint32_t i = 0; i + 1U < SPAN / 4U; i++) {
		uint32_t v = *(volatile uint32_t *)win(m, off + 4U * i);

		*(volatile uint32_t *)win(m, off + 4U * i + 4U) = v ^ 0xA5A5A5A5U;
	}
	/* Each load saw the store just before it: the known first word,
	 * then each word the one before it, xored. */
	mt_wbuf[0] = known(m, off, 0x5555U);
	for (uint32_t i = 1U; i < SPAN / 4U; i++)
		mt_wbuf[i] = mt_wbuf[i - 1U] ^ 0xA5A5A5A5U;
	stored(m, off);
	return check(m, off);
}

int mt_access(struct memtest *m)
{
	int (*const loads_only[])(struct memtest *, uint32_t) = {
		loads64, unaligned,
	};
	int (*const all[PARTS])(struct memtest *, uint32_t) = {
		loads64, stores64, unaligned, sub_words, write_after_read,
	};
	bool writes = m->p->bus->map_writes;
	uint32_t n = writes ? PARTS : 2U;
	uint32_t width = m->width;
	int st = STUB_STATUS_OK;

	mt_test_begin(m, STUB_TEST_ACCESS);
	m->width = 4U;
	for (uint32_t i = 0; i < n && st == STUB_STATUS_OK; i++) {
		uint32_t off = m->start + i * SPAN;
		int (*part)(struct memtest *, uint32_t) =
			writes ? all[i] : loads_only[i];

		if (off + SPAN > m->end)
			break;
		/* Device memory faults an unaligned access. */
		if (part == unaligned &&
		    m->ctx->mb->params.map.mpu == STUB_MPU_DEVICE)
			continue;
		st = part(m, off);
		if (st == STUB_STATUS_OK)
			st = mt_progress(m, 2U * SPAN);
	}
	m->width = width;
	if (st != STUB_STATUS_OK)
		return st;
	return mt_test_end(m, 4U, m->test_bytes);
}
