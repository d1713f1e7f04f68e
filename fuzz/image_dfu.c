/* The DFU parser of psramctl flash (cli/image/image_dfu.c) on
 * arbitrary bytes, then image_finish (sorting, joining, the overlap
 * check) on whatever it accepted. */
#include "fuzz.h"

#include "image/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct image img;
	struct strbuf why;

	image_init(&img);
	sb_init(&why);
	if (!image_parse_dfu(&img, data, size, &why))
		image_finish(&img, &why);
	sb_release(&why);
	image_free(&img);
	return 0;
}
