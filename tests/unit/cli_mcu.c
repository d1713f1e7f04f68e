/* The MCU table (docs/hardware-*.md §1, §2) checks itself: IDCODE
 * decoding, unique device IDs and revisions, RAM regions sorted and
 * disjoint, the stub's DTCM at 0x20000000 on every line that has a map. */
#include <string.h>

#include "parts/mcu.h"
#include "unit.h"

static void decode_idcode(void)
{
	/* H743 rev V as OpenOCD read it (docs/openocd.md §6) */
	const struct mcu_line *l = mcu_lookup(MCU_DEV_ID(0x20036450));

	CHECK(l);
	CHECK_STR(l->name, "STM32H742/743/750/753");
	CHECK_STR(mcu_rev_name(l, MCU_REV_ID(0x20036450)), "V");
	CHECK_EQ(MCU_REV_ID(0x10006450), 0x1000);
	CHECK_STR(mcu_rev_name(l, 0x1003), "Y");
	CHECK(mcu_rev_name(l, 0x1234) == NULL);
	CHECK(mcu_lookup(0x123) == NULL);
	CHECK_STR(mcu_lookup(0x480)->family, "stm32h7a3");
	CHECK_EQ(mcu_lookup(0x451)->idcode_addr, 0xe0042000);
	CHECK_EQ(mcu_idcode_addr("stm32f7"), 0xe0042000);
	CHECK_EQ(mcu_idcode_addr("stm32h7a3"), 0x5c001000);
	CHECK_EQ(mcu_idcode_addr("nonsense"), 0);
	CHECK_EQ(mcu_idcode_addr(NULL), 0);
}

static void table_selfcheck(void)
{
	for (unsigned i = 0; i < mcu_line_count; i++) {
		const struct mcu_line *l = &mcu_lines[i];
		unsigned n;
		const struct mcu_region *ram = mcu_ram(l, &n);

		CHECK(l->name && l->family && l->idcode_addr);
		CHECK(l->flash_size_addr && !(l->flash_size_addr & 1));
		for (unsigned j = i + 1; j < mcu_line_count; j++)
			CHECK(mcu_lines[j].dev_id != l->dev_id);
		CHECK(n <= MCU_MAX_REGIONS);
		for (unsigned r = 0; r < n; r++) {
			CHECK(ram[r].dev_id == l->dev_id && ram[r].name);
			CHECK(ram[r].size && (uint64_t)ram[r].start +
						     ram[r].size <=
						     0x100000000ull);
			if (r + 1 < n)
				CHECK((uint64_t)ram[r].start + ram[r].size <=
				      ram[r + 1].start);
		}
		if (n)
			CHECK(ram[1].start == 0x20000000 &&
			      !strcmp(ram[1].name, "DTCM"));
	}
	/* Every row belongs to a line, each revision once per line, and a
	 * line's regions are consecutive (mcu_ram counts them so). */
	for (unsigned r = 0; r < mcu_rev_count; r++) {
		CHECK(mcu_lookup(mcu_revs[r].dev_id) && mcu_revs[r].name);
		for (unsigned s = r + 1; s < mcu_rev_count; s++)
			CHECK(mcu_revs[s].dev_id != mcu_revs[r].dev_id ||
			      mcu_revs[s].rev_id != mcu_revs[r].rev_id);
	}
	for (unsigned r = 0; r < mcu_ram_map_count; r++) {
		CHECK(mcu_lookup(mcu_ram_map[r].dev_id));
		for (unsigned s = r + 2; s < mcu_ram_map_count; s++)
			CHECK(mcu_ram_map[s].dev_id != mcu_ram_map[r].dev_id ||
			      mcu_ram_map[s - 1].dev_id == mcu_ram_map[r].dev_id);
	}
}

static void ram_maps(void)
{
	unsigned n = 1;
	const struct mcu_region *ram = mcu_ram(mcu_lookup(0x450), &n);

	CHECK_EQ(n, 8);
	CHECK_STR(ram[0].name, "ITCM");
	CHECK_STR(ram[7].name, "Backup SRAM");
	ram = mcu_ram(mcu_lookup(0x452), &n);
	CHECK_EQ(n, 4);
	CHECK_EQ(ram[3].start, 0x2003c000);
	mcu_ram(mcu_lookup(0x483), &n); /* no documented map */
	CHECK_EQ(n, 0);
}

UNIT_MAIN("cli_mcu", UNIT_TEST(decode_idcode), UNIT_TEST(table_selfcheck),
	  UNIT_TEST(ram_maps))
