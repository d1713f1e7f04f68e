/* The stub's and the host's wire arithmetic agree: the frames the stub
 * builds (target-stubs/chip/psram_protocol.c: 3 address bytes, 0xEB with
 * wait_eb, 0x0B with wait_0b, 0x03 up to read03_max_hz), timed by the
 * stub's formula (target-stubs/include/wire_cycles.h, compiled here as
 * the stub compiles it), against cli/parts/wire_limit.c over a table of
 * parts, modes, clocks and sizes. */
#include "stub_abi.h"
#include "unit.h"
#include "wire_cycles.h"
#include "parts/wire_limit.h"

#define MHZ 1000000u

static const uint32_t chips[] = {
	STUB_CHIP_UNKNOWN, STUB_CHIP_ESP_PSRAM64H, STUB_CHIP_LY68L6400,
	STUB_CHIP_APS6404L, STUB_CHIP_IPS6404L,
};
static const uint32_t clocks[] = {
	8 * MHZ, 20 * MHZ, 33 * MHZ, 33 * MHZ + 1, 50 * MHZ, 66666667u,
	84 * MHZ, 100 * MHZ, 120 * MHZ, 133 * MHZ,
};
static const uint32_t sizes[] = {1, 4, 63, 64, 1024, 1025, 8192, 65536};

/* The stub's frame for this transfer: header clocks and clocks per byte,
 * as psram_protocol.c builds the op. */
static void stub_frame(enum wire_mode mode, enum wire_op op, uint32_t hz,
		       const struct psram_part_timing *t, uint32_t *header,
		       uint32_t *per_byte)
{
	uint32_t lines = mode == WIRE_QPI ? 4u : 1u, dummy = 0;

	if (op == WIRE_READ)
		dummy = mode == WIRE_QPI	  ? t->wait_eb
			: hz > t->read03_max_hz ? t->wait_0b
						  : 0;
	*header = wire_header_cycles(lines, dummy, lines, 3u);
	*per_byte = wire_cycles_per_byte(lines);
}

static void transfers_agree(void)
{
	unsigned checked = 0;

	for (size_t c = 0; c < sizeof(chips) / sizeof(chips[0]); c++)
	for (int mode = WIRE_SPI; mode <= WIRE_QPI; mode++)
	for (int op = WIRE_READ; op <= WIRE_WRITE; op++)
	for (size_t k = 0; k < sizeof(clocks) / sizeof(clocks[0]); k++)
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		const struct psram_part_timing *t = wire_chip_of(chips[c]);
		struct wire_limit l;
		uint32_t header, per_byte;
		uint64_t tcem;

		if (wire_limit(mode, op, clocks[k], sizes[s], t, &l))
			continue;
		stub_frame(mode, op, clocks[k], t, &header, &per_byte);
		CHECK_EQ(l.frame.header_cycles, header);
		CHECK_EQ(l.frame.cycles_per_byte, per_byte);
		/* Every burst: nCS setup and hold, the header, CE# high; and
		 * the data clocks once. */
		CHECK_EQ(l.cycles,
			 (uint64_t)l.bursts * (WIRE_NCS_FRAMING_CYCLES + header +
					       l.cs_high_cycles) +
				 (uint64_t)sizes[s] * per_byte);
		/* The longest burst: what is left of tCEM after the frame. */
		tcem = (uint64_t)t->tcem_ns * clocks[k] / 1000000000u;
		CHECK_EQ(l.burst_max,
			 (tcem - WIRE_NCS_FRAMING_CYCLES - header) / per_byte);
		checked++;
	}
	/* Most of the table is within the datasheets' reach. */
	CHECK(checked > 500);
}

/* Figures worked out by hand from docs/psram-chips.md §7. */
static void known_frames(void)
{
	CHECK_EQ(wire_header_cycles(4, 6, 4, 3), 2 + 6 + 6);	/* 0xEB */
	CHECK_EQ(wire_header_cycles(4, 0, 4, 3), 2 + 6);	/* 0x38 */
	CHECK_EQ(wire_header_cycles(1, 8, 1, 3), 8 + 24 + 8);	/* 0x0B */
	CHECK_EQ(wire_header_cycles(1, 0, 1, 3), 8 + 24);	/* 0x03 */
	CHECK_EQ(wire_header_cycles(1, 0, 0, 0), 8);	/* 0x66: no address */
	CHECK_EQ(wire_header_cycles(4, 0, 0, 0), 2);	/* 0xF5 in QPI */
	CHECK_EQ(wire_cycles_per_byte(4), 2);
	CHECK_EQ(wire_cycles_per_byte(1), 8);
	CHECK_EQ(WIRE_NCS_FRAMING_CYCLES, 2);
}

UNIT_MAIN("cli_wire_cycles", UNIT_TEST(transfers_agree),
	  UNIT_TEST(known_frames))
