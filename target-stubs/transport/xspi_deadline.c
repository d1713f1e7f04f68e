/* The deadlines both transports give an op (xspi_op.h): four times its
 * wire time (wire_cycles.h) plus a millisecond, generous on any board,
 * yet a stuck flag still ends in well under a minute. */
#include "transport/xspi_op.h"
#include "wire_cycles.h"

static uint32_t header_cycles(const struct xspi_op *op)
{
	return wire_header_cycles(op->cmd_lines, op->dummy_cycles,
				  op->addr_lines, op->addr_bytes);
}

static uint32_t deadline_us(const struct xspi *x, uint32_t cycles)
{
	uint32_t khz = x->setup.clock_hz / 1000U;

	return 1000U + 4000U * (cycles / (khz ? khz : 1U) + 1U);
}

uint32_t xspi_op_timeout_us(const struct xspi *x, const struct xspi_op *op)
{
	uint32_t cycles = header_cycles(op);

	if (op->data_lines != 0U)
		cycles += op->len / op->data_lines * 8U + 8U;
	return deadline_us(x, cycles);
}

uint32_t xspi_bursts_timeout_us(const struct xspi *x,
				const struct xspi_op *op, uint32_t bursts)
{
	/* Each burst: its header, nCS setup and hold, and CE# high. */
	return deadline_us(x, op->len / op->data_lines * 8U +
				      bursts * (header_cycles(op) + 12U));
}
