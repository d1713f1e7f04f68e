/* The target core as seen through OpenOCD: memory, registers, run control.
 * Each function is one step a command needs — load an image, start it,
 * read memory while it runs, wait for its BKPT, halt it on a deadline —
 * and each wait is bounded.
 *
 * Results: 0; PSR_ERR_TARGET or PSR_ERR_NOT_HALTED or PSR_ERR_VERIFY with
 * the reason in target_error() and nothing printed (the caller knows what
 * the access was for and says so); or a transport error from the link,
 * already printed. */
#ifndef CLI_TARGET_H
#define CLI_TARGET_H

#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"
#include "link/tcl_link.h"

/* Cortex-M xPSR with only the Thumb bit: resume does not set T itself
 * (docs/openocd.md §5, ARMv7-M ARM B1.4.2: T must be 1). */
#define TARGET_XPSR_THUMB 0x01000000u

enum target_state {
	TARGET_UNKNOWN,
	TARGET_RUNNING,
	TARGET_HALTED,
	TARGET_RESET,
	TARGET_DEBUG_RUNNING,
};

typedef void (*target_progress_fn)(void *ctx, size_t done, size_t total);

struct target {
	struct tcl_link *link;
	char *name;              /* OpenOCD's name, e.g. stm32h7x.cpu0 */
	struct strbuf error;     /* why the last call failed */
	target_progress_fn progress; /* bulk transfers report here if set */
	void *progress_ctx;
};

/* Makes name (NULL: OpenOCD's current target) the target of the following
 * commands. */
int target_open(struct target *t, struct tcl_link *link, const char *name);
void target_close(struct target *t);
const char *target_error(const struct target *t);

/* Any length and alignment; 32-bit accesses where aligned, split into
 * commands within OpenOCD's 65536-element and 4 MiB line limits. Works
 * while the core runs. */
int target_read_mem(struct target *t, uint32_t addr, void *buf, size_t len);
int target_write_mem(struct target *t, uint32_t addr, const void *buf,
		     size_t len);
/* One access of exactly that width (registers care). */
int target_read_u32(struct target *t, uint32_t addr, uint32_t *value);
int target_read_u16(struct target *t, uint32_t addr, uint16_t *value);
int target_write_u32(struct target *t, uint32_t addr, uint32_t value);

int target_get_state(struct target *t, enum target_state *state);
const char *target_state_name(enum target_state state);

/* Halts the core; PSR_ERR_NOT_HALTED if it is not halted within
 * timeout_ms. */
int target_halt(struct target *t, int timeout_ms);
/* Waits for the core to halt by itself (BKPT); PSR_ERR_NOT_HALTED if it
 * still runs after timeout_ms. */
int target_wait_halt(struct target *t, int timeout_ms);
/* Registers by OpenOCD name (r0..r12 sp lr pc xPSR msp psp ...), read
 * from the core (`get_reg -force`), never from a stale cache. */
int target_read_regs(struct target *t, const char *const names[],
		     uint32_t values[], size_t n);

/* Halts the core, writes the len bytes of image at addr and reads back
 * the first read_back of them (PSR_ERR_VERIFY where one differs); what
 * proves the rest arrived is the caller's (the stub's image check). */
int target_load(struct target *t, uint32_t addr, const void *image,
		size_t len, size_t read_back);
/* Starts code at pc (Thumb) with sp and r0, r1, r2 = args set and xPSR = T only;
 * the core must be halted (target_load leaves it so). */
int target_start(struct target *t, uint32_t pc, uint32_t sp,
		 const uint32_t args[3]);
/* Halts a core that did not finish in time, and tells where it was. */
int target_stop(struct target *t, int timeout_ms, uint32_t *pc);

#endif
