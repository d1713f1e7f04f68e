/* The System Control Block of the simulated Cortex-M7 as software sees it:
 * identification and reset values (ARMv7-M ARM B3.2, B4.8; Cortex-M7 TRM
 * DDI 0489 ch. 3), and the UsageFaults CCR and CPACR control: NOCP with
 * the FPU off, DIV_0_TRP, UNALIGN_TRP, and the accesses that must be
 * aligned whatever CCR says (ARMv7-M ARM A3.2.1). Hand-assembled Thumb
 * (A7.7). */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core_rig.h"
#include "unit.h"

#define RAM 0x20000000U
#define MAIN (RAM + 0x400U)
#define HANDLER (RAM + 0x600U)
#define DEV 0x40000000U
#define SCB_CPUID 0xE000ED00U
#define SCB_CCR 0xE000ED14U
#define SCB_SHCSR 0xE000ED24U
#define SCB_CFSR 0xE000ED28U
#define SCB_HFSR 0xE000ED2CU
#define SCB_CPACR 0xE000ED88U

#define B_SELF 0xE7FEU
#define NOP 0xBF00U

#define CCR_UNALIGN_TRP (1U << 3)
#define CCR_DIV_0_TRP (1U << 4)
#define CFSR_UNDEFINSTR (1U << 16)
#define CFSR_NOCP (1U << 19)
#define CFSR_UNALIGNED (1U << 24)
#define CFSR_DIVBYZERO (1U << 25)
#define CFSR_IACCVIOL (1U << 0)
#define SHCSR_ALL_FAULTS 0x00070000U

static unsigned dev_accesses;

static bool dev_read(void *dev, uint32_t off, unsigned size, uint32_t *v,
		     enum bus_master m)
{
	(void)dev; (void)off; (void)size; (void)m;
	dev_accesses++;
	*v = 0x12345678U;
	return true;
}

static bool dev_write(void *dev, uint32_t off, unsigned size, uint32_t v,
		      enum bus_master m)
{
	(void)dev; (void)off; (void)size; (void)v; (void)m;
	dev_accesses++;
	return true;
}

static const struct mmio_ops dev_ops = {dev_read, dev_write};

/* 64 KiB of RAM holding the vector table and the program, a peripheral
 * at DEV; every exception goes to a handler that spins, so a test reads
 * where the core stopped. */
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
	dev_accesses = 0;
}

static unsigned ipsr(void)
{
	return core_reg(cpu, 16) & 0x1FFU;
}

/* Runs `code` with the fault exceptions enabled and returns CFSR; the
 * core must be in the UsageFault handler (6) with the faulting
 * instruction, at MAIN + at, stacked. */
static uint32_t usage_fault_at(uint32_t at)
{
	uint32_t sp;

	core_run(cpu, 20);
	if (ipsr() != 6)
		return 0xDEADBEEFU;
	sp = core_reg(cpu, 13);
	if (r32(sp + 24) != MAIN + at)
		return 0xBADC0DE0U;
	return r32(SCB_CFSR);
}

/* B3.2.20, B1.4.6: with CPACR.CP10/CP11 at reset (no access) a
 * floating-point instruction is a UsageFault NOCP. */
static void fp_with_cpacr_off_is_nocp(void)
{
	/* vmov s0, r0 (EE00 0A10) */
	static const uint16_t prog[] = {0xEE00U, 0x0A10U, B_SELF};

	board(prog, 3);
	CHECK_EQ(r32(SCB_CPACR), 0);
	w32(SCB_SHCSR, SHCSR_ALL_FAULTS);
	CHECK_EQ(usage_fault_at(0), CFSR_NOCP);
	/* With access granted it executes. */
	board(prog, 3);
	w32(SCB_CPACR, 0x00F00000U);
	w32(SCB_SHCSR, SHCSR_ALL_FAULTS);
	core_run(cpu, 20);
	CHECK_EQ(ipsr(), 0);
	CHECK_EQ(r32(SCB_CFSR), 0);
}

