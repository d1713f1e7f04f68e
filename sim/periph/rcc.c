/* STM32H742/743/750/753 reset and clock control, RM0433 §8: the registers
 * the boot code and the stub use, the clock tree as far as it decides the
 * core clock and the QUADSPI kernel clock, peripheral clock enables (a
 * block whose enable bit is 0 does not respond) and peripheral resets. */
#include "periph/rcc.h"

#include <stdlib.h>
#include <string.h>

#include "periph/clock_rules.h"
#include "util/log.h"

#define CR 0x000U
#define CFGR 0x010U
#define D1CFGR 0x018U
#define D2CFGR 0x01CU
#define D3CFGR 0x020U
#define PLLCKSELR 0x028U
#define PLLCFGR 0x02CU
#define PLL1DIVR 0x030U
#define PLL1FRACR 0x034U
#define PLL2DIVR 0x038U
#define PLL2FRACR 0x03CU
#define PLL3DIVR 0x040U
#define PLL3FRACR 0x044U
#define D1CCIPR 0x04CU
#define CIFR 0x064U
#define CICR 0x068U
#define D2CCIP2R 0x054U
#define BDCR 0x070U
#define CSR 0x074U
#define CSR_LSION (1U << 0)
#define CSR_LSIRDY (1U << 1)

#define CR_HSION (1U << 0)
#define CR_HSIRDY (1U << 2)
#define CR_HSIDIV_SHIFT 3U
#define CR_HSIDIV (3U << CR_HSIDIV_SHIFT)
#define CR_HSIDIVF (1U << 5)
#define CR_CSION (1U << 7)
#define CR_CSIRDY (1U << 8)
#define CR_HSI48ON (1U << 12)
#define CR_HSI48RDY (1U << 13)
#define CR_HSEON (1U << 16)
#define CR_HSERDY (1U << 17)
#define CR_HSEBYP (1U << 18)
#define CR_HSECSSON (1U << 19)
#define CR_HSEEXT (1U << 20)	/* RM0455 only (reserved in RM0433) */
#define BDCR_LSECSSON (1U << 5)
#define CFGR_TIMPRE (1U << 15)
#define CR_PLL1ON (1U << 24)
#define CR_PLL1RDY (1U << 25)
#define CR_PLL2ON (1U << 26)
#define CR_PLL2RDY (1U << 27)
#define CR_PLL3ON (1U << 28)
#define CR_PLL3RDY (1U << 29)
#define CR_PLLS_ON (CR_PLL1ON | CR_PLL2ON | CR_PLL3ON)
#define RSR_RMVF (1U << 16)
#define PLLCFGR_FRACEN(n) (1U << (4 * ((n) - 1)))

#define HSI_HZ 64000000U
#define CSI_HZ 4000000U
/* Start-up and lock times, typical values of DS12110 (STM32H742/743/753
 * datasheet): tSU(HSE) 2 ms for a crystal (HSE oscillator
 * characteristics), tLOCK 50 us for a PLL (PLL characteristics). HSI,
 * CSI, HSI48, LSI and LSE are ready at once (a simplification: their
 * start-up times are microseconds, or, for LSE, seconds that firmware
 * waits out with its own timeout). */
#define HSE_STARTUP_NS 2000000U
#define PLL_LOCK_NS 50000U
/* tsu(LSI), at most 120 us (DS12110 LSI oscillator characteristics;
 * docs/clocks.md §3): the maximum, the strict choice. */
#define LSI_STARTUP_NS 120000U
/* startup[] slots: HSE, PLL1-3, LSI. */
#define STARTUP_LSI 4U
#define STARTUPS 5U

struct rcc;

/* A start-up in progress: the HSE (index 0), PLL n (index n) or the LSI
 * (STARTUP_LSI). */
struct rcc_startup {
	struct rcc *rcc;
	struct vclock_event ev;
	bool done;
};

struct rcc {
	uint32_t regs[0x400 / 4];
	uint32_t hse_hz;
	struct vclock *clk;
	const struct rcc_family *family;
	struct rcc_lines lines;	/* enable bits, reset hooks */
	bool rev_v;
	/* PLL n (index n - 1) was switched on outside its input or VCO
	 * range: it does not lock until switched off and on again. */
	bool pll_refused[3];
	/* FRACNx as the sigma-delta modulator of PLL n (index n - 1) holds
	 * it: PLLxFRACR is copied when PLLxFRACEN goes from 0 to 1. */
	uint32_t fracn[3];
	struct rcc_startup startup[STARTUPS];
	void (*clock_changed)(void *ctx);
	void *clock_ctx;
	bool (*backup_writable)(void *ctx);
	void *backup_ctx;
};

/* The sleep-mode clock enables (RCC_xxxLPENR, RM0433 §8.7): every bit of
 * a peripheral the part has is 1 after reset, so that a peripheral keeps
 * its clock in CSleep unless software says otherwise; the bits are those
 * ST's CMSIS header stm32h743xx.h defines. Reset values and writable
 * bits alike. */
#define H74X_LPENR \
	{0x0FC, 0xF0015131U},	/* AHB3LPENR */ \
	{0x100, 0x1E038023U},	/* AHB1LPENR */ \
	{0x104, 0xE0000241U},	/* AHB2LPENR */ \
	{0x108, 0x312807FFU},	/* AHB4LPENR */ \
	{0x10C, 0x00000048U},	/* APB3LPENR */ \
	{0x110, 0xE8FFC3FFU},	/* APB1LLPENR */ \
	{0x114, 0x00000136U},	/* APB1HLPENR */ \
	{0x118, 0x31D73033U},	/* APB2LPENR */ \
	{0x11C, 0x0021DEAAU},	/* APB4LPENR */

