/* JTAG-DP and MEM-APs, reached through the TAP chain bit by bit the way
 * OpenOCD 0.12's bitbang driver and adi_v5_jtag.c reach them. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "debug/adi.h"
#include "bus.h"
#include "jtag_rig.h"
#include "util/log.h"
#include "util/stats.h"
#include "unit.h"

#define SRAM_BASE 0x20000000U
#define SRAM_SIZE 0x10000U
#define DBG_BASE 0xE00E1000U
#define UNMAPPED 0x30000000U
#define SMALL_BASE 0x24000000U

static struct bus sys_bus, apb_bus;
static struct adi_dp dp;
static unsigned dap_ir;
static unsigned transactions;

static void count_transaction(void *ctx)
{
	(*(unsigned *)ctx)++;
}

/* adi_jtag_dp_scan: IR only when it changes (OpenOCD caches it), then 35
 * bits for the DAP plus the BS TAP's BYPASS bit. */
static uint64_t dap_scan(unsigned ir, bool read, unsigned addr, uint32_t data)
{
	uint64_t cap;

	if (ir != dap_ir) {
		uint64_t bs = (uint64_t)JTAG_BS_IR_BYPASS << ADI_IRLEN;
		uint64_t irc = scan64(true, ir | bs, ADI_IRLEN + JTAG_BS_IRLEN);

		dap_ir = ir;
		if ((irc & 0xF) != ADI_IR_CAPTURE)
			return ~UINT64_C(0);
	}
	cap = scan64(false, adi_dr_request(read, addr, data), ADI_DR_LEN + 1);
	return cap & ((UINT64_C(1) << ADI_DR_LEN) - 1);
}

static bool ack_ok(uint64_t cap)
{
	return (cap & 7) == ADI_ACK_OK_FAULT;
}

static void dp_write(unsigned addr, uint32_t value)
{
	dap_scan(ADI_IR_DPACC, false, addr, value);
}

/* A posted read: the value arrives with the RDBUFF scan that follows. */
static uint32_t dp_read(unsigned addr)
{
	dap_scan(ADI_IR_DPACC, true, addr, 0);
	return (uint32_t)(dap_scan(ADI_IR_DPACC, true, ADI_DP_RDBUFF, 0) >> 3);
}

static void select_ap(unsigned apsel, unsigned reg)
{
	dp_write(ADI_DP_SELECT, apsel << 24 | (reg & 0xF0));
}

static void ap_write(unsigned apsel, unsigned reg, uint32_t value)
{
	select_ap(apsel, reg);
	dap_scan(ADI_IR_APACC, false, reg & 0xC, value);
}

static uint32_t ap_read(unsigned apsel, unsigned reg)
{
	select_ap(apsel, reg);
	dap_scan(ADI_IR_APACC, true, reg & 0xC, 0);
	return (uint32_t)(dap_scan(ADI_IR_DPACC, true, ADI_DP_RDBUFF, 0) >> 3);
}

/* dap_dp_init as OpenOCD 0.12 runs it. */
static void power_up(void)
{
	dp_write(ADI_DP_CTRL_STAT, 0x50000020);
	dp_read(ADI_DP_CTRL_STAT);
	dp_write(ADI_DP_CTRL_STAT, 0x50000000);
	dp_read(ADI_DP_CTRL_STAT);
	dp_write(ADI_DP_CTRL_STAT, 0x50000001);
}

static uint8_t peek8(uint32_t addr)
{
	uint32_t v = 0;

	bus_read(&sys_bus, addr, 1, &v, BUS_MASTER_CPU);
	return (uint8_t)v;
}

static uint32_t peek32(uint32_t addr)
{
	uint32_t v = 0;

	bus_read(&sys_bus, addr, 4, &v, BUS_MASTER_CPU);
	return v;
}

