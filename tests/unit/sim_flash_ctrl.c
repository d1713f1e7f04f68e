/* The embedded-flash controller driven through the register sequences of
 * RM0433 §4.3.9 (program), §4.3.10 (erase), §4.5.1 (unlock) and the error
 * cases of §4.7, on the bus the core and the debugger use; and the RM0455
 * family table's layout. Times are virtual: the rig moves the clock. */
#include <stdlib.h>

#include "bus.h"
#include "fault.h"
#include "flash_rig.h"
#include "periph/flash_ctrl.h"
#include "util/log.h"
#include "util/stats.h"
#include "unit.h"

#define FLASH 0x08000000U
#define REGS 0x52002000U
#define CPU_HZ 64000000U
#define KIB 1024U

#define PSIZE64 (3U << 4)
#define FW_H74 (1U << 6)
#define START_H74 (1U << 7)
#define SNB_H74(n) ((uint32_t)(n) << 8)

struct rig {
	struct vclock clk;
	struct bus bus;
	struct bus_region *array;
	struct flash_ctrl *fc;
	uint32_t changed_from, changed_len;
	unsigned changes;
};

static struct rig rig;

static void on_change(void *ctx, uint32_t off, uint32_t len)
{
	struct rig *r = ctx;

	r->changed_from = off;
	r->changed_len = len;
	r->changes++;
}

static int setup_family(const struct flash_ctrl_family *fam, uint32_t size)
{
	memset(&rig, 0, sizeof(rig));
	rig.array = flash_rig_bus(&rig.bus, &rig.clk, CPU_HZ, FLASH, size);
	rig.fc = flash_ctrl_new(fam, &rig.bus, rig.array, size, &rig.clk);
	if (!rig.fc)
		return -1;
	flash_rig_attach(&rig.bus, rig.array, rig.fc, &flash_ctrl_mem_ops, REGS,
			 FLASH_CTRL_REG_SIZE, &flash_ctrl_reg_ops);
	flash_ctrl_on_change(rig.fc, on_change, &rig);
	return 0;
}

static int setup(uint32_t size)
{
	return setup_family(&flash_family_h74x, size);
}

static void teardown(void)
{
	flash_ctrl_free(rig.fc);
	bus_free(&rig.bus);
	rig.fc = NULL;
}

static uint32_t rd(uint32_t addr)
{
	return flash_rig_read32(&rig.bus, addr);
}

static void wr(uint32_t addr, uint32_t v)
{
	bus_write(&rig.bus, addr, 4, v, BUS_MASTER_DEBUG);
}

static uint32_t sr(unsigned bank)
{
	return rd(REGS + (bank - 1) * 0x100 + FLASH_SR);
}

static void unlock(unsigned bank)
{
	wr(REGS + (bank - 1) * 0x100 + FLASH_KEYR, FLASH_KEY1);
	wr(REGS + (bank - 1) * 0x100 + FLASH_KEYR, FLASH_KEY2);
}

static void cr(unsigned bank, uint32_t v)
{
	wr(REGS + (bank - 1) * 0x100 + FLASH_CR, v);
}

static void advance_us(uint64_t us)
{
	rig.clk.cycles += us * (CPU_HZ / 1000000U);
}

/* Writes one 32-byte flash word with word stores from the CPU. */
static int program_word(uint32_t addr, uint32_t first)
{
	for (uint32_t i = 0; i < 8; i++)
		if (!bus_write(&rig.bus, addr + 4 * i, 4, first + i,
			       BUS_MASTER_CPU))
			return -1;
	return 0;
}

