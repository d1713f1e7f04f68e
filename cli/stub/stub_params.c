#include "stub/stub_params.h"

#include <string.h>

#include "util/error.h"
#include "parts/wire_limit.h"
#include "report/output.h"

/* The stub checks the same bounds and would refuse with bad-params; the
 * host names the board variable instead. */
#define HZ_MIN 1000000ull
#define HZ_MAX 1000000000ull

static const struct {
	const char *name;
	const char *part;
} chips[] = {
	[STUB_CHIP_UNKNOWN] = {NULL, NULL},
	[STUB_CHIP_ESP_PSRAM64H] = {"esp-psram64h", "ESP-PSRAM64H"},
	[STUB_CHIP_LY68L6400] = {"ly68l6400", "LY68L6400"},
	[STUB_CHIP_APS6404L] = {"aps6404l", "APS6404L"},
	[STUB_CHIP_IPS6404L] = {"ips6404l", "IPS6404L"},
};

#define NCHIPS (sizeof(chips) / sizeof(chips[0]))

int stub_chip_from_name(const char *name)
{
	for (unsigned i = 0; i < NCHIPS; i++)
		if (chips[i].name && !strcmp(chips[i].name, name))
			return (int)i;
	return -1;
}

const char *stub_chip_name(uint32_t chip)
{
	return chip < NCHIPS ? chips[chip].name : NULL;
}

const char *stub_chip_part(uint32_t chip)
{
	return chip < NCHIPS ? chips[chip].part : NULL;
}

int stub_pin_parse(const char *name, uint8_t *port, uint8_t *pin)
{
	unsigned n = 0;
	const char *d;

	/* GPIOA..GPIOK (docs/hardware-stm32h7.md §5: A = 0 ... K = 10) */
	if (name[0] != 'P' || name[1] < 'A' || name[1] > 'K' || !name[2])
		return -1;
	for (d = name + 2; *d; d++) {
		if (*d < '0' || *d > '9' || d - name > 3)
			return -1;
		n = n * 10 + (unsigned)(*d - '0');
	}
	if (n > 15 || (name[2] == '0' && name[3]))
		return -1;
	*port = (uint8_t)(name[1] - 'A');
	*pin = (uint8_t)n;
	return 0;
}

static const char *const pin_signals[STUB_PIN_COUNT] = {
	[STUB_PIN_CLK] = "clk", [STUB_PIN_NCS] = "ncs", [STUB_PIN_IO0] = "io0",
	[STUB_PIN_IO1] = "io1", [STUB_PIN_IO2] = "io2", [STUB_PIN_IO3] = "io3",
};

/* Board files are text a user may have typed: shown, never trusted. */
static const char *shown(const char *s)
{
	static char buf[96];

	return out_printable(s, buf, sizeof(buf));
}

static int missing(const char *name)
{
	return out_error(PSR_ERR_BOARD_FILE, "the board file does not set %s",
			 name);
}

static int pins_from_board(const struct board_vars *v, struct stub_params *p)
{
	unsigned seen = 0;

	if (!(v->have & BV_PINS))
		return missing("PSRAM_PINS");
	for (int i = 0; i < v->npins; i++) {
		const struct board_pin *bp = &v->pins[i];
		struct stub_pin *sp;
		int k;

		for (k = 0; k < STUB_PIN_COUNT; k++)
			if (!strcmp(bp->signal, pin_signals[k]))
				break;
		if (k == STUB_PIN_COUNT)
			return out_error(PSR_ERR_BOARD_FILE,
					 "PSRAM_PINS names signal '%s'; the "
					 "signals are clk, ncs, io0, io1, io2, "
					 "io3",
					 shown(bp->signal));
		if (seen & (1u << k))
			return out_error(PSR_ERR_BOARD_FILE,
					 "PSRAM_PINS gives signal '%s' twice",
					 shown(bp->signal));
		seen |= 1u << k;
		sp = &p->pins[k];
		if (stub_pin_parse(bp->pin, &sp->port, &sp->pin))
			return out_error(PSR_ERR_BOARD_FILE,
					 "PSRAM_PINS: '%s' is not a pin name "
					 "(PA0 ... PK15)",
					 shown(bp->pin));
		sp->af = (uint8_t)bp->af;
		/* Pulls while the xSPI owns the pins: a line nobody drives
		 * reads 1 (the "no chip answers" of an idle flash bus), and
		 * CE# stays high whenever the controller lets go of it. CLK
		 * is driven low between commands (CKMODE 0). */
		sp->pull = k == STUB_PIN_CLK ? STUB_PULL_NONE : STUB_PULL_UP;
		sp->speed = STUB_SPEED_VERY_HIGH;
	}
	for (int k = 0; k < STUB_PIN_COUNT; k++)
		if (!(seen & (1u << k)))
			return out_error(PSR_ERR_BOARD_FILE,
					 "PSRAM_PINS has no '%s' pin",
					 pin_signals[k]);
	return 0;
}

