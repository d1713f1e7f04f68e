/* QUADSPI model driven through the register sequences of RM0399 §24.3.12
 * against the PSRAM and W25Q models: bytes on the wire, flags, virtual
 * time, and refusal of misuse. */
#include <stdlib.h>

#include "fault.h"
#include "util/log.h"
#include "chips/psram.h"
#include "periph/quadspi.h"
#include "util/stats.h"
#include "unit.h"
#include "chips/w25q.h"
#include "wire/xspi_wire.h"
#include "xspi_rig.h"

#define CPU_HZ 400000000U
#define KER_HZ 200000000U
/* Start past the PSRAM's 150 µs power-up time. */
#define T0 100000ULL

/* CCR encodings (RM0399 §24.5.6). */
#define IMODE(n) ((uint32_t)(n) << 8)
#define ADMODE(n) ((uint32_t)(n) << 10)
#define ADSIZE24 (2U << 12)
#define ABMODE(n) ((uint32_t)(n) << 14)
#define DCYC(n) ((uint32_t)(n) << 18)
#define DMODE(n) ((uint32_t)(n) << 24)
#define FM_WRITE 0U
#define FM_READ (1U << 26)
#define FM_POLL (2U << 26)
#define FM_MMAP (3U << 26)
#define PRESC(n) ((uint32_t)(n) << 24)

struct rig {
	struct vclock clk;
	uint32_t ker_hz;
	struct pin_view pins[XSPI_SIGNALS];
	struct pin_source src;
	struct xspi_wire *w;
	struct quadspi *q;
	struct psram *p;
	struct w25q *f;
};

static struct rig rig;

static uint32_t kernel(void *ctx)
{
	return ((struct rig *)ctx)->ker_hz;
}

static void setup_family(enum chip_kind kind, const char *const *faults,
			 enum quadspi_family fam)
{
	sim_log_quiet(1);
	memset(&rig, 0, sizeof(rig));
	rig.clk.cycles = T0;
	rig.clk.cpu_hz = CPU_HZ;
	rig.ker_hz = KER_HZ;
	xspi_rig_route_all(rig.pins, &rig.src);
	rig.w = xspi_rig_wire(&rig.src, &rig.clk, kind, faults, 42);
	rig.p = psram_of(xspi_wire_chip(rig.w));
	rig.f = w25q_of(xspi_wire_chip(rig.w));
	rig.q = quadspi_new(fam == QUADSPI_FAMILY_H7 ? QUADSPI_H7_BASE
						     : QUADSPI_F7_BASE,
			    fam, &rig.clk, kernel, &rig, rig.w);
}

static void setup(enum chip_kind kind, const char *const *faults)
{
	setup_family(kind, faults, QUADSPI_FAMILY_H7);
}

static void teardown(void)
{
	quadspi_free(rig.q);
	xspi_wire_free(rig.w);
}

static void wr(uint32_t off, uint32_t v)
{
	quadspi_reg_ops.write(rig.q, off, 4, v, BUS_MASTER_CPU);
}

static void wr_n(uint32_t off, unsigned size, uint32_t v)
{
	quadspi_reg_ops.write(rig.q, off, size, v, BUS_MASTER_CPU);
}

static uint32_t rd(uint32_t off)
{
	uint32_t v = 0;

	quadspi_reg_ops.read(rig.q, off, 4, &v, BUS_MASTER_CPU);
	return v;
}

static uint32_t rd_n(uint32_t off, unsigned size)
{
	uint32_t v = 0;

	quadspi_reg_ops.read(rig.q, off, size, &v, BUS_MASTER_CPU);
	return v;
}

/* Polls SR until BUSY clears, one CPU cycle per poll; returns the cycle
 * at which it read 0 (or UINT64_MAX after a long time). */
static uint64_t wait_idle(void)
{
	return xspi_rig_wait_idle(rd, QUADSPI_SR, QUADSPI_SR_BUSY, &rig.clk);
}

/* CPU cycles for n CLK cycles at PRESCALER p. */
static uint64_t clk_cycles(unsigned n, unsigned presc)
{
	return (uint64_t)n * (presc + 1) * (CPU_HZ / KER_HZ);
}

/* EN, 50 MHz CLK (PRESCALER 3), FSIZE 22, CSHT 3 as a PSRAM wants. */
static void init_ctrl(uint32_t extra_cr)
{
	wr(QUADSPI_DCR, 22U << 16 | 3U << 8);
	wr(QUADSPI_CR, PRESC(3) | QUADSPI_CR_EN | extra_cr);
}

/* The CPU's own work between commands: keeps NCS high well past tCPH. */
static void gap(void)
{
	rig.clk.cycles += 400;
}

static void instr(uint8_t op, unsigned lines)
{
	wr(QUADSPI_CCR, IMODE(lines == 4 ? 3 : 1) | op);
	wait_idle();
	wr(QUADSPI_FCR, QUADSPI_SR_TCF);
	gap();
}

static void psram_reset_spi(void)
{
	instr(0x66, 1);
	instr(0x99, 1);
}

static void write_spi(uint32_t addr, const uint8_t *data, unsigned n)
{
	wr(QUADSPI_DLR, n - 1);
	wr(QUADSPI_CCR, FM_WRITE | DMODE(1) | ADSIZE24 | ADMODE(1) | IMODE(1) |
				0x02);
	wr(QUADSPI_AR, addr);
	for (unsigned i = 0; i < n; i++)
		wr_n(QUADSPI_DR, 1, data[i]);
	wait_idle();
	wr(QUADSPI_FCR, QUADSPI_SR_TCF);
	gap();
}

static void read_cmd(uint32_t ccr, uint32_t addr, uint8_t *out, unsigned n)
{
	wr(QUADSPI_DLR, n - 1);
	wr(QUADSPI_CCR, ccr);
	wr(QUADSPI_AR, addr);
	for (unsigned i = 0; i < n; i++)
		out[i] = (uint8_t)rd_n(QUADSPI_DR, 1);
	wait_idle();
	wr(QUADSPI_FCR, QUADSPI_SR_TCF);
	gap();
}

#define CCR_READ03 (FM_READ | DMODE(1) | ADSIZE24 | ADMODE(1) | IMODE(1) | 0x03)
#define CCR_READ0B (FM_READ | DMODE(1) | DCYC(8) | ADSIZE24 | ADMODE(1) | \
		    IMODE(1) | 0x0B)
#define CCR_QREAD (FM_READ | DMODE(3) | DCYC(6) | ADSIZE24 | ADMODE(3) | \
		   IMODE(3) | 0xEB)
#define CCR_QWRITE (FM_WRITE | DMODE(3) | ADSIZE24 | ADMODE(3) | IMODE(3) | \
		    0x38)
#define CCR_ID (FM_READ | DMODE(1) | ADSIZE24 | ADMODE(1) | IMODE(1) | 0x9F)

