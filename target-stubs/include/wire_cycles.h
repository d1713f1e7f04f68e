/* Wire cycles of an xSPI transfer: the one formula the stub (deadlines,
 * burst lengths, pacing) and the host (cli/parts/wire_limit.c, the wire
 * limit bench measures against) both compile, so that they cannot
 * disagree. Header-only and freestanding: integer arithmetic, no library.
 *
 * A frame is instruction, address, dummy and data phases, each phase's
 * bits spread over its lines (docs/psram-chips.md §7; RM0433 §23.3.7 the
 * QUADSPI command phases); around it one CLK of nCS setup before the
 * first edge and one of hold after the last (RM0399 §24.3.16). */
#ifndef WIRE_CYCLES_H
#define WIRE_CYCLES_H

#include <stdint.h>

/* nCS setup and hold: a CLK period each. */
#define WIRE_NCS_FRAMING_CYCLES 2U

/* Instruction (one byte), dummy and address clocks; addr_lines 0: no
 * address phase. */
static inline uint32_t wire_header_cycles(uint32_t cmd_lines,
					  uint32_t dummy_cycles,
					  uint32_t addr_lines,
					  uint32_t addr_bytes)
{
	uint32_t cycles = 8U / cmd_lines + dummy_cycles;

	if (addr_lines != 0U)
		cycles += addr_bytes * 8U / addr_lines;
	return cycles;
}

/* Clocks per data byte on data_lines lines (1, 2, 4 or 8). */
static inline uint32_t wire_cycles_per_byte(uint32_t data_lines)
{
	return 8U / data_lines;
}

#endif
