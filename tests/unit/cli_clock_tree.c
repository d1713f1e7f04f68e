/* The H7 clock tree from register values (RM0433), and the reset-init
 * error found in OpenOCD's log. */
#include <stdint.h>
#include <string.h>

#include "clock_fixture.h"
#include "parts/clock_tree.h"
#include "stub/target_clocks.h"
#include "unit.h"

enum { CR, CFGR, D1CFGR, PLLCKSELR, PLLCFGR, PLL1DIVR, PLL1FRACR, PLL2DIVR,
       PLL2FRACR, D1CCIPR, ACR, D3CR, PWRCR };

/* What the H7 boards' reset-init leaves (cfg/boards/psram-stm32h7-
 * common.cfg): HSE 25 MHz / 5 * 160 / 2 = 400 MHz, HPRE /2, VOS1, 2 WS. */
static void board_values(uint32_t *v)
{
	memset(v, 0, CLOCK_TREE_MAX_REGS * sizeof(*v));
	v[CR] = 0x0303C025u | (1u << 16) | (1u << 17); /* PLL1/2 on+ready */
	v[CFGR] = 0x1Bu;                   /* SW = SWS = PLL1 */
	v[D1CFGR] = 0x48u;                 /* HPRE /2, D1PPRE /2 */
	v[PLLCKSELR] = 0x02020052u;        /* HSE, DIVM1 5 */
	v[PLLCFGR] = 0x01FF0008u;          /* RGE 4-8, wide VCO, outputs on */
	v[PLL1DIVR] = 159u | 1u << 9 | 3u << 16 | 1u << 24;
	v[PLL2DIVR] = 0x01010280u;
	v[ACR] = 0x22u;
	v[D3CR] = 0x0000E000u;             /* VOS1, VOSRDY */
}

/* What board_values gives. */
static const struct clock_tree board_tree = {
	.sysclk_source = "PLL1", .sysclk_hz = 400000000, .cpu_hz = 400000000,
	.axi_hz = 200000000, .xspi_kernel_hz = 200000000,
	.xspi_kernel_source = "rcc_hclk3", .flash_latency = 2,
	.flash_latency_needed = 2, .vos = 1,
};

static void test_board_clocks(void)
{
	struct clock_tree want = board_tree, t;
	uint32_t v[CLOCK_TREE_MAX_REGS];
	struct clock_problem p;

	board_values(v);
	clock_expect_tree(&clock_family_h7, v, 25000000, &want);
	/* QUADSPI on pll1_q_ck: 800 / 4 = 200 MHz. */
	v[D1CCIPR] = 1u << 4;
	want.xspi_kernel_source = "pll1_q_ck";
	clock_expect_tree(&clock_family_h7, v, 25000000, &want);
	/* Fractional PLL1: N + 4096/8192 = 160.5 → 401.25 MHz core. */
	v[PLLCFGR] |= 1u;
	v[PLL1FRACR] = 4096u << 3;
	CHECK_EQ(clock_eval_family(&clock_family_h7, v, 25000000, &t, &p), -1);
	CHECK_STR(p.reg, "PWR_D3CR"); /* 200.6 MHz AXI > VOS1 */
}

/* On the HSI (64 MHz, no wait states needed), then the HSI divided by 2
 * (HSIDIV). */
static void test_on_hsi(void)
{
	struct clock_tree want = board_tree;
	uint32_t v[CLOCK_TREE_MAX_REGS];

	board_values(v);
	v[CFGR] = 0;
	v[D1CFGR] = 0;
	want.sysclk_source = "HSI";
	want.sysclk_hz = want.cpu_hz = want.axi_hz = 64000000;
	want.xspi_kernel_hz = 64000000;
	want.flash_latency_needed = 0;
	clock_expect_tree(&clock_family_h7, v, 25000000, &want);
	v[CR] |= 1u << 3;
	want.sysclk_hz = want.cpu_hz = want.axi_hz = 32000000;
	want.xspi_kernel_hz = 32000000;
	clock_expect_tree(&clock_family_h7, v, 25000000, &want);
}

