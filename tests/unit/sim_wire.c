/* The board nets between MCU and chip: electrical faults as the chip and
 * the controller see them in SPI and QPI mode, unrouted pins, and the
 * levels the GPIO input buffers read for an interconnect test. */
#include <stdlib.h>

#include "fault.h"
#include "util/log.h"
#include "chips/psram.h"
#include "unit.h"
#include "wire/xspi_wire.h"
#include "xspi_rig.h"

struct rig {
	struct vclock clk;
	struct pin_view pins[XSPI_SIGNALS];
	struct pin_source src;
	struct xspi_wire *w;
	struct psram *p;
	uint64_t t_ps;
};

static struct rig rig;

static void setup_kind(enum chip_kind kind, const char *const *faults)
{
	sim_log_quiet(1);
	memset(&rig, 0, sizeof(rig));
	rig.clk.cpu_hz = 400000000;
	rig.clk.cycles = 80000;		/* 200 us */
	xspi_rig_route_all(rig.pins, &rig.src);
	rig.w = xspi_rig_wire(&rig.src, &rig.clk, kind, faults, 5);
	rig.p = psram_of(xspi_wire_chip(rig.w));
	rig.t_ps = 200000000;
}

static void setup(const char *const *faults)
{
	setup_kind(CHIP_ESP_PSRAM64H, faults);
}

static void teardown(void)
{
	xspi_wire_free(rig.w);
}

/* One command at 50 MHz (xspi_rig_cmd), then NCS high for 1 us. */
static void cmd(uint8_t op, unsigned il, long addr, unsigned al,
		unsigned dummy, unsigned dl, bool read, uint8_t *buf,
		unsigned n)
{
	rig.t_ps = xspi_rig_cmd(rig.w, rig.t_ps, 50000000, op, il, addr, al,
				dummy, dl, read, buf, n) +
		   1000000;
}

static void reset_spi(void)
{
	cmd(0x66, 1, -1, 0, 0, 0, false, NULL, 0);
	cmd(0x99, 1, -1, 0, 0, 0, false, NULL, 0);
}

static void qpi_on(void)
{
	cmd(0x35, 1, -1, 0, 0, 0, false, NULL, 0);
}

static void spi_read(uint32_t a, uint8_t *b, unsigned n)
{
	cmd(0x0B, 1, a, 1, 8, 1, true, b, n);
}

static void qpi_read(uint32_t a, uint8_t *b, unsigned n)
{
	cmd(0xEB, 4, a, 4, 6, 4, true, b, n);
}

static void fill(uint32_t a, uint8_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		psram_poke(rig.p, a + i, v);
}

static void clean_bus(void)
{
	uint8_t b[4];

	setup(NULL);
	reset_spi();
	fill(0, 0x5A, 4);
	spi_read(0, b, 4);
	CHECK_EQ(b[0], 0x5A);
	CHECK_EQ(b[3], 0x5A);
	qpi_on();
	qpi_read(0, b, 4);
	CHECK_EQ(b[1], 0x5A);
	teardown();
}

static void open_line(void)
{
	static const char *const io1[] = {"io1=open", NULL};
	static const char *const io2[] = {"io2=open", NULL};
	static const char *const io0[] = {"io0=open", NULL};
	uint8_t b[4];

	/* IO1 (SO) open: in SPI mode the controller reads its own pull. */
	setup(io1);
	reset_spi();
	fill(0, 0x00, 4);
	rig.pins[XSPI_IO1].pull = PIN_PULL_UP;
	spi_read(0, b, 4);
	CHECK_EQ(b[0], 0xFF);
	rig.pins[XSPI_IO1].pull = PIN_PULL_DOWN;
	fill(0, 0xFF, 4);
	spi_read(0, b, 4);
	CHECK_EQ(b[0], 0x00);
	teardown();

	/* IO2 open: SPI mode does not use it; QPI loses bits 6 and 2 to the
	 * pull, and the chip hears noise on IO2 for commands and data. */
	setup(io2);
	reset_spi();
	fill(0, 0xFF, 4);
	rig.pins[XSPI_IO2].pull = PIN_PULL_DOWN;
	spi_read(0, b, 4);
	CHECK_EQ(b[0], 0xFF);
	teardown();

	setup(io2);
	reset_spi();
	qpi_on();
	CHECK(psram_in_qpi(rig.p));
	fill(0, 0xFF, 4);
	rig.pins[XSPI_IO2].pull = PIN_PULL_DOWN;
	/* The QPI opcode 0xEB itself crosses IO2 (bit 6 and bit 2 of
	 * 0xEB are 1 and 0); with noise there the chip may not decode it,
	 * but whatever comes back has IO2's bits pulled low. */
	qpi_read(0, b, 4);
	CHECK_EQ(b[0] & 0x44, 0x00);
	teardown();

	/* IO0 (SI) open: the chip never gets a clean SPI opcode. */
	setup(io0);
	reset_spi();
	CHECK_EQ(psram_violations(rig.p, PSRAM_V_NO_RESET), 0);
	{
		uint8_t d[4] = {1, 2, 3, 4};

		fill(0x40, 0xEE, 4);
		cmd(0x02, 1, 0x40, 1, 0, 1, false, d, 4);
		CHECK_EQ(psram_peek(rig.p, 0x40), 0xEE);
	}
	teardown();
}

