/* Field positions as RM0433 §8.7 gives them; RM0455 §8.7 keeps them. */
#include "parts/clock_tree_h7_rcc.h"

#include <string.h>

#include "parts/clock_eval.h"

/* RCC_CR, RM0433 §8.7.2. */
#define CR_HSIRDY (1u << 2)
#define CR_HSIDIV(v) (((v) >> 3) & 3u)
#define CR_CSIRDY (1u << 8)
#define CR_HSERDY (1u << 17)
#define CR_PLLRDY(n) (1u << (25 + 2 * ((n) - 1)))

/* PWR_D3CR / PWR_SRDCR (RM0433 §6.8.6, RM0455 §6.8.7). */
#define PWR_VOSRDY (1u << 13)
#define PWR_VOS(v) (((v) >> 14) & 3u)

#define HSI_HZ 64000000u
#define CSI_HZ 4000000u

/* The medium VCO range (PLLxVCOSEL 1), RM0433 §8.3.2. */
#define VCO_MEDIUM_MIN 150e6
#define VCO_MEDIUM_MAX 420e6

struct h7_eval {
	struct clock_eval e;
	const struct h7_rcc_line *line;
};

static const char *const source_names[4] = {"HSI", "CSI", "HSE", "PLL1"};

/* Source 0 HSI, 1 CSI, 2 HSE (RCC_CFGR.SW, PLLSRC, CKPERSEL alike). */
static int oscillator(struct h7_eval *h, unsigned src, uint64_t *hz)
{
	const struct clock_eval *e = &h->e;

	switch (src) {
	case 0:
		return clock_rc_oscillator(e, H7_CR, CR_HSIRDY, "HSI",
					   HSI_HZ >> CR_HSIDIV(e->v[H7_CR]),
					   hz);
	case 1:
		return clock_rc_oscillator(e, H7_CR, CR_CSIRDY, "CSI", CSI_HZ,
					   hz);
	case 2:
		return clock_hse(e, H7_CR, CR_HSERDY, hz);
	default:
		return clock_problem_at(e, H7_PLLCKSELR,
					"PLLSRC is 3: no clock feeds the PLLs");
	}
}

/* PLL n's VCO in Hz, checked against its input range and VCO range
 * (RM0433 §8.7.11 PLLxRGE and PLLxVCOSEL; §8.3.2). */
static int pll_vco(struct h7_eval *h, unsigned n, double *vco)
{
	const struct clock_eval *e = &h->e;
	uint32_t cksel = e->v[H7_PLLCKSELR], cfgr = e->v[H7_PLLCFGR];
	int divr_reg = n == 1 ? H7_PLL1DIVR : H7_PLL2DIVR;
	int frac_reg = n == 1 ? H7_PLL1FRACR : H7_PLL2FRACR;
	uint32_t divm = (cksel >> (4 + 8 * (n - 1))) & 0x3fu;
	uint32_t divn = (e->v[divr_reg] & 0x1ffu) + 1;
	uint32_t fracen = (cfgr >> (4 * (n - 1))) & 1u;
	uint32_t vcosel = (cfgr >> (4 * (n - 1) + 1)) & 1u;
	uint32_t rge = (cfgr >> (4 * (n - 1) + 2)) & 3u;
	static const double rge_lo[4] = {1e6, 2e6, 4e6, 8e6};
	double lo = vcosel ? VCO_MEDIUM_MIN : h->line->vco_wide_min_mhz * 1e6;
	double hi = vcosel ? VCO_MEDIUM_MAX : h->line->vco_wide_max_mhz * 1e6;
	uint64_t src_hz;
	double ref, frac = 0;

	if (!(e->v[H7_CR] & CR_PLLRDY(n)))
		return clock_problem_at(e, H7_CR,
					"PLL%uRDY is 0: PLL%u is not locked",
					n, n);
	if (oscillator(h, cksel & 3u, &src_hz))
		return -1;
	if (!divm)
		return clock_problem_at(e, H7_PLLCKSELR,
					"DIVM%u is 0: PLL%u has no input",
					n, n);
	ref = (double)src_hz / divm;
	if (ref < rge_lo[rge] || ref > 2 * rge_lo[rge])
		return clock_problem_at(e, H7_PLLCFGR,
					"PLL%u input is %.3f MHz (%s / DIVM%u "
					"%u) but PLL%uRGE says %.0f-%.0f MHz",
					n, ref / 1e6, source_names[cksel & 3u],
					n, (unsigned)divm, n, rge_lo[rge] / 1e6,
					2 * rge_lo[rge] / 1e6);
	if (fracen)
		frac = ((e->v[frac_reg] >> 3) & 0x1fffu) / 8192.0;
	*vco = ref * (divn + frac);
	if (*vco < lo || *vco > hi)
		return clock_problem_at(e, divr_reg,
					"PLL%u VCO is %.1f MHz, outside the %s "
					"range (%.0f-%.0f MHz)",
					n, *vco / 1e6,
					vcosel ? "medium" : "wide", lo / 1e6,
					hi / 1e6);
	return 0;
}

