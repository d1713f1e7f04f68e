/* Image handling common to every format: detection by content (and a
 * name that must agree), the binary "parser", sorting and joining
 * segments, refusing overlaps and empty images, reading files. */
#include <stdlib.h>
#include <unistd.h>

#include "image/image.h"
#include "unit.h"

static void detect_by_content(void)
{
	static const uint8_t elf[] = {0x7f, 'E', 'L', 'F', 1, 1, 1};
	static const uint8_t dfu[] = "DfuSe\001";
	static const uint8_t hex[] = "\r\n  :10000000000102030405060708090A0B0C0D0E0F78\n";
	static const uint8_t bin[] = {0x00, 0x00, 0x02, 0x20, 0x45, 0x00};
	static const uint8_t colon_bin[] = {':', 0x00, 0x10};
	struct strbuf why;
	enum image_format f;

	sb_init(&why);
	CHECK_EQ(image_detect(elf, sizeof(elf), "fw.bin", &f, &why), 0);
	CHECK_EQ(f, IMAGE_ELF);
	CHECK_EQ(image_detect(dfu, 6, NULL, &f, &why), 0);
	CHECK_EQ(f, IMAGE_DFU);
	CHECK_EQ(image_detect(hex, sizeof(hex) - 1, "x.txt", &f, &why), 0);
	CHECK_EQ(f, IMAGE_IHEX);
	CHECK_EQ(image_detect(bin, sizeof(bin), "fw", &f, &why), 0);
	CHECK_EQ(f, IMAGE_BIN);
	/* ':' followed by binary is binary. */
	CHECK_EQ(image_detect(colon_bin, sizeof(colon_bin), NULL, &f, &why), 0);
	CHECK_EQ(f, IMAGE_BIN);
	/* A name promising a format the content does not have. */
	CHECK(image_detect(bin, sizeof(bin), "firmware.ELF", &f, &why) < 0);
	CHECK(strstr(why.buf, "no ELF header"));
	sb_reset(&why);
	CHECK(image_detect(elf, sizeof(elf), "firmware.hex", &f, &why) < 0);
	CHECK(strstr(why.buf, "it is ELF"));
	sb_reset(&why);
	CHECK(image_detect(bin, sizeof(bin), "firmware.dfu", &f, &why) < 0);
	sb_reset(&why);
	CHECK(image_detect(bin, 0, "firmware.bin", &f, &why) < 0);
	CHECK(strstr(why.buf, "empty"));
	sb_release(&why);
}

static void binary_at_address(void)
{
	static const uint8_t data[40] = {1, 2, 3};
	struct image img;
	struct strbuf why;

	image_init(&img);
	sb_init(&why);
	CHECK_EQ(image_parse(&img, data, sizeof(data), "a.bin", 0x08020000u,
			     &why),
		 0);
	CHECK_EQ(img.format, IMAGE_BIN);
	CHECK_EQ(img.nseg, 1);
	CHECK_EQ(img.seg[0].addr, 0x08020000u);
	CHECK_EQ(img.seg[0].size, 40);
	CHECK_EQ(img.bytes, 40);
	CHECK_EQ(img.seg[0].data[2], 3);
	/* Past the end of the address space. */
	CHECK(image_parse(&img, data, sizeof(data), NULL, 0xFFFFFFF0u, &why) <
	      0);
	CHECK_EQ(img.nseg, 0);
	image_free(&img);
	sb_release(&why);
}

static void segments_sorted_joined_and_checked(void)
{
	static const uint8_t a[4] = {1, 1, 1, 1}, b[4] = {2, 2, 2, 2};
	struct image img;
	struct strbuf why;

	image_init(&img);
	sb_init(&why);
	image_add(&img, 0x1004, b, 4);
	image_add(&img, 0x1000, a, 4);
	image_add(&img, 0x2000, a, 4);
	image_add(&img, 0x3000, a, 0); /* nothing */
	CHECK_EQ(image_finish(&img, &why), 0);
	CHECK_EQ(img.nseg, 2);
	CHECK_EQ(img.seg[0].addr, 0x1000);
	CHECK_EQ(img.seg[0].size, 8);
	CHECK_EQ(img.seg[0].data[4], 2);
	CHECK_EQ(img.seg[1].addr, 0x2000);
	image_free(&img);
	/* Overlap by one byte. */
	image_add(&img, 0x1000, a, 4);
	image_add(&img, 0x1003, b, 4);
	CHECK(image_finish(&img, &why) < 0);
	CHECK(strstr(why.buf, "overlapping data: 0x00001000-0x00001003 and "
			      "0x00001003-0x00001006"));
	image_free(&img);
	sb_reset(&why);
	/* Nothing at all. */
	CHECK(image_finish(&img, &why) < 0);
	CHECK(strstr(why.buf, "no data"));
	image_free(&img);
	sb_release(&why);
}

static void files(void)
{
	char path[] = "/tmp/cli_image_bin.XXXXXX";
	struct image img;
	struct strbuf why;
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "\x00\x00\x02\x20", 4), 4);
	close(fd);
	image_init(&img);
	sb_init(&why);
	CHECK_EQ(image_load(&img, path, 0x08000000u, &why), 0);
	CHECK_EQ(img.nseg, 1);
	CHECK_EQ(img.seg[0].data[3], 0x20);
	unlink(path);
	CHECK(image_load(&img, path, 0x08000000u, &why) < 0);
	CHECK(strstr(why.buf, "cannot open"));
	sb_reset(&why);
	CHECK(image_load(&img, "/tmp", 0x08000000u, &why) < 0);
	CHECK(strstr(why.buf, "not a regular file"));
	image_free(&img);
	sb_release(&why);
}

UNIT_MAIN("cli_image_bin", UNIT_TEST(detect_by_content),
	  UNIT_TEST(binary_at_address),
	  UNIT_TEST(segments_sorted_joined_and_checked), UNIT_TEST(files))