static int hz(const char *name, unsigned have, unsigned bit, uint64_t value,
	      uint32_t *out)
{
	if (!(have & bit))
		return missing(name);
	if (value < HZ_MIN || value > HZ_MAX)
		return out_error(PSR_ERR_BOARD_FILE,
				 "%s is %llu Hz, outside 1 MHz ... 1 GHz", name,
				 (unsigned long long)value);
	*out = (uint32_t)value;
	return 0;
}

int stub_params_from_board(const struct board_vars *v, struct stub_params *p,
			   uint32_t *sp)
{
	int r;

	memset(p, 0, sizeof(*p));
	if (!v->family)
		return missing("PSRAM_FAMILY");
	if (!strcmp(v->family, "stm32h7"))
		p->family = STUB_FAMILY_STM32H7;
	else if (!strcmp(v->family, "stm32h7a3"))
		p->family = STUB_FAMILY_STM32H7A3;
	else if (!strcmp(v->family, "stm32f7"))
		p->family = STUB_FAMILY_STM32F7;
	else
		return out_error(PSR_ERR_BOARD_FILE,
				 "PSRAM_FAMILY '%s' is not stm32h7, stm32h7a3 "
				 "or stm32f7",
				 shown(v->family));
	if (!v->xspi)
		return missing("PSRAM_XSPI");
	if (!strcmp(v->xspi, "quadspi"))
		p->xspi = STUB_XSPI_QUADSPI;
	else if (!strcmp(v->xspi, "octospi"))
		p->xspi = STUB_XSPI_OCTOSPI;
	else
		return out_error(PSR_ERR_BOARD_FILE,
				 "PSRAM_XSPI '%s' is not quadspi or octospi",
				 shown(v->xspi));
	if (!(v->have & BV_XSPI_BASE))
		return missing("PSRAM_XSPI_BASE");
	if (!(v->have & BV_XSPI_WINDOW))
		return missing("PSRAM_XSPI_WINDOW");
	p->xspi_base = v->xspi_base;
	p->xspi_window = v->xspi_window;
	r = hz("PSRAM_KERNEL_HZ", v->have, BV_KERNEL_HZ, v->kernel_hz,
	       &p->kernel_hz);
	if (!r)
		r = hz("PSRAM_CPU_HZ", v->have, BV_CPU_HZ, v->cpu_hz,
		       &p->cpu_hz);
	if (r)
		return r;
	if (v->have & BV_CLOCK_MHZ) {
		if (v->clock_mhz > HZ_MAX / 1000000)
			return out_error(PSR_ERR_BOARD_FILE,
					 "PSRAM_CLOCK_MHZ is %llu, above 1000",
					 (unsigned long long)v->clock_mhz);
		p->clock_hz = (uint32_t)(v->clock_mhz * 1000000);
	}
	p->sample_shift = STUB_SSHIFT_AUTO;
	p->chip = STUB_CHIP_UNKNOWN;
	if (v->chip && stub_chip_from_name(v->chip) >= 0)
		p->chip = (uint32_t)stub_chip_from_name(v->chip);
	p->chip_size = 0; /* 8 MiB, every supported part */
	/* The board's clock is a default, not a request to break the part's
	 * timing: no faster than its tCHD and tCSP allow against the xSPI's
	 * one clock of nCS hold and setup (RM0433 §23.3.16). A --clock the
	 * user gives replaces it, in or out of spec. */
	if (p->clock_hz) {
		uint32_t spec = wire_spec_max_hz(wire_chip_of(p->chip), NULL, 0);

		if (p->clock_hz > spec)
			p->clock_hz = spec;
	}
	p->mode = STUB_MODE_SPI;
	r = pins_from_board(v, p);
	if (r)
		return r;
	*sp = STUB_RAM_MIN_END;
	if (v->have & BV_STUB_RAM) {
		uint64_t end = (uint64_t)v->stub_ram.start + v->stub_ram.size;

		if (v->stub_ram.start != STUB_LOAD_ADDR ||
		    end < STUB_RAM_MIN_END || end > STUB_RAM_MAX_END)
			return out_error(PSR_ERR_BOARD_FILE,
					 "PSRAM_STUB_RAM must start at 0x%08x "
					 "(where the stub is linked) and end "
					 "between 0x%08x and 0x%08x",
					 (unsigned)STUB_LOAD_ADDR,
					 (unsigned)STUB_RAM_MIN_END,
					 (unsigned)STUB_RAM_MAX_END);
		*sp = (uint32_t)end;
	}
	return 0;
}