static void reset_values(void)
{
	static const uint32_t regs[] = {
		QUADSPI_CR, QUADSPI_DCR, QUADSPI_SR, QUADSPI_DLR, QUADSPI_CCR,
		QUADSPI_AR, QUADSPI_ABR, QUADSPI_PSMKR, QUADSPI_PSMAR,
		QUADSPI_PIR, QUADSPI_LPTR,
	};

	unsigned long errs;

	setup(CHIP_ESP_PSRAM64H, NULL);
	errs = sim_log_count(LOG_GUEST_ERROR);
	for (unsigned i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		CHECK_EQ(rd(regs[i]), 0);
	/* DR and FCR read their reset value 0 too (Table 204): a register
	 * dump is no misuse. */
	CHECK_EQ(rd(QUADSPI_DR), 0);
	CHECK_EQ(rd(QUADSPI_FCR), 0);
	/* So does a reserved offset past LPTR; a write there is reported. */
	CHECK_EQ(rd(0x34), 0);
	CHECK_EQ(rd(0x3FC), 0);
	CHECK_EQ(sim_log_count(LOG_GUEST_ERROR), errs);
	wr(0x34, 1);
	CHECK_EQ(sim_log_count(LOG_GUEST_ERROR), errs + 1);
	CHECK_EQ(rd(0x34), 0);
	/* Reserved bits read 0 after writing all ones (H7: CR bit 2). */
	wr(QUADSPI_DCR, 0xFFFFFFFF);
	CHECK_EQ(rd(QUADSPI_DCR), 0x001F0701);
	wr(QUADSPI_CR, 0xFFFFFFFF & ~QUADSPI_CR_ABORT);
	CHECK_EQ(rd(QUADSPI_CR), 0xFFDF1FD9);
	wr(QUADSPI_PIR, 0xFFFFFFFF);
	CHECK_EQ(rd(QUADSPI_PIR), 0xFFFF);
	teardown();

	setup_family(CHIP_ESP_PSRAM64H, NULL, QUADSPI_FAMILY_F7);
	wr(QUADSPI_CR, QUADSPI_CR_DMAEN);
	CHECK_EQ(rd(QUADSPI_CR), QUADSPI_CR_DMAEN);
	wr(QUADSPI_CCR, 0xFFFFFFFF & ~(3U << 26));
	CHECK_EQ(rd(QUADSPI_CCR) & QUADSPI_CCR_FRCM, 0);
	teardown();
}

static void instruction_only_timing(void)
{
	uint64_t t;

	setup(CHIP_ESP_PSRAM64H, NULL);
	init_ctrl(0);
	t = rig.clk.cycles;
	wr(QUADSPI_CCR, IMODE(1) | 0x66);
	CHECK(rd(QUADSPI_SR) & QUADSPI_SR_BUSY);
	/* NCS low for 1 + 8 CLK periods: it falls one period before the
	 * first of the 8 rising edges and rises one after the last (RM0433
	 * §23.3.16). */
	rig.clk.cycles = t + clk_cycles(9, 3) - 1;
	CHECK(rd(QUADSPI_SR) & QUADSPI_SR_BUSY);
	CHECK(!(rd(QUADSPI_SR) & QUADSPI_SR_TCF));
	rig.clk.cycles = t + clk_cycles(9, 3);
	CHECK_EQ(rd(QUADSPI_SR) & (QUADSPI_SR_BUSY | QUADSPI_SR_TCF),
		 QUADSPI_SR_TCF);
	wr(QUADSPI_FCR, QUADSPI_SR_TCF);
	CHECK_EQ(rd(QUADSPI_SR) & QUADSPI_SR_TCF, 0);
	/* The next command waits CSHT+1 = 4 CLK of NCS high. */
	t = rig.clk.cycles;
	wr(QUADSPI_CCR, IMODE(1) | 0x99);
	rig.clk.cycles = t + clk_cycles(4 + 9, 3) - 1;
	CHECK(rd(QUADSPI_SR) & QUADSPI_SR_BUSY);
	rig.clk.cycles++;
	CHECK(!(rd(QUADSPI_SR) & QUADSPI_SR_BUSY));
	CHECK(psram_violations(rig.p, PSRAM_V_NO_RESET) == 0);
	teardown();
}

static void write_read_spi(void)
{
	uint8_t data[40], back[40];
	uint64_t t;

	setup(CHIP_ESP_PSRAM64H, NULL);
	init_ctrl(0);
	psram_reset_spi();
	for (unsigned i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 1);
	t = rig.clk.cycles;
	write_spi(0x1234, data, sizeof(data));
	for (unsigned i = 0; i < sizeof(data); i++)
		CHECK_EQ(psram_peek(rig.p, 0x1234 + i), data[i]);
	/* 0x02: 8 + 24 + 8n CLK (docs/psram-chips.md §7), the first edge one
	 * period after NCS falls, plus one period of hold; the CPU wrote the
	 * FIFO faster than the wire drains it. */
	CHECK_EQ(rig.clk.cycles - t,
		 clk_cycles(8 + 24 + 8 * sizeof(data) + 1, 3) + 400);

	/* 0x03 at 28.6 MHz (PRESCALER 6): below its 33 MHz limit. */
	wr(QUADSPI_CR, PRESC(6) | QUADSPI_CR_EN);
	read_cmd(CCR_READ03, 0x1234, back, sizeof(back));
	CHECK(memcmp(back, data, sizeof(data)) == 0);
	CHECK_EQ(psram_violations(rig.p, PSRAM_V_CLOCK), 0);
	/* 0x0B with 8 wait cycles at 50 MHz. */
	wr(QUADSPI_CR, PRESC(3) | QUADSPI_CR_EN);
	memset(back, 0, sizeof(back));
	read_cmd(CCR_READ0B, 0x1234, back, sizeof(back));
	CHECK(memcmp(back, data, sizeof(data)) == 0);
	/* 0x03 at 50 MHz is beyond the datasheet: corrupt and reported. */
	read_cmd(CCR_READ03, 0x1234, back, sizeof(back));
	CHECK(memcmp(back, data, sizeof(data)) != 0);
	CHECK_EQ(psram_violations(rig.p, PSRAM_V_CLOCK), 1);
	teardown();
}

static void read_timing_and_flags(void)
{
	uint64_t t, t_done;
	uint32_t sr;

	setup(CHIP_ESP_PSRAM64H, NULL);
	init_ctrl(3U << QUADSPI_CR_FTHRES_SHIFT);
	psram_reset_spi();
	wr(QUADSPI_DLR, 7);
	wr(QUADSPI_CCR, CCR_READ0B);
	CHECK(!(rd(QUADSPI_SR) & QUADSPI_SR_BUSY));
	t = rig.clk.cycles;
	wr(QUADSPI_AR, 0);
	/* First byte at the 8 + 24 + 8 + 8th rising edge. */
	rig.clk.cycles = t + clk_cycles(48, 3) - 1;
	CHECK_EQ(rd(QUADSPI_SR) >> 8 & 0x3F, 0);
	rig.clk.cycles++;
	sr = rd(QUADSPI_SR);
	CHECK_EQ(sr >> 8 & 0x3F, 1);
	CHECK(!(sr & QUADSPI_SR_FTF));	/* FTHRES 3: needs 4 bytes */
	rig.clk.cycles = t + clk_cycles(40 + 32, 3);
	CHECK(rd(QUADSPI_SR) & QUADSPI_SR_FTF);
	/* All 8 in, NCS up: TCF, but BUSY until the FIFO is read out. */
	t_done = t + clk_cycles(40 + 64 + 1, 3);
	rig.clk.cycles = t_done;
	sr = rd(QUADSPI_SR);
	CHECK_EQ(sr & (QUADSPI_SR_TCF | QUADSPI_SR_BUSY | QUADSPI_SR_FTF),
		 QUADSPI_SR_TCF | QUADSPI_SR_BUSY | QUADSPI_SR_FTF);
	CHECK_EQ(sr >> 8 & 0x3F, 8);
	rd(QUADSPI_DR);
	CHECK_EQ(rd(QUADSPI_SR) >> 8 & 0x3F, 4);
	/* Below FTHRES but data left after the last byte: FTF stays. */
	rd_n(QUADSPI_DR, 2);
	CHECK(rd(QUADSPI_SR) & QUADSPI_SR_FTF);
	rd_n(QUADSPI_DR, 2);
	CHECK_EQ(rd(QUADSPI_SR) & (QUADSPI_SR_BUSY | QUADSPI_SR_FTF), 0);
	teardown();
}

static void read_stalls_core(void)
{
	uint64_t t;
	uint32_t v;

	setup(CHIP_ESP_PSRAM64H, NULL);
	init_ctrl(0);
	psram_reset_spi();
	psram_poke(rig.p, 0x100, 0x11);
	psram_poke(rig.p, 0x101, 0x22);
	psram_poke(rig.p, 0x102, 0x33);
	psram_poke(rig.p, 0x103, 0x44);
	wr(QUADSPI_DLR, 3);
	wr(QUADSPI_CCR, CCR_READ0B);
	t = rig.clk.cycles;
	wr(QUADSPI_AR, 0x100);
	/* A word read with an empty FIFO waits for 4 bytes: the core stalls
	 * until the fourth byte is in, no fake data. */
	v = rd(QUADSPI_DR);
	CHECK_EQ(v, 0x44332211);
	CHECK_EQ(rig.clk.cycles, t + clk_cycles(40 + 32, 3));
	teardown();
}

static void fifo_full_stops_clock(void)
{
	uint8_t data[64];
	uint64_t t, low_ns;
	unsigned i;

	setup(CHIP_ESP_PSRAM64H, NULL);
	init_ctrl(0);
	psram_reset_spi();
	for (i = 0; i < 64; i++)
		psram_poke(rig.p, 0x2000 + i, (uint8_t)(0xA0 + i));
	wr(QUADSPI_DLR, 63);
	wr(QUADSPI_CCR, CCR_READ0B);
	t = rig.clk.cycles;
	wr(QUADSPI_AR, 0x2000);
	/* Long after, the FIFO holds 32 bytes: the read stopped there. */
	rig.clk.cycles = t + 100000;
	CHECK_EQ(rd(QUADSPI_SR) >> 8 & 0x3F, 32);
	CHECK(rd(QUADSPI_SR) & QUADSPI_SR_BUSY);
	CHECK(!(rd(QUADSPI_SR) & QUADSPI_SR_TCF));
	for (i = 0; i < 64; i++)
		data[i] = (uint8_t)rd_n(QUADSPI_DR, 1);
	for (i = 0; i < 64; i++)
		CHECK_EQ(data[i], 0xA0 + i);
	wait_idle();
	/* NCS stayed low through the stall (RM0399 §24.3.16): 250 us,
	 * far past tCEM, which the chip reports. */
	low_ns = quadspi_max_cs_low_ns(rig.q);
	CHECK(low_ns > 250000);
	CHECK_EQ(psram_violations(rig.p, PSRAM_V_TCEM), 1);
	teardown();
}

static void write_full_fifo_stalls(void)
{
	uint64_t t;

	setup(CHIP_ESP_PSRAM64H, NULL);
	init_ctrl(0);
	psram_reset_spi();
	wr(QUADSPI_DLR, 63);
	wr(QUADSPI_CCR, FM_WRITE | DMODE(1) | ADSIZE24 | ADMODE(1) |
				IMODE(1) | 0x02);
	wr(QUADSPI_AR, 0x3000);
	CHECK(rd(QUADSPI_SR) & QUADSPI_SR_FTF);
	t = rig.clk.cycles;
	for (unsigned i = 0; i < 9; i++)
		wr(QUADSPI_DR, 0x01010101U * i);
	/* 36 bytes into a 32-byte FIFO: the ninth write waited until the
	 * first bytes had gone out after the 32-CLK header. */
	CHECK(rig.clk.cycles >= t + clk_cycles(1 + 32 + 8, 3));
	wr(QUADSPI_DR, 0);
	for (unsigned i = 10; i < 16; i++)
		wr(QUADSPI_DR, 0x01010101U * i);
	wait_idle();
	CHECK(rd(QUADSPI_SR) & QUADSPI_SR_TCF);
	CHECK_EQ(psram_peek(rig.p, 0x3000 + 4 * 8), 8);
	CHECK_EQ(psram_peek(rig.p, 0x3000 + 63), 15);
	teardown();
}

static void qpi_write_read(void)
{
	uint8_t data[100], back[100];

	setup(CHIP_LY68L6400, NULL);
	init_ctrl(0);
	psram_reset_spi();
	instr(0x35, 1);
	CHECK(psram_in_qpi(rig.p));
	for (unsigned i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(255 - i * 3);
	/* FSIZE 23: the controller sees 16 MiB, the chip decodes A[22:0]. */
	wr(QUADSPI_DCR, 23U << 16 | 3U << 8);
	wr(QUADSPI_DLR, sizeof(data) - 1);
	wr(QUADSPI_CCR, CCR_QWRITE);
	wr(QUADSPI_AR, 0x7FFFC0);
	for (unsigned i = 0; i < sizeof(data); i += 4) {
		uint32_t w = 0;

		memcpy(&w, data + i, 4);
		while (!(rd(QUADSPI_SR) & QUADSPI_SR_FTF))
			rig.clk.cycles++;
		wr(QUADSPI_DR, w);
	}
	wait_idle();
	/* 8 MiB wrap: the linear burst goes on at 0 (also a page cross, at
	 * 50 MHz within limits). */
	CHECK_EQ(psram_peek(rig.p, 0x7FFFFF), data[63]);
	CHECK_EQ(psram_peek(rig.p, 0), data[64]);
	wr(QUADSPI_FCR, QUADSPI_SR_TCF);
	gap();
	read_cmd(CCR_QREAD, 0x7FFFC0, back, sizeof(back));
	CHECK(memcmp(back, data, sizeof(data)) == 0);
	/* SPI-mode commands are not understood in QPI mode. */
	read_cmd(CCR_ID, 0, back, 8);
	CHECK(back[0] != 0x0D || back[1] != 0x5D);
	instr(0xF5, 4);
	CHECK(!psram_in_qpi(rig.p));
	teardown();
}

static void qpi_read_timing(void)
{
	uint64_t t;
	uint32_t v;

	setup(CHIP_ESP_PSRAM64H, NULL);
	init_ctrl(0);
	psram_reset_spi();
	instr(0x35, 1);
	psram_poke(rig.p, 0x40, 0xDE);
	psram_poke(rig.p, 0x41, 0xAD);
	psram_poke(rig.p, 0x42, 0xBE);
	psram_poke(rig.p, 0x43, 0xEF);
	wr(QUADSPI_DLR, 3);
	wr(QUADSPI_CCR, CCR_QREAD);
	t = rig.clk.cycles;
	wr(QUADSPI_AR, 0x40);
	v = rd(QUADSPI_DR);
	CHECK_EQ(v, 0xEFBEADDE);
	/* 0xEB in QPI: 2 + 6 + 6 + 2n (docs/psram-chips.md §7) rising
	 * edges, then one period of NCS hold. */
	CHECK_EQ(rig.clk.cycles, t + clk_cycles(2 + 6 + 6 + 8, 3));
	CHECK_EQ(wait_idle(), t + clk_cycles(2 + 6 + 6 + 8 + 1, 3));
	teardown();
}

/* RM0399 §24.5.3: FTF tells a write how much room the FIFO has, also when
 * the command before was a read. */
static void ftf_write_after_read(void)
{
	uint8_t back[8];

	setup(CHIP_ESP_PSRAM64H, NULL);
	init_ctrl(0);
	psram_reset_spi();
	read_cmd(CCR_READ0B, 0x100, back, sizeof(back));
	wr(QUADSPI_DLR, 3);
	wr(QUADSPI_CCR, FM_WRITE | DMODE(1) | ADSIZE24 | ADMODE(1) | IMODE(1) |
				0x02);
	wr(QUADSPI_AR, 0x100);
	CHECK(rd(QUADSPI_SR) & QUADSPI_SR_FTF);
	wr(QUADSPI_DR, 0x44332211);
	CHECK(wait_idle() != UINT64_MAX);
	CHECK_EQ(psram_peek(rig.p, 0x100), 0x11);
	CHECK_EQ(psram_peek(rig.p, 0x103), 0x44);
	teardown();
}

static void read_id(void)
{
	uint8_t id[8], want[8];

	setup(CHIP_APS6404L, NULL);
	init_ctrl(0);
	psram_reset_spi();
	read_cmd(CCR_ID, 0, id, 8);
	psram_id(rig.p, want);
	CHECK(memcmp(id, want, 8) == 0);
	CHECK_EQ(id[0], 0x0D);
	CHECK_EQ(id[1], 0x5D);
	CHECK_EQ(id[2] >> 5, 2);
	teardown();
}

static void mode_switch_and_resets(void)
{
	setup(CHIP_IPS6404L, NULL);
	init_ctrl(0);
	/* Power-up state: SPI. A QPI-form reset is 2 CLK: incomplete for a
	 * chip in SPI mode, dropped. */
	instr(0x66, 4);
	instr(0x99, 4);
	CHECK(psram_violations(rig.p, PSRAM_V_NO_RESET) == 0);
	psram_reset_spi();
	instr(0x35, 1);
	CHECK(psram_in_qpi(rig.p));
	/* 0x35 again in SPI form: sampled as nibbles by a QPI chip, garbage;
	 * an SPI-form reset does not reach it either. */
	instr(0x66, 1);
	instr(0x99, 1);
	CHECK(psram_in_qpi(rig.p));
	/* The QPI-form reset returns it to SPI. */
	instr(0x66, 4);
	instr(0x99, 4);
	CHECK(!psram_in_qpi(rig.p));
	/* 0x99 without 0x66 is no reset; a command between cancels it. */
	instr(0x35, 1);
	instr(0x66, 4);
	instr(0xC0, 4);
	instr(0x99, 4);
	CHECK(psram_in_qpi(rig.p));
	CHECK(psram_wrap32(rig.p));
	instr(0xF5, 4);
	CHECK(!psram_in_qpi(rig.p));
	teardown();
}

static void auto_poll(void)
{
	uint64_t t, cmds;
	unsigned long errors;

	/* Against the W25Q64 status register 1 (0x00: not busy). */
	setup(CHIP_W25Q64, NULL);
	init_ctrl(QUADSPI_CR_APMS);
	wr(QUADSPI_DLR, 0);
	wr(QUADSPI_PSMKR, 0x01);
	wr(QUADSPI_PSMAR, 0x00);
	wr(QUADSPI_PIR, 16);
	t = rig.clk.cycles;
	wr(QUADSPI_CCR, FM_POLL | DMODE(1) | IMODE(1) | 0x05);
	CHECK(rd(QUADSPI_SR) & QUADSPI_SR_BUSY);
	/* One poll: NCS low 1 + 8 + 8 CLK, then a match stops it (APMS). */
	CHECK_EQ(wait_idle(), t + clk_cycles(17, 3));
	CHECK(rd(QUADSPI_SR) & QUADSPI_SR_SMF);
	CHECK(rd(QUADSPI_SR) & QUADSPI_SR_FTF);
	CHECK_EQ(rd(QUADSPI_DR), 0x00);
	CHECK(!(rd(QUADSPI_SR) & QUADSPI_SR_FTF));
	wr(QUADSPI_FCR, QUADSPI_SR_SMF);
	CHECK(!(rd(QUADSPI_SR) & QUADSPI_SR_SMF));
	teardown();

	/* Waiting for WEL (bit 1) that never comes: polls go on every
	 * INTERVAL until ABORT; DR shows the last status unmasked. */
	setup(CHIP_W25Q64, NULL);
	init_ctrl(QUADSPI_CR_APMS);
	wr(QUADSPI_DLR, 0);
	wr(QUADSPI_PSMKR, 0x02);
	wr(QUADSPI_PSMAR, 0x02);
	wr(QUADSPI_PIR, 100);
	cmds = sim_stats.xspi_commands;
	t = rig.clk.cycles;
	wr(QUADSPI_CCR, FM_POLL | DMODE(1) | IMODE(1) | 0x05);
	rig.clk.cycles = t + clk_cycles(10 * (18 + 100), 3) + 1;
	CHECK(rd(QUADSPI_SR) & QUADSPI_SR_BUSY);
	CHECK(!(rd(QUADSPI_SR) & QUADSPI_SR_SMF));
	CHECK_EQ(sim_stats.xspi_commands - cmds, 10);
	/* Writing a register while polling is refused. */
	wr(QUADSPI_PSMAR, 0);
	CHECK_EQ(rd(QUADSPI_PSMAR), 0x02);
	wr(QUADSPI_CR, rd(QUADSPI_CR) | QUADSPI_CR_ABORT);
	CHECK_EQ(rd(QUADSPI_SR) & (QUADSPI_SR_BUSY | QUADSPI_SR_TCF),
		 QUADSPI_SR_TCF);
	CHECK_EQ(rd(QUADSPI_CR) & QUADSPI_CR_ABORT, 0);
	teardown();

	/* OR match mode (PMM = 1): any unmasked bit equal to MATCH sets SMF;
	 * two status bytes, here MF and KGD of the PSRAM ID. */
	setup(CHIP_ESP_PSRAM64H, NULL);
	init_ctrl(QUADSPI_CR_APMS | QUADSPI_CR_PMM);
	psram_reset_spi();
	wr(QUADSPI_DLR, 1);
	wr(QUADSPI_PSMKR, 0xFF00);
	wr(QUADSPI_PSMAR, 0x5D00);
	wr(QUADSPI_CCR, FM_POLL | DMODE(1) | ADSIZE24 | ADMODE(1) |
				IMODE(1) | 0x9F);
	wr(QUADSPI_AR, 0);
	wait_idle();
	CHECK(rd(QUADSPI_SR) & QUADSPI_SR_SMF);
	CHECK_EQ(rd(QUADSPI_DR), 0x5D0D);
	teardown();

	/* No data phase (DMODE = 00, RM0399 §24.3.3: indirect write only): a
	 * guest error; each poll samples no line, the status is 0, and the
	 * model goes on (it once looped forever on the missing lines). */
	setup(CHIP_W25Q64, NULL);
	init_ctrl(QUADSPI_CR_APMS);
	wr(QUADSPI_DLR, 0);
	wr(QUADSPI_PSMKR, 0x01);
	wr(QUADSPI_PSMAR, 0x00);
	wr(QUADSPI_PIR, 16);
	errors = sim_log_count(LOG_GUEST_ERROR);
	wr(QUADSPI_CCR, FM_POLL | IMODE(1) | 0x05);
	CHECK(wait_idle() != UINT64_MAX);
	CHECK(rd(QUADSPI_SR) & QUADSPI_SR_SMF);
	CHECK_EQ(rd(QUADSPI_DR), 0x00);
	CHECK(sim_log_count(LOG_GUEST_ERROR) > errors);
	teardown();
}

static void mmap_read(void)
{
	uint32_t v = 0;
	uint64_t t, cmds;

	setup(CHIP_ESP_PSRAM64H, NULL);
	init_ctrl(0);
	psram_reset_spi();
	instr(0x35, 1);
	for (unsigned i = 0; i < 256; i++)
		psram_poke(rig.p, 0x8000 + i, (uint8_t)i);
	/* Not in memory-mapped mode yet: bus error. */
	CHECK(!quadspi_mem_ops.read(rig.q, 0x8000, 4, &v, BUS_MASTER_CPU));
	wr(QUADSPI_CCR, CCR_QREAD | FM_MMAP);
	CHECK(!(rd(QUADSPI_SR) & QUADSPI_SR_BUSY));
	cmds = sim_stats.xspi_commands;
	t = rig.clk.cycles;
	CHECK(quadspi_mem_ops.read(rig.q, 0x8000, 4, &v, BUS_MASTER_CPU));
	CHECK_EQ(v, 0x03020100);
	CHECK_EQ(rig.clk.cycles, t + clk_cycles(14 + 8, 3));
	/* Sequential reads come from the prefetch: one command only. */
	for (unsigned a = 4; a < 64; a += 4) {
		CHECK(quadspi_mem_ops.read(rig.q, 0x8000 + a, 4, &v,
					   BUS_MASTER_CPU));
		CHECK_EQ(v, 0x03020100U + a * 0x01010101U);
	}
	CHECK_EQ(sim_stats.xspi_commands - cmds, 1);
	/* BUSY stays; FLEVEL reads 0 in this mode; DR reads 0. */
	rig.clk.cycles += 1000000;
	CHECK_EQ(rd(QUADSPI_SR) & (QUADSPI_SR_BUSY | 0x3F00), QUADSPI_SR_BUSY);
	CHECK_EQ(rd(QUADSPI_DR), 0);
	/* CCR and AR are locked while mapped. */
	wr(QUADSPI_CCR, 0x1234);
	CHECK_EQ(rd(QUADSPI_CCR), CCR_QREAD | FM_MMAP);
	/* A jump restarts the frame. */
	CHECK(quadspi_mem_ops.read(rig.q, 0x8080, 2, &v, BUS_MASTER_CPU));
	CHECK_EQ(v, 0x8180);
	CHECK_EQ(sim_stats.xspi_commands - cmds, 2);
	/* Writes, and reads beyond FSIZE, are bus errors. */
	CHECK(!quadspi_mem_ops.write(rig.q, 0x8000, 4, 0, BUS_MASTER_CPU));
	CHECK(!quadspi_mem_ops.read(rig.q, 0x800000, 4, &v, BUS_MASTER_CPU));
	CHECK(quadspi_mem_ops.read(rig.q, 0x7FFFFC, 4, &v, BUS_MASTER_CPU));
	/* NCS was held low for over a second of virtual time: tCEM. */
	CHECK_EQ(psram_violations(rig.p, PSRAM_V_TCEM), 1);
	wr(QUADSPI_CR, rd(QUADSPI_CR) | QUADSPI_CR_ABORT);
	CHECK(!(rd(QUADSPI_SR) & QUADSPI_SR_BUSY));
	/* Disabled: bus error. */
	wr(QUADSPI_CR, 0);
	CHECK(!quadspi_mem_ops.read(rig.q, 0x8000, 4, &v, BUS_MASTER_CPU));
	teardown();
}

static void mmap_timeout(void)
{
	uint32_t v;
	uint64_t t;

	setup(CHIP_ESP_PSRAM64H, NULL);
	init_ctrl(QUADSPI_CR_TCEN);
	psram_reset_spi();
	instr(0x35, 1);
	wr(QUADSPI_LPTR, 10);
	wr(QUADSPI_CCR, CCR_QREAD | FM_MMAP);
	psram_poke(rig.p, 0x10, 0x5A);
	t = rig.clk.cycles;
	CHECK(quadspi_mem_ops.read(rig.q, 0x10, 1, &v, BUS_MASTER_CPU));
	CHECK_EQ(v, 0x5A);
	/* The prefetch fills the 32-byte FIFO (31 more bytes after the one
	 * read), CLK stops where its next cycle would end, and NCS rises
	 * TIMEOUT = 10 CLK later: TOF, BUSY clears. */
	rig.clk.cycles = t + clk_cycles(14 + 2 * 33 + 1 + 10, 3) - 1;
	CHECK(rd(QUADSPI_SR) & QUADSPI_SR_BUSY);
	rig.clk.cycles++;
	CHECK_EQ(rd(QUADSPI_SR) & (QUADSPI_SR_BUSY | QUADSPI_SR_TOF),
		 QUADSPI_SR_TOF);
	CHECK_EQ(psram_violations(rig.p, PSRAM_V_TCEM), 0);
	/* The next read starts a new frame and sets BUSY again. */
	CHECK(quadspi_mem_ops.read(rig.q, 0x11, 1, &v, BUS_MASTER_CPU));
	CHECK(rd(QUADSPI_SR) & QUADSPI_SR_BUSY);
	wr(QUADSPI_FCR, QUADSPI_SR_TOF);
	CHECK(!(rd(QUADSPI_SR) & QUADSPI_SR_TOF));
	teardown();
}

static void abort_stalled_read(void)
{
	setup(CHIP_ESP_PSRAM64H, NULL);
	init_ctrl(0);
	psram_reset_spi();
	wr(QUADSPI_DLR, 999);
	wr(QUADSPI_CCR, CCR_READ0B);
	wr(QUADSPI_AR, 0);
	rig.clk.cycles += 50000;
	CHECK_EQ(rd(QUADSPI_SR) >> 8 & 0x3F, 32);
	wr(QUADSPI_CR, rd(QUADSPI_CR) | QUADSPI_CR_ABORT);
	CHECK_EQ(rd(QUADSPI_SR) & (QUADSPI_SR_BUSY | QUADSPI_SR_TCF | 0x3F00),
		 QUADSPI_SR_TCF);
	/* A new command works after the abort. */
	wr(QUADSPI_FCR, QUADSPI_SR_TCF);
	wr(QUADSPI_DLR, 7);
	wr(QUADSPI_CCR, CCR_ID);
	wr(QUADSPI_AR, 0);
	CHECK_EQ(rd_n(QUADSPI_DR, 1), 0x0D);
	teardown();
}

static void tef_beyond_fsize(void)
{
	setup(CHIP_ESP_PSRAM64H, NULL);
	init_ctrl(0);
	psram_reset_spi();
	wr(QUADSPI_DLR, 15);
	wr(QUADSPI_CCR, CCR_READ0B);
	wr(QUADSPI_AR, 0x7FFFF8);	/* 8 bytes left, 16 asked */
	CHECK_EQ(rd(QUADSPI_SR) & (QUADSPI_SR_TEF | QUADSPI_SR_BUSY),
		 QUADSPI_SR_TEF);
	wr(QUADSPI_FCR, QUADSPI_SR_TEF);
	wr(QUADSPI_AR, 0x800000);
	CHECK(rd(QUADSPI_SR) & QUADSPI_SR_TEF);
	wr(QUADSPI_FCR, QUADSPI_SR_TEF);
	/* A write with a data phase waits for its first DR write, TEF does
	 * not: it is set when AR is programmed (RM0399 §24.3.14). */
	wr(QUADSPI_DLR, 3);
	wr(QUADSPI_CCR, FM_WRITE | DMODE(1) | ADSIZE24 | ADMODE(1) | IMODE(1) |
				0x02);
	wr(QUADSPI_AR, 0x7FFFFC);
	CHECK(!(rd(QUADSPI_SR) & QUADSPI_SR_TEF));
	wr(QUADSPI_AR, 0x800000);
	CHECK_EQ(rd(QUADSPI_SR) & (QUADSPI_SR_TEF | QUADSPI_SR_BUSY),
		 QUADSPI_SR_TEF);
	wr(QUADSPI_DR, 0);
	CHECK_EQ(rd(QUADSPI_SR) & (QUADSPI_SR_TEF | QUADSPI_SR_BUSY),
		 QUADSPI_SR_TEF);
	wr(QUADSPI_FCR, QUADSPI_SR_TEF);
	/* FSIZE left at its reset value 0 (2 bytes): an 8-byte ID read. */
	wr(QUADSPI_DCR, 0);
	wr(QUADSPI_DLR, 7);
	wr(QUADSPI_CCR, CCR_ID);
	wr(QUADSPI_AR, 0);
	CHECK(rd(QUADSPI_SR) & QUADSPI_SR_TEF);
	teardown();
}

static void misuse(void)
{
	unsigned long errs;
	uint8_t id[8];

	setup(CHIP_ESP_PSRAM64H, NULL);
	init_ctrl(0);
	psram_reset_spi();
	/* CCR while BUSY: refused and logged. */
	wr(QUADSPI_DLR, 7);
	wr(QUADSPI_CCR, CCR_ID);
	wr(QUADSPI_AR, 0);
	errs = sim_log_count(LOG_GUEST_ERROR);
	wr(QUADSPI_CCR, IMODE(1) | 0x66);
	CHECK_EQ(sim_log_count(LOG_GUEST_ERROR), errs + 1);
	CHECK_EQ(rd(QUADSPI_CCR), CCR_ID);
	/* PRESCALER locked while BUSY; FTHRES is not. */
	wr(QUADSPI_CR, PRESC(9) | QUADSPI_CR_EN | 5U << 8);
	CHECK_EQ(rd(QUADSPI_CR), PRESC(3) | QUADSPI_CR_EN | 5U << 8);
	/* DR byte access not at DATA[7:0]: refused, the FIFO keeps it. */
	errs = sim_log_count(LOG_GUEST_ERROR);
	CHECK_EQ(rd_n(QUADSPI_DR + 1, 1), 0);
	CHECK_EQ(sim_log_count(LOG_GUEST_ERROR), errs + 1);
	CHECK_EQ(rd_n(QUADSPI_DR, 1), 0x0D);
	CHECK_EQ(rd_n(QUADSPI_DR, 2) & 0xFF, 0x5D);
	rd(QUADSPI_DR);
	rd_n(QUADSPI_DR, 1);
	CHECK_EQ(wait_idle(), rig.clk.cycles);
	/* DR read with nothing coming: 0, logged, no stall. */
	errs = sim_log_count(LOG_GUEST_ERROR);
	CHECK_EQ(rd(QUADSPI_DR), 0);
	CHECK_EQ(sim_log_count(LOG_GUEST_ERROR), errs + 1);
	teardown();

	/* IO1 not in its alternate function: logged the first time, and the
	 * controller samples the pin's pull-up, not the chip. */
	setup(CHIP_ESP_PSRAM64H, NULL);
	init_ctrl(0);
	psram_reset_spi();
	rig.pins[XSPI_IO1].mode = PIN_MODE_INPUT;
	rig.pins[XSPI_IO1].routed = false;
	rig.pins[XSPI_IO1].pull = PIN_PULL_UP;
	errs = sim_log_count(LOG_GUEST_ERROR);
	read_cmd(CCR_ID, 0, id, 8);
	CHECK_EQ(sim_log_count(LOG_GUEST_ERROR), errs + 1);
	for (int i = 0; i < 8; i++)
		CHECK_EQ(id[i], 0xFF);
	read_cmd(CCR_ID, 0, id, 8);
	CHECK_EQ(sim_log_count(LOG_GUEST_ERROR), errs + 1);
	teardown();

	/* No kernel clock: the command never runs; ABORT recovers. */
	setup(CHIP_ESP_PSRAM64H, NULL);
	init_ctrl(0);
	rig.ker_hz = 0;
	errs = sim_log_count(LOG_GUEST_ERROR);
	wr(QUADSPI_CCR, IMODE(1) | 0x66);
	CHECK(sim_log_count(LOG_GUEST_ERROR) > errs);
	rig.clk.cycles += 100000;
	CHECK(rd(QUADSPI_SR) & QUADSPI_SR_BUSY);
	wr(QUADSPI_CR, rd(QUADSPI_CR) | QUADSPI_CR_ABORT);
	CHECK(!(rd(QUADSPI_SR) & QUADSPI_SR_BUSY));
	teardown();

	/* ES0396 §2.6.2: CCR = 0 hangs; ABORT does not help, EN 0→1 does.
	 * Written while the block is disabled it starts nothing: enabling
	 * it afterwards leaves BUSY clear. */
	setup(CHIP_ESP_PSRAM64H, NULL);
	wr(QUADSPI_CCR, 0xFFFFFFFF & ~(3U << 26));
	wr(QUADSPI_CCR, 0);
	CHECK(!(rd(QUADSPI_SR) & QUADSPI_SR_BUSY));
	init_ctrl(0);
	CHECK(!(rd(QUADSPI_SR) & QUADSPI_SR_BUSY));
	wr(QUADSPI_CCR, 0);
	CHECK(rd(QUADSPI_SR) & QUADSPI_SR_BUSY);
	wr(QUADSPI_CR, rd(QUADSPI_CR) | QUADSPI_CR_ABORT);
	CHECK(rd(QUADSPI_SR) & QUADSPI_SR_BUSY);
	wr(QUADSPI_CR, 0);
	wr(QUADSPI_CR, PRESC(3) | QUADSPI_CR_EN);
	CHECK(!(rd(QUADSPI_SR) & QUADSPI_SR_BUSY));
	/* ES0396 §2.6.3: an indirect read with only a data phase hangs. */
	wr(QUADSPI_DLR, 0);
	wr(QUADSPI_CCR, FM_READ | DMODE(1));
	CHECK(rd(QUADSPI_SR) & QUADSPI_SR_BUSY);
	wr(QUADSPI_CR, rd(QUADSPI_CR) | QUADSPI_CR_ABORT);
	CHECK(!(rd(QUADSPI_SR) & QUADSPI_SR_BUSY));
	/* EN = 0: a trigger does not start a command. */
	wr(QUADSPI_CR, PRESC(3));
	errs = sim_log_count(LOG_GUEST_ERROR);
	wr(QUADSPI_CCR, IMODE(1) | 0x66);
	CHECK(!(rd(QUADSPI_SR) & QUADSPI_SR_BUSY));
	CHECK_EQ(sim_log_count(LOG_GUEST_ERROR), errs + 1);
	teardown();
}

static void sshift_and_prescaler(void)
{
	uint8_t back[16], data[16];

	setup(CHIP_ESP_PSRAM64H, NULL);
	init_ctrl(0);
	psram_reset_spi();
	for (unsigned i = 0; i < 16; i++) {
		data[i] = (uint8_t)(0x3C ^ (i * 37));
		psram_poke(rig.p, 0x500 + i, data[i]);
	}
	/* 100 MHz (PRESCALER 1): the chip's 6 ns output delay is later than
	 * the half-cycle sampling point; reads slip by a bit. */
	wr(QUADSPI_CR, PRESC(1) | QUADSPI_CR_EN);
	read_cmd(CCR_READ0B, 0x500, back, 16);
	CHECK(memcmp(back, data, 16) != 0);
	/* SSHIFT samples half a cycle later: right. */
	wr(QUADSPI_CR, PRESC(1) | QUADSPI_CR_EN | QUADSPI_CR_SSHIFT);
	read_cmd(CCR_READ0B, 0x500, back, 16);
	CHECK(memcmp(back, data, 16) == 0);
	teardown();
}

static void sioo_once(void)
{
	uint8_t id[2];

	setup(CHIP_ESP_PSRAM64H, NULL);
	init_ctrl(0);
	psram_reset_spi();
	wr(QUADSPI_DLR, 1);
	wr(QUADSPI_CCR, CCR_ID | QUADSPI_CCR_SIOO);
	wr(QUADSPI_AR, 0);
	id[0] = (uint8_t)rd_n(QUADSPI_DR, 1);
	id[1] = (uint8_t)rd_n(QUADSPI_DR, 1);
	CHECK_EQ(id[0], 0x0D);
	CHECK_EQ(id[1], 0x5D);
	wait_idle();
	/* The second command has no instruction: the address bits become
	 * the opcode (0x00: not a PSRAM command) and the ID is not read. */
	wr(QUADSPI_AR, 0);
	id[0] = (uint8_t)rd_n(QUADSPI_DR, 1);
	id[1] = (uint8_t)rd_n(QUADSPI_DR, 1);
	CHECK(id[0] != 0x0D || id[1] != 0x5D);
	teardown();
}

static void no_chip_floats(void)
{
	uint8_t id[8];

	setup(CHIP_ABSENT, NULL);
	init_ctrl(0);
	rig.pins[XSPI_IO1].pull = PIN_PULL_DOWN;
	read_cmd(CCR_ID, 0, id, 8);
	for (int i = 0; i < 8; i++)
		CHECK_EQ(id[i], 0x00);
	/* The xSPI never notices: TCF, no TEF. */
	CHECK_EQ(rd(QUADSPI_SR) & QUADSPI_SR_TEF, 0);
	rig.pins[XSPI_IO1].pull = PIN_PULL_UP;
	read_cmd(CCR_ID, 0, id, 8);
	for (int i = 0; i < 8; i++)
		CHECK_EQ(id[i], 0xFF);
	teardown();
}

static void w25q_recognised(void)
{
	uint8_t id[8];

	setup(CHIP_W25Q64, NULL);
	init_ctrl(0);
	/* Flash framing: 0x9F with no address. */
	read_cmd(FM_READ | DMODE(1) | IMODE(1) | 0x9F, 0, id, 3);
	CHECK_EQ(id[0], 0xEF);
	CHECK_EQ(id[1], 0x40);
	CHECK_EQ(id[2], 0x17);
	/* 0x4B: 4 dummy bytes, then the unique ID. */
	{
		uint8_t uid[8];

		read_cmd(FM_READ | DMODE(1) | 3U << 12 | ADMODE(1) |
				 IMODE(1) | 0x4B, 0, id, 8);
		w25q_unique_id(rig.f, uid);
		CHECK(memcmp(id, uid, 8) == 0);
	}
	/* PSRAM-style write: no write enable, nothing changes. */
	{
		const uint8_t d[4] = {1, 2, 3, 4};

		write_spi(0x100, d, 4);
		CHECK_EQ(w25q_peek(rig.f, 0x100), 0xFF);
	}
	teardown();
}

static void trace_line(void)
{
	FILE *f = tmpfile();
	char buf[512] = "";

	CHECK(f);
	setup(CHIP_ESP_PSRAM64H, NULL);
	init_ctrl(0);
	sim_log_set_trace(f);
	instr(0x66, 1);
	sim_log_set_trace(NULL);
	rewind(f);
	CHECK(fgets(buf, sizeof(buf), f));
	CHECK(strstr(buf, "0x66") && strstr(buf, "50.000 MHz") &&
	      strstr(buf, "NCS low 0.180 us"));
	fclose(f);
	teardown();
}

/* RM0399 §24.3.5 "Triggering the start of a command", each combination:
 * which register write sets BUSY. */
static void trigger_table(void)
{
	static const struct {
		uint32_t fmode, admode, dmode;
		int starts_on;	/* 0 CCR, 1 AR, 2 DR */
	} rows[] = {
		{FM_WRITE, 0, 0, 0}, {FM_WRITE, 1, 0, 1},
		{FM_WRITE, 0, 1, 2}, {FM_WRITE, 1, 1, 2},
		{FM_READ, 0, 1, 0},  {FM_READ, 1, 1, 1},
		{FM_POLL, 0, 1, 0},  {FM_POLL, 1, 1, 1},
	};

	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint32_t ccr = rows[i].fmode | DMODE(rows[i].dmode) |
			       (rows[i].admode ? ADSIZE24 | ADMODE(1) : 0) |
			       IMODE(1) | DCYC(2) | 0x0B;

		setup(CHIP_ESP_PSRAM64H, NULL);
		init_ctrl(QUADSPI_CR_APMS);
		wr(QUADSPI_DLR, 0);
		wr(QUADSPI_CCR, ccr);
		CHECK_EQ(!!(rd(QUADSPI_SR) & QUADSPI_SR_BUSY),
			 rows[i].starts_on == 0);
		wr(QUADSPI_ABR, 0);	/* never a trigger */
		CHECK_EQ(!!(rd(QUADSPI_SR) & QUADSPI_SR_BUSY),
			 rows[i].starts_on == 0);
		if (rows[i].starts_on == 0) {
			teardown();
			continue;
		}
		wr(QUADSPI_AR, 0x10);
		CHECK_EQ(!!(rd(QUADSPI_SR) & QUADSPI_SR_BUSY),
			 rows[i].starts_on == 1);
		if (rows[i].starts_on == 2) {
			wr_n(QUADSPI_DR, 1, 0x5A);
			CHECK(rd(QUADSPI_SR) & QUADSPI_SR_BUSY);
		}
		teardown();
	}
}

static void dr_access_widths(void)
{
	setup(CHIP_ESP_PSRAM64H, NULL);
	init_ctrl(0);
	psram_reset_spi();
	/* Halfword writes add 2 bytes, byte writes 1, words 4 (RM0399
	 * §24.5.9), little-endian. */
	psram_poke(rig.p, 0x606, 0x77);
	wr(QUADSPI_DLR, 5);
	wr(QUADSPI_CCR, FM_WRITE | DMODE(1) | ADSIZE24 | ADMODE(1) |
				IMODE(1) | 0x02);
	wr(QUADSPI_AR, 0x600);
	wr_n(QUADSPI_DR, 2, 0xBBAA);
	CHECK_EQ(rd(QUADSPI_SR) >> 8 & 0x3F, 2);
	wr_n(QUADSPI_DR, 1, 0xCC);
	wr(QUADSPI_DR, 0x11FFEEDD);	/* 0x11 is one byte too many */
	wait_idle();
	CHECK_EQ(psram_peek(rig.p, 0x600), 0xAA);
	CHECK_EQ(psram_peek(rig.p, 0x601), 0xBB);
	CHECK_EQ(psram_peek(rig.p, 0x602), 0xCC);
	CHECK_EQ(psram_peek(rig.p, 0x605), 0xFF);
	CHECK_EQ(psram_peek(rig.p, 0x606), 0x77);
	/* The extra byte was flushed at TCF: the FIFO is empty. */
	CHECK_EQ(rd(QUADSPI_SR) >> 8 & 0x3F, 0);
	gap();
	/* Halfword read pops 2. */
	wr(QUADSPI_DLR, 3);
	wr(QUADSPI_CCR, CCR_READ0B);
	wr(QUADSPI_AR, 0x600);
	CHECK_EQ(rd_n(QUADSPI_DR, 2), 0xBBAA);
	CHECK_EQ(rd_n(QUADSPI_DR, 2), 0xDDCC);
	teardown();
}

static void ddr_frcm_rejected(void)
{
	unsigned long unimp, errs;
	uint8_t id[2];

	setup(CHIP_ESP_PSRAM64H, NULL);
	init_ctrl(0);
	psram_reset_spi();
	unimp = sim_log_count(LOG_UNIMP);
	errs = sim_log_count(LOG_GUEST_ERROR);
	/* DDR: not modelled, said so; the chip does not see it. */
	read_cmd(CCR_ID | QUADSPI_CCR_DDRM, 0, id, 2);
	CHECK_EQ(sim_log_count(LOG_UNIMP), unimp + 1);
	CHECK(id[0] != 0x0D || id[1] != 0x5D);
	/* The DDR rules are checked before the refusal: DDR needs
	 * PRESCALER >= 1 and SSHIFT = 0 (§24.3.10-11), DHHC PRESCALER > 0
	 * (§24.5.6); PRESCALER 3 and no SSHIFT break none. */
	CHECK_EQ(sim_log_count(LOG_GUEST_ERROR), errs);
	wr(QUADSPI_CR, PRESC(0) | QUADSPI_CR_EN | QUADSPI_CR_SSHIFT);
	read_cmd(CCR_ID | QUADSPI_CCR_DDRM | QUADSPI_CCR_DHHC, 0, id, 2);
	CHECK_EQ(sim_log_count(LOG_GUEST_ERROR), errs + 3);
	wr(QUADSPI_CR, PRESC(3) | QUADSPI_CR_EN);
	/* FRCM (H7): BUSY until ABORT, nothing on the chip. */
	wr(QUADSPI_CCR, QUADSPI_CCR_FRCM);
	rig.clk.cycles += 10000;
	CHECK(rd(QUADSPI_SR) & QUADSPI_SR_BUSY);
	wr(QUADSPI_CR, rd(QUADSPI_CR) | QUADSPI_CR_ABORT);
	CHECK(!(rd(QUADSPI_SR) & QUADSPI_SR_BUSY));
	teardown();
}

/* Dual-flash mode (CR.DFM): DL[0] stuck at 1, ADDRESS[0] stuck at 0
 * (RM0399 §24.5.5, §24.5.7); the data phase interleaves two memories
 * these boards do not have, so the command is refused, not run as single
 * flash, and said so once. */
static void dual_flash_refused(void)
{
	unsigned long unimp;
	uint8_t id[8];

	setup(CHIP_ESP_PSRAM64H, NULL);
	init_ctrl(0);
	psram_reset_spi();
	/* Written before DFM is set: stuck from then on. */
	wr(QUADSPI_DLR, 6);
	wr(QUADSPI_CCR, FM_WRITE | ADSIZE24 | ADMODE(1) | IMODE(1) | 0x02 |
				DMODE(1));
	wr(QUADSPI_AR, 0x21);
	wr(QUADSPI_CR, rd(QUADSPI_CR) | QUADSPI_CR_DFM);
	CHECK_EQ(rd(QUADSPI_DLR), 7);
	CHECK_EQ(rd(QUADSPI_AR), 0x20);
	wr(QUADSPI_DLR, 4);
	CHECK_EQ(rd(QUADSPI_DLR), 5);
	wr(QUADSPI_CCR, FM_WRITE | ADSIZE24 | ADMODE(1) | IMODE(1) | 0x02 |
				DMODE(1));
	wr(QUADSPI_AR, 0x11);
	CHECK_EQ(rd(QUADSPI_AR), 0x10);
	unimp = sim_log_count(LOG_UNIMP);
	read_cmd(CCR_ID, 0, id, 8);
	CHECK(id[0] != 0x0D || id[1] != 0x5D);
	CHECK_EQ(sim_log_count(LOG_UNIMP), unimp + 1);
	read_cmd(CCR_ID, 0, id, 8);
	CHECK_EQ(sim_log_count(LOG_UNIMP), unimp + 1);
	/* Back to single flash: the chip answers. */
	wr(QUADSPI_CR, rd(QUADSPI_CR) & ~QUADSPI_CR_DFM);
	read_cmd(CCR_ID, 0, id, 8);
	CHECK_EQ(id[0], 0x0D);
	CHECK_EQ(id[1], 0x5D);
	teardown();
}

static bool irq_level;
static unsigned irq_rises;

static void irq_record(void *nvic, unsigned irqn, bool level)
{
	(void)nvic;
	CHECK_EQ(irqn, QUADSPI_IRQN);
	if (level && !irq_level)
		irq_rises++;
	irq_level = level;
}

/* Lets virtual time reach `t` as a running core would: the events due on
 * the way fire, no register is read. */
static void run_until(uint64_t t)
{
	while (vclock_next_event(&rig.clk) <= t) {
		rig.clk.cycles = vclock_next_event(&rig.clk);
		vclock_fire_due(&rig.clk);
	}
	rig.clk.cycles = t;
	vclock_fire_due(&rig.clk);
}

/* RM0399 §24.4, Table 203: quadspi_it is high while a flag is set with its
 * enable, and rises when the flag does, with no register access. */
static void interrupts(void)
{
	struct irq_line line = {irq_record, NULL, QUADSPI_IRQN};
	uint64_t t;
	uint32_t v;

	setup(CHIP_ESP_PSRAM64H, NULL);
	irq_level = false;
	irq_rises = 0;
	quadspi_set_irq(rig.q, line);
	init_ctrl(QUADSPI_CR_TCIE);
	psram_reset_spi();
	CHECK(!irq_level);
	/* TCIE: an instruction-only command raises it when it ends (1 + 8
	 * CLK), and CTCF lowers it. */
	t = rig.clk.cycles;
	wr(QUADSPI_CCR, IMODE(1) | 0x66);
	run_until(t + clk_cycles(9, 3) - 1);
	CHECK(!irq_level);
	run_until(t + clk_cycles(9, 3));
	CHECK(irq_level);
	wr(QUADSPI_FCR, QUADSPI_SR_TCF);
	CHECK(!irq_level);
	/* An enable set after its flag raises the line at once. */
	gap();
	wr(QUADSPI_CR, PRESC(3) | QUADSPI_CR_EN);
	wr(QUADSPI_CCR, IMODE(1) | 0x99);
	run_until(rig.clk.cycles + 1000);
	CHECK(!irq_level);
	wr(QUADSPI_CR, PRESC(3) | QUADSPI_CR_EN | QUADSPI_CR_TCIE);
	CHECK(irq_level);
	wr(QUADSPI_FCR, QUADSPI_SR_TCF);
	gap();

	/* FTIE in indirect read with FTHRES 3: high once 4 bytes are in,
	 * low when the FIFO is read below the threshold and the command
	 * still runs. */
	wr(QUADSPI_CR, PRESC(3) | QUADSPI_CR_EN | QUADSPI_CR_FTIE |
			       3U << QUADSPI_CR_FTHRES_SHIFT);
	wr(QUADSPI_DLR, 7);
	wr(QUADSPI_CCR, CCR_READ0B);
	t = rig.clk.cycles;
	wr(QUADSPI_AR, 0);
	run_until(t + clk_cycles(40 + 32, 3) - 1);
	CHECK(!irq_level);
	run_until(t + clk_cycles(40 + 32, 3));
	CHECK(irq_level);
	v = rd(QUADSPI_DR);
	(void)v;
	CHECK(!irq_level);
	run_until(t + clk_cycles(40 + 64 + 1, 3));
	CHECK(irq_level);
	rd(QUADSPI_DR);
	CHECK(!irq_level);
	wr(QUADSPI_FCR, QUADSPI_SR_TCF);
	gap();

	/* TEIE: an address beyond FSIZE. */
	wr(QUADSPI_CR, PRESC(3) | QUADSPI_CR_EN | QUADSPI_CR_TEIE);
	wr(QUADSPI_AR, 0x800000);
	CHECK(irq_level);
	wr(QUADSPI_FCR, QUADSPI_SR_TEF);
	CHECK(!irq_level);
	teardown();

	/* SMIE: automatic polling matches at the end of the first poll. */
	setup(CHIP_W25Q64, NULL);
	irq_level = false;
	quadspi_set_irq(rig.q, line);
	init_ctrl(QUADSPI_CR_APMS | QUADSPI_CR_SMIE);
	wr(QUADSPI_DLR, 0);
	wr(QUADSPI_PSMKR, 0x01);
	wr(QUADSPI_PSMAR, 0x00);
	wr(QUADSPI_PIR, 16);
	t = rig.clk.cycles;
	wr(QUADSPI_CCR, FM_POLL | DMODE(1) | IMODE(1) | 0x05);
	run_until(t + clk_cycles(17, 3) - 1);
	CHECK(!irq_level);
	run_until(t + clk_cycles(17, 3));
	CHECK(irq_level);
	wr(QUADSPI_FCR, QUADSPI_SR_SMF);
	CHECK(!irq_level);
	teardown();

	/* TOIE: the memory-mapped timeout, TIMEOUT CLK after the prefetch
	 * filled the FIFO (the timing of mmap_timeout). */
	setup(CHIP_ESP_PSRAM64H, NULL);
	irq_level = false;
	quadspi_set_irq(rig.q, line);
	init_ctrl(QUADSPI_CR_TCEN | QUADSPI_CR_TOIE);
	psram_reset_spi();
	instr(0x35, 1);
	wr(QUADSPI_LPTR, 10);
	wr(QUADSPI_CCR, CCR_QREAD | FM_MMAP);
	t = rig.clk.cycles;
	CHECK(quadspi_mem_ops.read(rig.q, 0x10, 1, &v, BUS_MASTER_CPU));
	run_until(t + clk_cycles(14 + 2 * 33 + 1 + 10, 3) - 1);
	CHECK(!irq_level);
	run_until(t + clk_cycles(14 + 2 * 33 + 1 + 10, 3));
	CHECK(irq_level);
	wr(QUADSPI_FCR, QUADSPI_SR_TOF);
	CHECK(!irq_level);
	/* QSPIRST: the line falls with the registers. */
	wr(QUADSPI_CR, rd(QUADSPI_CR) | QUADSPI_CR_ABORT);
	wr(QUADSPI_CR, QUADSPI_CR_EN | QUADSPI_CR_TCIE);
	wr(QUADSPI_CCR, IMODE(1) | 0x66);
	run_until(rig.clk.cycles + 100000);
	CHECK(irq_level);
	quadspi_reset(rig.q);
	CHECK(!irq_level);
	CHECK_EQ(vclock_next_event(&rig.clk), VCLOCK_NEVER);
	teardown();
}

/* HAL_QSPI_Receive of a command with no address: the CCR write with
 * FMODE = 01 starts it, then the HAL rewrites AR "to start the transfer".
 * RM0399 §24.5.7 defines that write as ignored while BUSY = 1: no guest
 * error, AR unchanged, the read goes on. */
static void hal_receive_no_address(void)
{
	unsigned long errs;
	uint8_t id[3];

	setup(CHIP_W25Q64, NULL);
	init_ctrl(0);
	wr(QUADSPI_AR, 0x55);
	errs = sim_log_count(LOG_GUEST_ERROR);
	wr(QUADSPI_DLR, 2);
	/* HAL_QSPI_Command: indirect write framing, no trigger. */
	wr(QUADSPI_CCR, FM_WRITE | DMODE(1) | IMODE(1) | 0x9F);
	CHECK(!(rd(QUADSPI_SR) & QUADSPI_SR_BUSY));
	/* HAL_QSPI_Receive: FMODE = 01 (starts it), then AR again. */
	wr(QUADSPI_CCR, FM_READ | DMODE(1) | IMODE(1) | 0x9F);
	CHECK(rd(QUADSPI_SR) & QUADSPI_SR_BUSY);
	wr(QUADSPI_AR, 0x1234);
	CHECK_EQ(rd(QUADSPI_AR), 0x55);
	for (unsigned i = 0; i < 3; i++)
		id[i] = (uint8_t)rd_n(QUADSPI_DR, 1);
	CHECK_EQ(id[0], 0xEF);
	CHECK_EQ(id[2], 0x17);
	CHECK(wait_idle() != UINT64_MAX);
	CHECK_EQ(sim_log_count(LOG_GUEST_ERROR), errs);
	teardown();
}

/* DLR = 0xFFFF_FFFF: undefined length, the transfer runs to the end of
 * the memory FSIZE gives and TCF is set there (RM0399 §24.3.5, §24.5.5);
 * no TEF, since address + length does not pass the end. */
static void undefined_length_to_fsize(void)
{
	uint32_t v;

	setup(CHIP_ESP_PSRAM64H, NULL);
	init_ctrl(0);
	psram_reset_spi();
	for (unsigned i = 0; i < 8; i++)
		psram_poke(rig.p, 0x7FFFF8 + i, (uint8_t)(0x10 + i));
	wr(QUADSPI_DLR, 0xFFFFFFFF);
	wr(QUADSPI_CCR, CCR_READ0B);
	wr(QUADSPI_AR, 0x7FFFF8);
	CHECK(!(rd(QUADSPI_SR) & QUADSPI_SR_TEF));
	v = rd(QUADSPI_DR);
	CHECK_EQ(v, 0x13121110);
	v = rd(QUADSPI_DR);
	CHECK_EQ(v, 0x17161514);
	CHECK(wait_idle() != UINT64_MAX);
	CHECK_EQ(rd(QUADSPI_SR) & (QUADSPI_SR_TCF | QUADSPI_SR_TEF | 0x3F00),
		 QUADSPI_SR_TCF);
	teardown();
}

/* SIOO (RM0399 §24.3.13) in automatic status-polling mode: only the
 * first poll after the CCR write carries the instruction, so the later
 * ones are 8 CLK shorter and more of them fit in the same time. */
static void polls_in(uint32_t sioo, uint64_t *polls)
{
	uint64_t t, cmds;

	*polls = 0;
	setup(CHIP_W25Q64, NULL);
	init_ctrl(0);
	wr(QUADSPI_DLR, 0);
	wr(QUADSPI_PSMKR, 0xFF);
	wr(QUADSPI_PSMAR, 0xFF);	/* never matches: polls go on */
	wr(QUADSPI_PIR, 16);
	cmds = sim_stats.xspi_commands;
	t = rig.clk.cycles;
	wr(QUADSPI_CCR, FM_POLL | DMODE(1) | IMODE(1) | sioo | 0x05);
	rig.clk.cycles = t + clk_cycles(17 + 10 * 33, 3);
	CHECK(rd(QUADSPI_SR) & QUADSPI_SR_BUSY);
	*polls = sim_stats.xspi_commands - cmds;
	teardown();
}

static void sioo_polling(void)
{
	/* 17 CLK a poll plus 16 of INTERVAL: 11 polls; with SIOO 9 + 16
	 * after the first. */
	uint64_t plain, once;

	polls_in(0, &plain);
	polls_in(QUADSPI_CCR_SIOO, &once);
	CHECK_EQ(plain, 11);
	CHECK(once >= 13);
}

/* ES0396 §2.6.1, revision Y only: an indirect write with dummy cycles
 * loses its first data nibble; psramsim refuses it (a guest error, the
 * chip unwritten) rather than write it intact. Revision V writes it. */
static void rev_y_write_with_dummy(void)
{
	static const uint32_t ccr = FM_WRITE | DMODE(1) | DCYC(2) | ADSIZE24 |
				    ADMODE(1) | IMODE(1) | 0x02;
	unsigned long errs;

	for (int rev_y = 1; rev_y >= 0; rev_y--) {
		setup(CHIP_ESP_PSRAM64H, NULL);
		quadspi_set_rev_y(rig.q, rev_y);
		init_ctrl(0);
		psram_reset_spi();
		psram_poke(rig.p, 0x40, 0x00);
		errs = sim_log_count(LOG_GUEST_ERROR);
		wr(QUADSPI_DLR, 0);
		wr(QUADSPI_CCR, ccr);
		wr(QUADSPI_AR, 0x40);
		wr_n(QUADSPI_DR, 1, 0xA5);
		CHECK(wait_idle() != UINT64_MAX);
		CHECK(rd(QUADSPI_SR) & QUADSPI_SR_TCF);
		CHECK_EQ(sim_log_count(LOG_GUEST_ERROR), errs + (rev_y ? 1 : 0));
		/* 0x02 has no wait cycles: revision V's write lands two bits
		 * late, but it reaches the chip. */
		CHECK_EQ(psram_peek(rig.p, 0x40) != 0, !rev_y);
		teardown();
	}
}

/* RM0399 §24.3.5: the CCR write that starts a command with no address
 * is "a write ... to INSTRUCTION[7:0]": a halfword write to CCR[31:16]
 * only configures, the byte write of the instruction starts it. */
static void ccr_trigger_lane(void)
{
	uint8_t id;

	setup(CHIP_W25Q64, NULL);
	init_ctrl(0);
	wr(QUADSPI_DLR, 0);
	wr(QUADSPI_CCR, IMODE(1) | 0x9F);
	CHECK(wait_idle() != UINT64_MAX);
	wr(QUADSPI_FCR, QUADSPI_SR_TCF);
	gap();
	wr_n(QUADSPI_CCR + 2, 2, (FM_READ | DMODE(1)) >> 16);
	CHECK(!(rd(QUADSPI_SR) & QUADSPI_SR_BUSY));
	CHECK_EQ(rd(QUADSPI_CCR), FM_READ | DMODE(1) | IMODE(1) | 0x9F);
	wr_n(QUADSPI_CCR, 1, 0x9F);
	CHECK(rd(QUADSPI_SR) & QUADSPI_SR_BUSY);
	id = (uint8_t)rd_n(QUADSPI_DR, 1);
	CHECK_EQ(id, 0xEF);
	teardown();
}

static void f7_family(void)
{
	uint8_t id[8];

	setup_family(CHIP_ESP_PSRAM64H, NULL, QUADSPI_FAMILY_F7);
	init_ctrl(0);
	psram_reset_spi();
	read_cmd(CCR_ID, 0, id, 8);
	CHECK_EQ(id[0], 0x0D);
	/* The H7 errata traps are not applied to F7: CCR = 0 starts an
	 * (empty) command that completes. */
	wr(QUADSPI_CCR, 0);
	CHECK_EQ(wait_idle(), rig.clk.cycles);
	teardown();
}

UNIT_MAIN("sim_quadspi", UNIT_TEST(reset_values),
	  UNIT_TEST(instruction_only_timing), UNIT_TEST(write_read_spi),
	  UNIT_TEST(read_timing_and_flags), UNIT_TEST(read_stalls_core),
	  UNIT_TEST(fifo_full_stops_clock), UNIT_TEST(write_full_fifo_stalls),
	  UNIT_TEST(qpi_write_read), UNIT_TEST(qpi_read_timing),
	  UNIT_TEST(ftf_write_after_read),
	  UNIT_TEST(read_id), UNIT_TEST(mode_switch_and_resets),
	  UNIT_TEST(auto_poll), UNIT_TEST(mmap_read), UNIT_TEST(mmap_timeout),
	  UNIT_TEST(abort_stalled_read), UNIT_TEST(tef_beyond_fsize),
	  UNIT_TEST(misuse), UNIT_TEST(sshift_and_prescaler),
	  UNIT_TEST(sioo_once), UNIT_TEST(no_chip_floats),
	  UNIT_TEST(w25q_recognised), UNIT_TEST(trace_line),
	  UNIT_TEST(trigger_table), UNIT_TEST(dr_access_widths),
	  UNIT_TEST(ddr_frcm_rejected), UNIT_TEST(dual_flash_refused),
	  UNIT_TEST(interrupts), UNIT_TEST(hal_receive_no_address),
	  UNIT_TEST(undefined_length_to_fsize), UNIT_TEST(sioo_polling),
	  UNIT_TEST(rev_y_write_with_dummy), UNIT_TEST(ccr_trigger_lane),
	  UNIT_TEST(f7_family))
