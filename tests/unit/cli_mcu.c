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

		CHECK(l->name && l->family && l->idcode_addr);
		CHECK(l->flash_size_addr && !(l->flash_size_addr & 1));
		for (unsigned j = i + 1; j < mcu_line_count; j++)
			CHECK(mcu_lines[j].dev_id != l->dev_id);
		for (int r = 0; r < MCU_MAX_REVS && l->revs[r].rev_id; r++)
			for (int s = r + 1; s < MCU_MAX_REVS && l->revs[s].rev_id;
			     s++)
				CHECK(l->revs[r].rev_id != l->revs[s].rev_id);
		for (int r = 0; r < MCU_MAX_REGIONS && l->ram[r].name; r++) {
			const struct mcu_region *a = &l->ram[r];

			CHECK(a->size && (uint64_t)a->start + a->size <=
						 0x100000000ull);
			if (r + 1 < MCU_MAX_REGIONS && l->ram[r + 1].name)
				CHECK((uint64_t)a->start + a->size <=
				      l->ram[r + 1].start);
		}
		if (l->ram[0].name)
			CHECK(l->ram[1].start == 0x20000000 &&
			      !strcmp(l->ram[1].name, "DTCM"));
	}
}

UNIT_MAIN("cli_mcu", UNIT_TEST(decode_idcode), UNIT_TEST(table_selfcheck))
