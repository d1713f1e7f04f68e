/* RM0455 §8.7: reset values of the STM32H7A3/B3/B0 RCC registers the model
 * keeps, and where RSR sits. The rest of the behaviour (ready bits, the
 * PLLs, the system-clock switch, peripheral resets) is the one of rcc.c:
 * RM0455 describes the same oscillators, PLLs and switch as RM0433. */
#include "periph/rcc_h7a3.h"

static const struct rcc_reset_value h7a3_reset_values[] = {
	/* HSION, HSIRDY, HSIDIVF; CPU and CD domain clocks ready. */
	{0x000, 0x0000C025U},
	{0x004, 0x40000000U},		/* HSICFGR (calibration) */
	{0x008, 0x00000000U},		/* CRRCR */
	{0x00C, 0x20000000U},		/* CSICFGR */
	{0x028, 0x02020200U},		/* PLLCKSELR: DIVMx = 32 */
	{0x02C, 0x01FF0000U},		/* PLLCFGR: all outputs enabled */
	{0x030, 0x01010280U},		/* PLL1DIVR */
	{0x038, 0x01010280U},		/* PLL2DIVR */
	{0x040, 0x01010280U},		/* PLL3DIVR */
	{0x070, 0x00000000U},		/* BDCR */
	{0x074, 0x00000001U},		/* CSR: LSION */
	{RCC_H7A3_RSR, 0x00000000U},
};

const struct rcc_family rcc_family_h7a3 = {
	.manual = "RM0455",
	.rsr = RCC_H7A3_RSR,
	.reset_values = h7a3_reset_values,
	.nreset_values =
		sizeof(h7a3_reset_values) / sizeof(h7a3_reset_values[0]),
};
