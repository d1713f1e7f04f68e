/* What `psramctl flash` will do to a board, decided before touching it:
 * the internal-flash layout of the detected MCU (banks, sectors, the
 * programming unit) and, for an image, the sectors to erase and the chunks
 * to program and verify, or the one reason the image cannot go there. */
#ifndef CLI_FLASH_PLAN_H
#define CLI_FLASH_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "image/image.h"
#include "util/strbuf.h"

#define FLASH_MAX_SECTORS 256	/* 2 MiB of 8 KiB sectors (STM32H7A3) */
#define FLASH_MAX_BANKS 2

/* The memory-mapped window of the QUADSPI/OCTOSPI on every STM32H7/F7
 * (RM0433 §2.3.2, RM0455, RM0410): where MicroPython's XIP builds put
 * code, and where the PSRAM sits on these boards. */
#define FLASH_XSPI_WINDOW 0x90000000u
#define FLASH_XSPI_WINDOW_SIZE 0x10000000u
/* The internal flash of every MCU of mcu.c lies here: 2 MiB on the H743
 * and H7A3 (RM0433 §4.3.1, RM0455 §4.3.1), less on the others, all on the
 * AXI/AHB flash interface at 0x08000000. */
#define FLASH_ANY_BASE 0x08000000u
#define FLASH_ANY_SIZE 0x00200000u

struct flash_sector {
	unsigned number;	/* counted from the first, across banks */
	unsigned bank;		/* 0 or 1 */
	unsigned in_bank;	/* the number OpenOCD's driver uses */
	uint32_t addr;
	uint32_t size;
};

struct flash_layout {
	uint16_t dev_id;
	const char *mcu;	/* "STM32H742/743/750/753" */
	uint32_t base;
	uint32_t size;
	uint32_t word;		/* the programming unit, bytes */
	unsigned nbanks;
	uint32_t bank_base[FLASH_MAX_BANKS];
	uint32_t bank_size[FLASH_MAX_BANKS];
	unsigned nsectors;
	struct flash_sector sector[FLASH_MAX_SECTORS];
};

/* The layout of a device from its DEV_ID and flash-size register (KiB).
 * 0, or -1 with the reason in why (unknown device, impossible size). */
int flash_layout_for(uint16_t dev_id, uint32_t size_kib,
		     struct flash_layout *l, struct strbuf *why);
/* An STM32F76x/77x whose option bit nDBANK is 0 (FLASH_OPTCR bit 29):
 * two banks of 16/64/128 KiB sectors, numbered 0..23 as OpenOCD's
 * stm32f2x driver does (RM0410 §3.3.1). */
int flash_layout_f76x_dual_bank(uint32_t size_kib, struct flash_layout *l,
				struct strbuf *why);
/* The sector holding addr, or NULL. */
const struct flash_sector *flash_sector_at(const struct flash_layout *l,
					   uint32_t addr);

/* A piece of the image to program and verify with one command: whole
 * flash words inside one bank, bytes the image does not define padded
 * with the erased value 0xFF. A chunk holds whole sectors' worth of data
 * where it can (a sector is split only when larger than the chunk size),
 * so each flash operation stays attributable to its sectors. */
struct flash_chunk {
	uint32_t addr;
	uint32_t size;
	const uint8_t *data;	/* into the plan's buffer */
	unsigned first, last;	/* the sectors it covers (layout.sector) */
};

struct flash_plan {
	struct flash_layout layout;
	unsigned char erase[FLASH_MAX_SECTORS];	/* sectors to erase */
	unsigned nerase;
	struct flash_chunk *chunk;
	size_t nchunks;
	uint64_t image_bytes;	/* bytes the image defines */
	uint64_t program_bytes;	/* with the padding to flash words */
	uint8_t *buf;		/* the flash as it will read, 0xFF around */
};

/* What can be refused from the image alone, before the MCU is known:
 * data in the QSPI window, or outside the flash of every supported MCU.
 * 0, or -1 with the reason in why. */
int flash_plan_precheck(const struct image *img, struct strbuf *why);

/* Plans img on layout l, chunks at most chunk_max bytes (a multiple of the
 * flash word; at least one word is used). Refusals, first
 * found first: data in the xSPI window, data outside the internal flash,
 * data running past its end. 0, or -1 with the one-line reason in why. */
int flash_plan_build(const struct image *img, const struct flash_layout *l,
		     uint32_t chunk_max, struct flash_plan *plan,
		     struct strbuf *why);
void flash_plan_free(struct flash_plan *plan);

#endif