/* Reset values, RM0433 §8.7. */
static const struct rcc_reset_value h74x_reset_values[] = {
	/* HSION, HSIRDY, HSIDIVF; D1/D2 domain clocks ready. */
	{CR, 0x0000C025U},
	{0x004, 0x40000000U},		/* HSICFGR (calibration) */
	{0x008, 0x00000000U},		/* CRRCR */
	{0x00C, 0x20000000U},		/* CSICFGR */
	{PLLCKSELR, 0x02020200U},
	{PLLCFGR, 0x01FF0000U},
	{PLL1DIVR, 0x01010280U},
	{PLL2DIVR, 0x01010280U},
	{PLL3DIVR, 0x01010280U},
	{BDCR, 0x00000000U},
	{0x074, 0x00000000U},		/* CSR: LSI off */
	{0x0D0, 0x00000000U},		/* RSR */
	/* APB4ENR: RTCAPBEN is on after reset (RM0433 RCC_APB4ENR, reset
	 * value 0x0001_0000), which is why start-up code reaches the RTC
	 * without enabling its register clock. */
	{RCC_APB4ENR, 0x00010000U},
	H74X_LPENR
};

/* The bits software can write, RM0433 §8.7 (register descriptions;
 * ready flags, SWS, HSIDIVF, the calibration fields, LSERDY, LSECSSD and
 * the reset flags are read-only, reserved bits read 0). */
static const struct rcc_reset_value h74x_writable[] = {
	{CR, 0x150D129BU},	/* HSION HSIKERON HSIDIV CSION CSIKERON
				 * HSI48ON HSEON HSEBYP HSECSSON PLLxON */
	{0x004, 0x7F000000U},	/* HSICFGR.HSITRIM (revision V) */
	{0x008, 0x00000000U},	/* CRRCR: HSI48CAL, read-only */
	{0x00C, 0x3F000000U},	/* CSICFGR.CSITRIM */
	{CFGR, 0xFFFCFFC7U},	/* all but SWS and bits 17:16 */
	{D1CFGR, 0x00000F7FU},	/* D1CPRE, D1PPRE, HPRE */
	{D2CFGR, 0x00000770U},	/* D2PPRE2, D2PPRE1 */
	{D3CFGR, 0x00000070U},	/* D3PPRE */
	{PLLCKSELR, 0x03F3F3F3U}, /* DIVM3, DIVM2, DIVM1, PLLSRC */
	{PLLCFGR, 0x01FF0FFFU},
	{PLL1DIVR, 0x7F7FFFFFU}, /* DIVR, DIVQ, DIVP, DIVN */
	{PLL2DIVR, 0x7F7FFFFFU},
	{PLL3DIVR, 0x7F7FFFFFU},
	{PLL1FRACR, 0x0000FFF8U}, /* FRACN[15:3] */
	{PLL2FRACR, 0x0000FFF8U},
	{PLL3FRACR, 0x0000FFF8U},
	{D1CCIPR, 0x30010033U},	/* CKPERSEL, SDMMCSEL, QSPISEL, FMCSEL */
	{CIFR, 0x00000000U},	/* read-only */
	{CICR, 0x00000000U},	/* write 1 to clear a CIFR flag; reads 0 */
	{BDCR, 0x0001833DU},	/* BDRST RTCEN RTCSEL LSECSSON LSEDRV LSEBYP
				 * LSEON */
	{CSR, 0x00000001U},	/* LSION */
	{0x0D0, RSR_RMVF},	/* RSR: the flags are read-only */
	H74X_LPENR
	/* Kernel clock selections and the enable and reset bits: the
	 * fields and peripherals ST's CMSIS header stm32h743xx.h defines. */
	{0x050, 0xB13771C7U},	/* D2CCIP1R */
	{D2CCIP2R, 0x70F0333FU},
	{0x058, 0x77E3FF07U},	/* D3CCIPR */
	{0x060, 0x000003FFU},	/* CIER */
	{RCC_AHB3RSTR, 0x00015031U},
	{0x080, 0x0A008023U},	/* AHB1RSTR */
	{0x084, 0x00000241U},	/* AHB2RSTR */
	{RCC_AHB4RSTR, 0x032807FFU},
	{0x08C, 0x00000008U},	/* APB3RSTR */
	{RCC_APB1LRSTR, 0xE8FFC3FFU},
	{0x094, 0x00000136U},	/* APB1HRSTR */
	{RCC_APB2RSTR, 0x31D73033U},
	{0x09C, 0x0020DEAAU},	/* APB4RSTR */
	{RCC_AHB3ENR, 0x00015031U},
	{0x0D8, 0x1E038023U},	/* AHB1ENR */
	{0x0DC, 0xE0000241U},	/* AHB2ENR */
	{RCC_AHB4ENR, 0x132807FFU},
	{0x0E4, 0x00000048U},	/* APB3ENR */
	{RCC_APB1LENR, 0xE8FFC3FFU},
	{0x0EC, 0x00000136U},	/* APB1HENR */
	{RCC_APB2ENR, 0x31D73033U},
	{RCC_APB4ENR, 0x0021DEAAU},
};

const struct rcc_family rcc_family_h74x = {
	.manual = "RM0433",
	.rsr = 0x0D0,
	.reset_values = h74x_reset_values,
	.nreset_values =
		sizeof(h74x_reset_values) / sizeof(h74x_reset_values[0]),
	.writable = h74x_writable,
	.nwritable = sizeof(h74x_writable) / sizeof(h74x_writable[0]),
	/* RM0433 §8.4.4, Table 55 (reset source identification): a
	 * power-on sets PORRSTF, PINRSTF, BORRSTF, D2RSTF, D1RSTF and
	 * CPURSTF; NRST sets PINRSTF and CPURSTF; a system reset from the
	 * CPU (SYSRESETREQ) SFTRSTF, PINRSTF and CPURSTF, since the
	 * internal reset drives NRST too. */
	.rsr_flags = {0x00FA0000U, 0x00420000U, 0x01420000U},
	.icscr_on_rev_y = true,
	.datasheet = "DS12110",
};

