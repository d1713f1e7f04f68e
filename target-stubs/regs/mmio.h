/* Register access and the barriers the Cortex-M7 needs. Peripheral bases
 * come from the mailbox at run time, so registers are base + offset. */
#ifndef TARGET_STUBS_MMIO_H
#define TARGET_STUBS_MMIO_H

#include <stdint.h>

static inline uint32_t mmio_read32(uint32_t addr)
{
	return *(volatile uint32_t *)(uintptr_t)addr;
}

static inline void mmio_write32(uint32_t addr, uint32_t value)
{
	*(volatile uint32_t *)(uintptr_t)addr = value;
}

static inline uint8_t mmio_read8(uint32_t addr)
{
	return *(volatile uint8_t *)(uintptr_t)addr;
}

static inline void mmio_write8(uint32_t addr, uint8_t value)
{
	*(volatile uint8_t *)(uintptr_t)addr = value;
}

static inline uint16_t mmio_read16(uint32_t addr)
{
	return *(volatile uint16_t *)(uintptr_t)addr;
}

static inline void mmio_write16(uint32_t addr, uint16_t value)
{
	*(volatile uint16_t *)(uintptr_t)addr = value;
}

static inline void mmio_update32(uint32_t addr, uint32_t mask, uint32_t value)
{
	mmio_write32(addr, (mmio_read32(addr) & ~mask) | (value & mask));
}

/* Orders memory accesses as other observers (the debugger reading the
 * mailbox) see them. */
static inline void barrier_dmb(void)
{
	__asm__ volatile("dmb" ::: "memory");
}

/* Completes outstanding accesses, then refetches: after SCS writes that
 * change how memory or exceptions behave (VTOR, MPU, CCR). */
static inline void barrier_sync(void)
{
	__asm__ volatile("dsb\n\tisb" ::: "memory");
}

#endif
