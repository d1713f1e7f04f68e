/* The limits the STM32H742/743/750/753 clock tree must stay within, as
 * tables: the core and bus clock allowed at each voltage scale, the flash
 * wait states each AXI clock needs, the PLL reference and VCO ranges.
 * docs/psramsim-periph.md gives the sources. */
#ifndef SIM_CLOCK_RULES_H
#define SIM_CLOCK_RULES_H

#include <stdbool.h>
#include <stdint.h>

/* Voltage scales; VOS0 is scale 1 with SYSCFG_PWRCR.ODEN (rev V only). */
enum vos { VOS0, VOS1, VOS2, VOS3 };

struct vos_limit {
	uint32_t cpu_max_hz;	/* sys_ck / rcc_c_ck */
	uint32_t hclk_max_hz;	/* rcc_hclk3 = ACLK, the flash's clock */
};

/* Indexed by enum vos: DS12110 (STM32H742/743/753) Table 23, general
 * operating conditions. */
extern const struct vos_limit vos_limits[4];
/* The STM32H7A3/B3/B0's, by VOS0..VOS3 of RM0455 (DS13195 general
 * operating conditions; ST's LL utilities state the same maxima). */
extern const struct vos_limit vos_limits_h7a3[4];

/* One row of RM0433 Table 17: up to `aclk_max_hz` at this scale, the
 * flash needs at least `latency` wait states. */
struct flash_ws_row {
	uint32_t aclk_max_hz;
	uint8_t latency;
};

#define FLASH_WS_ROWS 5
/* Indexed by enum vos; rows end at the first aclk_max_hz of 0. */
extern const struct flash_ws_row flash_ws[4][FLASH_WS_ROWS];

/* The fewest wait states (FLASH_ACR.LATENCY) RM0433 Table 17 allows for
 * `aclk_hz` at scale `vos`; -1 when no latency makes that clock legal. */
int flash_min_latency(enum vos vos, uint32_t aclk_hz);

/* PLLxRGE (RCC_PLLCFGR, RM0433 §8.7.12): the reference range it claims. */
struct pll_range {
	uint32_t min_hz, max_hz;
};
extern const struct pll_range pll_ref_ranges[4];

/* The VCO range of PLLxVCOSEL: wide (0) or medium (1), RM0433 §8.7.12 and
 * DS12110 Table 60/61 (the wide VCO reaches 960 MHz on revision V only). */
struct pll_range pll_vco_range(unsigned vcosel, bool rev_v);

#endif
