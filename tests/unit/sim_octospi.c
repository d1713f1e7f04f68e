/* OCTOSPI and OCTOSPIM models driven through the register sequences of
 * RM0455's OCTOSPI chapter against the PSRAM model: bytes on the wire,
 * flags, virtual time, what keeps NCS low in memory-mapped mode and what
 * releases it, the ES0478 mapped-write error, and the I/O manager's
 * routing. */
#include <stdlib.h>

#include "chips/psram.h"
#include "fault.h"
#include "periph/octospi.h"
#include "periph/octospim.h"
#include "unit.h"
#include "util/log.h"
#include "util/stats.h"
#include "wire/xspi_wire.h"
#include "xspi_rig.h"

#define CPU_HZ 280000000U
#define KER_HZ 140000000U
#define T0 100000ULL	/* past the PSRAM's 150 us power-up */

/* CCR fields (RM0455 OCTOSPI_CCR): modes 1 = one line, 3 = four. */
#define IMODE(n) ((uint32_t)(n) << 0)
#define ADMODE(n) ((uint32_t)(n) << 8)
#define ADSIZE24 (2U << 12)
#define DMODE(n) ((uint32_t)(n) << 24)
#define DQSE (1U << 29)
#define FM_WRITE 0U
#define FM_READ (1U << 28)
#define FM_POLL (2U << 28)
#define FM_MMAP (3U << 28)

struct rig {
	struct vclock clk;
	uint32_t ker_hz;
	struct pin_view pins[XSPI_SIGNALS];
	struct pin_source src;
	struct xspi_wire *w;
	struct octospi *o[2];
	struct octospim *m;
	struct psram *p;
};

static struct rig rig;

static uint32_t kernel(void *ctx)
{
	return ((struct rig *)ctx)->ker_hz;
}

static void setup_with(const char *fault)
{
	const char *const faults[] = {fault, NULL};

	sim_log_quiet(1);
	memset(&rig, 0, sizeof(rig));
	rig.clk.cycles = T0;
	rig.clk.cpu_hz = CPU_HZ;
	rig.ker_hz = KER_HZ;
	xspi_rig_route_all(rig.pins, &rig.src);
	rig.w = xspi_rig_wire(&rig.src, &rig.clk, CHIP_ESP_PSRAM64H, faults,
			      42);
	rig.p = psram_of(xspi_wire_chip(rig.w));
	rig.m = octospim_new();
	for (unsigned i = 0; i < 2; i++)
		rig.o[i] = octospi_new(i, &rig.clk, kernel, &rig,
				       octospim_routes_port1, rig.m, rig.w);
	octospim_attach(rig.m, rig.o[0], rig.o[1]);
}

static void setup(void)
{
	setup_with(NULL);
}

static void teardown(void)
{
	octospi_free(rig.o[0]);
	octospi_free(rig.o[1]);
	octospim_free(rig.m);
	xspi_wire_free(rig.w);
}

static void wr(uint32_t off, uint32_t v)
{
	octospi_reg_ops.write(rig.o[0], off, 4, v, BUS_MASTER_CPU);
}

static uint32_t rd(uint32_t off)
{
	uint32_t v = 0;

	octospi_reg_ops.read(rig.o[0], off, 4, &v, BUS_MASTER_CPU);
	return v;
}

static uint8_t rd8(uint32_t off)
{
	uint32_t v = 0;

	octospi_reg_ops.read(rig.o[0], off, 1, &v, BUS_MASTER_CPU);
	return (uint8_t)v;
}

static bool mm_read(uint32_t off, unsigned size, uint32_t *v)
{
	return octospi_mem_ops.read(rig.o[0], off, size, v, BUS_MASTER_CPU);
}

static bool mm_write(uint32_t off, unsigned size, uint32_t v)
{
	return octospi_mem_ops.write(rig.o[0], off, size, v, BUS_MASTER_CPU);
}

/* Polls SR until BUSY clears (xspi_rig_wait_idle). */
static uint64_t wait_idle(void)
{
	return xspi_rig_wait_idle(rd, OCTOSPI_SR, OCTOSPI_SR_BUSY, &rig.clk);
}