static void setup(void)
{
	static bool buses;

	sim_log_quiet(1);
	if (buses) {
		bus_free(&sys_bus);
		bus_free(&apb_bus);
	}
	buses = true;
	bus_init(&sys_bus);
	bus_init(&apb_bus);
	bus_add_memory(&sys_bus, "sram", SRAM_BASE, SRAM_SIZE,
		       REGION_READ | REGION_WRITE);
	bus_add_memory(&apb_bus, "dbgmcu", DBG_BASE, 0x1000,
		       REGION_READ | REGION_WRITE);
	for (uint32_t a = 0; a < 0x400; a++)
		bus_write(&sys_bus, SRAM_BASE + a, 1, a & 0xFF, BUS_MASTER_CPU);

	adi_init(&dp, 0x6BA02477);
	adi_setup_stm32h7(&dp, &sys_bus, &apb_bus);
	transactions = 0;
	dp.on_transaction = count_transaction;
	dp.ctx = &transactions;
	jtag_init(&chain, JTAG_IDCODE_BS_H74X, JTAG_IDCODE_DAP_CM7, &dp);
	tms("11111");
	tms("0");
	dap_ir = ADI_IR_IDCODE;
}

/* ---- DP ---------------------------------------------------------------- */

static void test_power_up_handshake(void)
{
	uint64_t cap;

	setup();
	CHECK_EQ(dp_read(ADI_DP_CTRL_STAT), 0);
	dp_write(ADI_DP_CTRL_STAT, 0x50000020);
	CHECK_EQ(dp_read(ADI_DP_CTRL_STAT), 0xF0000000U);
	dp_write(ADI_DP_CTRL_STAT, 0x50000000);
	CHECK_EQ(dp_read(ADI_DP_CTRL_STAT) & ADI_CS_CDBGPWRUPACK,
		 ADI_CS_CDBGPWRUPACK);
	CHECK_EQ(dp_read(ADI_DP_CTRL_STAT) & ADI_CS_CSYSPWRUPACK,
		 ADI_CS_CSYSPWRUPACK);
	dp_write(ADI_DP_CTRL_STAT, 0x50000001);
	dap_scan(ADI_IR_DPACC, true, ADI_DP_CTRL_STAT, 0);
	cap = dap_scan(ADI_IR_DPACC, true, ADI_DP_RDBUFF, 0);
	CHECK(ack_ok(cap));
	CHECK_EQ(cap >> 3, 0xF0000001U);
	/* Dropping a request drops its ACK at once. */
	dp_write(ADI_DP_CTRL_STAT, 0x10000001);
	CHECK_EQ(dp_read(ADI_DP_CTRL_STAT), 0x30000001U);
	/* CDBGRSTREQ is acknowledged the same way. */
	dp_write(ADI_DP_CTRL_STAT, 0x54000000);
	CHECK_EQ(dp_read(ADI_DP_CTRL_STAT), 0xFC000000U);
}

static void test_posted_reads_and_rdbuff(void)
{
	uint64_t cap;

	setup();
	power_up();
	dp_write(ADI_DP_SELECT, 0x020000F0);
	/* The read's own capture carries the previous result (a write's
	 * capture is not meaningful); the next scan brings its value. */
	dap_scan(ADI_IR_DPACC, true, ADI_DP_SELECT, 0);
	cap = dap_scan(ADI_IR_DPACC, true, ADI_DP_CTRL_STAT, 0);
	CHECK(ack_ok(cap));
	CHECK_EQ(cap >> 3, 0x020000F0U);
	cap = dap_scan(ADI_IR_DPACC, true, ADI_DP_RDBUFF, 0);
	CHECK_EQ(cap >> 3, 0xF0000001U);
	/* RDBUFF itself reads as zero on a JTAG-DP. */
	cap = dap_scan(ADI_IR_DPACC, true, ADI_DP_RDBUFF, 0);
	CHECK_EQ(cap >> 3, 0);
	/* An AP read posted across an IR change: APACC read of IDR, then
	 * the DPACC RDBUFF scan captures it. */
	dap_scan(ADI_IR_APACC, true, ADI_AP_IDR & 0xC, 0);
	cap = dap_scan(ADI_IR_DPACC, true, ADI_DP_RDBUFF, 0);
	CHECK(ack_ok(cap));
	CHECK_EQ(cap >> 3, 0x54770002U);
	/* DPIDR is readable at 0x0 (DPv2). */
	CHECK_EQ(dp_read(ADI_DP_DPIDR), 0x6BA02477U);
	/* SELECT keeps APSEL, APBANKSEL and DPBANKSEL only. */
	dp_write(ADI_DP_SELECT, 0x01FFFF00);
	CHECK_EQ(dp_read(ADI_DP_SELECT), 0x01000000U);
}