/* Output P (0), Q (1) or R (2) of PLL n, enabled by DIVyNEN
 * (RM0433 §8.7.11). */
static int pll_out(struct h7_eval *h, unsigned n, unsigned out, uint64_t *hz)
{
	static const char pqr[3] = {'P', 'Q', 'R'};
	const struct clock_eval *e = &h->e;
	int divr_reg = n == 1 ? H7_PLL1DIVR : H7_PLL2DIVR;
	uint32_t div = ((e->v[divr_reg] >> (out == 0 ? 9 : out == 1 ? 16 : 24)) &
			0x7fu) + 1;
	double vco = 0;

	if (!(e->v[H7_PLLCFGR] & (1u << (16 + 3 * (n - 1) + out))))
		return clock_problem_at(e, H7_PLLCFGR,
					"DIV%c%uEN is 0: pll%u_%c_ck is off",
					pqr[out], n, n, pqr[out] + 'a' - 'A');
	if (pll_vco(h, n, &vco))
		return -1;
	*hz = (uint64_t)(vco / div + 0.5);
	return 0;
}

/* The xSPI kernel clock: QSPISEL / OCTOSPISEL picks rcc_hclk3,
 * pll1_q_ck, pll2_r_ck or per_ck, and per_ck is CKPERSEL's HSI, CSI or
 * HSE (RM0433 §8.7.19). */
static int xspi_kernel(struct h7_eval *h, struct clock_tree *t)
{
	static const char *const names[4] = {"rcc_hclk3", "pll1_q_ck",
					     "pll2_r_ck", "per_ck"};
	uint32_t ccipr = h->e.v[H7_CPU_CCIPR];
	uint32_t sel = (ccipr >> 4) & 3u, ckper = (ccipr >> 28) & 3u;

	t->xspi_kernel_source = names[sel];
	switch (sel) {
	case 0:
		t->xspi_kernel_hz = t->axi_hz;
		return 0;
	case 1:
		return pll_out(h, 1, 1, &t->xspi_kernel_hz);
	case 2:
		return pll_out(h, 2, 2, &t->xspi_kernel_hz);
	default:
		if (ckper == 3)
			return clock_problem_at(&h->e, H7_CPU_CCIPR,
						"%s is per_ck and CKPERSEL is "
						"3: the %s has no kernel clock",
						h->line->xspi_sel,
						h->line->xspi);
		return oscillator(h, ckper, &t->xspi_kernel_hz);
	}
}

/* A clock above what the voltage scale allows (the datasheets' general
 * operating conditions) is refused. */
static int over_limit(struct h7_eval *h, uint64_t hz, unsigned max_mhz,
		      unsigned vos, const char *clock, const char *runs)
{
	if (hz <= max_mhz * 1000000ull)
		return 0;
	return clock_problem_at(&h->e, H7_PWR_VOS,
				"%s%u allows %s up to %u MHz, %s runs at "
				"%.1f MHz",
				h->line->limit_scale, vos, clock, max_mhz, runs,
				hz / 1e6);
}

