/* GPIO ports, RM0433 §11.4: MODER, OTYPER, OSPEEDR, PUPDR, IDR, ODR, BSRR,
 * LCKR, AFRL, AFRH. A pin reaches the memory chip only as the board wires
 * it: in alternate-function mode with the AF number that routes the xSPI
 * signal (docs/boards.md §1); everything else about those six nets —
 * faults, pulls, what the chip drives — is the wire layer's. */
#include "periph/gpio.h"

#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "wire/xspi_wire.h"

#define MODER 0x00U
#define OTYPER 0x04U
#define OSPEEDR 0x08U
#define PUPDR 0x0CU
#define IDR 0x10U
#define ODR 0x14U
#define BSRR 0x18U
#define LCKR 0x1CU
#define AFRL 0x20U
#define AFRH 0x24U

struct gpio_port {
	struct gpio *owner;
	unsigned index;
	uint32_t moder, otyper, ospeedr, pupdr, odr, lckr, afr[2];
	bool locked;
	uint32_t lock_mask;
	int lock_step;
};

struct gpio {
	const struct board_profile *board;
	struct gpio_port port[GPIO_PORTS];
	struct xspi_wire *wire;
	struct pin_source source;
};

const char *xspi_signal_name(enum xspi_signal sig)
{
	static const char *const names[XSPI_SIGNALS] = {
		[XSPI_CLK] = "CLK", [XSPI_NCS] = "nCS", [XSPI_IO0] = "IO0",
		[XSPI_IO1] = "IO1", [XSPI_IO2] = "IO2", [XSPI_IO3] = "IO3",
	};

	return (unsigned)sig < XSPI_SIGNALS ? names[sig] : "?";
}

void gpio_reset_port(struct gpio *g, unsigned n)
{
	struct gpio_port *p = &g->port[n];

	memset(p, 0, sizeof(*p));
	p->owner = g;
	p->index = n;
	/* RM0433 §11.4: reset values. Ports A and B carry the debug pins
	 * (JTAG/SWD in AF0 with their pulls); the rest are analog. The
	 * GPIOB values are from the RM (the H743 SVD copies GPIOA's). */
	switch (n) {
	case 0:
		p->moder = 0xABFFFFFFU;
		p->ospeedr = 0x0C000000U;
		p->pupdr = 0x64000000U;
		break;
	case 1:
		p->moder = 0xFFFFFEBFU;
		p->ospeedr = 0x000000C0U;
		p->pupdr = 0x00000100U;
		break;
	default:
		p->moder = 0xFFFFFFFFU;
		break;
	}
}

void gpio_reset(struct gpio *g)
{
	for (unsigned n = 0; n < GPIO_PORTS; n++)
		gpio_reset_port(g, n);
}

static const struct board_pin *wired_pin(const struct gpio *g, unsigned port,
					 unsigned pin, enum xspi_signal *sig)
{
	for (unsigned s = 0; s < XSPI_SIGNALS; s++) {
		const struct board_pin *bp = &g->board->pins[s];

		if ((unsigned)(bp->port - 'A') == port && bp->pin == pin) {
			*sig = (enum xspi_signal)s;
			return bp;
		}
	}
	return NULL;
}

static void view(void *ctx, enum xspi_signal sig, struct pin_view *out)
{
	struct gpio *g = ctx;
	const struct board_pin *bp = &g->board->pins[sig];
	const struct gpio_port *p = &g->port[bp->port - 'A'];
	unsigned pin = bp->pin;
	unsigned af = (p->afr[pin / 8] >> (4 * (pin % 8))) & 0xFU;

	out->mode = (enum pin_mode)((p->moder >> (2 * pin)) & 3U);
	out->routed = out->mode == PIN_MODE_ALTERNATE && af == bp->af;
	switch ((p->pupdr >> (2 * pin)) & 3U) {
	case 1:
		out->pull = PIN_PULL_UP;
		break;
	case 2:
		out->pull = PIN_PULL_DOWN;
		break;
	default:
		out->pull = PIN_PULL_NONE;
		break;
	}
	out->open_drain = (p->otyper >> pin) & 1U;
	out->out_level = (p->odr >> pin) & 1U;
}

struct gpio *gpio_new(const struct board_profile *board)
{
	struct gpio *g = calloc(1, sizeof(*g));

	if (!g)
		abort();
	g->board = board;
	g->source.view = view;
	g->source.ctx = g;
	gpio_reset(g);
	return g;
}

void gpio_free(struct gpio *g)
{
	free(g);
}

void gpio_attach_wire(struct gpio *g, struct xspi_wire *wire)
{
	g->wire = wire;
}

const struct pin_source *gpio_pin_source(struct gpio *g)
{
	return &g->source;
}

void *gpio_port(struct gpio *g, unsigned port)
{
	return &g->port[port];
}

/* The level the input buffer sees on each pin. Analog pins read 0: their
 * Schmitt trigger is off (RM0433 §11.3.12). */