static void stuck_and_short(void)
{
	static const char *const s1[] = {"io1=stuck1", NULL};
	static const char *const s3[] = {"io3=stuck0", NULL};
	static const char *const sh[] = {"io1+io2=short", NULL};
	uint8_t b[4];

	setup(s1);
	reset_spi();
	fill(0, 0x00, 4);
	spi_read(0, b, 4);
	CHECK_EQ(b[0], 0xFF);
	teardown();

	/* IO3 stuck low: unused in SPI mode (the chip has no HOLD), and in
	 * QPI mode bits 7 and 3 read 0. QPI commands need IO3 though:
	 * 0xEB = 1110 1011 has IO3 set in both nibbles. */
	setup(s3);
	reset_spi();
	fill(0, 0xFF, 4);
	spi_read(0, b, 4);
	CHECK_EQ(b[0], 0xFF);
	qpi_on();
	CHECK(psram_in_qpi(rig.p));
	qpi_read(0, b, 4);
	CHECK_EQ(b[0] & 0x88, 0);
	teardown();

	/* IO1+IO2 shorted: in SPI mode the controller drives IO2 = 0 while
	 * the chip drives SO = IO1: wired-AND, every byte reads 0. */
	setup(sh);
	reset_spi();
	fill(0, 0xA5, 4);
	spi_read(0, b, 4);
	CHECK_EQ(b[0], 0x00);
	teardown();
}

static void clk_cs_open(void)
{
	static const char *const clk[] = {"clk=open", NULL};
	static const char *const cs[] = {"cs=open", NULL};
	uint8_t b[4];

	setup(clk);
	rig.pins[XSPI_IO1].pull = PIN_PULL_UP;
	reset_spi();
	cmd(0x9F, 1, 0, 1, 0, 1, true, b, 4);
	CHECK_EQ(b[0], 0xFF);
	CHECK_EQ(psram_violations(rig.p, PSRAM_V_NO_RESET), 0);
	teardown();
	setup(cs);
	rig.pins[XSPI_IO1].pull = PIN_PULL_DOWN;
	reset_spi();
	cmd(0x9F, 1, 0, 1, 0, 1, true, b, 4);
	CHECK_EQ(b[0], 0x00);
	teardown();
}

static void unrouted_pins(void)
{
	unsigned long errs;
	uint8_t b[4];

	/* IO2/IO3 unrouted do not matter in SPI mode: not logged. */
	setup(NULL);
	rig.pins[XSPI_IO2].routed = false;
	rig.pins[XSPI_IO2].mode = PIN_MODE_ANALOG;
	rig.pins[XSPI_IO3].routed = false;
	rig.pins[XSPI_IO3].mode = PIN_MODE_ANALOG;
	errs = sim_log_count(LOG_GUEST_ERROR);
	reset_spi();
	fill(0, 0x33, 4);
	spi_read(0, b, 4);
	CHECK_EQ(b[0], 0x33);
	CHECK_EQ(sim_log_count(LOG_GUEST_ERROR), errs);
	/* A quad command with them unrouted: logged once per pin. */
	qpi_on();
	qpi_read(0, b, 4);
	qpi_read(0, b, 4);
	CHECK_EQ(sim_log_count(LOG_GUEST_ERROR), errs + 2);
	teardown();

	/* NCS in GPIO mode: the chip is never selected. */
	setup(NULL);
	rig.pins[XSPI_NCS].routed = false;
	rig.pins[XSPI_NCS].mode = PIN_MODE_OUTPUT;
	rig.pins[XSPI_NCS].out_level = true;
	rig.pins[XSPI_IO1].pull = PIN_PULL_UP;
	errs = sim_log_count(LOG_GUEST_ERROR);
	reset_spi();
	CHECK_EQ(sim_log_count(LOG_GUEST_ERROR), errs + 1);
	rig.pins[XSPI_NCS].routed = true;
	rig.pins[XSPI_NCS].mode = PIN_MODE_ALTERNATE;
	cmd(0x9F, 1, 0, 1, 0, 1, true, b, 1);
	CHECK_EQ(b[0], 0x0D);
	/* The command before the reset was therefore the first one. */
	CHECK_EQ(psram_violations(rig.p, PSRAM_V_NO_RESET), 1);
	teardown();
}

/* Interconnect test through GPIO: IO<drv> an output at `level`, the
 * others inputs with `pull`; the levels the IDR would show. */
