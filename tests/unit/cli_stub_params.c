/* What the stub is given and what it is (stub_params.c, stub_image.c): the
 * board file's variables as mailbox parameters, with a missing or bad one
 * named before the board is touched; and a stub image checked against the
 * ABI header before it is loaded. */
#include <stdlib.h>
#include <string.h>

#include "link/board_vars.h"
#include "util/error.h"
#include "stub/stub_image.h"
#include "util/strbuf.h"
#include "stub/stub_params.h"
#include "unit.h"

extern const unsigned char stub_image[];
extern const unsigned int stub_image_size;

#define PINS "PSRAM_PINS {clk PB2 9 ncs PB6 10 io0 PD11 9 io1 PD12 9 " \
	     "io2 PE2 9 io3 PD13 9}"
#define BOARD "PSRAM_FAMILY stm32h7 PSRAM_XSPI quadspi " \
	      "PSRAM_XSPI_BASE 0x52005000 PSRAM_XSPI_WINDOW 0x90000000 " \
	      "PSRAM_KERNEL_HZ 200000000 PSRAM_CPU_HZ 400000000 " \
	      "PSRAM_CLOCK_MHZ 50 PSRAM_CHIP esp-psram64h " \
	      "PSRAM_STUB_RAM {0x20000000 0x20000} "

static int params(const char *list, struct stub_params *p, uint32_t *sp)
{
	struct board_vars v;
	int r = board_vars_parse(list, &v);

	if (r)
		return r;
	r = stub_params_from_board(&v, p, sp);
	board_vars_free(&v);
	return r;
}

static void devebox(void)
{
	struct stub_params p;
	uint32_t sp = 0;

	CHECK_EQ(params(BOARD PINS, &p, &sp), 0);
	CHECK_EQ(p.family, STUB_FAMILY_STM32H7);
	CHECK_EQ(p.xspi, STUB_XSPI_QUADSPI);
	CHECK_EQ(p.xspi_base, 0x52005000);
	CHECK_EQ(p.xspi_window, 0x90000000);
	CHECK_EQ(p.kernel_hz, 200000000);
	CHECK_EQ(p.cpu_hz, 400000000);
	CHECK_EQ(p.clock_hz, 50000000);
	CHECK_EQ(p.chip, STUB_CHIP_ESP_PSRAM64H);
	CHECK_EQ(p.chip_size, 0);
	CHECK_EQ(p.mode, STUB_MODE_SPI);
	CHECK_EQ(p.sample_shift, STUB_SSHIFT_AUTO);
	CHECK_EQ(sp, 0x20020000);
	/* PB2 AF9, no pull (CLK is driven low between commands) */
	CHECK_EQ(p.pins[STUB_PIN_CLK].port, 1);
	CHECK_EQ(p.pins[STUB_PIN_CLK].pin, 2);
	CHECK_EQ(p.pins[STUB_PIN_CLK].af, 9);
	CHECK_EQ(p.pins[STUB_PIN_CLK].pull, STUB_PULL_NONE);
	CHECK_EQ(p.pins[STUB_PIN_NCS].port, 1);
	CHECK_EQ(p.pins[STUB_PIN_NCS].pin, 6);
	CHECK_EQ(p.pins[STUB_PIN_NCS].af, 10);
	CHECK_EQ(p.pins[STUB_PIN_NCS].pull, STUB_PULL_UP);
	CHECK_EQ(p.pins[STUB_PIN_IO1].port, 3);
	CHECK_EQ(p.pins[STUB_PIN_IO1].pin, 12);
	CHECK_EQ(p.pins[STUB_PIN_IO1].pull, STUB_PULL_UP);
	CHECK_EQ(p.pins[STUB_PIN_IO2].port, 4);
	CHECK_EQ(p.pins[STUB_PIN_IO2].pin, 2);
	for (int i = 0; i < STUB_PIN_COUNT; i++) {
		CHECK_EQ(p.pins[i].speed, STUB_SPEED_VERY_HIGH);
		CHECK_EQ(p.pins[i].reserved[0] | p.pins[i].reserved[1] |
				 p.pins[i].reserved[2],
			 0);
	}
}

