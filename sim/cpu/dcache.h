/* The Cortex-M7 L1 data cache, in front of the memory-mapped xSPI
 * windows only (Unicorn has no cache; internal memories stay uncached in
 * the model). Geometry, policies and maintenance: docs/psramsim-cpu.md
 * "Level-1 data cache", from the Cortex-M7 TRM (DDI 0489) "Level 1 memory
 * system" and the ARMv7-M ARM (DDI 0403E) B2.2 and B3.5.
 *
 * What reaches the xSPI controller is what silicon sends: 32-byte line
 * fills, 32-byte line evictions and write-throughs of the stores; what the
 * core reads from a valid line is the line, whatever the chip now holds. */
#ifndef SIM_CPU_DCACHE_H
#define SIM_CPU_DCACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"

struct core;
struct dcache;

#define DCACHE_LINE_BYTES 32U
#define DCACHE_WAYS 4U

/* Cache maintenance by address and by set/way (ARMv7-M ARM B2.2.7,
 * Table B2-1: the SCB registers at 0xE000EF5C-0xE000EF74). */
enum dcache_op {
	DCACHE_INVALIDATE,	/* DCIMVAC, DCISW: dirty data is lost */
	DCACHE_CLEAN,		/* DCCMVAC, DCCMVAU, DCCSW */
	DCACHE_CLEAN_INVALIDATE, /* DCCIMVAC, DCCISW */
};

/* A data cache of `kib` KiB (4 or 16: 4-way, 32-byte lines) for the core,
 * in front of every bus region flagged REGION_DCACHE. Returns 0, or -1
 * when out of memory or the size is not one the Cortex-M7 offers. */
int dcache_attach(struct core *cpu, unsigned kib);
/* Frees the core's cache (before core_destroy); cpu may be NULL. */
void dcache_detach(struct core *cpu);

/* Reset: every line invalid, nothing written back (dirty data is lost,
 * as on silicon); CACR to its reset value. */
void dcache_reset(struct dcache *dc);

/* CCSIDR of the data cache (CSSELR.InD = 0) and the instruction cache
 * (InD = 1, the same size, 2-way: Cortex-M7 TRM "Cache sizes"). */
uint32_t dcache_ccsidr(const struct dcache *dc, bool icache);

/* Maintenance by address (`by_set_way` false: `value` is the address) or
 * by set/way. Returns false when a line written back got a bus error:
 * the core takes it as an imprecise BusFault. */
bool dcache_maintain(struct dcache *dc, enum dcache_op op, bool by_set_way,
		     uint32_t value);

/* CACR (Cortex-M7 TRM "L1 Cache Control Register", 0xE000EF9C). */
uint32_t dcache_cacr(const struct dcache *dc);
void dcache_set_cacr(struct dcache *dc, uint32_t v);

/* CCR.DC changes (value as written, old value): the enable is checked
 * against an invalidation since reset. */
void dcache_ccr_written(struct dcache *dc, uint32_t old_ccr, uint32_t ccr);

#endif
