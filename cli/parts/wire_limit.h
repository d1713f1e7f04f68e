/* The wire limit: the shortest time a datasheet-compliant transfer of n
 * bytes can take on the bus, the yardstick for `psramctl bench`.
 *
 * A transfer is cut into bursts (one CE# low period each) as long as the
 * chip allows: CE# low at most tCEM, and above 84 MHz no burst across a
 * 1 KiB page (docs/psram-chips.md §4). Every burst pays the command's
 * instruction, address and dummy clocks (§7), the controller's nCS setup
 * and hold clock (RM0399 §24.3.16: nCS falls one CLK before the first edge
 * and rises one after the last) and CE# high for tCPH, in whole clocks as
 * CSHT counts them, before the next. Nothing else: no software, no FIFO
 * stall. Transfers are assumed to start on a page boundary (the best case,
 * and where bench puts them).
 *
 * Modes as bench uses them: QPI = 4-4-4 (0xEB read with 6 wait cycles,
 * 0x38 write); SPI = 1-1-1 (0x03 read up to its 33 MHz limit, 0x0B with 8
 * wait cycles above; 0x02 write). Pure functions. */
#ifndef CLI_WIRE_LIMIT_H
#define CLI_WIRE_LIMIT_H

#include <stddef.h>
#include <stdint.h>

#include "psram_parts.h"

enum wire_mode { WIRE_SPI, WIRE_QPI };
/* --mode as the commands declare it (OPT_ENUM): qpi, the default, or spi. */
#define WIRE_MODE_CHOICES "qpi|spi"
static inline enum wire_mode wire_mode_of_choice(int choice)
{
	return choice ? WIRE_SPI : WIRE_QPI;
}
enum wire_op { WIRE_READ, WIRE_WRITE };

/* One command's shape on the wire. */
struct wire_frame {
	uint8_t opcode;
	const char *lines;      /* "4-4-4", "1-1-1" */
	unsigned header_cycles; /* instruction + address + dummy clocks */
	unsigned cycles_per_byte;
};

struct wire_limit {
	struct wire_frame frame;
	uint32_t clock_hz;
	uint32_t burst_max;      /* data bytes per burst within tCEM */
	uint32_t cs_high_cycles; /* CE# high between bursts */
	uint32_t bursts;         /* in one transfer */
	uint64_t cycles;         /* CLK cycles of one transfer, back to back */
	double seconds;          /* of one transfer */
	double bytes_per_s;
	int beyond_datasheet;    /* clock above the part's max_hz */
};

/* Limits of an enum stub_chip; STUB_CHIP_UNKNOWN and values out of range
 * get the strictest of the four parts. */
const struct psram_part_timing *wire_chip_of(uint32_t stub_chip);

/* The command bench uses for mode and op at clock_hz. */
void wire_frame_of(enum wire_mode mode, enum wire_op op, uint32_t clock_hz,
		   const struct psram_part_timing *chip, struct wire_frame *out);

/* The fastest xSPI clock at which the part's datasheet holds with the
 * QUADSPI's nCS framing: its maximum clock, and tCSP and tCHD against the
 * one CLK period the controller leaves between nCS falling and the first
 * edge and between the last edge and nCS rising (RM0399 §24.3.16,
 * docs/psram-chips.md §4; CE# high against tCPH is met at any clock by
 * CSHT). why (may be NULL) names the limiting value in words. */
uint32_t wire_spec_max_hz(const struct psram_part_timing *chip, char *why,
			  size_t why_size);

/* CE# high clocks that cover tCPH at clock_hz: at least 1, at most 8
 * (DCR.CSHT + 1, RM0399 §24.5.2). */
uint32_t wire_cs_high_cycles(const struct psram_part_timing *chip, uint32_t clock_hz);

/* The limit for one transfer of size bytes. Returns 0, or -1 when the
 * clock is too slow for a single byte within tCEM (or size or clock is
 * 0), with *out zeroed. */
int wire_limit(enum wire_mode mode, enum wire_op op, uint32_t clock_hz,
	       uint32_t size, const struct psram_part_timing *chip,
	       struct wire_limit *out);

#endif
