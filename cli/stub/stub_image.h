/* The stub image psramctl loads: the one built into it (stub_image[] from
 * build/gen/stub_image.c) or, for development, a stub.bin given with
 * --stub FILE. Either is checked against the ABI header before anything
 * touches the board: magic, ABI version and every fixed address. */
#ifndef CLI_STUB_IMAGE_H
#define CLI_STUB_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "stub_abi.h"

struct stub_image {
	const uint8_t *data;
	size_t size;
	char *origin;                  /* "built-in", or the file name */
	uint8_t *owned;                /* file contents, freed with it */
	struct stub_image_header header; /* as read from the image */
};

/* Loads file (NULL: the built-in image) and checks it. Errors are
 * printed: PSR_ERR_STUB_IMAGE for a file that cannot be read or is not a
 * stub (exit 2), PSR_ERR_STUB_ABI for a stub of another ABI version. */
int stub_image_load(struct stub_image **out, const char *file);
/* Checks an image already in memory (what stub_image_load does after
 * reading); origin names it in messages. */
int stub_image_check(const uint8_t *data, size_t size, const char *origin,
		     struct stub_image_header *header);
void stub_image_free(struct stub_image *img);

#endif
