/* Firmware images for `psramctl flash`: ELF (its loadable segments),
 * Intel HEX, DfuSe (.dfu, as MicroPython's make writes firmware.dfu) and
 * raw binary, read into memory as a sorted list of segments. The format
 * comes from the content; a name that promises another format is refused
 * rather than guessed around. Every parser is strict: a truncated file, a
 * bad record checksum or DFU CRC, overlapping data or an image with no
 * bytes is an error, with one line saying what and where, and nothing is
 * returned. */
#ifndef CLI_IMAGE_H
#define CLI_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

/* Larger files are no firmware for these MCUs (2 MiB of flash at most; an
 * Intel HEX file of it is under 6 MiB). */
#define IMAGE_MAX_FILE (64u * 1024 * 1024)

enum image_format {
	IMAGE_BIN,
	IMAGE_IHEX,
	IMAGE_ELF,
	IMAGE_DFU,
};

struct image_segment {
	uint32_t addr;
	uint32_t size;
	uint8_t *data;
};

struct image {
	enum image_format format;
	struct image_segment *seg;	/* by address once finished */
	size_t nseg;
	size_t alloc;
	uint64_t bytes;			/* sum of the segment sizes */
};

void image_init(struct image *img);
void image_free(struct image *img);
/* "binary", "Intel HEX", "ELF", "DfuSe" */
const char *image_format_name(enum image_format f);

/* Parsers append copies of the bytes they find. */
void image_add(struct image *img, uint32_t addr, const uint8_t *data,
	       uint32_t size);
/* Sorts the segments, joins those that touch, and refuses overlapping
 * data and an empty image: 0, or -1 with the reason in why. */
int image_finish(struct image *img, struct strbuf *why);

/* The format of data, from its first bytes; name (may be NULL) must agree
 * when its extension names a format (.elf/.axf, .hex/.ihex/.ihx, .dfu,
 * .bin). 0, or -1 with the reason in why. */
int image_detect(const uint8_t *data, size_t len, const char *name,
		 enum image_format *fmt, struct strbuf *why);

/* Each returns 0 with the segments appended (unsorted), or -1 with the
 * reason in why. */
int image_parse_bin(struct image *img, const uint8_t *data, size_t len,
		    uint32_t addr, struct strbuf *why);
int image_parse_ihex(struct image *img, const uint8_t *data, size_t len,
		     struct strbuf *why);
int image_parse_elf(struct image *img, const uint8_t *data, size_t len,
		    struct strbuf *why);
int image_parse_dfu(struct image *img, const uint8_t *data, size_t len,
		    struct strbuf *why);

/* Detects, parses and finishes data; a binary is placed at bin_addr. */
int image_parse(struct image *img, const uint8_t *data, size_t len,
		const char *name, uint32_t bin_addr, struct strbuf *why);

/* Reads the file at path (at most IMAGE_MAX_FILE bytes) and parses it.
 * 0, or -1 with the reason in why (the caller names the file). */
int image_load(struct image *img, const char *path, uint32_t bin_addr,
	       struct strbuf *why);

#endif