/* B3.2.8 CCR.DIV_0_TRP: a divide by zero is a UsageFault DIVBYZERO when
 * set, and gives 0 when clear (A7.7.125 UDIV, A7.7.111 SDIV). */
static void divide_by_zero_traps_with_div_0_trp(void)
{
	/* movs r1, #0; udiv r2, r0, r1 (FBB0 F2F1); sdiv r3, r0, r1
	 * (FB90 F3F1); b . */
	static const uint16_t prog[] = {0x2100U, 0xFBB0U, 0xF2F1U,
					0xFB90U, 0xF3F1U, B_SELF};

	board(prog, 6);
	w32(SCB_SHCSR, SHCSR_ALL_FAULTS);
	core_write_regsel(cpu, 0, 100);
	core_write_regsel(cpu, 2, 7);
	core_write_regsel(cpu, 3, 7);
	core_run(cpu, 20);
	CHECK_EQ(ipsr(), 0);
	CHECK_EQ(core_reg(cpu, 2), 0);
	CHECK_EQ(core_reg(cpu, 3), 0);
	board(prog, 6);
	w32(SCB_SHCSR, SHCSR_ALL_FAULTS);
	w32(SCB_CCR, r32(SCB_CCR) | CCR_DIV_0_TRP);
	core_write_regsel(cpu, 2, 7);
	CHECK_EQ(usage_fault_at(2), CFSR_DIVBYZERO);
	CHECK_EQ(core_reg(cpu, 2), 7); /* the division did not complete */
}

/* The divisor read from LR (R14), which Unicorn numbers apart from
 * R0-R12: udiv r2, r0, lr (FBB0 F2FE) divides by 5, then by 0. */
static void divide_by_lr(void)
{
	static const uint16_t prog[] = {0xFBB0U, 0xF2FEU, B_SELF};

	board(prog, 3);
	w32(SCB_SHCSR, SHCSR_ALL_FAULTS);
	w32(SCB_CCR, r32(SCB_CCR) | CCR_DIV_0_TRP);
	core_write_regsel(cpu, 0, 100);
	core_write_regsel(cpu, 14, 5);
	core_run(cpu, 5);
	CHECK_EQ(ipsr(), 0);
	CHECK_EQ(core_reg(cpu, 2), 20);
	board(prog, 3);
	w32(SCB_SHCSR, SHCSR_ALL_FAULTS);
	w32(SCB_CCR, r32(SCB_CCR) | CCR_DIV_0_TRP);
	core_write_regsel(cpu, 14, 0);
	CHECK_EQ(usage_fault_at(0), CFSR_DIVBYZERO);
}

/* A3.2.1: with CCR.UNALIGN_TRP a halfword or word LDR/STR that is not
 * aligned is a UsageFault UNALIGNED; without it, it is allowed to
 * Normal memory. */
static void unaligned_word_traps_with_unalign_trp(void)
{
	/* ldr r2, [r0]; b . */
	static const uint16_t prog[] = {0x6802U, B_SELF};

	board(prog, 2);
	w32(SCB_SHCSR, SHCSR_ALL_FAULTS);
	w32(RAM + 0x1000U, 0x44332211U);
	w32(RAM + 0x1004U, 0x88776655U);
	core_write_regsel(cpu, 0, RAM + 0x1001U);
	core_run(cpu, 20);
	CHECK_EQ(ipsr(), 0);
	CHECK_EQ(core_reg(cpu, 2), 0x55443322U);
	board(prog, 2);
	w32(SCB_SHCSR, SHCSR_ALL_FAULTS);
	w32(SCB_CCR, r32(SCB_CCR) | CCR_UNALIGN_TRP);
	core_write_regsel(cpu, 0, RAM + 0x1001U);
	CHECK_EQ(usage_fault_at(0), CFSR_UNALIGNED);
}

/* A3.2.1: LDM, STM, LDRD and STRD fault when not word aligned, whatever
 * CCR.UNALIGN_TRP says. */
