/* The frame bench and margin run their measurements in: the bus up, the
 * chip started in the mailbox's mode with a pacer per direction, and the
 * chip back in SPI mode afterwards (paced_session.c). */
#ifndef TARGET_STUBS_PACED_SESSION_H
#define TARGET_STUBS_PACED_SESSION_H

#include <stdint.h>

#include "chip/psram_pace.h"
#include "runtime/stub.h"

/* What a paced command moves data with: the mode's read and write
 * commands, and bursts cut from the FIFO service time measured
 * (psram_pace.h), so that a fault is the chip's, never CE# held past
 * tCEM by the stub. */
struct paced_bus {
	uint32_t read_cmd;
	uint32_t write_cmd;
	struct psram_pace pace[2];	/* read, write */
};

/* Clocks, transport at the mailbox's clock and pins on; the chip reset
 * and put in the mailbox's mode (bus_psram_start) into `bus`, both pacers
 * reset; then run(ctx, arg). Whatever happened, the chip is left in SPI
 * mode, where the next command expects it (a failed exit is no worse
 * than before). Returns the first failure, else run's status. */
int paced_session(struct stub_ctx *ctx, struct paced_bus *bus,
		  int (*run)(struct stub_ctx *ctx, void *arg), void *arg);

#endif
