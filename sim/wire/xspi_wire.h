/* The six board nets between the MCU's xSPI pins and the memory chip (CLK,
 * NCS, IO0–IO3), with the electrical faults of docs/psramsim-faults.md: open,
 * stuck and shorted lines, open CLK or CS. Each net is resolved from who
 * drives it (the xSPI controller through a routed pin, a pin in GPIO output
 * mode, the chip), the MCU's pull-up/down and the faults; the chip sees the
 * chip-side level, the controller samples the MCU-side level. A pin that is
 * not in the alternate function of its xSPI signal (struct pin_view.routed)
 * does not carry the controller's signal, as on silicon
 * (docs/hardware-stm32h7.md §5). */
#ifndef SIM_XSPI_WIRE_H
#define SIM_XSPI_WIRE_H

#include <stdbool.h>
#include <stdint.h>

#include "chips/chip.h"
#include "fault.h"
#include "wire/pins.h"
#include "util/vclock.h"
#include "wire/xspi_frame.h"

struct xspi_wire;

/* Timing of one command, given by the controller. */
struct xspi_clocking {
	uint32_t clk_hz;
	uint32_t period_ps;	/* one CLK cycle */
	/* From the falling CLK edge where the chip changes its output to the
	 * controller's sampling point (RM0399 §24.3.10: SSHIFT = 0 samples on
	 * the next rising edge, SSHIFT = 1 half a cycle later). */
	uint32_t sample_ps;
};

/* `pins` answers for the MCU side of each net (the GPIO model); `clk` gives
 * virtual time to the GPIO-side queries; `seed` drives the noise on
 * floating lines. No chip is fitted until xspi_wire_fit/attach. */
struct xspi_wire *xspi_wire_new(const struct pin_source *pins,
				const struct vclock *clk, uint64_t seed);
void xspi_wire_free(struct xspi_wire *w);

/* Fits the chip fs->chip names (psram or w25q models, or none for
 * "absent") and applies the electrical faults of fs. The chip takes the
 * chip faults of fs. Returns 0, or -1 if the chip could not be created. */
int xspi_wire_fit(struct xspi_wire *w, const struct fault_set *fs,
		  uint64_t seed);
/* Replaces the chip (the previous one is destroyed); NULL = no chip. */
void xspi_wire_attach(struct xspi_wire *w, struct chip *chip);
struct chip *xspi_wire_chip(struct xspi_wire *w);
/* Electrical faults only (io, clk, cs); the rest of fs is ignored here. */
void xspi_wire_set_faults(struct xspi_wire *w, const struct fault_set *fs);

/* ---- controller side: one command ---------------------------------------
 * NCS falls at t_ps; the first rising CLK edge is one period later
 * (RM0399 §24.3.16). Each call below clocks whole CLK cycles with the pin
 * states RM0399 §24.3.4 gives for a phase of `lines` lines: in single-line
 * phases IO0 is an output, IO1 an input, IO2 driven 0 and IO3 driven 1;
 * in dual-line phases IO2 = 0 and IO3 = 1; quad phases use all four. */
void xspi_wire_select(struct xspi_wire *w, uint64_t t_ps,
		      const struct xspi_clocking *c,
		      const struct xspi_frame *f);
/* `bits` bits of value, MSB first, on `lines` lines (bits % lines == 0). */
void xspi_wire_send(struct xspi_wire *w, unsigned lines, uint32_t value,
		    unsigned bits);
/* Dummy cycles; `lines` is the data-phase width (RM0399 §24.3.4: DMODE
 * also sets the dummy phase's pin states). */
void xspi_wire_dummy(struct xspi_wire *w, unsigned lines, unsigned cycles);
/* One byte sampled by the controller on `lines` lines, MSB first. */
uint8_t xspi_wire_recv_byte(struct xspi_wire *w, unsigned lines);
/* The clock stops (FIFO stall, RM0399 §24.3.16: CLK low, NCS low) and
 * resumes so that the next rising edge comes one period after t_ps. */
void xspi_wire_resume_at(struct xspi_wire *w, uint64_t t_ps);
/* Time of the last rising edge (or of NCS falling if none yet). */
uint64_t xspi_wire_time(const struct xspi_wire *w);
/* NCS rises at t_ps. */
void xspi_wire_deselect(struct xspi_wire *w, uint64_t t_ps);
/* CLK level between commands: CKMODE (RM0399 §24.5.2). */
void xspi_wire_set_clk_idle(struct xspi_wire *w, bool high);

/* ---- GPIO side -----------------------------------------------------------
 * The level the MCU's input buffer sees on a net now, with no xSPI command
 * in progress: pins in GPIO output mode drive their ODR level (open-drain
 * only its 0), routed alternate-function pins drive the controller's idle
 * levels (NCS high, CLK at its CKMODE level, IO released), then faults
 * (stuck, wired-AND shorts, open: the MCU side keeps only its own drive or
 * pull) and pulls apply; a net nobody drives or pulls keeps its last driven
 * level for a while (bus capacitance), then reads noise. The GPIO model
 * calls this for IDR; an analog-mode pin reading 0 is the GPIO model's
 * business. */
bool xspi_wire_gpio_level(struct xspi_wire *w, enum xspi_signal sig);

/* Picoseconds of virtual time for CPU cycle `cycles` at cpu_hz. */
uint64_t xspi_cycles_to_ps(uint64_t cycles, uint32_t cpu_hz);

#endif
