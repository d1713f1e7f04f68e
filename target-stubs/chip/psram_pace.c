/* Bursts cut from the measured FIFO service time (psram_pace.h). */
#include "chip/psram_pace.h"

#include "runtime/timer.h"
#include "wire_cycles.h"

#define PACE_PROBE 12U		/* bytes of the second transfer timed */
#define PACE_PRECISE 64U	/* bytes between two timings for a sure rate */

void psram_pace_reset(struct psram_pace *pc)
{
	*pc = (struct psram_pace){0U, 0U, 0U, 0U, 0U, false, 0U, 0U};
}

/* CPU cycles per CLK cycle, ×16. */
static uint32_t cpu_per_clk16(const struct psram *p)
{
	return (uint32_t)((uint64_t)p->bus->timer->cycles_per_us * 16000000U /
			  p->clock_hz);
}

/* CLK cycles of the frame before its data, nCS setup and hold included,
 * and per data byte (wire_cycles.h). */
static int frame_clocks(struct psram *p, uint32_t cmd, bool write,
			uint32_t *header, uint32_t *per_byte)
{
	struct xspi_op op;
	int st = psram_frame(p, cmd, write, &op);

	if (st != STUB_STATUS_OK)
		return st;
	*header = wire_header_cycles(op.cmd_lines, op.dummy_cycles,
				     op.addr_lines, op.addr_bytes) +
		  WIRE_NCS_FRAMING_CYCLES;
	*per_byte = wire_cycles_per_byte(op.data_lines ? op.data_lines : 1U);
	return STUB_STATUS_OK;
}

/* Bytes that fit in tCEM at slope16 after the frame's header and the
 * wait for the first unit (the command may start before the FIFO has
 * it); 0 when not even one more unit does. */
static uint32_t fit(uint32_t budget, uint32_t header_cpu, uint32_t slope16,
		    uint32_t unit)
{
	uint32_t first = (uint32_t)((uint64_t)unit * slope16 / 16U);

	if (budget <= header_cpu + 2U * first)
		return 0U;
	return (uint32_t)((uint64_t)(budget - header_cpu - first) * 16U /
			  slope16);
}

/* As psram_pace_max; *sure: the measured rate, not the growth from the
 * longest burst timed, sets the length. */
static uint32_t pace_limit(struct psram *p, struct psram_pace *pc,
			   uint32_t cmd, bool write, uint32_t unit, bool *sure)
{
	uint32_t budget = p->timing->tcem_ns * p->bus->timer->cycles_per_us /
			  1000U;
	uint32_t header, per_byte, wire16, slope16, header_cpu, n;

	*sure = false;
	if (pc->n0 == 0U)
		return unit;
	if (pc->slope16 == 0U)
		return PACE_PROBE > unit ? PACE_PROBE - PACE_PROBE % unit : unit;
	if (pc->max_unit == unit && pc->max_cmd == cmd) {
		*sure = pc->max_sure;
		return pc->max;
	}
	if (frame_clocks(p, cmd, write, &header, &per_byte) != STUB_STATUS_OK)
		return unit;
	wire16 = per_byte * cpu_per_clk16(p);
	slope16 = pc->slope16 > wire16 ? pc->slope16 : wire16;
	header_cpu = header * cpu_per_clk16(p) / 16U;
	n = fit(budget, header_cpu, slope16, unit);
	if (n == 0U)
		return unit;	/* the least there is; the bus is too slow */
	/* The rate is sure once the lengths timed lie far enough apart
	 * (PACE_PRECISE bytes, or half the burst it allows); until then it
	 * is taken a quarter higher and the burst timed. No burst is more
	 * than twice the longest timed. */
	if (pc->n - pc->n0 < PACE_PRECISE && 2U * (pc->n - pc->n0) < n) {
		n = fit(budget, header_cpu, slope16 + slope16 / 4U, unit);
		if (n > 2U * pc->n)
			n = 2U * pc->n;
	} else if (n > 2U * pc->n) {
		n = 2U * pc->n;
	} else {
		*sure = true;
	}
	pc->max = n > unit ? n - n % unit : unit;
	pc->max_sure = *sure;
	pc->max_unit = unit;
	pc->max_cmd = cmd;
	return pc->max;
}

uint32_t psram_pace_max(struct psram *p, struct psram_pace *pc,
			uint32_t cmd, bool write, uint32_t unit)
{
	bool sure;

	return pace_limit(p, pc, cmd, write, unit ? unit : 1U, &sure);
}

static void pace_note(struct psram *p, struct psram_pace *pc, uint32_t cmd,
		      bool write, uint32_t n, uint32_t cycles)
{
	uint32_t header, per_byte, wire16;

	if (pc->n0 == 0U) {
		pc->n0 = n;
		pc->c0 = cycles;
		return;
	}
	if (n <= pc->n0 || (pc->slope16 && n <= pc->n))
		return;
	if (frame_clocks(p, cmd, write, &header, &per_byte) != STUB_STATUS_OK)
		return;
	wire16 = per_byte * cpu_per_clk16(p);
	pc->max_unit = 0U;
	pc->n = n;
	pc->slope16 = cycles > pc->c0 ? (uint32_t)((uint64_t)(cycles - pc->c0) *
						    16U / (n - pc->n0))
				      : 0U;
	/* No byte moves faster than the wire. */
	if (pc->slope16 < wire16)
		pc->slope16 = wire16;
}

static int paced(struct psram *p, struct psram_pace *pc, uint32_t cmd,
		 uint32_t addr, uint8_t *in, const uint8_t *out, uint32_t len,
		 uint32_t unit)
{
	bool write = out != NULL;

	if (unit == 0U)
		unit = 1U;
	while (len != 0U) {
		bool sure;
		uint32_t max = pace_limit(p, pc, cmd, write, unit, &sure);
		/* Until the rate is sure, one burst a call, timed; then the
		 * rest in one call, in bursts of that length. */
		uint32_t n = sure || max >= len ? len : max;
		uint32_t t0 = timer_now();
		int st;

		st = write ? psram_write_bursts(p, cmd, addr, out, n, max)
			   : psram_read_bursts(p, cmd, addr, in, n, max);
		if (st != STUB_STATUS_OK)
			return st;
		if (n <= max)
			pace_note(p, pc, cmd, write, n, timer_now() - t0);
		addr += n;
		len -= n;
		if (in)
			in += n;
		if (out)
			out += n;
	}
	return STUB_STATUS_OK;
}

int psram_read_paced(struct psram *p, struct psram_pace *pc, uint32_t cmd,
		     uint32_t addr, uint8_t *buf, uint32_t len, uint32_t unit)
{
	return paced(p, pc, cmd, addr, buf, NULL, len, unit);
}

int psram_write_paced(struct psram *p, struct psram_pace *pc, uint32_t cmd,
		      uint32_t addr, const uint8_t *buf, uint32_t len,
		      uint32_t unit)
{
	return paced(p, pc, cmd, addr, NULL, buf, len, unit);
}
