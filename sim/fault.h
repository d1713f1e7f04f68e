/* Fault injection for psramsim: the SPEC strings of docs/psramsim-faults.md
 * parsed into one fault set. Electrical faults (io, clk, cs) are applied by
 * the wire layer between MCU pins and chip pins; chip faults
 * (addr, cell, flips, fmax, pagecross-max, tcem, kgd) by the chip model
 * around its array and its timing checks; flash-fail by the MCU's
 * embedded-flash controller; hse by the RCC, whose crystal it replaces. */
#ifndef SIM_FAULT_H
#define SIM_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "chips/chip.h"

enum fault_line {
	FAULT_LINE_OK,
	FAULT_LINE_OPEN,
	FAULT_LINE_STUCK0,
	FAULT_LINE_STUCK1,
};

#define FAULT_MAX_SHORTS 8
#define FAULT_MAX_CELLS 64
/* Internal address bits of the 64 Mbit parts: A[22:0]. */
#define FAULT_ADDR_BITS 23
/* Internal-flash sectors a flash-fail fault can name: 2 MiB in 8 KiB
 * sectors on the finest-grained part. */
#define FAULT_FLASH_SECTORS 256
/* xspi-wait: at most this many extra core cycles per register access. */
#define FAULT_XSPI_WAIT_MAX 10000

struct fault_pair {
	uint8_t a, b;
};

struct fault_cell {
	uint32_t addr;
	uint8_t bit;
	uint8_t level;
};

struct fault_set {
	enum chip_kind chip;
	bool kgd_fail;
	/* Electrical: the wire layer. */
	enum fault_line io[4];
	/* io<N>=intermittent:RATE: the probability, per transfer (nCS low),
	 * that line N is open for that transfer; 0 = a sound joint. */
	double io_intermittent[4];
	struct fault_pair io_short[FAULT_MAX_SHORTS];
	unsigned io_shorts;
	bool clk_open;
	bool cs_open;
	/* cs=slow:NS: CE# reaches the chip's high level this long after
	 * NCS rises, and falls with it (docs/psramsim-faults.md); 0 = a
	 * sound net. */
	uint32_t cs_rise_ps;
	/* Inside the chip. */
	uint32_t addr_stuck0;	/* mask of A[22:0] bits stuck low */
	uint32_t addr_stuck1;
	struct fault_pair addr_short[FAULT_MAX_SHORTS];
	unsigned addr_shorts;
	struct fault_cell cell[FAULT_MAX_CELLS];
	unsigned cells;
	double flip_rate;		/* per bit read; 0 = none */
	uint32_t fmax_hz;		/* 0 = the part's own limit only */
	uint32_t pagecross_max_hz;	/* 0 = the part's own limit only */
	bool tcem_strict;
	/* Every PSRAM timing rule costs data as the datasheets allow: tCEM
	 * (as tcem=strict), tCSP (the command is missed), tCHD (the last
	 * byte of a write is not stored). */
	bool timing_strict;
	/* The board's crystal (RCC HSE, RM0433 §8.5.2): it never starts, or
	 * it runs at hse_hz instead of the board file's frequency. */
	bool hse_absent;
	uint32_t hse_hz;	/* 0 = the board's crystal */
	/* Core cycles every CPU access to the xSPI registers waits on top of
	 * its own: a bus matrix another master keeps busy (0 = none). */
	uint32_t xspi_wait;
	/* The MCU's internal flash: sectors (numbered from 0x08000000 across
	 * both banks) whose programming fails, one bit each. */
	uint64_t flash_fail[FAULT_FLASH_SECTORS / 64];
};

/* One accepted fault kind: the SPEC syntax as the table of
 * docs/psramsim-faults.md writes it (tests/unit/sim_fault.c keeps the two
 * in step). */
struct fault_kind {
	const char *syntax;
	const char *effect;
};

extern const struct fault_kind fault_kinds[];
extern const size_t fault_kind_count;
/* Indexed by enum chip_kind: the names chip= and --chip accept. */
extern const char *const fault_chip_names[CHIP_KINDS];

/* No faults; the chip is an ESP-PSRAM64H until chip= or --chip says
 * otherwise. */
void fault_set_init(struct fault_set *fs);

/* Adds one SPEC to the set. On a bad SPEC returns -1 and writes a one-line
 * message naming the spec and what is wrong into err (no trailing newline);
 * the set is then unchanged. Returns 0 on success. */
int fault_parse(struct fault_set *fs, const char *spec, char *err,
		size_t errlen);

/* The chip kind for a name of fault_chip_names; -1 if unknown. */
int fault_chip_by_name(const char *name, enum chip_kind *kind);

/* True when any electrical or chip fault is set (the chip choice aside). */
bool fault_any(const struct fault_set *fs);

/* The frequency the board's HSE crystal really runs at given the board's
 * nominal `board_hz`: 0 when hse=absent (HSERDY never sets). */
uint32_t fault_hse_hz(const struct fault_set *fs, uint32_t board_hz);

/* One line per active fault, for psramsim's start-up banner. */
void fault_describe(const struct fault_set *fs, FILE *out);

#endif
