/* A raw binary: the whole file is one segment at the address the user
 * gives (--address), the start of internal flash by default. */
#include "image/image.h"

int image_parse_bin(struct image *img, const uint8_t *data, size_t len,
		    uint32_t addr, struct strbuf *why)
{
	if (!len) {
		sb_adds(why, "the file is empty");
		return -1;
	}
	if ((uint64_t)addr + len > 0x100000000ull) {
		sb_addf(why, "%zu bytes at 0x%08x run past the end of the "
			     "32-bit address space",
			len, (unsigned)addr);
		return -1;
	}
	image_add(img, addr, data, (uint32_t)len);
	return 0;
}
