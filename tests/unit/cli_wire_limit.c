/* The wire limit against figures worked out by hand from
 * docs/psram-chips.md §4 (tCEM, tCPH, pages) and §7 (clocks per command). */
#include "stub_abi.h"
#include "unit.h"
#include "parts/wire_limit.h"

#define MHZ 1000000u

static const struct psram_part_timing *esp(void)
{
	return wire_chip_of(STUB_CHIP_ESP_PSRAM64H);
}

static void frames(void)
{
	struct wire_frame f;

	wire_frame_of(WIRE_QPI, WIRE_READ, 64 * MHZ, esp(), &f);
	CHECK_EQ(f.opcode, 0xEB);
	CHECK_EQ(f.header_cycles, 2 + 6 + 6);
	CHECK_EQ(f.cycles_per_byte, 2);
	CHECK_STR(f.lines, "4-4-4");
	wire_frame_of(WIRE_QPI, WIRE_WRITE, 64 * MHZ, esp(), &f);
	CHECK_EQ(f.opcode, 0x38);
	CHECK_EQ(f.header_cycles, 2 + 6);
	/* SPI: 0x03 up to its 33 MHz limit, then 0x0B with 8 wait clocks. */
	wire_frame_of(WIRE_SPI, WIRE_READ, 33 * MHZ, esp(), &f);
	CHECK_EQ(f.opcode, 0x03);
	CHECK_EQ(f.header_cycles, 8 + 24);
	CHECK_EQ(f.cycles_per_byte, 8);
	wire_frame_of(WIRE_SPI, WIRE_READ, 33 * MHZ + 1, esp(), &f);
	CHECK_EQ(f.opcode, 0x0B);
	CHECK_EQ(f.header_cycles, 8 + 24 + 8);
	wire_frame_of(WIRE_SPI, WIRE_WRITE, 100 * MHZ, esp(), &f);
	CHECK_EQ(f.opcode, 0x02);
	CHECK_EQ(f.header_cycles, 8 + 24);
}

/* docs/psram-chips.md §4: CSHT + 1 >= tCPH · f, for 50 ns 4 cycles at
 * 64/80 MHz, 5 at 100, 6 at 120, 7 at 133. */
static void cs_high(void)
{
	CHECK_EQ(wire_cs_high_cycles(esp(), 64 * MHZ), 4);
	CHECK_EQ(wire_cs_high_cycles(esp(), 80 * MHZ), 4);
	CHECK_EQ(wire_cs_high_cycles(esp(), 100 * MHZ), 5);
	CHECK_EQ(wire_cs_high_cycles(esp(), 120 * MHZ), 6);
	CHECK_EQ(wire_cs_high_cycles(esp(), 133 * MHZ), 7);
	CHECK_EQ(wire_cs_high_cycles(esp(), 32 * MHZ), 2);
	CHECK_EQ(wire_cs_high_cycles(esp(), 1 * MHZ), 1);
	CHECK_EQ(wire_cs_high_cycles(esp(), 400 * MHZ), 8);
	/* IPUS: 18 ns. */
	CHECK_EQ(wire_cs_high_cycles(wire_chip_of(STUB_CHIP_IPS6404L),
				     100 * MHZ),
		 2);
}

/* §6.3's bytes per burst are (8 µs·f − header)/(clocks per byte); the
 * controller's nCS setup and hold clock (RM0399 §24.3.16) take one more
 * byte's worth in QPI: 64 MHz read 249 → 248, 80 MHz 313 → 312, 120 MHz
 * 473 → 472, write 64 MHz 252 → 251; SPI write 64 MHz 60 → 59, 0x03 at
 * 33 MHz 29 → 28. */
static void burst_lengths(void)
{
	struct wire_limit l;

	CHECK_EQ(wire_limit(WIRE_QPI, WIRE_READ, 64 * MHZ, 1, esp(), &l), 0);
	CHECK_EQ(l.burst_max, 248);
	CHECK_EQ(wire_limit(WIRE_QPI, WIRE_READ, 80 * MHZ, 1, esp(), &l), 0);
	CHECK_EQ(l.burst_max, 312);
	CHECK_EQ(wire_limit(WIRE_QPI, WIRE_READ, 120 * MHZ, 1, esp(), &l), 0);
	CHECK_EQ(l.burst_max, 472);
	CHECK_EQ(wire_limit(WIRE_QPI, WIRE_WRITE, 64 * MHZ, 1, esp(), &l), 0);
	CHECK_EQ(l.burst_max, 251);
	CHECK_EQ(wire_limit(WIRE_SPI, WIRE_WRITE, 64 * MHZ, 1, esp(), &l), 0);
	CHECK_EQ(l.burst_max, 59);
	CHECK_EQ(wire_limit(WIRE_SPI, WIRE_READ, 33 * MHZ, 1, esp(), &l), 0);
	CHECK_EQ(l.frame.opcode, 0x03);
	CHECK_EQ(l.burst_max, 28);
}

