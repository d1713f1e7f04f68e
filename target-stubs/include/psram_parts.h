/*
 * The timing of each PSRAM part psramctl knows, from its datasheet, with
 * the source beside each value: the one table the stub's limits, the
 * host's wire-limit arithmetic, reports and recommendations all read
 * (docs/psram-chips.md §4). Shared like stub_abi.h: freestanding, fixed
 * width, indexed by enum stub_chip. psramsim keeps its own transcription
 * (sim/chips/psram.c) on purpose; tests/unit/sim_psram_table.c checks the
 * two agree, and tests/unit/cli_psram_parts.c pins every value.
 *
 * Datasheets: ESPDS = ESP-PSRAM64H v1.x, Table 10-5 (AC) and §5.5;
 * LYDS = LY68L6400SLIT, Table 9 and §10.6; IPSDS = IPS6404LSQ, Table 8 and
 * §8.6; APSDS = APS6404L-3SQN/-3SQR first page (clock limits). Where a
 * part's sheet gives no value the family's strictest is used and the
 * entry says "(strictest)". STUB_CHIP_UNKNOWN, a member nobody named, is
 * the strictest of all four for every value.
 */
#ifndef TARGET_STUBS_INCLUDE_PSRAM_PARTS_H
#define TARGET_STUBS_INCLUDE_PSRAM_PARTS_H

#include <stdint.h>

#include "stub_abi.h"

struct psram_part_timing {
	uint32_t max_hz;            /* linear bursts within a 1 KiB page */
	uint32_t page_cross_max_hz; /* linear bursts across a page */
	uint32_t read03_max_hz;     /* 0x03 Read (no wait clocks) */
	uint32_t tclk_min_ps;       /* shortest CLK period, other commands */
	uint32_t tch_ps;            /* CLK high (and low) at least: 0.45 tCLK */
	uint32_t tcem_ns;           /* longest CE# low */
	uint32_t tcph_ns;           /* shortest CE# high between commands */
	uint32_t tcsp_ps;           /* CE# low to the first CLK rise */
	uint32_t tchd_ps;           /* last CLK edge to CE# high */
	uint32_t power_up_us;       /* VCC stable to the reset (0x66, 0x99) */
	uint16_t page_bytes;
	uint8_t wait_0b;            /* wait clocks: 0x0B Fast Read, SPI */
	uint8_t wait_eb;            /* 0xEB Fast Quad Read, 1-4-4 and 4-4-4 */
};

#define PSRAM_MHZ 1000000U