static void gap(void)
{
	rig.clk.cycles += 400;
}

/* CPU cycles of n CLK at PRESCALER p. */
static uint64_t clk_cycles(unsigned n, unsigned presc)
{
	return (uint64_t)n * (presc + 1) * (CPU_HZ / KER_HZ);
}

/* EN, CLK = kernel / 2 (70 MHz), DEVSIZE 22 (8 MiB), CSHT 3 (4 CLK,
 * 57 ns: above the PSRAM's 50 ns tCPH), standard memory type. */
static void init_ctrl(uint32_t extra_cr)
{
	wr(OCTOSPI_DCR1, 2U << 24 | 22U << 16 | 3U << 8);
	wr(OCTOSPI_DCR2, 1);
	wr(OCTOSPI_CR, OCTOSPI_CR_EN | extra_cr);
}

static void instr(uint8_t op)
{
	wr(OCTOSPI_CR, (rd(OCTOSPI_CR) & ~(3U << 28)) | FM_WRITE);
	wr(OCTOSPI_CCR, IMODE(1));
	wr(OCTOSPI_IR, op);
	wait_idle();
	wr(OCTOSPI_FCR, OCTOSPI_SR_TCF);
	gap();
}

static void cmd(uint32_t fm, uint32_t ccr, uint32_t dcyc, uint8_t op,
		uint32_t addr, unsigned n)
{
	wr(OCTOSPI_CR, (rd(OCTOSPI_CR) & ~(3U << 28)) | fm);
	wr(OCTOSPI_CCR, ccr);
	wr(OCTOSPI_TCR, dcyc);
	wr(OCTOSPI_DLR, n - 1);
	wr(OCTOSPI_IR, op);
	wr(OCTOSPI_AR, addr);
}

static void write_spi(uint32_t addr, const uint8_t *data, unsigned n)
{
	cmd(FM_WRITE, DMODE(1) | ADSIZE24 | ADMODE(1) | IMODE(1), 0, 0x02,
	    addr, n);
	for (unsigned i = 0; i < n; i++)
		octospi_reg_ops.write(rig.o[0], OCTOSPI_DR, 1, data[i],
				      BUS_MASTER_CPU);
	wait_idle();
	wr(OCTOSPI_FCR, OCTOSPI_SR_TCF);
	gap();
}

static void read_spi(uint32_t addr, uint8_t *out, unsigned n)
{
	/* Fast read: 0x03 is limited to 33 MHz. */
	cmd(FM_READ, DMODE(1) | ADSIZE24 | ADMODE(1) | IMODE(1), 8, 0x0B,
	    addr, n);
	for (unsigned i = 0; i < n; i++)
		out[i] = rd8(OCTOSPI_DR);
	wait_idle();
	wr(OCTOSPI_FCR, OCTOSPI_SR_TCF);
	gap();
}

#define QPI_READ (DMODE(3) | ADSIZE24 | ADMODE(3) | IMODE(3))
#define QPI_WRITE (DMODE(3) | ADSIZE24 | ADMODE(3) | IMODE(3))

/* Reset, QPI on, and memory-mapped mode with 0xEB reads (6 dummy) and
 * 0x38 writes; `wccr_extra` adds DQSE or not. */
static void mapped(uint32_t extra_cr, uint32_t wccr_extra)
{
	init_ctrl(0);
	instr(0x66);
	instr(0x99);
	instr(0x35);
	wr(OCTOSPI_CR, OCTOSPI_CR_EN | FM_MMAP | extra_cr);
	wr(OCTOSPI_CCR, QPI_READ);
	wr(OCTOSPI_TCR, 6);
	wr(OCTOSPI_IR, 0xEB);
	wr(OCTOSPI_WCCR, QPI_WRITE | wccr_extra);
	wr(OCTOSPI_WTCR, 0);
	wr(OCTOSPI_WIR, 0x38);
}

