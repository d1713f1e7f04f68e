/*
 * The stub's C entry: own the core, announce the ABI, check the entry
 * contract, run the command from the table, publish the status. Returning
 * from stub_main lands on the BKPT at STUB_EXIT_ADDR (startup.S).
 */
#include "runtime/core.h"
#include "regs/mmio.h"
#include "runtime/stub.h"
#include "runtime/clock_ref.h"
#include "runtime/command_table.h"

struct stub_mailbox stub_mailbox __attribute__((section(".mailbox"), used));

const struct stub_image_header stub_image_header
	__attribute__((section(".image_header"), used)) = {
		.magic = STUB_IMAGE_MAGIC,
		.abi_version = STUB_ABI_VERSION,
		.load_addr = STUB_LOAD_ADDR,
		.entry_addr = STUB_ENTRY_ADDR,
		.exit_addr = STUB_EXIT_ADDR,
		.mailbox_addr = STUB_MAILBOX_ADDR,
		.mailbox_size = sizeof(struct stub_mailbox),
		.ram_min_end = STUB_RAM_MIN_END,
};

/* In .bss, zeroed by startup.S; everything below gets it by pointer. */
static struct stub_ctx stub_ctx;

int stub_fail(struct stub_ctx *ctx, int status, uint32_t detail, uint32_t a,
	      uint32_t b)
{
	ctx->detail = detail;
	ctx->detail_a = a;
	ctx->detail_b = b;
	return status;
}

bool stub_stop_requested(const struct stub_ctx *ctx)
{
	(void)timer_now64(); /* long loops poll here: carry CYCCNT's wraps */
	return ctx->mb->stop != 0U;
}

int cmd_ping(struct stub_ctx *ctx)
{
	(void)ctx;
	return STUB_STATUS_OK;
}

static __attribute__((noinline)) void zero_words(volatile void *area,
						  uint32_t bytes)
{
	volatile uint32_t *w = area;

	for (uint32_t i = 0; i < bytes / 4U; i++)
		w[i] = 0U;
}

/* params.bytes as the host wrote it, if the entry contract allows it. */
static bool params_bytes_ok(uint32_t bytes)
{
	return bytes >= 4U && bytes <= sizeof(struct stub_params) &&
	       bytes % 4U == 0U;
}

/* Everything the stub owns in the mailbox, before the host may look, and
 * the parameters the host did not write, as 0 (all of them but `bytes`
 * when it is not a valid count; run() refuses it). */
static void begin(volatile struct stub_mailbox *mb)
{
	uint32_t written = mb->params.bytes;

	if (!params_bytes_ok(written))
		written = 4U;
	zero_words((volatile uint8_t *)&mb->params + written,
		   sizeof(struct stub_params) - written);
	mb->magic = STUB_MAILBOX_MAGIC;
	mb->stub_abi_version = STUB_ABI_VERSION;
	mb->seq_done = ~mb->seq;
	mb->detail = STUB_DETAIL_NONE;
	mb->detail_a = 0U;
	mb->detail_b = 0U;
	mb->progress_done = 0U;
	mb->progress_total = 0U;
	zero_words(&mb->fault, sizeof(mb->fault));
	zero_words(&mb->result, sizeof(mb->result));
	/* The host gives slots back only once it has seen RUNNING. */
	mb->ring.head = 0U;
	mb->ring.tail = 0U;
	barrier_dmb();
	mb->status = STUB_STATUS_RUNNING;
	barrier_dmb();
}

static int run(struct stub_ctx *ctx, uint32_t mailbox_addr, uint32_t host_sp,
	       uint32_t sp_ok)
{
	volatile struct stub_mailbox *mb = ctx->mb;
	uint32_t command = mb->command;

	if (mb->host_abi_version != STUB_ABI_VERSION)
		return stub_fail(ctx, STUB_STATUS_ABI_MISMATCH, STUB_DETAIL_NONE,
				 mb->host_abi_version, STUB_ABI_VERSION);
	if (mailbox_addr != STUB_MAILBOX_ADDR)
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS,
				 STUB_DETAIL_MAILBOX_ADDR, mailbox_addr, 0U);
	if (!sp_ok)
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS, STUB_DETAIL_STACK,
				 host_sp, 0U);
	if (!params_bytes_ok(mb->params.bytes))
		return stub_fail(ctx, STUB_STATUS_BAD_PARAMS,
				 STUB_DETAIL_PARAMS_BYTES, mb->params.bytes, 0U);
	for (uint32_t i = 0; i < stub_command_count; i++) {
		int st;

		if (stub_commands[i].id != command)
			continue;
		/* Every figure rests on params.cpu_hz: check it against a
		 * reference the board file cannot get wrong first. */
		st = command == STUB_CMD_PING ? STUB_STATUS_OK
					      : clock_ref_check(ctx);
		return st != STUB_STATUS_OK ? st : stub_commands[i].run(ctx);
	}
	return stub_fail(ctx, STUB_STATUS_BAD_COMMAND, STUB_DETAIL_NONE,
			 command, 0U);
}

/* Results, then seq_done, then the status word last: a host that sees a
 * final status sees everything else with it. */
static void end(struct stub_ctx *ctx, int status, uint64_t cycles)
{
	volatile struct stub_mailbox *mb = ctx->mb;

	mb->result.cycles = (uint32_t)cycles;
	mb->result.cycles_hi = (uint32_t)(cycles >> 32);
	mb->detail = ctx->detail;
	mb->detail_a = ctx->detail_a;
	mb->detail_b = ctx->detail_b;
	mb->seq_done = mb->seq;
	barrier_dmb();
	mb->status = (uint32_t)status;
	barrier_dmb();
}

void stub_main(uint32_t mailbox_addr, uint32_t host_sp, uint32_t sp_ok)
{
	struct stub_ctx *ctx = &stub_ctx;
	uint64_t start;

	core_setup();
	ctx->mb = (volatile struct stub_mailbox *)(uintptr_t)STUB_MAILBOX_ADDR;
	begin(ctx->mb);
	timer_init(&ctx->timer, ctx->mb->params.cpu_hz);
	start = timer_now64();
	end(ctx, run(ctx, mailbox_addr, host_sp, sp_ok), timer_now64() - start);
}