static void defaults(void)
{
	struct stub_params p;
	uint32_t sp = 0;

	/* No stub RAM: the smallest any MCU has. No clock: the stub's cap.
	 * An unknown chip: the strictest limits. */
	CHECK_EQ(params("PSRAM_FAMILY stm32f7 PSRAM_XSPI quadspi "
			"PSRAM_XSPI_BASE 0xa0001000 PSRAM_XSPI_WINDOW "
			"0x90000000 PSRAM_KERNEL_HZ 216000000 PSRAM_CPU_HZ "
			"216000000 PSRAM_CHIP w25q64 " PINS,
			&p, &sp),
		 0);
	CHECK_EQ(p.family, STUB_FAMILY_STM32F7);
	CHECK_EQ(sp, STUB_RAM_MIN_END);
	CHECK_EQ(p.clock_hz, 0);
	CHECK_EQ(p.chip, STUB_CHIP_UNKNOWN);
}

/* The devebox-h750 variables with `name` set to `value` (NULL: left
 * out), as one list without repeated names. */
static void board_with(struct strbuf *sb, const char *name, const char *value)
{
	static const char *const vars[][2] = {
		{"PSRAM_FAMILY", "stm32h7"},
		{"PSRAM_XSPI", "quadspi"},
		{"PSRAM_XSPI_BASE", "0x52005000"},
		{"PSRAM_XSPI_WINDOW", "0x90000000"},
		{"PSRAM_KERNEL_HZ", "200000000"},
		{"PSRAM_CPU_HZ", "400000000"},
		{"PSRAM_CLOCK_MHZ", "50"},
		{"PSRAM_STUB_RAM", "{0x20000000 0x20000}"},
		{"PSRAM_PINS", "{clk PB2 9 ncs PB6 10 io0 PD11 9 io1 PD12 9 "
			       "io2 PE2 9 io3 PD13 9}"},
	};

	sb_reset(sb);
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = vars[i][1];

		if (!strcmp(vars[i][0], name))
			v = value;
		if (v)
			sb_addf(sb, "%s %s ", vars[i][0], v);
	}
}

static void bad_boards(void)
{
	static const char *const bad[][2] = {
		/* missing variables */
		{"PSRAM_FAMILY", NULL},
		{"PSRAM_XSPI", NULL},
		{"PSRAM_XSPI_BASE", NULL},
		{"PSRAM_XSPI_WINDOW", NULL},
		{"PSRAM_KERNEL_HZ", NULL},
		{"PSRAM_CPU_HZ", NULL},
		{"PSRAM_PINS", NULL},
		/* wrong values */
		{"PSRAM_FAMILY", "stm32l4"},
		{"PSRAM_XSPI", "spi"},
		{"PSRAM_KERNEL_HZ", "100"},
		{"PSRAM_CPU_HZ", "5000000000"},
		{"PSRAM_CLOCK_MHZ", "2000"},
		{"PSRAM_STUB_RAM", "{0x20001000 0x1f000}"},
		{"PSRAM_STUB_RAM", "{0x20000000 0x8000}"},
		{"PSRAM_STUB_RAM", "{0x20000000 0x40000}"},
		/* pins */
		{"PSRAM_PINS", "{clk PB2 9 ncs PB6 10 io0 PD11 9 io1 PD12 9 "
			       "io2 PE2 9}"},
		{"PSRAM_PINS", "{clk PB2 9 ncs PB6 10 io0 PD11 9 io1 PD12 9 "
			       "io2 PE2 9 io3 PD13 9 io3 PD14 9}"},
		{"PSRAM_PINS", "{clk PB2 9 ncs PB6 10 io0 PD11 9 io1 PD12 9 "
			       "io2 PE2 9 dqs PD13 9}"},
		{"PSRAM_PINS", "{clk PZ2 9 ncs PB6 10 io0 PD11 9 io1 PD12 9 "
			       "io2 PE2 9 io3 PD13 9}"},
	};
	struct stub_params p;
	struct strbuf sb;
	uint32_t sp;

	sb_init(&sb);
	board_with(&sb, "", NULL);
	CHECK_EQ(params(sb.buf, &p, &sp), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		board_with(&sb, bad[i][0], bad[i][1]);
		if (params(sb.buf, &p, &sp) != PSR_ERR_BOARD_FILE) {
			printf("  accepted: %s\n", sb.buf);
			unit_failed_now = 1;
			break;
		}
	}
	sb_release(&sb);
}