static void transfer_times(void)
{
	struct wire_limit l;

	/* QPI read of 1 KiB at 32 MHz: bursts of 120 bytes → 9 bursts of
	 * 2 + 14 clocks, CE# high 2 clocks each, 2 clocks per byte. */
	CHECK_EQ(wire_limit(WIRE_QPI, WIRE_READ, 32 * MHZ, 1024, esp(), &l),
		 0);
	CHECK_EQ(l.burst_max, 120);
	CHECK_EQ(l.bursts, 9);
	CHECK_EQ(l.cs_high_cycles, 2);
	CHECK_EQ(l.cycles, 9 * (2 + 14 + 2) + 2048);
	CHECK(l.bytes_per_s > 14.82e6 && l.bytes_per_s < 14.83e6);
	CHECK(!l.beyond_datasheet);
	/* One word: one burst, all overhead. */
	CHECK_EQ(wire_limit(WIRE_QPI, WIRE_WRITE, 32 * MHZ, 4, esp(), &l), 0);
	CHECK_EQ(l.cycles, 2 + 8 + 2 + 8);
	CHECK(l.bytes_per_s > 6.39e6 && l.bytes_per_s < 6.41e6);
	/* SPI 0x0B at 50 MHz, 100 bytes: tCEM = 400 clocks, (400 − 42) / 8
	 * = 44 bytes per burst, 3 bursts, CE# high 3 clocks. */
	CHECK_EQ(wire_limit(WIRE_SPI, WIRE_READ, 50 * MHZ, 100, esp(), &l), 0);
	CHECK_EQ(l.burst_max, 44);
	CHECK_EQ(l.bursts, 3);
	CHECK_EQ(l.cycles, 3 * (2 + 40 + 3) + 800);
}

/* Above 84 MHz no burst crosses a 1 KiB page (§6.3). */
static void page_rule(void)
{
	struct wire_limit l;

	/* 100 MHz: 800 clocks → 392 bytes per burst, 3 bursts per page. */
	CHECK_EQ(wire_limit(WIRE_QPI, WIRE_READ, 100 * MHZ, 4096, esp(), &l),
		 0);
	CHECK_EQ(l.burst_max, 392);
	CHECK_EQ(l.bursts, 12);
	CHECK_EQ(wire_limit(WIRE_QPI, WIRE_READ, 100 * MHZ, 1500, esp(), &l),
		 0);
	CHECK_EQ(l.bursts, 3 + 2);
	/* At 84 MHz bursts may cross: 672 clocks → 328 bytes, 13 bursts. */
	CHECK_EQ(wire_limit(WIRE_QPI, WIRE_READ, 84 * MHZ, 4096, esp(), &l),
		 0);
	CHECK_EQ(l.burst_max, 328);
	CHECK_EQ(l.bursts, 13);
}

/* Throughput grows with the size and levels off: the shape bench shows. */
static void shape(void)
{
	struct wire_limit l;
	double prev = 0, r4, r1k, r8k;

	for (uint32_t size = 4; size <= 65536; size *= 2) {
		CHECK_EQ(wire_limit(WIRE_QPI, WIRE_READ, 64 * MHZ, size, esp(),
				    &l),
			 0);
		CHECK(l.bytes_per_s >= prev * 0.97);
		CHECK(l.bytes_per_s < 32e6);
		prev = l.bytes_per_s;
	}
	wire_limit(WIRE_QPI, WIRE_READ, 64 * MHZ, 4, esp(), &l);
	r4 = l.bytes_per_s;
	wire_limit(WIRE_QPI, WIRE_READ, 64 * MHZ, 1024, esp(), &l);
	r1k = l.bytes_per_s;
	wire_limit(WIRE_QPI, WIRE_READ, 64 * MHZ, 8192, esp(), &l);
	r8k = l.bytes_per_s;
	CHECK(r4 < r1k / 3);
	CHECK(r8k < r1k * 1.05);
}

static void limits_and_errors(void)
{
	struct wire_limit l;

	/* 1 MHz: 8 clocks within tCEM, not enough for a QPI read header. */
	CHECK_EQ(wire_limit(WIRE_QPI, WIRE_READ, 1 * MHZ, 4, esp(), &l), -1);
	CHECK_EQ(l.cycles, 0);
	CHECK_EQ(wire_limit(WIRE_QPI, WIRE_READ, 0, 4, esp(), &l), -1);
	CHECK_EQ(wire_limit(WIRE_QPI, WIRE_READ, 32 * MHZ, 0, esp(), &l), -1);
	CHECK_EQ(wire_limit(WIRE_QPI, WIRE_READ, 140 * MHZ, 64, esp(), &l), 0);
	CHECK(l.beyond_datasheet);
	/* Unknown parts get the strictest limits. */
	CHECK_EQ(wire_chip_of(STUB_CHIP_UNKNOWN)->max_hz, 84 * MHZ);
	CHECK(wire_chip_of(999) == wire_chip_of(STUB_CHIP_UNKNOWN));
	CHECK_EQ(wire_chip_of(STUB_CHIP_IPS6404L)->tcph_ns, 18);
}

UNIT_MAIN("cli_wire_limit", UNIT_TEST(frames), UNIT_TEST(cs_high),
	  UNIT_TEST(burst_lengths), UNIT_TEST(transfer_times),
	  UNIT_TEST(page_rule), UNIT_TEST(shape),
	  UNIT_TEST(limits_and_errors))
