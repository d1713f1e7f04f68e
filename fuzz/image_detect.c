/* The whole of psramctl flash's image reading from bytes: format
 * detection against a file name, the parser it picks and image_finish
 * (cli/image/image.c). The first byte picks the name the file would
 * have. */
#include "fuzz.h"

#include "image/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"fw.bin", "fw.hex", "fw.elf",
					    "fw.dfu", "fw", NULL};
	struct image img;
	struct strbuf why;

	if (!size)
		return 0;
	image_init(&img);
	sb_init(&why);
	image_parse(&img, data + 1, size - 1, names[data[0] % 6], 0x08000000u,
		    &why);
	sb_release(&why);
	image_free(&img);
	return 0;
}
