/* Did the firmware start? After psramctl flash resets into a new image,
 * the core is sampled for about half a second and classified:
 *
 *   running         it executes, outside any fault handler;
 *   faulting        it sits in HardFault (or MemManage, BusFault,
 *                   UsageFault): the address that faulted (the PC stacked
 *                   on exception entry) and CFSR, HFSR, MMFAR, BFAR;
 *   locked up       a fault inside a fault handler (DHCSR.S_LOCKUP);
 *   stuck in reset  it resets again and again (DHCSR.S_RESET_ST seen set
 *                   on most samples: a watchdog, or a handler that
 *                   resets).
 *
 * The sticky DHCSR bits (ARMv7-M ARM C1.6.2: S_RESET_ST and S_RETIRE_ST
 * clear on read) are read with OpenOCD's background polling off, which
 * would consume them; the core is halted only once, briefly, to read its
 * PC and fault registers (B3.2.15-B3.2.18), then resumed. */
#ifndef CLI_START_CHECK_H
#define CLI_START_CHECK_H

#include <stdint.h>

#include "image/image.h"
#include "link/ocd_target.h"
#include "link/tcl_link.h"
#include "util/strbuf.h"

/* The image's vector table where the core boots: initial SP, reset and
 * HardFault handlers (B1.5.3). known is 0 when the image has no data at
 * base. */
struct start_vectors {
	int known;
	uint32_t sp, reset, hardfault;
};

void start_vectors_of(const struct image *img, uint32_t base,
		      struct start_vectors *v);

enum start_state {
	START_RUNNING,
	START_FAULTING,
	START_LOCKUP,
	START_RESET_LOOP,
};

struct start_report {
	enum start_state state;
	unsigned samples, resets;
	uint32_t pc, xpsr;
	uint32_t fault_pc;	/* stacked PC; 0 when unknown */
	uint32_t cfsr, hfsr, mmfar, bfar;
};

/* Samples the core just after `reset run`. 0 with rep filled, or a
 * negative code (printed) when the target could not be read. */
int start_check(struct tcl_link *link, struct target *t,
		const struct start_vectors *v, struct start_report *rep);

/* "running", "faulting", "locked-up", "reset-loop" (for --json). */
const char *start_state_name(enum start_state s);
/* One line of words: "the firmware faults: HardFault at 0x08000123
 * (forced from UsageFault: undefined instruction); CFSR 0x00010000 HFSR
 * 0x40000000". */
void start_describe(const struct start_report *rep, struct strbuf *sb);

#endif
