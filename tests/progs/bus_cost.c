/* What a load or store costs the core, measured with DWT CYCCNT: loops of
 * `ldr; subs; bne` (and `str; ldr; subs; bne`) over a target, run twice
 * with different counts so that the difference is the loop alone. Every
 * figure is CPU cycles per iteration, first at the reset clocks (64 MHz
 * HSI, every prescaler 1), then with the AHB clock halved (RCC_D1CFGR.HPRE
 * = /2) and APB2 halved again (RCC_D2CFGR.D2PPRE2 = /2), RM0433 §8.7.7-8.
 * The debugger reads `result` once the program has stopped. */
#include <stdint.h>

#include "common/dwt.h"

#define REG(a) (*(volatile uint32_t *)(a))
#define RCC_D1CFGR REG(0x58024418U)
#define RCC_D2CFGR REG(0x5802441CU)
#define RCC_AHB3ENR REG(0x580244D4U)
#define RCC_AHB4ENR REG(0x580244E0U)
#define RCC_APB2ENR REG(0x580244F0U)
#define RCC_APB4ENR REG(0x580244F4U)

#define QUADSPI_SR 0x52005008U
#define QUADSPI_FCR 0x5200500CU
#define GPIOA_IDR 0x58020010U
#define TIM16_CNT 0x40014424U
#define SYSCFG_PMCR 0x58000404U

#define N1 100U
#define N2 1100U

enum { T_DTCM, T_QSPI, T_GPIO, T_TIM16, T_SYSCFG, T_QSPI_WR, T_COUNT };

/* result[0] = 0xB05C0057 when done; then T_COUNT figures at the reset
 * clocks and T_COUNT with the slower buses. */
volatile uint32_t result[1 + 2 * T_COUNT];
static uint32_t dtcm_word;

static uint32_t loop_read(uint32_t addr, uint32_t n)
{
	register uint32_t cnt __asm__("r0") = n;
	register uint32_t a __asm__("r2") = addr;
	uint32_t t0, t1;

	t0 = DWT_CYCCNT;
	__asm__ volatile(".balign 4\n"
			 "1: ldr r1, [%1]\n\t"
			 "subs %0, %0, #1\n\t"
			 "bne 1b"
			 : "+r"(cnt)
			 : "r"(a)
			 : "r1", "cc", "memory");
	t1 = DWT_CYCCNT;
	return t1 - t0;
}

static uint32_t loop_write_read(uint32_t waddr, uint32_t raddr, uint32_t n)
{
	register uint32_t cnt __asm__("r0") = n;
	register uint32_t zero __asm__("r4") = 0;
	register uint32_t w __asm__("r2") = waddr;
	register uint32_t r __asm__("r3") = raddr;
	uint32_t t0, t1;

	t0 = DWT_CYCCNT;
	__asm__ volatile(".balign 4\n"
			 "1: str %3, [%1]\n\t"
			 "ldr r1, [%2]\n\t"
			 "subs %0, %0, #1\n\t"
			 "bne 1b"
			 : "+r"(cnt)
			 : "r"(w), "r"(r), "r"(zero)
			 : "r1", "cc", "memory");
	t1 = DWT_CYCCNT;
	return t1 - t0;
}

/* Rounded: the few instructions around each loop differ by a cycle or so
 * between the two calls, spread over N2 - N1 iterations. */
static uint32_t per_iteration(uint32_t a, uint32_t b)
{
	return (b - a + (N2 - N1) / 2) / (N2 - N1);
}

static uint32_t per_iteration_read(uint32_t addr)
{
	uint32_t a = loop_read(addr, N1), b = loop_read(addr, N2);

	return per_iteration(a, b);
}

static void measure(volatile uint32_t *out)
{
	uint32_t a, b;

	out[T_DTCM] = per_iteration_read((uint32_t)&dtcm_word);
	out[T_QSPI] = per_iteration_read(QUADSPI_SR);
	out[T_GPIO] = per_iteration_read(GPIOA_IDR);
	out[T_TIM16] = per_iteration_read(TIM16_CNT);
	out[T_SYSCFG] = per_iteration_read(SYSCFG_PMCR);
	/* FCR: writing 0 clears no flag. */
	a = loop_write_read(QUADSPI_FCR, QUADSPI_SR, N1);
	b = loop_write_read(QUADSPI_FCR, QUADSPI_SR, N2);
	out[T_QSPI_WR] = per_iteration(a, b);
}

int main(void)
{
	dwt_cycle_counter_on();
	RCC_AHB3ENR |= 1U << 14;	/* QSPIEN */
	RCC_AHB4ENR |= 1U << 0;		/* GPIOAEN */
	RCC_APB2ENR |= 1U << 18;	/* TIM16EN */
	RCC_APB4ENR |= 1U << 1;		/* SYSCFGEN */
	measure(&result[1]);
	RCC_D1CFGR = (RCC_D1CFGR & ~0xFU) | 0x8U;		/* HPRE /2 */
	RCC_D2CFGR = (RCC_D2CFGR & ~(7U << 8)) | (4U << 8);	/* PPRE2 /2 */
	measure(&result[1 + T_COUNT]);
	result[0] = 0xB05C0057U;
	return 0;
}