static void pin_names(void)
{
	uint8_t port = 0xff, pin = 0xff;

	CHECK_EQ(stub_pin_parse("PA0", &port, &pin), 0);
	CHECK_EQ(port, 0);
	CHECK_EQ(pin, 0);
	CHECK_EQ(stub_pin_parse("PK15", &port, &pin), 0);
	CHECK_EQ(port, 10);
	CHECK_EQ(pin, 15);
	CHECK_EQ(stub_pin_parse("PL1", &port, &pin), -1);
	CHECK_EQ(stub_pin_parse("PA16", &port, &pin), -1);
	CHECK_EQ(stub_pin_parse("PA01", &port, &pin), -1);
	CHECK_EQ(stub_pin_parse("PA100", &port, &pin), -1);
	CHECK_EQ(stub_pin_parse("PB", &port, &pin), -1);
	CHECK_EQ(stub_pin_parse("pb2", &port, &pin), -1);
	CHECK_EQ(stub_pin_parse("", &port, &pin), -1);
}

static void chip_names(void)
{
	CHECK_EQ(stub_chip_from_name("esp-psram64h"), STUB_CHIP_ESP_PSRAM64H);
	CHECK_EQ(stub_chip_from_name("ly68l6400"), STUB_CHIP_LY68L6400);
	CHECK_EQ(stub_chip_from_name("aps6404l"), STUB_CHIP_APS6404L);
	CHECK_EQ(stub_chip_from_name("ips6404l"), STUB_CHIP_IPS6404L);
	CHECK_EQ(stub_chip_from_name("w25q64"), -1);
	CHECK_STR(stub_chip_name(STUB_CHIP_APS6404L), "aps6404l");
	CHECK_STR(stub_chip_part(STUB_CHIP_IPS6404L), "IPS6404L");
	CHECK(stub_chip_name(STUB_CHIP_UNKNOWN) == NULL);
	CHECK(stub_chip_name(99) == NULL);
}

static uint8_t *image_copy(void)
{
	uint8_t *b = malloc(stub_image_size);

	memcpy(b, stub_image, stub_image_size);
	return b;
}

static void put32(uint8_t *b, uint32_t addr, uint32_t v)
{
	uint32_t off = addr - STUB_LOAD_ADDR;

	b[off] = (uint8_t)v;
	b[off + 1] = (uint8_t)(v >> 8);
	b[off + 2] = (uint8_t)(v >> 16);
	b[off + 3] = (uint8_t)(v >> 24);
}

#define HDR(field) \
	(STUB_IMAGE_HEADER_ADDR + offsetof(struct stub_image_header, field))

static void images(void)
{
	struct stub_image_header h;
	struct stub_image *img = NULL;
	uint8_t *b = image_copy();
	int r;

	CHECK_EQ(stub_image_check(b, stub_image_size, "built-in", &h), 0);
	CHECK_EQ(h.abi_version, STUB_ABI_VERSION);
	CHECK_EQ(h.mailbox_size, sizeof(struct stub_mailbox));
	CHECK_EQ(stub_image_load(&img, NULL), 0);
	CHECK(img && img->size == stub_image_size);
	stub_image_free(img);
	CHECK_EQ(stub_image_check(b, 0x40, "short", &h), PSR_ERR_STUB_IMAGE);
	CHECK_EQ(stub_image_check(b, STUB_IMAGE_MAX + 1, "long", &h),
		 PSR_ERR_STUB_IMAGE);
	put32(b, HDR(abi_version), STUB_ABI_VERSION + 1);
	r = stub_image_check(b, stub_image_size, "next", &h);
	CHECK_EQ(r, PSR_ERR_STUB_ABI);
	put32(b, HDR(abi_version), STUB_ABI_VERSION);
	put32(b, HDR(mailbox_size), sizeof(struct stub_mailbox) + 16);
	CHECK_EQ(stub_image_check(b, stub_image_size, "bigger mailbox", &h),
		 PSR_ERR_STUB_ABI);
	put32(b, HDR(mailbox_size), sizeof(struct stub_mailbox));
	put32(b, HDR(entry_addr), STUB_ENTRY_ADDR + 4);
	CHECK_EQ(stub_image_check(b, stub_image_size, "moved entry", &h),
		 PSR_ERR_STUB_ABI);
	put32(b, HDR(magic), 0);
	CHECK_EQ(stub_image_check(b, stub_image_size, "no magic", &h),
		 PSR_ERR_STUB_IMAGE);
	free(b);
	CHECK_EQ(stub_image_load(&img, "/nonexistent/stub.bin"),
		 PSR_ERR_STUB_IMAGE);
	CHECK(img == NULL);
}

UNIT_MAIN("cli_stub_params", UNIT_TEST(devebox), UNIT_TEST(defaults),
	  UNIT_TEST(bad_boards), UNIT_TEST(pin_names), UNIT_TEST(chip_names),
	  UNIT_TEST(images))
