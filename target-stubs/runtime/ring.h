/* Result records into the mailbox ring, streamed by the host while the
 * stub runs (protocol in stub_abi.h). */
#ifndef TARGET_STUBS_RING_H
#define TARGET_STUBS_RING_H

#include <stdint.h>

#include "runtime/stub.h"

/* Queues one record; waits up to STUB_RING_WAIT_MS while the ring is full.
 * Returns STUB_STATUS_OK, STUB_STATUS_RING_TIMEOUT or STUB_STATUS_STOPPED. */
int ring_put(struct stub_ctx *ctx, const struct stub_record *rec);
int ring_log(struct stub_ctx *ctx, uint16_t code, uint32_t a, uint32_t b,
	     uint32_t c);
int ring_progress(struct stub_ctx *ctx, uint16_t test, uint32_t done,
		  uint32_t total, uint32_t pass);

#endif
