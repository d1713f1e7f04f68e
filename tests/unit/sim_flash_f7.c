/* The STM32F7 flash controller through the sequences OpenOCD's stm32f2x
 * driver and RM0385 §3 use: unlock, sector erase, x16 programming, the
 * errors of FLASH_SR, option bytes, and the F76x dual-bank layout that
 * nDBANK selects at the next reset (RM0410 §3, flash organisation). */
#include <stdlib.h>

#include "bus.h"
#include "flash_rig.h"
#include "periph/flash_f7.h"
#include "util/log.h"
#include "unit.h"

#define FLASH 0x08000000U
#define REGS FLASH_F7_REG_BASE
#define CPU_HZ 16000000U
#define KEY1 0x45670123U
#define KEY2 0xCDEF89ABU
#define PSIZE16 (1U << 8)
#define SNB(n) ((uint32_t)(n) << 3)
#define EOPIE (1U << 24)
#define ERRIE (1U << 25)

struct rig {
	struct vclock clk;
	struct bus bus;
	struct bus_region *array;
	struct flash_f7 *fc;
};

static struct rig rig;

static int setup(const struct flash_f7_family *fam, uint32_t size)
{
	memset(&rig, 0, sizeof(rig));
	rig.array = flash_rig_bus(&rig.bus, &rig.clk, CPU_HZ, FLASH, size);
	rig.fc = flash_f7_new(fam, &rig.bus, rig.array, size, &rig.clk);
	if (!rig.fc)
		return -1;
	flash_rig_attach(&rig.bus, rig.array, rig.fc, &flash_f7_mem_ops, REGS,
			 FLASH_F7_REG_SIZE, &flash_f7_reg_ops);
	return 0;
}

static void teardown(void)
{
	flash_f7_free(rig.fc);
	bus_free(&rig.bus);
}

static bool w(uint32_t addr, unsigned size, uint32_t v)
{
	return bus_write(&rig.bus, addr, size, v, BUS_MASTER_DEBUG);
}

static uint32_t rd(uint32_t addr)
{
	return flash_rig_read32(&rig.bus, addr);
}

/* Polls SR as OpenOCD does; each poll stands for 1 ms of idle time. */
static unsigned wait_bsy(void)
{
	unsigned polls = 0;

	while (rd(REGS + FLASH_F7_SR) & FLASH_F7_SR_BSY) {
		flash_f7_idle(rig.fc, 1000000);
		polls++;
	}
	return polls;
}

static void unlock(void)
{
	w(REGS + FLASH_F7_KEYR, 4, KEY1);
	w(REGS + FLASH_F7_KEYR, 4, KEY2);
}

static void f746_layout_and_erase(void)
{
	unsigned polls;

	CHECK(setup(&flash_f7_family_f74x, 1024 * 1024) == 0);
	CHECK_EQ(flash_f7_sector_count(rig.fc), 8);
	CHECK_EQ(rd(REGS + FLASH_F7_CR), FLASH_F7_CR_LOCK);
	unlock();
	CHECK_EQ(rd(REGS + FLASH_F7_CR), 0U);
	w(REGS + FLASH_F7_CR, 4, PSIZE16 | FLASH_F7_CR_PG);
	CHECK(w(FLASH + 0x40000, 2, 0x1234));
	wait_bsy();
	CHECK_EQ(rd(FLASH + 0x40000) & 0xFFFFU, 0x1234U);
	/* Sector 5 is the first 256 KiB one: 0x08040000. */
	w(REGS + FLASH_F7_CR, 4,
	  FLASH_F7_CR_SER | SNB(5) | FLASH_F7_CR_STRT);
	polls = wait_bsy();
	CHECK(polls >= 1000 && polls <= 3000); /* ~2 s */
	CHECK_EQ(rd(FLASH + 0x40000), 0xFFFFFFFFU);
	/* EOP is set only with EOPIE (RM0385 §3, FLASH_SR). */
	CHECK_EQ(rd(REGS + FLASH_F7_SR) & FLASH_F7_SR_EOP, 0U);
	w(REGS + FLASH_F7_CR, 4,
	  EOPIE | FLASH_F7_CR_SER | SNB(4) | FLASH_F7_CR_STRT);
	wait_bsy();
	CHECK_EQ(rd(REGS + FLASH_F7_SR) & FLASH_F7_SR_EOP, FLASH_F7_SR_EOP);
	/* A sector the part does not have. */
	w(REGS + FLASH_F7_CR, 4, FLASH_F7_CR_SER | SNB(8) | FLASH_F7_CR_STRT);
	CHECK(rd(REGS + FLASH_F7_SR) & FLASH_F7_SR_ERSERR);
	teardown();
}