static void unaligned_multiple_always_faults(void)
{
	/* ldm r0, {r2, r3} (C80C, writeback); b . */
	static const uint16_t ldm[] = {0xC80CU, B_SELF};
	/* ldrd r2, r3, [r0] (E9D0 2300); b . */
	static const uint16_t ldrd[] = {0xE9D0U, 0x2300U, B_SELF};

	board(ldm, 2);
	w32(SCB_SHCSR, SHCSR_ALL_FAULTS);
	core_write_regsel(cpu, 0, RAM + 0x1002U);
	CHECK_EQ(usage_fault_at(0), CFSR_UNALIGNED);
	board(ldrd, 3);
	w32(SCB_SHCSR, SHCSR_ALL_FAULTS);
	core_write_regsel(cpu, 0, RAM + 0x1002U);
	CHECK_EQ(usage_fault_at(0), CFSR_UNALIGNED);
}

/* A7.3.3 (IT): an instruction whose condition fails in an IT block does
 * not execute, so it takes no alignment fault; one whose condition holds
 * does. */
static void failing_condition_in_it_block_does_not_fault(void)
{
	/* cmp r1, #0; it ne; ldmne r0!, {r2, r3}; adds r5, #1; b . */
	static const uint16_t prog[] = {0x2900U, 0xBF18U, 0xC80CU, 0x3501U,
					B_SELF};

	board(prog, 5);
	w32(SCB_SHCSR, SHCSR_ALL_FAULTS);
	core_write_regsel(cpu, 0, RAM + 0x1002U);
	core_write_regsel(cpu, 1, 0);	/* Z set: NE fails */
	core_run(cpu, 20);
	CHECK_EQ(ipsr(), 0);
	CHECK_EQ(core_reg(cpu, 5), 1);
	CHECK_EQ(core_reg(cpu, 0), RAM + 0x1002U);
	board(prog, 5);
	w32(SCB_SHCSR, SHCSR_ALL_FAULTS);
	core_write_regsel(cpu, 0, RAM + 0x1002U);
	core_write_regsel(cpu, 1, 1);	/* NE holds */
	CHECK_EQ(usage_fault_at(4), CFSR_UNALIGNED);
}

/* A3.2.1, DUI 0646 §3.3.5: an unaligned halfword or word access to
 * Device memory (the Peripheral region, B3.1.1) is a UsageFault
 * UNALIGNED whatever CCR says. A store reaches the peripheral not at
 * all; of a load, the first aligned piece QEMU made of it does
 * (docs/psramsim-cpu.md). A byte access and an aligned one go through. */
static void unaligned_device_access_faults(void)
{
	/* ldrb r3, [r0]; ldr r2, [r1]; b . */
	static const uint16_t load[] = {0x7803U, 0x680AU, B_SELF};
	/* str r2, [r1]; b . */
	static const uint16_t store[] = {0x600AU, B_SELF};

	board(load, 3);
	w32(SCB_SHCSR, SHCSR_ALL_FAULTS);
	core_write_regsel(cpu, 0, DEV + 1U);
	core_write_regsel(cpu, 1, DEV + 4U);
	core_run(cpu, 3);
	CHECK_EQ(ipsr(), 0);
	CHECK_EQ(dev_accesses, 2);
	board(load, 3);
	w32(SCB_SHCSR, SHCSR_ALL_FAULTS);
	core_write_regsel(cpu, 0, DEV + 1U);
	core_write_regsel(cpu, 1, DEV + 2U);
	core_write_regsel(cpu, 2, 0x77U);
	CHECK_EQ(usage_fault_at(2), CFSR_UNALIGNED);
	CHECK_EQ(dev_accesses, 2);	/* the LDRB, the load's first piece */
	CHECK_EQ(core_reg(cpu, 2), 0x77U);
	board(store, 2);
	w32(SCB_SHCSR, SHCSR_ALL_FAULTS);
	core_write_regsel(cpu, 1, DEV + 3U);
	CHECK_EQ(usage_fault_at(0), CFSR_UNALIGNED);
	CHECK_EQ(dev_accesses, 0);
}

