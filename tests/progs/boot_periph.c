/* What board start-up code does after the clock tree, written from
 * RM0433: PLL3 set up while PLL1 runs (its DIVM3 field is writable, DIVM1
 * is not: §8.7.11), a USART's interrupt enables changed while it is
 * enabled (CR3.EIE may change, CR3.OVRDIS may not: §48.8.3), the RNG
 * (§34: a word from a 48 MHz kernel clock, DRDY falling after the four
 * words of the output buffer, the clock error with a 32 kHz kernel clock)
 * and the RTC in the backup domain (§46: PWR_CR1.DBP, the RTC_WPR key,
 * initialisation mode, a calendar that runs over a year's end, backup
 * registers). Returns 0 when every step behaved as the manual says, else
 * the number of the first that did not. */
#include <stdint.h>

#include "common/poll.h"

#define REG(a) (*(volatile uint32_t *)(a))

#define RCC 0x58024400U
#define RCC_CR REG(RCC + 0x000)
#define RCC_PLLCKSELR REG(RCC + 0x028)
#define RCC_PLLCFGR REG(RCC + 0x02C)
#define RCC_PLL1DIVR REG(RCC + 0x030)
#define RCC_PLL3DIVR REG(RCC + 0x040)
#define RCC_D2CCIP2R REG(RCC + 0x054)
#define RCC_BDCR REG(RCC + 0x070)
#define RCC_AHB2ENR REG(RCC + 0x0DC)
#define RCC_APB1LENR REG(RCC + 0x0E8)
#define RCC_APB4ENR REG(RCC + 0x0F4)
#define RCC_CSR REG(RCC + 0x074)
#define PWR_CR1 REG(0x58024800U)
#define USART3 0x40004800U
#define USART3_CR1 REG(USART3 + 0x00)
#define USART3_CR3 REG(USART3 + 0x08)
#define USART3_BRR REG(USART3 + 0x0C)
#define RNG 0x48021800U
#define RNG_CR REG(RNG + 0x0)
#define RNG_SR REG(RNG + 0x4)
#define RNG_DR REG(RNG + 0x8)
#define RTC 0x58004000U
#define RTC_TR REG(RTC + 0x00)
#define RTC_DR REG(RTC + 0x04)
#define RTC_ISR REG(RTC + 0x0C)
#define RTC_PRER REG(RTC + 0x10)
#define RTC_WPR REG(RTC + 0x24)
#define RTC_BKP0R REG(RTC + 0x50)

#define CR_HSI48ON (1U << 12)
#define CR_HSI48RDY (1U << 13)
#define CR_PLL1ON (1U << 24)
#define CR_PLL1RDY (1U << 25)
#define CR_PLL3ON (1U << 28)
#define CR_PLL3RDY (1U << 29)

/* What the e2e test reads back: the random words and the calendar. */
volatile uint32_t boot_step;
volatile uint32_t boot_rng[5];
volatile uint32_t boot_rtc[2];

/* PLL1 runs from HSI (64 MHz / 4 = 16 MHz, range 8-16 MHz, VCO 480 MHz)
 * while PLL3 is set up from the same source: DIVM3 changes, an attempt at
 * DIVM1 is ignored. The core stays on HSI. */
static int plls(void)
{
	RCC_PLLCKSELR = (4U << 4) | (32U << 12) | (32U << 20); /* PLLSRC HSI */
	RCC_PLLCFGR = (RCC_PLLCFGR & ~0xFFFU) | (3U << 2) | (3U << 10);
	RCC_PLL1DIVR = (30U - 1) | (1U << 9) | (1U << 16) | (1U << 24);
	RCC_CR |= CR_PLL1ON;
	if (wait(&RCC_CR, CR_PLL1RDY, CR_PLL1RDY))
		return -1;
	/* DIVM3 = 4 and (wrongly) DIVM1 = 8 in one write. */
	RCC_PLLCKSELR = (8U << 4) | (32U << 12) | (4U << 20);
	if (((RCC_PLLCKSELR >> 4) & 0x3FU) != 4U ||
	    ((RCC_PLLCKSELR >> 20) & 0x3FU) != 4U)
		return -1;
	RCC_PLL3DIVR = (30U - 1) | (1U << 9) | (1U << 16) | (1U << 24);
	RCC_CR |= CR_PLL3ON;
	return wait(&RCC_CR, CR_PLL3RDY, CR_PLL3RDY);
}

