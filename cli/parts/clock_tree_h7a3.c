/* STM32H7A3/B3/B0 clock tree, RM0455: the RCC keeps RM0433's oscillators,
 * PLLs and system-clock switch (§8.5, §8.7), with the CPU-domain
 * prescalers in CDCFGR1 and the OCTOSPI kernel clock selected by
 * CDCCIPR.OCTOSPISEL; voltage scaling is PWR_SRDCR.VOS (§6.8.7: 00 VOS3
 * ... 11 VOS0, no overdrive bit). The limits are the line's own: PLL VCO
 * ranges, the flash wait states per voltage scale and the clock maxima
 * per scale, as ST's LL utilities for this line state them (wide VCO
 * 128-560 MHz, medium 150-420 MHz; HCLK up to 280/225/160/88 MHz in
 * VOS0..3). docs/hardware-stm32h7a3.md §3 and docs/clocks.md. */
#include "parts/clock_tree.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum {
	R_CR,
	R_CFGR,
	R_CDCFGR1,
	R_PLLCKSELR,
	R_PLLCFGR,
	R_PLL1DIVR,
	R_PLL1FRACR,
	R_PLL2DIVR,
	R_PLL2FRACR,
	R_CDCCIPR,
	R_FLASH_ACR,
	R_PWR_SRDCR,
	R_COUNT
};

#define RCC 0x58024400u

static const struct clock_reg h7a3_regs[R_COUNT] = {
	[R_CR] = {"RCC_CR", RCC + 0x000},
	[R_CFGR] = {"RCC_CFGR", RCC + 0x010},
	[R_CDCFGR1] = {"RCC_CDCFGR1", RCC + 0x018},
	[R_PLLCKSELR] = {"RCC_PLLCKSELR", RCC + 0x028},
	[R_PLLCFGR] = {"RCC_PLLCFGR", RCC + 0x02C},
	[R_PLL1DIVR] = {"RCC_PLL1DIVR", RCC + 0x030},
	[R_PLL1FRACR] = {"RCC_PLL1FRACR", RCC + 0x034},
	[R_PLL2DIVR] = {"RCC_PLL2DIVR", RCC + 0x038},
	[R_PLL2FRACR] = {"RCC_PLL2FRACR", RCC + 0x03C},
	[R_CDCCIPR] = {"RCC_CDCCIPR", RCC + 0x04C},
	[R_FLASH_ACR] = {"FLASH_ACR", 0x52002000u},
	[R_PWR_SRDCR] = {"PWR_SRDCR", 0x58024818u},
};

#define CR_HSIRDY (1u << 2)
#define CR_HSIDIV(v) (((v) >> 3) & 3u)
#define CR_CSIRDY (1u << 8)
#define CR_HSERDY (1u << 17)
#define CR_PLLRDY(n) (1u << (25 + 2 * ((n) - 1)))

#define HSI_HZ 64000000u
#define CSI_HZ 4000000u

struct eval {
	const uint32_t *v;
	uint64_t hse_hz;
	struct clock_problem *p;
};

