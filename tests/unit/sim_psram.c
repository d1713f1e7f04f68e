/* PSRAM and W25Q chip models driven edge by edge through the wire (no
 * controller): commands, modes, burst rules, timing limits, and every chip
 * fault of docs/psramsim-faults.md. */
#include <stdlib.h>

#include "fault.h"
#include "util/log.h"
#include "chips/psram.h"
#include "unit.h"
#include "chips/w25q.h"
#include "wire/xspi_wire.h"
#include "xspi_rig.h"

struct rig {
	struct vclock clk;
	struct xspi_wire *w;
	struct psram *p;
	struct w25q *f;
	uint64_t t_ps;
	uint32_t clk_hz;
	uint64_t cs_high_ps;	/* NCS high time before the next command */
};

static struct rig rig;

static void setup_seed(enum chip_kind kind, const char *const *faults,
		       uint64_t seed)
{
	sim_log_quiet(1);
	memset(&rig, 0, sizeof(rig));
	rig.clk.cpu_hz = 400000000;
	rig.w = xspi_rig_wire(NULL, &rig.clk, kind, faults, seed);
	rig.p = psram_of(xspi_wire_chip(rig.w));
	rig.f = w25q_of(xspi_wire_chip(rig.w));
	rig.t_ps = 200000000;	/* 200 us: past the power-up time */
	rig.clk_hz = 50000000;
	rig.cs_high_ps = 1000000;
}

static void setup(enum chip_kind kind, const char *const *faults)
{
	setup_seed(kind, faults, 7);
}

static void teardown(void)
{
	xspi_wire_free(rig.w);
}

/* One command at rig.clk_hz (xspi_rig_cmd), then NCS high for
 * rig.cs_high_ps. */
static void cmd(uint8_t op, unsigned il, long addr, unsigned al,
		unsigned dummy, unsigned dl, bool read, uint8_t *buf,
		unsigned n)
{
	rig.t_ps = xspi_rig_cmd(rig.w, rig.t_ps, rig.clk_hz, op, il, addr, al,
				dummy, dl, read, buf, n) +
		   rig.cs_high_ps;
}

static void reset_spi(void)
{
	cmd(0x66, 1, -1, 0, 0, 0, false, NULL, 0);
	cmd(0x99, 1, -1, 0, 0, 0, false, NULL, 0);
}

static void write02(uint32_t a, const uint8_t *d, unsigned n)
{
	cmd(0x02, 1, a, 1, 0, 1, false, (uint8_t *)d, n);
}

static void read0b(uint32_t a, uint8_t *d, unsigned n)
{
	cmd(0x0B, 1, a, 1, 8, 1, true, d, n);
}

static void power_up(void)
{
	uint8_t id[8];
	unsigned same = 0;

	setup(CHIP_ESP_PSRAM64H, NULL);
	/* Contents are undefined at power-up: seeded noise, not zeros. */
	for (uint32_t a = 1; a < 4096; a++)
		same += psram_peek(rig.p, a) == psram_peek(rig.p, a - 1);
	CHECK(same < 100);
	CHECK(!psram_in_qpi(rig.p));
	CHECK(!psram_wrap32(rig.p));
	/* Within 150 us of a power-up the chip does not answer. */
	psram_power_on(rig.p, 50000000);
	rig.t_ps = 100000000;
	cmd(0x9F, 1, 0, 1, 0, 1, true, id, 8);
	CHECK(id[0] != 0x0D || id[1] != 0x5D);
	CHECK_EQ(psram_violations(rig.p, PSRAM_V_POWERUP), 1);
	/* After it, a command before the reset works but is reported. */
	rig.t_ps = 200000000;
	cmd(0x9F, 1, 0, 1, 0, 1, true, id, 8);
	CHECK_EQ(id[0], 0x0D);
	CHECK_EQ(psram_violations(rig.p, PSRAM_V_NO_RESET), 1);
	reset_spi();
	cmd(0x9F, 1, 0, 1, 0, 1, true, id, 8);
	CHECK_EQ(psram_violations(rig.p, PSRAM_V_NO_RESET), 1);
	teardown();
}

