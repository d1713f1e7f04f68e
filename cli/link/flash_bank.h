/* OpenOCD's flash-bank commands as psramctl flash uses them: which
 * OpenOCD bank serves each bank of the MCU's layout, sector erase,
 * programming and CRC verification of a chunk file, and a failed write's
 * log in words. File names reach Tcl quoted (link/tcl_quote.h); numbers
 * are formatted here. Each returns 0, PSR_ERR_TCL with OpenOCD's message
 * in *msg (to be freed; the caller words the failure), or a transport
 * error already printed by the link. */
#ifndef CLI_FLASH_BANK_H
#define CLI_FLASH_BANK_H

#include <stdint.h>

#include "image/flash_plan.h"
#include "link/tcl_link.h"
#include "util/strbuf.h"

/* OpenOCD's bank number for each bank of l (-1 where it declares none),
 * from `flash list`. needed[b] set means bank b must exist: its absence
 * is an error, printed. */
int flash_bank_map(struct tcl_link *link, const struct flash_layout *l,
		   const int needed[FLASH_MAX_BANKS],
		   int ocd_bank[FLASH_MAX_BANKS]);

int flash_bank_erase(struct tcl_link *link, int bank, unsigned sector,
		     char **msg, int timeout_ms);

/* file written at offset bytes into OpenOCD bank `bank`. */
int flash_bank_write(struct tcl_link *link, int bank, const char *file,
		     uint32_t offset, char **msg, int timeout_ms);

/* The CRC of file against the flash at addr (OpenOCD computes it on the
 * target). A mismatch is PSR_ERR_TCL with "checksum mismatch" in *msg. */
int flash_bank_verify(struct tcl_link *link, const char *file,
		      uint32_t addr, char **msg, int timeout_ms);

/* What OpenOCD logged about a failed flash write, on one line: its
 * "FLASH_SR = 0x..." decoded into the RM0433 §4.9.5 flags, else its last
 * line. */
void flash_bank_describe_write_error(const char *log, struct strbuf *sb);

#endif
