/* STM32F74x/75x and F76x/77x clock tree, RM0385 (RM0410 alike): the RCC
 * registers (RCC_CR, RCC_PLLCFGR, RCC_CFGR), the main PLL's input and VCO
 * ranges, the voltage scale and over-drive of the power controller
 * (PWR_CR1, PWR_CSR1; §4, over-drive), the APB maxima and the flash wait
 * states of RM0385 Table 5 (2.7-3.6 V). The QUADSPI kernel clock is
 * HCLK: the F7 has no selector. docs/hardware-stm32f7.md §3 and docs/clocks.md. */
#include "parts/clock_tree.h"

#include <stdbool.h>
#include <string.h>

#include "parts/clock_eval.h"

enum {
	R_CR,
	R_PLLCFGR,
	R_CFGR,
	R_APB1ENR,
	R_FLASH_ACR,
	R_PWR_CR1,
	R_PWR_CSR1,
	R_COUNT
};

#define RCC 0x40023800u
#define PWR 0x40007000u

static const struct clock_reg f7_regs[R_COUNT] = {
	[R_CR] = {"RCC_CR", RCC + 0x00},
	[R_PLLCFGR] = {"RCC_PLLCFGR", RCC + 0x04},
	[R_CFGR] = {"RCC_CFGR", RCC + 0x08},
	[R_APB1ENR] = {"RCC_APB1ENR", RCC + 0x40},
	[R_FLASH_ACR] = {"FLASH_ACR", 0x40023C00u},
	[R_PWR_CR1] = {"PWR_CR1", PWR + 0x00},
	[R_PWR_CSR1] = {"PWR_CSR1", PWR + 0x04},
};

#define CR_HSIRDY (1u << 1)
#define CR_HSERDY (1u << 17)
#define CR_PLLRDY (1u << 25)
#define PLLCFGR_SRC_HSE (1u << 22)
#define APB1ENR_PWREN (1u << 28)
#define CSR1_VOSRDY (1u << 14)
#define CSR1_ODSWRDY (1u << 17)

#define HSI_HZ 16000000u

static const char *const source_names[3] = {"HSI", "HSE", "PLL"};

static int oscillator(const struct clock_eval *e, int hse, uint64_t *hz)
{
	if (!hse)
		return clock_rc_oscillator(e, R_CR, CR_HSIRDY, "HSI", HSI_HZ,
					   hz);
	return clock_hse(e, R_CR, CR_HSERDY, hz);
}

/* The main PLL's P output (RM0385 §5, RCC_PLLCFGR): VCO input = source / PLLM
 * within 1-2 MHz, PLLN 50..432, VCO output within 100-432 MHz. */
static int pll_p(const struct clock_eval *e, uint64_t *hz)
{
	uint32_t c = e->v[R_PLLCFGR];
	uint32_t m = c & 0x3fu, n = (c >> 6) & 0x1ffu;
	uint32_t p = 2 * (((c >> 16) & 3u) + 1);
	uint64_t src;
	double in, vco;

	if (!(e->v[R_CR] & CR_PLLRDY))
		return clock_problem_at(e, R_CR,
					"PLLRDY is 0: the main PLL is not "
					"locked");
	if (oscillator(e, (c & PLLCFGR_SRC_HSE) != 0, &src))
		return -1;
	if (m < 2)
		return clock_problem_at(e, R_PLLCFGR,
					"PLLM is %u; it must be 2..63",
					(unsigned)m);
	in = (double)src / m;
	if (in < 1e6 || in > 2e6)
		return clock_problem_at(e, R_PLLCFGR,
					"the PLL input is %.3f MHz (%s / PLLM "
					"%u), outside 1-2 MHz",
					in / 1e6,
					(c & PLLCFGR_SRC_HSE) ? "HSE" : "HSI",
					(unsigned)m);
	vco = in * n;
	if (n < 50 || n > 432 || vco < 100e6 || vco > 432e6)
		return clock_problem_at(e, R_PLLCFGR,
					"the VCO is %.1f MHz (PLLN %u), "
					"outside 100-432 MHz (PLLN 50..432)",
					vco / 1e6, (unsigned)n);
	*hz = (uint64_t)(vco / p + 0.5);
	return 0;
}

/* PPREx: 0xx /1, 100 /2, 101 /4, 110 /8, 111 /16 (RM0385 §5, RCC_CFGR). */
static unsigned apb_div(uint32_t field)
{
	return (field & 4u) ? 2u << (field & 3u) : 1;
}

int clock_f7_flash_latency(uint64_t hclk_hz)
{
	/* RM0385 Table 5, 2.7-3.6 V: 0 wait states up to 30 MHz, one more
	 * per 30 MHz, 7 up to 216 MHz. */
	if (hclk_hz > 216000000u)
		return -1;
	return hclk_hz ? (int)((hclk_hz - 1) / 30000000u) : 0;
}

