/* Benchmark for psramsim's core: a tight loop of exactly two instructions
 * per iteration (subs, bne), `iterations` times. */
#include <stdint.h>

volatile uint32_t iterations = 100000000U;

int main(void)
{
	register uint32_t n __asm__("r0") = iterations;

	__asm__ volatile("1: subs %0, %0, #1\n\t"
			 "bne 1b"
			 : "+r"(n));
	return 0;
}
