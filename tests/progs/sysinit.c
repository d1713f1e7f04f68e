/* Runs on the simulated core what every STM32H7 firmware runs before main,
 * written from RM0433: the reset-state clean-up CMSIS SystemInit performs
 * (RCC back to HSI, the AXI read-issuing workaround on revision Y, FMC
 * bank 1 disabled), then the HAL's order of operations for a 400 MHz
 * system clock from the 25 MHz crystal: supply configuration (PWR_CR3,
 * wait ACTVOSRDY), voltage scale 1 (wait VOSRDY), HSE on, PLL1 off,
 * configured, on (wait PLL1RDY), flash wait states raised, bus prescalers,
 * then the system clock switch (wait SWS) and the HAL's retune of a
 * running PLL1's fraction. Returns 0 when every step
 * completed, else the number of the step whose flag never came. */
#include <stdint.h>

#include "common/poll.h"

#define REG(a) (*(volatile uint32_t *)(a))

#define RCC 0x58024400U
#define RCC_CR REG(RCC + 0x000)
#define RCC_CFGR REG(RCC + 0x010)
#define RCC_D1CFGR REG(RCC + 0x018)
#define RCC_D2CFGR REG(RCC + 0x01C)
#define RCC_D3CFGR REG(RCC + 0x020)
#define RCC_PLLCKSELR REG(RCC + 0x028)
#define RCC_PLLCFGR REG(RCC + 0x02C)
#define RCC_PLL1DIVR REG(RCC + 0x030)
#define RCC_PLL1FRACR REG(RCC + 0x034)
#define RCC_PLL2DIVR REG(RCC + 0x038)
#define RCC_PLL2FRACR REG(RCC + 0x03C)
#define RCC_PLL3DIVR REG(RCC + 0x040)
#define RCC_PLL3FRACR REG(RCC + 0x044)
#define RCC_CIER REG(RCC + 0x060)
#define RCC_AHB3ENR REG(RCC + 0x0D4)
#define RCC_APB4ENR REG(RCC + 0x0F4)
#define PWR_CSR1 REG(0x58024804U)
#define PWR_CR3 REG(0x5802480CU)
#define PWR_D3CR REG(0x58024818U)
#define FLASH_ACR REG(0x52002000U)
#define FMC_BCR1 REG(0x52004000U)
#define AXI_TARG7_FN_MOD REG(0x51008108U)
#define DBGMCU_IDCODE REG(0x5C001000U)

#define CR_HSION (1U << 0)
#define CR_HSEON (1U << 16)
#define CR_HSERDY (1U << 17)
#define CR_HSEBYP (1U << 18)
#define CR_PLL1ON (1U << 24)
#define CR_PLL1RDY (1U << 25)
#define CR3_SCUEN (1U << 2)
#define CR3_LDOEN (1U << 1)
#define CR3_BYPASS (1U << 0)
#define CSR1_ACTVOSRDY (1U << 13)
#define D3CR_VOSRDY (1U << 13)

/* What the e2e test reads back after the run. */
volatile uint32_t sysinit_step;
volatile uint32_t sysinit_result[4];

/* CMSIS SystemInit's register clean-up (RM0433 §8.7 reset values). */
static void system_init(void)
{
	RCC_CR |= CR_HSION;
	RCC_CFGR = 0;
	/* HSEON, HSECSSON, CSION, HSI48ON, CSIKERON, PLL1-3ON off. */
	RCC_CR &= 0xEAF6ED7FU;
	RCC_D1CFGR = 0;
	RCC_D2CFGR = 0;
	RCC_D3CFGR = 0;
	RCC_PLLCKSELR = 0x02020200U;
	RCC_PLLCFGR = 0x01FF0000U;
	RCC_PLL1DIVR = 0x01010280U;
	RCC_PLL1FRACR = 0;
	RCC_PLL2DIVR = 0x01010280U;
	RCC_PLL2FRACR = 0;
	RCC_PLL3DIVR = 0x01010280U;
	RCC_PLL3FRACR = 0;
	RCC_CR &= ~CR_HSEBYP;
	RCC_CIER = 0;
	/* Revision Y (REV_ID 0x1003): limit the AXI SRAM read issuing
	 * capability to one (ES0392 §2.2.9). */
	if ((DBGMCU_IDCODE & 0xFFFF0000U) < 0x20000000U)
		AXI_TARG7_FN_MOD = 1;
	/* FMC bank 1 is enabled after reset; disable it so that speculative
	 * reads never reach its window (clock on just for that write). */
	RCC_AHB3ENR |= 1U << 12;
	(void)RCC_AHB3ENR;
	FMC_BCR1 = 0x000030D2U;
	RCC_AHB3ENR &= ~(1U << 12);
}

