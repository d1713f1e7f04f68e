/* The MPU on the simulated Cortex-M7 (ARMv7-M ARM B3.5): regions,
 * permissions, subregions, the background region, execute-never,
 * MemManage with MMFAR and its escalation to HardFault, and the memory
 * attributes other models read. Hand-assembled Thumb (A7.7). */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core_rig.h"
#include "cpu/mpu.h"
#include "unit.h"

#define RAM 0x20000000U
#define MAIN (RAM + 0x400U)
#define HANDLER (RAM + 0x600U)
#define DEV 0x40000000U
#define MPU_CTRL 0xE000ED94U
#define MPU_RBAR 0xE000ED9CU
#define MPU_RASR 0xE000EDA0U
#define SCB_SHCSR 0xE000ED24U
#define SCB_CFSR 0xE000ED28U
#define SCB_HFSR 0xE000ED2CU
#define SCB_MMFAR 0xE000ED34U

#define B_SELF 0xE7FEU
#define STR_R1_R0 0x6001U
#define LDR_R1_R0 0x6801U
#define ADDS_R5_1 0x3501U

#define AP_FULL 3U
#define AP_RO 6U
#define AP_NONE 0U

static unsigned dev_reads;

static bool dev_read(void *dev, uint32_t off, unsigned size, uint32_t *v,
		     enum bus_master m)
{
	(void)dev; (void)off; (void)size; (void)m;
	dev_reads++;
	*v = 0x1234;
	return true;
}

static bool dev_write(void *dev, uint32_t off, unsigned size, uint32_t v,
		      enum bus_master m)
{
	(void)dev; (void)off; (void)size; (void)v; (void)m;
	return true;
}

static const struct mmio_ops dev_ops = {dev_read, dev_write};

static void board(const uint16_t *code, unsigned n)
{
	core_rig_bus();
	bus_add_memory(&bus, "RAM", RAM, 0x10000,
		       REGION_READ | REGION_WRITE | REGION_EXEC);
	bus_add_mmio(&bus, "DEV", DEV, 0x400, &dev_ops, NULL);
	core_rig_core(RAM);
	core_map_bus(cpu);
	w32(RAM, RAM + 0x8000U);
	w32(RAM + 4, MAIN | 1U);
	for (unsigned v = 2; v < 16; v++)
		w32(RAM + 4 * v, HANDLER | 1U);
	bus_write(&bus, HANDLER, 2, B_SELF, BUS_MASTER_DEBUG);
	put16(MAIN, code, n);
	core_reset(cpu, true);
	dev_reads = 0;
}

static void region(unsigned n, uint32_t base, unsigned size_field,
		   unsigned ap, uint32_t extra)
{
	w32(MPU_RBAR, base | 0x10U | n);
	w32(MPU_RASR, ap << 24 | size_field << 1 | 1U | extra);
}

/* Region 0: all RAM, full access; region 1: 1 KiB read-only at +0x8000. */
static void ram_regions(void)
{
	region(0, RAM, 15, AP_FULL, 0);
	region(1, RAM + 0x8000U, 9, AP_RO, 0);
}

static void store_to_read_only_region_memmanage(void)
{
	static const uint16_t prog[] = {STR_R1_R0, ADDS_R5_1, B_SELF};

	board(prog, 3);
	ram_regions();
	w32(RAM + 0x8010U, 0xAAAAAAAAU);
	w32(SCB_SHCSR, 1U << 16); /* MEMFAULTENA */
	w32(MPU_CTRL, 1);
	core_write_regsel(cpu, 0, RAM + 0x8010U);
	core_write_regsel(cpu, 1, 0x55555555U);
	core_run(cpu, 20);
	CHECK_EQ(core_ipsr(cpu), 4);
	CHECK_EQ(r32(SCB_CFSR) & 0xFFU, 0x82U); /* MMARVALID | DACCVIOL */
	CHECK_EQ(r32(SCB_MMFAR), RAM + 0x8010U);
	CHECK_EQ(r32(RAM + 0x8010U), 0xAAAAAAAAU); /* store did not land */
	CHECK_EQ(core_reg(cpu, 5), 0);
	/* Stacked PC is the STR. */
	CHECK_EQ(r32(core_reg(cpu, 13) + 24), MAIN);
}

