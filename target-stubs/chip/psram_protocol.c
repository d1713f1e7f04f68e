/* PSRAM commands and burst splitting (docs/psram-chips.md §2-§5). */
#include "chip/psram_protocol.h"

#include <stddef.h>

#include "wire_cycles.h"

/* The wait after the SPI-form reset: no PSRAM datasheet gives a reset
 * recovery time beyond tCPH; a W25Q64 needs tRST = 30 µs. */
#define PSRAM_RESET_WAIT_US 50U

const struct psram_part_timing *psram_timing(uint32_t chip)
{
	return psram_part(chip);
}

void psram_init(struct psram *p, struct xspi *bus, uint32_t chip,
		uint32_t size, uint32_t clock_hz)
{
	p->bus = bus;
	p->timing = psram_timing(chip);
	p->size = size;
	p->clock_hz = clock_hz;
	p->qpi = false;
	p->cross_pages = false;
	p->access = 0U;
}

/* Copied rather than initialised in place: GCC zeroes a partly
 * initialised struct with a call to mem.c's byte loop, which every
 * transfer would pay for. */
static const struct xspi_op op_none;

static struct xspi_op op_command(uint32_t opcode, uint8_t lines)
{
	struct xspi_op op = op_none;

	op.opcode = (uint8_t)opcode;
	op.cmd_lines = lines;
	return op;
}

static int exec(struct psram *p, const struct xspi_op *op)
{
	return p->bus->ops->exec(p->bus, op);
}

static int command(struct psram *p, uint32_t opcode, uint8_t lines)
{
	struct xspi_op op = op_command(opcode, lines);

	return exec(p, &op);
}

int psram_reset(struct psram *p)
{
	static const uint8_t form_lines[] = {4U, 1U};
	int st;

	for (uint32_t i = 0; i < sizeof(form_lines); i++) {
		/* Two commands, each its own CE# period; anything between
		 * 0x66 and 0x99 would cancel the reset
		 * (docs/psram-chips.md §5). */
		st = command(p, PSRAM_CMD_RESET_ENABLE, form_lines[i]);
		if (st != STUB_STATUS_OK)
			return st;
		st = command(p, PSRAM_CMD_RESET, form_lines[i]);
		if (st != STUB_STATUS_OK)
			return st;
	}
	p->qpi = false;
	timer_delay_us(p->bus->timer, PSRAM_RESET_WAIT_US);
	return STUB_STATUS_OK;
}

int psram_read_id(struct psram *p, uint8_t id[PSRAM_ID_BYTES])
{
	struct xspi_op op = op_command(PSRAM_CMD_READ_ID, 1U);

	if (p->qpi)
		return xspi_fail(p->bus, STUB_STATUS_UNSUPPORTED,
				 STUB_DETAIL_MODE, STUB_MODE_QPI, 0U);
	op.addr_lines = 1U;
	op.addr_bytes = 3U;
	op.addr = 0U;
	op.data_lines = 1U;
	op.dir = XSPI_DIR_IN;
	op.len = PSRAM_ID_BYTES;
	op.in = id;
	return exec(p, &op);
}

int psram_read_jedec(struct psram *p, uint8_t id[PSRAM_JEDEC_BYTES])
{
	struct xspi_op op = op_command(PSRAM_CMD_READ_ID, 1U);

	op.data_lines = 1U;
	op.dir = XSPI_DIR_IN;
	op.len = PSRAM_JEDEC_BYTES;
	op.in = id;
	return exec(p, &op);
}

int psram_enter_qpi(struct psram *p)
{
	int st;

	if (p->qpi)
		return STUB_STATUS_OK;
	st = command(p, PSRAM_CMD_ENTER_QPI, 1U);
	if (st == STUB_STATUS_OK)
		p->qpi = true;
	return st;
}

int psram_exit_qpi(struct psram *p)
{
	int st;

	if (!p->qpi)
		return STUB_STATUS_OK;
	st = command(p, PSRAM_CMD_EXIT_QPI, 4U);
	if (st == STUB_STATUS_OK)
		p->qpi = false;
	return st;
}

/* Bytes of `op`'s frame that fit in `budget` CLK cycles of CE# low. */
static uint32_t burst_bytes(const struct xspi_op *op, uint32_t budget)
{
	uint32_t overhead = wire_header_cycles(op->cmd_lines,
					       op->dummy_cycles,
					       op->addr_lines,
					       op->addr_bytes) +
			    WIRE_NCS_FRAMING_CYCLES;
	uint32_t bytes;

	if (budget <= overhead || op->data_lines == 0U)
		return 0U;
	bytes = (budget - overhead) * op->data_lines / 8U;
	return bytes >= 4U ? bytes & ~3U : bytes;
}