static void test_problems(void)
{
	static const struct clock_refusal cases[] = {
		{CR, 1u << 17, 0, 25000000, "RCC_CR", "HSERDY is 0"},
		{CR, 1u << 25, 0, 25000000, "RCC_CR",
		 "PLL1RDY is 0: PLL1 is not locked"},
		/* SW PLL1, SWS HSI */
		{CFGR, ~0u, 0x03u, 25000000, "RCC_CFGR", "did not switch"},
		{CR, 0, 0, 8000000, "RCC_PLLCFGR", "PLL1 input is 1.600 MHz"},
		{CR, 0, 0, 0, "RCC_CR", "no PSRAM_HSE_HZ"},
		{ACR, ~0u, 0x11u, 25000000, "FLASH_ACR", "LATENCY is 1"},
		/* VOS3: 200 MHz core max */
		{D3CR, ~0u, 0x4000u | 1u << 13, 25000000, "PWR_D3CR",
		 "voltage scale 3"},
		{D3CR, ~0u, 0xC000u, 25000000, "PWR_D3CR", "VOSRDY is 0"},
		{D3CR, ~0u, 1u << 13, 25000000, "PWR_D3CR", "VOS is 00"},
		{D1CCIPR, ~0u, 3u << 4 | 3u << 28, 25000000, "RCC_D1CCIPR",
		 "QSPISEL is per_ck and CKPERSEL is 3: the QUADSPI"},
	};

	clock_expect_refusals(&clock_family_h7, board_values, cases,
			      sizeof(cases) / sizeof(cases[0]));
}

static void test_flash_table(void)
{
	/* RM0433 Table 17 corners. */
	CHECK_EQ(clock_h7_flash_latency(70000000, 1), 0);
	CHECK_EQ(clock_h7_flash_latency(70000001, 1), 1);
	CHECK_EQ(clock_h7_flash_latency(200000000, 1), 2);
	CHECK_EQ(clock_h7_flash_latency(225000000, 1), 3);
	CHECK_EQ(clock_h7_flash_latency(226000000, 1), -1);
	CHECK_EQ(clock_h7_flash_latency(240000000, 0), 4);
	CHECK_EQ(clock_h7_flash_latency(55000000, 2), 0);
	CHECK_EQ(clock_h7_flash_latency(166000000, 2), 3);
	CHECK_EQ(clock_h7_flash_latency(45000000, 3), 0);
	CHECK_EQ(clock_h7_flash_latency(181000000, 3), 4);
}

static void test_family(void)
{
	CHECK(clock_family_find("stm32h7") == &clock_family_h7);
	CHECK(clock_family_find("stm32f7") == &clock_family_f7);
	CHECK(clock_family_find("stm32f4") == NULL);
	CHECK(clock_family_find(NULL) == NULL);
}

static void test_reset_init_log(void)
{
	static const char log[] =
		"JTAG tap: stm32h7x.cpu tap/device found: 0x6ba00477\n"
		"[stm32h7x.cpu0] halted due to debug-request\n"
		"Error executing event reset-init on target stm32h7x.cpu0:\n"
		"/x/psram-stm32h7-common.cfg:33: Error: reset-init: HSE did "
		"not become ready\n"
		"in procedure 'ocd_process_reset'\n";
	char msg[64];

	CHECK_EQ(reset_init_log_error(log, msg, sizeof(msg)), 1);
	CHECK_STR(msg, "reset-init: HSE did not become ready");
	CHECK_EQ(reset_init_log_error("halted\n", msg, sizeof(msg)), 0);
	CHECK_EQ(reset_init_log_error(NULL, msg, sizeof(msg)), 0);
	CHECK_EQ(reset_init_log_error(log, msg, 8), 1);
	CHECK_STR(msg, "reset-i");
}

UNIT_MAIN("cli_clock_tree", {"board_clocks", test_board_clocks},
	  {"problems", test_problems}, {"on_hsi", test_on_hsi},
	  {"flash_table", test_flash_table}, {"family", test_family},
	  {"reset_init_log", test_reset_init_log})