static void reset_values(void)
{
	CHECK_EQ(setup(128 * KIB), 0);
	CHECK_EQ(rd(REGS + FLASH_ACR), 0x37);
	CHECK_EQ(rd(REGS + FLASH_CR), 0x31);
	CHECK_EQ(sr(1), 0);
	CHECK_EQ(rd(REGS + FLASH_OPTCR), 1);
	CHECK_EQ((rd(REGS + FLASH_OPTSR_CUR) >> 8) & 0xFF, 0xAA); /* RDP 0 */
	CHECK_EQ(rd(REGS + FLASH_OPTSR_CUR) & (1U << 21), 0); /* SECURITY */
	CHECK_EQ(rd(REGS + FLASH_WPSN_CUR), 0xFF);
	CHECK_EQ(rd(REGS + FLASH_BOOT_CUR), 0x1FF00800U);
	/* Shared registers are aliased in bank 2's block. */
	CHECK_EQ(rd(REGS + 0x100 + FLASH_ACR), 0x37);
	CHECK_EQ(rd(REGS + 0x100 + FLASH_OPTSR_CUR),
		 rd(REGS + FLASH_OPTSR_CUR));
	/* A 128 KiB part has no bank 2: its registers read as zero. */
	CHECK_EQ(rd(REGS + 0x100 + FLASH_CR), 0);
	CHECK_EQ(flash_ctrl_sector_count(rig.fc), 1);
	/* The array starts erased. */
	CHECK_EQ(rd(FLASH), 0xFFFFFFFFU);
	{
		uint32_t v;

		CHECK(bus_read(&rig.bus, REGS + FLASH_CR, 1, &v,
			       BUS_MASTER_DEBUG));
		CHECK_EQ(v, 0x31);
	}
	teardown();
}

static void unlock_and_lock(void)
{
	uint64_t writes;

	CHECK_EQ(setup(128 * KIB), 0);
	writes = sim_stats.flash_cr_writes;
	cr(1, FLASH_CR_SER);	/* locked: ignored */
	CHECK_EQ(rd(REGS + FLASH_CR), 0x31);
	CHECK_EQ(sim_stats.flash_cr_writes, writes + 1);
	unlock(1);
	CHECK_EQ(rd(REGS + FLASH_CR), 0x30);
	cr(1, FLASH_CR_PG);
	CHECK_EQ(rd(REGS + FLASH_CR), FLASH_CR_PG);
	/* Setting LOCK leaves the other bits as they are (§4.9.4). */
	cr(1, FLASH_CR_LOCK);
	CHECK_EQ(rd(REGS + FLASH_CR), FLASH_CR_LOCK | FLASH_CR_PG);
	/* A wrong key locks the register until the next reset. */
	wr(REGS + FLASH_KEYR, FLASH_KEY1);
	wr(REGS + FLASH_KEYR, 0x12345678U);
	unlock(1);
	CHECK(rd(REGS + FLASH_CR) & FLASH_CR_LOCK);
	flash_ctrl_reset(rig.fc);
	unlock(1);
	CHECK_EQ(rd(REGS + FLASH_CR), 0x30);
	/* The sequence performed twice locks too. */
	unlock(1);
	CHECK(rd(REGS + FLASH_CR) & FLASH_CR_LOCK);
	teardown();
}

static void sector_erase_takes_its_time(void)
{
	CHECK_EQ(setup(128 * KIB), 0);
	unlock(1);
	cr(1, FLASH_CR_PG);
	CHECK_EQ(program_word(FLASH + 64, 0x11111111U), 0);
	advance_us(1000);
	cr(1, FLASH_CR_SER | PSIZE64 | SNB_H74(0));
	cr(1, FLASH_CR_SER | PSIZE64 | SNB_H74(0) | START_H74);
	/* START clears itself once the erase is queued. */
	CHECK_EQ(rd(REGS + FLASH_CR) & START_H74, 0);
	CHECK_EQ(sr(1) & (FLASH_SR_BSY | FLASH_SR_QW),
		 FLASH_SR_BSY | FLASH_SR_QW);
	CHECK_EQ(rd(FLASH + 64), 0xFFFFFFFFU);
	CHECK_EQ(rig.changed_len, 128 * KIB);
	/* x64 parallelism: 1 s typical (DS12110). */
	advance_us(999000);
	CHECK(sr(1) & FLASH_SR_QW);
	advance_us(1000);
	CHECK_EQ(sr(1), FLASH_SR_EOP);
	wr(REGS + FLASH_CCR, FLASH_SR_EOP);
	CHECK_EQ(sr(1), 0);
	teardown();
}

static void debugger_polls_see_time_pass(void)
{
	unsigned polls = 0;

	CHECK_EQ(setup(128 * KIB), 0);
	unlock(1);
	cr(1, FLASH_CR_SER | PSIZE64 | START_H74);
	/* The core is halted: each debugger transaction stands for 312 us
	 * (sim.c); five of them per SR poll. */
	while ((sr(1) & FLASH_SR_QW) && polls < 10000) {
		flash_ctrl_idle(rig.fc, 5 * 312500ULL);
		polls++;
	}
	CHECK(polls > 500 && polls < 1000);
	teardown();
}