static void test_abort_scan(void)
{
	uint64_t cap;
	unsigned before;

	setup();
	power_up();
	adi_settle(&dp);
	before = transactions;
	cap = dap_scan(ADI_IR_ABORT, false, 0, ADI_ABORT_DAPABORT);
	CHECK(ack_ok(cap));
	CHECK_EQ(transactions, before); /* not a DPACC/APACC */
	CHECK_EQ(dp_read(ADI_DP_CTRL_STAT), 0xF0000001U);
}

/* ---- MEM-AP ------------------------------------------------------------ */

static void test_ap_identification(void)
{
	setup();
	power_up();
	CHECK_EQ(ap_read(0, ADI_AP_IDR), 0x84770001U);
	CHECK_EQ(ap_read(0, ADI_AP_BASE), 0xE00FE003U);
	CHECK_EQ(ap_read(1, ADI_AP_IDR), 0x84770001U);
	CHECK_EQ(ap_read(2, ADI_AP_IDR), 0x54770002U);
	CHECK_EQ(ap_read(2, ADI_AP_BASE), 0xE00E0003U);
	CHECK_EQ(ap_read(0, ADI_AP_CFG), 0);
	CHECK_EQ(ap_read(2, ADI_AP_CFG), 0);
	/* No AP3 on a single-core part, nor beyond. */
	CHECK_EQ(ap_read(3, ADI_AP_IDR), 0);
	CHECK_EQ(ap_read(0x80, ADI_AP_IDR), 0);
	CHECK_EQ(dp_read(ADI_DP_CTRL_STAT) & ADI_CS_STICKYERR, 0);
}

static void test_csw_fields(void)
{
	unsigned long errors;

	setup();
	power_up();
	/* AHB-AP: DeviceEn reads 1, TrInProg 0, Prot and DbgSwEnable as
	 * written; packing accepted (mem_ap_init's probe). */
	CHECK_EQ(ap_read(0, ADI_AP_CSW), 0x03000040U);
	ap_write(0, ADI_AP_CSW, 0xAA000020);
	CHECK_EQ(ap_read(0, ADI_AP_CSW), 0xAA000060U);
	ap_write(0, ADI_AP_CSW, 0xAA0000A2); /* TrInProg is read-only */
	CHECK_EQ(ap_read(0, ADI_AP_CSW), 0xAA000062U);
	ap_write(0, ADI_AP_CSW, 0x00000001);
	CHECK_EQ(ap_read(0, ADI_AP_CSW), 0x00000041U);
	/* Reserved Size and AddrInc values are refused and logged. */
	errors = sim_log_count(LOG_GUEST_ERROR);
	ap_write(0, ADI_AP_CSW, 0x00000003);
	CHECK_EQ(ap_read(0, ADI_AP_CSW) & ADI_CSW_SIZE, 1);
	ap_write(0, ADI_AP_CSW, 0x00000032);
	CHECK_EQ(ap_read(0, ADI_AP_CSW) & ADI_CSW_ADDRINC,
		 ADI_CSW_ADDRINC_OFF);
	CHECK_EQ(sim_log_count(LOG_GUEST_ERROR), errors + 2);
	/* APB-AP: 32-bit only, no Prot bits, no packing. */
	CHECK_EQ(ap_read(2, ADI_AP_CSW), 0x80000042U);
	ap_write(2, ADI_AP_CSW, 0xA2000020);
	CHECK_EQ(ap_read(2, ADI_AP_CSW), 0x80000052U);
	CHECK_EQ(ap_read(2, ADI_AP_CSW) & ADI_CSW_ADDRINC_PACKED, 0);
	/* CFG/BASE/IDR are read-only. */
	ap_write(0, ADI_AP_IDR, 0x12345678);
	CHECK_EQ(ap_read(0, ADI_AP_IDR), 0x84770001U);
}

