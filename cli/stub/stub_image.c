#include "stub/stub_image.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/files.h"
#include "util/error.h"
#include "report/output.h"
#include "image_crc.h"

/* build/gen/stub_image.c and stub_NAME_image.c (scripts/embed-binary). */
extern const unsigned char stub_image[];
extern const unsigned int stub_image_size;
extern const unsigned char stub_eid_quadspi_image[];
extern const unsigned int stub_eid_quadspi_image_size;
extern const unsigned char stub_eid_octospi_image[];
extern const unsigned int stub_eid_octospi_image_size;

/* What the tables of target-stubs/images/ list (tests/unit/
 * cli_stub_images.c checks these against the images' symbols). */
#define FULL_COMMANDS                                                          \
	(STUB_COMMAND_BIT(STUB_CMD_PING) | STUB_COMMAND_BIT(STUB_CMD_EID) |   \
	 STUB_COMMAND_BIT(STUB_CMD_MEMTEST) | STUB_COMMAND_BIT(STUB_CMD_PINS) | \
	 STUB_COMMAND_BIT(STUB_CMD_BENCH) | STUB_COMMAND_BIT(STUB_CMD_MARGIN) | \
	 STUB_COMMAND_BIT(STUB_CMD_READ) | STUB_COMMAND_BIT(STUB_CMD_WRITE))
#define EID_COMMANDS                                                           \
	(STUB_COMMAND_BIT(STUB_CMD_PING) | STUB_COMMAND_BIT(STUB_CMD_EID))

static const struct part {
	const char *origin;
	const unsigned char *data;
	const unsigned int *size;
	const struct stub_symbol *symbols;
	const unsigned int *nsymbols;
	uint32_t commands, xspi;
} parts[STUB_PART_IMAGES] = {
	{"built-in eid (QUADSPI)", stub_eid_quadspi_image,
	 &stub_eid_quadspi_image_size, stub_eid_quadspi_symbols,
	 &stub_eid_quadspi_symbols_count, EID_COMMANDS,
	 STUB_XSPI_BIT(STUB_XSPI_QUADSPI)},
	{"built-in eid (OCTOSPI)", stub_eid_octospi_image,
	 &stub_eid_octospi_image_size, stub_eid_octospi_symbols,
	 &stub_eid_octospi_symbols_count, EID_COMMANDS,
	 STUB_XSPI_BIT(STUB_XSPI_OCTOSPI)},
};

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

int stub_image_check(const uint8_t *data, size_t size, const char *origin,
		     struct stub_image_header *h)
{
	const size_t at = STUB_IMAGE_HEADER_ADDR - STUB_LOAD_ADDR;
	char shown[160];