/* USART3 enabled at 115200 baud from the 64 MHz APB clock. */
static int usart(void)
{
	RCC_APB1LENR |= 1U << 18;
	(void)RCC_APB1LENR;
	USART3_BRR = 556;
	USART3_CR1 = (1U << 0) | (1U << 3); /* UE TE */
	USART3_CR3 |= 1U << 0;		    /* EIE: may change */
	USART3_CR3 |= 1U << 12;		    /* OVRDIS: only with UE 0 */
	return USART3_CR3 == 1U ? 0 : -1;
}

static int rng(void)
{
	RCC_CR |= CR_HSI48ON;
	if (wait(&RCC_CR, CR_HSI48RDY, CR_HSI48RDY))
		return -1;
	RCC_D2CCIP2R &= ~(3U << 8); /* RNGSEL: hsi48_ck */
	RCC_AHB2ENR |= 1U << 6;
	(void)RCC_AHB2ENR;
	if (RNG_SR & 1U)
		return -1; /* nothing before RNGEN */
	RNG_CR = 1U << 2;
	if (wait(&RNG_SR, 0x67U, 1U))
		return -1;
	for (unsigned i = 0; i < 4; i++)
		boot_rng[i] = RNG_DR;
	if (RNG_SR & 1U)
		return -1; /* the four-word buffer is empty */
	if (wait(&RNG_SR, 1U, 1U))
		return -1;
	boot_rng[4] = RNG_DR;
	/* A 32 kHz kernel clock is below rcc_hclk / 16: clock error. */
	RCC_CSR |= 1U; /* LSION, then LSIRDY after tsu(LSI) */
	if (wait(&RCC_CSR, 2U, 2U))
		return -1;
	RNG_CR = 0;
	RCC_D2CCIP2R |= 3U << 8; /* RNGSEL: lsi_ck */
	RNG_CR = 1U << 2;
	if (wait(&RNG_SR, 0x22U, 0x22U))
		return -1;
	RNG_SR = 0; /* CEIS is cleared by writing 0 */
	RNG_CR = 0;
	return 0;
}

static int rtc(void)
{
	RCC_APB4ENR |= 1U << 16; /* RTCAPBEN */
	(void)RCC_APB4ENR;
	RTC_BKP0R = 0x1234U; /* backup domain write-protected: lost */
	if (RTC_BKP0R != 0)
		return -1;
	PWR_CR1 |= 1U << 8; /* DBP */
	RCC_BDCR |= 1U; /* LSEON */
	if (wait(&RCC_BDCR, 2U, 2U))
		return -1;
	RCC_BDCR |= (1U << 8) | (1U << 15); /* RTCSEL LSE, RTCEN */
	RTC_BKP0R = 0xB00751A7U;
	/* Registers locked until the key: INIT is not taken. */
	RTC_ISR = 1U << 7;
	if (RTC_ISR & (1U << 7))
		return -1;
	RTC_WPR = 0xCA;
	RTC_WPR = 0x53;
	RTC_ISR = 1U << 7;
	if (wait(&RTC_ISR, 1U << 6, 1U << 6))
		return -1;
	/* One second per LSE period, so that time passes quickly. */
	RTC_PRER = 0;
	RTC_PRER = 0;
	RTC_TR = 0x00235958U;			/* 23:59:58 */
	RTC_DR = 0x00158000U | (0x12U << 8) | 0x31U; /* Thu 2015-12-31 */
	RTC_ISR = 0;
	RTC_WPR = 0xFF;
	if (wait(&RTC_ISR, 1U << 5, 1U << 5))
		return -1;
	/* Three seconds later it is Friday 2016-01-01 00:00:01. */
	if (wait(&RTC_TR, 0x7FFFFFU, 0x000001U))
		return -1;
	boot_rtc[0] = RTC_TR;
	boot_rtc[1] = RTC_DR;
	return 0;
}

int main(void)
{
	boot_step = 1;
	if (plls())
		return 1;
	boot_step = 2;
	if (usart())
		return 2;
	boot_step = 3;
	if (rng())
		return 3;
	boot_step = 4;
	if (rtc())
		return 4;
	return 0;
}
