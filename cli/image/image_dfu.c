/* DfuSe files (ST UM0391 "DfuSe File Format"; the DFU 1.1 suffix of the
 * USB DFU specification, appendix B), as MicroPython's tools/dfu.py and
 * dfu-util write them:
 *   prefix   "DfuSe", bVersion 1, DFUImageSize (file minus the suffix),
 *            bTargets
 *   targets  "Target", bAlternateSetting, bTargetNamed, szTargetName[255],
 *            dwTargetSize (its elements), dwNbElements, then elements of
 *            dwElementAddress, dwElementSize and the data
 *   suffix   bcdDevice, idProduct, idVendor, bcdDFU (0x011A for DfuSe),
 *            "UFD", bLength (16), dwCRC
 * All little-endian. dwCRC is the CRC-32 (polynomial 0x04C11DB7,
 * reflected) of everything before it, without the final inversion. Every
 * size must add up exactly; any slack is damage. */
#include "image/image.h"

#include <string.h>

#define PREFIX_SIZE 11
#define TARGET_SIZE 274
#define ELEMENT_SIZE 8
#define SUFFIX_SIZE 16
#define BCD_DFUSE 0x011Au

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint32_t dfu_crc(const uint8_t *p, size_t len)
{
	uint32_t crc = 0xFFFFFFFFu;

	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
	}
	return crc;
}

static int check_suffix(const uint8_t *d, size_t len, struct strbuf *why)
{
	const uint8_t *s = d + len - SUFFIX_SIZE;
	uint32_t want = le32(s + 12), got;

	if (memcmp(s + 8, "UFD", 3) || s[11] != SUFFIX_SIZE) {
		sb_adds(why, "no DFU suffix at the end (\"UFD\", length 16): "
			     "truncated or damaged");
		return -1;
	}
	if ((unsigned)(s[6] | s[7] << 8) != BCD_DFUSE) {
		sb_addf(why, "the suffix says DFU version 0x%04x, not DfuSe "
			     "(0x011a)",
			(unsigned)(s[6] | s[7] << 8));
		return -1;
	}
	got = dfu_crc(d, len - 4);
	if (got != want) {
		sb_addf(why, "bad CRC: the suffix holds 0x%08x, the file "
			     "gives 0x%08x (damaged)",
			(unsigned)want, (unsigned)got);
		return -1;
	}
	return 0;
}

static int parse_target(struct image *img, const uint8_t *d, size_t end,
			size_t *pos, unsigned t, struct strbuf *why)
{
	const uint8_t *tp = d + *pos;
	uint32_t size, count;
	size_t p, stop;

	if (end - *pos < TARGET_SIZE || memcmp(tp, "Target", 6)) {
		sb_addf(why, "target %u: no \"Target\" prefix at byte %zu", t,
			*pos);
		return -1;
	}
	size = le32(tp + 266);
	count = le32(tp + 270);
	p = *pos + TARGET_SIZE;
	if (size > end - p) {
		sb_addf(why, "target %u: %u bytes of elements, only %zu left "
			     "before the suffix",
			t, (unsigned)size, end - p);
		return -1;
	}
	stop = p + size;
	for (uint32_t e = 0; e < count; e++) {
		uint32_t addr, esize;

		if (stop - p < ELEMENT_SIZE) {
			sb_addf(why, "target %u: element %u of %u runs past "
				     "the target's size",
				t, (unsigned)e, (unsigned)count);
			return -1;
		}
		addr = le32(d + p);
		esize = le32(d + p + 4);
		p += ELEMENT_SIZE;
		if (esize > stop - p) {
			sb_addf(why, "target %u: element %u (0x%08x, %u bytes) "
				     "runs past the target's size",
				t, (unsigned)e, (unsigned)addr,
				(unsigned)esize);
			return -1;
		}
		image_add(img, addr, d + p, esize);
		p += esize;
	}
	if (p != stop) {
		sb_addf(why, "target %u: its size says %u bytes, its %u "
			     "elements take %zu",
			t, (unsigned)size, (unsigned)count,
			p - (*pos + TARGET_SIZE));
		return -1;
	}
	*pos = p;
	return 0;
}

int image_parse_dfu(struct image *img, const uint8_t *d, size_t len,
		    struct strbuf *why)
{
	size_t end, pos = PREFIX_SIZE;
	unsigned targets;

	if (len < PREFIX_SIZE + SUFFIX_SIZE || memcmp(d, "DfuSe", 5)) {
		sb_addf(why, "truncated: %zu bytes, less than a DfuSe prefix "
			     "and suffix",
			len);
		return -1;
	}
	if (check_suffix(d, len, why))
		return -1;
	if (d[5] != 1) {
		sb_addf(why, "DfuSe version %u, only 1 exists", d[5]);
		return -1;
	}
	end = len - SUFFIX_SIZE;
	if (le32(d + 6) != end) {
		sb_addf(why, "the prefix says %u bytes before the suffix, the "
			     "file has %zu",
			(unsigned)le32(d + 6), end);
		return -1;
	}
	targets = d[10];
	for (unsigned t = 0; t < targets; t++)
		if (parse_target(img, d, end, &pos, t, why))
			return -1;
	if (pos != end) {
		sb_addf(why, "%zu bytes after the last target", end - pos);
		return -1;
	}
	return 0;
}
