/* The STM32F7 clock tree from register values (RM0385): the 216 MHz
 * over-drive reset-init of cfg/boards/psram-stm32f7-common.cfg, and what
 * is refused (docs/hardware-stm32f7.md §3). */
#include <stdint.h>
#include <string.h>

#include "clock_fixture.h"
#include "parts/clock_tree.h"
#include "unit.h"

enum { CR, PLLCFGR, CFGR, APB1ENR, ACR, PWR_CR1, PWR_CSR1 };

/* HSE 25 MHz / 25 * 432 / 2 = 216 MHz, AHB /1, APB1 /4, APB2 /2, scale 1
 * with over-drive, 7 wait states. */
static void board_values(uint32_t *v)
{
	memset(v, 0, CLOCK_TREE_MAX_REGS * sizeof(*v));
	v[CR] = 0x03036F83u;
	v[PLLCFGR] = 0x29406C19u;
	v[CFGR] = 0x0000940Au;
	v[APB1ENR] = 1u << 28;
	v[ACR] = 0x307u;
	v[PWR_CR1] = 0x0003C000u;
	v[PWR_CSR1] = 0x00034000u;
}

/* What board_values gives. */
static const struct clock_tree board_tree = {
	.sysclk_source = "PLL", .sysclk_hz = 216000000, .cpu_hz = 216000000,
	.axi_hz = 216000000, .xspi_kernel_hz = 216000000,
	.xspi_kernel_source = "HCLK", .flash_latency = 7,
	.flash_latency_needed = 7, .vos = 1,
};

static void board_clocks(void)
{
	struct clock_tree want = board_tree;
	uint32_t v[CLOCK_TREE_MAX_REGS];

	CHECK(clock_family_find("stm32f7") == &clock_family_f7);
	board_values(v);
	clock_expect_tree(&clock_family_f7, v, 25000000, &want);
	/* Out of reset: HSI 16 MHz, scale 3 with the PLL off. */
	memset(v, 0, CLOCK_TREE_MAX_REGS * sizeof(*v));
	v[CR] = 0x6F83u;
	v[PLLCFGR] = 0x24003010u;
	v[APB1ENR] = 1u << 28;
	v[PWR_CR1] = 0xC000u;
	want.sysclk_source = "HSI";
	want.sysclk_hz = want.cpu_hz = want.axi_hz = 16000000;
	want.xspi_kernel_hz = 16000000;
	want.flash_latency = want.flash_latency_needed = 0;
	want.vos = 3;
	clock_expect_tree(&clock_family_f7, v, 25000000, &want);
}

static void refusals(void)
{
	static const struct clock_refusal cases[] = {
		/* 216 MHz without over-drive: scale 1 stops at 180 MHz. */
		{PWR_CSR1, ~0u, 0x00014000u, 25000000, "PWR_CSR1",
		 "without over-drive allows HCLK up to 180 MHz"},
		/* 6 wait states are too few at 216 MHz. */
		{ACR, ~0u, 0x306u, 25000000, "FLASH_ACR", "needs at least 7"},
		/* PLLM 10: a 2.5 MHz PLL input. */
		{PLLCFGR, 0x3Fu, 10u, 25000000, "RCC_PLLCFGR",
		 "the PLL input is 2.500 MHz"},
		/* APB1 /2: 108 MHz is above 54 MHz. */
		{CFGR, ~0u, 0x0000900Au, 25000000, "RCC_CFGR", "APB1 108.0"},
		/* SW asks for the PLL, SWS still HSI. */
		{CFGR, ~0u, 0x00009402u, 25000000, "RCC_CFGR",
		 "did not switch"},
		/* The power controller unclocked. */
		{APB1ENR, ~0u, 0, 25000000, "RCC_APB1ENR", "PWREN is 0"},
	};

	clock_expect_refusals(&clock_family_f7, board_values, cases,
			      sizeof(cases) / sizeof(cases[0]));
	CHECK_EQ(clock_f7_flash_latency(30000000), 0);
	CHECK_EQ(clock_f7_flash_latency(30000001), 1);
	CHECK_EQ(clock_f7_flash_latency(216000000), 7);
	CHECK_EQ(clock_f7_flash_latency(216000001), -1);
}

UNIT_MAIN("cli_clock_tree_f7", UNIT_TEST(board_clocks), UNIT_TEST(refusals))