static void program_one_word(void)
{
	CHECK_EQ(setup(128 * KIB), 0);
	unlock(1);
	/* PSIZE 0 (x8), as OpenOCD's loader writes CR = PG. */
	cr(1, FLASH_CR_PG);
	for (uint32_t i = 0; i < 7; i++)
		CHECK(bus_write(&rig.bus, FLASH + 0x20 + 4 * i, 4, 0xA0 + i,
				BUS_MASTER_CPU));
	/* Partial word: waiting in the write buffer, not yet programmed. */
	CHECK_EQ(sr(1), FLASH_SR_WBNE);
	CHECK_EQ(rd(FLASH + 0x20), 0xFFFFFFFFU);
	CHECK(bus_write(&rig.bus, FLASH + 0x3C, 4, 0xA7, BUS_MASTER_CPU));
	CHECK_EQ(sr(1) & (FLASH_SR_WBNE | FLASH_SR_QW | FLASH_SR_BSY),
		 FLASH_SR_QW | FLASH_SR_BSY);
	CHECK_EQ(rd(FLASH + 0x20), 0xA0);
	CHECK_EQ(rd(FLASH + 0x3C), 0xA7);
	CHECK_EQ(rig.changed_from, 0x20);
	CHECK_EQ(rig.changed_len, 32);
	/* x8: 290 us typical. */
	advance_us(289);
	CHECK(sr(1) & FLASH_SR_QW);
	advance_us(1);
	CHECK_EQ(sr(1), FLASH_SR_EOP);
	teardown();
}

static void cpu_polling_costs_time(void)
{
	uint64_t t0;
	unsigned reads = 0;
	uint32_t v;

	CHECK_EQ(setup(128 * KIB), 0);
	unlock(1);
	cr(1, FLASH_CR_PG);
	CHECK_EQ(program_word(FLASH, 0), 0);
	t0 = rig.clk.cycles;
	do {
		CHECK(bus_read(&rig.bus, REGS + FLASH_SR, 4, &v,
			       BUS_MASTER_CPU));
		reads++;
	} while ((v & FLASH_SR_QW) && reads < 100000);
	/* The poll ends when the 290 us are over, not before, and well
	 * before 116 000 loop iterations. */
	CHECK_EQ(rig.clk.cycles - t0, 290 * (CPU_HZ / 1000000U));
	CHECK(reads > 100 && reads < 1000);
	teardown();
}

static void write_without_pg_is_a_bus_error(void)
{
	CHECK_EQ(setup(128 * KIB), 0);
	CHECK(!bus_write(&rig.bus, FLASH, 4, 0, BUS_MASTER_DEBUG));
	CHECK_EQ(sr(1), FLASH_SR_PGSERR);
	CHECK_EQ(rd(FLASH), 0xFFFFFFFFU);
	CHECK(sim_log_count(LOG_GUEST_ERROR) > 0);
	teardown();
}