static unsigned gpio_scan(unsigned drv, bool level, enum pin_pull pull)
{
	unsigned seen = 0;

	for (unsigned i = 0; i < 4; i++) {
		struct pin_view *v = &rig.pins[XSPI_IO0 + i];

		memset(v, 0, sizeof(*v));
		v->mode = i == drv ? PIN_MODE_OUTPUT : PIN_MODE_INPUT;
		v->out_level = level;
		v->pull = i == drv ? PIN_PULL_NONE : pull;
	}
	for (unsigned i = 0; i < 4; i++)
		if (xspi_wire_gpio_level(rig.w, XSPI_IO0 + i))
			seen |= 1U << i;
	return seen;
}

static void gpio_interconnect(void)
{
	static const char *const sh[] = {"io0+io2=short", NULL};
	static const char *const st[] = {"io3=stuck1", NULL};
	static const char *const op[] = {"io1=open", NULL};

	setup(NULL);
	CHECK_EQ(gpio_scan(0, true, PIN_PULL_DOWN), 0x1);
	CHECK_EQ(gpio_scan(0, false, PIN_PULL_UP), 0xE);
	CHECK_EQ(gpio_scan(2, true, PIN_PULL_DOWN), 0x4);
	/* Routed alternate-function NCS idles high, CLK low (CKMODE 0). */
	CHECK(xspi_wire_gpio_level(rig.w, XSPI_NCS));
	CHECK(!xspi_wire_gpio_level(rig.w, XSPI_CLK));
	teardown();

	/* A short follows the driven line over the pulled one. */
	setup(sh);
	CHECK_EQ(gpio_scan(0, true, PIN_PULL_DOWN), 0x5);
	CHECK_EQ(gpio_scan(0, false, PIN_PULL_UP), 0xA);
	CHECK_EQ(gpio_scan(1, true, PIN_PULL_DOWN), 0x2);
	/* Both pulled the same way: they agree with the pulls. */
	CHECK_EQ(gpio_scan(1, true, PIN_PULL_UP), 0xF);
	teardown();

	/* Stuck at 1 wins over a pull-down and over a driven 0. */
	setup(st);
	CHECK_EQ(gpio_scan(0, false, PIN_PULL_DOWN), 0x8);
	CHECK_EQ(gpio_scan(3, false, PIN_PULL_DOWN), 0x8);
	teardown();

	/* An open line reads its own pull both ways (like a good line with
	 * nobody driving, which is why the tool drives it from the MCU:
	 * the chip side is not visible through GPIO). */
	setup(op);
	CHECK_EQ(gpio_scan(0, true, PIN_PULL_UP), 0xF);
	CHECK_EQ(gpio_scan(0, true, PIN_PULL_DOWN), 0x1);
	teardown();
}

static void floating_holds(void)
{
	unsigned ones = 0;

	setup(NULL);
	/* Drive IO1 high, then release it with no pull: it keeps the level
	 * for a while. */
	gpio_scan(1, true, PIN_PULL_NONE);
	rig.pins[XSPI_IO1].mode = PIN_MODE_INPUT;
	rig.clk.cycles += 4000;		/* 10 us */
	CHECK(xspi_wire_gpio_level(rig.w, XSPI_IO1));
	/* Much later, leakage has made it noise. */
	rig.clk.cycles += 4000000;	/* 10 ms */
	for (int i = 0; i < 64; i++)
		ones += xspi_wire_gpio_level(rig.w, XSPI_IO1);
	CHECK(ones > 8 && ones < 56);
	teardown();
}

static void contention_logged(void)
{
	unsigned long errs;

	/* A quad read with no dummy cycle: the chip and the controller both
	 * drive the lines at the turnaround. */
	setup(NULL);
	reset_spi();
	qpi_on();
	fill(0, 0x00, 2);
	errs = sim_log_count(LOG_GUEST_ERROR);
	{
		struct xspi_clocking c = {50000000, 20000, 20000};
		struct xspi_frame f;

		memset(&f, 0, sizeof(f));
		xspi_frame_phase(&f, XSPI_PH_INSTR, 4, 1, 0xEB, 0);
		xspi_wire_select(rig.w, rig.t_ps, &c, &f);
		xspi_wire_send(rig.w, 4, 0xEB, 8);
		xspi_wire_send(rig.w, 4, 0, 24);
		xspi_wire_dummy(rig.w, 4, 6);
		/* The controller drives data as if writing. */
		xspi_wire_send(rig.w, 4, 0xFF, 8);
		xspi_wire_deselect(rig.w, xspi_wire_time(rig.w) + 20000);
	}
	CHECK(sim_log_count(LOG_GUEST_ERROR) > errs);
	teardown();
}

UNIT_MAIN("sim_wire", UNIT_TEST(clean_bus), UNIT_TEST(open_line),
	  UNIT_TEST(stuck_and_short), UNIT_TEST(clk_cs_open),
	  UNIT_TEST(unrouted_pins), UNIT_TEST(gpio_interconnect),
	  UNIT_TEST(floating_holds), UNIT_TEST(contention_logged))
