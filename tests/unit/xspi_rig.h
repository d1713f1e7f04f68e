/* The board nets the xSPI tests share (sim_wire.c, sim_psram.c,
 * sim_quadspi.c, sim_quadspi_f7.c, sim_octospi.c): six pins the test sets
 * as the GPIO would, the wire with one chip and its faults fitted, and
 * one command driven on it by hand, with no controller. */
#ifndef TESTS_UNIT_XSPI_RIG_H
#define TESTS_UNIT_XSPI_RIG_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "fault.h"
#include "util/vclock.h"
#include "wire/xspi_wire.h"

static inline void xspi_rig_view(void *ctx, enum xspi_signal sig,
				 struct pin_view *out)
{
	*out = ((const struct pin_view *)ctx)[sig];
}

/* Every pin in its alternate function and routed; src shows the wire
 * what pins[] holds at each moment, so a test may change them later. */
static inline void xspi_rig_route_all(struct pin_view pins[XSPI_SIGNALS],
				      struct pin_source *src)
{
	for (int s = 0; s < XSPI_SIGNALS; s++) {
		pins[s].mode = PIN_MODE_ALTERNATE;
		pins[s].routed = true;
	}
	src->view = xspi_rig_view;
	src->ctx = pins;
}

/* A wire on src with a `kind` chip and the faults of the NULL-ended list
 * fitted (a fault that does not parse is printed); seed drives the
 * wire's and the chip's randomness. */
static inline struct xspi_wire *xspi_rig_wire(const struct pin_source *src,
					      const struct vclock *clk,
					      enum chip_kind kind,
					      const char *const *faults,
					      uint64_t seed)
{
	struct fault_set fs;
	struct xspi_wire *w;
	char err[200];

	fault_set_init(&fs);
	fs.chip = kind;
	for (; faults && *faults; faults++)
		if (fault_parse(&fs, *faults, err, sizeof(err)) < 0)
			printf("  bad fault in test: %s\n", err);
	w = xspi_wire_new(src, clk, seed);
	xspi_wire_fit(w, &fs, seed);
	return w;
}

/* Polls the controller's status register at sr (read with rd) until
 * `busy` clears, one CPU cycle of clk per poll; returns the cycle at
 * which it read 0 (or UINT64_MAX after a long time). */
static inline uint64_t xspi_rig_wait_idle(uint32_t (*rd)(uint32_t off),
					  uint32_t sr, uint32_t busy,
					  struct vclock *clk)
{
	for (int i = 0; i < 10000000; i++) {
		if (!(rd(sr) & busy))
			return clk->cycles;
		clk->cycles++;
	}
	return UINT64_MAX;
}

/* One command on w, NCS falling at t_ps, CLK at clk_hz and SSHIFT-style
 * sampling (a full period): opcode on `il` lines (none when 0), a 24-bit
 * address on `al` lines unless addr < 0, `dummy` cycles, then n data
 * bytes on `dl` lines, read into or written from buf. Returns when NCS
 * rises, a period after the last edge. */
static inline uint64_t xspi_rig_cmd(struct xspi_wire *w, uint64_t t_ps,
				    uint32_t clk_hz, uint8_t op, unsigned il,
				    long addr, unsigned al, unsigned dummy,
				    unsigned dl, bool read, uint8_t *buf,
				    unsigned n)
{
	struct xspi_clocking c;
	struct xspi_frame f;

	memset(&f, 0, sizeof(f));
	c.clk_hz = clk_hz;
	c.period_ps = (uint32_t)(1000000000000ULL / clk_hz);
	c.sample_ps = c.period_ps;
	xspi_frame_phase(&f, XSPI_PH_INSTR, il, 1, op, 0);
	if (addr >= 0)
		xspi_frame_phase(&f, XSPI_PH_ADDR, al, 3, (uint32_t)addr, 0);
	xspi_frame_phase(&f, XSPI_PH_DUMMY, dl, 0, 0, dummy);
	if (n)
		xspi_frame_phase(&f, XSPI_PH_DATA, dl, 0, 0, 0);
	f.dir = !n ? XSPI_DIR_NONE : read ? XSPI_DIR_READ : XSPI_DIR_WRITE;
	xspi_wire_select(w, t_ps, &c, &f);
	if (il)
		xspi_wire_send(w, il, op, 8);
	if (addr >= 0)
		xspi_wire_send(w, al, (uint32_t)addr, 24);
	if (dummy)
		xspi_wire_dummy(w, dl, dummy);
	for (unsigned i = 0; i < n; i++) {
		if (read)
			buf[i] = xspi_wire_recv_byte(w, dl);
		else
			xspi_wire_send(w, dl, buf[i], 8);
	}
	t_ps = xspi_wire_time(w) + c.period_ps;
	xspi_wire_deselect(w, t_ps);
	return t_ps;
}

#endif
