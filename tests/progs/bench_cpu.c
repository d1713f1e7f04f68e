/* Benchmark for psramsim's core on ordinary compiled code: each of
 * `iterations` passes copies a 4 KiB buffer, runs a bitwise CRC-32 over
 * it (IEEE 802.3 polynomial, reflected) and insertion-sorts 64 words of
 * it, all in DTCM: loads, stores, shifts, compares, calls and branches of
 * every kind, no peripheral access. The result goes back in `result` so
 * that nothing is optimised away. */
#include <stdint.h>

#define WORDS 1024U
#define SORTED 64U

volatile uint32_t iterations = 20U;
volatile uint32_t result;

static uint32_t src[WORDS], dst[WORDS];

static __attribute__((noinline)) void copy(uint32_t *to, const uint32_t *from,
					   uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		to[i] = from[i];
}

static __attribute__((noinline)) uint32_t crc32(const uint8_t *p, uint32_t n,
						uint32_t crc)
{
	crc = ~crc;
	for (uint32_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (unsigned b = 0; b < 8; b++)
			crc = (crc >> 1) ^ (0xEDB88320U & -(crc & 1U));
	}
	return ~crc;
}

static __attribute__((noinline)) void sort(uint32_t *v, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		uint32_t x = v[i], j = i;

		while (j > 0 && v[j - 1] > x) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

int main(void)
{
	uint32_t n = iterations, crc = 0, seed = 1;

	for (uint32_t i = 0; i < WORDS; i++) {
		seed = seed * 1664525U + 1013904223U;
		src[i] = seed;
	}
	while (n--) {
		copy(dst, src, WORDS);
		crc = crc32((const uint8_t *)dst, sizeof(dst), crc);
		sort(dst, SORTED);
		src[crc % WORDS] ^= dst[0];
	}
	result = crc;
	return 0;
}
