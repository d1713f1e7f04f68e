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
 * a debug-link transfer. A byte at a time from a 256-entry table built
 * on the stack (the stub computes it from code that the host reads back
 * itself, below STUB_BOOT_END, which must stay small and reach no
 * constant data elsewhere in the image): the table costs a few hundred
 * instructions and no image bytes, and the loop takes about 4
 * instructions a byte on the target, where a 16-entry table took 14. */
#ifndef IMAGE_CRC_H
#define IMAGE_CRC_H

#include <stdint.h>

#define IMAGE_CRC_INIT 0xFFFFFFFFU
#define IMAGE_CRC_POLY 0xEDB88320U	/* 0x04C11DB7 bit-reflected */

/* One step of the bitwise division: the register after one bit. */
static inline __attribute__((always_inline)) uint32_t
image_crc_bit(uint32_t c)
{
	return (c >> 1) ^ (IMAGE_CRC_POLY & (0U - (c & 1U)));
}

/* Continues crc over n bytes at p; start with IMAGE_CRC_INIT and finish
 * with image_crc_final. */
static inline __attribute__((always_inline)) uint32_t
image_crc_update(uint32_t crc, const uint8_t *p, uint32_t n)
{
	uint32_t table[256];
	uint32_t c = IMAGE_CRC_POLY, i = 0;

	/* table[b]: the register after shifting out the byte b. The CRC is
	 * linear, table[a ^ b] = table[a] ^ table[b]: each one-bit entry is
	 * the next larger one a step further (table[0x80] = POLY), and every
	 * other entry the sum of its bits. */
	table[0] = 0U;
	for (uint32_t bit = 0x80U; bit != 0U; bit >>= 1) {
		for (uint32_t j = 0; j < 256U; j += 2U * bit)
			table[bit + j] = c ^ table[j];
		c = image_crc_bit(c);
	}
	/* Four bytes a step, the first in the low bits (the reflected CRC
	 * takes each byte low bit first): one word load where that is the
	 * memory order (the target), assembled from bytes elsewhere. */
	for (; n - i >= 4U; i += 4U) {
		uint32_t w;

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		__builtin_memcpy(&w, p + i, 4U);
#else
		w = (uint32_t)p[i] | (uint32_t)p[i + 1U] << 8 |
		    (uint32_t)p[i + 2U] << 16 | (uint32_t)p[i + 3U] << 24;
#endif
		crc ^= w;
		crc = (crc >> 8) ^ table[crc & 0xFFU];
		crc = (crc >> 8) ^ table[crc & 0xFFU];
		crc = (crc >> 8) ^ table[crc & 0xFFU];
		crc = (crc >> 8) ^ table[crc & 0xFFU];
	}
	for (; i < n; i++) {
		crc ^= p[i];
		crc = (crc >> 8) ^ table[crc & 0xFFU];
	}
	return crc;
}

static inline uint32_t image_crc_final(uint32_t crc)
{
	return crc ^ 0xFFFFFFFFU;
}

#endif
