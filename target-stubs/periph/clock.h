/* Peripheral clocks per family (§4 of docs/hardware-stm32h7.md,
 * docs/hardware-stm32h7a3.md, docs/hardware-stm32f7.md). The kernel clock
 * itself is the board file's business (reset-init); the stub is told it. */
#ifndef TARGET_STUBS_CLOCK_H
#define TARGET_STUBS_CLOCK_H

#include <stdint.h>

/* Enables the GPIO ports in port_mask (bit n = GPIOA + n). */
void clock_gpio_enable(uint32_t family, uint32_t port_mask);
/* Enables the xSPI block at `base` and pulses its reset, so that whatever
 * the firmware left (memory-mapped, busy, hung per ES0396 2.6.2) is gone.
 * Returns an enum stub_status. */
int clock_xspi_enable_reset(uint32_t family, uint32_t base);

#endif