static void load_from_read_only_region_allowed(void)
{
	static const uint16_t prog[] = {LDR_R1_R0, ADDS_R5_1, B_SELF};

	board(prog, 3);
	ram_regions();
	w32(RAM + 0x8010U, 0xAAAAAAAAU);
	w32(MPU_CTRL, 1);
	core_write_regsel(cpu, 0, RAM + 0x8010U);
	core_run(cpu, 20);
	CHECK_EQ(core_ipsr(cpu), 0);
	CHECK_EQ(core_reg(cpu, 1), 0xAAAAAAAAU);
	CHECK_EQ(core_reg(cpu, 5), 1);
}

static void disabled_memmanage_escalates(void)
{
	static const uint16_t prog[] = {STR_R1_R0, B_SELF};

	board(prog, 2);
	ram_regions();
	w32(MPU_CTRL, 1);
	core_write_regsel(cpu, 0, RAM + 0x8010U);
	core_run(cpu, 20);
	CHECK_EQ(core_ipsr(cpu), 3);
	CHECK_EQ(r32(SCB_HFSR), 0x40000000U);
	CHECK_EQ(r32(SCB_CFSR) & 0xFFU, 0x82U);
}

static void background_region_privileged_only(void)
{
	static const uint16_t prog[] = {LDR_R1_R0, ADDS_R5_1, B_SELF};

	/* Only region 0 over RAM; the device has no region. Without
	 * PRIVDEFENA a load from it faults and the device never sees it. */
	board(prog, 3);
	region(0, RAM, 15, AP_FULL, 0);
	w32(SCB_SHCSR, 1U << 16);
	w32(MPU_CTRL, 1);
	core_write_regsel(cpu, 0, DEV);
	core_run(cpu, 20);
	CHECK_EQ(core_ipsr(cpu), 4);
	CHECK_EQ(r32(SCB_MMFAR), DEV);
	CHECK_EQ(dev_reads, 0);
	/* With PRIVDEFENA the default map applies to privileged code. */
	board(prog, 3);
	region(0, RAM, 15, AP_FULL, 0);
	w32(MPU_CTRL, 5);
	core_write_regsel(cpu, 0, DEV);
	core_run(cpu, 20);
	CHECK_EQ(core_ipsr(cpu), 0);
	CHECK_EQ(core_reg(cpu, 1), 0x1234);
	CHECK_EQ(dev_reads, 1);
}

static void subregion_disabled_falls_through(void)
{
	static const uint16_t prog[] = {STR_R1_R0, ADDS_R5_1, B_SELF};

	/* Region 2 (no access, 256 B in eight 32-byte subregions) with
	 * subregion 0 disabled: its first 32 bytes fall to region 0. */
	board(prog, 3);
	region(0, RAM, 15, AP_FULL, 0);
	region(2, RAM + 0x9000U, 7, AP_NONE, 1U << 8);
	w32(SCB_SHCSR, 1U << 16);
	w32(MPU_CTRL, 1);
	core_write_regsel(cpu, 0, RAM + 0x9004U);
	core_run(cpu, 20);
	CHECK_EQ(core_reg(cpu, 5), 1);
	CHECK_EQ(core_ipsr(cpu), 0);
	board(prog, 3);
	region(0, RAM, 15, AP_FULL, 0);
	region(2, RAM + 0x9000U, 7, AP_NONE, 1U << 8);
	w32(SCB_SHCSR, 1U << 16);
	w32(MPU_CTRL, 1);
	core_write_regsel(cpu, 0, RAM + 0x9024U);
	core_run(cpu, 20);
	CHECK_EQ(core_ipsr(cpu), 4);
	CHECK_EQ(r32(SCB_MMFAR), RAM + 0x9024U);
}

static void execute_never_iaccviol(void)
{
	static const uint16_t prog[] = {ADDS_R5_1, B_SELF};

	/* RAM executable except a 256-byte XN region holding MAIN. */
	board(prog, 2);
	region(0, RAM, 15, AP_FULL, 0);
	region(1, MAIN, 7, AP_FULL, 1U << 28);
	w32(SCB_SHCSR, 1U << 16);
	w32(MPU_CTRL, 1);
	core_run(cpu, 20);
	CHECK_EQ(core_ipsr(cpu), 4);
	CHECK_EQ(r32(SCB_CFSR) & 0xFFU, 0x01U); /* IACCVIOL, no MMARVALID */
	CHECK_EQ(core_reg(cpu, 5), 0);
}

/* B3.2: unprivileged code reading the SCS takes a BusFault (precise,
 * BFAR = the address); privileged code does not. */
