/* Runs on the simulated core: exercises the instruction set and the memory
 * widths, and leaves results where the end-to-end test reads them through
 * OpenOCD. The expected values are independent of psramsim (CRC-32 check
 * value from the standard, arithmetic identities). */
#include <stdint.h>

volatile uint32_t results[16];
volatile uint32_t progress;

static uint32_t crc32(const uint8_t *p, uint32_t n)
{
	uint32_t crc = 0xFFFFFFFFU;

	while (n--) {
		crc ^= *p++;
		for (int i = 0; i < 8; i++)
			crc = (crc >> 1) ^ (0xEDB88320U & -(crc & 1U));
	}
	return ~crc;
}

static uint32_t fib(uint32_t n)
{
	uint32_t a = 0, b = 1;

	while (n--) {
		uint32_t t = a + b;

		a = b;
		b = t;
	}
	return a;
}

int main(void)
{
	static const uint8_t check[] = "123456789";
	static volatile uint8_t bytes[8];
	volatile uint32_t divisor = 7;
	volatile int32_t sdivisor = -3;
	volatile uint64_t big = 0x123456789ULL;
	volatile uint32_t *dwt_ctrl = (volatile uint32_t *)0xE0001000U;
	volatile uint32_t *dwt_cyccnt = (volatile uint32_t *)0xE0001004U;
	volatile uint32_t *dwt_lar = (volatile uint32_t *)0xE0001FB0U;
	volatile uint32_t *demcr = (volatile uint32_t *)0xE000EDFCU;
	uint32_t start;

	results[0] = crc32(check, 9);			/* 0xCBF43926 */
	results[1] = fib(40);				/* 102334155 */
	results[2] = 1000000U / divisor;		/* 142857 */
	results[3] = (uint32_t)(-100 / sdivisor);	/* 33 */
	results[4] = (uint32_t)((big * 3) >> 4);	/* 0x369D0369 */
	results[5] = __builtin_clz(0x00010000U);	/* 15 */
	results[6] = __builtin_bswap32(0x11223344U);	/* 0x44332211 */

	for (int i = 0; i < 8; i++)
		bytes[i] = (uint8_t)(0xA0 + i);
	results[7] = *(volatile uint32_t *)&bytes[0];	/* 0xA3A2A1A0 */
	results[8] = *(volatile uint16_t *)&bytes[6];	/* 0xA7A6 */

	/* DWT cycle counter: unlock, enable, count a loop. */
	*demcr |= 1U << 24;
	*dwt_lar = 0xC5ACCE55U;
	*dwt_cyccnt = 0;
	*dwt_ctrl |= 1U;
	start = *dwt_cyccnt;
	for (volatile int i = 0; i < 1000; i++)
		progress = (uint32_t)i;
	results[9] = *dwt_cyccnt - start;		/* > 1000 */
	results[10] = 0x600DC0DEU;
	return 42;
}