static void program_errors(void)
{
	CHECK(setup(&flash_f7_family_f74x, 1024 * 1024) == 0);
	/* Locked: PG cannot be set; a write is a sequence error. */
	w(REGS + FLASH_F7_CR, 4, PSIZE16 | FLASH_F7_CR_PG);
	w(FLASH, 2, 0);
	CHECK(rd(REGS + FLASH_F7_SR) & FLASH_F7_SR_ERSERR);
	CHECK_EQ(rd(FLASH), 0xFFFFFFFFU);
	w(REGS + FLASH_F7_SR, 4, FLASH_F7_SR_ERSERR);
	CHECK_EQ(rd(REGS + FLASH_F7_SR), 0U);
	unlock();
	/* Access size differs from PSIZE. */
	w(REGS + FLASH_F7_CR, 4, PSIZE16 | FLASH_F7_CR_PG);
	w(FLASH, 4, 0);
	CHECK(rd(REGS + FLASH_F7_SR) & FLASH_F7_SR_PGPERR);
	CHECK_EQ(rd(FLASH), 0xFFFFFFFFU);
	/* Cells only go from 1 to 0. */
	w(FLASH, 2, 0x00F0);
	wait_bsy();
	w(FLASH, 2, 0x0F0F);
	wait_bsy();
	CHECK_EQ(rd(FLASH) & 0xFFFFU, 0x0000U);
	/* A second unlock while unlocked: bus error, locked till reset. */
	CHECK(!w(REGS + FLASH_F7_KEYR, 4, KEY1));
	CHECK(rd(REGS + FLASH_F7_CR) & FLASH_F7_CR_LOCK);
	unlock();
	CHECK(rd(REGS + FLASH_F7_CR) & FLASH_F7_CR_LOCK);
	flash_f7_reset(rig.fc);
	unlock();
	CHECK_EQ(rd(REGS + FLASH_F7_CR) & FLASH_F7_CR_LOCK, 0U);
	teardown();
}

/* OpenOCD reads OPTCR and OPTCR1 (stm32x_read_options); nWRP bit 0
 * protects sector 0 once programmed and reloaded. */
static void option_bytes(void)
{
	CHECK(setup(&flash_f7_family_f74x, 1024 * 1024) == 0);
	CHECK_EQ(rd(REGS + FLASH_F7_OPTCR), 0xC0FFAAFDU);
	CHECK_EQ(rd(REGS + FLASH_F7_OPTCR1), 0x00400080U);
	w(REGS + FLASH_F7_OPTCR, 4, 0xC0FEAAFCU);
	CHECK_EQ(rd(REGS + FLASH_F7_OPTCR), 0xC0FFAAFDU); /* locked */
	w(REGS + FLASH_F7_OPTKEYR, 4, 0x08192A3BU);
	w(REGS + FLASH_F7_OPTKEYR, 4, 0x4C5D6E7FU);
	unlock();
	w(REGS + FLASH_F7_OPTCR, 4, 0xC0FEAAFCU);
	w(REGS + FLASH_F7_OPTCR, 4, 0xC0FEAAFEU);
	wait_bsy();
	flash_f7_reset(rig.fc);
	CHECK_EQ(rd(REGS + FLASH_F7_OPTCR), 0xC0FEAAFDU);
	unlock();
	w(REGS + FLASH_F7_CR, 4, FLASH_F7_CR_SER | SNB(0) | FLASH_F7_CR_STRT);
	CHECK(rd(REGS + FLASH_F7_SR) & FLASH_F7_SR_WRPERR);
	teardown();
}

/* RM0410 §3, flash organisation: nDBANK = 0 gives two banks of 4 x 16,
 * 64, 7 x 128 KiB; bank 2's sectors are SNB 0x10 + n (as OpenOCD's
 * driver writes them). */