static void startup_done(void *ctx);

void rcc_reset(struct rcc *rcc)
{
	/* RCC_BDCR is in the backup domain (RM0433 §8.4.6): a system reset
	 * keeps it; rcc_backup_reset() clears it at power-on. RCC_RSR is
	 * reset by a power-on only (§8.4.4): rcc_note_reset. */
	uint32_t bdcr = rcc->regs[BDCR / 4];
	uint32_t rsr = rcc->regs[rcc->family->rsr / 4];

	memset(rcc->regs, 0, sizeof(rcc->regs));
	for (unsigned i = 0; i < rcc->family->nreset_values; i++)
		rcc->regs[rcc->family->reset_values[i].offset / 4] =
			rcc->family->reset_values[i].value;
	rcc->regs[BDCR / 4] = bdcr;
	rcc->regs[rcc->family->rsr / 4] = rsr;
	memset(rcc->pll_refused, 0, sizeof(rcc->pll_refused));
	memset(rcc->fracn, 0, sizeof(rcc->fracn));
	for (unsigned i = 0; i < STARTUPS; i++) {
		vclock_cancel(rcc->clk, &rcc->startup[i].ev);
		rcc->startup[i].done = false;
	}
	/* A reset value with LSION set starts the LSI. */
	if (rcc->regs[CSR / 4] & CSR_LSION)
		vclock_schedule_in_ns(rcc->clk,
				      &rcc->startup[STARTUP_LSI].ev,
				      LSI_STARTUP_NS);
	rcc->clk->cpu_hz = rcc_cpu_hz(rcc);
}

void rcc_note_reset(struct rcc *rcc, enum rcc_reset_cause cause)
{
	uint32_t *rsr = &rcc->regs[rcc->family->rsr / 4];

	if (cause == RCC_RESET_POWER_ON)
		*rsr = 0;
	*rsr |= rcc->family->rsr_flags[cause];
}

void rcc_backup_reset(struct rcc *rcc)
{
	rcc->regs[BDCR / 4] = 0;
}

void rcc_set_backup_guard(struct rcc *rcc, bool (*fn)(void *ctx), void *ctx)
{
	rcc->backup_writable = fn;
	rcc->backup_ctx = ctx;
}

void rcc_set_rev_v(struct rcc *rcc, bool rev_v)
{
	rcc->rev_v = rev_v;
}

void rcc_on_clock_change(struct rcc *rcc, void (*fn)(void *ctx), void *ctx)
{
	rcc->clock_changed = fn;
	rcc->clock_ctx = ctx;
}

struct rcc *rcc_new(uint32_t hse_hz, struct vclock *clk)
{
	return rcc_new_family(&rcc_family_h74x, hse_hz, clk);
}

struct rcc *rcc_new_family(const struct rcc_family *family, uint32_t hse_hz,
			   struct vclock *clk)
{
	struct rcc *rcc = calloc(1, sizeof(*rcc));

	if (!rcc)
		abort();
	rcc->family = family;
	rcc->hse_hz = hse_hz;
	rcc->clk = clk;
	rcc_lines_init(&rcc->lines, rcc->regs);
	for (unsigned i = 0; i < STARTUPS; i++) {
		rcc->startup[i].rcc = rcc;
		vclock_event_init(&rcc->startup[i].ev, startup_done,
				  &rcc->startup[i]);
	}
	rcc_reset(rcc);
	return rcc;
}

void rcc_free(struct rcc *rcc)
{
	if (!rcc)
		return;
	for (unsigned i = 0; i < STARTUPS; i++)
		vclock_cancel(rcc->clk, &rcc->startup[i].ev);
	free(rcc);
}

static uint32_t reg(const struct rcc *rcc, uint32_t off)
{
	return rcc->regs[off / 4];
}

/* HPRE/D1CPRE encoding, RM0433 §8.7.7: 0xxx = /1, 1000 = /2 ... 1111 =
 * /512 (there is no /32). */
static uint32_t ahb_divider(uint32_t field)
{
	static const uint32_t div[8] = {2, 4, 8, 16, 64, 128, 256, 512};

	return (field & 8U) ? div[field & 7U] : 1;
}

static uint32_t hsi_hz(const struct rcc *rcc)
{
	return HSI_HZ >> ((reg(rcc, CR) >> CR_HSIDIV_SHIFT) & 3U);
}

/* The oscillator choice PLLSRC, SW/SWS and CKPERSEL encode alike:
 * 0 hsi_ck, 1 csi_ck, 2 hse_ck (RM0433 §8.7.11, §8.7.6, §8.7.19); 3 is
 * no clock for PLLSRC and CKPERSEL. */
static uint32_t oscillator_hz(const struct rcc *rcc, uint32_t sel)
{
	switch (sel) {
	case 0:
		return hsi_hz(rcc);
	case 1:
		return CSI_HZ;
	case 2:
		return rcc->hse_hz;
	default:
		return 0;
	}
}

static uint32_t pll_source_hz(const struct rcc *rcc)
{
	return oscillator_hz(rcc, reg(rcc, PLLCKSELR) & 3U);
}

