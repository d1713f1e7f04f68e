/* Flash layouts per MCU line and plans: which sectors, which chunks, and
 * the refusals (QSPI window, outside the flash, too large). */
#include <stdlib.h>

#include "image/flash_plan.h"
#include "unit.h"

static struct flash_layout layout;
static struct flash_plan plan;

static void layouts(void)
{
	struct strbuf why;

	sb_init(&why);
	/* H750: one bank, one 128 KiB sector. */
	CHECK_EQ(flash_layout_for(0x450, 128, &layout, &why), 0);
	CHECK_EQ(layout.nbanks, 1);
	CHECK_EQ(layout.nsectors, 1);
	CHECK_EQ(layout.word, 32);
	CHECK_EQ(layout.sector[0].size, 128 * 1024);
	/* H743: two banks of 8 x 128 KiB, bank 2 at 0x08100000. */
	CHECK_EQ(flash_layout_for(0x450, 2048, &layout, &why), 0);
	CHECK_EQ(layout.nbanks, 2);
	CHECK_EQ(layout.nsectors, 16);
	CHECK_EQ(layout.bank_base[1], 0x08100000u);
	CHECK_EQ(layout.sector[8].addr, 0x08100000u);
	CHECK_EQ(layout.sector[8].bank, 1);
	CHECK_EQ(layout.sector[8].in_bank, 0);
	CHECK_EQ(layout.sector[15].addr, 0x081E0000u);
	/* H743xG: 2 x 512 KiB, bank 2 still at 0x08100000. */
	CHECK_EQ(flash_layout_for(0x450, 1024, &layout, &why), 0);
	CHECK_EQ(layout.sector[4].addr, 0x08100000u);
	CHECK(flash_sector_at(&layout, 0x080A0000u) == NULL);
	/* H7A3: 8 KiB sectors, 16-byte words. */
	CHECK_EQ(flash_layout_for(0x480, 2048, &layout, &why), 0);
	CHECK_EQ(layout.nsectors, 256);
	CHECK_EQ(layout.word, 16);
	CHECK_EQ(layout.sector[128].addr, 0x08100000u);
	/* F746: 4 x 32, 128, 3 x 256 KiB. */
	CHECK_EQ(flash_layout_for(0x449, 1024, &layout, &why), 0);
	CHECK_EQ(layout.nsectors, 8);
	CHECK_EQ(layout.sector[4].addr, 0x08020000u);
	CHECK_EQ(layout.sector[5].size, 256 * 1024);
	CHECK(flash_sector_at(&layout, 0x080FFFFFu) == &layout.sector[7]);
	/* F769 dual bank (nDBANK = 0): 2 x (4 x 16, 64, 7 x 128 KiB),
	 * numbered 0..23 in one bank; only 2 MiB parts. */
	CHECK_EQ(flash_layout_f76x_dual_bank(2048, &layout, &why), 0);
	CHECK_EQ(layout.nbanks, 1);
	CHECK_EQ(layout.nsectors, 24);
	CHECK_EQ(layout.sector[4].size, 64 * 1024);
	CHECK_EQ(layout.sector[12].addr, 0x08100000u);
	CHECK_EQ(layout.sector[12].size, 16 * 1024);
	CHECK(flash_sector_at(&layout, 0x081FFFFFu) == &layout.sector[23]);
	CHECK(flash_layout_f76x_dual_bank(1024, &layout, &why) < 0);
	/* F72x with 256 KiB: the first six sectors. */
	CHECK_EQ(flash_layout_for(0x452, 256, &layout, &why), 0);
	CHECK_EQ(layout.nsectors, 6);
	/* Refused: unknown DEV_ID, impossible sizes. */
	CHECK(flash_layout_for(0x123, 128, &layout, &why) < 0);
	CHECK(flash_layout_for(0x450, 4096, &layout, &why) < 0);
	CHECK(flash_layout_for(0x450, 100, &layout, &why) < 0);
	CHECK(flash_layout_for(0x449, 100, &layout, &why) < 0);
	sb_release(&why);
}

static uint32_t chunk_max = 128 * 1024;