static void buffer_rules(void)
{
	CHECK_EQ(setup(128 * KIB), 0);
	unlock(1);
	cr(1, FLASH_CR_PG);
	/* Another flash word before the first is complete: INCERR, both
	 * lost (§4.7.5). */
	CHECK(bus_write(&rig.bus, FLASH, 4, 1, BUS_MASTER_CPU));
	CHECK(bus_write(&rig.bus, FLASH + 0x40, 4, 2, BUS_MASTER_CPU));
	CHECK_EQ(sr(1), FLASH_SR_INCERR);
	CHECK_EQ(rd(FLASH), 0xFFFFFFFFU);
	CHECK_EQ(rd(FLASH + 0x40), 0xFFFFFFFFU);
	wr(REGS + FLASH_CCR, FLASH_SR_INCERR);
	/* One access spanning two flash words. */
	CHECK(bus_write(&rig.bus, FLASH + 0x1E, 4, 0, BUS_MASTER_CPU));
	CHECK_EQ(sr(1), FLASH_SR_INCERR);
	wr(REGS + FLASH_CCR, FLASH_SR_INCERR);
	/* The same byte twice in the buffer: STRBERR (§4.7.4). */
	CHECK(bus_write(&rig.bus, FLASH, 4, 1, BUS_MASTER_CPU));
	CHECK(bus_write(&rig.bus, FLASH + 2, 2, 1, BUS_MASTER_CPU));
	CHECK_EQ(sr(1), FLASH_SR_STRBERR);
	wr(REGS + FLASH_CCR, FLASH_SR_STRBERR);
	/* Bytes in any order complete the word. */
	for (int i = 31; i >= 0; i--)
		CHECK(bus_write(&rig.bus, FLASH + (uint32_t)i, 1, (uint32_t)i,
				BUS_MASTER_CPU));
	CHECK_EQ(rd(FLASH + 4), 0x07060504U);
	CHECK_EQ(sr(1) & 0xFFFF0000U, 0);
	/* Clearing PG drops a partial word (§4.9.4 PG). */
	CHECK(bus_write(&rig.bus, FLASH + 0x80, 4, 0, BUS_MASTER_CPU));
	CHECK(sr(1) & FLASH_SR_WBNE);
	cr(1, 0);
	CHECK_EQ(sr(1) & FLASH_SR_WBNE, 0);
	cr(1, FLASH_CR_PG);
	advance_us(1000);
	CHECK(bus_write(&rig.bus, FLASH + 0x84, 4, 0x12345678U,
			BUS_MASTER_CPU));
	CHECK(sr(1) & FLASH_SR_WBNE);
	CHECK_EQ(rd(FLASH + 0x80), 0xFFFFFFFFU);
	teardown();
}

static void force_write_pads_with_ones(void)
{
	CHECK_EQ(setup(128 * KIB), 0);
	unlock(1);
	cr(1, FLASH_CR_PG);
	/* FW on an empty buffer does nothing. */
	cr(1, FLASH_CR_PG | FW_H74);
	CHECK_EQ(sr(1), 0);
	CHECK(bus_write(&rig.bus, FLASH + 0x104, 4, 0x55AA55AAU,
			BUS_MASTER_CPU));
	cr(1, FLASH_CR_PG | FW_H74);
	CHECK_EQ(rd(REGS + FLASH_CR) & FW_H74, 0);
	CHECK_EQ(sr(1) & (FLASH_SR_WBNE | FLASH_SR_QW), FLASH_SR_QW);
	CHECK_EQ(rd(FLASH + 0x100), 0xFFFFFFFFU);
	CHECK_EQ(rd(FLASH + 0x104), 0x55AA55AAU);
	teardown();
}

static void erase_needs_an_empty_buffer_and_a_request(void)
{
	CHECK_EQ(setup(128 * KIB), 0);
	unlock(1);
	cr(1, FLASH_CR_PG);
	CHECK(bus_write(&rig.bus, FLASH, 4, 0, BUS_MASTER_CPU));
	cr(1, FLASH_CR_PG | FLASH_CR_SER | START_H74);
	CHECK_EQ(sr(1) & FLASH_SR_PGSERR, FLASH_SR_PGSERR);
	CHECK_EQ(sr(1) & FLASH_SR_QW, 0);
	wr(REGS + FLASH_CCR, 0xFFFFFFFFU);
	cr(1, 0);
	cr(1, START_H74);	/* neither SER nor BER */
	CHECK_EQ(sr(1), FLASH_SR_PGSERR);
	teardown();
}

static void reprogramming_needs_an_erase(void)
{
	CHECK_EQ(setup(128 * KIB), 0);
	unlock(1);
	cr(1, FLASH_CR_PG);
	CHECK_EQ(program_word(FLASH, 0xF0F0F0F0U), 0);
	advance_us(1000);
	wr(REGS + FLASH_CCR, FLASH_SR_EOP);
	/* Another value over it: cells only go 1 -> 0, OPERR. */
	CHECK_EQ(program_word(FLASH, 0x0F0F0F0FU), 0);
	advance_us(1000);
	CHECK_EQ(sr(1), FLASH_SR_OPERR);
	CHECK_EQ(rd(FLASH), 0x00000000U);
	CHECK_EQ(rd(FLASH + 4), 0xF0F0F0F1U & 0x0F0F0F10U);
	wr(REGS + FLASH_CCR, FLASH_SR_OPERR);
	/* All zeros over a programmed word is allowed. */
	for (uint32_t i = 0; i < 8; i++)
		CHECK(bus_write(&rig.bus, FLASH + 4 * i, 4, 0, BUS_MASTER_CPU));
	advance_us(1000);
	CHECK_EQ(sr(1), FLASH_SR_EOP);
	CHECK_EQ(rd(FLASH + 4), 0);
	teardown();
}

