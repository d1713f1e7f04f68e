/* The CRC-32 that proves a stub image arrived intact: the host computes it
 * over the image it loads, the stub over the bytes it finds in RAM before
 * it runs any of them (runtime/load_check.c), and the two must agree. One
 * function both compile, so that they cannot disagree. Header-only and
 * freestanding.
 *
 * CRC-32 as in IEEE 802.3 and zlib (polynomial 0x04C11DB7, bit-reflected
 * as 0xEDB88320; initial value and final XOR 0xFFFFFFFF; check value
 * 0xCBF43926 for the nine bytes "123456789"). It detects every error
 * burst up to 32 bits long, so any corrupted byte, word or 32-bit beat of
 * a debug-link transfer. Four bits at a time from a 16-entry table built
 * on the stack (the stub computes it from code that the host reads back
 * itself, below STUB_BOOT_END, which must stay small and reach no
 * constant data elsewhere in the image). */
#ifndef IMAGE_CRC_H
#define IMAGE_CRC_H

#include <stdint.h>

#define IMAGE_CRC_INIT 0xFFFFFFFFU
#define IMAGE_CRC_POLY 0xEDB88320U	/* 0x04C11DB7 bit-reflected */

/* Continues crc over n bytes at p; start with IMAGE_CRC_INIT and finish
 * with image_crc_final. */
static inline __attribute__((always_inline)) uint32_t
image_crc_update(uint32_t crc, const volatile uint8_t *p, uint32_t n)
{
	uint32_t table[16];

	/* table[i]: the register after shifting out the nibble i. */
	for (uint32_t i = 0; i < 16U; i++) {
		uint32_t c = i;

		for (uint32_t k = 0; k < 4U; k++)
			c = (c >> 1) ^ (IMAGE_CRC_POLY & (0U - (c & 1U)));
		table[i] = c;
	}
	for (uint32_t i = 0; i < n; i++) {
		crc ^= p[i];
		crc = (crc >> 4) ^ table[crc & 15U];
		crc = (crc >> 4) ^ table[crc & 15U];
	}
	return crc;
}

static inline uint32_t image_crc_final(uint32_t crc)
{
	return crc ^ 0xFFFFFFFFU;
}

#endif
