/* The board nets the xSPI tests share (sim_wire.c, sim_quadspi.c,
 * sim_quadspi_f7.c, sim_octospi.c): six pins the test sets as the GPIO
 * would, and the wire with one chip and its faults fitted. */
#ifndef TESTS_UNIT_XSPI_RIG_H
#define TESTS_UNIT_XSPI_RIG_H

#include <stdio.h>

#include "fault.h"
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

#endif
