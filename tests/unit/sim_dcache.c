/* The Cortex-M7 L1 data cache model in front of a memory-mapped window
 * (sim/cpu/dcache.c; docs/psramsim-cpu.md "Level-1 data cache"): policies
 * from the MPU attributes, fills, evictions, maintenance by address and
 * set/way, reset, debugger lookups and the geometry CCSIDR reports. The
 * window here is a plain byte array that counts the accesses reaching it,
 * so each check sees what silicon would send to the controller. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core_rig.h"
#include "cpu/dcache.h"
#include "unit.h"

#define WIN 0x90000000U
#define WIN_SIZE 0x100000U
#define SCB_CCR 0xE000ED14U
#define CCR_DC (1U << 16)
#define SCB_CCSIDR 0xE000ED80U
#define SCB_CSSELR 0xE000ED84U
#define MPU_CTRL 0xE000ED94U
#define MPU_RBAR 0xE000ED9CU
#define MPU_RASR 0xE000EDA0U
#define DCIMVAC 0xE000EF5CU
#define DCISW 0xE000EF60U
#define DCCMVAC 0xE000EF68U
#define DCCISW 0xE000EF74U
#define CACR 0xE000EF9CU

/* RASR: full access, 1 MiB, enabled, with TEX/S/C/B. */
#define RASR_BASE (3U << 24 | 19U << 1 | 1U)
#define ATTR_WB (1U << 19 | 1U << 17 | 1U << 16)
#define ATTR_WT (1U << 17)
#define ATTR_S (1U << 18)

static uint8_t chip[WIN_SIZE];
static unsigned reads, writes;
static bool refuse_writes;

static bool win_read(void *dev, uint32_t off, unsigned size, uint32_t *v,
		     enum bus_master m)
{
	(void)dev;
	(void)m;
	reads++;
	*v = 0;
	for (unsigned i = 0; i < size; i++)
		*v |= (uint32_t)chip[off + i] << (8 * i);
	return true;
}

static bool win_write(void *dev, uint32_t off, unsigned size, uint32_t v,
		      enum bus_master m)
{
	(void)dev;
	(void)m;
	if (refuse_writes)
		return false;
	writes++;
	for (unsigned i = 0; i < size; i++)
		chip[off + i] = (uint8_t)(v >> (8 * i));
	return true;
}

static const struct mmio_ops win_ops = {win_read, win_write};

static uint32_t chip32(uint32_t off)
{
	uint32_t v;

	memcpy(&v, &chip[off], 4);
	return v;
}

static void set_chip32(uint32_t off, uint32_t v)
{
	memcpy(&chip[off], &v, 4);
}

static void teardown(void)
{
	if (cpu)
		dcache_detach(cpu);
	core_rig_free();
}

/* A core with a `kib` KiB data cache in front of the window, an MPU
 * region with `attr` over its first MiB and CCR.DC set after a set/way
 * invalidation (the order the TRM asks for). */
static void board(unsigned kib, uint32_t attr)
{
	struct bus_region *r;

	teardown();
	memset(chip, 0, sizeof(chip));
	core_rig_bus();
	r = bus_add_mmio(&bus, "window", WIN, WIN_SIZE, &win_ops, NULL);
	r->flags |= REGION_DCACHE;
	core_rig_core(0x20000000U);
	CHECK_EQ(dcache_attach(cpu, kib), 0);
	core_reset(cpu, true);
	w32(MPU_RBAR, WIN | 0x10U);
	w32(MPU_RASR, RASR_BASE | attr);
	w32(MPU_CTRL, 1U | 4U);
	for (uint32_t set = 0; set < kib * 1024U / 128U; set++)
		for (uint32_t way = 0; way < 4U; way++)
			w32(DCISW, way << 30 | set << 5);
	w32(SCB_CCR, r32(SCB_CCR) | CCR_DC);
	reads = writes = 0;
	refuse_writes = false;
}

