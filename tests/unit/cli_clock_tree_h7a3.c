/* The STM32H7A3 clock tree from register values (RM0455): the 280 MHz
 * reset-init of cfg/boards/devebox-h7a3.cfg, and what is refused. */
#include <stdint.h>
#include <string.h>

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

static int eval(const uint32_t *v, struct clock_tree *t,
		struct clock_problem *p)
{
	memset(p, 0, sizeof(*p));
	return clock_family_h7a3.evaluate(v, 25000000, t, p);
}

static void test_board_clocks(void)
{
	uint32_t v[CLOCK_TREE_MAX_REGS];
	struct clock_tree t;
	struct clock_problem p;

	CHECK(clock_family_find("stm32h7a3") == &clock_family_h7a3);
	board_values(v);
	CHECK_EQ(eval(v, &t, &p), 0);
	CHECK_EQ(t.sysclk_hz, 280000000);
	CHECK_EQ(t.cpu_hz, 280000000);
	CHECK_EQ(t.axi_hz, 280000000);
	CHECK_EQ(t.xspi_kernel_hz, 280000000);
	CHECK_STR(t.xspi_kernel_source, "rcc_hclk3");
	CHECK_EQ(t.vos, 0);
	CHECK_EQ(t.flash_latency_needed, 6);
	/* OCTOSPI on pll1_q_ck: 560 / 4 = 140 MHz. */
	v[CDCCIPR] = 1u << 4;
	CHECK_EQ(eval(v, &t, &p), 0);
	CHECK_EQ(t.xspi_kernel_hz, 140000000);
	CHECK_STR(t.xspi_kernel_source, "pll1_q_ck");
}

static void test_refusals(void)
{
	uint32_t v[CLOCK_TREE_MAX_REGS];
	struct clock_tree t;
	struct clock_problem p;

	/* VOS1 allows 225 MHz. */
	board_values(v);
	v[SRDCR] = 0x0000A000u;
	CHECK_EQ(eval(v, &t, &p), -1);
	CHECK_STR(p.reg, "PWR_SRDCR");
	/* 5 wait states are too few at 280 MHz in VOS0. */
	board_values(v);
	v[ACR] = 0x35u;
	CHECK_EQ(eval(v, &t, &p), -1);
	CHECK_STR(p.reg, "FLASH_ACR");
	/* A 600 MHz VCO is above this line's wide range (128-560 MHz). */
	board_values(v);
	v[PLL1DIVR] = 119u | 1u << 9 | 3u << 16 | 1u << 24;
	CHECK_EQ(eval(v, &t, &p), -1);
	CHECK_STR(p.reg, "RCC_PLL1DIVR");
	CHECK_EQ(clock_h7a3_flash_latency(44000000, 0), 0);
	CHECK_EQ(clock_h7a3_flash_latency(44000001, 0), 1);
	CHECK_EQ(clock_h7a3_flash_latency(225000000, 1), 5);
	CHECK_EQ(clock_h7a3_flash_latency(161000000, 2), -1);
	CHECK_EQ(clock_h7a3_flash_latency(88000000, 3), 3);
}

UNIT_MAIN("cli_clock_tree_h7a3", UNIT_TEST(test_board_clocks),
	  UNIT_TEST(test_refusals))