static uint32_t idr(const struct gpio_port *p)
{
	const struct gpio *g = p->owner;
	uint32_t v = 0;

	for (unsigned pin = 0; pin < 16; pin++) {
		unsigned mode = (p->moder >> (2 * pin)) & 3U;
		unsigned pull = (p->pupdr >> (2 * pin)) & 3U;
		enum xspi_signal sig;
		bool level;

		if (mode == PIN_MODE_ANALOG)
			continue;
		if (g->wire && wired_pin(g, p->index, pin, &sig))
			level = xspi_wire_gpio_level(g->wire, sig);
		else if (mode == PIN_MODE_OUTPUT)
			level = (p->odr >> pin) & 1U;
		else
			level = pull == 1;
		v |= (uint32_t)level << pin;
	}
	return v;
}

static bool port_read(void *dev, uint32_t off, unsigned size,
		      uint32_t *value, enum bus_master master)
{
	const struct gpio_port *p = dev;
	uint32_t v;

	(void)master;
	switch (off & ~3U) {
	case MODER: v = p->moder; break;
	case OTYPER: v = p->otyper; break;
	case OSPEEDR: v = p->ospeedr; break;
	case PUPDR: v = p->pupdr; break;
	case IDR: v = idr(p); break;
	case ODR: v = p->odr; break;
	case BSRR: v = 0; break; /* write-only */
	case LCKR: v = p->lckr | (p->locked ? 1U << 16 : 0); break;
	case AFRL: v = p->afr[0]; break;
	case AFRH: v = p->afr[1]; break;
	default: v = 0; break;
	}
	v >>= 8 * (off & 3U);
	if (size < 4)
		v &= (1U << (8 * size)) - 1U;
	*value = v;
	return true;
}

/* LCKR key sequence, RM0433 §11.4.8: write LCKK=1, LCKK=0, LCKK=1 with the
 * same LCK[15:0], then read; afterwards the locked pins' configuration
 * cannot change until reset. */
static void write_lckr(struct gpio_port *p, uint32_t v)
{
	static const uint32_t expect[3] = {1, 0, 1};
	uint32_t lckk = (v >> 16) & 1U;

	if (p->locked)
		return;
	if (p->lock_step > 0 && (v & 0xFFFFU) != p->lock_mask)
		p->lock_step = 0;
	if (lckk == expect[p->lock_step]) {
		p->lock_mask = v & 0xFFFFU;
		p->lckr = v & 0xFFFFU;
		if (++p->lock_step == 3) {
			p->locked = true;
			p->lock_step = 0;
		}
	} else {
		p->lock_step = 0;
	}
}

/* Bits of a 2-bit-per-pin or 4-bit-per-pin register that belong to
 * locked pins keep their value. */
static uint32_t keep_locked(const struct gpio_port *p, uint32_t old,
			    uint32_t v, unsigned bits_per_pin, unsigned first)
{
	uint32_t mask = 0, field = (1U << bits_per_pin) - 1U;

	if (!p->locked)
		return v;
	for (unsigned pin = first; pin < first + 32 / bits_per_pin; pin++)
		if ((p->lock_mask >> pin) & 1U)
			mask |= field << (bits_per_pin * (pin - first));
	return (v & ~mask) | (old & mask);
}

static bool port_write(void *dev, uint32_t off, unsigned size,
		       uint32_t value, enum bus_master master)
{
	struct gpio_port *p = dev;
	uint32_t word = off & ~3U, shift = 8 * (off & 3U);
	uint32_t mask = (size == 4 ? 0xFFFFFFFFU : (1U << (8 * size)) - 1U)
			<< shift;
	uint32_t *reg = NULL, old;
	unsigned bpp = 2, first = 0;

	(void)master;
	switch (word) {
	case MODER: reg = &p->moder; break;
	case OTYPER: reg = &p->otyper; bpp = 1; mask &= 0xFFFFU; break;
	case OSPEEDR: reg = &p->ospeedr; break;
	case PUPDR: reg = &p->pupdr; break;
	case ODR: reg = &p->odr; mask &= 0xFFFFU; bpp = 0; break;
	case AFRL: reg = &p->afr[0]; bpp = 4; break;
	case AFRH: reg = &p->afr[1]; bpp = 4; first = 8; break;
	case BSRR: {
		uint32_t v = value << shift;

		/* RM0433 §11.4.7: set wins over reset. */
		p->odr &= ~(v >> 16);
		p->odr |= v & 0xFFFFU;
		return true;
	}
	case LCKR:
		write_lckr(p, value << shift);
		return true;
	case IDR:
		sim_log(LOG_GUEST_ERROR, "GPIO%c_IDR is read-only",
			'A' + p->index);
		return true;
	default:
		return true;
	}
	old = *reg;
	*reg = (old & ~mask) | ((value << shift) & mask);
	if (bpp)
		*reg = keep_locked(p, old, *reg, bpp, first);
	return true;
}

const struct mmio_ops gpio_ops = {port_read, port_write};