static void wb_store_stays_until_cleaned(void)
{
	board(16, ATTR_WB);
	set_chip32(0x100, 0x11111111U);
	w32(WIN + 0x104, 0xA5A5A5A5U);
	CHECK_EQ(reads, 8);		/* write-allocate: one line fill */
	CHECK_EQ(writes, 0);
	CHECK_EQ(chip32(0x104), 0);
	CHECK_EQ(r32(WIN + 0x100), 0x11111111U);	/* from the line */
	CHECK_EQ(r32(WIN + 0x104), 0xA5A5A5A5U);
	CHECK_EQ(reads, 8);
	w32(DCCMVAC, WIN + 0x104);
	CHECK_EQ(writes, 8);		/* the whole line, as words */
	CHECK_EQ(chip32(0x104), 0xA5A5A5A5U);
	w32(DCCMVAC, WIN + 0x104);	/* clean now: nothing to send */
	CHECK_EQ(writes, 8);
}

static void stale_line_until_invalidated(void)
{
	board(16, ATTR_WB);
	set_chip32(0x200, 0x22222222U);
	CHECK_EQ(r32(WIN + 0x200), 0x22222222U);
	set_chip32(0x200, 0x33333333U);	/* written past the cache */
	CHECK_EQ(r32(WIN + 0x200), 0x22222222U);
	w32(DCIMVAC, WIN + 0x200);
	CHECK_EQ(r32(WIN + 0x200), 0x33333333U);
}

static void invalidate_loses_dirty_data(void)
{
	board(16, ATTR_WB);
	set_chip32(0x300, 0x44444444U);
	w32(WIN + 0x300, 0xB4B4B4B4U);
	w32(DCIMVAC, WIN + 0x300);
	CHECK_EQ(writes, 0);
	CHECK_EQ(r32(WIN + 0x300), 0x44444444U);
}

static void write_through_and_no_allocate(void)
{
	board(16, ATTR_WT);
	w32(WIN + 0x400, 0xC6C6C6C6U);	/* a miss: no line, one write */
	CHECK_EQ(reads, 0);
	CHECK_EQ(writes, 1);
	CHECK_EQ(chip32(0x400), 0xC6C6C6C6U);
	CHECK_EQ(r32(WIN + 0x400), 0xC6C6C6C6U);	/* fills the line */
	CHECK_EQ(reads, 8);
	w32(WIN + 0x400, 0xC7C7C7C7U);	/* a hit: line and chip */
	CHECK_EQ(writes, 2);
	CHECK_EQ(chip32(0x400), 0xC7C7C7C7U);
	bus_write(&bus, WIN + 0x402, 1, 0x5A, BUS_MASTER_CPU);
	CHECK_EQ(chip32(0x400), 0xC75AC7C7U);	/* a byte reaches as a byte */
}

/* Five lines of one set: the fifth evicts a dirty line, 32 bytes. */
static void fifth_line_evicts_one(void)
{
	uint32_t stride = 128U * 32U, reached = 0;

	board(16, ATTR_WB);
	for (uint32_t k = 0; k < 5; k++)
		w32(WIN + k * stride, 0xD0000000U | k);
	CHECK_EQ(writes, 8);
	for (uint32_t k = 0; k < 5; k++)
		reached += chip32(k * stride) == (0xD0000000U | k);
	CHECK_EQ(reached, 1);
	for (uint32_t set = 0; set < 128; set++)
		for (uint32_t way = 0; way < 4; way++)
			w32(DCCISW, way << 30 | set << 5);
	for (uint32_t k = 0; k < 5; k++)
		CHECK_EQ(chip32(k * stride), 0xD0000000U | k);
}

static void not_cached_where_the_m7_does_not_cache(void)
{
	board(16, ATTR_WB);
	w32(SCB_CCR, r32(SCB_CCR) & ~CCR_DC);	/* CCR.DC off */
	w32(WIN + 0x500, 1U);
	CHECK_EQ(reads, 0);
	CHECK_EQ(chip32(0x500), 1U);

	board(16, ATTR_WB | ATTR_S);		/* Shareable, SIWT clear */
	w32(WIN + 0x500, 2U);
	CHECK_EQ(reads, 0);
	CHECK_EQ(chip32(0x500), 2U);
	w32(CACR, 1U);				/* SIWT: write-through */
	CHECK_EQ(r32(CACR), 1U);
	CHECK_EQ(r32(WIN + 0x500), 2U);
	CHECK_EQ(reads, 8);

	board(16, ATTR_WB);
	w32(CACR, 4U);				/* FORCEWT */
	w32(WIN + 0x520, 3U);			/* WT: no write-allocate */
	CHECK_EQ(chip32(0x520), 3U);
	CHECK_EQ(reads, 0);

	board(16, 0U);				/* TEX 000 C 0 B 0: SO */
	w32(WIN + 0x540, 4U);
	CHECK_EQ(r32(WIN + 0x540), 4U);
	CHECK_EQ(reads, 1);
}