static void id_same_for_all_vendors(void)
{
	static const enum chip_kind parts[] = {
		CHIP_ESP_PSRAM64H, CHIP_LY68L6400, CHIP_APS6404L,
		CHIP_IPS6404L,
	};
	uint8_t first[8], id[8], wire_id[10];
	static const char *const kgd[] = {"kgd=fail", NULL};

	for (unsigned i = 0; i < 4; i++) {
		setup(parts[i], NULL);
		reset_spi();
		cmd(0x9F, 1, 0x123456, 1, 0, 1, true, wire_id, 10);
		psram_id(rig.p, id);
		CHECK(memcmp(wire_id, id, 8) == 0);
		CHECK_EQ(id[0], 0x0D);
		CHECK_EQ(id[1], 0x5D);
		CHECK_EQ(id[2] >> 5, 2);	/* EID[47:45] = 010: 64 Mbit */
		if (i == 0)
			memcpy(first, id, 8);
		CHECK(memcmp(first, id, 8) == 0);
		teardown();
	}
	/* Another instance (seed) has other die-specific bytes. */
	setup_seed(CHIP_ESP_PSRAM64H, NULL, 8);
	psram_id(rig.p, id);
	CHECK(memcmp(first + 2, id + 2, 6) != 0);
	CHECK_EQ(id[2] >> 5, 2);
	teardown();
	setup(CHIP_ESP_PSRAM64H, kgd);
	reset_spi();
	cmd(0x9F, 1, 0, 1, 0, 1, true, wire_id, 8);
	CHECK_EQ(wire_id[1], 0x55);
	teardown();
}

static void spi_commands(void)
{
	uint8_t d[64], b[64];

	setup(CHIP_IPS6404L, NULL);
	reset_spi();
	for (unsigned i = 0; i < 64; i++)
		d[i] = (uint8_t)(i ^ 0xA5);
	write02(0x4000, d, 64);
	for (unsigned i = 0; i < 64; i++)
		CHECK_EQ(psram_peek(rig.p, 0x4000 + i), d[i]);
	/* 0x03 at 25 MHz. */
	rig.clk_hz = 25000000;
	cmd(0x03, 1, 0x4000, 1, 0, 1, true, b, 64);
	CHECK(memcmp(b, d, 64) == 0);
	rig.clk_hz = 50000000;
	read0b(0x4001, b, 63);
	CHECK(memcmp(b, d + 1, 63) == 0);
	/* 0xEB and 0x38 in SPI mode: 1-4-4, 6 wait cycles for the read. */
	cmd(0x38, 1, 0x5000, 4, 0, 4, false, d, 64);
	CHECK_EQ(psram_peek(rig.p, 0x503F), d[63]);
	memset(b, 0, sizeof(b));
	cmd(0xEB, 1, 0x5000, 4, 6, 4, true, b, 64);
	CHECK(memcmp(b, d, 64) == 0);
	/* A23 is not decoded. */
	read0b(0x804000, b, 4);
	CHECK(memcmp(b, d, 4) == 0);
	teardown();
}

