#include "parts/wire_limit.h"

#include <stdio.h>
#include <string.h>

#include "stub_abi.h"
#include "wire_cycles.h"

#define MHZ 1000000u
/* RM0399 §24.3.16: one CLK of nCS setup before the first edge, one of
 * hold after the last (wire_cycles.h, the stub's formula). */
#define NCS_FRAMING_CYCLES WIRE_NCS_FRAMING_CYCLES
#define CSHT_CYCLES_MAX 8u

/* The part's limits: the one table of target-stubs/include/psram_parts.h,
 * which the stub reads too. */
const struct psram_part_timing *wire_chip_of(uint32_t stub_chip)
{
	return psram_part(stub_chip);
}

/* docs/psram-chips.md §7: the command and its wait clocks per mode; the
 * clocks they take on the wire by the stub's formula (wire_cycles.h), the
 * address 3 bytes wide. */
void wire_frame_of(enum wire_mode mode, enum wire_op op, uint32_t clock_hz,
		   const struct psram_part_timing *chip, struct wire_frame *out)
{
	uint32_t lines = mode == WIRE_QPI ? 4u : 1u, wait = 0;

	memset(out, 0, sizeof(*out));
	out->lines = mode == WIRE_QPI ? "4-4-4" : "1-1-1";
	if (mode == WIRE_QPI) {
		out->opcode = op == WIRE_READ ? 0xEB : 0x38;
		wait = op == WIRE_READ ? chip->wait_eb : 0;
	} else if (op == WIRE_WRITE) {
		out->opcode = 0x02;
	} else if (clock_hz <= chip->read03_max_hz) {
		out->opcode = 0x03;
	} else {
		out->opcode = 0x0B;
		wait = chip->wait_0b;
	}
	out->header_cycles = wire_header_cycles(lines, wait, lines, 3u);
	out->cycles_per_byte = wire_cycles_per_byte(lines);
}

uint32_t wire_spec_max_hz(const struct psram_part_timing *chip, char *why,
			  size_t why_size)
{
	/* One clock of nCS setup and one of hold: the period must cover
	 * tCSP and tCHD. */
	uint64_t hold_hz = 1000000000000ull / chip->tchd_ps;
	uint64_t setup_hz = 1000000000000ull / chip->tcsp_ps;
	uint32_t hz = chip->max_hz;
	const char *what = "its maximum clock";

	if (hold_hz < hz) {
		hz = (uint32_t)hold_hz;
		what = "tCHD";
	}
	if (setup_hz < hz) {
		hz = (uint32_t)setup_hz;
		what = "tCSP";
	}
	if (why && why_size) {
		if (!strcmp(what, "tCHD"))
			snprintf(why, why_size,
				 "tCHD %.1f ns: the QUADSPI holds nCS one clock "
				 "after the last edge",
				 chip->tchd_ps / 1000.0);
		else if (!strcmp(what, "tCSP"))
			snprintf(why, why_size,
				 "tCSP %.1f ns: the QUADSPI lowers nCS one "
				 "clock before the first edge",
				 chip->tcsp_ps / 1000.0);
		else
			snprintf(why, why_size, "its maximum clock, %.0f MHz",
				 chip->max_hz / 1e6);
	}
	return hz;
}

uint32_t wire_cs_high_cycles(const struct psram_part_timing *chip, uint32_t clock_hz)
{
	uint64_t c = ((uint64_t)chip->tcph_ns * clock_hz + 999999999u) /
		     1000000000u;

	if (c < 1)
		return 1;
	return c > CSHT_CYCLES_MAX ? CSHT_CYCLES_MAX : (uint32_t)c;
}

static uint32_t div_up(uint32_t a, uint32_t b)
{
	return a / b + (a % b != 0);
}

int wire_limit(enum wire_mode mode, enum wire_op op, uint32_t clock_hz,
	       uint32_t size, const struct psram_part_timing *chip,
	       struct wire_limit *out)
{
	uint64_t tcem_cycles, per_burst;
	uint32_t bursts;

	memset(out, 0, sizeof(*out));
	if (!clock_hz || !size)
		return -1;
	wire_frame_of(mode, op, clock_hz, chip, &out->frame);
	/* Whole clocks within tCEM, then what is left for data. */
	tcem_cycles = (uint64_t)chip->tcem_ns * clock_hz / 1000000000u;
	if (tcem_cycles <= NCS_FRAMING_CYCLES + out->frame.header_cycles)
		goto too_slow;
	out->burst_max = (uint32_t)((tcem_cycles - NCS_FRAMING_CYCLES -
				     out->frame.header_cycles) /
				    out->frame.cycles_per_byte);
	if (!out->burst_max)
		goto too_slow;
	if (clock_hz > chip->page_cross_max_hz && chip->page_bytes) {
		/* From a page boundary: whole pages, then the rest. */
		uint32_t per_page = div_up(chip->page_bytes, out->burst_max);

		bursts = size / chip->page_bytes * per_page;
		if (size % chip->page_bytes)
			bursts += div_up(size % chip->page_bytes,
					 out->burst_max);
	} else {
		bursts = div_up(size, out->burst_max);
	}
	out->clock_hz = clock_hz;
	out->bursts = bursts;
	out->cs_high_cycles = wire_cs_high_cycles(chip, clock_hz);
	per_burst = NCS_FRAMING_CYCLES + out->frame.header_cycles +
		    out->cs_high_cycles;
	out->cycles = bursts * per_burst +
		      (uint64_t)size * out->frame.cycles_per_byte;
	out->seconds = (double)out->cycles / clock_hz;
	out->bytes_per_s = size / out->seconds;
	out->beyond_datasheet = clock_hz > chip->max_hz;
	return 0;

too_slow:
	memset(out, 0, sizeof(*out));
	return -1;
}
