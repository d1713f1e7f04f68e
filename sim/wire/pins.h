/* The six board nets between the MCU's xSPI pins and the memory chip, and
 * what the MCU's GPIO configuration makes of each pin. The GPIO model answers
 * for the MCU side; the wire layer (faults) and the chip sit behind it. */
#ifndef SIM_PINS_H
#define SIM_PINS_H

#include <stdbool.h>

enum xspi_signal {
	XSPI_CLK,
	XSPI_NCS,
	XSPI_IO0,
	XSPI_IO1,
	XSPI_IO2,
	XSPI_IO3,
	XSPI_SIGNALS
};

enum pin_pull { PIN_PULL_NONE, PIN_PULL_UP, PIN_PULL_DOWN };

enum pin_mode {
	PIN_MODE_INPUT,
	PIN_MODE_OUTPUT,
	PIN_MODE_ALTERNATE,
	PIN_MODE_ANALOG
};

/* The MCU side of one net. */
struct pin_view {
	enum pin_mode mode;
	/* mode == ALTERNATE and the AF number is the one that connects this
	 * pin to the xSPI signal on this board: the xSPI block drives and
	 * samples it. Any other AF connects some other peripheral: for the
	 * memory the pin is then not driven by the xSPI. */
	bool routed;
	enum pin_pull pull;	/* PUPDR: also active in AF input phases */
	bool open_drain;	/* OTYPER */
	bool out_level;		/* ODR bit, driven when mode == OUTPUT */
};

/* Implemented by the GPIO model: the current MCU-side view of a net. */
struct pin_source {
	void (*view)(void *ctx, enum xspi_signal sig, struct pin_view *out);
	void *ctx;
};

const char *xspi_signal_name(enum xspi_signal sig);

#endif
