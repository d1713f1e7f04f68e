/* STM32H7A3/B3/B0 clock tree, RM0455: the RCC keeps RM0433's oscillators,
 * PLLs and system-clock switch (§8.5, §8.7), with the CPU-domain
 * prescalers in CDCFGR1 and the OCTOSPI kernel clock selected by
 * CDCCIPR.OCTOSPISEL; voltage scaling is PWR_SRDCR.VOS (§6.8.7: 00 VOS3
 * ... 11 VOS0, no overdrive bit). The limits are the line's own: PLL VCO
 * ranges, the flash wait states per voltage scale and the clock maxima
 * per scale, as ST's LL utilities for this line state them (wide VCO
 * 128-560 MHz, medium 150-420 MHz; HCLK up to 280/225/160/88 MHz in
 * VOS0..3). The evaluation is the H7 lines' shared one
 * (clock_tree_h7_rcc.c); docs/hardware-stm32h7a3.md §3 and
 * docs/clocks.md. */
#include "parts/clock_tree.h"
#include "parts/clock_tree_h7_rcc.h"

/* No SYSCFG_PWRCR: the table ends before H7_SYSCFG_PWRCR. */
static const struct clock_reg h7a3_regs[H7_SYSCFG_PWRCR] = {
	H7_RCC_REGS("RCC_CDCFGR1", "RCC_CDCCIPR", "PWR_SRDCR"),
};

static const struct h7_rcc_line rm0455 = {
	.regs = h7a3_regs,
	.vco_wide_min_mhz = 128,
	.vco_wide_max_mhz = 560,
	.xspi_sel = "OCTOSPISEL",
	.xspi = "OCTOSPI",
	/* PWR_SRDCR.VOS: 00 VOS3 ... 11 VOS0 (§6.8.7). */
	.scale_of_vos = {3, 2, 1, 0},
	.overdrive = false,
	.limit_scale = "voltage scale VOS",
	.flash_scale = "VOS",
	/* Core and AXI clock maxima per voltage scale (DS13195 general
	 * operating conditions; the same figures in ST's LL utilities). */
	.cpu_max_mhz = {280, 225, 160, 88},
	.axi_max_mhz = {280, 225, 160, 88},
	/* RM0455 FLASH wait-state table, as ST's LL utilities give it for
	 * this line. */
	.flash_mhz = {
		{44, 88, 132, 176, 220, 264, 280}, /* VOS0 */
		{42, 84, 126, 168, 210, 225},      /* VOS1 */
		{34, 68, 102, 136, 160},           /* VOS2 */
		{22, 44, 66, 88},                  /* VOS3 */
	},
	.flash_table = "RM0455 flash wait states",
};

int clock_h7a3_flash_latency(uint64_t axi_hz, unsigned vos)
{
	return h7_rcc_flash_latency(&rm0455, axi_hz, vos);
}

static int h7a3_evaluate(const uint32_t *v, uint64_t hse_hz,
			 struct clock_tree *t, struct clock_problem *p)
{
	return h7_rcc_evaluate(&rm0455, v, hse_hz, t, p);
}

const struct clock_family clock_family_h7a3 = {
	"stm32h7a3", "RM0455", h7a3_regs, H7_SYSCFG_PWRCR, h7a3_evaluate,
};