static int plan_for(const uint32_t *addr, const uint32_t *size, unsigned n,
		    uint16_t dev, uint32_t kib, struct strbuf *why)
{
	struct image img;
	uint8_t *data = malloc(2 * 1024 * 1024);
	int r;

	for (size_t i = 0; i < 2 * 1024 * 1024; i++)
		data[i] = (uint8_t)(i * 7 + 1);
	image_init(&img);
	for (unsigned i = 0; i < n; i++)
		image_add(&img, addr[i], data, size[i]);
	free(data);
	flash_plan_free(&plan);
	sb_reset(why);
	r = image_finish(&img, why);
	if (!r)
		r = flash_layout_for(dev, kib, &layout, why);
	if (!r)
		r = flash_plan_build(&img, &layout, chunk_max, &plan, why);
	image_free(&img);
	return r;
}

static void chunks(void)
{
	struct strbuf why;

	sb_init(&why);
	{
		/* 176 bytes at the start: one sector, one chunk padded to a
		 * 32-byte flash word with 0xFF. */
		static const uint32_t a[] = {0x08000000u};
		static const uint32_t s[] = {176};

		CHECK_EQ(plan_for(a, s, 1, 0x450, 128, &why), 0);
		CHECK_EQ(plan.nerase, 1);
		CHECK_EQ(plan.nchunks, 1);
		CHECK_EQ(plan.chunk[0].size, 192);
		CHECK_EQ(plan.chunk[0].data[175], (uint8_t)(175 * 7 + 1));
		CHECK_EQ(plan.chunk[0].data[176], 0xFF);
		CHECK_EQ(plan.image_bytes, 176);
		CHECK_EQ(plan.program_bytes, 192);
	}
	{
		/* 300 KiB from 0x08010010 on an H743: sectors 0-2, one chunk
		 * per 128 KiB sector, starting on a flash word. */
		static const uint32_t a[] = {0x08010010u};
		static const uint32_t s[] = {300 * 1024};
		uint64_t covered = 0;

		CHECK_EQ(plan_for(a, s, 1, 0x450, 2048, &why), 0);
		CHECK_EQ(plan.nerase, 3);
		CHECK(plan.erase[0] && plan.erase[1] && plan.erase[2]);
		CHECK_EQ(plan.nchunks, 3);
		CHECK_EQ(plan.chunk[0].addr, 0x08010000u);
		CHECK_EQ(plan.chunk[0].size, 0x10000u);
		CHECK_EQ(plan.chunk[0].data[0x10], 1);
		CHECK_EQ(plan.chunk[0].data[0], 0xFF);
		CHECK_EQ(plan.chunk[1].addr, 0x08020000u);
		CHECK_EQ(plan.chunk[1].size, 0x20000u);
		for (size_t i = 0; i < plan.nchunks; i++) {
			const struct flash_chunk *c = &plan.chunk[i];
			const struct flash_sector *sec =
				&layout.sector[c->first];

			CHECK_EQ(c->first, c->last);
			CHECK(c->size % 32 == 0 && c->addr % 32 == 0);
			CHECK(c->addr >= sec->addr &&
			      c->addr + c->size <= sec->addr + sec->size);
			covered += c->size;
		}
		CHECK_EQ(covered, 300 * 1024 + 32);
	}
	{
		/* Smaller chunks cut a sector; they never overlap and never
		 * cross a sector boundary they could keep to. */
		static const uint32_t a[] = {0x08010010u};
		static const uint32_t s[] = {300 * 1024};

		chunk_max = 32 * 1024;
		CHECK_EQ(plan_for(a, s, 1, 0x450, 2048, &why), 0);
		chunk_max = 128 * 1024;
		for (size_t i = 0; i < plan.nchunks; i++) {
			const struct flash_chunk *c = &plan.chunk[i];

			CHECK(c->size <= 32 * 1024);
			CHECK_EQ(c->first, c->last);
			if (i)
				CHECK_EQ(c->addr, plan.chunk[i - 1].addr +
							  plan.chunk[i - 1].size);
		}
	}
	{
		/* 8 KiB sectors (H7A3): whole sectors share a chunk. */
		static const uint32_t a[] = {0x08000000u};
		static const uint32_t s[] = {100 * 1024};

		CHECK_EQ(plan_for(a, s, 1, 0x480, 2048, &why), 0);
		CHECK_EQ(plan.nerase, 13);
		CHECK_EQ(plan.nchunks, 1);
		CHECK_EQ(plan.chunk[0].first, 0);
		CHECK_EQ(plan.chunk[0].last, 12);
		chunk_max = 20 * 1024;	/* 2.5 sectors: two sectors a chunk */
		CHECK_EQ(plan_for(a, s, 1, 0x480, 2048, &why), 0);
		chunk_max = 128 * 1024;
		CHECK_EQ(plan.nchunks, 6);
		CHECK_EQ(plan.chunk[0].size, 16 * 1024);
		CHECK_EQ(plan.chunk[0].last, 1);
		/* the last 4 KiB still fit with sectors 10 and 11 */
		CHECK_EQ(plan.chunk[5].first, 10);
		CHECK_EQ(plan.chunk[5].last, 12);
		CHECK_EQ(plan.chunk[5].size, 20 * 1024);
	}
	{
		/* Two pieces in one flash word and one far away in the
		 * same sector, one in bank 2: small gaps are joined, a
		 * flash word is never in two chunks. */
		static const uint32_t a[] = {0x08000000u, 0x08000010u,
					     0x08010000u, 0x08100004u};
		static const uint32_t s[] = {4, 4, 64, 8};

		CHECK_EQ(plan_for(a, s, 4, 0x450, 2048, &why), 0);
		CHECK_EQ(plan.nerase, 2);
		CHECK(plan.erase[0] && plan.erase[8]);
		CHECK_EQ(plan.nchunks, 3);
		CHECK_EQ(plan.chunk[0].addr, 0x08000000u);
		CHECK_EQ(plan.chunk[0].size, 32);
		CHECK_EQ(plan.chunk[0].data[4], 0xFF);
		CHECK_EQ(plan.chunk[0].data[0x10], 1);
		CHECK_EQ(plan.chunk[1].addr, 0x08010000u);
		CHECK_EQ(plan.chunk[2].first, 8);
	}
	flash_plan_free(&plan);
	sb_release(&why);
}

