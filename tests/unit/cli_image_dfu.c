/* DfuSe: prefix, targets, elements, suffix and its CRC, built here byte by
 * byte from UM0391; every size that must add up is made not to, one at a
 * time. */
#include <stdlib.h>

#include "image/image.h"
#include "unit.h"

static uint8_t buf[2048];
static size_t len;

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* CRC-32 register without the final inversion (DFU 1.1 appendix B). */
static uint32_t crc_raw(const uint8_t *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (c & 1 ? 0xEDB88320u : 0);
	}
	return c;
}

/* One target holding the elements {addr, n bytes of i+1}; then the
 * suffix with a correct CRC. */
static void build(unsigned nel, const uint32_t *addr, const uint32_t *n)
{
	size_t p = 11, tsize = 0;

	memset(buf, 0, sizeof(buf));
	memcpy(buf, "DfuSe", 5);
	buf[5] = 1;
	buf[10] = 1;
	memcpy(buf + p, "Target", 6);
	put32(buf + p + 7, 1);
	memcpy(buf + p + 11, "ST...", 5);
	for (unsigned e = 0; e < nel; e++)
		tsize += 8 + n[e];
	put32(buf + p + 266, (uint32_t)tsize);
	put32(buf + p + 270, nel);
	p += 274;
	for (unsigned e = 0; e < nel; e++) {
		put32(buf + p, addr[e]);
		put32(buf + p + 4, n[e]);
		memset(buf + p + 8, (int)e + 1, n[e]);
		p += 8 + n[e];
	}
	put32(buf + 6, (uint32_t)p);
	buf[p] = 0xFF;	/* bcdDevice */
	buf[p + 1] = 0xFF;
	buf[p + 2] = 0x11;	/* idProduct 0xDF11 */
	buf[p + 3] = 0xDF;
	buf[p + 4] = 0x83;	/* idVendor 0x0483 */
	buf[p + 5] = 0x04;
	buf[p + 6] = 0x1A;	/* bcdDFU 0x011A */
	buf[p + 7] = 0x01;
	memcpy(buf + p + 8, "UFD", 3);
	buf[p + 11] = 16;
	len = p + 16;
	put32(buf + len - 4, crc_raw(buf, len - 4));
}

static void recrc(void)
{
	put32(buf + len - 4, crc_raw(buf, len - 4));
}

static int parse(struct image *img, struct strbuf *why)
{
	sb_reset(why);
	return image_parse(img, buf, len, "firmware.dfu", 0, why);
}

static void crc_reference(void)
{
	/* The CRC-32 check value of "123456789" is 0xCBF43926 (the
	 * standard's catalogue); DfuSe keeps it uninverted. */
	CHECK_EQ(crc_raw((const uint8_t *)"123456789", 9), ~0xCBF43926u);
}

static void micropython_layout(void)
{
	static const uint32_t addr[] = {0x08000000u, 0x08040000u};
	static const uint32_t n[] = {100, 20};
	struct image img;
	struct strbuf why;

	image_init(&img);
	sb_init(&why);
	build(2, addr, n);
	CHECK_EQ(parse(&img, &why), 0);
	CHECK_EQ(img.format, IMAGE_DFU);
	CHECK_EQ(img.nseg, 2);
	CHECK_EQ(img.seg[0].addr, 0x08000000u);
	CHECK_EQ(img.seg[0].size, 100);
	CHECK_EQ(img.seg[1].addr, 0x08040000u);
	CHECK_EQ(img.seg[1].data[19], 2);
	image_free(&img);
	sb_release(&why);
}

static void damaged_files(void)
{
	static const uint32_t addr[] = {0x08000000u, 0x90000000u};
	static const uint32_t n[] = {64, 16};
	struct image img;
	struct strbuf why;
	size_t full;

	image_init(&img);
	sb_init(&why);
	/* One bit of data flipped: bad CRC. */
	build(2, addr, n);
	buf[300] ^= 4;
	CHECK(parse(&img, &why) < 0);
	CHECK(strstr(why.buf, "bad CRC"));
	/* Truncated: the suffix is gone. */
	build(2, addr, n);
	full = len;
	len -= 10;
	CHECK(parse(&img, &why) < 0);
	CHECK(strstr(why.buf, "truncated"));
	len = 20;
	CHECK(parse(&img, &why) < 0);
	CHECK(strstr(why.buf, "truncated"));
	len = full;
	/* Not DfuSe's DFU version. */
	build(2, addr, n);
	buf[len - 10] = 0x00;
	recrc();
	CHECK(parse(&img, &why) < 0);
	CHECK(strstr(why.buf, "not DfuSe"));
	/* The prefix's image size is off by one. */
	build(2, addr, n);
	put32(buf + 6, (uint32_t)(len - 15));
	recrc();
	CHECK(parse(&img, &why) < 0);
	CHECK(strstr(why.buf, "prefix says"));
	/* The target size disagrees with its elements. */
	build(2, addr, n);
	put32(buf + 11 + 266, 64 + 8);
	recrc();
	CHECK(parse(&img, &why) < 0);
	CHECK(strstr(why.buf, "target 0"));
	/* An element larger than its target. */
	build(2, addr, n);
	put32(buf + 11 + 274 + 4, 1000);
	recrc();
	CHECK(parse(&img, &why) < 0);
	CHECK(strstr(why.buf, "runs past"));
	/* Element count above what is there. */
	build(2, addr, n);
	put32(buf + 11 + 270, 3);
	recrc();
	CHECK(parse(&img, &why) < 0);
	/* No "Target" signature. */
	build(2, addr, n);
	buf[11] = 't';
	recrc();
	CHECK(parse(&img, &why) < 0);
	CHECK(strstr(why.buf, "Target"));
	/* No targets, or elements of no bytes: nothing to flash. */
	build(0, addr, n);
	CHECK(parse(&img, &why) < 0);
	CHECK(strstr(why.buf, "no data"));
	/* Two elements for the same bytes. */
	{
		static const uint32_t same[] = {0x08000000u, 0x08000020u};

		build(2, same, n);
		CHECK(parse(&img, &why) < 0);
		CHECK(strstr(why.buf, "overlapping"));
	}
	CHECK_EQ(img.nseg, 0);
	image_free(&img);
	sb_release(&why);
}

UNIT_MAIN("cli_image_dfu", UNIT_TEST(crc_reference),
	  UNIT_TEST(micropython_layout), UNIT_TEST(damaged_files))