static void unprivileged_scs_access_busfault(void)
{
	static const uint16_t prog[] = {LDR_R1_R0, ADDS_R5_1, B_SELF};

	board(prog, 3);
	w32(SCB_SHCSR, 1U << 17); /* BUSFAULTENA */
	core_write_regsel(cpu, 0, 0xE000ED00U); /* CPUID */
	core_write_regsel(cpu, 0x14, 1U << 24); /* CONTROL.nPRIV */
	core_run(cpu, 20);
	CHECK_EQ(core_ipsr(cpu), 5);
	CHECK_EQ(r32(SCB_CFSR) & 0xFF00U, 0x8200U); /* BFARVALID, PRECISERR */
	CHECK_EQ(r32(0xE000ED38U), 0xE000ED00U);
	board(prog, 3);
	core_write_regsel(cpu, 0, 0xE000ED00U);
	core_run(cpu, 20);
	CHECK_EQ(core_reg(cpu, 1), 0x411FC271U);
	CHECK_EQ(core_reg(cpu, 5), 1);
}

static void attributes_for_models(void)
{
	static const uint16_t prog[] = {B_SELF};
	struct mem_attr a;

	board(prog, 1);
	/* MPU off: default map (B3.1.1). */
	CHECK(core_mem_attr(cpu, 0x90000000U, true, &a));
	CHECK_EQ(a.type, MEM_NORMAL);
	CHECK_EQ(a.inner, CACHE_WRITE_THROUGH);
	CHECK_EQ(a.region, -1);
	CHECK(core_mem_attr(cpu, 0x40000000U, true, &a));
	CHECK_EQ(a.type, MEM_DEVICE);
	CHECK(a.execute_never);
	/* Region 3: 0x90000000, 8 MiB, TEX=1 C=1 B=1 (write-back WA). */
	region(3, 0x90000000U, 22, AP_FULL, 1U << 19 | 1U << 17 | 1U << 16);
	w32(MPU_CTRL, 5);
	CHECK(core_mpu_enabled(cpu));
	CHECK(core_mem_attr(cpu, 0x90001000U, true, &a));
	CHECK_EQ(a.region, 3);
	CHECK_EQ(a.type, MEM_NORMAL);
	CHECK_EQ(a.inner, CACHE_WRITE_BACK_WA);
	/* TEX=0 C=0 B=1: shareable device. */
	region(3, 0x90000000U, 22, AP_FULL, 1U << 16);
	CHECK(core_mem_attr(cpu, 0x90001000U, true, &a));
	CHECK_EQ(a.type, MEM_DEVICE);
	/* Unprivileged, no region: no background map. */
	CHECK(!core_mem_attr(cpu, 0x30000000U, false, &a));
}

static void last_cleans_up(void)
{
	core_destroy(cpu);
	bus_free(&bus);
	cpu = NULL;
}

/* CCSIDR shows the cache CSSELR selects (ARMv7-M B4.8.3): the M7 of the
 * STM32H7/F7 has a 16 KiB 4-way D-cache and a 16 KiB 2-way I-cache with
 * 32-byte lines, so 128 and 256 sets. */
static void cache_geometry_by_csselr(void)
{
	uint32_t d, i;

	board(NULL, 0);
	w32(0xE000ED84U, 0);
	d = r32(0xE000ED80U);
	CHECK_EQ(((d >> 13) & 0x7FFFU) + 1U, 128U);
	CHECK_EQ(((d >> 3) & 0x3FFU) + 1U, 4U);
	CHECK_EQ(16U << (d & 7U), 32U);
	w32(0xE000ED84U, 1);
	CHECK_EQ(r32(0xE000ED84U), 1U);
	i = r32(0xE000ED80U);
	CHECK_EQ(((i >> 13) & 0x7FFFU) + 1U, 256U);
	CHECK_EQ(((i >> 3) & 0x3FFU) + 1U, 2U);
	CHECK_EQ(16U << (i & 7U), 32U);
}

UNIT_MAIN("sim_core_mpu", UNIT_TEST(store_to_read_only_region_memmanage),
	  UNIT_TEST(load_from_read_only_region_allowed),
	  UNIT_TEST(disabled_memmanage_escalates),
	  UNIT_TEST(background_region_privileged_only),
	  UNIT_TEST(subregion_disabled_falls_through),
	  UNIT_TEST(execute_never_iaccviol),
	  UNIT_TEST(unprivileged_scs_access_busfault),
	  UNIT_TEST(attributes_for_models),
	  UNIT_TEST(cache_geometry_by_csselr),
	  UNIT_TEST(last_cleans_up))