/* B3.1.1 Table B3-1: the Peripheral region is execute-never; a fetch
 * there is a MemManage IACCVIOL, MPU on or off. */
static void fetch_from_peripheral_region_is_iaccviol(void)
{
	/* bx r0 */
	static const uint16_t prog[] = {0x4700U, B_SELF};

	board(prog, 2);
	w32(SCB_SHCSR, SHCSR_ALL_FAULTS);
	core_write_regsel(cpu, 0, DEV | 1U);
	core_run(cpu, 20);
	CHECK_EQ(ipsr(), 4);
	CHECK_EQ(r32(SCB_CFSR), CFSR_IACCVIOL);
	CHECK_EQ(r32(core_reg(cpu, 13) + 24), DEV);
}

/* Reads `addr` as the core (privileged) and as the debugger. */
static uint32_t rd(uint32_t addr)
{
	return r32(addr);
}

/* Identification and reset values software reads on the STM32H7's
 * Cortex-M7 r1p1 (the core's default identity): ARMv7-M ARM B3.2.3
 * (CPUID), B4.1 (ID_PFR0-ID_ISAR4), B4.8 (CLIDR, CTR, CCSIDR); Cortex-M7
 * TRM ch. 3 (ID values) and the M7 Devices Generic User Guide 4.3.7 (CCR:
 * STKALIGN and BP read as one); TRM "Cache identification" for the
 * geometry. */
static void scb_identification_h7(void)
{
	static const uint16_t prog[] = {B_SELF};
	static const struct { uint32_t addr, value; } want[] = {
		{0xE000ED00U, 0x411FC271U},	/* CPUID r1p1 */
		{0xE000ED0CU, 0xFA050000U},	/* AIRCR */
		{0xE000ED14U, 0x00040200U},	/* CCR: BP, STKALIGN */
		{0xE000ED40U, 0x00000030U},	/* ID_PFR0 */
		{0xE000ED44U, 0x00000200U},	/* ID_PFR1 */
		{0xE000ED48U, 0x00100000U},	/* ID_DFR0 */
		{0xE000ED4CU, 0x00000000U},	/* ID_AFR0 */
		{0xE000ED50U, 0x00100030U},	/* ID_MMFR0 */
		{0xE000ED54U, 0x00000000U},	/* ID_MMFR1 */
		{0xE000ED58U, 0x01000000U},	/* ID_MMFR2 */
		{0xE000ED5CU, 0x00000000U},	/* ID_MMFR3 */
		{0xE000ED60U, 0x01101110U},	/* ID_ISAR0 */
		{0xE000ED64U, 0x02112000U},	/* ID_ISAR1 */
		{0xE000ED68U, 0x20232231U},	/* ID_ISAR2 */
		{0xE000ED6CU, 0x01111131U},	/* ID_ISAR3 */
		{0xE000ED70U, 0x01310132U},	/* ID_ISAR4 */
		{0xE000ED78U, 0x09000003U},	/* CLIDR */
		{0xE000ED7CU, 0x8303C003U},	/* CTR */
		{0xE000ED80U, 0xF00FE019U},	/* CCSIDR: D, 16 KiB 4-way */
		{0xE000ED88U, 0x00000000U},	/* CPACR */
		{0xE000ED90U, 0x00001000U},	/* MPU_TYPE: 16 regions */
		{0xE000EF34U, 0xC0000000U},	/* FPCCR: ASPEN, LSPEN */
		{0xE000EF40U, 0x10110221U},	/* MVFR0: FPv5 DP */
		{0xE000EF44U, 0x12000011U},	/* MVFR1 */
		{0xE000EF48U, 0x00000040U},	/* MVFR2 */
		{0xE000EF90U, 0x00000039U},	/* ITCMCR: 64 KiB, EN */
		{0xE000EF94U, 0x00000041U},	/* DTCMCR: 128 KiB, EN */
		{0xE000EF98U, 0x00000009U},	/* AHBPCR: 512 MB, EN */
		{0xE000E008U, 0x00000000U},	/* ACTLR */
		{0xE000E004U, 0x00000004U},	/* ICTR: 129-160 lines */
	};

	board(prog, 1);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		CHECK_EQ(rd(want[i].addr), want[i].value);
	w32(0xE000ED84U, 1); /* CSSELR.InD: the I-cache, 16 KiB 2-way */
	CHECK_EQ(rd(0xE000ED80U), 0xF01FE009U);
	/* CCR: STKALIGN and BP cannot be cleared. */
	w32(SCB_CCR, 0);
	CHECK_EQ(rd(SCB_CCR), 0x00040200U);
	/* FPCCR bits 2 and 7 are reserved (B3.2.23). */
	w32(0xE000EF34U, 0xFFFFFFFFU);
	CHECK_EQ(rd(0xE000EF34U), 0xC000017BU);
	/* TCM control: RMW and RETEN are writable, SZ is not. */
	w32(0xE000EF90U, 0x7U);
	CHECK_EQ(rd(0xE000EF90U), 0x0000003FU);
	/* ACTLR keeps its defined bits (Cortex-M7 TRM "Auxiliary Control
	 * Register"). */
	w32(0xE000E008U, 0xFFFFFFFFU);
	CHECK_EQ(rd(0xE000E008U), 0x1FFFFC04U);
}