/* tCEM in whole CLK cycles. */
static uint32_t tcem_clocks(const struct psram *p)
{
	return p->timing->tcem_ns * (p->clock_hz / 1000U) / 1000000U;
}

uint32_t psram_burst_max(const struct psram *p, const struct xspi_op *op)
{
	uint32_t budget = tcem_clocks(p);

	/* A caller that does not time its bursts (psram_pace.h) keeps an
	 * eighth of tCEM for FIFO service it cannot see: a FIFO stall
	 * holds CE# low with the clock stopped (docs/hardware-stm32h7.md
	 * §6.6). */
	return burst_bytes(op, budget - budget / 8U);
}

/* The bursts `op` over [addr, addr + len) may take: *max bytes each
 * (given 0: psram_burst_max, tCEM) and, above 84 MHz, none across a
 * *boundary (a 1 KiB page: linear bursts cross pages only up to there;
 * 0 = none). */
static int burst_limits(struct psram *p, const struct xspi_op *op,
			uint32_t addr, uint32_t len, uint32_t *max,
			uint32_t *boundary)
{
	if (addr >= p->size || len > p->size - addr)
		return xspi_fail(p->bus, STUB_STATUS_BAD_PARAMS,
				 STUB_DETAIL_RANGE, addr, len);
	if (*max == 0U)
		*max = psram_burst_max(p, op);
	else if (*max > burst_bytes(op, tcem_clocks(p)))
		/* Paced: the measured rate cuts it, never beyond the wire's
		 * own time within tCEM. */
		*max = burst_bytes(op, tcem_clocks(p));
	else if (*max >= 4U)
		*max &= ~3U;
	if (*max == 0U)
		return xspi_fail(p->bus, STUB_STATUS_BAD_PARAMS,
				 STUB_DETAIL_CLOCK_HZ, p->clock_hz, op->opcode);
	*boundary = !p->cross_pages && p->clock_hz > PSRAM_PAGE_CROSS_MAX_HZ
			    ? PSRAM_PAGE_BYTES
			    : 0U;
	return STUB_STATUS_OK;
}

/* Runs `op` over [addr, addr + len) in bursts within burst_limits. */
static int burst_loop(struct psram *p, struct xspi_op *op, uint32_t addr,
		      uint8_t *in, const uint8_t *out, uint32_t len,
		      uint32_t max)
{
	uint32_t boundary;
	int st = burst_limits(p, op, addr, len, &max, &boundary);

	if (st != STUB_STATUS_OK)
		return st;
	op->addr = addr;
	op->len = len;
	op->access = p->access;
	op->in = in;
	op->out = out;
	return p->bus->ops->exec_bursts(p->bus, op, max, boundary);
}

/* The frame of read command `cmd` in the chip's current mode. */
static int read_op(struct psram *p, uint32_t cmd, struct xspi_op *out)
{
	struct xspi_op op = op_command(cmd, p->qpi ? 4U : 1U);

	op.addr_bytes = 3U;
	op.dir = XSPI_DIR_IN;
	switch (cmd) {
	case PSRAM_CMD_READ:
	case PSRAM_CMD_FAST_READ:
		/* QPI mode has only 0xEB for reads
		 * (docs/psram-chips.md §2). */
		if (p->qpi)
			return xspi_fail(p->bus, STUB_STATUS_UNSUPPORTED,
					 STUB_DETAIL_MODE, STUB_MODE_QPI, cmd);
		if (cmd == PSRAM_CMD_READ &&
		    p->clock_hz > p->timing->read03_max_hz)
			return xspi_fail(p->bus, STUB_STATUS_BAD_PARAMS,
					 STUB_DETAIL_CLOCK_HZ, p->clock_hz, cmd);
		op.addr_lines = 1U;
		op.data_lines = 1U;
		op.dummy_cycles =
			cmd == PSRAM_CMD_FAST_READ ? p->timing->wait_0b : 0U;
		break;
	case PSRAM_CMD_QUAD_READ:
		/* The same wait cycles in both modes, no mode byte
		 * (pitfall 10). */
		op.addr_lines = 4U;
		op.data_lines = 4U;
		op.dummy_cycles = p->timing->wait_eb;
		break;
	default:
		return xspi_fail(p->bus, STUB_STATUS_UNSUPPORTED,
				 STUB_DETAIL_OP, cmd, 0U);
	}
	*out = op;
	return STUB_STATUS_OK;
}

