/*
 * bench: how fast the chip reads and writes, per transfer size, timed with
 * the DWT cycle counter (CYCCNT, unlocked and started by timer_init; on
 * psramsim it counts the virtual clock).
 *
 *   QUADSPI at the requested clock → pins → reset → QPI if asked →
 *   for each pass, size and op: one untimed transfer, then transfers
 *   back to back for at least STUB_BENCH_SAMPLE_US → SAMPLE record
 *   (code = op, a = size, b = cycles, c = bytes) → SPI mode again
 *
 * A transfer is what a program does with the memory: a read or write of
 * `size` bytes to or from RAM, split into the bursts the chip allows:
 * pages, and tCEM at the FIFO service rate measured as it goes
 * (psram_pace.h), so that a CPU slower than the wire never holds CE# low
 * past tCEM. Transfers start at page-aligned addresses
 * when they fit in a page, so that none crosses a page it need not
 * (above 84 MHz a crossing costs a burst), and follow each other through
 * the range. The figures are the whole loop's: command overhead, FIFO
 * service and the stub's own instructions included.
 *
 * Commands (docs/psram-chips.md §2): QPI 0xEB read and 0x38 write (4-4-4);
 * SPI 1-1-1 0x03 read up to its 33 MHz limit, 0x0B above, 0x02 write.
 */
#include "runtime/board_setup.h"
#include "chip/psram_protocol.h"
#include "commands/paced_session.h"
#include "runtime/ring.h"

/* The RAM side of the transfers. Larger transfers go through it in
 * pieces at consecutive chip addresses; a multiple of the page, so that
 * the pieces end where a burst would end anyway above 84 MHz. */
#define BENCH_BUF_BYTES 8192U
/* A sample is at least this many transfers, however long each takes. */
#define BENCH_MIN_TRANSFERS 4U
/* The stub moves words through the data register (xspi_indirect.h). */
#define BENCH_UNIT 4U

static uint32_t bench_buf[BENCH_BUF_BYTES / 4U];

struct bench {
	struct paced_bus bus;
	uint32_t start;		/* chip offset of the range */
	uint32_t end;
	uint32_t target_cycles;	/* length of one sample */
};

static uint32_t chip_bytes(const volatile struct stub_params *prm)
{
	return prm->chip_size ? prm->chip_size : 8U * 1024U * 1024U;
}

/* Transfers that fit in a page start at a multiple of the next power of
 * two, larger ones at a page boundary. */
static uint32_t stride_of(uint32_t size)
{
	uint32_t s = 1U;

	if (size > PSRAM_PAGE_BYTES)
		return (size + PSRAM_PAGE_BYTES - 1U) & ~(PSRAM_PAGE_BYTES - 1U);
	while (s < size)
		s <<= 1;
	return s;
}

static int check_bench_params(struct stub_ctx *ctx, struct bench *b)
{
	const volatile struct stub_params *prm = &ctx->mb->params;
	uint32_t size = chip_bytes(prm);
	uint32_t len = prm->range_len ? prm->range_len : size;
	uint32_t ops = prm->ops;
	uint32_t n = prm->size_count;

	if (prm->clock_hz == 0U)
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS,
				 STUB_DETAIL_CLOCK_HZ, 0U, prm->kernel_hz);
	if (prm->mode != STUB_MODE_SPI && prm->mode != STUB_MODE_QPI)
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS, STUB_DETAIL_MODE,
				 prm->mode, 0U);
	if (ops == 0U || (ops & ~(STUB_OP_READ | STUB_OP_WRITE)))
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS, STUB_DETAIL_OPS,
				 ops, 0U);
	if (prm->range_start >= size || len > size - prm->range_start)
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS, STUB_DETAIL_RANGE,
				 prm->range_start, len);
	if (n == 0U || n > STUB_SIZES_MAX)
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS, STUB_DETAIL_SIZES,
				 n, STUB_SIZES_MAX);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t s = prm->sizes[i];

		if (s == 0U || s > STUB_BENCH_SIZE_MAX || stride_of(s) > len)
			return stub_fail(ctx, STUB_STATUS_BAD_PARAMS,
					 STUB_DETAIL_SIZES, s, i);
	}
	b->start = prm->range_start;
	b->end = prm->range_start + len;
	return STUB_STATUS_OK;
}

