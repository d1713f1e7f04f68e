/* The 64 Mbit SPI/QPI PSRAM family behind the xSPI bus: ESP-PSRAM64H,
 * LY68L6400SLIT, APS6404L-3SQN, IPS6404LSQ (docs/psram-chips.md). One command
 * state machine clocked edge by edge, and a part table for what differs:
 * clock limits, tCPH, tCEM, clock-to-output delay. The ID is the same layout
 * for all four (MF 0x0D, KGD, density 010); the die-specific EID bytes are
 * drawn from the seed, not from the vendor, so the vendor cannot be read
 * from the ID, as on real parts. Chip faults (address bits, cells, flips,
 * clock and page-crossing limits, tcem=strict, kgd=fail) act inside. */
#ifndef SIM_PSRAM_H
#define SIM_PSRAM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "chips/chip.h"
#include "fault.h"

#define PSRAM_SIZE (8U << 20)
#define PSRAM_PAGE 1024U

/* Datasheet rules a command broke; each is counted every time with the
 * worst value seen (--stats) and logged the first time. */
enum psram_violation {
	PSRAM_V_CLOCK,		/* SCLK above the part's limit for the command */
	PSRAM_V_PAGECROSS,	/* linear burst crossed a 1 KiB page too fast */
	PSRAM_V_TCEM,		/* CE# low longer than tCEM */
	PSRAM_V_TCPH,		/* CE# high shorter than tCPH */
	PSRAM_V_TCSP,		/* first SCLK edge sooner than tCSP after CE# */
	PSRAM_V_TCHD,		/* CE# rose sooner than tCHD after SCLK */
	PSRAM_V_POWERUP,	/* selected within tPU of psram_power_on */
	PSRAM_V_NO_RESET,	/* command before the power-up reset */
	PSRAM_VIOLATIONS
};

/* One rule's record: how often it was broken and the worst value (ps for
 * times: the longest tCEM, the shortest tCPH/tCSP/tCHD/tPU; Hz for
 * clocks). */
struct psram_rule_stats {
	unsigned long count;
	uint64_t worst;
};

extern const char *const psram_violation_names[PSRAM_VIOLATIONS];

/* One part's limits, as its datasheet gives them (sources in psram.c and
 * docs/psram-chips.md §4). A const table with named fields: the host and
 * stub tables are checked against it field by field. */
struct psram_part {
	enum chip_kind kind;
	const char *name;
	uint32_t max_linear_hz;		/* linear bursts within a page */
	uint32_t max_wrap_hz;		/* 32-byte wrapped bursts */
	uint32_t max_pagecross_hz;	/* linear bursts crossing a page */
	uint32_t max_read03_hz;		/* 0x03 Read */
	uint32_t t_cph_ps;		/* min CE# high between commands */
	uint64_t t_cem_ps;		/* max CE# low */
	uint32_t t_aclk_ps;		/* max SCLK falling edge → output */
	uint32_t t_csp_ps;		/* min CE# low → first SCLK rising edge */
	uint32_t t_chd_ps;		/* min last SCLK rising edge → CE# high */
	uint64_t t_pu_ps;		/* power-up: VCC stable → first command */
};

extern const struct psram_part psram_parts[];
extern const unsigned psram_part_count;

struct psram;

/* A PSRAM of kind `part` in its power-up state: SPI mode, linear bursts,
 * array contents undefined (seeded noise), reset 0x66/0x99 still to come.
 * Its supply is taken as stable long before the simulation starts (a
 * debugger attaches to a board powered for a while); psram_power_on
 * models a power-up at a given time. NULL if `part` is not a PSRAM or
 * memory runs out. The chip faults of fs are copied. */
struct chip *psram_new(enum chip_kind part, const struct fault_set *fs,
		       uint64_t seed);
/* The PSRAM behind a chip, or NULL if the chip is something else. */
struct psram *psram_of(struct chip *chip);

/* VCC becomes stable at t_ps: the chip ignores commands for 150 µs and is
 * back in its power-up mode (array contents kept: not modelled). */
void psram_power_on(struct psram *p, uint64_t t_ps);
bool psram_in_qpi(const struct psram *p);
bool psram_wrap32(const struct psram *p);
/* The 8 bytes 0x9F shifts out: MF, KGD, EID[47:0]. */
void psram_id(const struct psram *p, uint8_t id[8]);
/* The array cell at addr (A[22:0]), bypassing faults: for tests. */
uint8_t psram_peek(const struct psram *p, uint32_t addr);
void psram_poke(struct psram *p, uint32_t addr, uint8_t value);
unsigned long psram_violations(const struct psram *p,
			       enum psram_violation v);
struct psram_rule_stats psram_rule_stats(const struct psram *p,
					 enum psram_violation v);
/* One line of --stats: every rule broken, with count and worst value. */
void psram_print_stats(const struct psram *p, FILE *out);

#endif
