/* The RCC of the STM32H7 lines, one evaluation for all of them: RM0433
 * (H742/743/750/753) and RM0455 (H7A3/B3/B0) share the oscillators, the
 * three PLLs, the system-clock switch and the field positions (RM0433
 * §8.5, §8.7; RM0455 §8.5, §8.7). What differs per line is data: the
 * registers' names, the wide VCO range, how PWR's VOS field reads, the
 * clock maxima per voltage scale and the flash wait-state table
 * (clock_tree_h7.c, clock_tree_h7a3.c). */
#ifndef CLI_CLOCK_TREE_H7_RCC_H
#define CLI_CLOCK_TREE_H7_RCC_H

#include <stdbool.h>
#include <stdint.h>

#include "parts/clock_tree.h"

/* The registers read, in this order, in every line's table. */
enum h7_rcc_reg {
	H7_CR,
	H7_CFGR,
	H7_CPU_CFGR,    /* D1CFGR (RM0433), CDCFGR1 (RM0455) */
	H7_PLLCKSELR,
	H7_PLLCFGR,
	H7_PLL1DIVR,
	H7_PLL1FRACR,
	H7_PLL2DIVR,
	H7_PLL2FRACR,
	H7_CPU_CCIPR,   /* D1CCIPR, CDCCIPR: the xSPI kernel clock */
	H7_FLASH_ACR,
	H7_PWR_VOS,     /* PWR_D3CR, PWR_SRDCR: VOS and VOSRDY */
	H7_SYSCFG_PWRCR, /* only where the line has an over-drive bit */
	H7_REG_COUNT
};

/* The register table of a line: the RCC registers sit at the same offsets
 * on both lines (the register maps of RM0433 §8.7 and RM0455 §8.7), FLASH_ACR
 * and PWR's VOS register at the same addresses; three of them carry the
 * line's own names. A line with SYSCFG_PWRCR adds it after these. */
#define H7_RCC_REGS(cpu_cfgr, cpu_ccipr, pwr_vos)                             \
	[H7_CR] = {"RCC_CR", 0x58024400u},                                     \
	[H7_CFGR] = {"RCC_CFGR", 0x58024410u},                                 \
	[H7_CPU_CFGR] = {cpu_cfgr, 0x58024418u},                               \
	[H7_PLLCKSELR] = {"RCC_PLLCKSELR", 0x58024428u},                       \
	[H7_PLLCFGR] = {"RCC_PLLCFGR", 0x5802442Cu},                           \
	[H7_PLL1DIVR] = {"RCC_PLL1DIVR", 0x58024430u},                         \
	[H7_PLL1FRACR] = {"RCC_PLL1FRACR", 0x58024434u},                       \
	[H7_PLL2DIVR] = {"RCC_PLL2DIVR", 0x58024438u},                         \
	[H7_PLL2FRACR] = {"RCC_PLL2FRACR", 0x5802443Cu},                       \
	[H7_CPU_CCIPR] = {cpu_ccipr, 0x5802444Cu},                             \
	[H7_FLASH_ACR] = {"FLASH_ACR", 0x52002000u},                           \
	[H7_PWR_VOS] = {pwr_vos, 0x58024818u}

#define H7_MAX_WAIT_STATES 7

struct h7_rcc_line {
	const struct clock_reg *regs; /* indexed by enum h7_rcc_reg */
	/* The wide VCO range (PLLxVCOSEL 0); the medium one is 150-420 MHz
	 * on every line. */
	unsigned vco_wide_min_mhz, vco_wide_max_mhz;
	const char *xspi_sel; /* the kernel-clock field: "QSPISEL" */
	const char *xspi;     /* the peripheral it clocks: "QUADSPI" */
	/* PWR's VOS field 00..11 as a voltage scale; -1 where reserved. */
	signed char scale_of_vos[4];
	/* SYSCFG_PWRCR.ODEN turns scale 1 into scale 0. */
	bool overdrive;
	/* How the messages name a voltage scale before its number: in the
	 * clock maxima ("voltage scale 1", "voltage scale VOS1") and in the
	 * flash latency ("voltage scale 1", "VOS1"). */
	const char *limit_scale, *flash_scale;
	unsigned cpu_max_mhz[4], axi_max_mhz[4]; /* per voltage scale */
	/* The highest AXI clock for 0, 1, 2 ... wait states per voltage
	 * scale; 0 ends a row. */
	unsigned flash_mhz[4][H7_MAX_WAIT_STATES];
	const char *flash_table; /* where flash_mhz comes from */
};

/* clock_family.evaluate for one line. */
int h7_rcc_evaluate(const struct h7_rcc_line *line, const uint32_t *values,
		    uint64_t hse_hz, struct clock_tree *t,
		    struct clock_problem *p);

/* The wait states line->flash_mhz asks for; -1 above the scale's maximum. */
int h7_rcc_flash_latency(const struct h7_rcc_line *line, uint64_t axi_hz,
			 unsigned vos);

#endif