static int transfer(struct stub_ctx *ctx, struct bench *b, uint32_t op,
		    uint32_t addr, uint32_t size)
{
	uint8_t *buf = (uint8_t *)bench_buf;

	struct paced_bus *bus = &b->bus;

	while (size != 0U) {
		uint32_t n = size < BENCH_BUF_BYTES ? size : BENCH_BUF_BYTES;
		int st = op == STUB_OP_READ
				 ? psram_read_paced(&ctx->psram, &bus->pace[0],
						    bus->read_cmd, addr, buf, n,
						    BENCH_UNIT)
				 : psram_write_paced(&ctx->psram, &bus->pace[1],
						     bus->write_cmd, addr, buf,
						     n, BENCH_UNIT);

		if (st != STUB_STATUS_OK)
			return bus_status(ctx, st);
		addr += n;
		size -= n;
	}
	return STUB_STATUS_OK;
}

/* Transfers of `size` back to back through the range until the sample is
 * long enough; the loop's own cost is part of the figure. */
static int sample(struct stub_ctx *ctx, struct bench *b, uint32_t op,
		  uint32_t size)
{
	struct stub_record rec = {
		.type = STUB_REC_SAMPLE,
		.code = (uint16_t)op,
		.a = size,
	};
	uint32_t stride = stride_of(size);
	uint32_t addr = b->start;
	uint32_t count = 0;
	uint32_t t0, elapsed;
	int st;

	/* Untimed: the first transfer may pay for things the others do not
	 * (on silicon, instruction fetch and bus warm-up; here the pacing's
	 * first timings too). */
	st = transfer(ctx, b, op, addr, size);
	if (st != STUB_STATUS_OK)
		return st;
	t0 = timer_now();
	do {
		st = transfer(ctx, b, op, addr, size);
		if (st != STUB_STATUS_OK)
			return st;
		count++;
		addr += stride;
		if (b->end - addr < stride)
			addr = b->start;
		elapsed = timer_now() - t0;
	} while (elapsed < b->target_cycles || count < BENCH_MIN_TRANSFERS);
	rec.b = elapsed;
	rec.c = count * size;
	return ring_put(ctx, &rec);
}

/* The passes, once paced_session has the chip started. */
static int bench_run(struct stub_ctx *ctx, void *arg)
{
	struct bench *b = arg;
	const volatile struct stub_params *prm = &ctx->mb->params;
	uint32_t passes = prm->passes ? prm->passes : 1U;
	uint32_t ops = prm->ops;
	uint32_t n = prm->size_count;
	int st;

	ctx->mb->progress_total = passes * n;
	for (uint32_t pass = 0; pass < passes; pass++) {
		for (uint32_t i = 0; i < n; i++) {
			uint32_t size = prm->sizes[i];

			if (stub_stop_requested(ctx))
				return STUB_STATUS_STOPPED;
			/* Writes first: the reads then return known data. */
			if (ops & STUB_OP_WRITE) {
				st = sample(ctx, b, STUB_OP_WRITE, size);
				if (st != STUB_STATUS_OK)
					return st;
			}
			if (ops & STUB_OP_READ) {
				st = sample(ctx, b, STUB_OP_READ, size);
				if (st != STUB_STATUS_OK)
					return st;
			}
			ctx->mb->progress_done = pass * n + i + 1U;
		}
	}
	return STUB_STATUS_OK;
}

int cmd_bench(struct stub_ctx *ctx)
{
	struct bench b;
	int st;

	st = bus_check_params(ctx);
	if (st != STUB_STATUS_OK)
		return st;
	st = check_bench_params(ctx, &b);
	if (st != STUB_STATUS_OK)
		return st;
	b.target_cycles = STUB_BENCH_SAMPLE_US * ctx->timer.cycles_per_us;
	for (uint32_t i = 0; i < BENCH_BUF_BYTES / 4U; i++)
		bench_buf[i] = 0xA5C30000U ^ (i * 0x01010101U);

	return paced_session(ctx, &b.bus, bench_run, &b);
}