static void injected_failure(void)
{
	struct fault_set fs;
	char err[200];

	fault_set_init(&fs);
	CHECK_EQ(fault_parse(&fs, "flash-fail=9", err, sizeof(err)), 0);
	CHECK(fs.flash_fail[0] & (1U << 9));
	CHECK(fault_any(&fs));
	CHECK(fault_parse(&fs, "flash-fail=256", err, sizeof(err)) < 0);
	CHECK(fault_parse(&fs, "flash-fail=x", err, sizeof(err)) < 0);
	CHECK_EQ(setup(2048 * KIB), 0);
	flash_ctrl_fail_sector(rig.fc, 9);	/* bank 2, sector 1 */
	unlock(2);
	cr(2, FLASH_CR_PG);
	CHECK_EQ(program_word(FLASH + 0x120000U, 0), 0);
	CHECK(sr(2) & FLASH_SR_QW);
	advance_us(1000);
	CHECK_EQ(sr(2), FLASH_SR_OPERR);
	CHECK_EQ(rd(FLASH + 0x120000U), 0xFFFFFFFFU);
	/* Its neighbour programs. */
	CHECK_EQ(program_word(FLASH + 0x100000U, 0), 0);
	advance_us(1000);
	CHECK_EQ(sr(2), FLASH_SR_OPERR | FLASH_SR_EOP);
	CHECK_EQ(rd(FLASH + 0x100004U), 1);
	teardown();
}

static void two_banks(void)
{
	CHECK_EQ(setup(2048 * KIB), 0);
	CHECK_EQ(flash_ctrl_sector_count(rig.fc), 16);
	CHECK_EQ(rd(REGS + 0x100 + FLASH_CR), 0x31);
	CHECK_EQ(rd(REGS + 0x100 + FLASH_WPSN_CUR), 0xFF);
	/* Bank 1 keys do not unlock bank 2. */
	unlock(1);
	CHECK(rd(REGS + 0x100 + FLASH_CR) & FLASH_CR_LOCK);
	unlock(2);
	cr(2, FLASH_CR_PG);
	CHECK_EQ(program_word(FLASH + 0x1FFFE0U, 7), 0);
	CHECK(sr(2) & FLASH_SR_QW);
	CHECK_EQ(sr(1) & FLASH_SR_QW, 0);
	advance_us(1000);
	CHECK_EQ(rd(FLASH + 0x1FFFE0U), 7);
	/* Bank erase of bank 2 only (BER wins over SER). */
	cr(2, FLASH_CR_BER | FLASH_CR_SER | PSIZE64);
	cr(2, FLASH_CR_BER | FLASH_CR_SER | PSIZE64 | START_H74);
	CHECK_EQ(rd(FLASH + 0x1FFFE0U), 0xFFFFFFFFU);
	CHECK_EQ(rig.changed_from, 0x100000U);
	CHECK_EQ(rig.changed_len, 1024 * KIB);
	advance_us(4999000);
	CHECK(sr(2) & FLASH_SR_BSY);
	advance_us(1000);
	CHECK_EQ(sr(2), FLASH_SR_EOP);
	teardown();
	/* An erase of a sector the bank does not have. */
	CHECK_EQ(setup(128 * KIB), 0);
	unlock(1);
	cr(1, FLASH_CR_SER | SNB_H74(7) | START_H74);
	CHECK_EQ(sr(1), FLASH_SR_PGSERR);
	teardown();
}

