#include "commands/shell_psram.h"

#include <string.h>

#include "link/session.h"
#include "report/output.h"
#include "stub/stub_params.h"
#include "stub/stub_run.h"
#include "stub_abi.h"
#include "util/error.h"

/* Every xSPI memory-mapped window is 256 MiB (docs/hardware-stm32h7.md
 * §2, the memory map: QUADSPI at 0x9000_0000; docs/hardware-stm32h7a3.md
 * §2: OCTOSPI1; the F7's QUADSPI likewise). */
#define WINDOW_BYTES 0x10000000ull
#define DEFAULT_CHIP_BYTES (8u * 1024 * 1024)
/* One run moves at most STUB_DATA_MAX bytes: well under a second with
 * the reset, also on psramsim under the sanitizers. */
#define RUN_TIMEOUT_MS 5000

int shell_psram_locate(struct session *s, uint32_t addr, uint64_t len,
		       uint32_t *off)
{
	struct stub_params p;
	uint64_t base, chip, end = (uint64_t)addr + len;
	uint32_t sp;
	int r = stub_params_from_board(&s->vars, &p, &sp);

	if (r)
		return r;
	base = p.xspi_window;
	chip = p.chip_size ? p.chip_size : DEFAULT_CHIP_BYTES;
	if (!base || end <= base || addr >= base + WINDOW_BYTES)
		return 0;
	if (addr < base)
		return out_error(PSR_ERR_USAGE,
				 "0x%08x + 0x%llx runs into the PSRAM window "
				 "at 0x%08llx: split it at the window",
				 (unsigned)addr, (unsigned long long)len,
				 (unsigned long long)base);
	if (end > base + chip)
		return out_error(PSR_ERR_USAGE,
				 "0x%08x + 0x%llx runs past the end of the "
				 "PSRAM (%llu MiB at 0x%08llx-0x%08llx)",
				 (unsigned)addr, (unsigned long long)len,
				 (unsigned long long)(chip >> 20),
				 (unsigned long long)base,
				 (unsigned long long)(base + chip - 1));
	*off = (uint32_t)(addr - base);
	return 1;
}

struct xfer {
	uint32_t off;
	uint32_t len;
};

static void set_params(void *ctx, struct stub_params *p)
{
	const struct xfer *x = ctx;

	/* 4-4-4 at the board's clock: the fastest way the stub knows. */
	p->mode = STUB_MODE_QPI;
	p->range_start = x->off;
	p->range_len = x->len;
}

static int data_failed(struct session *s, int r, const char *what)
{
	if (r == PSR_ERR_TARGET || r == PSR_ERR_VERIFY)
		return out_error(r, "cannot %s the stub's data buffer at "
				    "0x%08x: %s",
				 what, (unsigned)STUB_DATA_ADDR,
				 target_error(&s->target));
	return r;
}

/* A write's data goes into the buffer after stub_prepare, whose first
 * call resets the MCU. */
static int run(struct session *s, uint32_t command, uint32_t off,
	       uint32_t len, const uint8_t *data)
{
	struct stub_run_result res;
	struct stub_run_spec spec;
	struct xfer x = {off, len};
	int r;

	memset(&res, 0, sizeof(res));
	r = stub_prepare(s, &res);
	if (r)
		return r;
	if (data) {
		r = target_write_mem(&s->target, STUB_DATA_ADDR, data, len);
		if (r)
			return data_failed(s, r, "write");
	}
	memset(&spec, 0, sizeof(spec));
	spec.command = command;
	spec.name = command == STUB_CMD_READ ? "psram read" : "psram write";
	spec.timeout_ms = RUN_TIMEOUT_MS;
	spec.params = set_params;
	spec.ctx = &x;
	r = stub_run_loaded(s, &spec, &res);
	if (!r && res.outcome != STUB_OUTCOME_OK)
		r = out_error(PSR_ERR_STUB_FAILED, "%s: the stub ended with %s",
			      spec.name, stub_status_name(res.status));
	return r;
}

int shell_psram_read(struct session *s, uint32_t off, uint8_t *buf,
		     uint32_t len)
{
	int r = run(s, STUB_CMD_READ, off, len, NULL);

	if (!r)
		r = data_failed(s, target_read_mem(&s->target, STUB_DATA_ADDR,
						   buf, len),
				"read");
	return r;
}

int shell_psram_write(struct session *s, uint32_t off, const uint8_t *buf,
		      uint32_t len)
{
	return run(s, STUB_CMD_WRITE, off, len, buf);
}
