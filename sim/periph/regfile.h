/* A block of plain 32-bit registers with reset values and writable-bit
 * masks: enough for peripherals whose registers only need to hold what is
 * written (DBGMCU, SWTF, PWR, ...), with read-only and auto-ready bits given
 * per register. */
#ifndef SIM_REGFILE_H
#define SIM_REGFILE_H

#include <stdint.h>

#include "bus.h"

struct regfile_reg {
	uint32_t offset;
	uint32_t reset;
	uint32_t writable;	/* bits a write changes */
	/* Ready bits that follow request bits at once: when (value & req)
	 * then ready bits are set, else cleared (e.g. PWR VOSRDY). */
	uint32_t req_mask, ready_mask;
};

struct regfile {
	const char *name;
	uint32_t size;
	const struct regfile_reg *regs;
	unsigned nregs;
	uint32_t *values;
	/* Offsets not listed: read as zero and writes ignored (true), or a
	 * bus error (false). */
	int unlisted_raz;
};

struct regfile *regfile_create(const char *name, uint32_t size,
			       const struct regfile_reg *regs, unsigned nregs,
			       int unlisted_raz);
void regfile_destroy(struct regfile *rf);
void regfile_reset(struct regfile *rf);
void regfile_set(struct regfile *rf, uint32_t offset, uint32_t value);
const struct mmio_ops *regfile_ops(void);

#endif