static void test_drw_32bit_single(void)
{
	setup();
	power_up();
	ap_write(0, ADI_AP_CSW, 0xAA000012);
	ap_write(0, ADI_AP_TAR, SRAM_BASE + 0x100);
	select_ap(0, ADI_AP_DRW);
	dap_scan(ADI_IR_APACC, false, ADI_AP_DRW, 0x11223344);
	dap_scan(ADI_IR_APACC, false, ADI_AP_DRW, 0x55667788);
	CHECK_EQ(peek32(SRAM_BASE + 0x100), 0x11223344U);
	CHECK_EQ(peek32(SRAM_BASE + 0x104), 0x55667788U);
	CHECK_EQ(ap_read(0, ADI_AP_TAR), SRAM_BASE + 0x108);
	/* Read back as OpenOCD's mem_ap_read queues it: posted reads, each
	 * capture carrying the previous word. */
	ap_write(0, ADI_AP_TAR, SRAM_BASE + 0x100);
	select_ap(0, ADI_AP_DRW);
	dap_scan(ADI_IR_APACC, true, ADI_AP_DRW, 0);
	CHECK_EQ(dap_scan(ADI_IR_APACC, true, ADI_AP_DRW, 0) >> 3,
		 0x11223344U);
	CHECK_EQ(dap_scan(ADI_IR_DPACC, true, ADI_DP_RDBUFF, 0) >> 3,
		 0x55667788U);
	/* AddrInc off leaves TAR alone. */
	ap_write(0, ADI_AP_CSW, 0xAA000002);
	ap_write(0, ADI_AP_TAR, SRAM_BASE + 0x100);
	CHECK_EQ(ap_read(0, ADI_AP_DRW), 0x11223344U);
	CHECK_EQ(ap_read(0, ADI_AP_DRW), 0x11223344U);
	CHECK_EQ(ap_read(0, ADI_AP_TAR), SRAM_BASE + 0x100);
}

static void test_drw_8_16bit_single_lanes(void)
{
	setup();
	power_up();
	/* 8-bit single: the byte sits in the lane its address selects. */
	ap_write(0, ADI_AP_CSW, 0xAA000010);
	ap_write(0, ADI_AP_TAR, SRAM_BASE + 0x21);
	CHECK_EQ(ap_read(0, ADI_AP_DRW), 0x00002100U);
	CHECK_EQ(ap_read(0, ADI_AP_DRW), 0x00220000U);
	CHECK_EQ(ap_read(0, ADI_AP_TAR), SRAM_BASE + 0x23);
	ap_write(0, ADI_AP_TAR, SRAM_BASE + 0x43);
	ap_write(0, ADI_AP_DRW, 0xAB000000);
	CHECK_EQ(peek8(SRAM_BASE + 0x43), 0xAB);
	CHECK_EQ(peek8(SRAM_BASE + 0x42), 0x42);
	/* 16-bit single. */
	ap_write(0, ADI_AP_CSW, 0xAA000011);
	ap_write(0, ADI_AP_TAR, SRAM_BASE + 0x12);
	CHECK_EQ(ap_read(0, ADI_AP_DRW), 0x13120000U);
	CHECK_EQ(ap_read(0, ADI_AP_DRW), 0x00001514U);
	ap_write(0, ADI_AP_TAR, SRAM_BASE + 0x52);
	ap_write(0, ADI_AP_DRW, 0xBEEF0000);
	CHECK_EQ(peek32(SRAM_BASE + 0x50), 0xBEEF5150U);
	/* Unaligned 16-bit: made at the aligned address. */
	ap_write(0, ADI_AP_TAR, SRAM_BASE + 0x61);
	CHECK_EQ(ap_read(0, ADI_AP_DRW), 0x00006160U);
	CHECK_EQ(ap_read(0, ADI_AP_TAR), SRAM_BASE + 0x63);
}

