/* The Cortex-M7 state the stub owns: interrupts, fault handlers, data
 * cache and the MPU. */
#ifndef TARGET_STUBS_CORE_H
#define TARGET_STUBS_CORE_H

#include <stdint.h>

/* Quiets every interrupt source a halted firmware may have left enabled,
 * enables the configurable fault handlers, clears stale fault status,
 * turns the data cache off and hands the MPU to the stub, then unmasks. */
void core_setup(void);

/* The xSPI window is no-access, so the core never reads it speculatively
 * while the controller is not memory-mapped (the stub never maps it):
 * docs/hardware-stm32h7.md §6.7 and docs/psram-chips.md §9.15. */
void core_mpu_block_window(uint32_t window);

/* memtest --mode mapped: the first 2^size_log2 bytes of the window get
 * the attributes of `mpu` (enum stub_mpu; STUB_MPU_OFF: no region, the
 * default memory map, which makes 0x90000000 Normal write-through memory,
 * ARMv7-M ARM B3.1 Table B3-1, uncached while the data cache stays off),
 * the rest stays no-access. With
 * a cacheable attribute the data cache is turned on, and core_dcache_*
 * keep the test's view and the chip's the same; core_mpu_unmap_window
 * cleans it, turns it off and blocks the window again. */
void core_mpu_map_window(uint32_t window, uint32_t size_log2, uint32_t mpu);
void core_mpu_unmap_window(uint32_t window);
/* Written data on its way to the chip (clean and invalidate), and data
 * about to be read from it (invalidate), by address; no-ops when the
 * cache is off. */
void core_dcache_flush(uint32_t addr, uint32_t len);
void core_dcache_discard(uint32_t addr, uint32_t len);

#endif
