/* ELF: PT_LOAD segments at their physical (load) address, file size
 * only; refusal of truncated, non-ARM, non-executable and odd files. The
 * test images are built here, field by field, from the ELF32 layout. */
#include <stdlib.h>

#include "image/image.h"
#include "unit.h"

#define EHDR 52
#define PHDR 32

static uint8_t elf[4096];

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/* A header with n program headers right after it. */
static void header(unsigned n)
{
	memset(elf, 0, sizeof(elf));
	memcpy(elf, "\177ELF", 4);
	elf[4] = 1;		/* ELFCLASS32 */
	elf[5] = 1;		/* little endian */
	elf[6] = 1;		/* EV_CURRENT */
	put16(elf + 16, 2);	/* ET_EXEC */
	put16(elf + 18, 40);	/* EM_ARM */
	put32(elf + 20, 1);
	put32(elf + 24, 0x08000045u);
	put32(elf + 28, EHDR);	/* e_phoff */
	put16(elf + 40, EHDR);
	put16(elf + 42, PHDR);
	put16(elf + 44, (uint16_t)n);
}

static void phdr(unsigned i, uint32_t type, uint32_t off, uint32_t vaddr,
		 uint32_t paddr, uint32_t filesz, uint32_t memsz)
{
	uint8_t *p = elf + EHDR + i * PHDR;

	put32(p, type);
	put32(p + 4, off);
	put32(p + 8, vaddr);
	put32(p + 12, paddr);
	put32(p + 16, filesz);
	put32(p + 20, memsz);
}

static int parse(struct image *img, size_t len, struct strbuf *why)
{
	sb_reset(why);
	return image_parse(img, elf, len, "fw.elf", 0, why);
}

static void loadable_segments_at_load_address(void)
{
	struct image img;
	struct strbuf why;

	image_init(&img);
	sb_init(&why);
	header(4);
	/* text in flash */
	phdr(0, 1, 0x200, 0x08000000u, 0x08000000u, 0x10, 0x10);
	/* .data: runs in DTCM, loaded after the text in flash; its .bss
	 * part (memsz > filesz) is not loaded */
	phdr(1, 1, 0x210, 0x20000000u, 0x08000010u, 4, 0x40);
	/* a non-loadable segment and an empty loadable one */
	phdr(2, 0x6474e551u, 0x300, 0, 0, 0x10, 0x10);
	phdr(3, 1, 0, 0x20001000u, 0x20001000u, 0, 0x100);
	for (int i = 0; i < 0x14; i++)
		elf[0x200 + i] = (uint8_t)i;
	CHECK_EQ(parse(&img, 0x400, &why), 0);
	CHECK_EQ(img.format, IMAGE_ELF);
	CHECK_EQ(img.nseg, 1);	/* joined: they touch */
	CHECK_EQ(img.seg[0].addr, 0x08000000u);
	CHECK_EQ(img.seg[0].size, 0x14);
	CHECK_EQ(img.seg[0].data[0x13], 0x13);
	/* No physical addresses at all: the virtual ones count. */
	header(1);
	phdr(0, 1, 0x200, 0x24000000u, 0, 8, 8);
	CHECK_EQ(parse(&img, 0x400, &why), 0);
	CHECK_EQ(img.seg[0].addr, 0x24000000u);
	image_free(&img);
	sb_release(&why);
}

static void damaged_files(void)
{
	struct image img;
	struct strbuf why;

	image_init(&img);
	sb_init(&why);
	/* Truncated inside the header. */
	header(1);
	CHECK(parse(&img, 40, &why) < 0);
	CHECK(strstr(why.buf, "truncated"));
	/* Truncated inside the program headers. */
	header(2);
	phdr(0, 1, 0x200, 0x08000000u, 0x08000000u, 0x10, 0x10);
	CHECK(parse(&img, EHDR + PHDR + 4, &why) < 0);
	CHECK(strstr(why.buf, "truncated"));
	/* Truncated inside a segment's data. */
	header(1);
	phdr(0, 1, 0x200, 0x08000000u, 0x08000000u, 0x100, 0x100);
	CHECK(parse(&img, 0x280, &why) < 0);
	CHECK(strstr(why.buf, "truncated: segment 0"));
	/* File size above memory size. */
	header(1);
	phdr(0, 1, 0x200, 0x08000000u, 0x08000000u, 0x20, 0x10);
	CHECK(parse(&img, 0x400, &why) < 0);
	CHECK(strstr(why.buf, "exceeds its memory size"));
	/* 64-bit, big-endian, not ARM, relocatable. */
	header(1);
	elf[4] = 2;
	CHECK(parse(&img, 0x400, &why) < 0);
	CHECK(strstr(why.buf, "32-bit"));
	header(1);
	elf[5] = 2;
	CHECK(parse(&img, 0x400, &why) < 0);
	header(1);
	put16(elf + 18, 62);
	CHECK(parse(&img, 0x400, &why) < 0);
	CHECK(strstr(why.buf, "not ARM"));
	header(1);
	put16(elf + 16, 1);
	CHECK(parse(&img, 0x400, &why) < 0);
	CHECK(strstr(why.buf, "relocatable"));
	/* No program headers, or none with data: nothing to flash. */
	header(0);
	CHECK(parse(&img, 0x400, &why) < 0);
	header(1);
	phdr(0, 1, 0, 0x20000000u, 0x20000000u, 0, 0x100);
	CHECK(parse(&img, 0x400, &why) < 0);
	CHECK(strstr(why.buf, "no data"));
	/* Overlapping segments. */
	header(2);
	phdr(0, 1, 0x200, 0x08000000u, 0x08000000u, 0x10, 0x10);
	phdr(1, 1, 0x200, 0x08000008u, 0x08000008u, 0x10, 0x10);
	CHECK(parse(&img, 0x400, &why) < 0);
	CHECK(strstr(why.buf, "overlapping"));
	/* Program header table far outside the file. */
	header(1);
	put32(elf + 28, 0xFFFFFFF0u);
	CHECK(parse(&img, 0x400, &why) < 0);
	CHECK_EQ(img.nseg, 0);
	image_free(&img);
	sb_release(&why);
}

UNIT_MAIN("cli_image_elf", UNIT_TEST(loadable_segments_at_load_address),
	  UNIT_TEST(damaged_files))