/* Output `out` (0 = P, 1 = Q, 2 = R) of PLL n (1..3), 0 when off. */
static uint32_t pll_out_hz(const struct rcc *rcc, unsigned n, unsigned out)
{
	uint32_t divm = (reg(rcc, PLLCKSELR) >> (4 + 8 * (n - 1))) & 0x3FU;
	uint32_t divr = reg(rcc, PLL1DIVR + 8 * (n - 1));
	uint32_t divn = (divr & 0x1FFU) + 1;
	uint32_t post;
	uint64_t vco, mult;

	if (!(reg(rcc, CR) & (CR_PLL1RDY << (2 * (n - 1)))) || divm == 0)
		return 0;
	/* RM0433 §8.7.11: DIVPxEN/DIVQxEN/DIVRxEN gate each output. */
	if (!(reg(rcc, PLLCFGR) & (1U << (16 + 3 * (n - 1) + out))))
		return 0;
	switch (out) {
	case 0:
		post = ((divr >> 9) & 0x7FU) + 1;
		break;
	case 1:
		post = ((divr >> 16) & 0x7FU) + 1;
		break;
	default:
		post = ((divr >> 24) & 0x7FU) + 1;
		break;
	}
	/* VCO = reference x (DIVN + 1 + FRACN / 8192), FRACN as the
	 * modulator latched it and only while PLLxFRACEN is set (RM0433
	 * §8.7.12, §8.7.14). */
	mult = (uint64_t)divn * 8192U;
	if (reg(rcc, PLLCFGR) & PLLCFGR_FRACEN(n))
		mult += rcc->fracn[n - 1];
	vco = (uint64_t)pll_source_hz(rcc) * mult / ((uint64_t)divm * 8192U);
	return (uint32_t)(vco / post);
}

static uint32_t sysclk_hz(const struct rcc *rcc)
{
	/* SWS: 3 pll1_p_ck; the reserved codes above it read as HSI. */
	uint32_t sel = (reg(rcc, CFGR) >> 3) & 7U;

	if (sel == 3)
		return pll_out_hz(rcc, 1, 0);
	return oscillator_hz(rcc, sel > 3 ? 0 : sel);
}

uint32_t rcc_cpu_hz(const struct rcc *rcc)
{
	return sysclk_hz(rcc) / ahb_divider((reg(rcc, D1CFGR) >> 8) & 0xFU);
}

uint32_t rcc_hclk3_hz(const struct rcc *rcc)
{
	return rcc_cpu_hz(rcc) / ahb_divider(reg(rcc, D1CFGR) & 0xFU);
}

/* D2PPRE1/D2PPRE2/D1PPRE encoding (RM0433 §8.7.8): 0xx /1, 100 /2, 101 /4,
 * 110 /8, 111 /16. */
static uint32_t apb_divider(uint32_t field)
{
	return (field & 4U) ? 2U << (field & 3U) : 1U;
}

uint32_t rcc_pclk1_hz(const struct rcc *rcc)
{
	return rcc_hclk3_hz(rcc) / apb_divider((reg(rcc, D2CFGR) >> 4) & 7U);
}

uint32_t rcc_pclk2_hz(const struct rcc *rcc)
{
	return rcc_hclk3_hz(rcc) / apb_divider((reg(rcc, D2CFGR) >> 8) & 7U);
}

uint32_t rcc_pclk3_hz(const struct rcc *rcc)
{
	return rcc_hclk3_hz(rcc) / apb_divider((reg(rcc, D1CFGR) >> 4) & 7U);
}

uint32_t rcc_pclk4_hz(const struct rcc *rcc)
{
	return rcc_hclk3_hz(rcc) / apb_divider((reg(rcc, D3CFGR) >> 4) & 7U);
}

uint32_t rcc_usart_kernel_hz(const struct rcc *rcc, bool usart16)
{
	/* D2CCIP2R (RM0433 §8.7.21): USART16SEL [5:3] for USART1/6,
	 * USART234578SEL [2:0] for the others: 000 rcc_pclk2 / rcc_pclk1,
	 * 001 pll2_q_ck, 010 pll3_q_ck, 011 hsi_ker_ck, 100 csi_ker_ck,
	 * 101 lse_ck. */
	uint32_t sel = (reg(rcc, D2CCIP2R) >> (usart16 ? 3 : 0)) & 7U;

	switch (sel) {
	case 0:
		return usart16 ? rcc_pclk2_hz(rcc) : rcc_pclk1_hz(rcc);
	case 1:
		return pll_out_hz(rcc, 2, 1);
	case 2:
		return pll_out_hz(rcc, 3, 1);
	case 3:
		return (reg(rcc, CR) & CR_HSIRDY) ? hsi_hz(rcc) : 0;
	case 4:
		return (reg(rcc, CR) & CR_CSIRDY) ? CSI_HZ : 0;
	case 5:
		return (reg(rcc, BDCR) & 2U) ? 32768U : 0;
	default:
		return 0;
	}
}

uint32_t rcc_rtc_hz(const struct rcc *rcc)
{
	/* BDCR.RTCEN (15) and RTCSEL [9:8] (RM0433 §8.7.23): 01 LSE, 10 LSI,
	 * 11 HSE divided by CFGR.RTCPRE [13:8] (0 and 1: no clock). */
	uint32_t bdcr = reg(rcc, BDCR), pre = (reg(rcc, CFGR) >> 8) & 0x3FU;

	if (!(bdcr & (1U << 15)))
		return 0;
	switch ((bdcr >> 8) & 3U) {
	case 1:
		return (bdcr & 2U) ? 32768U : 0;
	case 2:
		return rcc_lsi_ready(rcc) ? 32000U : 0;
	case 3:
		return (reg(rcc, CR) & CR_HSERDY) && pre > 1 ? rcc->hse_hz / pre
							    : 0;
	default:
		return 0;
	}
}