/* The STM32F74x carries a Cortex-M7 r0p1 with a single-precision FPU,
 * 16 KiB ITCM and 64 KiB DTCM (ST's CMSIS device header: __CM7_REV
 * 0x0001; DS10916 "Arm Cortex-M7 with FPU"; RM0385 memory map); the F76x
 * r1p0 with a double-precision FPU. MVFR0/1 for the single-precision
 * FPU: Cortex-M7 TRM, "FPU programmers model". */
static void scb_identification_f7(void)
{
	static const uint16_t prog[] = {B_SELF};
	struct core_identity f74x = {0x410FC271U, false, 16 << 10, 64 << 10,
				     98};
	struct core_identity f76x = {0x411FC270U, true, 16 << 10, 128 << 10,
				     110};

	board(prog, 1);
	core_set_identity(cpu, &f74x);
	CHECK_EQ(rd(SCB_CPUID), 0x410FC271U);
	CHECK_EQ(rd(0xE000EF40U), 0x10110021U);
	CHECK_EQ(rd(0xE000EF44U), 0x11000011U);
	CHECK_EQ(rd(0xE000EF90U), 0x00000029U);
	CHECK_EQ(rd(0xE000EF94U), 0x00000039U);
	/* 98 interrupts (RM0385 vector table): ICTR 3, ISER3 keeps bits
	 * 0-1 (lines 96, 97), IPR of line 98 reads as zero. */
	CHECK_EQ(rd(0xE000E004U), 3);
	w32(0xE000E10CU, 0xFFFFFFFFU);
	CHECK_EQ(rd(0xE000E10CU), 0x3U);
	w32(0xE000E460U, 0xFFFFFFFFU);
	CHECK_EQ(rd(0xE000E460U), 0x0000F0F0U);
	core_set_identity(cpu, &f76x);
	core_reset(cpu, true);
	CHECK_EQ(rd(SCB_CPUID), 0x411FC270U);
	CHECK_EQ(rd(0xE000EF40U), 0x10110221U);
	CHECK_EQ(rd(0xE000EF94U), 0x00000041U);
}

/* B3.2.15, DUI 0646 §4.3.15: CFSR may be written by byte or halfword
 * (MMFSR, BFSR, UFSR); a write clears only the bits it writes ones to, in
 * the bytes it writes. */