static void test_drw_packed(void)
{
	setup();
	power_up();
	/* 8-bit packed: four byte accesses per word, TAR + 4. */
	ap_write(0, ADI_AP_CSW, 0xAA000020);
	ap_write(0, ADI_AP_TAR, SRAM_BASE + 0x100);
	ap_write(0, ADI_AP_DRW, 0x44332211);
	CHECK_EQ(peek32(SRAM_BASE + 0x100), 0x44332211U);
	CHECK_EQ(ap_read(0, ADI_AP_TAR), SRAM_BASE + 0x104);
	ap_write(0, ADI_AP_TAR, SRAM_BASE + 0x10);
	CHECK_EQ(ap_read(0, ADI_AP_DRW), 0x13121110U);
	/* Unaligned 8-bit packed at ...01: bytes 01, 02, 03 in lanes 1-3
	 * and byte 04 in lane 0 (docs/openocd.md §4, obs). */
	ap_write(0, ADI_AP_TAR, SRAM_BASE + 0x01);
	CHECK_EQ(ap_read(0, ADI_AP_DRW), 0x03020104U);
	CHECK_EQ(ap_read(0, ADI_AP_TAR), SRAM_BASE + 0x05);
	ap_write(0, ADI_AP_TAR, SRAM_BASE + 0x201);
	ap_write(0, ADI_AP_DRW, 0xDDCCBBAA);
	CHECK_EQ(peek8(SRAM_BASE + 0x201), 0xBB);
	CHECK_EQ(peek8(SRAM_BASE + 0x202), 0xCC);
	CHECK_EQ(peek8(SRAM_BASE + 0x203), 0xDD);
	CHECK_EQ(peek8(SRAM_BASE + 0x204), 0xAA);
	CHECK_EQ(peek8(SRAM_BASE + 0x200), 0x00);
	CHECK_EQ(peek8(SRAM_BASE + 0x205), 0x05);
	/* 16-bit packed: two halfwords per word. */
	ap_write(0, ADI_AP_CSW, 0xAA000021);
	ap_write(0, ADI_AP_TAR, SRAM_BASE + 0x30);
	CHECK_EQ(ap_read(0, ADI_AP_DRW), 0x33323130U);
	ap_write(0, ADI_AP_TAR, SRAM_BASE + 0x300);
	ap_write(0, ADI_AP_DRW, 0xCAFEBABE);
	CHECK_EQ(peek32(SRAM_BASE + 0x300), 0xCAFEBABEU);
	CHECK_EQ(ap_read(0, ADI_AP_TAR), SRAM_BASE + 0x304);
	/* 32-bit packed is a plain 32-bit transfer. */
	ap_write(0, ADI_AP_CSW, 0xAA000022);
	ap_write(0, ADI_AP_TAR, SRAM_BASE + 0x20);
	CHECK_EQ(ap_read(0, ADI_AP_DRW), 0x23222120U);
	CHECK_EQ(ap_read(0, ADI_AP_TAR), SRAM_BASE + 0x24);
}

static void test_tar_wraps_in_1k_block(void)
{
	setup();
	power_up();
	ap_write(0, ADI_AP_CSW, 0xAA000012);
	ap_write(0, ADI_AP_TAR, SRAM_BASE + 0x7FC);
	ap_write(0, ADI_AP_DRW, 0xAAAAAAAA);
	CHECK_EQ(ap_read(0, ADI_AP_TAR), SRAM_BASE + 0x400);
	ap_write(0, ADI_AP_DRW, 0xBBBBBBBB);
	CHECK_EQ(peek32(SRAM_BASE + 0x7FC), 0xAAAAAAAAU);
	CHECK_EQ(peek32(SRAM_BASE + 0x400), 0xBBBBBBBBU);
	CHECK_EQ(peek32(SRAM_BASE + 0x800), 0);
	CHECK_EQ(ap_read(0, ADI_AP_TAR), SRAM_BASE + 0x404);
	/* Packed 8-bit across the boundary wraps per byte. */
	ap_write(0, ADI_AP_CSW, 0xAA000020);
	ap_write(0, ADI_AP_TAR, SRAM_BASE + 0x3FE);
	CHECK_EQ(ap_read(0, ADI_AP_DRW), 0xFFFE0100U);
	CHECK_EQ(ap_read(0, ADI_AP_TAR), SRAM_BASE + 0x002);
}

