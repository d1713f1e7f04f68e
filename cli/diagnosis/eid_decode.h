/* What the eid stub command saw, in words: which chip answers, whether it
 * is a good PSRAM, and what the data lines say about the bus. Pure: bytes
 * in, verdict out (docs/psram-chips.md §3 ID layout, §8 other
 * parts).
 *
 * The evidence (struct stub_result, filled by target-stubs/commands/eid.c):
 *  - eid[8]: 0x9F + 24-bit address, 8 bytes (PSRAM framing), read with the
 *    MCU's pull-up on the data lines, so a line nobody drives reads 1;
 *  - jedec[3]: 0x9F without address (flash framing);
 *  - lines_{before,after}_{up,down}: IO0..IO3 as GPIO inputs with CE#
 *    high, pulled up and then down: each should follow its pull;
 *  - two LINES ring records: a 1-4-4 0xEB read with the pulls up, then
 *    down, counting per line the bits read against the pull: a line the
 *    chip drives reads against its pull at least once, a line it does not
 *    reach never does.
 * The four PSRAM vendors share one ID (maker 0x0D): the family is named,
 * never the vendor. */
#ifndef CLI_EID_DECODE_H
#define CLI_EID_DECODE_H

#include <stdint.h>

#include "stub_abi.h"

#define EID_MAX_FAULTS 8

/* What answers on the bus. */
enum eid_chip {
	EID_CHIP_PSRAM,     /* an AP Memory-family PSRAM (maker 0x0D) */
	EID_CHIP_FLASH,     /* a SPI NOR flash (JEDEC ID without address) */
	EID_CHIP_NONE,      /* nothing drives the chip's output line */
	EID_CHIP_BUS_FAULT, /* the lines themselves are broken */
	EID_CHIP_UNKNOWN,   /* something answers with an ID we do not know */
};

/* The diagnosis vocabulary (docs/architecture.md §5), as far as eid can see
 * it. */
enum eid_fault_kind {
	EID_FAULT_NO_CHIP,    /* nothing answers on the bus */
	EID_FAULT_WRONG_CHIP, /* answers like something else */
	EID_FAULT_KGD_FAIL,   /* the die is marked failed */
	EID_FAULT_IO_OPEN,    /* line: follows the MCU's pull, chip or not */
	EID_FAULT_IO_STUCK,   /* line, level: one level whatever the pull */
	EID_FAULT_UNKNOWN_ID, /* an ID no table knows */
	EID_FAULT_DENSITY,    /* a PSRAM, but not 64 Mbit */
};

struct eid_fault {
	enum eid_fault_kind kind;
	int line;  /* IO line for io-open / io-stuck */
	int level; /* io-stuck */
};

/* The LINES records of an eid run. */
struct eid_lines {
	int have_up, have_down;
	uint32_t bits;          /* sampled per line */
	uint16_t against_up[4]; /* bits read 0 with the pull-up, per line */
	uint16_t against_down[4];
};

struct eid_report {
	enum eid_chip chip;
	int pass;              /* a good 64 Mbit PSRAM and a sound bus */
	uint8_t eid[8];
	uint8_t jedec[3];
	/* PSRAM */
	int kgd;               /* 1 pass (0x5D), 0 fail (0x55), -1 other */
	unsigned density_mbit; /* 16/32/64; 0 unknown */
	unsigned density_code; /* EID[47:45] */
	/* flash */
	const char *flash_part;  /* "W25Q64", or NULL */
	const char *flash_maker; /* "Winbond", or NULL */
	unsigned flash_mbit;
	/* lines, bit n = IOn */
	uint8_t stuck_low;     /* low with CE# high whatever the pull */
	uint8_t stuck_high;
	int lines_probed;      /* both LINES records came */
	uint8_t floating;      /* followed the pull in the 0xEB reads */
	uint8_t driven;        /* read against a pull in the 0xEB reads */
	struct eid_fault faults[EID_MAX_FAULTS];
	int nfaults;
	char summary[256];     /* what answers, in one line */
	char problem[320];     /* why it fails, in one line; "" on a pass */
};

/* Keeps rec if it is a LINES record; returns 1 then, else 0. */
int eid_lines_add(struct eid_lines *l, const struct stub_record *rec);
/* lines may be NULL (no LINES records: the stub stopped before them). */
void eid_decode(const struct stub_result *r, const struct eid_lines *lines,
		struct eid_report *rep);

/* "psram", "flash", "none", "bus-fault", "unknown" (the --json names). */
const char *eid_chip_name(enum eid_chip chip);
/* "no-chip", "wrong-chip", "kgd-fail", "io-open", "io-stuck",
 * "unknown-id", "density". */
const char *eid_fault_name(enum eid_fault_kind kind);

/* The AP Memory family: maker byte and the parts that share the ID. */
#define EID_MAKER_AP_MEMORY 0x0Du
#define EID_KGD_PASS 0x5Du
#define EID_KGD_FAIL 0x55u
extern const char *const eid_psram_parts[4];

#endif