static void cfsr_byte_write_clears_its_byte_only(void)
{
	/* vmov s0, r0 with CPACR off: UFSR.NOCP */
	static const uint16_t prog[] = {0xEE00U, 0x0A10U, B_SELF};

	board(prog, 3);
	w32(SCB_SHCSR, SHCSR_ALL_FAULTS);
	CHECK_EQ(usage_fault_at(0), CFSR_NOCP);
	cpu->scs.cfsr |= 0x82U;	/* MMARVALID | DACCVIOL, as a MemManage sets */
	bus_write(&bus, SCB_CFSR, 1, 0xFFU, BUS_MASTER_CPU);	/* MMFSR */
	CHECK_EQ(rd(SCB_CFSR), CFSR_NOCP);
	bus_write(&bus, SCB_CFSR + 2, 2, 0x0008U, BUS_MASTER_CPU); /* UFSR */
	CHECK_EQ(rd(SCB_CFSR), 0);
}

/* The H7A3 wires positions 0-154 (RM0455 vector table): OCTOSPI2's line
 * 150 pends there and not on the H74x, which stops at 149. */
static void interrupt_lines_per_mcu(void)
{
	static const uint16_t prog[] = {B_SELF};
	struct core_identity h7a3 = {0x411FC271U, true, 64 << 10, 128 << 10,
				     155};

	board(prog, 1);
	w32(0xE000EF00U, 150);		/* STIR: no such line, ignored */
	CHECK_EQ(rd(0xE000E210U), 0);	/* ISPR4 */
	core_set_identity(cpu, &h7a3);
	CHECK_EQ(rd(0xE000E004U), 4);
	core_set_irq(cpu, 150, true);
	CHECK_EQ(rd(0xE000E210U), 1U << 22);
	w32(0xE000E110U, 0xFFFFFFFFU);	/* ISER4: lines 128-154 */
	CHECK_EQ(rd(0xE000E110U), 0x07FFFFFFU);
}

/* B3.2.6: AIRCR ignores a write without VECTKEY 0x05FA, reads back
 * VECTKEYSTAT 0xFA05 with PRIGROUP; SYSRESETREQ from software resets the
 * core at the end of the instruction (PC back at the reset vector). */
static void aircr_key_and_sysresetreq(void)
{
	/* str r1, [r0]; b . */
	static const uint16_t prog[] = {0x6001U, B_SELF};

	board(prog, 2);
	w32(0xE000ED0CU, 0x00000500U);	/* no key */
	CHECK_EQ(rd(0xE000ED0CU), 0xFA050000U);
	w32(0xE000ED0CU, 0x05FA0300U);
	CHECK_EQ(rd(0xE000ED0CU), 0xFA050300U);
	core_write_regsel(cpu, 0, 0xE000ED0CU);
	core_write_regsel(cpu, 1, 0x05FA0304U);	/* SYSRESETREQ */
	core_write_regsel(cpu, 7, 0x1234U);
	core_run(cpu, 5);
	CHECK_EQ(core_reg(cpu, 7), 0);		/* registers reset */
	CHECK_EQ(rd(0xE000ED0CU), 0xFA050000U);	/* PRIGROUP reset */
	CHECK_EQ(core_reg(cpu, 15), MAIN);
}

/* B1.5.6, B3.2.15: a bus error while stacking (here a thread whose PSP
 * points below RAM) completes the entry and takes a BusFault STKERR
 * derived from it: at once when BusFault may preempt the new handler,
 * else as a forced HardFault; the core does not lock up. */
