/* The bare simulated Cortex-M7 the core tests share (sim_core_exc.c,
 * sim_core_mpu.c, sim_dcache.c): one bus, a 64 MHz virtual clock and the
 * core, with the System PPB (ARMv7-M ARM B3.1) mapped after the test's own
 * regions. The file that includes this header owns the rig below. */
#ifndef TESTS_UNIT_CORE_RIG_H
#define TESTS_UNIT_CORE_RIG_H

#include <stdint.h>
#include <string.h>

#include "bus.h"
#include "cpu/core_internal.h"
#include "util/vclock.h"

static struct bus bus;
static struct vclock clk;
static struct core *cpu;

/* The core's own 32-bit accesses. */
static inline void w32(uint32_t addr, uint32_t v)
{
	bus_write(&bus, addr, 4, v, BUS_MASTER_CPU);
}

static inline uint32_t r32(uint32_t addr)
{
	uint32_t v = 0;

	bus_read(&bus, addr, 4, &v, BUS_MASTER_CPU);
	return v;
}

/* Thumb halfwords written as the debugger loads a program. */
static inline void put16(uint32_t addr, const uint16_t *code, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		bus_write(&bus, addr + 2 * i, 2, code[i], BUS_MASTER_DEBUG);
}

/* Ends the core and its bus, if there is one. */
static inline void core_rig_free(void)
{
	if (!cpu)
		return;
	core_destroy(cpu);
	bus_free(&bus);
	cpu = NULL;
}

/* Ends the previous test's core and starts an empty bus; the test adds
 * its regions, then calls core_rig_core. */
static inline void core_rig_bus(void)
{
	core_rig_free();
	memset(&clk, 0, sizeof(clk));
	clk.cpu_hz = 64000000U;
	bus_init(&bus);
}

/* The PPB, then the core with its vector table at vtor. */
static inline void core_rig_core(uint32_t vtor)
{
	struct bus_region *ppb = bus_add_mmio(&bus, "PPB", 0xE0000000U,
					      0x100000, core_ppb_ops(), NULL);

	cpu = core_create(&bus, &clk, vtor);
	ppb->dev = cpu;
}

#endif
