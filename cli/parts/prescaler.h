/* The xSPI prescaler ladder: the clocks a controller can make from its
 * kernel clock, kernel / (PRESCALER + 1) with an 8-bit PRESCALER
 * (RM0433 §23.5.1 QUADSPI_CR PRESCALER[7:0]; RM0385 §14.5.1 QUADSPI_CR;
 * RM0455 OCTOSPI_DCR2 PRESCALER[7:0]). The one list of clocks that
 * `margin` sweeps and `verify` searches. Pure functions. */
#ifndef CLI_PRESCALER_H
#define CLI_PRESCALER_H

#include <stddef.h>
#include <stdint.h>

/* PRESCALER is 8 bits wide: 256 steps. */
#define XSPI_PRESCALERS 256u

/* The achievable clocks from kernel_hz that lie within [min_hz, max_hz]
 * (half a hertz either side), from slow to fast, at most `max` of them
 * into hz[]. Each is rounded up, so that asking the stub for it (it takes
 * the fastest clock not above the ask) lands on that very prescaler.
 * Returns how many were written. */
size_t prescaler_ladder(uint32_t kernel_hz, uint32_t min_hz, uint32_t max_hz,
			uint32_t *hz, size_t max);

#endif