static void qpi_commands(void)
{
	uint8_t d[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
	uint8_t b[16];

	setup(CHIP_ESP_PSRAM64H, NULL);
	reset_spi();
	cmd(0x35, 1, -1, 0, 0, 0, false, NULL, 0);
	CHECK(psram_in_qpi(rig.p));
	cmd(0x02, 4, 0x100, 4, 0, 4, false, d, 16);
	cmd(0xEB, 4, 0x100, 4, 6, 4, true, b, 16);
	CHECK(memcmp(b, d, 16) == 0);
	/* 0x0B and 0x03 are not QPI commands: ignored, nothing driven. */
	memset(b, 0xEE, sizeof(b));
	cmd(0x0B, 4, 0x100, 4, 8, 4, true, b, 4);
	CHECK(memcmp(b, d, 4) != 0);
	/* A 4-line opcode to a chip in SPI mode is incomplete. */
	cmd(0xF5, 4, -1, 0, 0, 0, false, NULL, 0);
	CHECK(!psram_in_qpi(rig.p));
	cmd(0x35, 4, -1, 0, 0, 0, false, NULL, 0);
	CHECK(!psram_in_qpi(rig.p));
	teardown();
}

static void wrap_and_pages(void)
{
	uint8_t b[40];
	static const char *const pc[] = {"pagecross-max=60", NULL};

	setup(CHIP_ESP_PSRAM64H, NULL);
	reset_spi();
	for (uint32_t a = 0; a < 0x800; a++)
		psram_poke(rig.p, a, (uint8_t)(a * 3));
	/* 0xC0: 32-byte wrap. */
	cmd(0xC0, 1, -1, 0, 0, 0, false, NULL, 0);
	CHECK(psram_wrap32(rig.p));
	read0b(0x1C, b, 8);
	CHECK_EQ(b[3], (uint8_t)(0x1F * 3));
	CHECK_EQ(b[4], 0);
	cmd(0xC0, 1, -1, 0, 0, 0, false, NULL, 0);
	CHECK(!psram_wrap32(rig.p));
	/* Linear burst across 0x3FF/0x400 at 80 MHz: fine. */
	rig.clk_hz = 80000000;
	read0b(0x3FC, b, 8);
	CHECK_EQ(b[4], (uint8_t)(0x400 * 3));
	CHECK_EQ(psram_violations(rig.p, PSRAM_V_PAGECROSS), 0);
	/* At 100 MHz: beyond 84 MHz the burst does not cross. */
	rig.clk_hz = 100000000;
	read0b(0x3FC, b, 8);
	CHECK_EQ(b[4], 0);	/* back at 0x000 */
	CHECK_EQ(psram_violations(rig.p, PSRAM_V_PAGECROSS), 1);
	/* Within a page at 100 MHz: fine (ESP: 133 MHz linear). */
	read0b(0x400, b, 8);
	CHECK_EQ(b[7], (uint8_t)(0x407 * 3));
	teardown();

	/* Bursts that end on the boundary cross nothing; a write that goes
	 * on wraps within its page. */
	setup(CHIP_ESP_PSRAM64H, NULL);
	reset_spi();
	rig.clk_hz = 100000000;
	{
		uint8_t d[8] = {1, 2, 3, 4, 5, 6, 7, 8};

		read0b(0x3F8, b, 8);
		write02(0x3FC, d, 4);
		CHECK_EQ(psram_violations(rig.p, PSRAM_V_PAGECROSS), 0);
		write02(0x7FC, d, 8);
		CHECK_EQ(psram_violations(rig.p, PSRAM_V_PAGECROSS), 1);
		CHECK_EQ(psram_peek(rig.p, 0x7FF), 4);
		CHECK_EQ(psram_peek(rig.p, 0x400), 5);
		CHECK_EQ(psram_peek(rig.p, 0x403), 8);
	}
	teardown();

	/* pagecross-max=60: a board whose crossing fails at 80 MHz. */
	setup(CHIP_ESP_PSRAM64H, pc);
	reset_spi();
	for (uint32_t a = 0x3F0; a < 0x410; a++)
		psram_poke(rig.p, a, (uint8_t)a);
	rig.clk_hz = 80000000;
	read0b(0x3FC, b, 8);
	CHECK(b[4] != 0x00 || b[5] != 0x01);
	CHECK_EQ(psram_violations(rig.p, PSRAM_V_PAGECROSS), 0);
	rig.clk_hz = 50000000;
	read0b(0x3FC, b, 8);
	CHECK_EQ(b[4], 0x00);
	CHECK_EQ(b[5], 0x01);
	teardown();
}

static void vendor_clock_limits(void)
{
	uint8_t b[16], d[16];
	static const char *const fmax[] = {"fmax=40", NULL};

	for (unsigned i = 0; i < 16; i++)
		d[i] = (uint8_t)(0x11 * i);
	/* APS6404L: linear bursts only up to 84 MHz, wrapped to 109. */
	setup(CHIP_APS6404L, NULL);
	reset_spi();
	for (unsigned i = 0; i < 16; i++)
		psram_poke(rig.p, 0x20 + i, d[i]);
	rig.clk_hz = 100000000;
	read0b(0x20, b, 16);
	CHECK(memcmp(b, d, 16) != 0);
	CHECK_EQ(psram_violations(rig.p, PSRAM_V_CLOCK), 1);
	cmd(0xC0, 1, -1, 0, 0, 0, false, NULL, 0);
	read0b(0x20, b, 16);
	CHECK(memcmp(b, d, 16) == 0);
	teardown();
	/* ESP-PSRAM64H at 100 MHz linear: fine. */
	setup(CHIP_ESP_PSRAM64H, NULL);
	reset_spi();
	for (unsigned i = 0; i < 16; i++)
		psram_poke(rig.p, 0x20 + i, d[i]);
	rig.clk_hz = 100000000;
	read0b(0x20, b, 16);
	CHECK(memcmp(b, d, 16) == 0);
	/* 0x03 above 33 MHz corrupts. */
	rig.clk_hz = 40000000;
	cmd(0x03, 1, 0x20, 1, 0, 1, true, b, 16);
	CHECK(memcmp(b, d, 16) != 0);
	teardown();
	/* fmax=40: every transfer above 40 MHz corrupts, reads and writes. */
	setup(CHIP_ESP_PSRAM64H, fmax);
	reset_spi();
	rig.clk_hz = 50000000;
	write02(0x20, d, 16);
	rig.clk_hz = 30000000;
	read0b(0x20, b, 16);
	CHECK(memcmp(b, d, 16) != 0);
	write02(0x20, d, 16);
	read0b(0x20, b, 16);
	CHECK(memcmp(b, d, 16) == 0);
	rig.clk_hz = 50000000;
	read0b(0x20, b, 16);
	CHECK(memcmp(b, d, 16) != 0);
	CHECK_EQ(psram_violations(rig.p, PSRAM_V_CLOCK), 0);
	teardown();
}

static void timing_tcph_tcem(void)
{
	uint8_t b[8], d[200];
	static const char *const strict[] = {"tcem=strict", NULL};

	setup(CHIP_ESP_PSRAM64H, NULL);
	reset_spi();
	psram_poke(rig.p, 0, 0x42);
	/* CE# high 30 ns < tCPH 50 ns: the command is not taken. */
	rig.cs_high_ps = 30000;
	read0b(0, b, 1);
	read0b(0, b, 1);
	CHECK(b[0] != 0x42);
	CHECK_EQ(psram_violations(rig.p, PSRAM_V_TCPH), 1);
	teardown();
	/* The IPS6404L's tCPH is 18 ns. */
	setup(CHIP_IPS6404L, NULL);
	reset_spi();
	psram_poke(rig.p, 0, 0x42);
	rig.cs_high_ps = 30000;
	read0b(0, b, 1);
	read0b(0, b, 1);
	CHECK_EQ(b[0], 0x42);
	teardown();

	/* 200 bytes at 10 MHz in SPI mode: 160 us of CE# low. */
	for (unsigned i = 0; i < sizeof(d); i++)
		d[i] = (uint8_t)i;
	setup(CHIP_ESP_PSRAM64H, NULL);
	reset_spi();
	rig.clk_hz = 10000000;
	write02(0, d, sizeof(d));
	CHECK_EQ(psram_violations(rig.p, PSRAM_V_TCEM), 1);
	CHECK_EQ(psram_peek(rig.p, 199), 199);	/* reported, not lost */
	teardown();
	setup(CHIP_ESP_PSRAM64H, strict);
	reset_spi();
	rig.clk_hz = 10000000;
	write02(0, d, sizeof(d));
	/* 8 us at 10 MHz = 80 CLK: the header (32) and 6 bytes fit. */
	CHECK_EQ(psram_peek(rig.p, 5), 5);
	CHECK(psram_peek(rig.p, 100) != 100 || psram_peek(rig.p, 150) != 150);
	teardown();
}

/* Every tCEM violation counted with the whole time CE# was low; tCHD and
 * tCSP checked; timing=strict costs the last byte of a write whose CE#
 * rose too soon; --stats prints count and worst value per rule. */
static void timing_every_violation_counted(void)
{
	uint8_t d[200];
	static const char *const strict[] = {"timing=strict", NULL};
	struct psram_rule_stats r;
	const struct chip *chip;
	uint8_t oe, out;
	char line[512];
	FILE *f;

	for (unsigned i = 0; i < sizeof(d); i++)
		d[i] = (uint8_t)(i + 1);
	setup(CHIP_ESP_PSRAM64H, NULL);
	reset_spi();
	rig.clk_hz = 10000000;
	write02(0, d, 100);	/* (32 + 800 + 1) CLK at 100 ns: 83.3 us */
	write02(0, d, 200);	/* 163.3 us */
	write02(0, d, 20);	/* 19.3 us */
	r = psram_rule_stats(rig.p, PSRAM_V_TCEM);
	CHECK_EQ(r.count, 3);
	CHECK_EQ(r.worst, (32U + 1600U + 1U) * 100000ULL);
	teardown();

	/* tCHD: at 80 MHz CE# rises one 12.5 ns period after the last edge,
	 * under the 20 ns of ESPDS Table 10-5; the IPS6404L's 3 ns is met. */
	setup(CHIP_ESP_PSRAM64H, NULL);
	reset_spi();
	rig.clk_hz = 80000000;
	write02(0x10, d, 4);
	r = psram_rule_stats(rig.p, PSRAM_V_TCHD);
	CHECK_EQ(r.count, 1);
	CHECK_EQ(r.worst, 12500);
	CHECK_EQ(psram_peek(rig.p, 0x13), 4); /* reported, kept */
	teardown();
	setup(CHIP_IPS6404L, NULL);
	reset_spi();
	rig.clk_hz = 80000000;
	write02(0x10, d, 4);
	CHECK_EQ(psram_violations(rig.p, PSRAM_V_TCHD), 0);
	teardown();
	setup(CHIP_ESP_PSRAM64H, strict);
	reset_spi();
	psram_poke(rig.p, 0x13, 0xAA);
	rig.clk_hz = 80000000;
	write02(0x10, d, 4);
	CHECK_EQ(psram_peek(rig.p, 0x12), 3);
	CHECK_EQ(psram_peek(rig.p, 0x13), 0xAA); /* last byte not stored */
	teardown();

	/* tCSP: an edge 1 ns after CE# falls (2.5 ns needed); with
	 * timing=strict the command is missed. */
	setup(CHIP_ESP_PSRAM64H, strict);
	reset_spi();
	chip = xspi_wire_chip(rig.w);
	chip->ops->select(chip->ctx, rig.t_ps, 50000000);
	chip->ops->clock(chip->ctx, rig.t_ps + 1000, 0, &oe, &out);
	r = psram_rule_stats(rig.p, PSRAM_V_TCSP);
	CHECK_EQ(r.count, 1);
	CHECK_EQ(r.worst, 1000);
	for (unsigned i = 1; i < 8; i++) /* 0x35 (enter QPI) would follow */
		chip->ops->clock(chip->ctx, rig.t_ps + 1000 + i * 20000,
				 (0x35 >> (7 - i)) & 1, &oe, &out);
	chip->ops->deselect(chip->ctx, rig.t_ps + 400000);
	CHECK(!psram_in_qpi(rig.p));

	f = tmpfile();
	CHECK(f);
	psram_print_stats(rig.p, f);
	rewind(f);
	CHECK(fgets(line, sizeof(line), f));
	fclose(f);
	CHECK(strstr(line, "tcsp=1(worst 0.001 us)") != NULL);
	CHECK(strstr(line, "tcem=0") != NULL);
	teardown();
}

static void address_and_cell_faults(void)
{
	static const char *const stuck[] = {"addr3=stuck1", NULL};
	static const char *const shorted[] = {"addr4+addr5=short", NULL};
	static const char *const cell[] = {"cell@0x100:bit3=stuck0",
					   "cell@0x101:bit0=stuck1", NULL};
	uint8_t d[16], b[16];

	for (unsigned i = 0; i < 16; i++)
		d[i] = (uint8_t)(0x80 | i);
	setup(CHIP_LY68L6400, stuck);
	reset_spi();
	write02(0x00, d, 16);
	read0b(0x00, b, 16);
	/* A3 = 1 always: 0x0–0x7 alias 0x8–0xF; the second half wins. */
	CHECK_EQ(b[0], d[8]);
	CHECK_EQ(b[8], d[8]);
	CHECK_EQ(psram_peek(rig.p, 0x0), psram_peek(rig.p, 0x0));
	teardown();

	setup(CHIP_LY68L6400, shorted);
	reset_spi();
	{
		uint8_t x = 0x11, y = 0x22;

		write02(0x10, &x, 1);	/* A4 alone: tied to A5 → 0x00 */
		write02(0x30, &y, 1);
		read0b(0x10, b, 1);
		CHECK_EQ(b[0], 0x11);
		read0b(0x00, b, 1);
		CHECK_EQ(b[0], 0x11);
		read0b(0x30, b, 1);
		CHECK_EQ(b[0], 0x22);
	}
	teardown();

	setup(CHIP_APS6404L, cell);
	reset_spi();
	{
		uint8_t v[2] = {0xFF, 0x00};

		write02(0x100, v, 2);
		read0b(0x100, b, 2);
		CHECK_EQ(b[0], 0xF7);
		CHECK_EQ(b[1], 0x01);
	}
	teardown();
}

static void random_flips(void)
{
	static const char *const flips[] = {"flips=0.01", NULL};
	static uint8_t a[4096], b[4096], c[4096];
	unsigned n = 0;

	setup(CHIP_IPS6404L, flips);
	reset_spi();
	memset(a, 0, sizeof(a));
	write02(0, a, sizeof(a));
	read0b(0, b, sizeof(b));
	for (unsigned i = 0; i < sizeof(b); i++)
		for (unsigned bit = 0; bit < 8; bit++)
			n += (b[i] >> bit) & 1;
	/* 32768 bits at 1 %: about 328. */
	CHECK(n > 250 && n < 410);
	/* The array itself is intact: flips happen on read. */
	CHECK_EQ(psram_peek(rig.p, 0), 0);
	teardown();
	/* Same seed, same flips. */
	setup(CHIP_IPS6404L, flips);
	reset_spi();
	write02(0, a, sizeof(a));
	read0b(0, c, sizeof(c));
	CHECK(memcmp(b, c, sizeof(b)) == 0);
	teardown();
	setup_seed(CHIP_IPS6404L, flips, 99);
	reset_spi();
	write02(0, a, sizeof(a));
	read0b(0, c, sizeof(c));
	CHECK(memcmp(b, c, sizeof(b)) != 0);
	teardown();
}

static void determinism(void)
{
	uint8_t x[64], y[64], id1[8], id2[8];

	setup_seed(CHIP_ESP_PSRAM64H, NULL, 1234);
	reset_spi();
	read0b(0x1000, x, 64);
	psram_id(rig.p, id1);
	teardown();
	setup_seed(CHIP_ESP_PSRAM64H, NULL, 1234);
	reset_spi();
	read0b(0x1000, y, 64);
	psram_id(rig.p, id2);
	teardown();
	CHECK(memcmp(x, y, 64) == 0);
	CHECK(memcmp(id1, id2, 8) == 0);
	setup_seed(CHIP_ESP_PSRAM64H, NULL, 1235);
	reset_spi();
	read0b(0x1000, y, 64);
	teardown();
	CHECK(memcmp(x, y, 64) != 0);
}

static void w25q_model(void)
{
	uint8_t b[8], uid[8], sr;
	uint8_t d[4] = {0x12, 0x34, 0x56, 0x78};
	uint8_t qe = 0x02;

	setup(CHIP_W25Q64, NULL);
	cmd(0x9F, 1, -1, 0, 0, 1, true, b, 3);
	CHECK_EQ(b[0], 0xEF);
	CHECK_EQ(b[1], 0x40);
	CHECK_EQ(b[2], 0x17);
	/* PSRAM framing: the ID went by during the address clocks. */
	cmd(0x9F, 1, 0, 1, 0, 1, true, b, 3);
	CHECK(b[0] != 0xEF || b[1] != 0x40);
	cmd(0x4B, 1, -1, 0, 32, 1, true, b, 8);
	w25q_unique_id(rig.f, uid);
	CHECK(memcmp(b, uid, 8) == 0);
	cmd(0x90, 1, 0, 1, 0, 1, true, b, 2);
	CHECK_EQ(b[0], 0xEF);
	CHECK_EQ(b[1], 0x16);
	/* Erased; a program without write enable does nothing. */
	cmd(0x03, 1, 0x100, 1, 0, 1, true, b, 4);
	CHECK_EQ(b[0], 0xFF);
	cmd(0x02, 1, 0x100, 1, 0, 1, false, d, 4);
	CHECK_EQ(w25q_peek(rig.f, 0x100), 0xFF);
	cmd(0x06, 1, -1, 0, 0, 0, false, NULL, 0);
	cmd(0x05, 1, -1, 0, 0, 1, true, &sr, 1);
	CHECK_EQ(sr & 0x02, 0x02);
	cmd(0x02, 1, 0x100, 1, 0, 1, false, d, 4);
	CHECK_EQ(w25q_peek(rig.f, 0x103), 0x78);
	cmd(0x05, 1, -1, 0, 0, 1, true, &sr, 1);
	CHECK_EQ(sr & 0x02, 0);
	/* Quad read needs QE: ignored first, then after setting QE. */
	memset(b, 0, sizeof(b));
	cmd(0xEB, 1, 0x100, 4, 6, 4, true, b, 4);
	CHECK(memcmp(b, d, 4) != 0);
	cmd(0x06, 1, -1, 0, 0, 0, false, NULL, 0);
	cmd(0x31, 1, -1, 0, 0, 1, false, &qe, 1);
	cmd(0x6B, 1, 0x100, 1, 8, 4, true, b, 4);
	CHECK(memcmp(b, d, 4) == 0);
	/* 0x38 is Enter QPI on this flash; 0xF5 does not leave it, 0xFF
	 * does. */
	cmd(0x38, 1, -1, 0, 0, 0, false, NULL, 0);
	CHECK(w25q_in_qpi(rig.f));
	cmd(0xF5, 4, -1, 0, 0, 0, false, NULL, 0);
	CHECK(w25q_in_qpi(rig.f));
	cmd(0xFF, 4, -1, 0, 0, 0, false, NULL, 0);
	CHECK(!w25q_in_qpi(rig.f));
	/* Reading with 0x03 above 50 MHz corrupts. */
	rig.clk_hz = 80000000;
	cmd(0x03, 1, 0x100, 1, 0, 1, true, b, 4);
	CHECK(memcmp(b, d, 4) != 0);
	teardown();
}

UNIT_MAIN("sim_psram", UNIT_TEST(power_up),
	  UNIT_TEST(id_same_for_all_vendors), UNIT_TEST(spi_commands),
	  UNIT_TEST(qpi_commands), UNIT_TEST(wrap_and_pages),
	  UNIT_TEST(vendor_clock_limits), UNIT_TEST(timing_tcph_tcem),
	  UNIT_TEST(timing_every_violation_counted),
	  UNIT_TEST(address_and_cell_faults), UNIT_TEST(random_flips),
	  UNIT_TEST(determinism), UNIT_TEST(w25q_model))
