/* The STM32F7 clock tree from register values (RM0385): the 216 MHz
 * over-drive reset-init of cfg/boards/psram-stm32f7-common.cfg, and what
 * is refused (docs/hardware-stm32f7.md §3). */
#include <stdint.h>
#include <string.h>

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

static int eval(const uint32_t *v, struct clock_tree *t,
		struct clock_problem *p)
{
	memset(p, 0, sizeof(*p));
	return clock_family_f7.evaluate(v, 25000000, t, p);
}

static void board_clocks(void)
{
	uint32_t v[CLOCK_TREE_MAX_REGS];
	struct clock_tree t;
	struct clock_problem p;

	CHECK(clock_family_find("stm32f7") == &clock_family_f7);
	board_values(v);
	CHECK_EQ(eval(v, &t, &p), 0);
	CHECK_EQ(t.sysclk_hz, 216000000);
	CHECK_EQ(t.cpu_hz, 216000000);
	CHECK_EQ(t.xspi_kernel_hz, 216000000);
	CHECK_STR(t.xspi_kernel_source, "HCLK");
	CHECK_EQ(t.vos, 1);
	CHECK_EQ(t.flash_latency_needed, 7);
	/* Out of reset: HSI 16 MHz, scale 3 with the PLL off. */
	memset(v, 0, CLOCK_TREE_MAX_REGS * sizeof(*v));
	v[CR] = 0x6F83u;
	v[PLLCFGR] = 0x24003010u;
	v[APB1ENR] = 1u << 28;
	v[PWR_CR1] = 0xC000u;
	CHECK_EQ(eval(v, &t, &p), 0);
	CHECK_EQ(t.cpu_hz, 16000000);
	CHECK_EQ(t.vos, 3);
}

static void refusals(void)
{
	uint32_t v[CLOCK_TREE_MAX_REGS];
	struct clock_tree t;
	struct clock_problem p;

	/* 216 MHz without over-drive: scale 1 stops at 180 MHz. */
	board_values(v);
	v[PWR_CSR1] = 0x00014000u;
	CHECK_EQ(eval(v, &t, &p), -1);
	CHECK_STR(p.reg, "PWR_CSR1");
	/* 6 wait states are too few at 216 MHz. */
	board_values(v);
	v[ACR] = 0x306u;
	CHECK_EQ(eval(v, &t, &p), -1);
	CHECK_STR(p.reg, "FLASH_ACR");
	/* PLLM 10: a 2.5 MHz PLL input. */
	board_values(v);
	v[PLLCFGR] = (v[PLLCFGR] & ~0x3Fu) | 10u;
	CHECK_EQ(eval(v, &t, &p), -1);
	CHECK_STR(p.reg, "RCC_PLLCFGR");
	/* APB1 /2: 108 MHz is above 54 MHz. */
	board_values(v);
	v[CFGR] = 0x0000900Au;
	CHECK_EQ(eval(v, &t, &p), -1);
	CHECK_STR(p.reg, "RCC_CFGR");
	/* SW asks for the PLL, SWS still HSI. */
	board_values(v);
	v[CFGR] = 0x00009402u;
	CHECK_EQ(eval(v, &t, &p), -1);
	CHECK_STR(p.reg, "RCC_CFGR");
	/* The power controller unclocked. */
	board_values(v);
	v[APB1ENR] = 0;
	CHECK_EQ(eval(v, &t, &p), -1);
	CHECK_STR(p.reg, "RCC_APB1ENR");
	CHECK_EQ(clock_f7_flash_latency(30000000), 0);
	CHECK_EQ(clock_f7_flash_latency(30000001), 1);
	CHECK_EQ(clock_f7_flash_latency(216000000), 7);
	CHECK_EQ(clock_f7_flash_latency(216000001), -1);
}

UNIT_MAIN("cli_clock_tree_f7", UNIT_TEST(board_clocks), UNIT_TEST(refusals))