static void stacking_error_is_a_busfault(void)
{
	static const uint16_t prog[] = {B_SELF};

	for (int lower = 0; lower < 2; lower++) {
		board(prog, 1);
		w32(RAM + 4 * 16, HANDLER | 1U);	/* IRQ 0 */
		w32(SCB_SHCSR, SHCSR_ALL_FAULTS);
		if (lower)
			w32(0xE000E400U, 0x80U);	/* IRQ 0 below BusFault */
		core_write_regsel(cpu, 18, RAM + 0x10U);	/* PSP */
		core_write_regsel(cpu, 0x14, 2U << 24);	/* CONTROL.SPSEL */
		w32(0xE000E100U, 1U);
		w32(0xE000EF00U, 0);
		core_run(cpu, 0);
		CHECK(!(rd(0xE000EDF0U) & (1U << 19)));	/* no lockup */
		CHECK_EQ(ipsr(), lower ? 5U : 3U);
		CHECK_EQ(rd(SCB_CFSR), 1U << 12);		/* STKERR */
		CHECK_EQ(rd(SCB_HFSR), lower ? 0U : 1U << 30);	/* FORCED */
		CHECK_EQ(rd(0xE000E300U), 1U);			/* IRQ 0 active */
		/* The derived exception returns into IRQ 0's handler. */
		CHECK_EQ(r32(core_reg(cpu, 13) + 24), HANDLER);
	}
}

/* B1.5.6, B3.2.15 MMFSR.MSTKERR: the MPU checks the frame an entry
 * pushes; a thread stack running into a no-access guard region makes a
 * MemManage derived from the entry (MMFAR not valid). */
static void stacking_into_mpu_guard_is_mstkerr(void)
{
	static const uint16_t prog[] = {B_SELF};

	board(prog, 1);
	w32(RAM + 4 * 16, HANDLER | 1U);	/* IRQ 0 */
	w32(SCB_SHCSR, SHCSR_ALL_FAULTS);
	w32(0xE000E400U, 0x80U);		/* IRQ 0 below MemManage */
	w32(0xE000ED9CU, RAM | 0x10U | 0);	/* region 0: RAM, full */
	w32(0xE000EDA0U, 3U << 24 | 15U << 1 | 1U);
	w32(0xE000ED9CU, (RAM + 0x3C00U) | 0x10U | 1);	/* 1: guard */
	w32(0xE000EDA0U, 0U << 24 | 9U << 1 | 1U);
	w32(0xE000ED94U, 5U);			/* ENABLE, PRIVDEFENA */
	core_write_regsel(cpu, 18, RAM + 0x4010U);	/* PSP */
	core_write_regsel(cpu, 0x14, 2U << 24);
	core_write_regsel(cpu, 0, 0x1234U);
	w32(0xE000E100U, 1U);
	w32(0xE000EF00U, 0);
	core_run(cpu, 0);
	CHECK_EQ(ipsr(), 4);
	CHECK_EQ(rd(SCB_CFSR), 1U << 4);	/* MSTKERR, no MMARVALID */
	CHECK_EQ(r32(core_reg(cpu, 13) + 24), HANDLER);
	CHECK_EQ(r32(RAM + 0x4008U), MAIN);	/* stacked PC, in RAM */
	CHECK_EQ(r32(RAM + 0x3FF0U), 0);	/* R0 not written to the guard */
}

/* B3.2.16: a vector that cannot be read makes the entry a HardFault with
 * HFSR.VECTTBL, its frame returning to the preempted instruction; the
 * exception stays pending. */
static void unreadable_vector_is_vecttbl_hardfault(void)
{
	static const uint16_t prog[] = {B_SELF};

	board(prog, 1);
	/* VTOR near the end of RAM: IRQ 16's vector would be at 0x20010000,
	 * past it. */
	for (unsigned v = 2; v < 16; v++)
		w32(RAM + 0xFF80U + 4 * v, HANDLER | 1U);
	w32(0xE000ED08U, RAM + 0xFF80U);
	w32(0xE000E100U, 1U << 16);
	w32(0xE000EF00U, 16);
	core_run(cpu, 0);
	CHECK(!(rd(0xE000EDF0U) & (1U << 19)));
	CHECK_EQ(ipsr(), 3);
	CHECK_EQ(rd(SCB_HFSR), 1U << 1);
	CHECK_EQ(r32(core_reg(cpu, 13) + 24), MAIN);
	CHECK_EQ(rd(0xE000E200U), 1U << 16);	/* still pending */
}