static void f769_dual_bank(void)
{
	CHECK(setup(&flash_f7_family_f76x, 2048 * 1024) == 0);
	CHECK_EQ(flash_f7_sector_count(rig.fc), 12);
	w(REGS + FLASH_F7_OPTKEYR, 4, 0x08192A3BU);
	w(REGS + FLASH_F7_OPTKEYR, 4, 0x4C5D6E7FU);
	unlock();
	w(REGS + FLASH_F7_OPTCR, 4, 0xDFFFAAFEU);
	wait_bsy();
	CHECK_EQ(flash_f7_sector_count(rig.fc), 12); /* until reset */
	flash_f7_reset(rig.fc);
	CHECK_EQ(flash_f7_sector_count(rig.fc), 24);
	CHECK_EQ(rd(REGS + FLASH_F7_OPTCR) & FLASH_F7_OPTCR_NDBANK, 0U);
	unlock();
	w(REGS + FLASH_F7_CR, 4, PSIZE16 | FLASH_F7_CR_PG);
	w(FLASH + 0x100000, 2, 0xABCD);
	wait_bsy();
	w(FLASH + 0x0F0000, 2, 0x1111);
	wait_bsy();
	/* Bank 2 sector 0 (16 KiB at 0x08100000). */
	w(REGS + FLASH_F7_CR, 4,
	  FLASH_F7_CR_SER | SNB(0x10) | FLASH_F7_CR_STRT);
	wait_bsy();
	CHECK_EQ(rd(FLASH + 0x100000), 0xFFFFFFFFU);
	CHECK_EQ(rd(FLASH + 0x0F0000) & 0xFFFFU, 0x1111U);
	/* MER2 erases bank 2 only. */
	w(REGS + FLASH_F7_CR, 4, PSIZE16 | FLASH_F7_CR_PG);
	w(FLASH + 0x1FFFFE, 2, 0x2222);
	wait_bsy();
	w(REGS + FLASH_F7_CR, 4, FLASH_F7_CR_MER2 | FLASH_F7_CR_STRT);
	wait_bsy();
	CHECK_EQ(rd(FLASH + 0x1FFFFC), 0xFFFFFFFFU);
	CHECK_EQ(rd(FLASH + 0x0F0000) & 0xFFFFU, 0x1111U);
	teardown();
}

static void failing_sector_raises_operr(void)
{
	CHECK(setup(&flash_f7_family_f74x, 1024 * 1024) == 0);
	flash_f7_fail_sector(rig.fc, 1);
	unlock();
	/* Without ERRIE the failure leaves no flag (RM0385 §3, FLASH_SR):
	 * only reading back tells. */
	w(REGS + FLASH_F7_CR, 4, PSIZE16 | FLASH_F7_CR_PG);
	w(FLASH + 0x8000, 2, 0);
	wait_bsy();
	CHECK_EQ(rd(REGS + FLASH_F7_SR) & FLASH_F7_SR_OPERR, 0U);
	CHECK_EQ(rd(FLASH + 0x8000), 0xFFFFFFFFU);
	w(REGS + FLASH_F7_CR, 4, ERRIE | PSIZE16 | FLASH_F7_CR_PG);
	w(FLASH + 0x8000, 2, 0);
	wait_bsy();
	CHECK(rd(REGS + FLASH_F7_SR) & FLASH_F7_SR_OPERR);
	CHECK_EQ(rd(FLASH + 0x8000), 0xFFFFFFFFU);
	teardown();
}

static bool irq_level;

static void irq_seen(void *nvic, unsigned irqn, bool level)
{
	(void)nvic;
	if (irqn == 4)
		irq_level = level;
}

/* The FLASH interrupt follows EOP & EOPIE and the errors & ERRIE. */
static void interrupt_line(void)
{
	struct irq_line line = {irq_seen, NULL, 4};

	CHECK(setup(&flash_f7_family_f74x, 1024 * 1024) == 0);
	irq_level = false;
	flash_f7_set_irq(rig.fc, line);
	unlock();
	w(REGS + FLASH_F7_CR, 4, EOPIE | PSIZE16 | FLASH_F7_CR_PG);
	w(FLASH, 2, 0x1234);
	CHECK(!irq_level);
	wait_bsy();
	CHECK(irq_level);
	w(REGS + FLASH_F7_SR, 4, FLASH_F7_SR_EOP);
	CHECK(!irq_level);
	/* An access size error with ERRIE (OPERR comes with it). */
	w(REGS + FLASH_F7_CR, 4, ERRIE | PSIZE16 | FLASH_F7_CR_PG);
	w(FLASH + 4, 1, 0);
	CHECK(irq_level);
	w(REGS + FLASH_F7_SR, 4, FLASH_F7_SR_PGPERR);
	CHECK(irq_level);
	w(REGS + FLASH_F7_SR, 4, FLASH_F7_SR_OPERR);
	CHECK(!irq_level);
	teardown();
}