/* The part's timing; any value out of range is STUB_CHIP_UNKNOWN. */
static inline const struct psram_part_timing *psram_part(uint32_t chip)
{
	static const struct psram_part_timing parts[] = {
		[STUB_CHIP_UNKNOWN] = {
			.max_hz = 84 * PSRAM_MHZ,	/* APSDS: linear */
			.page_cross_max_hz = 84 * PSRAM_MHZ,
			.read03_max_hz = 33 * PSRAM_MHZ,
			.tclk_min_ps = 9600,		/* IPSDS: 104 MHz */
			.tch_ps = 4320,			/* 0.45 x 9.6 ns */
			.tcem_ns = 8000,
			.tcph_ns = 50,			/* ESPDS, LYDS */
			.tcsp_ps = 3000,		/* IPSDS */
			.tchd_ps = 20000,		/* ESPDS, LYDS */
			.power_up_us = 150,
			.page_bytes = 1024,
			.wait_0b = 8,
			.wait_eb = 6,
		},
		[STUB_CHIP_ESP_PSRAM64H] = {
			.max_hz = 133 * PSRAM_MHZ,	/* ESPDS p. 1 */
			.page_cross_max_hz = 84 * PSRAM_MHZ, /* ESPDS §5.5 */
			.read03_max_hz = 33 * PSRAM_MHZ, /* ESPDS Table 10-5 */
			.tclk_min_ps = 7000,		/* ESPDS Table 10-5 */
			.tch_ps = 3150,			/* ESPDS: 0.45 tCLK */
			.tcem_ns = 8000,		/* ESPDS Table 10-5 */
			.tcph_ns = 50,			/* ESPDS Table 10-5 */
			.tcsp_ps = 2500,		/* ESPDS Table 10-5 */
			.tchd_ps = 20000,		/* ESPDS Table 10-5 */
			.power_up_us = 150,		/* ESPDS §3 */
			.page_bytes = 1024,		/* ESPDS §5.5 */
			.wait_0b = 8,			/* ESPDS §5.4 */
			.wait_eb = 6,			/* ESPDS §5.4 */
		},
		[STUB_CHIP_LY68L6400] = {
			.max_hz = 144 * PSRAM_MHZ,	/* LYDS p. 1 */
			.page_cross_max_hz = 84 * PSRAM_MHZ, /* LYDS §10.6 */
			.read03_max_hz = 33 * PSRAM_MHZ, /* LYDS Table 9 */
			.tclk_min_ps = 7000,		/* LYDS Table 9 */
			.tch_ps = 3150,			/* LYDS: 0.45 tCLK */
			.tcem_ns = 8000,		/* LYDS Table 9 */
			.tcph_ns = 50,			/* LYDS Table 9 */
			.tcsp_ps = 2500,		/* LYDS Table 9 */
			.tchd_ps = 20000,		/* LYDS Table 9 */
			.power_up_us = 150,		/* LYDS §9 */
			.page_bytes = 1024,		/* LYDS §10.6 */
			.wait_0b = 8,			/* LYDS §10.5 */
			.wait_eb = 6,			/* LYDS §10.5 */
		},
		[STUB_CHIP_APS6404L] = {
			.max_hz = 84 * PSRAM_MHZ,	/* APSDS p. 1: linear */
			.page_cross_max_hz = 84 * PSRAM_MHZ, /* APSDS p. 1 */
			.read03_max_hz = 33 * PSRAM_MHZ, /* APSDS p. 1 */
			.tclk_min_ps = 9175,		/* APSDS p. 1: -3SQN 109 MHz */
			.tch_ps = 4129,			/* 0.45 x 9.175 ns */
			.tcem_ns = 8000,		/* (strictest) */
			.tcph_ns = 18,			/* APS6404L AC table */
			.tcsp_ps = 3000,		/* (strictest) */
			.tchd_ps = 20000,		/* (strictest) */
			.power_up_us = 150,		/* APSDS p. 1 */
			.page_bytes = 1024,		/* APSDS p. 1 */
			.wait_0b = 8,			/* APSDS p. 1 */
			.wait_eb = 6,			/* APSDS p. 1 */
		},
		[STUB_CHIP_IPS6404L] = {
			.max_hz = 104 * PSRAM_MHZ,	/* IPSDS p. 1 */
			.page_cross_max_hz = 84 * PSRAM_MHZ, /* IPSDS §8.6 */
			.read03_max_hz = 33 * PSRAM_MHZ, /* IPSDS Table 8 */
			.tclk_min_ps = 9600,		/* IPSDS Table 8 */
			.tch_ps = 4320,			/* IPSDS: 0.45 tCLK */
			.tcem_ns = 8000,		/* IPSDS Table 8 */
			.tcph_ns = 18,			/* IPSDS Table 8 */
			.tcsp_ps = 3000,		/* IPSDS Table 8 */
			.tchd_ps = 3000,		/* IPSDS Table 8 */
			.power_up_us = 150,		/* IPSDS §7 */
			.page_bytes = 1024,		/* IPSDS §8.6 */
			.wait_0b = 8,			/* IPSDS §8.5 */
			.wait_eb = 6,			/* IPSDS §8.5 */
		},
	};

	if (chip >= sizeof(parts) / sizeof(parts[0]))
		chip = STUB_CHIP_UNKNOWN;
	return &parts[chip];
}

#endif
