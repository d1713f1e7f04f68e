/* Benchmark for psramsim's core: three instructions per iteration, one of
 * them a load from a peripheral register (GPIOA_IDR), so every iteration
 * leaves translated code for a peripheral model. */
#include <stdint.h>

volatile uint32_t iterations = 10000000U;

int main(void)
{
	register uint32_t n __asm__("r0") = iterations;
	register uint32_t idr __asm__("r2") = 0x58020010U;

	*(volatile uint32_t *)0x580244E0U |= 1U; /* RCC_AHB4ENR.GPIOAEN */
	__asm__ volatile("1: ldr r1, [%1]\n\t"
			 "subs %0, %0, #1\n\t"
			 "bne 1b"
			 : "+r"(n)
			 : "r"(idr)
			 : "r1");
	return 0;
}