static void test_banked_data(void)
{
	setup();
	power_up();
	ap_write(0, ADI_AP_CSW, 0xAA000012);
	ap_write(0, ADI_AP_TAR, SRAM_BASE + 0x48);
	/* TAR & ~0xF + 4n, no increment. */
	CHECK_EQ(ap_read(0, ADI_AP_BD0), 0x43424140U);
	CHECK_EQ(ap_read(0, ADI_AP_BD1), 0x47464544U);
	CHECK_EQ(ap_read(0, ADI_AP_BD3), 0x4F4E4D4CU);
	ap_write(0, ADI_AP_BD2, 0x12345678);
	CHECK_EQ(peek32(SRAM_BASE + 0x48), 0x12345678U);
	CHECK_EQ(ap_read(0, ADI_AP_TAR), SRAM_BASE + 0x48);
	/* OpenOCD's mem_ap_read_u32 pattern: SELECT bank 1, A = 0x4. */
	select_ap(0, ADI_AP_BD1);
	dap_scan(ADI_IR_APACC, true, ADI_AP_BD1 & 0xC, 0);
	CHECK_EQ(dap_scan(ADI_IR_DPACC, true, ADI_DP_RDBUFF, 0) >> 3,
		 0x47464544U);
}

static void test_apb_ap(void)
{
	uint32_t v = 0;

	setup();
	power_up();
	ap_write(2, ADI_AP_CSW, 0xA2000012);
	ap_write(2, ADI_AP_TAR, DBG_BASE + 4);
	ap_write(2, ADI_AP_DRW, 0x0070003F);
	CHECK(bus_read(&apb_bus, DBG_BASE + 4, 4, &v, BUS_MASTER_CPU));
	CHECK_EQ(v, 0x0070003FU);
	ap_write(2, ADI_AP_TAR, DBG_BASE + 4);
	CHECK_EQ(ap_read(2, ADI_AP_DRW), 0x0070003FU);
	/* The debug APB is not the system bus. */
	CHECK_EQ(peek32(SRAM_BASE), 0x03020100U);
}

static void test_stickyerr_on_bus_error(void)
{
	uint32_t cs;

	setup();
	power_up();
	ap_write(0, ADI_AP_CSW, 0xAA000012);
	ap_write(0, ADI_AP_TAR, UNMAPPED);
	CHECK_EQ(ap_read(0, ADI_AP_DRW), 0);
	cs = dp_read(ADI_DP_CTRL_STAT);
	CHECK_EQ(cs & ADI_CS_STICKYERR, ADI_CS_STICKYERR);
	/* While STICKYERR is set AP transactions are discarded: this TAR
	 * write and the DRW write do nothing, reads give 0. */
	ap_write(0, ADI_AP_TAR, SRAM_BASE);
	ap_write(0, ADI_AP_DRW, 0xDEADBEEF);
	CHECK_EQ(peek32(SRAM_BASE), 0x03020100U);
	CHECK_EQ(ap_read(0, ADI_AP_IDR), 0);
	/* OpenOCD's recovery: write back CTRL/STAT with STICKYERR |
	 * STICKYORUN set (W1C), then read TAR to report where it failed. */
	dp_write(ADI_DP_CTRL_STAT, cs | ADI_CS_STICKYERR | ADI_CS_STICKYORUN);
	cs = dp_read(ADI_DP_CTRL_STAT);
	CHECK_EQ(cs & ADI_CS_STICKY, 0);
	CHECK_EQ(cs, 0xF0000001U);
	CHECK_EQ(ap_read(0, ADI_AP_TAR), UNMAPPED); /* not incremented */
	CHECK_EQ(ap_read(0, ADI_AP_IDR), 0x84770001U);
	/* A write that fails sets it too; writing 0 does not clear it. */
	ap_write(0, ADI_AP_DRW, 1);
	dp_write(ADI_DP_CTRL_STAT, 0x50000001);
	CHECK_EQ(dp_read(ADI_DP_CTRL_STAT) & ADI_CS_STICKYERR,
		 ADI_CS_STICKYERR);
	dp_write(ADI_DP_CTRL_STAT, 0x50000021);
	CHECK_EQ(dp_read(ADI_DP_CTRL_STAT) & ADI_CS_STICKYERR, 0);
}

