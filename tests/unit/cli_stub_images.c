/* The stub images built into psramctl (stub_image.c): each one's CRC-32,
 * the commands the host believes it carries against the functions it
 * really has, and the code that runs before the image check lying below
 * STUB_BOOT_END, where the host reads it back. */
#include <stdlib.h>
#include <string.h>

#include "image_crc.h"
#include "stub/stub_image.h"
#include "stub/stub_symbols.h"
#include "unit.h"

/* CRC-32 the table-driven way (as zlib computes it), independent of
 * image_crc.h's bitwise loop. */
static uint32_t crc_table_way(const uint8_t *p, size_t n)
{
	static uint32_t table[256];
	uint32_t crc = 0xFFFFFFFFU;

	if (!table[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;

			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xEDB88320U ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	for (size_t i = 0; i < n; i++)
		crc = table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
	return crc ^ 0xFFFFFFFFU;
}

static void crc_check_value(void)
{
	const uint8_t digits[] = "123456789";

	/* The catalogued check value of CRC-32/ISO-HDLC. */
	CHECK_EQ(image_crc_final(image_crc_update(IMAGE_CRC_INIT, digits, 9)),
		 0xCBF43926U);
	CHECK_EQ(image_crc_final(image_crc_update(IMAGE_CRC_INIT, digits, 0)),
		 0);
	CHECK_EQ(crc_table_way(digits, 9), 0xCBF43926U);
}

#define IMAGES (1 + STUB_PART_IMAGES)

/* imgs[0]: the full image, then the part images. */
static int load(struct stub_image *imgs[IMAGES])
{
	int r = stub_image_load(&imgs[0], NULL);

	for (int i = 0; !r && i < STUB_PART_IMAGES; i++)
		r = stub_image_load_part(&imgs[1 + i], i);
	return r;
}

static void unload(struct stub_image *imgs[IMAGES])
{
	for (int i = 0; i < IMAGES; i++)
		stub_image_free(imgs[i]);
}

static void images_crc(void)
{
	struct stub_image *imgs[IMAGES] = {0};
	uint8_t *copy;

	CHECK_EQ(load(imgs), 0);
	for (int i = 0; i < IMAGES; i++)
		CHECK_EQ(imgs[i]->crc,
			 crc_table_way(imgs[i]->data, imgs[i]->size));
	/* One flipped bit anywhere changes it. */
	copy = malloc(imgs[1]->size);
	memcpy(copy, imgs[1]->data, imgs[1]->size);
	copy[imgs[1]->size / 2] ^= 0x10;
	CHECK(crc_table_way(copy, imgs[1]->size) != imgs[1]->crc);
	free(copy);
	unload(imgs);
}

/* eid and info load a part image: it must be much smaller, or it buys
 * nothing on the debug link; one for each transport. */
static void eid_images_smaller(void)
{
	struct stub_image *imgs[IMAGES] = {0};
	uint32_t xspi = 0;

	CHECK_EQ(load(imgs), 0);
	for (int i = 1; i < IMAGES; i++) {
		CHECK(imgs[i]->size * 2 < imgs[0]->size);
		CHECK(imgs[i]->size >= STUB_BOOT_END - STUB_LOAD_ADDR);
		CHECK(imgs[i]->commands & STUB_COMMAND_BIT(STUB_CMD_EID));
		xspi |= imgs[i]->xspi;
	}
	CHECK_EQ(xspi, STUB_XSPI_BIT(STUB_XSPI_QUADSPI) |
			       STUB_XSPI_BIT(STUB_XSPI_OCTOSPI));
	CHECK_STR(imgs[1]->origin, "built-in eid (QUADSPI)");
	unload(imgs);
}

static const struct stub_symbol *find(const struct stub_image *img,
				      const char *name)
{
	for (unsigned int i = 0; i < img->nsymbols; i++)
		if (!strcmp(img->symbols[i].name, name))
			return &img->symbols[i];
	return NULL;
}

/* The host's idea of each image's commands and drivers (stub_image.c)
 * against the functions linked into it (target-stubs/images/). */
static void commands_match_symbols(void)
{
	static const struct {
		uint32_t command;
		const char *fn;
	} cmds[] = {
		{STUB_CMD_PING, "cmd_ping"},	{STUB_CMD_EID, "cmd_eid"},
		{STUB_CMD_MEMTEST, "cmd_memtest"}, {STUB_CMD_PINS, "cmd_pins"},
		{STUB_CMD_BENCH, "cmd_bench"},	{STUB_CMD_MARGIN, "cmd_margin"},
		{STUB_CMD_READ, "cmd_read"},	{STUB_CMD_WRITE, "cmd_write"},
	};
	struct stub_image *imgs[IMAGES] = {0};

	CHECK_EQ(load(imgs), 0);
	for (int k = 0; k < IMAGES; k++) {
		CHECK_EQ((imgs[k]->xspi & STUB_XSPI_BIT(STUB_XSPI_QUADSPI)) != 0,
			 find(imgs[k], "quadspi_init") != NULL);
		CHECK_EQ((imgs[k]->xspi & STUB_XSPI_BIT(STUB_XSPI_OCTOSPI)) != 0,
			 find(imgs[k], "octospi_init") != NULL);
		for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
			int has = (imgs[k]->commands &
				   STUB_COMMAND_BIT(cmds[i].command)) != 0;

			if (has != (find(imgs[k], cmds[i].fn) != NULL))
				printf("  %s: %s\n", imgs[k]->origin,
				       cmds[i].fn);
			CHECK_EQ(has, find(imgs[k], cmds[i].fn) != NULL);
		}
	}
	CHECK(!(imgs[1]->commands & STUB_COMMAND_BIT(STUB_CMD_MEMTEST)));
	unload(imgs);
}

/* The entry and the image check, all that runs before the check passes,
 * end below STUB_BOOT_END in both images (the host reads those bytes
 * back). */
static void boot_code_below_boot_end(void)
{
	struct stub_image *imgs[IMAGES] = {0};

	CHECK_EQ(load(imgs), 0);
	for (int k = 0; k < IMAGES; k++) {
		const struct stub_symbol *entry = find(imgs[k], "stub_entry");
		const struct stub_symbol *check =
			find(imgs[k], "stub_load_check");

		CHECK(entry && check);
		CHECK_EQ(entry->addr & ~1U, STUB_ENTRY_ADDR);
		CHECK((check->addr & ~1U) + check->size <= STUB_BOOT_END);
		CHECK((check->addr & ~1U) > (entry->addr & ~1U));
	}
	unload(imgs);
}

UNIT_MAIN("cli_stub_images", UNIT_TEST(crc_check_value),
	  UNIT_TEST(images_crc), UNIT_TEST(eid_images_smaller),
	  UNIT_TEST(commands_match_symbols),
	  UNIT_TEST(boot_code_below_boot_end))
