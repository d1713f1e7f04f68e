/* The H7 clock tree from register values (RM0433), and the reset-init
 * error found in OpenOCD's log. */
#include <stdint.h>
#include <string.h>

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

static int eval(const uint32_t *v, uint64_t hse, struct clock_tree *t,
		struct clock_problem *p)
{
	memset(p, 0, sizeof(*p));
	return clock_family_h7.evaluate(v, hse, t, p);
}

static void test_board_clocks(void)
{
	uint32_t v[CLOCK_TREE_MAX_REGS];
	struct clock_tree t;
	struct clock_problem p;

	board_values(v);
	CHECK_EQ(eval(v, 25000000, &t, &p), 0);
	CHECK_EQ(t.sysclk_hz, 400000000);
	CHECK_EQ(t.cpu_hz, 400000000);
	CHECK_EQ(t.axi_hz, 200000000);
	CHECK_EQ(t.xspi_kernel_hz, 200000000);
	CHECK_STR(t.sysclk_source, "PLL1");
	CHECK_STR(t.xspi_kernel_source, "rcc_hclk3");
	CHECK_EQ(t.vos, 1);
	CHECK_EQ(t.flash_latency, 2);
	/* QUADSPI on pll1_q_ck: 800 / 4 = 200 MHz. */
	v[D1CCIPR] = 1u << 4;
	CHECK_EQ(eval(v, 25000000, &t, &p), 0);
	CHECK_EQ(t.xspi_kernel_hz, 200000000);
	CHECK_STR(t.xspi_kernel_source, "pll1_q_ck");
	/* Fractional PLL1: N + 4096/8192 = 160.5 → 401.25 MHz core. */
	v[PLLCFGR] |= 1u;
	v[PLL1FRACR] = 4096u << 3;
	v[D1CFGR] = 0x48u;
	CHECK_EQ(eval(v, 25000000, &t, &p), -1); /* 200.6 MHz AXI > VOS1 */
	CHECK_STR(p.reg, "PWR_D3CR");
}

static void test_problems(void)
{
	uint32_t v[CLOCK_TREE_MAX_REGS];
	struct clock_tree t;
	struct clock_problem p;

	board_values(v);
	v[CR] &= ~(1u << 17);
	CHECK_EQ(eval(v, 25000000, &t, &p), -1);
	CHECK_STR(p.reg, "RCC_CR");
	CHECK_EQ(p.addr, 0x58024400);
	CHECK(strstr(p.what, "HSERDY is 0") != NULL);

	board_values(v);
	v[CR] &= ~(1u << 25);
	CHECK_EQ(eval(v, 25000000, &t, &p), -1);
	CHECK(strstr(p.what, "PLL1RDY is 0: PLL1 is not locked") != NULL);

	board_values(v);
	v[CFGR] = 0x03u; /* SW PLL1, SWS HSI */
	CHECK_EQ(eval(v, 25000000, &t, &p), -1);
	CHECK_STR(p.reg, "RCC_CFGR");
	CHECK(strstr(p.what, "did not switch") != NULL);

	board_values(v);
	CHECK_EQ(eval(v, 8000000, &t, &p), -1);
	CHECK_STR(p.reg, "RCC_PLLCFGR");
	CHECK(strstr(p.what, "PLL1 input is 1.600 MHz") != NULL);

	board_values(v);
	CHECK_EQ(eval(v, 0, &t, &p), -1);
	CHECK(strstr(p.what, "no PSRAM_HSE_HZ") != NULL);

	board_values(v);
	v[ACR] = 0x11u;
	CHECK_EQ(eval(v, 25000000, &t, &p), -1);
	CHECK_STR(p.reg, "FLASH_ACR");
	CHECK_EQ(p.value, 0x11);

	board_values(v);
	v[D3CR] = 0x00004000u | (1u << 13); /* VOS3: 200 MHz core max */
	CHECK_EQ(eval(v, 25000000, &t, &p), -1);
	CHECK_STR(p.reg, "PWR_D3CR");
	CHECK(strstr(p.what, "voltage scale 3") != NULL);

	board_values(v);
	v[D3CR] = 0x0000C000u; /* VOSRDY 0 */
	CHECK_EQ(eval(v, 25000000, &t, &p), -1);
	CHECK(strstr(p.what, "VOSRDY is 0") != NULL);
}

static void test_on_hsi(void)
{
	uint32_t v[CLOCK_TREE_MAX_REGS];
	struct clock_tree t;
	struct clock_problem p;

	board_values(v);
	v[CFGR] = 0;
	v[D1CFGR] = 0;
	CHECK_EQ(eval(v, 25000000, &t, &p), 0);
	CHECK_STR(t.sysclk_source, "HSI");
	CHECK_EQ(t.cpu_hz, 64000000);
	v[CR] |= 1u << 3; /* HSIDIV /2 */
	CHECK_EQ(eval(v, 25000000, &t, &p), 0);
	CHECK_EQ(t.cpu_hz, 32000000);
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
