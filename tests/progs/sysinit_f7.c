/* Runs on a simulated STM32F7 what its firmware runs before main, written
 * from RM0385: the reset flags read and cleared (RCC_CSR, RMVF), CMSIS
 * SystemInit's clean-up of the RCC, then the HAL's order for a 216 MHz
 * system clock from the 25 MHz crystal: PWR clock, voltage scale 1, HSE on
 * (wait HSERDY), PLL off, configured, on; over-drive (ODEN, wait ODRDY,
 * ODSWEN, wait ODSWRDY) while the PLL locks on HSI; wait PLLRDY; flash
 * wait states raised and read back; bus prescalers; the system clock
 * switch (wait SWS). Then the low-speed clocks: LSI (wait LSIRDY) and,
 * with the backup domain unlocked (PWR_CR1.DBP), the LSE crystal (wait
 * LSERDY, 2 s of start-up spent in a loop that only polls). Returns 0
 * when every step completed, else the number of the step that failed. */
#include <stdint.h>

#include "common/poll.h"

#define REG(a) (*(volatile uint32_t *)(a))

#define RCC 0x40023800U
#define RCC_CR REG(RCC + 0x00)
#define RCC_PLLCFGR REG(RCC + 0x04)
#define RCC_CFGR REG(RCC + 0x08)
#define RCC_CIR REG(RCC + 0x0C)
#define RCC_APB1ENR REG(RCC + 0x40)
#define RCC_BDCR REG(RCC + 0x70)
#define RCC_CSR REG(RCC + 0x74)
#define PWR_CR1 REG(0x40007000U)
#define PWR_CSR1 REG(0x40007004U)
#define FLASH_ACR REG(0x40023C00U)

#define CR_HSION (1U << 0)
#define CR_HSEON (1U << 16)
#define CR_HSERDY (1U << 17)
#define CR_PLLON (1U << 24)
#define CR_PLLRDY (1U << 25)
#define CR1_DBP (1U << 8)
#define CR1_ODEN (1U << 16)
#define CR1_ODSWEN (1U << 17)
#define CSR1_ODRDY (1U << 16)
#define CSR1_ODSWRDY (1U << 17)
#define CSR_LSION (1U << 0)
#define CSR_LSIRDY (1U << 1)
#define CSR_RMVF (1U << 24)
#define BDCR_LSEON (1U << 0)
#define BDCR_LSERDY (1U << 1)

/* What the e2e test reads back: the reset flags at entry, RCC_CR right
 * after HSEON, and at the end RCC_CR, RCC_CFGR, PWR_CSR1, RCC_BDCR and
 * RCC_CSR. */
volatile uint32_t f7_step;
volatile uint32_t f7_result[7];

/* CMSIS SystemInit (cmsis_device_f7 system_stm32f7xx.c) puts the RCC back
 * to its reset configuration: HSI on, SW = HSI, HSE, CSS and PLL off,
 * PLLCFGR reset value, HSEBYP off, no RCC interrupt. */
static void system_init(void)
{
	RCC_CR |= CR_HSION;
	RCC_CFGR = 0;
	RCC_CR &= 0xFEF6FFFFU;
	RCC_PLLCFGR = 0x24003010U;
	RCC_CR &= 0xFFFBFFFFU;
	RCC_CIR = 0;
}

/* The LSE start-up: a loop that only reads RCC_BDCR, as the idle-loop
 * detection of the simulated core skips (docs/psramsim-cpu.md). */
__attribute__((noinline)) static void wait_lse(void)
{
	while (!(RCC_BDCR & BDCR_LSERDY))
		;
}

int main(void)
{
	f7_step = 1;
	f7_result[0] = RCC_CSR;
	RCC_CSR |= CSR_RMVF;
	if (RCC_CSR & 0xFE000000U)
		return 1;
	system_init();

	/* PWR clock (read back, as __HAL_RCC_PWR_CLK_ENABLE does), then
	 * voltage scale 1 with the PLL off. */
	f7_step = 2;
	RCC_APB1ENR |= 1U << 28;
	(void)RCC_APB1ENR;
	PWR_CR1 = (PWR_CR1 & ~(3U << 14)) | (3U << 14);
	if ((PWR_CR1 & (3U << 14)) != (3U << 14))
		return 2;

	/* HSE on; its crystal needs time before HSERDY. */
	f7_step = 3;
	RCC_CR |= CR_HSEON;
	f7_result[1] = RCC_CR;
	if (wait(&RCC_CR, CR_HSERDY, CR_HSERDY))
		return 3;

	/* PLL off, then M 25, N 432, P /2, Q 9 from HSE, on. */
	f7_step = 4;
	RCC_CR &= ~CR_PLLON;
	if (wait(&RCC_CR, CR_PLLRDY, 0))
		return 4;
	RCC_PLLCFGR = 0x20000000U | 9U << 24 | 1U << 22 | 0U << 16 |
		      432U << 6 | 25U;
	RCC_CR |= CR_PLLON;

	/* HAL_PWREx_EnableOverDrive, still on HSI. */
	f7_step = 5;
	PWR_CR1 |= CR1_ODEN;
	if (wait(&PWR_CSR1, CSR1_ODRDY, CSR1_ODRDY))
		return 5;
	PWR_CR1 |= CR1_ODSWEN;
	if (wait(&PWR_CSR1, CSR1_ODSWRDY, CSR1_ODSWRDY))
		return 5;

	f7_step = 6;
	if (wait(&RCC_CR, CR_PLLRDY, CR_PLLRDY))
		return 6;

	/* HAL_RCC_ClockConfig: 7 wait states (RM0385 Table 5) read back,
	 * APB1 /4 and APB2 /2, AHB /1, then SW = PLL and SWS. */
	f7_step = 7;
	FLASH_ACR = (FLASH_ACR & ~0xFU) | 7U;
	if ((FLASH_ACR & 0xFU) != 7U)
		return 7;
	RCC_CFGR = (RCC_CFGR & ~(7U << 10)) | (5U << 10);
	RCC_CFGR = (RCC_CFGR & ~(7U << 13)) | (4U << 13);
	RCC_CFGR &= ~(0xFU << 4);
	RCC_CFGR = (RCC_CFGR & ~3U) | 2U;
	f7_step = 8;
	if (wait(&RCC_CFGR, 3U << 2, 2U << 2))
		return 8;

	/* LSI. */
	f7_step = 9;
	RCC_CSR |= CSR_LSION;
	if (wait(&RCC_CSR, CSR_LSIRDY, CSR_LSIRDY))
		return 9;

	/* LSE: the backup domain takes writes once DBP is set. */
	f7_step = 10;
	PWR_CR1 |= CR1_DBP;
	if (!(RCC_BDCR & BDCR_LSEON)) {
		RCC_BDCR |= BDCR_LSEON;
		if (!(RCC_BDCR & BDCR_LSEON))
			return 10;
	}
	wait_lse();

	f7_step = 11;
	f7_result[2] = RCC_CR;
	f7_result[3] = RCC_CFGR;
	f7_result[4] = PWR_CSR1;
	f7_result[5] = RCC_BDCR;
	f7_result[6] = RCC_CSR;
	return 0;
}