uint32_t rcc_rng_kernel_hz(const struct rcc *rcc)
{
	/* D2CCIP2R.RNGSEL [9:8] (RM0433 §8.7.21): 00 hsi48_ck, 01
	 * pll1_q_ck, 10 lse_ck, 11 lsi_ck. */
	switch ((reg(rcc, D2CCIP2R) >> 8) & 3U) {
	case 0:
		return (reg(rcc, CR) & CR_HSI48RDY) ? 48000000U : 0;
	case 1:
		return pll_out_hz(rcc, 1, 1);
	case 2:
		return (reg(rcc, BDCR) & 2U) ? 32768U : 0;
	default:
		return rcc_lsi_ready(rcc) ? 32000U : 0;
	}
}

uint32_t rcc_qspi_kernel_hz(const struct rcc *rcc)
{
	/* D1CCIPR.QSPISEL: 00 rcc_hclk3, 01 pll1_q_ck, 10 pll2_r_ck,
	 * 11 per_ck (RM0433 §8.7.19). */
	switch ((reg(rcc, D1CCIPR) >> 4) & 3U) {
	case 0:
		return rcc_hclk3_hz(rcc);
	case 1:
		return pll_out_hz(rcc, 1, 1);
	case 2:
		return pll_out_hz(rcc, 2, 2);
	default:
		/* per_ck: CKPERSEL [29:28]. */
		return oscillator_hz(rcc, (reg(rcc, D1CCIPR) >> 28) & 3U);
	}
}

/* APB2 timer clock, RM0433 §8.5.9 (timer clock ratios): with
 * CFGR.TIMPRE = 0, rcc_hclk when D2PPRE2 divides by 1 or 2, else twice
 * rcc_pclk2; with TIMPRE = 1, rcc_hclk up to /4, else four times
 * rcc_pclk2. */
uint32_t rcc_apb2_timer_hz(const struct rcc *rcc)
{
	uint32_t ppre = (reg(rcc, D2CFGR) >> 8) & 7U;
	uint32_t div = apb_divider(ppre);
	uint32_t mul = (reg(rcc, CFGR) & CFGR_TIMPRE) ? 4U : 2U;

	if (div <= mul)
		return rcc_hclk3_hz(rcc);
	return rcc_hclk3_hz(rcc) / div * mul;
}

bool rcc_lsi_ready(const struct rcc *rcc)
{
	return (reg(rcc, CSR) & (CSR_LSION | CSR_LSIRDY)) ==
	       (CSR_LSION | CSR_LSIRDY);
}

bool rcc_gate_on(void *gate_ctx)
{
	return rcc_lines_gate_on(gate_ctx);
}

struct rcc_gate *rcc_gate(struct rcc *rcc, uint32_t enr_offset, unsigned bit)
{
	return rcc_lines_gate(&rcc->lines, enr_offset, bit);
}

void rcc_on_reset(struct rcc *rcc, uint32_t rstr_offset, unsigned bit,
		  rcc_reset_fn fn, void *ctx)
{
	rcc_lines_on_reset(&rcc->lines, rstr_offset, bit, fn, ctx);
}

struct rcc_lines *rcc_lines_of(struct rcc *rcc)
{
	return &rcc->lines;
}

/* The ready flags that follow their enable bits: HSE once its start-up
 * time has passed (never without a crystal), a PLL once locked on a
 * running reference, the others at once. */
static uint32_t follow_ready_bits(const struct rcc *rcc, uint32_t cr)
{
	static const uint32_t pairs[][2] = {
		{CR_HSION, CR_HSIRDY},	 {CR_CSION, CR_CSIRDY},
		{CR_HSI48ON, CR_HSI48RDY}, {CR_HSEON, CR_HSERDY},
		{CR_PLL1ON, CR_PLL1RDY}, {CR_PLL2ON, CR_PLL2RDY},
		{CR_PLL3ON, CR_PLL3RDY},
	};

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		if (cr & pairs[i][0])
			cr |= pairs[i][1];
		else
			cr &= ~pairs[i][1];
	}
	/* HSEBYP takes an external clock on OSC_IN (RM0433 §8.5.2); the
	 * boards carry a crystal, which gives none with the oscillator
	 * bypassed. */
	if ((cr & CR_HSEON) && (rcc->hse_hz == 0 || !rcc->startup[0].done ||
				(cr & CR_HSEBYP)))
		cr &= ~CR_HSERDY;
	/* A PLL locks only on a running reference (RM0433 §8.5.5): its
	 * source oscillator must be ready and DIVMx not 0 (prescaler off). */
	for (unsigned n = 1; n <= 3; n++) {
		uint32_t divm = (reg(rcc, PLLCKSELR) >> (4 + 8 * (n - 1))) &
				0x3FU;
		uint32_t src_rdy;

		switch (reg(rcc, PLLCKSELR) & 3U) {
		case 0:
			src_rdy = CR_HSIRDY;
			break;
		case 1:
			src_rdy = CR_CSIRDY;
			break;
		case 2:
			src_rdy = CR_HSERDY;
			break;
		default:
			src_rdy = 0;
			break;
		}
		if (!src_rdy || !(cr & src_rdy) || divm == 0 ||
		    rcc->pll_refused[n - 1] || !rcc->startup[n].done)
			cr &= ~(CR_PLL1RDY << (2 * (n - 1)));
	}
	return cr;
}

static bool source_ready(const struct rcc *rcc, uint32_t sw)
{
	uint32_t cr = reg(rcc, CR);

	switch (sw) {
	case 0:
		return cr & CR_HSIRDY;
	case 1:
		return cr & CR_CSIRDY;
	case 2:
		return cr & CR_HSERDY;
	case 3:
		return cr & CR_PLL1RDY;
	default:
		return false;
	}
}

/* RM0433 §8.5.6 (system clock selection), §8.7.6 RCC_CFGR: a switch
 * happens only to a ready source, and a switch to a source not ready yet
 * happens when it becomes ready; SWS tells which source clocks the system
 * now. Reserved SW codes switch nothing. */
