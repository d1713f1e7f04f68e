/* The STM32H7A3 clock tree from register values (RM0455): the 280 MHz
 * reset-init of cfg/boards/devebox-h7a3.cfg, and what is refused. */
#include <stdint.h>
#include <string.h>

#include "clock_fixture.h"
#include "parts/clock_tree.h"
#include "unit.h"

enum { CR, CFGR, CDCFGR1, PLLCKSELR, PLLCFGR, PLL1DIVR, PLL1FRACR, PLL2DIVR,
       PLL2FRACR, CDCCIPR, ACR, SRDCR };

/* HSE 25 MHz / 5 * 112 / 2 = 280 MHz, HPRE /1, VOS0, 6 WS. */
static void board_values(uint32_t *v)
{
	memset(v, 0, CLOCK_TREE_MAX_REGS * sizeof(*v));
	v[CR] = 0x0303C025u | (1u << 16) | (1u << 17);
	v[CFGR] = 0x1Bu;
	v[CDCFGR1] = 0x40u;
	v[PLLCKSELR] = 0x02020052u;
	v[PLLCFGR] = 0x01FF0008u;
	v[PLL1DIVR] = 111u | 1u << 9 | 3u << 16 | 1u << 24;
	v[PLL2DIVR] = 0x01010280u;
	v[ACR] = 0x36u;
	v[SRDCR] = 0x0000E000u;
}

/* What board_values gives. */
static const struct clock_tree board_tree = {
	.sysclk_source = "PLL1", .sysclk_hz = 280000000, .cpu_hz = 280000000,
	.axi_hz = 280000000, .xspi_kernel_hz = 280000000,
	.xspi_kernel_source = "rcc_hclk3", .flash_latency = 6,
	.flash_latency_needed = 6, .vos = 0,
};

static void test_board_clocks(void)
{
	struct clock_tree want = board_tree;
	uint32_t v[CLOCK_TREE_MAX_REGS];

	CHECK(clock_family_find("stm32h7a3") == &clock_family_h7a3);
	board_values(v);
	clock_expect_tree(&clock_family_h7a3, v, 25000000, &want);
	/* OCTOSPI on pll1_q_ck: 560 / 4 = 140 MHz. */
	v[CDCCIPR] = 1u << 4;
	want.xspi_kernel_hz = 140000000;
	want.xspi_kernel_source = "pll1_q_ck";
	clock_expect_tree(&clock_family_h7a3, v, 25000000, &want);
}

static void test_refusals(void)
{
	static const struct clock_refusal cases[] = {
		/* VOS1 allows 225 MHz. */
		{SRDCR, ~0u, 0x0000A000u, 25000000, "PWR_SRDCR",
		 "VOS1 allows a core clock up to 225 MHz"},
		/* 5 wait states are too few at 280 MHz in VOS0. */
		{ACR, ~0u, 0x35u, 25000000, "FLASH_ACR",
		 "at VOS0 needs at least 6"},
		/* A 600 MHz VCO is above this line's wide range (128-560). */
		{PLL1DIVR, ~0u, 119u | 1u << 9 | 3u << 16 | 1u << 24, 25000000,
		 "RCC_PLL1DIVR", "outside the wide range (128-560 MHz)"},
		{CDCCIPR, ~0u, 3u << 4 | 3u << 28, 25000000, "RCC_CDCCIPR",
		 "OCTOSPISEL is per_ck and CKPERSEL is 3: the OCTOSPI"},
	};

	clock_expect_refusals(&clock_family_h7a3, board_values, cases,
			      sizeof(cases) / sizeof(cases[0]));
	CHECK_EQ(clock_h7a3_flash_latency(44000000, 0), 0);
	CHECK_EQ(clock_h7a3_flash_latency(44000001, 0), 1);
	CHECK_EQ(clock_h7a3_flash_latency(225000000, 1), 5);
	CHECK_EQ(clock_h7a3_flash_latency(161000000, 2), -1);
	CHECK_EQ(clock_h7a3_flash_latency(88000000, 3), 3);
}

UNIT_MAIN("cli_clock_tree_h7a3", UNIT_TEST(test_board_clocks),
	  UNIT_TEST(test_refusals))