int psram_read_bursts(struct psram *p, uint32_t cmd, uint32_t addr,
		      uint8_t *buf, uint32_t len, uint32_t max)
{
	struct xspi_op op;
	int st = read_op(p, cmd, &op);

	if (st != STUB_STATUS_OK || len == 0U)
		return st;
	return burst_loop(p, &op, addr, buf, NULL, len, max);
}

int psram_read(struct psram *p, uint32_t cmd, uint32_t addr, uint8_t *buf,
	       uint32_t len)
{
	return psram_read_bursts(p, cmd, addr, buf, len, 0U);
}

int psram_read_once(struct psram *p, uint32_t cmd, uint32_t addr,
		    uint8_t *buf, uint32_t len)
{
	uint32_t max = 0U, boundary;
	struct xspi_op op;
	int st = read_op(p, cmd, &op);

	if (st == STUB_STATUS_OK)
		st = burst_limits(p, &op, addr, len, &max, &boundary);
	if (st != STUB_STATUS_OK)
		return st;
	if (len == 0U || len > max ||
	    (boundary != 0U && (addr & (boundary - 1U)) + len > boundary))
		return xspi_fail(p->bus, STUB_STATUS_BAD_PARAMS,
				 STUB_DETAIL_RANGE, addr, len);
	op.addr = addr;
	op.len = len;
	op.access = p->access;
	op.in = buf;
	return exec(p, &op);
}

static int write_op(struct psram *p, uint32_t cmd, struct xspi_op *out)
{
	struct xspi_op op = op_command(cmd, p->qpi ? 4U : 1U);

	op.addr_bytes = 3U;
	op.dir = XSPI_DIR_OUT;
	switch (cmd) {
	case PSRAM_CMD_WRITE:
		/* 1-1-1 in SPI mode, 4-4-4 in QPI mode. */
		op.addr_lines = op.cmd_lines;
		op.data_lines = op.cmd_lines;
		break;
	case PSRAM_CMD_QUAD_WRITE:
		op.addr_lines = 4U;
		op.data_lines = 4U;
		break;
	default:
		return xspi_fail(p->bus, STUB_STATUS_UNSUPPORTED,
				 STUB_DETAIL_OP, cmd, 0U);
	}
	*out = op;
	return STUB_STATUS_OK;
}

int psram_write_bursts(struct psram *p, uint32_t cmd, uint32_t addr,
		       const uint8_t *buf, uint32_t len, uint32_t max)
{
	struct xspi_op op;
	int st = write_op(p, cmd, &op);

	if (st != STUB_STATUS_OK || len == 0U)
		return st;
	return burst_loop(p, &op, addr, NULL, buf, len, max);
}

int psram_write(struct psram *p, uint32_t cmd, uint32_t addr,
		const uint8_t *buf, uint32_t len)
{
	return psram_write_bursts(p, cmd, addr, buf, len, 0U);
}

int psram_frame(struct psram *p, uint32_t cmd, bool write, struct xspi_op *op)
{
	return write ? write_op(p, cmd, op) : read_op(p, cmd, op);
}

int psram_map(struct psram *p, uint32_t read_cmd, uint32_t write_cmd,
	      const struct stub_map *cfg)
{
	struct xspi_op rd, wr;
	int st = read_op(p, read_cmd, &rd);

	if (st == STUB_STATUS_OK)
		st = write_op(p, write_cmd, &wr);
	if (st != STUB_STATUS_OK)
		return st;
	return p->bus->ops->map(p->bus, &rd, &wr, cfg);
}

int psram_unmap(struct psram *p)
{
	return p->bus->ops->unmap(p->bus);
}

void psram_pick_commands(const struct psram *p, bool qpi, uint32_t *read_cmd,
			 uint32_t *write_cmd)
{
	if (qpi) {
		*read_cmd = PSRAM_CMD_QUAD_READ;
		*write_cmd = PSRAM_CMD_QUAD_WRITE;
		return;
	}
	*read_cmd = p->clock_hz <= p->timing->read03_max_hz ? PSRAM_CMD_READ
							  : PSRAM_CMD_FAST_READ;
	*write_cmd = PSRAM_CMD_WRITE;
}