static void refusals(void)
{
	static const struct {
		uint32_t addr, size;
		uint16_t dev;
		uint32_t kib;
		const char *why;
	} bad[] = {
		{0x90000000u, 1024, 0x450, 128, "QSPI memory window"},
		{0x8FFFFFF0u, 64, 0x450, 128, "QSPI memory window"},
		{0x24000000u, 16, 0x450, 128, "outside the internal flash"},
		{0x00000000u, 16, 0x450, 128, "outside the internal flash"},
		{0x08020000u, 16, 0x450, 128, "outside the internal flash"},
		{0x08000000u, 128 * 1024 + 1, 0x450, 128, "does not fit"},
		{0x08010000u, 2048 * 1024, 0x450, 2048, "does not fit"},
		/* the hole between 2 x 512 KiB banks */
		{0x08070000u, 128 * 1024, 0x450, 1024, "does not fit"},
	};
	struct strbuf why;

	sb_init(&why);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (plan_for(&bad[i].addr, &bad[i].size, 1, bad[i].dev,
			     bad[i].kib, &why) == 0 ||
		    !strstr(why.buf, bad[i].why)) {
			printf("  case %zu: '%s', expected '%s'\n", i,
			       why.buf, bad[i].why);
			unit_failed_now = 1;
		}
	}
	CHECK(strstr(why.buf, "0x08000000-0x0807ffff and "
			      "0x08100000-0x0817ffff"));
	/* A MicroPython XIP build: flash part fine, QSPI part refused. */
	{
		static const uint32_t a[] = {0x08000000u, 0x90000000u};
		static const uint32_t s[] = {1024, 1024};

		CHECK(plan_for(a, s, 2, 0x450, 128, &why) < 0);
		CHECK(strstr(why.buf, "PSRAM"));
	}
	flash_plan_free(&plan);
	sb_release(&why);
}

UNIT_MAIN("cli_flash_plan", UNIT_TEST(layouts), UNIT_TEST(chunks),
	  UNIT_TEST(refusals))
