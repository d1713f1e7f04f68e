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

#endif
