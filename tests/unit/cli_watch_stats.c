/* psramctl watch's counters (diagnosis/watch_stats.h) and their views. */
#include <string.h>

#include "diagnosis/watch_stats.h"
#include "report/watch_view.h"
#include "unit.h"

static struct diag_mismatch mm(uint32_t offset, uint8_t width,
			       uint32_t written, uint32_t read)
{
	struct diag_mismatch m;

	memset(&m, 0, sizeof(m));
	m.offset = offset;
	m.width = width;
	m.written = written;
	m.read = read;
	return m;
}

static void test_lines_and_bits(void)
{
	struct watch_stats w;
	struct diag_mismatch m;

	watch_stats_init(&w, 1);
	/* bits 1 and 5 of each byte: IO1 alone (QPI: bit b on IO b%4) */
	m = mm(0x000104, 4, 0x00000000, 0x22222222);
	watch_stats_mismatch(&w, &m);
	CHECK_EQ(w.io[1], 8);
	CHECK_EQ(w.io[0] + w.io[2] + w.io[3], 0);
	CHECK_EQ(w.io_only[1], 1);
	CHECK_EQ(w.bit[1], 1);
	CHECK_EQ(w.bit[29], 1);
	CHECK_EQ(w.bit[0], 0);
	/* offset 0x104: A2 and A8 */
	CHECK_EQ(w.addr_bit[2], 1);
	CHECK_EQ(w.addr_bit[8], 1);
	CHECK_EQ(w.addr_bit[3], 0);
	/* two lines: counted per line, alone on none */
	m = mm(0x000000, 1, 0x00, 0x03);
	watch_stats_mismatch(&w, &m);
	CHECK_EQ(w.io[0], 1);
	CHECK_EQ(w.io[1], 9);
	CHECK_EQ(w.io_only[0] + w.io_only[2] + w.io_only[3], 0);
	CHECK_EQ(w.io_only[1], 1);
	/* an 8-bit unit: bits above its width ignored */
	m = mm(0x000001, 1, 0x1ff, 0x0ff);
	watch_stats_mismatch(&w, &m);
	CHECK_EQ(w.bit[8], 0);
	CHECK_EQ(w.reported, 3);
	/* SPI: no line attribution */
	watch_stats_init(&w, 0);
	m = mm(0, 4, 0, 0xffffffff);
	watch_stats_mismatch(&w, &m);
	CHECK_EQ(w.io[0] + w.io[1] + w.io_only[1], 0);
	CHECK_EQ(w.bit[31], 1);
}

static void test_passes_and_last(void)
{
	struct watch_stats w;
	struct diag_mismatch m;

	watch_stats_init(&w, 1);
	watch_stats_pass(&w, 1000, 0);
	watch_stats_pass(&w, 1000, 3);
	CHECK_EQ(w.passes, 2);
	CHECK_EQ(w.bad_passes, 1);
	CHECK_EQ(w.bytes, 2000);
	CHECK_EQ(w.errors, 3);
	for (uint32_t i = 0; i < WATCH_LAST + 3; i++) {
		m = mm(i * 4, 4, 0, 1);
		watch_stats_mismatch(&w, &m);
	}
	CHECK_EQ(w.nlast, WATCH_LAST);
	CHECK_EQ(w.last[0].offset, 3 * 4);
	CHECK_EQ(w.last[WATCH_LAST - 1].offset, (WATCH_LAST + 2) * 4);
}

static void test_views(void)
{
	struct watch_stats w;
	struct diag_mismatch m;
	struct strbuf sb;

	watch_stats_init(&w, 1);
	m = mm(0x10, 4, 0x00000000, 0x00000020);
	watch_stats_mismatch(&w, &m);
	watch_stats_pass(&w, 16384, 1);
	sb_init(&sb);
	watch_view_block(&w, 1.5, &sb);
	CHECK(strstr(sb.buf, "IO line      IO0 0        IO1 1 ") != NULL);
	CHECK(strstr(sb.buf, "data bit      5:1\n") != NULL);
	CHECK(strstr(sb.buf, "address bit   A4:1\n") != NULL);
	CHECK(strstr(sb.buf, "last bad     0x000010 wrote 00000000 read "
			     "00000020\n") != NULL);
	sb_reset(&sb);
	watch_view_line(&w, 1.5, &sb);
	CHECK_STR(sb.buf, "1.5 s: 1 passes, 0.0 MB checked, 1 wrong units in "
			  "1 passes, IO1 alone in 1 units");
	sb_release(&sb);
}

UNIT_MAIN("cli_watch_stats", UNIT_TEST(test_lines_and_bits),
	  UNIT_TEST(test_passes_and_last), UNIT_TEST(test_views))
