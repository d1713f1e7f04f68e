/* The QUADSPI transport (STM32H742/743/750/753, STM32F7): indirect mode
 * for every op. */
#ifndef TARGET_STUBS_QUADSPI_H
#define TARGET_STUBS_QUADSPI_H

#include "transport/xspi_op.h"

extern const struct xspi_ops quadspi_ops;
/* init, supports and exec of commands and reads, nothing else (no
 * data sent, no bursts, no mapped mode): what eid runs, in the fewest
 * bytes (images/eid_quadspi.c). */
extern const struct xspi_ops quadspi_read_ops;

#define QUADSPI_PRESCALER_MAX 255U

/* CR.PRESCALER for the fastest clock kernel_hz / (PRESCALER + 1) not above
 * clock_hz; QUADSPI_PRESCALER_MAX when even that is too fast (callers
 * refuse such a clock first). */
uint32_t quadspi_prescaler(uint32_t kernel_hz, uint32_t clock_hz);

#endif