	out_printable(origin, shown, sizeof(shown));
	/* Its code before the image check ends at STUB_BOOT_END. */
	if (size < STUB_BOOT_END - STUB_LOAD_ADDR)
		return out_error(PSR_ERR_STUB_IMAGE,
				 "'%s' is not a psramctl stub: %zu bytes is "
				 "too short",
				 shown, size);
	if (size > STUB_IMAGE_MAX)
		return out_error(PSR_ERR_STUB_IMAGE,
				 "'%s' is not a psramctl stub: %zu bytes would "
				 "overlap the mailbox at 0x%08x",
				 shown, size, (unsigned)STUB_MAILBOX_ADDR);
	h->magic = le32(data + at + offsetof(struct stub_image_header, magic));
	h->abi_version = le32(data + at +
			      offsetof(struct stub_image_header, abi_version));
	h->load_addr = le32(data + at +
			    offsetof(struct stub_image_header, load_addr));
	h->entry_addr = le32(data + at +
			     offsetof(struct stub_image_header, entry_addr));
	h->exit_addr = le32(data + at +
			    offsetof(struct stub_image_header, exit_addr));
	h->mailbox_addr = le32(data + at + offsetof(struct stub_image_header,
						    mailbox_addr));
	h->mailbox_size = le32(data + at + offsetof(struct stub_image_header,
						    mailbox_size));
	h->ram_min_end = le32(data + at +
			      offsetof(struct stub_image_header, ram_min_end));
	if (h->magic != STUB_IMAGE_MAGIC)
		return out_error(PSR_ERR_STUB_IMAGE,
				 "'%s' is not a psramctl stub: no image header "
				 "at 0x%08x",
				 shown, (unsigned)STUB_IMAGE_HEADER_ADDR);
	/* Refused before the board is touched: the layout of every mailbox
	 * field depends on the version. */
	if (h->abi_version != STUB_ABI_VERSION)
		return out_error(PSR_ERR_STUB_ABI,
				 "stub '%s' speaks stub ABI version %u, "
				 "psramctl speaks version %u: use a stub built "
				 "with this psramctl",
				 shown, (unsigned)h->abi_version,
				 (unsigned)STUB_ABI_VERSION);
	{
		const struct {
			const char *what;
			uint32_t got, want;
		} fields[] = {
			{"load address", h->load_addr, STUB_LOAD_ADDR},
			{"entry address", h->entry_addr, STUB_ENTRY_ADDR},
			{"exit address", h->exit_addr, STUB_EXIT_ADDR},
			{"mailbox address", h->mailbox_addr,
			 STUB_MAILBOX_ADDR},
			{"mailbox size", h->mailbox_size,
			 (uint32_t)sizeof(struct stub_mailbox)},
			{"minimum RAM end", h->ram_min_end, STUB_RAM_MIN_END},
		};

		for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			if (fields[i].got != fields[i].want)
				return out_error(PSR_ERR_STUB_ABI,
						 "stub '%s' claims ABI version "
						 "%u but its %s is 0x%08x, not "
						 "0x%08x",
						 shown,
						 (unsigned)h->abi_version,
						 fields[i].what,
						 (unsigned)fields[i].got,
						 (unsigned)fields[i].want);
	}
	return 0;
}

static int read_file(const char *file, uint8_t **data, size_t *size)
{
	char shown[160];
	struct strbuf why;
	int r = 0;

	sb_init(&why);
	/* One byte more than any stub may have is read as too large. */
	if (file_read_regular(file, STUB_IMAGE_MAX, data, size, &why))
		r = out_error(PSR_ERR_STUB_IMAGE, "--stub '%s': %s",
			      out_printable(file, shown, sizeof(shown)),
			      why.buf);
	sb_release(&why);
	return r;
}

static int finish(struct stub_image *img, struct stub_image **out)
{
	int r = stub_image_check(img->data, img->size, img->origin,
				 &img->header);

	if (r) {
		stub_image_free(img);
		return r;
	}
	img->crc = image_crc_final(
		image_crc_update(IMAGE_CRC_INIT, img->data, (uint32_t)img->size));
	*out = img;
	return 0;
}

int stub_image_load(struct stub_image **out, const char *file)
{
	struct stub_image *img = psr_calloc(1, sizeof(*img));
	int r;

	*out = NULL;
	if (file) {
		r = read_file(file, &img->owned, &img->size);
		if (r) {
			free(img);
			return r;
		}
		img->data = img->owned;
		img->origin = psr_strdup(file);
	} else {
		img->data = stub_image;
		img->size = stub_image_size;
		img->origin = psr_strdup("built-in");
	}
	img->commands = FULL_COMMANDS;
	img->xspi = STUB_XSPI_BIT(STUB_XSPI_QUADSPI) |
		    STUB_XSPI_BIT(STUB_XSPI_OCTOSPI);
	img->symbols = stub_symbols;
	img->nsymbols = stub_symbols_count;
	return finish(img, out);
}

int stub_image_load_part(struct stub_image **out, int n)
{
	const struct part *p = &parts[n];
	struct stub_image *img = psr_calloc(1, sizeof(*img));

	*out = NULL;
	img->data = p->data;
	img->size = *p->size;
	img->origin = psr_strdup(p->origin);
	img->commands = p->commands;
	img->xspi = p->xspi;
	img->symbols = p->symbols;
	img->nsymbols = *p->nsymbols;
	return finish(img, out);
}

void stub_image_free(struct stub_image *img)
{
	if (!img)
		return;
	free(img->owned);
	free(img->origin);
	free(img);
}
