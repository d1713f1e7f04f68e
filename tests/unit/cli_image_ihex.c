/* Intel HEX: records, address records (linear and segmented), the
 * end-of-file record, and every way a file can be damaged. */
#include "image/image.h"
#include "unit.h"

static int parse(struct image *img, const char *text, struct strbuf *why)
{
	image_free(img);
	sb_reset(why);
	return image_parse(img, (const uint8_t *)text, strlen(text), "t.hex",
			   0, why);
}

static void good_files(void)
{
	struct image img;
	struct strbuf why;

	image_init(&img);
	sb_init(&why);
	/* Linear address 0x0800, two contiguous records, CRLF, a start
	 * address record, trailing blank lines. */
	CHECK_EQ(parse(&img,
		       ":020000040800F2\r\n"
		       ":0400000000000220DA\r\n"
		       ":0400040045000008AB\r\n"
		       ":0400000508000045AA\r\n"
		       ":00000001FF\r\n\r\n",
		       &why),
		 0);
	CHECK_EQ(img.format, IMAGE_IHEX);
	CHECK_EQ(img.nseg, 1);
	CHECK_EQ(img.seg[0].addr, 0x08000000u);
	CHECK_EQ(img.seg[0].size, 8);
	CHECK_EQ(img.seg[0].data[3], 0x20);
	CHECK_EQ(img.seg[0].data[4], 0x45);
	/* Two separate runs, lower-case digits, LF only. */
	CHECK_EQ(parse(&img,
		       ":020000040800f2\n"
		       ":01000000aa55\n"
		       ":020000040900f1\n"
		       ":01001000bb34\n"
		       ":00000001ff\n",
		       &why),
		 0);
	CHECK_EQ(img.nseg, 2);
	CHECK_EQ(img.seg[1].addr, 0x09000010u);
	/* Segmented addressing: base 0x1000 x 16; offsets wrap in the
	 * segment. */
	CHECK_EQ(parse(&img,
		       ":020000021000EC\n"
		       ":02FFFF001122CD\n"
		       ":00000001FF\n",
		       &why),
		 0);
	CHECK_EQ(img.nseg, 2);
	CHECK_EQ(img.seg[0].addr, 0x10000);
	CHECK_EQ(img.seg[0].data[0], 0x22);
	CHECK_EQ(img.seg[1].addr, 0x1FFFF);
	CHECK_EQ(img.seg[1].data[0], 0x11);
	image_free(&img);
	sb_release(&why);
}

static void damaged_files(void)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		/* bad checksum (last byte changed) */
		{":0400000000000220DB\n:00000001FF\n", "bad checksum"},
		/* truncated: no end-of-file record */
		{":0400000000000220DA\n", "truncated"},
		/* truncated mid-record */
		{":0400000000000220DA\n:04000400450000", "says 4 data bytes"},
		{":040000000000022\n:00000001FF\n", "even number"},
		/* length byte and data disagree */
		{":0500000000000220D9\n:00000001FF\n", "says 5 data bytes"},
		{":04000000000G0220DA\n:00000001FF\n", "not a hex digit"},
		{"garbage\n:00000001FF\n", "no Intel HEX header"},
		{":0400000000000220DA\nxx\n:00000001FF\n", "expected ':'"},
		{":00000001FF\n:0400000000000220DA\n", "after the end-of-file"},
		{":0400000700000220D3\n:00000001FF\n", "unknown record type"},
		{":03000004080000F1\n:00000001FF\n", "address record with 3"},
		{":0100000100FE\n:00000001FF\n", "end-of-file record with data"},
		/* only an end-of-file record: an empty image */
		{":00000001FF\n", "no data"},
		/* the same address twice */
		{":0100000011EE\n:0100000022DD\n:00000001FF\n", "overlapping"},
	};
	struct image img;
	struct strbuf why;

	image_init(&img);
	sb_init(&why);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(&img, bad[i].text, &why) == 0 ||
		    !strstr(why.buf, bad[i].why)) {
			printf("  case %zu: '%s', expected '%s'\n", i, why.buf,
			       bad[i].why);
			unit_failed_now = 1;
		}
		CHECK_EQ(img.nseg, 0);
	}
	image_free(&img);
	sb_release(&why);
}

UNIT_MAIN("cli_image_ihex", UNIT_TEST(good_files), UNIT_TEST(damaged_files))
