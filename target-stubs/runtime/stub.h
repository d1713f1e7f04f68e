/*
 * The state of one stub run, passed to every command and layer (no hidden
 * globals in the layers), and the entry points startup.S calls.
 *
 * Adding a command: give it a number in stub_abi.h (enum stub_command), write
 * commands/<name>.c with `int cmd_<name>(struct stub_ctx *ctx)` returning an
 * enum stub_status, declare it below and add a row to the table of each
 * image that carries it (images/full.c, runtime/command_table.h).
 */
#ifndef TARGET_STUBS_STUB_H
#define TARGET_STUBS_STUB_H

#include <stdbool.h>
#include <stdint.h>

#include "periph/gpio.h"
#include "chip/psram_protocol.h"
#include "stub_abi.h"
#include "runtime/timer.h"
#include "transport/xspi_op.h"

struct stub_ctx {
	volatile struct stub_mailbox *mb;
	struct timer timer;
	uint32_t family;
	struct gpio_pin pins[STUB_PIN_COUNT];
	struct xspi xspi;
	struct psram psram;
	/* what the final status is about (enum stub_detail and values) */
	uint32_t detail;
	uint32_t detail_a;
	uint32_t detail_b;
};

/* Records why a command fails and returns `status`, for
 * `return stub_fail(ctx, STUB_STATUS_BAD_PARAMS, STUB_DETAIL_..., v, 0);` */
int stub_fail(struct stub_ctx *ctx, int status, uint32_t detail, uint32_t a,
	      uint32_t b);
bool stub_stop_requested(const struct stub_ctx *ctx);

int cmd_ping(struct stub_ctx *ctx);
int cmd_eid(struct stub_ctx *ctx);
int cmd_memtest(struct stub_ctx *ctx);
int cmd_pins(struct stub_ctx *ctx);
int cmd_bench(struct stub_ctx *ctx);
int cmd_margin(struct stub_ctx *ctx);
int cmd_read(struct stub_ctx *ctx);
int cmd_write(struct stub_ctx *ctx);

/* Called from startup.S only. stub_load_check (load_check.c) returns 0
 * when the size bytes at STUB_LOAD_ADDR have CRC-32 want, else the status
 * it wrote into the mailbox. */
uint32_t stub_load_check(uint32_t size, uint32_t want);
void stub_main(uint32_t mailbox_addr, uint32_t host_sp, uint32_t sp_ok);
void stub_fault_report(const uint32_t *frame, uint32_t exc_return);

#endif
