#include "image/flash_plan.h"

#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

#define KIB 1024u
/* A gap shorter than this between two pieces of data in one bank is
 * programmed as 0xFF rather than starting another run. */
#define JOIN_GAP 512u

/* Internal-flash geometry per device line. H7: RM0433 §4.3.4 (2 banks of
 * 8 x 128 KiB; bank 2 at 0x08100000; the 128 KiB parts have one bank and
 * one sector; flash word 256 bits), RM0455 §4.3.4 (8 KiB sectors, 128-bit
 * words), RM0468 (H72x/73x: one bank of 128 KiB sectors); the split into
 * banks follows OpenOCD's stm32h7x.c. F7 (single-bank organisation):
 * RM0385 §3.3.1 (F74x/75x: 4 x 32, 128, 3 x 256 KiB), RM0410 §3.3.1
 * (F76x/77x with nDBANK = 1: 4 x 32, 128, 7 x 256 KiB), RM0431 §3.3.1
 * (F72x/73x: 4 x 16, 64, 3 x 128 KiB); programmed by 32-bit words here. */
struct geometry {
	uint16_t dev_id;
	const char *mcu;
	uint32_t word;
	uint32_t max_kib;
	uint32_t bank2_base;		/* 0: always one bank */
	uint32_t one_bank_max_kib;	/* up to this size: one bank */
	uint32_t uniform_kib;		/* sector size, or 0: the list */
	uint32_t list_kib[25];		/* zero-terminated */
};

static const struct geometry geometries[] = {
	{0x450, "STM32H742/743/750/753", 32, 2048, 0x08100000u, 128, 128, {0}},
	{0x480, "STM32H7A3/B3/B0", 16, 2048, 0x08100000u, 128, 8, {0}},
	{0x483, "STM32H72x/73x", 32, 1024, 0, 0, 128, {0}},
	{0x449, "STM32F74x/75x", 4, 1024, 0, 0, 0,
	 {32, 32, 32, 32, 128, 256, 256, 256, 0}},
	{0x451, "STM32F76x/77x", 4, 2048, 0, 0, 0,
	 {32, 32, 32, 32, 128, 256, 256, 256, 256, 256, 256, 256, 0}},
	{0x452, "STM32F72x/73x", 4, 512, 0, 0, 0,
	 {16, 16, 16, 16, 64, 128, 128, 128, 0}},
};

/* RM0410 §3.3.1: an F76x/77x with 2 MiB and nDBANK = 0 has two banks of
 * 4 x 16, 64, 7 x 128 KiB. OpenOCD's stm32f2x driver keeps one bank at
 * 0x08000000 and numbers the sectors of both 0..23, as here. */
static const struct geometry f76x_dual_bank = {
	0x451, "STM32F76x/77x (dual bank)", 4, 2048, 0, 0, 0,
	{16, 16, 16, 16, 64, 128, 128, 128, 128, 128, 128, 128,
	 16, 16, 16, 16, 64, 128, 128, 128, 128, 128, 128, 128, 0},
};

#define FLASH_BASE 0x08000000u

static int add_sectors(struct flash_layout *l, const struct geometry *g,
		       unsigned bank, uint32_t bank_kib, struct strbuf *why)
{
	uint32_t done = 0;
	unsigned in_bank = 0;

	while (done < bank_kib) {
		uint32_t kib = g->uniform_kib ? g->uniform_kib
					      : g->list_kib[in_bank];
		struct flash_sector *s;

		if (!kib || done + kib > bank_kib ||
		    l->nsectors == FLASH_MAX_SECTORS) {
			sb_addf(why,
				"%u KiB of flash does not divide into the "
				"sectors of the %s",
				(unsigned)(bank_kib * l->nbanks), g->mcu);
			return -1;
		}
		s = &l->sector[l->nsectors];
		s->number = l->nsectors++;
		s->bank = bank;
		s->in_bank = in_bank++;
		s->addr = l->bank_base[bank] + done * KIB;
		s->size = kib * KIB;
		done += kib;
	}
	return 0;
}

static int layout_of(const struct geometry *g, uint16_t dev_id,
		     uint32_t size_kib, struct flash_layout *l,
		     struct strbuf *why);

int flash_layout_for(uint16_t dev_id, uint32_t size_kib,
		     struct flash_layout *l, struct strbuf *why)
{
	const struct geometry *g = NULL;

	for (size_t i = 0; i < sizeof(geometries) / sizeof(geometries[0]); i++)
		if (geometries[i].dev_id == dev_id)
			g = &geometries[i];
	return layout_of(g, dev_id, size_kib, l, why);
}

int flash_layout_f76x_dual_bank(uint32_t size_kib, struct flash_layout *l,
				struct strbuf *why)
{
	if (size_kib != 2048) {
		memset(l, 0, sizeof(*l));
		sb_addf(why,
			"a dual-bank STM32F76x/77x with %u KiB of flash: only "
			"the 2 MiB parts are known",
			(unsigned)size_kib);
		return -1;
	}
	return layout_of(&f76x_dual_bank, 0x451, size_kib, l, why);
}