static void test_packed_error_stops_at_failing_byte(void)
{
	struct sim_stats before = sim_stats;

	setup();
	power_up();
	/* A region that ends inside a 1 KiB block: the third byte of this
	 * packed word is unmapped, and the fourth is not attempted. */
	bus_add_memory(&sys_bus, "small", SMALL_BASE, 0x100,
		       REGION_READ | REGION_WRITE);
	ap_write(0, ADI_AP_CSW, 0xAA000020);
	ap_write(0, ADI_AP_TAR, SMALL_BASE + 0xFE);
	ap_write(0, ADI_AP_DRW, 0x44332211);
	CHECK_EQ(dp_read(ADI_DP_CTRL_STAT) & ADI_CS_STICKYERR,
		 ADI_CS_STICKYERR);
	CHECK_EQ(sim_stats.ap_bus_writes - before.ap_bus_writes, 3);
	CHECK_EQ(sim_stats.ap_bus_errors - before.ap_bus_errors, 1);
	dp_write(ADI_DP_CTRL_STAT, 0x50000021);
	CHECK_EQ(ap_read(0, ADI_AP_TAR), SMALL_BASE + 0xFE);
	CHECK_EQ(ap_read(0, ADI_AP_CSW) & ADI_CSW_SIZE, ADI_CSW_SIZE_8);
	ap_write(0, ADI_AP_CSW, 0xAA000010);
	ap_write(0, ADI_AP_TAR, SMALL_BASE + 0xFE);
	CHECK_EQ(ap_read(0, ADI_AP_DRW), 0x00330000U);
	CHECK_EQ(ap_read(0, ADI_AP_DRW), 0x44000000U);
}

static void test_ap_access_needs_power(void)
{
	unsigned long errors;

	setup();
	errors = sim_log_count(LOG_GUEST_ERROR);
	/* No power-up handshake: the AP is not reachable. */
	ap_read(0, ADI_AP_IDR);
	CHECK_EQ(dp_read(ADI_DP_CTRL_STAT) & ADI_CS_STICKYERR,
		 ADI_CS_STICKYERR);
	CHECK(sim_log_count(LOG_GUEST_ERROR) > errors);
	/* Debug domain only: AP registers answer, system bus accesses fail. */
	dp_write(ADI_DP_CTRL_STAT, 0x10000020);
	CHECK_EQ(ap_read(0, ADI_AP_IDR), 0x84770001U);
	ap_write(0, ADI_AP_TAR, SRAM_BASE);
	ap_read(0, ADI_AP_DRW);
	CHECK_EQ(dp_read(ADI_DP_CTRL_STAT) & ADI_CS_STICKYERR,
		 ADI_CS_STICKYERR);
}