/* The end of an operation is an event on the virtual clock: the line
 * rises when the time has come, with no register read to notice it (a
 * core asleep in WFI wakes on time). */
static void interrupt_on_time(void)
{
	struct irq_line line = {irq_seen, NULL, 4};
	uint64_t start, end;

	CHECK(setup(&flash_f7_family_f74x, 1024 * 1024) == 0);
	irq_level = false;
	flash_f7_set_irq(rig.fc, line);
	unlock();
	w(REGS + FLASH_F7_CR, 4, EOPIE | PSIZE16 | FLASH_F7_CR_PG);
	start = rig.clk.cycles;
	w(FLASH, 2, 0x1234);
	end = vclock_next_event(&rig.clk);
	CHECK(end > start && end != VCLOCK_NEVER);
	vclock_advance_to(&rig.clk, end - 1);
	CHECK(!irq_level);
	vclock_advance_to(&rig.clk, end);
	CHECK(irq_level);
	teardown();
}

/* FLASH_ACR, FLASH_SR and FLASH_CR are event-stable (cpu/idle.c skips a
 * loop polling them): no change between events, also when the debugger's
 * idle time brings the erase's end closer. */
static void stable_registers_change_only_at_events(void)
{
	static const uint32_t regs[] = {FLASH_F7_ACR, FLASH_F7_SR, FLASH_F7_CR};
	uint32_t before[3];
	unsigned events = 0;

	CHECK(setup(&flash_f7_family_f74x, 1024 * 1024) == 0);
	CHECK(!flash_f7_reg_read_stable(rig.fc, FLASH_F7_KEYR));
	for (unsigned i = 0; i < 3; i++)
		CHECK(flash_f7_reg_read_stable(rig.fc, regs[i]));
	unlock();
	w(REGS + FLASH_F7_CR, 4,
	  EOPIE | FLASH_F7_CR_SER | SNB(5) | FLASH_F7_CR_STRT);
	CHECK(vclock_next_event(&rig.clk) != VCLOCK_NEVER);
	/* Halted for 500 ms of the 1 s erase. */
	flash_f7_idle(rig.fc, 500000000ULL);
	while (vclock_next_event(&rig.clk) != VCLOCK_NEVER && events < 3) {
		for (unsigned i = 0; i < 3; i++)
			before[i] = rd(REGS + regs[i]);
		CHECK(before[1] & FLASH_F7_SR_BSY);
		rig.clk.cycles = vclock_next_event(&rig.clk) - 1;
		for (unsigned i = 0; i < 3; i++)
			CHECK_EQ(rd(REGS + regs[i]), before[i]);
		rig.clk.cycles++;
		vclock_fire_due(&rig.clk);
		events++;
	}
	CHECK_EQ(events, 1);
	CHECK(rd(REGS + FLASH_F7_SR) & FLASH_F7_SR_EOP);
	CHECK_EQ(rd(REGS + FLASH_F7_SR) & FLASH_F7_SR_BSY, 0U);
	teardown();
}

/* RM0385 §3, unlocking FLASH_CR: FLASH_CR cannot be written while BSY is
 * set; the write stalls the bus until the operation ends. STRT reads 1
 * until BSY clears (FLASH_CR, STRT). */
static void cr_write_waits_for_bsy(void)
{
	CHECK(setup(&flash_f7_family_f74x, 1024 * 1024) == 0);
	unlock();
	w(REGS + FLASH_F7_CR, 4, FLASH_F7_CR_SER | SNB(0) | FLASH_F7_CR_STRT);
	CHECK(rd(REGS + FLASH_F7_SR) & FLASH_F7_SR_BSY);
	CHECK(rd(REGS + FLASH_F7_CR) & FLASH_F7_CR_STRT);
	w(REGS + FLASH_F7_CR, 4, PSIZE16 | FLASH_F7_CR_PG);
	CHECK_EQ(rd(REGS + FLASH_F7_SR) & FLASH_F7_SR_BSY, 0U);
	CHECK_EQ(rd(REGS + FLASH_F7_CR), PSIZE16 | FLASH_F7_CR_PG);
	teardown();
}