static void follow_switch(struct rcc *rcc)
{
	uint32_t cfgr = reg(rcc, CFGR), sw = cfgr & 7U;

	if (sw <= 3 && ((cfgr >> 3) & 7U) != sw && source_ready(rcc, sw))
		rcc->regs[CFGR / 4] = (cfgr & ~0x38U) | (sw << 3);
}

/* RM0433 §8.7.12 (PLLxRGE, PLLxVCOSEL) and DS12110 Tables 60/61: the
 * reference (source / DIVMx) must lie in the range PLLxRGE declares and
 * the VCO (reference x (DIVNx + 1 + FRACNx / 8192)) in the range of
 * PLLxVCOSEL. A VCO or reference outside the PLL's absolute limits does
 * not lock; a reference outside the declared sub-range still locks here
 * but breaks the datasheet's conditions, so it is logged all the same. */
static bool pll_config_ok(struct rcc *rcc, unsigned n)
{
	uint32_t divm = (reg(rcc, PLLCKSELR) >> (4 + 8 * (n - 1))) & 0x3FU;
	uint32_t cfg = reg(rcc, PLLCFGR) >> (4 * (n - 1));
	uint32_t rge = (cfg >> 2) & 3U, vcosel = (cfg >> 1) & 1U;
	uint32_t fracen = cfg & 1U;
	uint32_t divn = (reg(rcc, PLL1DIVR + 8 * (n - 1)) & 0x1FFU) + 1;
	uint32_t fracn = rcc->fracn[n - 1];
	uint32_t src = pll_source_hz(rcc);
	struct pll_range vco_r = pll_vco_range(vcosel, rcc->rev_v);
	double ref, vco;
	bool ok = true;

	if (!vcosel && rcc->family->vco_wide_max_hz) {
		vco_r.min_hz = rcc->family->vco_wide_min_hz;
		vco_r.max_hz = rcc->family->vco_wide_max_hz;
	}
	if (divm == 0 || src == 0)
		return true; /* no reference: it cannot lock anyway */
	ref = (double)src / divm;
	/* The wide VCO takes a 2-16 MHz reference, the 1-2 MHz range goes
	 * with the medium VCO (DS12110 PLL characteristics; ST's LL
	 * utilities, IS_LL_UTILS_CHECK_VCO_RANGES): logged, it locks. */
	if (!vcosel && ref < pll_ref_ranges[1].min_hz &&
	    ref >= pll_ref_ranges[0].min_hz)
		sim_log(LOG_GUEST_ERROR,
			"RCC: PLL%u reference %.3f MHz below the 2 MHz the "
			"wide VCO (PLL%uVCOSEL = 0) needs (%s PLL "
			"characteristics)",
			n, ref / 1e6, n, rcc->family->datasheet);
	vco = ref * (divn + (fracen ? fracn / 8192.0 : 0.0));
	if (ref < pll_ref_ranges[rge].min_hz ||
	    ref > pll_ref_ranges[rge].max_hz)
		sim_log(LOG_GUEST_ERROR,
			"RCC: PLL%u reference %.3f MHz outside the %u-%u MHz "
			"PLL%uRGE declares (RM0433 §8.7.12)",
			n, ref / 1e6, pll_ref_ranges[rge].min_hz / 1000000U,
			pll_ref_ranges[rge].max_hz / 1000000U, n);
	if (ref < pll_ref_ranges[0].min_hz ||
	    ref > pll_ref_ranges[3].max_hz) {
		sim_log(LOG_GUEST_ERROR,
			"RCC: PLL%u reference %.3f MHz outside the PLL's 1-16 "
			"MHz input range: the PLL does not lock "
			"(RM0433 §8.7.12)",
			n, ref / 1e6);
		ok = false;
	}
	if (vco < vco_r.min_hz || vco > vco_r.max_hz) {
		sim_log(LOG_GUEST_ERROR,
			"RCC: PLL%u VCO %.1f MHz outside the %s range %u-%u "
			"MHz: the PLL does not lock (%s PLL characteristics)",
			n, vco / 1e6, vcosel ? "medium" : "wide",
			vco_r.min_hz / 1000000U, vco_r.max_hz / 1000000U,
			rcc->family->datasheet);
		ok = false;
	}
	return ok;
}

static void start(struct rcc *rcc, unsigned i, uint64_t ns)
{
	rcc->startup[i].done = false;
	vclock_schedule_in_ns(rcc->clk, &rcc->startup[i].ev, ns);
}

static void stop(struct rcc *rcc, unsigned i)
{
	rcc->startup[i].done = false;
	vclock_cancel(rcc->clk, &rcc->startup[i].ev);
}

/* A start-up time has passed: the ready flags follow. */
static void startup_done(void *ctx)
{
	struct rcc_startup *su = ctx;
	struct rcc *rcc = su->rcc;

	su->done = true;
	rcc->regs[CR / 4] = follow_ready_bits(rcc, reg(rcc, CR));
	if (su == &rcc->startup[STARTUP_LSI] && (reg(rcc, CSR) & CSR_LSION))
		rcc->regs[CSR / 4] |= CSR_LSIRDY;
	follow_switch(rcc);
	rcc->clk->cpu_hz = rcc_cpu_hz(rcc);
	if (rcc->clock_changed)
		rcc->clock_changed(rcc->clock_ctx);
}

