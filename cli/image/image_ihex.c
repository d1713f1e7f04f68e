/* Intel HEX ("Hexadecimal Object File Format Specification", Intel, rev A,
 * 1988): records ":LLAAAATT<data>CC", one per line, the checksum making the
 * byte sum of the record zero. Types: 00 data, 01 end of file, 02 extended
 * segment address (base = value x 16, offsets wrap within the 64 KiB
 * segment), 03 start segment address, 04 extended linear address (upper
 * 16 bits), 05 start linear address. The end-of-file record is required:
 * without it the file is taken as truncated. */
#include "image/image.h"

#include <stdlib.h>

#include "util/alloc.h"
#include "util/hex.h"

enum { REC_DATA, REC_EOF, REC_ESA, REC_SSA, REC_ELA, REC_SLA };

struct hex_run {
	uint32_t start;		/* address of run[0] */
	uint8_t *bytes;
	uint32_t len, alloc;
};

static void flush_run(struct image *img, struct hex_run *run)
{
	image_add(img, run->start, run->bytes, run->len);
	run->len = 0;
}

/* Consecutive records usually continue each other: gather them into one
 * segment instead of one per record. */
static void put_byte(struct image *img, struct hex_run *run, uint32_t addr,
		     uint8_t b)
{
	if (run->len && (run->start + run->len != addr || run->len == 0xFFFFFFFFu))
		flush_run(img, run);
	if (!run->len)
		run->start = addr;
	if (run->len == run->alloc) {
		run->alloc = run->alloc ? 2 * run->alloc : 4096;
		run->bytes = psr_realloc(run->bytes, run->alloc);
	}
	run->bytes[run->len++] = b;
}

/* Decodes one record (the characters after ':') into rec; *n its bytes. */
static int decode(const uint8_t *p, size_t chars, unsigned line,
		  uint8_t rec[260], size_t *n, struct strbuf *why)
{
	uint8_t sum = 0;

	if (chars % 2 || chars < 10) {
		sb_addf(why, "line %u: a record needs an even number of at "
			     "least 10 hex digits after ':', this one has %zu",
			line, chars);
		return -1;
	}
	*n = chars / 2;
	for (size_t i = 0; i < *n; i++) {
		int hi = hex_digit(p[2 * i]), lo = hex_digit(p[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			sb_addf(why, "line %u: '%c' is not a hex digit", line,
				hi < 0 ? p[2 * i] : p[2 * i + 1]);
			return -1;
		}
		rec[i] = (uint8_t)(hi << 4 | lo);
		sum = (uint8_t)(sum + rec[i]);
	}
	if ((size_t)rec[0] + 5 != *n) {
		sb_addf(why, "line %u: the record says %u data bytes but holds "
			     "%zu",
			line, rec[0], *n - 5);
		return -1;
	}
	if (sum) {
		sb_addf(why, "line %u: bad checksum 0x%02x (0x%02x expected)",
			line, rec[*n - 1], (uint8_t)(rec[*n - 1] - sum));
		return -1;
	}
	return 0;
}

int image_parse_ihex(struct image *img, const uint8_t *data, size_t len,
		     struct strbuf *why)
{
	struct hex_run run = {0, NULL, 0, 0};
	uint32_t base = 0;
	int segmented = 0, eof = 0, r = -1;
	unsigned line = 0;
	size_t pos = 0;

	while (pos < len) {
		size_t end = pos, chars, n, trail;
		uint8_t rec[260];

		line++;
		while (end < len && data[end] != '\n' && data[end] != '\r')
			end++;
		trail = end;
		while (trail > pos && (data[trail - 1] == ' ' ||
				       data[trail - 1] == '\t'))
			trail--;
		if (trail == pos) {
			/* blank line */
		} else if (eof) {
			sb_addf(why, "line %u: data after the end-of-file "
				     "record",
				line);
			goto out;
		} else if (data[pos] != ':') {
			sb_addf(why, "line %u: expected ':' at the start of "
				     "a record",
				line);
			goto out;
		} else {
			uint16_t offset;
			uint8_t count, type;

			chars = trail - pos - 1;
			if (chars > 2 * 260) {
				sb_addf(why, "line %u: record too long", line);
				goto out;
			}
			if (decode(data + pos + 1, chars, line, rec, &n, why))
				goto out;
			count = rec[0];
			offset = (uint16_t)(rec[1] << 8 | rec[2]);
			type = rec[3];
			switch (type) {
			case REC_DATA:
				for (unsigned i = 0; i < count; i++) {
					/* ESA addresses wrap in the segment;
					 * ELA ones run on. */
					uint32_t a = segmented
						? base + (uint16_t)(offset + i)
						: base + offset + i;

					put_byte(img, &run, a, rec[4 + i]);
				}
				break;
			case REC_EOF:
				if (count) {
					sb_addf(why, "line %u: end-of-file "
						     "record with data",
						line);
					goto out;
				}
				eof = 1;
				break;
			case REC_ESA:
			case REC_ELA:
				if (count != 2) {
					sb_addf(why, "line %u: address record "
						     "with %u bytes, not 2",
						line, count);
					goto out;
				}
				segmented = type == REC_ESA;
				base = (uint32_t)(rec[4] << 8 | rec[5])
				       << (segmented ? 4 : 16);
				break;
			case REC_SSA:
			case REC_SLA:
				if (count != 4) {
					sb_addf(why, "line %u: start address "
						     "record with %u bytes, "
						     "not 4",
						line, count);
					goto out;
				}
				break;
			default:
				sb_addf(why, "line %u: unknown record type "
					     "%02x",
					line, type);
				goto out;
			}
		}
		pos = end;
		if (pos < len && data[pos] == '\r')
			pos++;
		if (pos < len && data[pos] == '\n')
			pos++;
	}
	if (!eof) {
		sb_addf(why, "no end-of-file record after line %u: the file "
			     "is truncated",
			line);
		goto out;
	}
	r = 0;
out:
	if (!r && run.len)
		flush_run(img, &run);
	free(run.bytes);
	return r;
}
