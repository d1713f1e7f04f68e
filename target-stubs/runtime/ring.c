/* Single-producer ring (the stub writes head, the host writes tail). The
 * host reads DTCM through the debug port while the core runs, so the
 * order of the stub's stores matters: record first, DMB, then head. */
#include "runtime/ring.h"

#include "regs/mmio.h"

int ring_put(struct stub_ctx *ctx, const struct stub_record *rec)
{
	volatile struct stub_ring *ring = &ctx->mb->ring;
	uint32_t head = ring->head;
	volatile struct stub_record *slot;

	if (head - ring->tail >= STUB_RING_RECORDS) {
		struct deadline d;

		timer_deadline_start(&d, &ctx->timer, STUB_RING_WAIT_MS * 1000U);
		while (head - ring->tail >= STUB_RING_RECORDS) {
			if (stub_stop_requested(ctx))
				return STUB_STATUS_STOPPED;
			if (timer_deadline_passed(&d))
				return stub_fail(ctx, STUB_STATUS_RING_TIMEOUT,
						 STUB_DETAIL_RING, head,
						 ring->tail);
		}
	}
	/* The host's tail store (it has read the slot) before our reuse. */
	barrier_dmb();
	slot = &ring->rec[head % STUB_RING_RECORDS];
	slot->type = rec->type;
	slot->width = rec->width;
	slot->code = rec->code;
	slot->a = rec->a;
	slot->b = rec->b;
	slot->c = rec->c;
	barrier_dmb();
	ring->head = head + 1U;
	return STUB_STATUS_OK;
}

int ring_log(struct stub_ctx *ctx, uint16_t code, uint32_t a, uint32_t b,
	     uint32_t c)
{
	struct stub_record rec = {
		.type = STUB_REC_LOG,
		.code = code,
		.a = a,
		.b = b,
		.c = c,
	};

	return ring_put(ctx, &rec);
}

int ring_progress(struct stub_ctx *ctx, uint16_t test, uint32_t done,
		  uint32_t total, uint32_t pass)
{
	struct stub_record rec = {
		.type = STUB_REC_PROGRESS,
		.code = test,
		.a = done,
		.b = total,
		.c = pass,
	};

	ctx->mb->progress_done = done;
	ctx->mb->progress_total = total;
	return ring_put(ctx, &rec);
}