/* RM0385 §3, FLASH_SR: OPERR accompanies every programming or erase error
 * while ERRIE is set; PGAERR when the data cross a 128-bit row. FLASH_CR
 * has no RDERRIE on the F74x/75x and F76x/77x (bit 26 reads 0). */
static void operr_pgaerr_and_cr_bits(void)
{
	CHECK(setup(&flash_f7_family_f74x, 1024 * 1024) == 0);
	unlock();
	w(REGS + FLASH_F7_CR, 4, (1U << 26) | PSIZE16 | FLASH_F7_CR_PG);
	CHECK_EQ(rd(REGS + FLASH_F7_CR), PSIZE16 | FLASH_F7_CR_PG);
	w(FLASH, 4, 0);
	CHECK_EQ(rd(REGS + FLASH_F7_SR), FLASH_F7_SR_PGPERR);
	w(REGS + FLASH_F7_SR, 4, 0xF3U);
	w(REGS + FLASH_F7_CR, 4, ERRIE | PSIZE16 | FLASH_F7_CR_PG);
	w(FLASH, 4, 0);
	CHECK_EQ(rd(REGS + FLASH_F7_SR),
		 FLASH_F7_SR_PGPERR | FLASH_F7_SR_OPERR);
	w(REGS + FLASH_F7_SR, 4, 0xF3U);
	CHECK_EQ(rd(REGS + FLASH_F7_SR), 0U);
	w(REGS + FLASH_F7_CR, 4, (2U << 8) | FLASH_F7_CR_PG);
	w(FLASH + 0xE, 4, 0);
	CHECK_EQ(rd(REGS + FLASH_F7_SR), FLASH_F7_SR_PGAERR);
	CHECK_EQ(rd(FLASH + 0xC), 0xFFFFFFFFU);
	CHECK_EQ(rd(FLASH + 0x10), 0xFFFFFFFFU);
	teardown();
}

/* RM0385 §3, read access latency, Table 5 (2.7-3.6 V): one wait state per
 * 30 MHz of HCLK. With fewer, reads are not guaranteed: psramsim returns
 * the precharged bit lines, all ones, until LATENCY covers HCLK again
 * (docs/psramsim-periph.md §6); the cells keep their contents. */
static void too_few_wait_states_read_ones(void)
{
	CHECK(setup(&flash_f7_family_f74x, 1024 * 1024) == 0);
	unlock();
	w(REGS + FLASH_F7_CR, 4, PSIZE16 | FLASH_F7_CR_PG);
	w(FLASH, 2, 0x1234);
	wait_bsy();
	flash_f7_set_hclk(rig.fc, 30000000U);
	CHECK_EQ(rd(FLASH) & 0xFFFFU, 0x1234U);
	flash_f7_set_hclk(rig.fc, 216000000U);
	CHECK_EQ(rd(FLASH), 0xFFFFFFFFU);
	CHECK_EQ(rig.array->mem[0], 0xFFU);
	w(REGS + FLASH_F7_ACR, 4, 6U);
	CHECK_EQ(rd(FLASH), 0xFFFFFFFFU);
	w(REGS + FLASH_F7_ACR, 4, 7U);
	CHECK_EQ(rd(FLASH) & 0xFFFFU, 0x1234U);
	CHECK_EQ(rig.array->mem[0], 0x34U);
	flash_f7_reset(rig.fc);	/* LATENCY 0 at 216 MHz */
	CHECK_EQ(rd(FLASH), 0xFFFFFFFFU);
	flash_f7_set_hclk(rig.fc, 16000000U);
	CHECK_EQ(rd(FLASH) & 0xFFFFU, 0x1234U);
	teardown();
}

UNIT_MAIN("sim_flash_f7", UNIT_TEST(cr_write_waits_for_bsy),
	  UNIT_TEST(operr_pgaerr_and_cr_bits),
	  UNIT_TEST(too_few_wait_states_read_ones), UNIT_TEST(interrupt_line), UNIT_TEST(interrupt_on_time), UNIT_TEST(f746_layout_and_erase),
	  UNIT_TEST(program_errors), UNIT_TEST(option_bytes),
	  UNIT_TEST(f769_dual_bank), UNIT_TEST(failing_sector_raises_operr),
	  UNIT_TEST(stable_registers_change_only_at_events))