/* B3.2.8 CCR.BFHFNMIGN: with FAULTMASK set (execution priority -1) a
 * load from nothing is ignored, not a lockup: execution goes on after
 * it. Without BFHFNMIGN the same load locks the core up (B1.5.15). */
static void bfhfnmign_ignores_data_busfault(void)
{
	/* cpsid f; ldr r2, [r0]; adds r5, #1; b . */
	static const uint16_t prog[] = {0xB671U, 0x6802U, 0x3501U, B_SELF};

	for (int ign = 0; ign < 2; ign++) {
		board(prog, 4);
		if (ign)
			w32(SCB_CCR, rd(SCB_CCR) | (1U << 8));
		core_write_regsel(cpu, 0, 0x60000000U);	/* nothing there */
		core_run(cpu, 10);
		CHECK_EQ((rd(0xE000EDF0U) >> 19) & 1U, ign ? 0U : 1U);
		CHECK_EQ(core_reg(cpu, 5), ign ? 1U : 0U);
		CHECK_EQ(ipsr(), 0);
	}
}

/* B1.5.8, B3.2.15: a return whose frame cannot be read (the handler
 * pointed PSP at nothing) is abandoned for a BusFault UNSTKERR chained in
 * its place, LR still the failed EXC_RETURN; no lockup. */
static void unstacking_error_is_a_busfault(void)
{
	static const uint16_t prog[] = {B_SELF};
	/* msr psp, r1; bx lr */
	static const uint16_t irq[] = {0xF381U, 0x8809U, 0x4770U};

	board(prog, 1);
	put16(RAM + 0x700U, irq, 3);
	w32(RAM + 4 * 16, (RAM + 0x700U) | 1U);	/* IRQ 0 */
	w32(SCB_SHCSR, SHCSR_ALL_FAULTS);
	core_write_regsel(cpu, 18, RAM + 0x4000U);	/* PSP */
	core_write_regsel(cpu, 0x14, 2U << 24);	/* CONTROL.SPSEL */
	core_write_regsel(cpu, 1, 0x60000000U);
	w32(0xE000E100U, 1U);
	w32(0xE000EF00U, 0);
	core_run(cpu, 10);
	CHECK(!(rd(0xE000EDF0U) & (1U << 19)));
	CHECK_EQ(ipsr(), 5);
	CHECK_EQ(rd(SCB_CFSR), 1U << 11);
	CHECK_EQ(core_reg(cpu, 14), 0xFFFFFFFDU);
	CHECK_EQ(core_reg(cpu, 18), 0x60000000U);	/* PSP unchanged */
	CHECK_EQ(rd(0xE000E300U), 0);			/* IRQ 0 inactive */
}

static void last_cleans_up(void)
{
	core_rig_free();
}

UNIT_MAIN("sim_core_scs", UNIT_TEST(fp_with_cpacr_off_is_nocp),
	  UNIT_TEST(divide_by_zero_traps_with_div_0_trp),
	  UNIT_TEST(divide_by_lr),
	  UNIT_TEST(unaligned_word_traps_with_unalign_trp),
	  UNIT_TEST(unaligned_multiple_always_faults),
	  UNIT_TEST(unaligned_device_access_faults),
	  UNIT_TEST(failing_condition_in_it_block_does_not_fault),
	  UNIT_TEST(fetch_from_peripheral_region_is_iaccviol),
	  UNIT_TEST(scb_identification_h7), UNIT_TEST(scb_identification_f7),
	  UNIT_TEST(cfsr_byte_write_clears_its_byte_only),
	  UNIT_TEST(interrupt_lines_per_mcu),
	  UNIT_TEST(aircr_key_and_sysresetreq),
	  UNIT_TEST(stacking_error_is_a_busfault),
	  UNIT_TEST(stacking_into_mpu_guard_is_mstkerr),
	  UNIT_TEST(unreadable_vector_is_vecttbl_hardfault),
	  UNIT_TEST(bfhfnmign_ignores_data_busfault),
	  UNIT_TEST(unstacking_error_is_a_busfault),
	  UNIT_TEST(last_cleans_up))
