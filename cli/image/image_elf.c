/* ELF (System V ABI; ARM ELF, IHI 0044): a 32-bit little-endian ARM
 * executable. What the loader of a debugger writes is its program headers'
 * PT_LOAD segments, p_filesz bytes each, at the physical address (the load
 * address: .data sits in flash before start-up copies it); the memory size
 * beyond the file size (.bss) is not written. Sections and debug data are
 * ignored. When no segment has a physical address the virtual ones are
 * used, as OpenOCD's image loader does. */
#include "image/image.h"

#define EI_NIDENT 16
#define ELFCLASS32 1
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ET_REL 1
#define ET_EXEC 2
#define EM_ARM 40
#define PT_LOAD 1
#define EHDR_SIZE 52
#define PHDR_SIZE 32
#define PN_XNUM 0xFFFF

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

struct phdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz;
};

static void read_phdr(const uint8_t *p, struct phdr *h)
{
	h->type = le32(p);
	h->offset = le32(p + 4);
	h->vaddr = le32(p + 8);
	h->paddr = le32(p + 12);
	h->filesz = le32(p + 16);
	h->memsz = le32(p + 20);
}

static int check_header(const uint8_t *d, size_t len, struct strbuf *why)
{
	if (len < EHDR_SIZE) {
		sb_addf(why, "truncated: %zu bytes, an ELF header alone has %d",
			len, EHDR_SIZE);
		return -1;
	}
	if (d[4] != ELFCLASS32) {
		sb_addf(why, "not a 32-bit ELF file (class %u): no Cortex-M "
			     "image",
			d[4]);
		return -1;
	}
	if (d[5] != ELFDATA2LSB || d[6] != EV_CURRENT) {
		sb_addf(why, "not a little-endian ELF version 1 file (data "
			     "%u, version %u)",
			d[5], d[6]);
		return -1;
	}
	if (le16(d + 16) == ET_REL) {
		sb_adds(why, "a relocatable object, not a linked executable");
		return -1;
	}
	if (le16(d + 16) != ET_EXEC) {
		sb_addf(why, "ELF type %u, not an executable", le16(d + 16));
		return -1;
	}
	if (le16(d + 18) != EM_ARM) {
		sb_addf(why, "built for ELF machine %u, not ARM (40)",
			le16(d + 18));
		return -1;
	}
	return 0;
}

int image_parse_elf(struct image *img, const uint8_t *d, size_t len,
		    struct strbuf *why)
{
	uint32_t phoff;
	uint16_t phentsize, phnum;
	int use_paddr = 0;
	struct phdr h;

	if (check_header(d, len, why))
		return -1;
	phoff = le32(d + 28);
	phentsize = le16(d + 42);
	phnum = le16(d + 44);
	if (phnum == PN_XNUM) {
		sb_adds(why, "more than 65534 program headers");
		return -1;
	}
	if (!phnum) {
		sb_adds(why, "no program headers: nothing to load");
		return -1;
	}
	if (phentsize < PHDR_SIZE) {
		sb_addf(why, "program header size %u, less than %d", phentsize,
			PHDR_SIZE);
		return -1;
	}
	if ((uint64_t)phoff + (uint64_t)phnum * phentsize > len) {
		sb_addf(why, "truncated: the program headers end at byte "
			     "%llu, the file has %zu",
			(unsigned long long)phoff +
				(unsigned long long)phnum * phentsize,
			len);
		return -1;
	}
	for (unsigned i = 0; i < phnum; i++) {
		read_phdr(d + phoff + (size_t)i * phentsize, &h);
		if (h.type == PT_LOAD && h.filesz && h.paddr)
			use_paddr = 1;
	}
	for (unsigned i = 0; i < phnum; i++) {
		read_phdr(d + phoff + (size_t)i * phentsize, &h);
		if (h.type != PT_LOAD || !h.filesz)
			continue;
		if ((uint64_t)h.offset + h.filesz > len) {
			sb_addf(why, "truncated: segment %u needs bytes "
				     "%u-%llu, the file has %zu",
				i, (unsigned)h.offset,
				(unsigned long long)h.offset + h.filesz - 1, len);
			return -1;
		}
		if (h.filesz > h.memsz) {
			sb_addf(why, "segment %u: file size 0x%x exceeds its "
				     "memory size 0x%x",
				i, (unsigned)h.filesz, (unsigned)h.memsz);
			return -1;
		}
		image_add(img, use_paddr ? h.paddr : h.vaddr, d + h.offset,
			  h.filesz);
	}
	return 0;
}