static int f7_evaluate(const uint32_t *v, uint64_t hse_hz,
		       struct clock_tree *t, struct clock_problem *p)
{
	struct clock_eval e = {f7_regs, v, hse_hz, p};
	uint32_t sw = v[R_CFGR] & 3u, sws = (v[R_CFGR] >> 2) & 3u;
	uint32_t vos_field, apb1, apb2;
	bool od, pll_on = v[R_CR] & CR_PLLRDY;
	unsigned hclk_max;
	int need;

	memset(t, 0, sizeof(*t));
	if (sws == 3)
		return clock_problem_at(&e, R_CFGR,
					"SWS is 3, a reserved value");
	if (sws != sw)
		return clock_problem_at(&e, R_CFGR,
					"SWS is %u (%s) but SW asks for %u: "
					"the system clock did not switch",
					(unsigned)sws, source_names[sws],
					(unsigned)sw);
	t->sysclk_source = source_names[sws];
	if (sws == 2) {
		if (pll_p(&e, &t->sysclk_hz))
			return -1;
	} else if (oscillator(&e, sws == 1, &t->sysclk_hz)) {
		return -1;
	}
	t->cpu_hz = t->sysclk_hz / clock_ahb_div((v[R_CFGR] >> 4) & 0xfu);
	t->axi_hz = t->cpu_hz;
	t->xspi_kernel_hz = t->cpu_hz;
	t->xspi_kernel_source = "HCLK";

	/* PWR_CR1.VOS: 01 scale 3, 10 scale 2, 11 scale 1; scale 3 whenever
	 * the PLL is off (RM0385 §4, PWR_CR1). Unclocked, PWR reads 0: it keeps
	 * its reset state (scale 1, no over-drive) only if nobody wrote it,
	 * which cannot be told, so the registers must be readable. */
	if (!(v[R_APB1ENR] & APB1ENR_PWREN))
		return clock_problem_at(&e, R_APB1ENR,
					"PWREN is 0: the power controller is "
					"not clocked, so its voltage scale and "
					"over-drive cannot be read");
	vos_field = (v[R_PWR_CR1] >> 14) & 3u;
	if (!vos_field)
		return clock_problem_at(&e, R_PWR_CR1,
					"VOS is 00, a reserved value");
	t->vos = pll_on ? 4 - vos_field : 3;
	if (pll_on && !(v[R_PWR_CSR1] & CSR1_VOSRDY))
		return clock_problem_at(&e, R_PWR_CSR1,
					"VOSRDY is 0: the voltage scale is not "
					"reached");
	od = v[R_PWR_CSR1] & CSR1_ODSWRDY;
	/* RM0385 §4, over-drive: scale 1 180 MHz (216 with over-drive), scale 2
	 * 168 (180), scale 3 144. */
	hclk_max = t->vos == 1 ? (od ? 216 : 180)
		   : t->vos == 2 ? (od ? 180 : 168)
				 : 144;
	if (t->cpu_hz > hclk_max * 1000000ull)
		return clock_problem_at(&e, R_PWR_CSR1,
					"voltage scale %u %s over-drive allows "
					"HCLK up to %u MHz, it runs at %.1f "
					"MHz",
					t->vos, od ? "with" : "without",
					hclk_max, t->cpu_hz / 1e6);
	apb1 = (uint32_t)(t->cpu_hz / apb_div((v[R_CFGR] >> 10) & 7u));
	apb2 = (uint32_t)(t->cpu_hz / apb_div((v[R_CFGR] >> 13) & 7u));
	if (apb1 > (od ? 54000000u : 45000000u) ||
	    apb2 > (od ? 108000000u : 90000000u))
		return clock_problem_at(&e, R_CFGR,
					"APB1 %.1f MHz / APB2 %.1f MHz above "
					"the %s / %s MHz maximum %s over-drive",
					apb1 / 1e6, apb2 / 1e6,
					od ? "54" : "45", od ? "108" : "90",
					od ? "with" : "without");

	t->flash_latency = v[R_FLASH_ACR] & 0xfu;
	need = clock_f7_flash_latency(t->cpu_hz);
	t->flash_latency_needed = need < 0 ? 0 : (unsigned)need;
	if (need < 0 || t->flash_latency < (unsigned)need)
		return clock_problem_at(&e, R_FLASH_ACR,
					"LATENCY is %u wait states; HCLK %.1f "
					"MHz needs at least %d (RM0385 Table "
					"5, 2.7-3.6 V)",
					t->flash_latency, t->cpu_hz / 1e6,
					need);
	return 0;
}

const struct clock_family clock_family_f7 = {
	"stm32f7", "RM0385", f7_regs, R_COUNT, f7_evaluate,
};