static void write_cr(struct rcc *rcc, uint32_t v)
{
	uint32_t sws = (reg(rcc, CFGR) >> 3) & 7U;
	uint32_t old = reg(rcc, CR);

	/* RM0433 §8.7.2: the oscillator feeding the system clock cannot be
	 * switched off, and a PLL's configuration is locked while it runs. */
	if (sws == 0)
		v |= CR_HSION;
	if (sws == 2)
		v |= CR_HSEON;
	if (sws == 3) {
		static const uint32_t ref_on[4] = {CR_HSION, CR_CSION,
						   CR_HSEON, 0};

		/* ...nor PLL1 when it clocks the system, nor its reference.
		 * A PLL1 that does not clock the system loses its reference
		 * like any other: HAL_RCC_DeInit clears HSEON before PLL1ON
		 * and waits for HSERDY to fall. */
		v |= CR_PLL1ON | ref_on[reg(rcc, PLLCKSELR) & 3U];
	}
	/* HSIDIV: ignored while HSI is the reference of an enabled PLL
	 * (RM0433 §8.7.2 HSIDIV). The model applies a new ratio at once, so
	 * HSIDIVF ("the frequency reflects HSIDIV") stays 1. */
	if (((v ^ old) & CR_HSIDIV) && (old & CR_PLLS_ON) &&
	    (reg(rcc, PLLCKSELR) & 3U) == 0) {
		sim_log(LOG_GUEST_ERROR,
			"RCC_CR.HSIDIV changed while HSI is the reference of "
			"an enabled PLL: ignored (%s RCC_CR)",
			rcc->family->manual);
		v = (v & ~CR_HSIDIV) | (old & CR_HSIDIV);
	}
	/* HSEBYP (and RM0455's HSEEXT): written only while the HSE is off
	 * (RM0433 §8.7.2). */
	if (((v ^ old) & (CR_HSEBYP | CR_HSEEXT)) &&
	    (old & (CR_HSEON | CR_HSERDY))) {
		sim_log(LOG_GUEST_ERROR,
			"RCC_CR.HSEBYP/HSEEXT changed while the HSE is on: "
			"ignored (%s RCC_CR)",
			rcc->family->manual);
		v = (v & ~(CR_HSEBYP | CR_HSEEXT)) |
		    (old & (CR_HSEBYP | CR_HSEEXT));
	}
	/* The read-only bits as they were (rcc_write kept them): D1CKRDY,
	 * D2CKRDY; HSIDIVF set. HSECSSON is set-only: a reset clears it
	 * (RM0433 §8.7.2), software cannot. */
	v |= CR_HSIDIVF | (old & CR_HSECSSON);
	/* Each oscillator or PLL switched on starts its start-up time; one
	 * switched off loses readiness at once. */
	if ((v & CR_HSEON) && !(old & CR_HSEON) && (v & CR_HSEBYP))
		sim_log(LOG_GUEST_ERROR,
			"RCC_CR: HSE on in bypass mode (HSEBYP), but the board "
			"has a crystal, not a clock source: HSERDY stays 0 "
			"(%s RCC HSE)",
			rcc->family->manual);
	if ((v & CR_HSEON) && !(old & CR_HSEON))
		start(rcc, 0, HSE_STARTUP_NS);
	else if (!(v & CR_HSEON))
		stop(rcc, 0);
	for (unsigned n = 1; n <= 3; n++) {
		uint32_t on = CR_PLL1ON << (2 * (n - 1));

		if ((v & on) && !(old & on)) {
			rcc->pll_refused[n - 1] = !pll_config_ok(rcc, n);
			start(rcc, n, PLL_LOCK_NS);
		} else if (!(v & on)) {
			rcc->pll_refused[n - 1] = false;
			stop(rcc, n);
		}
	}
	rcc->regs[CR / 4] = follow_ready_bits(rcc, v);
	follow_switch(rcc);
}

static void write_cfgr(struct rcc *rcc, uint32_t v)
{
	uint32_t sw = v & 7U;

	if (sw > 3)
		sim_log(LOG_GUEST_ERROR,
			"RCC_CFGR: SW=%u is a reserved code; the system clock "
			"stays on source %u (%s RCC_CFGR)",
			sw, (reg(rcc, CFGR) >> 3) & 7U, rcc->family->manual);
	rcc->regs[CFGR / 4] = v;
	follow_switch(rcc);
}

static bool pll_running(const struct rcc *rcc, unsigned n)
{
	return reg(rcc, CR) & (CR_PLL1ON << (2 * (n - 1)));
}

/* The bits of a PLL configuration register that cannot change now
 * because the PLL they belong to is on (RM0433 §8.7.11 PLLCKSELR: DIVMx
 * while PLLx is on, PLLSRC while any is; §8.7.12 PLLCFGR: PLLxFRACEN,
 * VCOSEL, RGE and DIVxyEN; §8.7.13-16 the DIVR registers). */
static uint32_t pll_locked_bits(const struct rcc *rcc, uint32_t word)
{
	uint32_t locked = 0;

	for (unsigned n = 1; n <= 3; n++) {
		if (!pll_running(rcc, n))
			continue;
		if (word == PLLCKSELR)
			locked |= 3U | (0x3FU << (4 + 8 * (n - 1)));
		else if (word == PLLCFGR)
			/* PLLxFRACEN is not locked: toggling it latches a
			 * new FRACNx while the PLL runs (§8.7.12). */
			locked |= (0xEU << (4 * (n - 1))) |
				  (7U << (16 + 3 * (n - 1)));
		else if (word == PLL1DIVR + 8 * (n - 1))
			locked = 0xFFFFFFFFU;
	}
	return locked;
}

/* The bits of the register at `word` software can change. */
static uint32_t writable_bits(const struct rcc *rcc, uint32_t word)
{
	const struct rcc_family *f = rcc->family;

	if (word == 0x004 && f->icscr_on_rev_y && !rcc->rev_v)
		return 0x7C03F000U; /* ICSCR: CSITRIM 30:26, HSITRIM 17:12 */
	for (unsigned i = 0; i < f->nwritable; i++)
		if (f->writable[i].offset == word)
			return f->writable[i].value;
	return 0xFFFFFFFFU;
}

