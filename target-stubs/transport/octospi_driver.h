/* The OCTOSPI transport (STM32H7A3/B3/B0): indirect mode for every op. */
#ifndef TARGET_STUBS_OCTOSPI_H
#define TARGET_STUBS_OCTOSPI_H

#include "transport/xspi_op.h"

extern const struct xspi_ops octospi_ops;
/* init, supports and exec of commands and reads, nothing else (no
 * data sent, no bursts, no mapped mode): what eid runs, in the fewest
 * bytes (images/eid_octospi.c). */
extern const struct xspi_ops octospi_read_ops;

#define OCTOSPI_PRESCALER_MAX 255U

/* DCR2.PRESCALER for the fastest clock kernel_hz / (PRESCALER + 1) not
 * above clock_hz; OCTOSPI_PRESCALER_MAX when even that is too fast. */
uint32_t octospi_prescaler(uint32_t kernel_hz, uint32_t clock_hz);

#endif
