/*
 * The PSRAM protocol (ESP-PSRAM64H, LY68L6400, APS6404L, IPS6404L; all one
 * command set, docs/psram-chips.md): it builds xSPI ops and keeps every burst
 * inside the chip's limits — tCEM (CE# low at most 8 µs, or refresh is
 * starved) and, above 84 MHz, the 1 KiB page.
 */
#ifndef TARGET_STUBS_PSRAM_H
#define TARGET_STUBS_PSRAM_H

#include <stdbool.h>
#include <stdint.h>

#include "psram_parts.h"
#include "transport/xspi_op.h"

#define PSRAM_CMD_READ 0x03U		/* SPI 1-1-1, <= 33 MHz */
#define PSRAM_CMD_FAST_READ 0x0BU	/* SPI 1-1-1, 8 wait cycles */
#define PSRAM_CMD_QUAD_READ 0xEBU	/* SPI 1-4-4 / QPI 4-4-4, 6 wait cycles */
#define PSRAM_CMD_WRITE 0x02U		/* SPI 1-1-1 / QPI 4-4-4 */
#define PSRAM_CMD_QUAD_WRITE 0x38U	/* SPI 1-4-4 / QPI 4-4-4 */
#define PSRAM_CMD_ENTER_QPI 0x35U
#define PSRAM_CMD_EXIT_QPI 0xF5U
#define PSRAM_CMD_RESET_ENABLE 0x66U
#define PSRAM_CMD_RESET 0x99U
#define PSRAM_CMD_READ_ID 0x9FU

#define PSRAM_ID_BYTES 8U
#define PSRAM_JEDEC_BYTES 3U
#define PSRAM_PAGE_BYTES 1024U
#define PSRAM_PAGE_CROSS_MAX_HZ 84000000U


struct psram {
	struct xspi *bus;
	const struct psram_part_timing *timing; /* psram_parts.h */
	uint32_t size;
	uint32_t clock_hz;	/* the bus clock actually in use */
	bool qpi;		/* the chip is in QPI mode */
	bool cross_pages;	/* let bursts cross pages at any clock (margin) */
	uint8_t access;		/* xspi_op.access of reads and writes */
};

/* Timing of an enum stub_chip (psram_parts.h); unknown parts get the
 * strictest values. The stub's one copy of the table: callers use this
 * rather than psram_part(), whose table each file would carry. */
const struct psram_part_timing *psram_timing(uint32_t chip);
void psram_init(struct psram *p, struct xspi *bus, uint32_t chip,
		uint32_t size, uint32_t clock_hz);

/* Reset in QPI form (4-line 0x66, 0x99), then in SPI form (1-line), since
 * the chip keeps its mode over an MCU reset; the chip is in SPI mode after.
 * The wait after it also covers a W25Q flash's tRST. */
int psram_reset(struct psram *p);
/* 0x9F with the PSRAM framing: 24 don't-care address bits, 8 bytes,
 * SPI mode only. */
int psram_read_id(struct psram *p, uint8_t id[PSRAM_ID_BYTES]);
/* 0x9F with the serial-flash framing: no address, 3 bytes (a W25Q64 still
 * fitted answers EF 40 17 here and not with the PSRAM framing). */
int psram_read_jedec(struct psram *p, uint8_t id[PSRAM_JEDEC_BYTES]);
int psram_enter_qpi(struct psram *p);
int psram_exit_qpi(struct psram *p);

/* Reads/writes with the given command in the current mode, split into
 * bursts that honour tCEM and (above 84 MHz) pages. */
int psram_read(struct psram *p, uint32_t cmd, uint32_t addr, uint8_t *buf,
	       uint32_t len);
int psram_write(struct psram *p, uint32_t cmd, uint32_t addr,
		const uint8_t *buf, uint32_t len);
/* One CE# period of `len` bytes, through the transport's exec alone (no
 * burst machinery in the image): a short read that fits one burst, as
 * eid's line probe. Longer than psram_burst_max, or across a page above
 * 84 MHz, is refused (bad-params, range). */
int psram_read_once(struct psram *p, uint32_t cmd, uint32_t addr,
		    uint8_t *buf, uint32_t len);
/* The same with bursts of at most `max` bytes (0: psram_burst_max), for
 * a caller that measured how long the CPU keeps CE# low (psram_pace.h). */
int psram_read_bursts(struct psram *p, uint32_t cmd, uint32_t addr,
		      uint8_t *buf, uint32_t len, uint32_t max);
int psram_write_bursts(struct psram *p, uint32_t cmd, uint32_t addr,
		       const uint8_t *buf, uint32_t len, uint32_t max);
/* The frame of a read or write command in the chip's current mode. */
int psram_frame(struct psram *p, uint32_t cmd, bool write, struct xspi_op *op);
/* Memory-mapped mode with these read and write commands (in the chip's
 * current mode) and the controller settings of cfg; the bus's
 * map_writes says whether CPU writes go through the window. */
int psram_map(struct psram *p, uint32_t read_cmd, uint32_t write_cmd,
	      const struct stub_map *cfg);
int psram_unmap(struct psram *p);
/* Longest burst for `op`'s frame at the current clock within tCEM, in
 * bytes (a multiple of 4 when 4 or more); 0 when the clock is too slow for
 * even one byte. */
uint32_t psram_burst_max(const struct psram *p, const struct xspi_op *op);

/* The read and write commands for a mode (docs/psram-chips.md §2): QPI
 * 0xEB
 * and 0x38; SPI 0x03 up to its own clock limit (no wait cycles), 0x0B
 * above it (8 wait cycles), and 0x02. */
void psram_pick_commands(const struct psram *p, bool qpi, uint32_t *read_cmd,
			 uint32_t *write_cmd);

#endif