/* PLLxFRACEN going from 0 to 1 copies FRACNx into the modulator (RM0433
 * §8.7.12 PLLxFRACEN, §8.7.14 RCC_PLLxFRACR). */
static void latch_fracn(struct rcc *rcc, uint32_t old_cfgr)
{
	for (unsigned n = 1; n <= 3; n++)
		if ((reg(rcc, PLLCFGR) & ~old_cfgr) & PLLCFGR_FRACEN(n))
			rcc->fracn[n - 1] =
				(reg(rcc, PLL1FRACR + 8 * (n - 1)) >> 3) &
				0x1FFFU;
}

static bool rcc_read(void *dev, uint32_t off, unsigned size, uint32_t *value,
		     enum bus_master master)
{
	struct rcc *rcc = dev;

	(void)master;
	*value = rcc_lines_read(&rcc->lines, off, size);
	return true;
}

/* Every RCC register reads its stored value, and a read changes nothing.
 * The stored values change by writes and, for the ready flags (RCC_CR
 * HSERDY and PLLxRDY, RM0433 §8.7.2; RM0455 the same), when an
 * oscillator's start-up or a PLL's lock time has passed, which is an
 * event here (startup_done): all of them are event-stable (bus.h). */
bool rcc_read_stable(void *dev, uint32_t off)
{
	(void)dev;
	(void)off;
	return true;
}

static bool rcc_write(void *dev, uint32_t off, unsigned size, uint32_t value,
		      enum bus_master master)
{
	struct rcc *rcc = dev;
	uint32_t word = off & 0x3FCU;
	uint32_t old = rcc->regs[word / 4];
	uint32_t v = rcc_lines_merge(old, off, size, value);
	uint32_t mask = writable_bits(rcc, word);

	(void)master;
	v = (v & mask) | (old & ~mask);
	switch (word) {
	case CR:
		write_cr(rcc, v);
		break;
	case CFGR:
		write_cfgr(rcc, v);
		break;
	case PLLCKSELR:
	case PLLCFGR:
	case PLL1DIVR:
	case PLL2DIVR:
	case PLL3DIVR: {
		/* RM0433 §8.7.11-16: each PLL's fields are writable only
		 * while that PLL is off (PLLSRC only while all are); the
		 * fields of the others stay writable, as the HAL relies on
		 * when it sets up PLL3 under a running PLL1. */
		uint32_t locked = pll_locked_bits(rcc, word);

		if ((v ^ old) & locked)
			sim_log(LOG_GUEST_ERROR,
				"RCC+0x%03x bits 0x%08x written while their "
				"PLL runs: ignored (%s RCC chapter)",
				word, (v ^ old) & locked,
				rcc->family->manual);
		rcc->regs[word / 4] = (v & ~locked) | (old & locked);
		if (word == PLLCFGR)
			latch_fracn(rcc, old);
		break;
	}
	case BDCR:
		/* The backup domain is write-protected until PWR_CR1.DBP is
		 * set (RM0433 §6.4.4, §8.7.23): the write is lost. */
		if (rcc->backup_writable &&
		    !rcc->backup_writable(rcc->backup_ctx)) {
			sim_log(LOG_GUEST_ERROR,
				"RCC_BDCR written while PWR_CR1.DBP is 0: "
				"ignored (%s, backup domain write protection)",
				rcc->family->manual);
			return true;
		}
		/* LSERDY follows LSEON (a 32.768 kHz crystal). BDRST (bit
		 * 16) resets the backup domain: the register but BDRST
		 * itself, and the RTC (its reset hook). RTCSEL is written
		 * once: only a backup domain reset changes it again
		 * (§8.7.23). */
		if (v & (1U << 16))
			v = 1U << 16;
		else if ((old & (3U << 8)) && ((v ^ old) & (3U << 8))) {
			sim_log(LOG_GUEST_ERROR,
				"RCC_BDCR.RTCSEL changed from %u without a "
				"backup domain reset: ignored (RM0433 §8.7.23)",
				(old >> 8) & 3U);
			v = (v & ~(3U << 8)) | (old & (3U << 8));
		}
		/* LSECSSON, once set, stays until a backup domain reset
		 * (no LSE failure is modelled; §8.7.23). */
		if (!(v & (1U << 16)))
			v |= old & BDCR_LSECSSON;
		rcc->regs[word / 4] = (v & 1U) ? v | 2U : v & ~2U;
		break;
	case CSR:
		/* LSIRDY sets tsu(LSI) after LSION and falls with it
		 * (RM0433 §8.7.27; RCC_CSR sits at 0x74 in RM0455 too). */
		if ((v & CSR_LSION) && !(old & CSR_LSION))
			start(rcc, STARTUP_LSI, LSI_STARTUP_NS);
		else if (!(v & CSR_LSION))
			stop(rcc, STARTUP_LSI);
		rcc->regs[word / 4] =
			(v & ~CSR_LSIRDY) |
			((v & CSR_LSION) && rcc->startup[STARTUP_LSI].done
				 ? CSR_LSIRDY
				 : 0);
		break;
	default:
		/* RSR: RMVF clears the reset flags. */
		if (word == rcc->family->rsr)
			rcc->regs[word / 4] = (v & RSR_RMVF) ? 0 : old;
		else
			rcc->regs[word / 4] = v;
		break;
	}
	if ((word >= 0x07CU && word <= 0x09CU) || /* AHB3RSTR .. APB4RSTR */
	    word == BDCR)
		rcc_lines_reset(&rcc->lines, word, v & ~old);
	rcc->clk->cpu_hz = rcc_cpu_hz(rcc);
	if (rcc->clock_changed)
		rcc->clock_changed(rcc->clock_ctx);
	return true;
}

const struct mmio_ops rcc_ops = {rcc_read, rcc_write};