static void reset_loses_dirty_lines(void)
{
	board(16, ATTR_WB);
	w32(WIN + 0x600, 0xE8E8E8E8U);
	core_reset(cpu, false);
	CHECK_EQ(writes, 0);
	CHECK_EQ(chip32(0x600), 0);
	CHECK_EQ(r32(CACR), 0);
}

static void debugger_looks_up_with_hprot_cacheable(void)
{
	uint32_t v = 0;

	board(16, ATTR_WB);
	w32(WIN + 0x700, 0xF1F1F1F1U);
	bus.debug_cacheable = false;
	bus_read(&bus, WIN + 0x700, 4, &v, BUS_MASTER_DEBUG);
	CHECK_EQ(v, 0);				/* the chip */
	bus.debug_cacheable = true;
	bus_read(&bus, WIN + 0x700, 4, &v, BUS_MASTER_DEBUG);
	CHECK_EQ(v, 0xF1F1F1F1U);		/* the line */
	bus_write(&bus, WIN + 0x700, 4, 0xF2F2F2F2U, BUS_MASTER_DEBUG);
	CHECK_EQ(chip32(0x700), 0xF2F2F2F2U);
	CHECK_EQ(r32(WIN + 0x700), 0xF2F2F2F2U);
	bus.debug_cacheable = false;
}

/* A write-back that gets a bus error is an imprecise BusFault. */
static void failed_write_back_is_imprecise(void)
{
	board(16, ATTR_WB);
	w32(WIN + 0x800, 1U);
	refuse_writes = true;
	cpu->fault_kind = FAULT_NONE;
	w32(DCCMVAC, WIN + 0x800);
	CHECK_EQ(cpu->fault_kind, FAULT_WRITE);
	cpu->fault_kind = FAULT_NONE;
}

static void geometry_follows_the_part(void)
{
	uint32_t d;

	board(4, ATTR_WB);
	w32(SCB_CSSELR, 0);
	d = r32(SCB_CCSIDR);
	CHECK_EQ(((d >> 13) & 0x7FFFU) + 1U, 32U);
	CHECK_EQ(((d >> 3) & 0x3FFU) + 1U, 4U);
	CHECK_EQ(16U << (d & 7U), 32U);
	w32(SCB_CSSELR, 1);
	d = r32(SCB_CCSIDR);
	CHECK_EQ(((d >> 13) & 0x7FFFU) + 1U, 64U);
	CHECK_EQ(((d >> 3) & 0x3FFU) + 1U, 2U);
	board(16, ATTR_WB);
	w32(SCB_CSSELR, 0);
	CHECK_EQ(((r32(SCB_CCSIDR) >> 13) & 0x7FFFU) + 1U, 128U);
}

static void last_cleans_up(void)
{
	teardown();
}

UNIT_MAIN("sim_dcache", UNIT_TEST(wb_store_stays_until_cleaned),
	  UNIT_TEST(stale_line_until_invalidated),
	  UNIT_TEST(invalidate_loses_dirty_data),
	  UNIT_TEST(write_through_and_no_allocate),
	  UNIT_TEST(fifth_line_evicts_one),
	  UNIT_TEST(not_cached_where_the_m7_does_not_cache),
	  UNIT_TEST(reset_loses_dirty_lines),
	  UNIT_TEST(debugger_looks_up_with_hprot_cacheable),
	  UNIT_TEST(failed_write_back_is_imprecise),
	  UNIT_TEST(geometry_follows_the_part),
	  UNIT_TEST(last_cleans_up))