static void test_counters_and_callback(void)
{
	struct sim_stats before = sim_stats;

	setup();
	power_up();
	/* power_up: 3 writes and 2 reads, each read followed by RDBUFF; the
	 * last one's callback is owed until something else happens. */
	CHECK_EQ(transactions, 6);
	adi_settle(&dp);
	CHECK_EQ(transactions, 7);
	adi_settle(&dp);
	CHECK_EQ(transactions, 7);
	ap_write(0, ADI_AP_CSW, 0xAA000020);
	ap_write(0, ADI_AP_TAR, SRAM_BASE);
	ap_write(0, ADI_AP_DRW, 0x01020304);
	ap_write(0, ADI_AP_TAR, UNMAPPED);
	ap_read(0, ADI_AP_DRW);
	adi_settle(&dp);
	CHECK_EQ(transactions, 7 + 4 * 2 + 3);
	CHECK_EQ(sim_stats.dap_transactions - before.dap_transactions,
		 transactions);
	CHECK_EQ(sim_stats.ap_bus_writes - before.ap_bus_writes, 4);
	CHECK_EQ(sim_stats.ap_bus_reads - before.ap_bus_reads, 1);
	CHECK_EQ(sim_stats.ap_bus_errors - before.ap_bus_errors, 1);
	CHECK(sim_stats.tck_cycles > before.tck_cycles);
}

/* The board's part of a transaction (the core's slice) may wait until the
 * replies are sent, but never past the next transaction or a reset: what
 * the debugger reads next sees it done. */
static void bump_sram(void *ctx)
{
	(void)ctx;
	transactions++;
	bus_write(&sys_bus, SRAM_BASE + 0x100, 4, transactions,
		  BUS_MASTER_CPU);
}

static void test_callback_before_next_transaction(void)
{
	uint64_t start;
	uint32_t seen;

	setup();
	start = sim_stats.dap_transactions;
	dp.on_transaction = bump_sram;
	power_up();
	ap_write(0, ADI_AP_CSW, 0xAA000022);
	ap_write(0, ADI_AP_TAR, SRAM_BASE + 0x100);
	/* Only the last transaction's callback is owed. */
	CHECK_EQ(sim_stats.dap_transactions - start, transactions + 1);
	/* The DRW read sees every transaction before it done; its own
	 * callback runs at the RDBUFF scan, whose callback is owed. */
	seen = ap_read(0, ADI_AP_DRW);
	CHECK_EQ(seen + 1, transactions);
	CHECK_EQ(sim_stats.dap_transactions - start, transactions + 1);
	/* A reset settles it. */
	adi_reset(&dp);
	CHECK_EQ(sim_stats.dap_transactions - start, transactions);
	CHECK_EQ(peek32(SRAM_BASE + 0x100), transactions);
}

static void test_power_on_reset(void)
{
	setup();
	power_up();
	ap_write(0, ADI_AP_CSW, 0xAA000022);
	ap_write(0, ADI_AP_TAR, SRAM_BASE + 0x40);
	adi_reset(&dp);
	CHECK_EQ(dp.ctrl_stat, 0);
	CHECK_EQ(dp.select, 0);
	CHECK_EQ(dp.ap[0].csw, 0x03000040U);
	CHECK_EQ(dp.ap[0].tar, 0);
	CHECK_EQ(dp.ap[2].csw, 0x80000042U);
	/* Memory is not touched. */
	CHECK_EQ(peek32(SRAM_BASE + 0x40), 0x43424140U);
}

UNIT_MAIN("sim_adi", UNIT_TEST(test_power_up_handshake),
	  UNIT_TEST(test_posted_reads_and_rdbuff), UNIT_TEST(test_abort_scan),
	  UNIT_TEST(test_ap_identification), UNIT_TEST(test_csw_fields),
	  UNIT_TEST(test_drw_32bit_single),
	  UNIT_TEST(test_drw_8_16bit_single_lanes),
	  UNIT_TEST(test_drw_packed), UNIT_TEST(test_tar_wraps_in_1k_block),
	  UNIT_TEST(test_banked_data), UNIT_TEST(test_apb_ap),
	  UNIT_TEST(test_stickyerr_on_bus_error),
	  UNIT_TEST(test_packed_error_stops_at_failing_byte),
	  UNIT_TEST(test_ap_access_needs_power),
	  UNIT_TEST(test_counters_and_callback),
	  UNIT_TEST(test_callback_before_next_transaction),
	  UNIT_TEST(test_power_on_reset))