int main(void)
{
	system_init();

	/* HAL_PWREx_ConfigSupply(PWR_LDO_SUPPLY): written once after
	 * power-on (SCUEN), then ACTVOSRDY. */
	sysinit_step = 1;
	if (PWR_CR3 & CR3_SCUEN) {
		PWR_CR3 = (PWR_CR3 & ~(CR3_SCUEN | CR3_LDOEN | CR3_BYPASS)) |
			  CR3_LDOEN;
		if (wait(&PWR_CSR1, CSR1_ACTVOSRDY, CSR1_ACTVOSRDY))
			return 1;
	} else if ((PWR_CR3 & (CR3_LDOEN | CR3_BYPASS)) != CR3_LDOEN) {
		return 1;
	}
	/* Voltage scale 1 (VOS = 11), then VOSRDY. */
	sysinit_step = 2;
	PWR_D3CR = (PWR_D3CR & ~(3U << 14)) | (3U << 14);
	(void)PWR_D3CR;
	if (wait(&PWR_D3CR, D3CR_VOSRDY, D3CR_VOSRDY))
		return 2;
	/* HAL_RCC_OscConfig: HSE on. */
	sysinit_step = 3;
	RCC_CR |= CR_HSEON;
	if (wait(&RCC_CR, CR_HSERDY, CR_HSERDY))
		return 3;
	/* PLL1 off, configured from HSE: DIVM1 5 (5 MHz, range 4-8 MHz,
	 * wide VCO), DIVN1 160 (800 MHz), P 2, Q 4, R 2, then on. */
	sysinit_step = 4;
	RCC_CR &= ~CR_PLL1ON;
	if (wait(&RCC_CR, CR_PLL1RDY, 0))
		return 4;
	RCC_PLLCKSELR = (RCC_PLLCKSELR & ~((0x3FU << 4) | 3U)) | (5U << 4) | 2U;
	RCC_PLL1DIVR = (160U - 1) | ((2U - 1) << 9) | ((4U - 1) << 16) |
		       ((2U - 1) << 24);
	RCC_PLLCFGR &= ~1U;			/* PLL1FRACEN */
	RCC_PLL1FRACR = 0;
	RCC_PLLCFGR = (RCC_PLLCFGR & ~(3U << 2)) | (2U << 2); /* PLL1RGE */
	RCC_PLLCFGR &= ~(1U << 1);		/* PLL1VCOSEL: wide */
	RCC_PLLCFGR |= 7U << 16;		/* DIVP1EN DIVQ1EN DIVR1EN */
	RCC_PLLCFGR |= 1U;			/* PLL1FRACEN */
	RCC_CR |= CR_PLL1ON;
	sysinit_step = 5;
	if (wait(&RCC_CR, CR_PLL1RDY, CR_PLL1RDY))
		return 5;
	/* HAL_RCC_ClockConfig: flash latency first (2 wait states,
	 * WRHIGHFREQ 2 for a 200 MHz AXI clock, RM0433 Table 17), read
	 * back; then D1PPRE, D2PPRE1/2, D3PPRE /2, HPRE /2, D1CPRE /1. */
	sysinit_step = 6;
	FLASH_ACR = (FLASH_ACR & ~0x3FU) | 0x22U;
	if ((FLASH_ACR & 0xFU) != 2)
		return 6;
	RCC_D1CFGR = (RCC_D1CFGR & ~(7U << 4)) | (4U << 4);
	RCC_D2CFGR = (RCC_D2CFGR & ~(7U << 4)) | (4U << 4);
	RCC_D2CFGR = (RCC_D2CFGR & ~(7U << 8)) | (4U << 8);
	RCC_D3CFGR = (RCC_D3CFGR & ~(7U << 4)) | (4U << 4);
	RCC_D1CFGR = (RCC_D1CFGR & ~0xFU) | 8U;
	RCC_D1CFGR &= ~(0xFU << 8);
	/* The system clock switch, then SWS. */
	sysinit_step = 7;
	RCC_CFGR = (RCC_CFGR & ~7U) | 3U;
	if (wait(&RCC_CFGR, 7U << 3, 3U << 3))
		return 7;
	/* HAL_RCC_OscConfig on a running PLL1 retunes only its fraction:
	 * PLL1FRACEN off, FRACN1, PLL1FRACEN on (RM0433 §8.7.12 allows
	 * PLL1FRACEN to change while PLL1 runs). */
	sysinit_step = 8;
	RCC_PLLCFGR &= ~1U;
	RCC_PLL1FRACR = 0;
	RCC_PLLCFGR |= 1U;
	if (!(RCC_PLLCFGR & 1U))
		return 8;
	sysinit_step = 9;
	sysinit_result[0] = RCC_CR;
	sysinit_result[1] = RCC_CFGR;
	sysinit_result[2] = PWR_CSR1;
	sysinit_result[3] = FMC_BCR1; /* FMC clock off: reads 0 */
	return 0;
}
