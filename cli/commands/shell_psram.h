/* psramctl shell's memory commands on the PSRAM window. psramctl keeps the
 * xSPI in indirect mode, so the window (PSRAM_XSPI_WINDOW, 256 MiB) reads
 * as nothing through OpenOCD; an address in it is a chip offset instead,
 * and the stub's read and write commands move the bytes (through its
 * buffer at STUB_DATA_ADDR, at most STUB_DATA_MAX a run). */
#ifndef CLI_SHELL_PSRAM_H
#define CLI_SHELL_PSRAM_H

#include <stdint.h>

struct session;

/* Where [addr, addr + len) lies: 0 outside the window (OpenOCD serves
 * it), 1 inside the chip with *off its chip offset, or PSR_ERR_USAGE,
 * printed, when it reaches into the window past the chip's end or
 * straddles the window's start. Board file errors are returned printed. */
int shell_psram_locate(struct session *s, uint32_t addr, uint64_t len,
		       uint32_t *off);

/* len (1..STUB_DATA_MAX) bytes at chip offset off, through the stub. 0 or
 * a negative enum psr_err, printed (PSR_ERR_INTERRUPTED is not). */
int shell_psram_read(struct session *s, uint32_t off, uint8_t *buf,
		     uint32_t len);
int shell_psram_write(struct session *s, uint32_t off, const uint8_t *buf,
		      uint32_t len);

#endif