static void queue_stalls_the_third_word(void)
{
	uint64_t t0;

	CHECK_EQ(setup(128 * KIB), 0);
	unlock(1);
	cr(1, FLASH_CR_PG | PSIZE64);
	t0 = rig.clk.cycles;
	CHECK_EQ(program_word(FLASH, 0), 0);
	CHECK_EQ(program_word(FLASH + 32, 0), 0);
	CHECK_EQ(rig.clk.cycles, t0);
	/* One executes, one waits: the third store waits for the first. */
	CHECK_EQ(program_word(FLASH + 64, 0), 0);
	CHECK_EQ(rig.clk.cycles - t0, 100 * (CPU_HZ / 1000000U));
	advance_us(199);
	CHECK(sr(1) & FLASH_SR_QW);
	advance_us(1);
	CHECK_EQ(sr(1), FLASH_SR_EOP);
	teardown();
}

static void write_protection(void)
{
	CHECK_EQ(setup(128 * KIB), 0);
	/* Option registers are locked until the OPTKEYR sequence. */
	wr(REGS + FLASH_WPSN_PRG, 0xFE);
	CHECK_EQ(rd(REGS + FLASH_WPSN_PRG), 0xFF);
	wr(REGS + FLASH_OPTKEYR, FLASH_OPTKEY1);
	wr(REGS + FLASH_OPTKEYR, FLASH_OPTKEY2);
	CHECK_EQ(rd(REGS + FLASH_OPTCR) & 1, 0);
	wr(REGS + FLASH_WPSN_PRG, 0xFE);
	wr(REGS + FLASH_OPTCR, 2);	/* OPTSTART */
	CHECK_EQ(rd(REGS + FLASH_WPSN_CUR), 0xFE);
	unlock(1);
	cr(1, FLASH_CR_SER | START_H74);
	CHECK_EQ(sr(1), FLASH_SR_WRPERR);
	cr(1, FLASH_CR_PG);
	CHECK_EQ(program_word(FLASH, 0), 0);
	CHECK_EQ(sr(1), FLASH_SR_WRPERR);
	CHECK_EQ(rd(FLASH), 0xFFFFFFFFU);
	teardown();
}

static void h7a3_layout(void)
{
	const struct flash_ctrl_family *f = &flash_family_h7a3;

	CHECK_EQ(setup_family(f, 2048 * KIB), 0);
	CHECK_EQ(flash_ctrl_sector_count(rig.fc), 256);
	CHECK_EQ(rd(REGS + FLASH_CR), 1);
	unlock(1);
	/* SSN at bit 6, START at bit 5 (RM0455; OpenOCD shifts the same). */
	cr(1, FLASH_CR_PG);
	for (uint32_t i = 0; i < 4; i++)
		CHECK(bus_write(&rig.bus, FLASH + 0x2000 + 4 * i, 4, i,
				BUS_MASTER_CPU));
	/* 16-byte flash words. */
	CHECK(sr(1) & FLASH_SR_QW);
	advance_us(1000);
	CHECK_EQ(rd(FLASH + 0x2004), 1);
	cr(1, FLASH_CR_SER | (1U << 6) | (1U << 5));
	CHECK_EQ(rd(FLASH + 0x2004), 0xFFFFFFFFU);
	CHECK_EQ(rig.changed_from, 0x2000);
	CHECK_EQ(rig.changed_len, 8 * KIB);
	/* FW at bit 4. */
	cr(1, FLASH_CR_PG);
	CHECK(bus_write(&rig.bus, FLASH + 0x10, 4, 0, BUS_MASTER_CPU));
	CHECK(sr(1) & FLASH_SR_WBNE);
	cr(1, FLASH_CR_PG | (1U << 4));
	CHECK_EQ(sr(1) & FLASH_SR_WBNE, 0);
	CHECK_EQ(rd(FLASH + 0x10), 0);
	CHECK_EQ(rd(FLASH + 0x14), 0xFFFFFFFFU);
	teardown();
	/* Sizes the geometry cannot hold are refused. */
	CHECK(setup_family(&flash_family_h74x, 100 * KIB) != 0);
	bus_free(&rig.bus);
	CHECK(setup_family(&flash_family_h74x, 1024 * KIB) == 0);
	teardown();
	CHECK(setup_family(&flash_family_h74x, 1536 * KIB) != 0);
	bus_free(&rig.bus);
}

