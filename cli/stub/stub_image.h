/* The stub images psramctl loads: those built into it (stub.bin with
 * everything, stub-eid_quadspi.bin and stub-eid_octospi.bin with what eid
 * and info run on each transport; build/gen/) or,
 * for development, a stub.bin given with --stub FILE. Each is checked
 * against the ABI header before anything touches the board: magic, ABI
 * version and every fixed address. */
#ifndef CLI_STUB_IMAGE_H
#define CLI_STUB_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "stub_abi.h"
#include "stub/stub_symbols.h"

/* Bit n of stub_image.commands: command n (enum stub_command) is in it;
 * of stub_image.xspi: it has the driver for enum stub_xspi n. */
#define STUB_COMMAND_BIT(c) (1U << (c))
#define STUB_XSPI_BIT(x) (1U << (x))
/* The built-in images with part of the stub (target-stubs/images/). */
#define STUB_PART_IMAGES 2

struct stub_image {
	const uint8_t *data;
	size_t size;
	char *origin;                  /* "built-in", "built-in eid (QUADSPI)",
					* or the file name */
	uint8_t *owned;                /* file contents, freed with it */
	struct stub_image_header header; /* as read from the image */
	uint32_t crc;                  /* CRC-32 of data (image_crc.h) */
	uint32_t commands;             /* STUB_COMMAND_BIT of each it runs */
	uint32_t xspi;                 /* STUB_XSPI_BIT of each driver */
	/* Its functions, to name where it stopped (a --stub FILE gets the
	 * built-in stub.bin's: it is a patched or rebuilt copy of it). */
	const struct stub_symbol *symbols;
	unsigned int nsymbols;
};

/* Loads file (NULL: the built-in image with every command) and checks
 * it. Errors are printed: PSR_ERR_STUB_IMAGE for a file that cannot be
 * read or is not a stub (exit 2), PSR_ERR_STUB_ABI for a stub of another
 * ABI version. */
int stub_image_load(struct stub_image **out, const char *file);
/* Built-in image n (0 <= n < STUB_PART_IMAGES) with part of the stub:
 * stub-eid_quadspi.bin and stub-eid_octospi.bin, ping and eid with one
 * transport each, a half of the full image's bytes on the debug link. */
int stub_image_load_part(struct stub_image **out, int n);
/* Checks an image already in memory (what stub_image_load does after
 * reading); origin names it in messages. */
int stub_image_check(const uint8_t *data, size_t size, const char *origin,
		     struct stub_image_header *header);
void stub_image_free(struct stub_image *img);

#endif
