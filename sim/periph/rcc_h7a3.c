/* RM0455 §8.7: reset values of the STM32H7A3/B3/B0 RCC registers the model
 * keeps, and where RSR sits. The rest of the behaviour (ready bits, the
 * PLLs, the system-clock switch, peripheral resets) is the one of rcc.c:
 * RM0455 describes the same oscillators, PLLs and switch as RM0433. */
#include "periph/rcc_h7a3.h"

/* RCC_xxxLPENR (RM0455 §8.7), after CKGAENR like the enable registers:
 * every bit of a peripheral the part has is 1 after reset; the bits are
 * those of ST's CMSIS header stm32h7a3xx.h. Reset values and writable
 * bits alike. */
#define H7A3_LPENR \
	{0x15C, 0xFD295131U},	/* AHB3LPENR */ \
	{0x160, 0x06000223U},	/* AHB1LPENR */ \
	{0x164, 0x60000A41U},	/* AHB2LPENR */ \
	{0x168, 0x302007FFU},	/* AHB4LPENR */ \
	{0x16C, 0x00000048U},	/* APB3LPENR */ \
	{0x170, 0xE8FFC3FFU},	/* APB1LLPENR */ \
	{0x174, 0x00000136U},	/* APB1HLPENR */ \
	{0x178, 0x40D730F3U},	/* APB2LPENR */ \
	{0x17C, 0x0C01E6AAU},	/* APB4LPENR */

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
	H7A3_LPENR
};

/* The bits software can write (RM0455 §8.7): RM0433's, with HSEEXT (CR
 * bit 20) and without HRTIMSEL (CFGR bit 14, no HRTIM on this line). */
static const struct rcc_reset_value h7a3_writable[] = {
	{0x000, 0x151D129BU},	/* CR */
	{0x004, 0x7F000000U},	/* HSICFGR.HSITRIM */
	{0x008, 0x00000000U},	/* CRRCR: read-only */
	{0x00C, 0x3F000000U},	/* CSICFGR.CSITRIM */
	{0x010, 0xFFFCBFC7U},	/* CFGR */
	{0x018, 0x00000F7FU},	/* CDCFGR1: CDCPRE, CDPPRE, HPRE */
	{0x01C, 0x00000770U},	/* CDCFGR2: CDPPRE2, CDPPRE1 */
	{0x020, 0x00000070U},	/* SRDCFGR: SRDPPRE */
	{0x028, 0x03F3F3F3U},	/* PLLCKSELR */
	{0x02C, 0x01FF0FFFU},	/* PLLCFGR */
	{0x030, 0x7F7FFFFFU},	/* PLL1DIVR */
	{0x038, 0x7F7FFFFFU},
	{0x040, 0x7F7FFFFFU},
	{0x034, 0x0000FFF8U},	/* PLL1FRACR */
	{0x03C, 0x0000FFF8U},
	{0x044, 0x0000FFF8U},
	{0x04C, 0x30010033U},	/* CDCCIPR */
	{0x064, 0x00000000U},	/* CIFR: read-only */
	{0x068, 0x00000000U},	/* CICR: reads 0 */
	{0x070, 0x0001833DU},	/* BDCR */
	{0x074, 0x00000001U},	/* CSR: LSION */
	{RCC_H7A3_RSR, 0x00010000U}, /* RSR: RMVF */
	H7A3_LPENR
	/* Kernel clock selections and the enable and reset bits: the
	 * fields and peripherals ST's CMSIS header stm32h7a3xx.h defines. */
	{0x050, 0xB1377FC7U},	/* CDCCIP1R */
	{0x054, 0x70F0333FU},	/* CDCCIP2R */
	{0x058, 0x7803FF07U},	/* SRDCCIPR */
	{0x060, 0x000003FFU},	/* CIER */
	{0x07C, 0x01295031U},	/* AHB3RSTR */
	{0x080, 0x02000223U},	/* AHB1RSTR */
	{0x084, 0x00000A45U},	/* AHB2RSTR */
	{0x088, 0x002007FFU},	/* AHB4RSTR */
	{0x08C, 0x00000008U},	/* APB3RSTR */
	{0x090, 0xE8FFC3FFU},	/* APB1LRSTR */
	{0x094, 0x00000136U},	/* APB1HRSTR */
	{0x098, 0x40D730F3U},	/* APB2RSTR */
	{0x09C, 0x0C00E6AAU},	/* APB4RSTR */
	{0x134, 0x01295031U},	/* AHB3ENR */
	{0x138, 0x06000223U},	/* AHB1ENR */
	{0x13C, 0x60000A45U},	/* AHB2ENR */
	{0x140, 0x302007FFU},	/* AHB4ENR */
	{0x144, 0x00000048U},	/* APB3ENR */
	{0x148, 0xE8FFC3FFU},	/* APB1LENR */
	{0x14C, 0x00000136U},	/* APB1HENR */
	{0x150, 0x40D730F3U},	/* APB2ENR */
	{0x154, 0x0C01E6AAU},	/* APB4ENR */
};

const struct rcc_family rcc_family_h7a3 = {
	.manual = "RM0455",
	.rsr = RCC_H7A3_RSR,
	.reset_values = h7a3_reset_values,
	.nreset_values =
		sizeof(h7a3_reset_values) / sizeof(h7a3_reset_values[0]),
	.writable = h7a3_writable,
	.nwritable = sizeof(h7a3_writable) / sizeof(h7a3_writable[0]),
	/* RM0455 §8.4.4 (reset source identification): a power-on sets
	 * PORRSTF, PINRSTF, BORRSTF and CDRSTF; NRST sets PINRSTF; a system
	 * reset from the CPU SFTRSTF and PINRSTF. */
	.rsr_flags = {0x00E80000U, 0x00400000U, 0x01400000U},
	.icscr_on_rev_y = false,
	/* Wide VCO 128-560 MHz on this line (DS13195 PLL characteristics;
	 * ST's LL utilities for two power domains); medium 150-420 MHz as
	 * on RM0433's parts. */
	.vco_wide_min_hz = 128000000U,
	.vco_wide_max_hz = 560000000U,
	.datasheet = "DS13195",
};
