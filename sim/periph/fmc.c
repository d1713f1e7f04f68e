#include "periph/fmc.h"

/* RM0433 §22.7.6-§22.9.8, register map Table 143: offset, reset value,
 * writable bits. Unlisted offsets are reserved and read 0. */
static const struct regfile_reg fmc_regs[] = {
	{0x000, 0x000030DBU, 0x833FFB7FU, 0, 0},	/* BCR1 (MBKEN set) */
	{0x004, 0x0FFFFFFFU, 0x3FFFFFFFU, 0, 0},	/* BTR1 */
	{0x008, 0x000030D2U, 0x003FFB7FU, 0, 0},	/* BCR2 */
	{0x00C, 0x0FFFFFFFU, 0x3FFFFFFFU, 0, 0},	/* BTR2 */
	{0x010, 0x000030D2U, 0x003FFB7FU, 0, 0},	/* BCR3 */
	{0x014, 0x0FFFFFFFU, 0x3FFFFFFFU, 0, 0},	/* BTR3 */
	{0x018, 0x000030D2U, 0x003FFB7FU, 0, 0},	/* BCR4 */
	{0x01C, 0x0FFFFFFFU, 0x3FFFFFFFU, 0, 0},	/* BTR4 */
	{0x080, 0x00000018U, 0x000FFE7EU, 0, 0},	/* PCR */
	{0x084, 0x00000040U, 0x00000038U, 0, 0},	/* SR (FEMPT set) */
	{0x088, 0xFCFCFCFCU, 0xFFFFFFFFU, 0, 0},	/* PMEM */
	{0x08C, 0xFCFCFCFCU, 0xFFFFFFFFU, 0, 0},	/* PATT */
	{0x094, 0x00000000U, 0x00000000U, 0, 0},	/* ECCR */
	{0x104, 0x0FFFFFFFU, 0x3FF0FFFFU, 0, 0},	/* BWTR1 */
	{0x10C, 0x0FFFFFFFU, 0x3FF0FFFFU, 0, 0},	/* BWTR2 */
	{0x114, 0x0FFFFFFFU, 0x3FF0FFFFU, 0, 0},	/* BWTR3 */
	{0x11C, 0x0FFFFFFFU, 0x3FF0FFFFU, 0, 0},	/* BWTR4 */
	{0x140, 0x000002D0U, 0x00007FFFU, 0, 0},	/* SDCR1 */
	{0x144, 0x000002D0U, 0x00007FFFU, 0, 0},	/* SDCR2 */
	{0x148, 0x0FFFFFFFU, 0x0FFFFFFFU, 0, 0},	/* SDTR1 */
	{0x14C, 0x0FFFFFFFU, 0x0FFFFFFFU, 0, 0},	/* SDTR2 */
	{0x150, 0x00000000U, 0x007FFFFFU, 0, 0},	/* SDCMR */
	{0x154, 0x00000000U, 0x00007FFFU, 0, 0},	/* SDRTR */
	{0x158, 0x00000000U, 0x00000000U, 0, 0},	/* SDSR */
};

struct regfile *fmc_new(void)
{
	return regfile_create("FMC", FMC_REG_SIZE, fmc_regs,
			      sizeof(fmc_regs) / sizeof(fmc_regs[0]), 1);
}
