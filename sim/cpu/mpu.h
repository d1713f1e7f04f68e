/* The memory attributes the core applies to an address (ARMv7-M ARM B3.5,
 * PMSAv7, and the default memory map of B3.1.1): for bus models that
 * behave differently by memory type, such as a cache in front of a
 * memory-mapped window, which caches only Normal cacheable memory. */
#ifndef SIM_CPU_MPU_H
#define SIM_CPU_MPU_H

#include <stdbool.h>
#include <stdint.h>

struct core;

enum mem_type {
	MEM_STRONGLY_ORDERED,
	MEM_DEVICE,
	MEM_NORMAL,
};

/* Cache policy of Normal memory (B3.5.9 Table B3-13, B3-14). */
enum mem_cache {
	CACHE_NONE,		/* non-cacheable */
	CACHE_WRITE_THROUGH,	/* write-through, no write-allocate */
	CACHE_WRITE_BACK_WA,	/* write-back, write and read allocate */
	CACHE_WRITE_BACK_NO_WA,	/* write-back, no write-allocate */
};

struct mem_attr {
	enum mem_type type;
	enum mem_cache inner, outer;	/* Normal memory only */
	bool shareable;
	bool execute_never;
	/* Access permissions (AP, B3.5.8) */
	bool priv_read, priv_write, user_read, user_write;
	int region;		/* MPU region that applies, or -1 for the
				 * default map (MPU off, or background) */
};

/* The attributes for `addr` as a privileged (`privileged`) or
 * unprivileged access. Returns false when no region matches and the
 * background map does not apply: any access there faults. */
bool core_mem_attr(struct core *cpu, uint32_t addr, bool privileged,
		   struct mem_attr *attr);

/* True while MPU_CTRL.ENABLE is set. */
bool core_mpu_enabled(const struct core *cpu);

#endif
