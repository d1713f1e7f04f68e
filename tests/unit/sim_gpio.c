/* GPIO: reset values, BSRR, the AF routing of the memory nets, LCKR, and
 * IDR of wired pins through the wire layer (RM0433 §11). */
#include "unit.h"

#include "board.h"
#include "fault.h"
#include "periph/gpio.h"
#include "util/log.h"
#include "wire/xspi_wire.h"

#define PORT(c) ((unsigned)((c) - 'A'))

static uint32_t rd(struct gpio *g, char port, uint32_t off)
{
	uint32_t v = 0;

	gpio_ops.read(gpio_port(g, PORT(port)), off, 4, &v, BUS_MASTER_CPU);
	return v;
}

static void w(struct gpio *g, char port, uint32_t off, uint32_t v)
{
	gpio_ops.write(gpio_port(g, PORT(port)), off, 4, v, BUS_MASTER_CPU);
}

static void set_mode(struct gpio *g, char port, unsigned pin, unsigned mode)
{
	w(g, port, 0x00,
	  (rd(g, port, 0x00) & ~(3U << (2 * pin))) | (mode << (2 * pin)));
}

static void set_af(struct gpio *g, char port, unsigned pin, unsigned af)
{
	uint32_t off = 0x20 + 4 * (pin / 8);

	set_mode(g, port, pin, 2);
	w(g, port, off,
	  (rd(g, port, off) & ~(0xFU << (4 * (pin % 8)))) |
		  (af << (4 * (pin % 8))));
}

static void reset_values(void)
{
	struct gpio *g = gpio_new(board_find("devebox-h750"));

	CHECK_EQ(rd(g, 'A', 0x00), 0xABFFFFFFU);
	CHECK_EQ(rd(g, 'A', 0x0C), 0x64000000U);
	CHECK_EQ(rd(g, 'B', 0x00), 0xFFFFFEBFU);
	CHECK_EQ(rd(g, 'D', 0x00), 0xFFFFFFFFU); /* analog */
	CHECK_EQ(rd(g, 'D', 0x10), 0); /* analog pins read 0 */
	gpio_free(g);
}

static void bsrr_set_wins(void)
{
	struct gpio *g = gpio_new(board_find("devebox-h750"));

	w(g, 'C', 0x18, 0x00000005U);
	CHECK_EQ(rd(g, 'C', 0x14), 5);
	/* Set and reset of bit 0 in one write: set wins (§11.4.7). */
	w(g, 'C', 0x18, 0x00050001U);
	CHECK_EQ(rd(g, 'C', 0x14), 1);
	CHECK_EQ(rd(g, 'C', 0x18), 0); /* write-only */
	gpio_free(g);
}

static void routing_needs_af_mode_and_number(void)
{
	struct gpio *g = gpio_new(board_find("devebox-h750"));
	const struct pin_source *src = gpio_pin_source(g);
	struct pin_view v;

	src->view(src->ctx, XSPI_NCS, &v);
	CHECK(!v.routed);
	set_af(g, 'B', 6, 9); /* AF9 on PB6 is not QUADSPI_BK1_NCS */
	src->view(src->ctx, XSPI_NCS, &v);
	CHECK(!v.routed);
	set_af(g, 'B', 6, 10);
	src->view(src->ctx, XSPI_NCS, &v);
	CHECK(v.routed);
	w(g, 'B', 0x0C, 1U << 12); /* PB6 pull-up */
	src->view(src->ctx, XSPI_NCS, &v);
	CHECK_EQ(v.pull, PIN_PULL_UP);
	set_af(g, 'D', 13, 9);
	src->view(src->ctx, XSPI_IO3, &v);
	CHECK(v.routed);
	CHECK_STR(xspi_signal_name(XSPI_IO3), "IO3");
	gpio_free(g);
}

static void lckr_sequence_locks(void)
{
	struct gpio *g = gpio_new(board_find("devebox-h750"));

	set_mode(g, 'C', 3, 1);
	w(g, 'C', 0x1C, 0x00010008U);
	w(g, 'C', 0x1C, 0x00000008U);
	w(g, 'C', 0x1C, 0x00010008U);
	CHECK(rd(g, 'C', 0x1C) & 0x00010000U);
	set_mode(g, 'C', 3, 0);
	CHECK_EQ((rd(g, 'C', 0x00) >> 6) & 3U, 1); /* still output */
	set_mode(g, 'C', 4, 1);			/* unlocked pin changes */
	CHECK_EQ((rd(g, 'C', 0x00) >> 8) & 3U, 1);
	gpio_free(g);
}

static void idr_of_wired_pins_follows_wire(void)
{
	struct vclock clk = {.cycles = 0, .cpu_hz = 64000000};
	struct gpio *g = gpio_new(board_find("devebox-h750"));
	struct xspi_wire *wire;
	struct fault_set fs;
	char err[128];

	sim_log_quiet(1);
	fault_set_init(&fs);
	CHECK_EQ(fault_parse(&fs, "io0+io1=short", err, sizeof(err)), 0);
	wire = xspi_wire_new(gpio_pin_source(g), &clk, 1);
	CHECK_EQ(xspi_wire_fit(wire, &fs, 1), 0);
	gpio_attach_wire(g, wire);
	/* IO1 (PD12) input with pull-up, IO0 (PD11) output driving 0: the
	 * short pulls IO1 down (wired-AND). */
	set_mode(g, 'D', 12, 0);
	w(g, 'D', 0x0C, 1U << 24);
	set_mode(g, 'D', 11, 1);
	w(g, 'D', 0x18, 1U << (16 + 11));
	CHECK_EQ((rd(g, 'D', 0x10) >> 12) & 1U, 0);
	/* IO0 driving 1: IO1 reads its pull-up, 1. */
	w(g, 'D', 0x18, 1U << 11);
	CHECK_EQ((rd(g, 'D', 0x10) >> 12) & 1U, 1);
	xspi_wire_free(wire);
	gpio_free(g);
}

UNIT_MAIN("sim_gpio", UNIT_TEST(reset_values), UNIT_TEST(bsrr_set_wins),
	  UNIT_TEST(routing_needs_af_mode_and_number),
	  UNIT_TEST(lckr_sequence_locks),
	  UNIT_TEST(idr_of_wired_pins_follows_wire))
