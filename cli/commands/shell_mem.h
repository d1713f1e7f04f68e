/* psramctl shell's memory commands, on the target through OpenOCD: any
 * address the core's bus reaches (RAMs, flash, registers); in the PSRAM
 * window through the stub (shell_psram.h). Transfers move in pieces of
 * STUB_DATA_MAX bytes, so memory stays bounded and Ctrl-C is seen between
 * two of them.
 *
 *   rd ADDR [LEN]         hex dump, LEN bytes (default 4)
 *   wr ADDR HEX...        writes the bytes given as hex ("de ad" or "dead")
 *   fill ADDR LEN HEX     LEN bytes of the pattern repeated
 *   dump ADDR LEN FILE    LEN bytes into FILE
 *   load FILE ADDR        FILE's bytes at ADDR
 *
 * ADDR and LEN are decimal or 0x hex, LEN with an optional K or M. Each
 * returns 0 or a negative enum psr_err, printed. */
#ifndef CLI_SHELL_MEM_H
#define CLI_SHELL_MEM_H

struct session;

int shell_rd(struct session *s, int argc, char **argv);
int shell_wr(struct session *s, int argc, char **argv);
int shell_fill(struct session *s, int argc, char **argv);
int shell_dump(struct session *s, int argc, char **argv);
int shell_load(struct session *s, int argc, char **argv);

#endif
