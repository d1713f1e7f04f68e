/* The system bus seen by the core (through Unicorn) and by the debugger
 * (through the MEM-APs): a list of address regions, each either plain memory
 * or a peripheral model with read/write callbacks. */
#ifndef SIM_BUS_H
#define SIM_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum bus_master { BUS_MASTER_CPU, BUS_MASTER_DEBUG };

/* A peripheral model. size is 1, 2 or 4 and offset is relative to the region
 * base. Returning false is a bus error: a BusFault for the core, STICKYERR
 * for the debugger. `master` lets a model tell CPU from debugger accesses
 * (e.g. a FIFO that a debugger read must not pop). */
struct mmio_ops {
	bool (*read)(void *dev, uint32_t offset, unsigned size, uint32_t *value,
		     enum bus_master master);
	bool (*write)(void *dev, uint32_t offset, unsigned size, uint32_t value,
		      enum bus_master master);
};

enum region_flags {
	REGION_READ = 1U << 0,
	REGION_WRITE = 1U << 1,
	REGION_EXEC = 1U << 2,
	/* Memory the core executes from, whose writes are decided by a model
	 * (internal flash): reads come from `mem`, writes go to ops->write and
	 * the model updates `mem` through bus_update_mem(). */
	REGION_WRITE_BY_MODEL = 1U << 3,
	/* A memory-mapped xSPI window: the core's L1 data cache sits in
	 * front of it (cpu/dcache.h); other memories are not cached in the
	 * model. */
	REGION_DCACHE = 1U << 4,
};

struct bus_region {
	const char *name;
	uint32_t base;
	uint32_t size;
	unsigned flags;
	uint8_t *mem;			/* memory regions; NULL for MMIO */
	const struct mmio_ops *ops;	/* MMIO regions and WRITE_BY_MODEL */
	void *dev;
	/* Optional clock gate: when it returns false the peripheral does not
	 * respond (reads 0, writes ignored), as an unclocked block on silicon. */
	bool (*clocked)(void *gate_ctx);
	void *gate_ctx;
	/* Optional, MMIO regions: true when a CPU read of the register at
	 * `offset` has no side effect and its value changes only by a write
	 * or at a vclock event, never with the mere passing of time. A guest
	 * loop that polls only such registers and memory repeats identically
	 * until the next event, so the core may skip it (cpu/idle.c).
	 * Registers that move with time (counters, a FIFO level the wire
	 * model drains) and reads that pop or clear something answer false;
	 * without the callback no register of the region is stable. */
	bool (*read_stable)(void *dev, uint32_t offset);
};

#define BUS_MAX_REGIONS 64

/* Called when memory that may hold code changes behind the core's back
 * (debugger write, flash programming), so stale translations are dropped. */
typedef void (*bus_code_changed_fn)(void *ctx, uint32_t addr, uint32_t len);

struct bus {
	struct bus_region regions[BUS_MAX_REGIONS];
	unsigned count;
	bus_code_changed_fn code_changed;
	void *code_changed_ctx;
	/* The debugger's access under way has HPROT[3] (Cacheable) set: it
	 * looks up the core's data cache (cpu/dcache.c). */
	bool debug_cacheable;
};

void bus_init(struct bus *bus);
struct bus_region *bus_add_memory(struct bus *bus, const char *name,
				  uint32_t base, uint32_t size, unsigned flags);
struct bus_region *bus_add_mmio(struct bus *bus, const char *name,
				uint32_t base, uint32_t size,
				const struct mmio_ops *ops, void *dev);
void bus_free(struct bus *bus);

/* The region containing [addr, addr+size), or NULL. */
struct bus_region *bus_find(struct bus *bus, uint32_t addr, uint32_t size);

/* One naturally aligned access of 1, 2 or 4 bytes, little-endian.
 * Returns false on a bus error (unmapped, not permitted, model refused). */
bool bus_read(struct bus *bus, uint32_t addr, unsigned size, uint32_t *value,
	      enum bus_master master);
bool bus_write(struct bus *bus, uint32_t addr, unsigned size, uint32_t value,
	       enum bus_master master);

/* A CPU read at `addr` in region `r` leaves an idle loop idle: memory,
 * or a register its model calls event-stable (bus_region.read_stable). */
bool bus_read_stable(const struct bus_region *r, uint32_t addr);

/* For WRITE_BY_MODEL regions: the model changed bytes the core reads. */
void bus_update_mem(struct bus *bus, struct bus_region *region,
		    uint32_t offset, const void *data, uint32_t len);
/* The same, every byte set to `byte`. */
void bus_fill_mem(struct bus *bus, struct bus_region *region,
		  uint32_t offset, uint8_t byte, uint32_t len);

#endif
