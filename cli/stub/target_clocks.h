/* Bringing the target to a known state before any test, and believing
 * nothing about its clocks that the MCU does not confirm:
 *
 *   reset init, with OpenOCD's log captured: an error inside the board's
 *   reset-init handler is only logged by OpenOCD (the command itself
 *   succeeds, docs/clocks.md), so the log is where it shows;
 *   → the clock registers read back and evaluated per family
 *     (parts/clock_tree.h): oscillators and PLLs ready, the system clock
 *     switched, voltage scale and flash latency enough;
 *   → the computed core and xSPI kernel clocks against the board file's
 *     PSRAM_CPU_HZ and PSRAM_KERNEL_HZ.
 *
 * Any of these stops the command with one line naming the register, the
 * value read and what was expected (exit 3). Once they agree, the board
 * variables carry the computed frequencies, which every report uses. */
#ifndef CLI_TARGET_CLOCKS_H
#define CLI_TARGET_CLOCKS_H

#include <stddef.h>

#include "parts/clock_tree.h"

struct session;

/* `reset init`; PSR_ERR_RESET_INIT (printed) when it fails or its
 * reset-init handler raised an error. */
int target_reset_init(struct session *s);

/* Reads and judges the clock tree; fills *t (zeroed when the family has
 * no clock module, with a warning). PSR_ERR_CLOCKS (printed) on a
 * problem or a mismatch with the board file. */
int target_clocks_check(struct session *s, struct clock_tree *t);

/* The message of the first "Error executing event reset-init" in an
 * OpenOCD log (the line after it, without its FILE:LINE: Error: prefix),
 * copied to msg; 0 when the log holds none. */
int reset_init_log_error(const char *log, char *msg, size_t n);

#endif
