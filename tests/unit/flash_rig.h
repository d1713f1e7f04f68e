/* The bus the flash-controller tests share (sim_flash_ctrl.c,
 * sim_flash_f7.c): the virtual clock at the core's frequency and the
 * flash array as a region only the controller model writes. */
#ifndef TESTS_UNIT_FLASH_RIG_H
#define TESTS_UNIT_FLASH_RIG_H

#include "bus.h"
#include "util/log.h"
#include "util/vclock.h"

static inline struct bus_region *flash_rig_bus(struct bus *bus,
					       struct vclock *clk,
					       uint32_t cpu_hz, uint32_t base,
					       uint32_t size)
{
	sim_log_quiet(1);
	clk->cpu_hz = cpu_hz;
	bus_init(bus);
	return bus_add_memory(bus, "flash", base, size,
			      REGION_READ | REGION_EXEC |
				      REGION_WRITE_BY_MODEL);
}

/* The controller model dev behind the array (mem_ops: it alone writes
 * the cells) and its register window (reg_ops) at regs. */
static inline void flash_rig_attach(struct bus *bus, struct bus_region *array,
				    void *dev, const struct mmio_ops *mem_ops,
				    uint32_t regs, uint32_t reg_size,
				    const struct mmio_ops *reg_ops)
{
	array->ops = mem_ops;
	array->dev = dev;
	bus_add_mmio(bus, "FLASH", regs, reg_size, reg_ops, dev);
}

/* A word as the debugger reads it; 0 where nothing answers. */
static inline uint32_t flash_rig_read32(struct bus *bus, uint32_t addr)
{
	uint32_t v = 0;

	bus_read(bus, addr, 4, &v, BUS_MASTER_DEBUG);
	return v;
}

#endif
