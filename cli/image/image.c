#include "image/image.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/alloc.h"
#include "util/files.h"

void image_init(struct image *img)
{
	memset(img, 0, sizeof(*img));
}

void image_free(struct image *img)
{
	for (size_t i = 0; i < img->nseg; i++)
		free(img->seg[i].data);
	free(img->seg);
	image_init(img);
}

const char *image_format_name(enum image_format f)
{
	switch (f) {
	case IMAGE_BIN:
		return "binary";
	case IMAGE_IHEX:
		return "Intel HEX";
	case IMAGE_ELF:
		return "ELF";
	case IMAGE_DFU:
		return "DfuSe";
	}
	return "unknown";
}

void image_add(struct image *img, uint32_t addr, const uint8_t *data,
	       uint32_t size)
{
	struct image_segment *s;

	if (!size)
		return;
	if (img->nseg == img->alloc) {
		img->alloc = img->alloc ? 2 * img->alloc : 8;
		img->seg = psr_realloc(img->seg, img->alloc * sizeof(*img->seg));
	}
	s = &img->seg[img->nseg++];
	s->addr = addr;
	s->size = size;
	s->data = psr_malloc(size);
	memcpy(s->data, data, size);
	img->bytes += size;
}

static int by_address(const void *a, const void *b)
{
	const struct image_segment *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static uint64_t end_of(const struct image_segment *s)
{
	return (uint64_t)s->addr + s->size;
}

int image_finish(struct image *img, struct strbuf *why)
{
	size_t out = 0;

	if (!img->nseg) {
		sb_adds(why, "the image holds no data");
		return -1;
	}
	for (size_t i = 0; i < img->nseg; i++) {
		if (end_of(&img->seg[i]) > 0x100000000ull) {
			sb_addf(why, "data at 0x%08x runs past the end of the "
				     "32-bit address space",
				(unsigned)img->seg[i].addr);
			return -1;
		}
	}
	qsort(img->seg, img->nseg, sizeof(*img->seg), by_address);
	for (size_t i = 1; i < img->nseg; i++) {
		const struct image_segment *a = &img->seg[i - 1];
		const struct image_segment *b = &img->seg[i];

		if (end_of(a) > b->addr) {
			sb_addf(why,
				"overlapping data: 0x%08x-0x%08x and "
				"0x%08x-0x%08x",
				(unsigned)a->addr, (unsigned)(end_of(a) - 1),
				(unsigned)b->addr, (unsigned)(end_of(b) - 1));
			return -1;
		}
	}
	/* Join segments that touch, so each run of bytes is one segment. */
	for (size_t i = 0; i < img->nseg; i++) {
		struct image_segment *prev = out ? &img->seg[out - 1] : NULL;
		struct image_segment *s = &img->seg[i];

		if (prev && end_of(prev) == s->addr) {
			prev->data = psr_realloc(prev->data,
						 (size_t)prev->size + s->size);
			memcpy(prev->data + prev->size, s->data, s->size);
			prev->size += s->size;
			free(s->data);
		} else {
			img->seg[out++] = *s;
		}
	}
	img->nseg = out;
	return 0;
}

/* The format a file name's extension promises, or -1 for none. */
static int format_of_name(const char *name)
{
	static const struct {
		const char *ext;
		enum image_format fmt;
	} exts[] = {
		{".elf", IMAGE_ELF}, {".axf", IMAGE_ELF},
		{".hex", IMAGE_IHEX}, {".ihex", IMAGE_IHEX},
		{".ihx", IMAGE_IHEX}, {".dfu", IMAGE_DFU},
		{".bin", IMAGE_BIN},
	};
	const char *dot = name ? strrchr(name, '.') : NULL;

	if (!dot || strchr(dot, '/'))
		return -1;
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (!strcasecmp(dot, exts[i].ext))
			return (int)exts[i].fmt;
	return -1;
}

/* Intel HEX is text whose first non-blank character is ':' followed by
 * hexadecimal digits. */
static int looks_like_ihex(const uint8_t *data, size_t len)
{
	size_t i = 0, digits = 0;

	while (i < len && (data[i] == ' ' || data[i] == '\t' ||
			   data[i] == '\r' || data[i] == '\n'))
		i++;
	if (i == len || data[i] != ':')
		return 0;
	for (i++; i < len && digits < 10; i++, digits++) {
		uint8_t c = data[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		      (c >= 'A' && c <= 'F')))
			break;
	}
	return digits >= 10 || i == len;
}

int image_detect(const uint8_t *data, size_t len, const char *name,
		 enum image_format *fmt, struct strbuf *why)
{
	int named = format_of_name(name);

	if (!len) {
		sb_adds(why, "the file is empty");
		return -1;
	}
	if (len >= 4 && !memcmp(data, "\177ELF", 4))
		*fmt = IMAGE_ELF;
	else if (len >= 5 && !memcmp(data, "DfuSe", 5))
		*fmt = IMAGE_DFU;
	else if (looks_like_ihex(data, len))
		*fmt = IMAGE_IHEX;
	else
		*fmt = IMAGE_BIN;
	/* A binary may hold anything; a name that promises a structured
	 * format must get it, or the file is damaged or misnamed. */
	if (named >= 0 && named != IMAGE_BIN && (int)*fmt != named) {
		if (*fmt == IMAGE_BIN)
			sb_addf(why,
				"named like %s, but it has no %s header "
				"(truncated or damaged?)",
				image_format_name((enum image_format)named),
				image_format_name((enum image_format)named));
		else
			sb_addf(why, "named like %s, but it is %s (misnamed?)",
				image_format_name((enum image_format)named),
				image_format_name(*fmt));
		return -1;
	}
	return 0;
}

int image_parse(struct image *img, const uint8_t *data, size_t len,
		const char *name, uint32_t bin_addr, struct strbuf *why)
{
	enum image_format fmt;
	int r;

	image_free(img);
	if (image_detect(data, len, name, &fmt, why))
		return -1;
	img->format = fmt;
	switch (fmt) {
	case IMAGE_BIN:
		r = image_parse_bin(img, data, len, bin_addr, why);
		break;
	case IMAGE_IHEX:
		r = image_parse_ihex(img, data, len, why);
		break;
	case IMAGE_ELF:
		r = image_parse_elf(img, data, len, why);
		break;
	case IMAGE_DFU:
		r = image_parse_dfu(img, data, len, why);
		break;
	default:
		r = -1;
		break;
	}
	if (!r)
		r = image_finish(img, why);
	if (r) {
		image_free(img);
		img->format = fmt;
	}
	return r;
}

int image_load(struct image *img, const char *path, uint32_t bin_addr,
	       struct strbuf *why)
{
	uint8_t *data = NULL;
	size_t len = 0;
	int r;

	image_free(img);
	if (file_read_regular(path, IMAGE_MAX_FILE, &data, &len, why))
		return -1;
	r = image_parse(img, data, len, path, bin_addr, why);
	free(data);
	return r;
}