static int layout_of(const struct geometry *g, uint16_t dev_id,
		     uint32_t size_kib, struct flash_layout *l,
		     struct strbuf *why)
{
	memset(l, 0, sizeof(*l));
	if (!g) {
		sb_addf(why, "no flash layout known for DEV_ID 0x%03x", dev_id);
		return -1;
	}
	if (!size_kib || size_kib > g->max_kib) {
		sb_addf(why,
			"the flash-size register says %u KiB, impossible for "
			"the %s (at most %u)",
			(unsigned)size_kib, g->mcu, (unsigned)g->max_kib);
		return -1;
	}
	l->dev_id = dev_id;
	l->mcu = g->mcu;
	l->base = FLASH_BASE;
	l->size = size_kib * KIB;
	l->word = g->word;
	l->nbanks = g->bank2_base && size_kib > g->one_bank_max_kib ? 2 : 1;
	for (unsigned b = 0; b < l->nbanks; b++) {
		l->bank_base[b] = b ? g->bank2_base : FLASH_BASE;
		l->bank_size[b] = l->size / l->nbanks;
		if (add_sectors(l, g, b, size_kib / l->nbanks, why))
			return -1;
	}
	return 0;
}

const struct flash_sector *flash_sector_at(const struct flash_layout *l,
					   uint32_t addr)
{
	for (unsigned i = 0; i < l->nsectors; i++)
		if (addr >= l->sector[i].addr &&
		    addr - l->sector[i].addr < l->sector[i].size)
			return &l->sector[i];
	return NULL;
}

static uint64_t span_end(const struct flash_layout *l)
{
	return (uint64_t)l->bank_base[l->nbanks - 1] +
	       l->bank_size[l->nbanks - 1];
}

static void describe_flash(const struct flash_layout *l, struct strbuf *sb)
{
	sb_addf(sb, "%u KiB at 0x%08x-0x%08x", (unsigned)(l->size / KIB),
		(unsigned)l->bank_base[0],
		(unsigned)(l->bank_base[0] + l->bank_size[0] - 1));
	if (l->nbanks == 2)
		sb_addf(sb, " and 0x%08x-0x%08x", (unsigned)l->bank_base[1],
			(unsigned)(l->bank_base[1] + l->bank_size[1] - 1));
}

/* Data for the memory-mapped QSPI/OCTOSPI window: the chip there is a
 * PSRAM on these boards, whatever the MCU. */
static int check_xspi_window(const struct image_segment *s,
			     struct strbuf *why)
{
	uint64_t end = (uint64_t)s->addr + s->size;

	if (s->addr < (uint64_t)FLASH_XSPI_WINDOW + FLASH_XSPI_WINDOW_SIZE &&
	    end > FLASH_XSPI_WINDOW) {
		sb_addf(why,
			"the image has data for 0x%08x-0x%08x, in the QSPI "
			"memory window: on this board the QSPI chip is a PSRAM "
			"and holds nothing across a reset (build the firmware "
			"without XIP code in QSPI flash)",
			(unsigned)s->addr, (unsigned)(end - 1));
		return -1;
	}
	return 0;
}

int flash_plan_precheck(const struct image *img, struct strbuf *why)
{
	for (size_t i = 0; i < img->nseg; i++) {
		const struct image_segment *s = &img->seg[i];
		uint64_t end = (uint64_t)s->addr + s->size;

		if (check_xspi_window(s, why))
			return -1;
		if (s->addr < FLASH_ANY_BASE ||
		    end > (uint64_t)FLASH_ANY_BASE + FLASH_ANY_SIZE) {
			sb_addf(why,
				"the image has data for 0x%08x-0x%08x, outside "
				"the internal flash of every MCU psramctl "
				"knows (0x%08x-0x%08x at most)",
				(unsigned)s->addr, (unsigned)(end - 1),
				(unsigned)FLASH_ANY_BASE,
				(unsigned)(FLASH_ANY_BASE + FLASH_ANY_SIZE - 1));
			return -1;
		}
	}
	return 0;
}

/* Every byte of the segment must be in a bank. */
static int check_segment(const struct image_segment *s,
			 const struct flash_layout *l, struct strbuf *why)
{
	uint64_t cur = s->addr, end = (uint64_t)s->addr + s->size;

	if (check_xspi_window(s, why))
		return -1;
	while (cur < end) {
		unsigned b;

		for (b = 0; b < l->nbanks; b++)
			if (cur >= l->bank_base[b] &&
			    cur - l->bank_base[b] < l->bank_size[b])
				break;
		if (b == l->nbanks) {
			if (cur == s->addr)
				sb_addf(why,
					"the image has data for 0x%08x-0x%08x, "
					"outside the internal flash of this "
					"%s (",
					(unsigned)s->addr, (unsigned)(end - 1),
					l->mcu);
			else
				sb_addf(why,
					"the image does not fit: its data for "
					"0x%08x-0x%08x runs past the internal "
					"flash of this %s (",
					(unsigned)s->addr, (unsigned)(end - 1),
					l->mcu);
			describe_flash(l, why);
			sb_addc(why, ')');
			return -1;
		}
		cur = (uint64_t)l->bank_base[b] + l->bank_size[b];
	}
	return 0;
}

