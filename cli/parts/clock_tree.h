/* The MCU's clock tree as its registers say it is, per family: which
 * registers to read after the board's reset-init, and how the reference
 * manual turns their values into SYSCLK, the core clock, the AXI/AHB clock
 * and the xSPI kernel clock — or into the first thing that is wrong (an
 * oscillator or PLL not ready, a system clock that did not switch, a
 * voltage scale or flash latency too low for the clocks). docs/clocks.md
 * describes the checks with their sources.
 *
 * One module per family (clock_tree_h7.c for RM0433); a family without a
 * module is not checked. */
#ifndef CLI_CLOCK_TREE_H
#define CLI_CLOCK_TREE_H

#include <stddef.h>
#include <stdint.h>

#define CLOCK_TREE_MAX_REGS 16

struct clock_reg {
	const char *name; /* as the reference manual names it: "RCC_CR" */
	uint32_t addr;
};

struct clock_tree {
	const char *sysclk_source; /* "PLL1", "HSE", "HSI", "CSI" */
	uint64_t sysclk_hz;
	uint64_t cpu_hz;  /* the Cortex-M7 clock (DWT CYCCNT counts it) */
	uint64_t axi_hz;  /* AXI/AHB clock: flash latency, QUADSPI rcc_hclk3 */
	uint64_t xspi_kernel_hz;
	const char *xspi_kernel_source; /* "rcc_hclk3", "pll1_q_ck", ... */
	unsigned flash_latency; /* wait states read */
	unsigned flash_latency_needed;
	unsigned vos; /* voltage scale 1..3 */
};

/* The first thing wrong, for one clear line: the register, the value read,
 * what it means and what was expected. */
struct clock_problem {
	const char *reg;
	uint32_t addr;
	uint32_t value;
	char what[240];
};

struct clock_family {
	const char *family; /* PSRAM_FAMILY */
	const char *manual; /* "RM0433" */
	const struct clock_reg *regs;
	size_t nregs;
	/* values[i] is regs[i] read from the target; hse_hz is the board
	 * file's crystal (0 when it names none). Returns 0 with t filled,
	 * or -1 with p filled. */
	int (*evaluate)(const uint32_t *values, uint64_t hse_hz,
			struct clock_tree *t, struct clock_problem *p);
};

extern const struct clock_family clock_family_h7;
extern const struct clock_family clock_family_h7a3;	/* clock_tree_h7a3.c */
extern const struct clock_family clock_family_f7;	/* clock_tree_f7.c */

/* The module for a PSRAM_FAMILY value; NULL when none is written yet. */
const struct clock_family *clock_family_find(const char *family);

/* Flash wait states RM0433 Table 17 asks for at this AXI clock and
 * voltage scale; -1 above the scale's maximum. */
int clock_h7_flash_latency(uint64_t axi_hz, unsigned vos);
/* The same for the STM32H7A3/B3/B0 (RM0455), vos 0..3 = VOS0..VOS3. */
int clock_h7a3_flash_latency(uint64_t axi_hz, unsigned vos);
/* STM32F74x/75x, F76x/77x (RM0385 Table 5, 2.7-3.6 V) at this HCLK. */
int clock_f7_flash_latency(uint64_t hclk_hz);

#endif