static void bad_register_accesses_do_not_crash(void)
{
	uint32_t v;

	CHECK_EQ(setup(128 * KIB), 0);
	for (uint32_t off = 0; off < FLASH_CTRL_REG_SIZE; off += 4) {
		CHECK(bus_read(&rig.bus, REGS + off, 4, &v, BUS_MASTER_DEBUG));
		bus_write(&rig.bus, REGS + off, 4, 0xFFFFFFFFU,
			  BUS_MASTER_DEBUG);
		bus_write(&rig.bus, REGS + off, 2, 0xFFFFU, BUS_MASTER_CPU);
	}
	/* Nothing unlocked by garbage, contents intact. */
	CHECK(rd(REGS + FLASH_CR) & FLASH_CR_LOCK);
	CHECK_EQ(rd(FLASH), 0xFFFFFFFFU);
	teardown();
}

/* The registers bus_region.read_stable calls stable (a wait loop that
 * polls them may be skipped to the next event, cpu/idle.c): their value
 * must not move between events, however much time passes, also when the
 * debugger's idle time brings an operation's end closer. */
static void snapshot(uint32_t *v, unsigned *n)
{
	*n = 0;
	for (uint32_t off = 0; off < 2 * FLASH_CTRL_BANK_STRIDE; off += 4)
		if (flash_ctrl_reg_read_stable(rig.fc, off))
			v[(*n)++] = rd(REGS + off);
}

static void stable_registers_change_only_at_events(void)
{
	uint32_t before[8], after[8];
	unsigned n, m, events = 0;

	CHECK_EQ(setup(2048 * KIB), 0);
	snapshot(before, &n);
	/* ACR, and CR and SR of each bank; nothing else. */
	CHECK_EQ(n, 5);
	CHECK(!flash_ctrl_reg_read_stable(rig.fc, FLASH_KEYR));
	CHECK(!flash_ctrl_reg_read_stable(rig.fc, FLASH_SR + 1));
	unlock(1);
	unlock(2);
	cr(1, FLASH_CR_SER | PSIZE64 | SNB_H74(1) | START_H74);
	cr(2, FLASH_CR_PG);
	CHECK_EQ(program_word(FLASH + 0x100000, 0x5A5A5A5AU), 0);
	CHECK(vclock_next_event(&rig.clk) != VCLOCK_NEVER);
	/* Halted for 200 us: the word (290 us) and the erase (1 s) end that
	 * much sooner on the core's clock. */
	flash_ctrl_idle(rig.fc, 200000ULL);
	while (vclock_next_event(&rig.clk) != VCLOCK_NEVER && events < 10) {
		snapshot(before, &n);
		rig.clk.cycles = vclock_next_event(&rig.clk) - 1;
		snapshot(after, &m);
		CHECK_EQ(m, n);
		for (unsigned i = 0; i < n; i++)
			CHECK_EQ(after[i], before[i]);
		rig.clk.cycles++;
		vclock_fire_due(&rig.clk);
		events++;
	}
	CHECK_EQ(events, 2);
	CHECK_EQ(rig.clk.cycles, (1000000ULL - 200) * (CPU_HZ / 1000000U));
	CHECK_EQ(sr(1), FLASH_SR_EOP);
	CHECK_EQ(sr(2), FLASH_SR_EOP);
	teardown();
}

UNIT_MAIN("sim_flash_ctrl", UNIT_TEST(reset_values),
	  UNIT_TEST(unlock_and_lock), UNIT_TEST(sector_erase_takes_its_time),
	  UNIT_TEST(debugger_polls_see_time_pass),
	  UNIT_TEST(program_one_word), UNIT_TEST(cpu_polling_costs_time),
	  UNIT_TEST(write_without_pg_is_a_bus_error),
	  UNIT_TEST(buffer_rules), UNIT_TEST(force_write_pads_with_ones),
	  UNIT_TEST(erase_needs_an_empty_buffer_and_a_request),
	  UNIT_TEST(reprogramming_needs_an_erase),
	  UNIT_TEST(injected_failure), UNIT_TEST(two_banks),
	  UNIT_TEST(queue_stalls_the_third_word), UNIT_TEST(write_protection),
	  UNIT_TEST(h7a3_layout),
	  UNIT_TEST(bad_register_accesses_do_not_crash),
	  UNIT_TEST(stable_registers_change_only_at_events))