static void add_chunk(struct flash_plan *p, uint32_t addr, uint32_t size)
{
	const struct flash_layout *l = &p->layout;
	struct flash_chunk *c;

	p->chunk = psr_realloc(p->chunk, (p->nchunks + 1) * sizeof(*p->chunk));
	c = &p->chunk[p->nchunks++];
	c->addr = addr;
	c->size = size;
	c->data = p->buf + (addr - l->base);
	c->first = flash_sector_at(l, addr)->number;
	c->last = flash_sector_at(l, addr + size - 1)->number;
	p->program_bytes += size;
}

/* A run of used flash words [start, end) (offsets from the flash base):
 * cut at sector boundaries, pieces merged while they fit in chunk_max,
 * a piece larger than chunk_max cut into chunk_max parts. */
static void plan_run(struct flash_plan *p, uint32_t start, uint32_t end,
		     uint32_t chunk_max)
{
	const struct flash_layout *l = &p->layout;
	uint32_t cstart = start, cend = start;

	while (cend < end) {
		const struct flash_sector *s = flash_sector_at(l, l->base + cend);
		uint32_t send = s->addr + s->size - l->base;
		uint32_t piece_end = send < end ? send : end;

		p->erase[s->number] = 1;
		if (piece_end - cstart <= chunk_max) {
			cend = piece_end;	/* the piece joins the chunk */
			continue;
		}
		if (cend > cstart) {
			/* the chunk so far is full: close it */
			add_chunk(p, l->base + cstart, cend - cstart);
			cstart = cend;
			continue;
		}
		/* one sector's piece alone is larger than a chunk */
		add_chunk(p, l->base + cstart, chunk_max);
		cstart = cend = cstart + chunk_max;
	}
	if (cend > cstart)
		add_chunk(p, l->base + cstart, cend - cstart);
}

/* Runs of used flash words in one bank, gaps under JOIN_GAP joined. */
static void plan_bank(struct flash_plan *p, const unsigned char *used,
		      unsigned bank, uint32_t chunk_max)
{
	const struct flash_layout *l = &p->layout;
	uint32_t word = l->word;
	uint32_t first = (l->bank_base[bank] - l->base) / word;
	uint32_t nwords = l->bank_size[bank] / word, i = 0;

	while (i < nwords) {
		uint32_t start, end, gap;

		while (i < nwords && !used[first + i])
			i++;
		if (i == nwords)
			break;
		start = end = i;
		for (gap = 0; i < nwords && gap * word < JOIN_GAP; i++) {
			if (used[first + i]) {
				end = i + 1;
				gap = 0;
			} else {
				gap++;
			}
		}
		i = end;
		plan_run(p, (first + start) * word, (first + end) * word,
			 chunk_max);
	}
}

int flash_plan_build(const struct image *img, const struct flash_layout *l,
		     uint32_t chunk_max, struct flash_plan *plan,
		     struct strbuf *why)
{
	uint32_t span, word = l->word;
	unsigned char *used;

	memset(plan, 0, sizeof(*plan));
	plan->layout = *l;
	if (!img->nseg) {
		sb_adds(why, "the image holds no data");
		return -1;
	}
	for (size_t i = 0; i < img->nseg; i++)
		if (check_segment(&img->seg[i], l, why))
			return -1;
	chunk_max -= chunk_max % word;
	if (chunk_max < word)
		chunk_max = word;
	span = (uint32_t)(span_end(l) - l->base);
	plan->buf = psr_malloc(span);
	memset(plan->buf, 0xFF, span);
	used = psr_calloc(span / word, 1);
	for (size_t i = 0; i < img->nseg; i++) {
		const struct image_segment *s = &img->seg[i];
		uint32_t off = s->addr - l->base;

		memcpy(plan->buf + off, s->data, s->size);
		for (uint32_t w = off / word; w <= (off + s->size - 1) / word;
		     w++)
			used[w] = 1;
		plan->image_bytes += s->size;
	}
	for (unsigned b = 0; b < l->nbanks; b++)
		plan_bank(plan, used, b, chunk_max);
	for (unsigned s = 0; s < l->nsectors; s++)
		plan->nerase += plan->erase[s];
	free(used);
	return 0;
}

void flash_plan_free(struct flash_plan *plan)
{
	free(plan->chunk);
	free(plan->buf);
	memset(plan, 0, sizeof(*plan));
}