static int problem(struct eval *e, int reg, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int problem(struct eval *e, int reg, const char *fmt, ...)
{
	va_list ap;

	e->p->reg = h7a3_regs[reg].name;
	e->p->addr = h7a3_regs[reg].addr;
	e->p->value = e->v[reg];
	va_start(ap, fmt);
	vsnprintf(e->p->what, sizeof(e->p->what), fmt, ap);
	va_end(ap);
	return -1;
}

static const char *const source_names[4] = {"HSI", "CSI", "HSE", "PLL1"};

static int oscillator(struct eval *e, unsigned src, uint64_t *hz)
{
	uint32_t cr = e->v[R_CR];

	switch (src) {
	case 0:
		if (!(cr & CR_HSIRDY))
			return problem(e, R_CR, "HSIRDY is 0: the HSI "
					       "oscillator is not running");
		*hz = HSI_HZ >> CR_HSIDIV(cr);
		return 0;
	case 1:
		if (!(cr & CR_CSIRDY))
			return problem(e, R_CR, "CSIRDY is 0: the CSI "
					       "oscillator is not running");
		*hz = CSI_HZ;
		return 0;
	case 2:
		if (!(cr & CR_HSERDY))
			return problem(e, R_CR,
				       "HSERDY is 0: the HSE crystal is not "
				       "running (expected ready, %llu Hz by "
				       "PSRAM_HSE_HZ)",
				       (unsigned long long)e->hse_hz);
		if (!e->hse_hz)
			return problem(e, R_CR,
				       "the clocks run from the HSE but the "
				       "board file sets no PSRAM_HSE_HZ");
		*hz = e->hse_hz;
		return 0;
	default:
		return problem(e, R_PLLCKSELR,
			       "PLLSRC is 3: no clock feeds the PLLs");
	}
}

/* PLL n's VCO, checked against PLLxRGE and the line's VCO ranges. */
static int pll_vco(struct eval *e, unsigned n, double *vco)
{
	uint32_t cksel = e->v[R_PLLCKSELR], cfgr = e->v[R_PLLCFGR];
	int divr_reg = n == 1 ? R_PLL1DIVR : R_PLL2DIVR;
	int frac_reg = n == 1 ? R_PLL1FRACR : R_PLL2FRACR;
	uint32_t divm = (cksel >> (4 + 8 * (n - 1))) & 0x3fu;
	uint32_t divn = (e->v[divr_reg] & 0x1ffu) + 1;
	uint32_t fracen = (cfgr >> (4 * (n - 1))) & 1u;
	uint32_t vcosel = (cfgr >> (4 * (n - 1) + 1)) & 1u;
	uint32_t rge = (cfgr >> (4 * (n - 1) + 2)) & 3u;
	static const double rge_lo[4] = {1e6, 2e6, 4e6, 8e6};
	uint64_t src_hz;
	double ref, frac = 0;

	if (!(e->v[R_CR] & CR_PLLRDY(n)))
		return problem(e, R_CR, "PLL%uRDY is 0: PLL%u is not locked",
			       n, n);
	if (oscillator(e, cksel & 3u, &src_hz))
		return -1;
	if (!divm)
		return problem(e, R_PLLCKSELR,
			       "DIVM%u is 0: PLL%u has no input", n, n);
	ref = (double)src_hz / divm;
	if (ref < rge_lo[rge] || ref > 2 * rge_lo[rge])
		return problem(e, R_PLLCFGR,
			       "PLL%u input is %.3f MHz (%s / DIVM%u %u) but "
			       "PLL%uRGE says %.0f-%.0f MHz",
			       n, ref / 1e6, source_names[cksel & 3u], n,
			       (unsigned)divm, n, rge_lo[rge] / 1e6,
			       2 * rge_lo[rge] / 1e6);
	if (fracen)
		frac = ((e->v[frac_reg] >> 3) & 0x1fffu) / 8192.0;
	*vco = ref * (divn + frac);
	if (vcosel ? (*vco < 150e6 || *vco > 420e6)
		   : (*vco < 128e6 || *vco > 560e6))
		return problem(e, divr_reg,
			       "PLL%u VCO is %.1f MHz, outside the %s range "
			       "(%s MHz)",
			       n, *vco / 1e6, vcosel ? "medium" : "wide",
			       vcosel ? "150-420" : "128-560");
	return 0;
}

static int pll_out(struct eval *e, unsigned n, unsigned out, uint64_t *hz)
{
	static const char pqr[3] = {'P', 'Q', 'R'};
	int divr_reg = n == 1 ? R_PLL1DIVR : R_PLL2DIVR;
	uint32_t div = ((e->v[divr_reg] >> (out == 0 ? 9 : out == 1 ? 16 : 24)) &
			0x7fu) + 1;
	double vco = 0;

	if (!(e->v[R_PLLCFGR] & (1u << (16 + 3 * (n - 1) + out))))
		return problem(e, R_PLLCFGR,
			       "DIV%c%uEN is 0: pll%u_%c_ck is off",
			       pqr[out], n, n, pqr[out] + 'a' - 'A');
	if (pll_vco(e, n, &vco))
		return -1;
	*hz = (uint64_t)(vco / div + 0.5);
	return 0;
}

/* HPRE / CDCPRE: 0xxx = /1, 1000 = /2 ... 1111 = /512, no /32. */
static unsigned ahb_div(uint32_t field)
{
	static const unsigned div[8] = {2, 4, 8, 16, 64, 128, 256, 512};

	return (field & 8u) ? div[field & 7u] : 1;
}

int clock_h7a3_flash_latency(uint64_t axi_hz, unsigned vos)
{
	/* The highest AXI clock for 0, 1, 2 ... wait states per voltage
	 * scale (RM0455 FLASH wait-state table, as ST's LL utilities give
	 * it for this line). */
	static const unsigned mhz[4][7] = {
		{44, 88, 132, 176, 220, 264, 280}, /* VOS0 */
		{42, 84, 126, 168, 210, 225, 0},   /* VOS1 */
		{34, 68, 102, 136, 160, 0, 0},     /* VOS2 */
		{22, 44, 66, 88, 0, 0, 0},         /* VOS3 */
	};

	if (vos > 3)
		return -1;
	for (int ws = 0; ws < 7 && mhz[vos][ws]; ws++)
		if (axi_hz <= (uint64_t)mhz[vos][ws] * 1000000u)
			return ws;
	return -1;
}

static int h7a3_evaluate(const uint32_t *v, uint64_t hse_hz,
			 struct clock_tree *t, struct clock_problem *p)
{
	/* Core and AXI clock maxima per voltage scale (DS13195 general
	 * operating conditions; the same figures in ST's LL utilities). */
	static const unsigned max_mhz[4] = {280, 225, 160, 88};
	static const char *const ospi_src[4] = {"rcc_hclk3", "pll1_q_ck",
						"pll2_r_ck", "per_ck"};
	struct eval e = {v, hse_hz, p};
	uint32_t sw = v[R_CFGR] & 7u, sws = (v[R_CFGR] >> 3) & 7u;
	uint32_t ospisel = (v[R_CDCCIPR] >> 4) & 3u;
	int need;

	memset(t, 0, sizeof(*t));
	if (sws != sw)
		return problem(&e, R_CFGR,
			       "SWS is %u (%s) but SW asks for %u (%s): the "
			       "system clock did not switch",
			       (unsigned)sws, sws < 4 ? source_names[sws] : "?",
			       (unsigned)sw, sw < 4 ? source_names[sw] : "?");
	if (sws > 3)
		return problem(&e, R_CFGR, "SWS is %u, a reserved value",
			       (unsigned)sws);
	t->sysclk_source = source_names[sws];
	if (sws == 3) {
		if (pll_out(&e, 1, 0, &t->sysclk_hz))
			return -1;
	} else if (oscillator(&e, sws, &t->sysclk_hz)) {
		return -1;
	}
	t->cpu_hz = t->sysclk_hz / ahb_div((v[R_CDCFGR1] >> 8) & 0xfu);
	t->axi_hz = t->cpu_hz / ahb_div(v[R_CDCFGR1] & 0xfu);

	t->xspi_kernel_source = ospi_src[ospisel];
	switch (ospisel) {
	case 0:
		t->xspi_kernel_hz = t->axi_hz;
		break;
	case 1:
		if (pll_out(&e, 1, 1, &t->xspi_kernel_hz))
			return -1;
		break;
	case 2:
		if (pll_out(&e, 2, 2, &t->xspi_kernel_hz))
			return -1;
		break;
	default: {
		uint32_t ckper = (v[R_CDCCIPR] >> 28) & 3u;

		if (ckper == 3)
			return problem(&e, R_CDCCIPR,
				       "OCTOSPISEL is per_ck and CKPERSEL is "
				       "3: the OCTOSPI has no kernel clock");
		if (oscillator(&e, ckper, &t->xspi_kernel_hz))
			return -1;
	}
	}

	if (!(v[R_PWR_SRDCR] & (1u << 13)))
		return problem(&e, R_PWR_SRDCR,
			       "VOSRDY is 0: the voltage scale is not reached");
	t->vos = 3 - ((v[R_PWR_SRDCR] >> 14) & 3u);
	if (t->cpu_hz > max_mhz[t->vos] * 1000000ull)
		return problem(&e, R_PWR_SRDCR,
			       "voltage scale VOS%u allows a core clock up to "
			       "%u MHz, the core runs at %.1f MHz",
			       t->vos, max_mhz[t->vos], t->cpu_hz / 1e6);

	t->flash_latency = v[R_FLASH_ACR] & 0xfu;
	need = clock_h7a3_flash_latency(t->axi_hz, t->vos);
	t->flash_latency_needed = need < 0 ? 0 : (unsigned)need;
	if (need < 0 || t->flash_latency < (unsigned)need)
		return problem(&e, R_FLASH_ACR,
			       "LATENCY is %u wait states; an AXI clock of "
			       "%.1f MHz at VOS%u needs at least %d (RM0455 "
			       "flash wait states)",
			       t->flash_latency, t->axi_hz / 1e6, t->vos, need);
	return 0;
}

const struct clock_family clock_family_h7a3 = {
	"stm32h7a3", "RM0455", h7a3_regs, R_COUNT, h7a3_evaluate,
};
