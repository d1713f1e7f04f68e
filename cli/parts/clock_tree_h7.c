/* STM32H742/743/750/753 clock tree, RM0433 rev 7: §8.5 (clock tree),
 * §8.7 (RCC registers), §6.8.6 (PWR_D3CR voltage scaling), §4.3.8 and
 * Table 17 (flash wait states), §12.3.6 (SYSCFG_PWRCR.ODEN, VOS0), and
 * the datasheets' operating conditions (DS12110/DS12556 Table 23:
 * fCPU and fHCLK per voltage scale). The evaluation is the H7 lines'
 * shared one (clock_tree_h7_rcc.c); docs/clocks.md walks through it. */
#include "parts/clock_tree.h"
#include "parts/clock_tree_h7_rcc.h"

static const struct clock_reg h7_regs[H7_REG_COUNT] = {
	H7_RCC_REGS("RCC_D1CFGR", "RCC_D1CCIPR", "PWR_D3CR"),
	[H7_SYSCFG_PWRCR] = {"SYSCFG_PWRCR", 0x58000404u},
};

static const struct h7_rcc_line rm0433 = {
	.regs = h7_regs,
	/* PLLxVCOSEL 0: 192-960 MHz (§8.3.2). */
	.vco_wide_min_mhz = 192,
	.vco_wide_max_mhz = 960,
	/* D1CCIPR.QSPISEL (§8.7.19). */
	.xspi_sel = "QSPISEL",
	.xspi = "QUADSPI",
	/* PWR_D3CR.VOS: 01 scale 3, 10 scale 2, 11 scale 1, 00 reserved;
	 * scale 0 is scale 1 with SYSCFG_PWRCR.ODEN (§6.8.6, §6.6.2). */
	.scale_of_vos = {-1, 3, 2, 1},
	.overdrive = true,
	.limit_scale = "voltage scale ",
	.flash_scale = "voltage scale ",
	/* DS12110/DS12556 Table 23: fCPU and fHCLK maxima per scale. */
	.cpu_max_mhz = {480, 400, 300, 200},
	.axi_max_mhz = {240, 200, 150, 100},
	/* RM0433 Table 17 (VOS0 needs SYSCFG_PWRCR.ODEN). */
	.flash_mhz = {
		{70, 140, 210, 225, 240}, /* VOS0 */
		{70, 140, 210, 225},      /* VOS1 */
		{55, 110, 165, 225},      /* VOS2 */
		{45, 90, 135, 180, 225},  /* VOS3 */
	},
	.flash_table = "RM0433 Table 17",
};

int clock_h7_flash_latency(uint64_t axi_hz, unsigned vos)
{
	return h7_rcc_flash_latency(&rm0433, axi_hz, vos);
}

static int h7_evaluate(const uint32_t *v, uint64_t hse_hz,
		       struct clock_tree *t, struct clock_problem *p)
{
	return h7_rcc_evaluate(&rm0433, v, hse_hz, t, p);
}

const struct clock_family clock_family_h7 = {
	"stm32h7", "RM0433", h7_regs, H7_REG_COUNT, h7_evaluate,
};