/* The voltage scale PWR's VOS field (and, where the line has it,
 * SYSCFG_PWRCR.ODEN) sets, and the clocks it allows. */
static int voltage_scale(struct h7_eval *h, struct clock_tree *t)
{
	const struct h7_rcc_line *l = h->line;
	uint32_t pwr = h->e.v[H7_PWR_VOS];
	int scale = l->scale_of_vos[PWR_VOS(pwr)];

	if (scale < 0)
		return clock_problem_at(&h->e, H7_PWR_VOS,
					"VOS is %u%u, a reserved value",
					PWR_VOS(pwr) >> 1, PWR_VOS(pwr) & 1u);
	if (!(pwr & PWR_VOSRDY))
		return clock_problem_at(&h->e, H7_PWR_VOS,
					"VOSRDY is 0: the voltage scale is not "
					"reached");
	t->vos = (unsigned)scale;
	if (l->overdrive && t->vos == 1 && (h->e.v[H7_SYSCFG_PWRCR] & 1u))
		t->vos = 0;
	if (over_limit(h, t->cpu_hz, l->cpu_max_mhz[t->vos], t->vos,
		       "a core clock", "the core"))
		return -1;
	return over_limit(h, t->axi_hz, l->axi_max_mhz[t->vos], t->vos,
			  "an AXI clock", "it");
}

int h7_rcc_flash_latency(const struct h7_rcc_line *line, uint64_t axi_hz,
			 unsigned vos)
{
	if (vos > 3)
		return -1;
	for (int ws = 0; ws < H7_MAX_WAIT_STATES && line->flash_mhz[vos][ws];
	     ws++)
		if (axi_hz <= (uint64_t)line->flash_mhz[vos][ws] * 1000000u)
			return ws;
	return -1;
}

int h7_rcc_evaluate(const struct h7_rcc_line *line, const uint32_t *v,
		    uint64_t hse_hz, struct clock_tree *t,
		    struct clock_problem *p)
{
	struct h7_eval h = {{line->regs, v, hse_hz, p}, line};
	uint32_t sw = v[H7_CFGR] & 7u, sws = (v[H7_CFGR] >> 3) & 7u;
	int need;

	memset(t, 0, sizeof(*t));
	if (sws != sw)
		return clock_problem_at(&h.e, H7_CFGR,
					"SWS is %u (%s) but SW asks for %u "
					"(%s): the system clock did not switch",
					(unsigned)sws,
					sws < 4 ? source_names[sws] : "?",
					(unsigned)sw,
					sw < 4 ? source_names[sw] : "?");
	if (sws > 3)
		return clock_problem_at(&h.e, H7_CFGR,
					"SWS is %u, a reserved value",
					(unsigned)sws);
	t->sysclk_source = source_names[sws];
	if (sws == 3) {
		if (pll_out(&h, 1, 0, &t->sysclk_hz))
			return -1;
	} else if (oscillator(&h, sws, &t->sysclk_hz)) {
		return -1;
	}
	/* D1CPRE / CDCPRE (11:8) then HPRE (3:0), RM0433 §8.7.7. */
	t->cpu_hz = t->sysclk_hz / clock_ahb_div((v[H7_CPU_CFGR] >> 8) & 0xfu);
	t->axi_hz = t->cpu_hz / clock_ahb_div(v[H7_CPU_CFGR] & 0xfu);
	if (xspi_kernel(&h, t) || voltage_scale(&h, t))
		return -1;

	t->flash_latency = v[H7_FLASH_ACR] & 0xfu;
	need = h7_rcc_flash_latency(line, t->axi_hz, t->vos);
	t->flash_latency_needed = need < 0 ? 0 : (unsigned)need;
	if (need < 0 || t->flash_latency < (unsigned)need)
		return clock_problem_at(&h.e, H7_FLASH_ACR,
					"LATENCY is %u wait states; an AXI "
					"clock of %.1f MHz at %s%u needs at "
					"least %d (%s)",
					t->flash_latency, t->axi_hz / 1e6,
					line->flash_scale, t->vos, need,
					line->flash_table);
	return 0;
}