static void reset_values(void)
{
	static const uint32_t regs[] = {
		OCTOSPI_CR, OCTOSPI_DCR1, OCTOSPI_DCR2, OCTOSPI_DCR3,
		OCTOSPI_DCR4, OCTOSPI_SR, OCTOSPI_DLR, OCTOSPI_AR,
		OCTOSPI_CCR, OCTOSPI_TCR, OCTOSPI_IR, OCTOSPI_ABR,
		OCTOSPI_LPTR, OCTOSPI_WCCR, OCTOSPI_WTCR, OCTOSPI_WIR,
		OCTOSPI_WABR, OCTOSPI_HLCR, OCTOSPI_FCR, OCTOSPI_PSMKR,
		OCTOSPI_PSMAR, OCTOSPI_PIR, OCTOSPI_WPCCR, OCTOSPI_WPTCR,
		OCTOSPI_WPIR, OCTOSPI_WPABR,
	};
	uint32_t v;

	setup();
	for (unsigned i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		CHECK_EQ(rd(regs[i]), 0);
	CHECK_EQ(rd(OCTOSPI_MID), 0xA3C5DD01U);
	wr(OCTOSPI_DCR1, 0xFFFFFFFF);
	CHECK_EQ(rd(OCTOSPI_DCR1), 0x071F070BU);
	wr(OCTOSPI_TCR, 0xFFFFFFFF);
	CHECK_EQ(rd(OCTOSPI_TCR), 0x5000001FU);
	wr(OCTOSPI_WCCR, 0xFFFFFFFF);
	CHECK_EQ(rd(OCTOSPI_WCCR), 0x2F3F3F3FU);
	/* The wrap command set: no SIOO in WPCCR, WPTCR as TCR. */
	wr(OCTOSPI_WPCCR, 0xFFFFFFFF);
	CHECK_EQ(rd(OCTOSPI_WPCCR), 0x2F3F3F3FU);
	wr(OCTOSPI_WPTCR, 0xFFFFFFFF);
	CHECK_EQ(rd(OCTOSPI_WPTCR), 0x5000001FU);
	wr(OCTOSPI_CCR, 0xFFFFFFFF);
	CHECK_EQ(rd(OCTOSPI_CCR), 0xAF3F3F3FU);
	wr(OCTOSPI_DCR2, 0xFFFFFFFF);
	CHECK_EQ(rd(OCTOSPI_DCR2), 0x000700FFU);
	wr(OCTOSPI_DCR3, 0xFFFFFFFF);
	CHECK_EQ(rd(OCTOSPI_DCR3), 0x001F00FFU);
	wr(OCTOSPI_PIR, 0xFFFFFFFF);
	CHECK_EQ(rd(OCTOSPI_PIR), 0xFFFFU);
	wr(OCTOSPI_LPTR, 0xFFFFFFFF);
	CHECK_EQ(rd(OCTOSPI_LPTR), 0xFFFFU);
	wr(OCTOSPI_HLCR, 0xFFFFFFFF);
	CHECK_EQ(rd(OCTOSPI_HLCR), 0x00FFFF03U);
	CHECK_EQ(rd(OCTOSPI_FCR), 0);
	/* The I/O manager's reset mapping. */
	octospim_ops.read(rig.m, OCTOSPIM_P1CR, 4, &v, BUS_MASTER_CPU);
	CHECK_EQ(v, 0x03010111U);
	octospim_ops.read(rig.m, OCTOSPIM_P2CR, 4, &v, BUS_MASTER_CPU);
	CHECK_EQ(v, 0x07050333U);
	CHECK(octospim_routes_port1(rig.m, 0, 0));
	CHECK(!octospim_routes_port1(rig.m, 1, 0));
	teardown();
}

static void instruction_timing(void)
{
	uint64_t t;

	setup();
	init_ctrl(0);
	wr(OCTOSPI_CCR, IMODE(1));
	t = rig.clk.cycles;
	wr(OCTOSPI_IR, 0x66);
	CHECK(rd(OCTOSPI_SR) & OCTOSPI_SR_BUSY);
	/* NCS low for 1 + 8 CLK periods: one before the first of the 8
	 * rising edges, one after the last (RM0455's "NCS behavior"). */
	rig.clk.cycles = t + clk_cycles(9, 1) - 1;
	CHECK(rd(OCTOSPI_SR) & OCTOSPI_SR_BUSY);
	rig.clk.cycles = t + clk_cycles(9, 1);
	CHECK_EQ(rd(OCTOSPI_SR) & (OCTOSPI_SR_BUSY | OCTOSPI_SR_TCF),
		 OCTOSPI_SR_TCF);
	teardown();
}

static void indirect_write_read(void)
{
	uint8_t out[16], in[16];

	setup();
	init_ctrl(0);
	instr(0x66);
	instr(0x99);
	for (unsigned i = 0; i < sizeof(out); i++)
		out[i] = (uint8_t)(0xA0 + i * 7);
	write_spi(0x1234, out, sizeof(out));
	CHECK_EQ(psram_peek(rig.p, 0x1234), 0xA0);
	CHECK_EQ(psram_peek(rig.p, 0x1234 + 15), (uint8_t)(0xA0 + 105));
	read_spi(0x1234, in, sizeof(in));
	CHECK(memcmp(in, out, sizeof(in)) == 0);
	/* Address + length beyond DEVSIZE: TEF at once, nothing sent. */
	cmd(FM_READ, DMODE(1) | ADSIZE24 | ADMODE(1) | IMODE(1), 0, 0x03,
	    0x7FFFF0, 32);
	CHECK(rd(OCTOSPI_SR) & OCTOSPI_SR_TEF);
	CHECK(!(rd(OCTOSPI_SR) & OCTOSPI_SR_BUSY));
	CHECK_EQ(psram_violations(rig.p, PSRAM_V_NO_RESET), 0);
	teardown();
}

static void status_polling(void)
{
	setup();
	init_ctrl(OCTOSPI_CR_APMS);
	instr(0x66);
	instr(0x99);
	/* Read-ID's first byte is the manufacturer, 0x0D: polling with a
	 * match on it stops with SMF. */
	wr(OCTOSPI_PSMKR, 0xFF);
	wr(OCTOSPI_PSMAR, 0x0D);
	wr(OCTOSPI_PIR, 16);
	cmd(FM_POLL, DMODE(1) | ADSIZE24 | ADMODE(1) | IMODE(1), 0, 0x9F, 0,
	    1);
	CHECK_EQ(wait_idle() != UINT64_MAX, 1);
	CHECK(rd(OCTOSPI_SR) & OCTOSPI_SR_SMF);
	CHECK_EQ(rd(OCTOSPI_DR) & 0xFF, 0x0D);
	teardown();

	/* DMODE = 000 (no data phase) and a reserved code: guest errors,
	 * the status reads 0, and polling ends on the match on 0. */
	for (unsigned code = 0; code <= 5; code += 5) {
		unsigned long errors;

		setup();
		init_ctrl(OCTOSPI_CR_APMS);
		wr(OCTOSPI_PSMKR, 0xFF);
		wr(OCTOSPI_PSMAR, 0x00);
		wr(OCTOSPI_PIR, 16);
		errors = sim_log_count(LOG_GUEST_ERROR);
		cmd(FM_POLL, DMODE(code) | IMODE(1), 0, 0x05, 0, 1);
		CHECK(wait_idle() != UINT64_MAX);
		CHECK(rd(OCTOSPI_SR) & OCTOSPI_SR_SMF);
		CHECK_EQ(rd(OCTOSPI_DR) & 0xFF, 0x00);
		CHECK(sim_log_count(LOG_GUEST_ERROR) > errors);
		teardown();
	}
}

static void mapped_read_write(void)
{
	uint32_t v = 0;

	setup();
	mapped(OCTOSPI_CR_TCEN, DQSE);
	wr(OCTOSPI_LPTR, 8);
	psram_poke(rig.p, 0x100, 0x11);
	psram_poke(rig.p, 0x101, 0x22);
	psram_poke(rig.p, 0x102, 0x33);
	psram_poke(rig.p, 0x103, 0x44);
	CHECK(mm_read(0x100, 4, &v));
	CHECK_EQ(v, 0x44332211U);
	/* Byte, halfword and word stores, then read back. */
	CHECK(mm_write(0x200, 1, 0xAB));
	CHECK(mm_write(0x201, 1, 0xCD));
	CHECK(mm_write(0x202, 2, 0x1234));
	CHECK(mm_write(0x204, 4, 0xDEADBEEF));
	/* The burst goes out in the background; the model catches up at
	 * the next access, here an SR read after the timeout. */
	rig.clk.cycles += 10000;
	CHECK(!(rd(OCTOSPI_SR) & OCTOSPI_SR_BUSY));
	CHECK_EQ(psram_peek(rig.p, 0x200), 0xAB);
	CHECK(mm_read(0x200, 4, &v));
	CHECK_EQ(v, 0x1234CDABU);
	CHECK(mm_read(0x204, 4, &v));
	CHECK_EQ(v, 0xDEADBEEFU);
	CHECK_EQ(psram_peek(rig.p, 0x207), 0xDE);
	/* Beyond DEVSIZE: a bus error. */
	CHECK(!mm_read(0x800000, 4, &v));
	teardown();
}

static void mapped_write_needs_dqs(void)
{
	setup();
	mapped(OCTOSPI_CR_TCEN, 0);
	psram_poke(rig.p, 0x10, 0x99);
	/* ES0478: WCCR.DQSE = 0 answers a mapped write with an error. */
	CHECK(!mm_write(0x10, 4, 0x12345678));
	CHECK_EQ(psram_peek(rig.p, 0x10), 0x99);
	teardown();
}

/* Without the timeout counter a prefetch keeps NCS low after the access:
 * BUSY stays set and the PSRAM sees CE# low past tCEM (8 us). With TCEN
 * and LPTR, NCS rises TIMEOUT CLK after the FIFO filled and TOF is set. */
static void ncs_held_until_timeout(void)
{
	uint32_t v;

	setup_with("tcem=strict");
	mapped(0, DQSE);
	psram_poke(rig.p, 0x40, 0x5A);
	CHECK(mm_read(0x20, 4, &v));
	rig.clk.cycles += CPU_HZ / 100000;	/* 10 us */
	CHECK(rd(OCTOSPI_SR) & OCTOSPI_SR_BUSY);
	/* The prefetched bytes were read in time; the ones after them
	 * continue the same burst past tCEM. */
	for (uint32_t a = 0x24; a < 0x60; a += 4)
		CHECK(mm_read(a, 4, &v));
	CHECK(psram_violations(rig.p, PSRAM_V_TCEM) > 0);
	teardown();

	setup_with("tcem=strict");
	mapped(OCTOSPI_CR_TCEN, DQSE);
	wr(OCTOSPI_LPTR, 16);
	psram_poke(rig.p, 0x40, 0x5A);
	CHECK(mm_read(0x20, 4, &v));
	rig.clk.cycles += CPU_HZ / 100000;
	CHECK(!(rd(OCTOSPI_SR) & OCTOSPI_SR_BUSY));
	CHECK(rd(OCTOSPI_SR) & OCTOSPI_SR_TOF);
	CHECK(mm_read(0x40, 4, &v));
	CHECK_EQ(v & 0xFF, 0x5A);
	CHECK_EQ(psram_violations(rig.p, PSRAM_V_TCEM), 0);
	CHECK(octospi_max_cs_low_ns(rig.o[0]) < 8000);
	teardown();
}

/* A write burst also keeps NCS low with an empty FIFO; the data of the
 * stores after tCEM is lost by a strict chip. */
static void write_burst_held(void)
{
	uint32_t v;

	setup_with("tcem=strict");
	mapped(0, DQSE);
	CHECK(mm_write(0x300, 4, 0x01020304));
	rig.clk.cycles += CPU_HZ / 100000;
	CHECK(rd(OCTOSPI_SR) & OCTOSPI_SR_BUSY);
	CHECK(mm_write(0x304, 4, 0x05060708));
	CHECK(mm_read(0x300, 4, &v));
	CHECK_EQ(psram_peek(rig.p, 0x300), 0x04);
	CHECK(psram_peek(rig.p, 0x304) != 0x08);
	CHECK(psram_violations(rig.p, PSRAM_V_TCEM) > 0);
	teardown();
}

/* CSBOUND = 10: a sequential read across a 1 KiB boundary is two commands;
 * REFRESH cuts a long burst into several. */
static void boundary_and_refresh(void)
{
	uint32_t v;
	uint64_t before;

	setup();
	mapped(OCTOSPI_CR_TCEN, DQSE);
	wr(OCTOSPI_LPTR, 0xFFFF);
	wr(OCTOSPI_DCR3, 10U << 16);
	before = sim_stats.xspi_commands;
	for (uint32_t a = 0x3F0; a < 0x410; a += 4)
		CHECK(mm_read(a, 4, &v));
	CHECK_EQ(sim_stats.xspi_commands - before, 2);
	teardown();

	setup();
	mapped(OCTOSPI_CR_TCEN, DQSE);
	wr(OCTOSPI_LPTR, 0xFFFF);
	/* 100 + 4 CLK at 70 MHz: 1.5 us per command at most. */
	wr(OCTOSPI_DCR4, 100);
	before = sim_stats.xspi_commands;
	for (uint32_t a = 0; a < 0x400; a += 4)
		CHECK(mm_read(a, 4, &v));
	CHECK(sim_stats.xspi_commands - before >= 10);
	CHECK(octospi_max_cs_low_ns(rig.o[0]) < 1600);
	teardown();
}

static void abort_stops(void)
{
	uint32_t v;

	setup();
	mapped(0, DQSE);
	CHECK(mm_read(0, 4, &v));
	CHECK(rd(OCTOSPI_SR) & OCTOSPI_SR_BUSY);
	wr(OCTOSPI_CR, rd(OCTOSPI_CR) | OCTOSPI_CR_ABORT);
	CHECK(!(rd(OCTOSPI_SR) & OCTOSPI_SR_BUSY));
	CHECK(rd(OCTOSPI_SR) & OCTOSPI_SR_TCF);
	/* Registers locked while BUSY are writable again. */
	wr(OCTOSPI_TCR, 4);
	CHECK_EQ(rd(OCTOSPI_TCR), 4);
	teardown();
}

/* Port 1 given to OCTOSPI2: OCTOSPI1's commands no longer reach the chip;
 * OCTOSPI2's do. */
static void io_manager_routing(void)
{
	uint8_t out[4] = {1, 2, 3, 4};

	setup();
	for (uint32_t a = 0x40; a < 0x44; a++)
		psram_poke(rig.p, a, 0);
	octospim_ops.write(rig.m, OCTOSPIM_P1CR, 4, 0x07050333U,
			   BUS_MASTER_CPU);
	CHECK(!octospim_routes_port1(rig.m, 0, 0));
	CHECK(octospim_routes_port1(rig.m, 1, 0));
	init_ctrl(0);
	instr(0x66);
	instr(0x99);
	write_spi(0x40, out, sizeof(out));
	CHECK_EQ(psram_peek(rig.p, 0x40), 0);
	/* The same write through OCTOSPI2. */
	{
		struct octospi *o1 = rig.o[0];

		rig.o[0] = rig.o[1];
		init_ctrl(0);
		instr(0x66);
		instr(0x99);
		write_spi(0x40, out, sizeof(out));
		rig.o[0] = o1;
	}
	CHECK_EQ(psram_peek(rig.p, 0x43), 4);
	teardown();
}

static void mim_wr(uint32_t off, uint32_t v)
{
	octospim_ops.write(rig.m, off, 4, v, BUS_MASTER_CPU);
}

/* Port 1 IO[3:0] taken from OCTOSPI1's IO[7:4] (P1CR.IOLSRC = 01): the
 * chip answers the OCTOSPI1 memory that CR.FSEL = 1 selects, not the one
 * on IO[3:0] (RM0455 OCTOSPIM_PnCR.IOLSRC, OCTOSPI_CR.FSEL). */
static void io_manager_high_group(void)
{
	uint8_t out[4] = {5, 6, 7, 8};

	setup();
	for (uint32_t a = 0x80; a < 0x84; a++)
		psram_poke(rig.p, a, 0);
	mim_wr(OCTOSPIM_P1CR, 0x03030111U);
	CHECK(!octospim_routes_port1(rig.m, 0, 0));
	CHECK(octospim_routes_port1(rig.m, 0, 1));
	init_ctrl(0);
	instr(0x66);
	instr(0x99);
	write_spi(0x80, out, sizeof(out));
	CHECK_EQ(psram_peek(rig.p, 0x80), 0);
	wr(OCTOSPI_CR, 0);
	init_ctrl(OCTOSPI_CR_FSEL);
	instr(0x66);
	instr(0x99);
	write_spi(0x80, out, sizeof(out));
	CHECK_EQ(psram_peek(rig.p, 0x83), 8);
	/* A disabled CLK output reaches nobody. */
	wr(OCTOSPI_CR, 0);
	mim_wr(OCTOSPIM_P1CR, 0x03030110U);
	CHECK(!octospim_routes_port1(rig.m, 0, 1));
	teardown();
}

/* OCTOSPIM_CR.MUXEN: both OCTOSPIs share port 1's CLK and IOs and the
 * port's NCS source says whose memory the chip is; without it, a port
 * whose NCS and CLK come from different OCTOSPIs serves neither. */
static void io_manager_multiplexed(void)
{
	setup();
	mim_wr(OCTOSPIM_P1CR, 0x03010311U);
	CHECK(!octospim_routes_port1(rig.m, 0, 0));
	CHECK(!octospim_routes_port1(rig.m, 1, 0));
	mim_wr(OCTOSPIM_CR, 1);
	CHECK(!octospim_routes_port1(rig.m, 0, 0));
	CHECK(octospim_routes_port1(rig.m, 1, 0));
	teardown();
}

/* OCTOSPI_DLR: DL[0] is stuck at 1 in dual-memory configuration, so each
 * access moves an even number of bytes (RM0455 OCTOSPI_DLR). */
static void dual_memory_dlr(void)
{
	setup();
	wr(OCTOSPI_DLR, 0x10);
	CHECK_EQ(rd(OCTOSPI_DLR), 0x10);
	wr(OCTOSPI_CR, OCTOSPI_CR_DQM);
	CHECK_EQ(rd(OCTOSPI_DLR), 0x11);
	wr(OCTOSPI_DLR, 0x20);
	CHECK_EQ(rd(OCTOSPI_DLR), 0x21);
	teardown();
}

static bool irq_level;

static void irq_record(void *nvic, unsigned irqn, bool level)
{
	(void)nvic;
	CHECK_EQ(irqn, OCTOSPI1_IRQN);
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

/* RM0455 OCTOSPI_CR: TCIE, TEIE, FTIE, SMIE and TOIE raise the global
 * interrupt while their flag is set, with no register access to notice
 * the flag; clearing the flag in FCR lowers it. */
static void interrupts(void)
{
	struct irq_line line = {irq_record, NULL, OCTOSPI1_IRQN};
	uint64_t t;
	uint32_t v;

	setup();
	irq_level = false;
	octospi_set_irq(rig.o[0], line);
	init_ctrl(1U << 17);	/* TCIE */
	CHECK(!irq_level);
	wr(OCTOSPI_CCR, IMODE(1));
	t = rig.clk.cycles;
	wr(OCTOSPI_IR, 0x66);
	run_until(t + clk_cycles(9, 1) - 1);
	CHECK(!irq_level);
	run_until(t + clk_cycles(9, 1));
	CHECK(irq_level);
	wr(OCTOSPI_FCR, OCTOSPI_SR_TCF);
	CHECK(!irq_level);
	gap();

	/* TEIE: an address beyond DEVSIZE when the AR write triggers. */
	wr(OCTOSPI_CR, OCTOSPI_CR_EN | 1U << 16 | FM_READ);
	wr(OCTOSPI_CCR, DMODE(1) | ADSIZE24 | ADMODE(1) | IMODE(1));
	wr(OCTOSPI_AR, 0x800000);
	CHECK(irq_level);
	wr(OCTOSPI_FCR, OCTOSPI_SR_TEF);
	CHECK(!irq_level);
	wr(OCTOSPI_CR, OCTOSPI_CR_EN);
	teardown();

	/* TOIE: the memory-mapped timeout counter releases NCS. */
	setup();
	irq_level = false;
	octospi_set_irq(rig.o[0], line);
	mapped(OCTOSPI_CR_TCEN | 1U << 20, DQSE);
	wr(OCTOSPI_LPTR, 16);
	CHECK(mm_read(0x20, 4, &v));
	CHECK(!irq_level);
	run_until(rig.clk.cycles + CPU_HZ / 100000);
	CHECK(irq_level);
	wr(OCTOSPI_FCR, OCTOSPI_SR_TOF);
	CHECK(!irq_level);
	teardown();
}

/* TEF "when a wrong address has been programmed in OCTOSPI_AR" (RM0455
 * OCTOSPI_SR.TEF): an indirect write with a data phase starts only at its
 * first DR write, but the flag rises at the AR write. */
static void tef_at_ar_write(void)
{
	setup();
	init_ctrl(0);
	cmd(FM_WRITE, DMODE(1) | ADSIZE24 | ADMODE(1) | IMODE(1), 0, 0x02,
	    0x800000, 4);
	CHECK_EQ(rd(OCTOSPI_SR) & (OCTOSPI_SR_TEF | OCTOSPI_SR_BUSY),
		 OCTOSPI_SR_TEF);
	wr(OCTOSPI_FCR, OCTOSPI_SR_TEF);
	wr(OCTOSPI_AR, 0x7FFFFC);
	CHECK_EQ(rd(OCTOSPI_SR) & OCTOSPI_SR_TEF, 0);
	teardown();
}

/* Reserved encodings (RM0455: DCR1.MTYP 110-111, DCR2.WRAPSIZE 001 and
 * 110-111, the CCR/WCCR/WPCCR *MODE fields 101-111) are written back as
 * written but each such write is a guest error; the defined ones are
 * not. */
static void reserved_encodings(void)
{
	static const struct {
		uint32_t reg, value;
		bool reserved;
	} cases[] = {
		{OCTOSPI_DCR1, 6U << 24, true},
		{OCTOSPI_DCR1, 7U << 24, true},
		{OCTOSPI_DCR1, 2U << 24, false},
		{OCTOSPI_DCR2, 1U << 16, true},
		{OCTOSPI_DCR2, 6U << 16, true},
		{OCTOSPI_DCR2, 3U << 16, false},
		{OCTOSPI_CCR, 5U << 0, true},
		{OCTOSPI_CCR, 6U << 8, true},
		{OCTOSPI_CCR, 7U << 16, true},
		{OCTOSPI_WCCR, 5U << 24, true},
		{OCTOSPI_WPCCR, 5U << 8, true},
		{OCTOSPI_CCR, QPI_READ, false},
	};

	setup();
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned long errors = sim_log_count(LOG_GUEST_ERROR);

		wr(cases[i].reg, cases[i].value);
		CHECK_EQ(rd(cases[i].reg), cases[i].value);
		CHECK_EQ(sim_log_count(LOG_GUEST_ERROR) > errors,
			 cases[i].reserved);
	}
	teardown();
}

UNIT_MAIN("sim_octospi", UNIT_TEST(reset_values),
	  UNIT_TEST(instruction_timing), UNIT_TEST(indirect_write_read),
	  UNIT_TEST(status_polling), UNIT_TEST(mapped_read_write),
	  UNIT_TEST(mapped_write_needs_dqs), UNIT_TEST(ncs_held_until_timeout),
	  UNIT_TEST(write_burst_held), UNIT_TEST(boundary_and_refresh),
	  UNIT_TEST(abort_stops), UNIT_TEST(io_manager_routing),
	  UNIT_TEST(io_manager_high_group), UNIT_TEST(io_manager_multiplexed),
	  UNIT_TEST(dual_memory_dlr), UNIT_TEST(interrupts),
	  UNIT_TEST(tef_at_ar_write), UNIT_TEST(reserved_encodings))
