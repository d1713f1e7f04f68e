/* STM32F7 RCC (RM0385 §5, RM0410 §5) and PWR (RM0385 §4): the
 * oscillators, the main PLL with the input and VCO ranges it locks in,
 * the system clock switch, the AHB/APB prescalers, peripheral clock
 * enables and resets, and the voltage scaling and over-drive that set the
 * highest clock the core may run at (RM0385 §4, over-drive). */
#include "periph/rcc_f7.h"

#include <stdlib.h>
#include <string.h>

#include "util/log.h"

#define CR 0x000U
#define PLLCFGR 0x004U
#define CFGR 0x008U
#define CIR 0x00CU
#define BDCR 0x070U
#define CSR 0x074U

#define CR_HSION (1U << 0)
#define CR_HSIRDY (1U << 1)
#define CR_HSEON (1U << 16)
#define CR_HSERDY (1U << 17)
#define CR_PLLON (1U << 24)
#define CR_PLLRDY (1U << 25)
#define CR_PLLI2SON (1U << 26)
#define CR_PLLI2SRDY (1U << 27)
#define CR_PLLSAION (1U << 28)
#define CR_PLLSAIRDY (1U << 29)
#define CR_HSEBYP (1U << 18)
/* HSION, HSITRIM, HSEON, HSEBYP, CSSON, PLLON, PLLI2SON, PLLSAION. */
#define CR_WRITABLE 0x150D00F9U
/* RM0385 §5, RCC_CFGR: bits 9:8 are reserved, SWS (3:2) read-only. */
#define CFGR_WRITABLE 0xFFFFFCF3U
/* RCC_CIR: the ready/CSS interrupt enables, bits 14:8. */
#define CIR_ENABLES 0x00007F00U

/* RCC_BDCR (RM0385 §5): LSEON 0, LSERDY 1, LSEBYP 2, LSEDRV 4:3, RTCSEL
 * 9:8, RTCEN 15, BDRST 16. */
#define BDCR_LSEON (1U << 0)
#define BDCR_LSERDY (1U << 1)
#define BDCR_LSEBYP (1U << 2)
#define BDCR_RTCSEL (3U << 8)
#define BDCR_WRITABLE 0x0001831DU
/* RCC_CSR: LSION 0, LSIRDY 1, RMVF 24; the reset flags 31:25. */
#define CSR_LSION (1U << 0)
#define CSR_LSIRDY (1U << 1)
#define CSR_RMVF (1U << 24)
#define CSR_BORRSTF (1U << 25)
#define CSR_PINRSTF (1U << 26)
#define CSR_PORRSTF (1U << 27)
#define CSR_SFTRSTF (1U << 28)
#define CSR_FLAGS 0xFE000000U

#define PLLCFGR_SRC_HSE (1U << 22)
#define PLLCFGR_SHARED 0x0040003FU	/* PLLSRC, PLLM: all three PLLs */
#define PLLI2SCFGR 0x084U
#define PLLSAICFGR 0x088U
/* PLLxN 14:6, PLLxP 17:16, PLLxQ 27:24, PLLxR 30:28 (RM0385 §5). */
#define PLLXCFGR_WRITABLE 0x7F037FC0U
#define PLLCFGR_WRITABLE 0x0F437FFFU
#define PLLCFGR_PLLR 0x70000000U

#define SW_HSI 0U
#define SW_HSE 1U
#define SW_PLL 2U

/* PWR registers (RM0385 §4, PWR registers). */
#define PWR_CR1 0x00U
#define PWR_CSR1 0x04U
#define PWR_CR2 0x08U
#define PWR_CSR2 0x0CU
#define CR1_VOS_SHIFT 14U
#define CR1_VOS_MASK (3U << CR1_VOS_SHIFT)
#define CR1_ODEN (1U << 16)
#define CR1_ODSWEN (1U << 17)
#define CR1_DBP (1U << 8)
/* LPDS, PDDS, PVDE, PLS, DBP, FPDS, LPUDS, MRUDS, ADCDC1, VOS, ODEN,
 * ODSWEN, UDEN; CSBF (bit 3) is write-only and reads 0. */
#define CR1_WRITABLE 0x000FEFF3U
#define CR1_CSBF (1U << 3)
#define CSR1_SBF (1U << 1)
#define CSR1_BRR (1U << 3)
#define CSR1_BRE (1U << 9)
#define CSR1_VOSRDY (1U << 14)
#define CSR1_ODRDY (1U << 16)
#define CSR1_ODSWRDY (1U << 17)

#define HSI_HZ 16000000U
#define MHZ 1000000U

/* The clocks with an ON bit and a ready flag, and the time from ON to
 * ready: typical start-up times of DS10916 (STM32F746xx), electrical
 * characteristics: HSI tsu(HSI) 2.2 us (4 us max), HSE crystal
 * tsu(HSE) 2 ms, PLL lock time 100 us at a 432 MHz VCO (PLLI2S and
 * PLLSAI alike), LSI tsu(LSI) 15 us (40 us max), LSE crystal
 * tsu(LSE) 2 s. psramsim takes the maxima where the datasheet gives
 * them. */
enum osc { OSC_HSI, OSC_HSE, OSC_PLL, OSC_PLLI2S, OSC_PLLSAI, OSC_LSI,
	   OSC_LSE, OSC_COUNT };

static const struct {
	const char *name;
	uint32_t reg, on, rdy;
	uint64_t startup_ns;
} oscs[OSC_COUNT] = {
	[OSC_HSI] = {"HSI", CR, CR_HSION, CR_HSIRDY, 4000},
	[OSC_HSE] = {"HSE", CR, CR_HSEON, CR_HSERDY, 2000000},
	[OSC_PLL] = {"PLL", CR, CR_PLLON, CR_PLLRDY, 100000},
	[OSC_PLLI2S] = {"PLLI2S", CR, CR_PLLI2SON, CR_PLLI2SRDY, 100000},
	[OSC_PLLSAI] = {"PLLSAI", CR, CR_PLLSAION, CR_PLLSAIRDY, 100000},
	[OSC_LSI] = {"LSI", CSR, CSR_LSION, CSR_LSIRDY, 40000},
	[OSC_LSE] = {"LSE", BDCR, BDCR_LSEON, BDCR_LSERDY, 2000000000ULL},
};

struct rcc_f7 {
	uint32_t regs[RCC_F7_SIZE / 4];
	uint32_t pwr_cr1, pwr_csr1, pwr_cr2, pwr_csr2;
	uint32_t hse_hz;
	bool has_pllr;
	struct vclock *clk;
	uint64_t idle;			/* cycles that passed while halted */
	/* When each clock becomes ready (core cycles plus `idle`); 0: not
	 * starting. */
	uint64_t ready_at[OSC_COUNT];
	struct vclock_event settle_ev;	/* the next of ready_at[] */
	struct rcc_lines lines;	/* enable bits, reset hooks */
	unsigned pll_refused;		/* "does not lock" reported, by osc */
	rcc_f7_hclk_fn on_hclk;
	void *on_hclk_ctx;
	uint32_t warned_hclk;	/* last too-fast HCLK reported */
};

static uint32_t reg(const struct rcc_f7 *rcc, uint32_t off)
{
	return rcc->regs[off / 4];
}

/* Reset values, RM0385 §5, RCC registers (HSICAL is a per-die factory value;
 * this die has 0x6F). */
static const struct {
	uint32_t offset, value;
} reset_values[] = {
	{CR, 0x00006F83U},
	{PLLCFGR, 0x24003010U},
	{RCC_F7_AHB1ENR, 0x00100000U},	/* DTCMRAMEN */
	{0x050, 0x7EF7B7FFU},		/* AHB1LPENR */
	{0x054, 0x000000F1U},		/* AHB2LPENR */
	{0x058, 0x00000003U},		/* AHB3LPENR */
	{0x060, 0xFFFFCBFFU},		/* APB1LPENR */
	{0x064, 0x04F77F33U},		/* APB2LPENR */
	{0x084, 0x24003000U},		/* PLLI2SCFGR */
	{0x088, 0x24003000U},		/* PLLSAICFGR */
};

static void settle(struct rcc_f7 *rcc);

static uint64_t now(const struct rcc_f7 *rcc)
{
	return vclock_now(rcc->clk) + rcc->idle;
}

static void on_settle(void *ctx)
{
	settle(ctx);
}

/* RM0385 §5.1 (reset) and §5.3, RCC_CSR and RCC_BDCR: a system reset puts
 * the RCC and PWR registers back to their reset values except the reset
 * flags of RCC_CSR and the backup domain (RCC_BDCR), which only a power
 * reset clears. Every internal reset source drives NRST low through the
 * reset pulse generator (RM0385 §5.1.2, reset circuit), so a software reset
 * sets PINRSTF besides SFTRSTF. */
void rcc_f7_reset(struct rcc_f7 *rcc, enum rcc_f7_reset_cause cause)
{
	uint32_t flags = rcc->regs[CSR / 4] & CSR_FLAGS;
	uint32_t bdcr = rcc->regs[BDCR / 4];
	uint64_t lse_ready_at = rcc->ready_at[OSC_LSE];

	memset(rcc->regs, 0, sizeof(rcc->regs));
	for (size_t i = 0; i < sizeof(reset_values) / sizeof(reset_values[0]);
	     i++)
		rcc->regs[reset_values[i].offset / 4] = reset_values[i].value;
	memset(rcc->ready_at, 0, sizeof(rcc->ready_at));
	switch (cause) {
	case RCC_F7_POWER_ON:
		flags = CSR_PORRSTF | CSR_PINRSTF | CSR_BORRSTF;
		bdcr = 0;
		lse_ready_at = 0;
		break;
	case RCC_F7_PIN_RESET:
		flags |= CSR_PINRSTF;
		break;
	case RCC_F7_SOFTWARE_RESET:
		flags |= CSR_SFTRSTF | CSR_PINRSTF;
		break;
	}
	rcc->regs[CSR / 4] = flags;
	rcc->regs[BDCR / 4] = bdcr;
	rcc->ready_at[OSC_LSE] = lse_ready_at;
	/* RM0385 §4, PWR_CR1: VOS resets to scale 1; over-drive off. */
	rcc->pwr_cr1 = 0x0000C000U;
	rcc->pwr_csr1 = 0;
	rcc->pwr_cr2 = 0;
	rcc->pwr_csr2 = 0;
	rcc->warned_hclk = 0;
	rcc->clk->cpu_hz = rcc_f7_hclk_hz(rcc);
	settle(rcc);
}

struct rcc_f7 *rcc_f7_new(uint32_t hse_hz, bool has_pllr, struct vclock *clk)
{
	struct rcc_f7 *rcc = calloc(1, sizeof(*rcc));

	if (!rcc)
		abort();
	rcc->hse_hz = hse_hz;
	rcc->has_pllr = has_pllr;
	rcc->clk = clk;
	vclock_event_init(&rcc->settle_ev, on_settle, rcc);
	rcc_lines_init(&rcc->lines, rcc->regs);
	rcc_f7_reset(rcc, RCC_F7_POWER_ON);
	return rcc;
}

void rcc_f7_free(struct rcc_f7 *rcc)
{
	if (!rcc)
		return;
	vclock_cancel(rcc->clk, &rcc->settle_ev);
	free(rcc);
}

void rcc_f7_idle(struct rcc_f7 *rcc, uint64_t ns)
{
	rcc->idle += vclock_cycles_for_ns(rcc->clk, ns);
	settle(rcc);
}

static uint32_t pll_source_hz(const struct rcc_f7 *rcc)
{
	return (reg(rcc, PLLCFGR) & PLLCFGR_SRC_HSE) ? rcc->hse_hz : HSI_HZ;
}

/* RM0385 §5, RCC_PLLCFGR: PLLM 2..63 giving a VCO input of 1-2 MHz, PLLN
 * 50..432 giving a VCO output of 100-432 MHz. NULL when the PLL can lock, else
 * what is wrong. */
static const char *pll_config_error(const struct rcc_f7 *rcc,
				    uint32_t cfgr_off)
{
	uint32_t m = reg(rcc, PLLCFGR) & 0x3FU;
	uint32_t n = (reg(rcc, cfgr_off) >> 6) & 0x1FFU;
	uint64_t in, vco;

	if (m < 2)
		return "PLLM below 2";
	if (n < 50 || n > 432)
		return "PLLN outside 50..432";
	in = pll_source_hz(rcc) / m;
	if (in < 1 * MHZ || in > 2 * MHZ)
		return "VCO input outside 1-2 MHz";
	vco = in * n;
	if (vco < 100 * MHZ || vco > 432 * MHZ)
		return "VCO output outside 100-432 MHz";
	return NULL;
}

static uint32_t pllp_hz(const struct rcc_f7 *rcc)
{
	uint32_t v = reg(rcc, PLLCFGR);
	uint32_t m = v & 0x3FU, n = (v >> 6) & 0x1FFU;
	uint32_t p = 2 * (((v >> 16) & 3U) + 1);

	if (!(reg(rcc, CR) & CR_PLLRDY) || m == 0)
		return 0;
	return (uint32_t)((uint64_t)pll_source_hz(rcc) / m * n / p);
}

uint32_t rcc_f7_sysclk_hz(const struct rcc_f7 *rcc)
{
	switch ((reg(rcc, CFGR) >> 2) & 3U) {
	case SW_HSE:
		return rcc->hse_hz;
	case SW_PLL:
		return pllp_hz(rcc);
	default:
		return HSI_HZ;
	}
}

/* HPRE, RM0385 §5, RCC_CFGR: 0xxx /1, 1000 /2 ... 1111 /512 (no /32). */
static uint32_t ahb_divider(uint32_t field)
{
	static const uint32_t div[8] = {2, 4, 8, 16, 64, 128, 256, 512};

	return (field & 8U) ? div[field & 7U] : 1;
}

/* PPRE1/PPRE2: 0xx /1, 100 /2, 101 /4, 110 /8, 111 /16. */
static uint32_t apb_divider(uint32_t field)
{
	return (field & 4U) ? 2U << (field & 3U) : 1;
}

uint32_t rcc_f7_hclk_hz(const struct rcc_f7 *rcc)
{
	return rcc_f7_sysclk_hz(rcc) /
	       ahb_divider((reg(rcc, CFGR) >> 4) & 0xFU);
}

uint32_t rcc_f7_apb1_hz(const struct rcc_f7 *rcc)
{
	return rcc_f7_hclk_hz(rcc) /
	       apb_divider((reg(rcc, CFGR) >> 10) & 7U);
}

uint32_t rcc_f7_apb2_hz(const struct rcc_f7 *rcc)
{
	return rcc_f7_hclk_hz(rcc) /
	       apb_divider((reg(rcc, CFGR) >> 13) & 7U);
}

uint32_t rcc_f7_qspi_kernel_hz(const struct rcc_f7 *rcc)
{
	return rcc_f7_hclk_hz(rcc);
}

bool rcc_f7_overdrive_on(const struct rcc_f7 *rcc)
{
	return rcc->pwr_csr1 & CSR1_ODSWRDY;
}

/* RM0385 §4, over-drive / DS10916 general operating conditions: scale 3 up to
 * 144 MHz; scale 2 168 MHz, 180 with over-drive; scale 1 180 MHz, 216
 * with over-drive. With the PLL off the regulator is in scale 3. */
uint32_t rcc_f7_hclk_limit_hz(const struct rcc_f7 *rcc)
{
	uint32_t vos = (rcc->pwr_cr1 & CR1_VOS_MASK) >> CR1_VOS_SHIFT;
	bool od = rcc_f7_overdrive_on(rcc);

	if (!(reg(rcc, CR) & CR_PLLRDY))
		return 144 * MHZ;
	switch (vos) {
	case 3:
		return (od ? 216 : 180) * MHZ;
	case 2:
		return (od ? 180 : 168) * MHZ;
	default:
		return 144 * MHZ;
	}
}

/* The clock tree changed: the core clock follows, and a clock faster than
 * the regulator allows is reported (silicon then misbehaves in ways no
 * model can predict; psramsim keeps running and says so). */
static void clocks_changed(struct rcc_f7 *rcc)
{
	uint32_t hclk = rcc_f7_hclk_hz(rcc);
	uint32_t limit = rcc_f7_hclk_limit_hz(rcc);
	uint32_t apb1_max = (rcc_f7_overdrive_on(rcc) ? 54 : 45) * MHZ;
	uint32_t apb2_max = (rcc_f7_overdrive_on(rcc) ? 108 : 90) * MHZ;

	rcc->clk->cpu_hz = hclk;
	if (hclk > limit && hclk != rcc->warned_hclk) {
		rcc->warned_hclk = hclk;
		sim_log(LOG_GUEST_ERROR,
			"RCC: HCLK %u Hz exceeds the %u Hz that voltage scale "
			"%u %s over-drive allows (RM0385 §4, over-drive)",
			(unsigned)hclk, (unsigned)limit,
			4U - ((rcc->pwr_cr1 & CR1_VOS_MASK) >> CR1_VOS_SHIFT),
			rcc_f7_overdrive_on(rcc) ? "with" : "without");
	}
	if (rcc_f7_apb1_hz(rcc) > apb1_max || rcc_f7_apb2_hz(rcc) > apb2_max)
		sim_log(LOG_GUEST_ERROR,
			"RCC: APB1 %u Hz / APB2 %u Hz above the %u / %u Hz "
			"maximum (RM0385 §5)",
			(unsigned)rcc_f7_apb1_hz(rcc),
			(unsigned)rcc_f7_apb2_hz(rcc), (unsigned)apb1_max,
			(unsigned)apb2_max);
	if (rcc->on_hclk)
		rcc->on_hclk(rcc->on_hclk_ctx, hclk);
}

static bool source_ready(const struct rcc_f7 *rcc, uint32_t sw)
{
	uint32_t cr = reg(rcc, CR);

	switch (sw) {
	case SW_HSI:
		return cr & CR_HSIRDY;
	case SW_HSE:
		return cr & CR_HSERDY;
	case SW_PLL:
		return cr & CR_PLLRDY;
	default:
		return false;	/* 11: not allowed */
	}
}

/* Whether clock `i`, switched on, starts now: the HSE needs a crystal, the
 * three PLLs a ready input clock (HSI or HSE, PLLCFGR.PLLSRC), the main PLL
 * also a configuration inside its ranges (RM0385 §5, RCC_PLLCFGR). */
static bool can_start(struct rcc_f7 *rcc, enum osc i)
{
	const char *why;

	switch (i) {
	case OSC_HSE:
		return rcc->hse_hz != 0;
	case OSC_PLL:
	case OSC_PLLI2S:
	case OSC_PLLSAI:
		if (!(reg(rcc, CR) & ((reg(rcc, PLLCFGR) & PLLCFGR_SRC_HSE)
					      ? CR_HSERDY
					      : CR_HSIRDY)))
			return false;
		/* PLLI2S and PLLSAI share the main PLL's input divider and
		 * ranges; their N is in their own register. */
		why = pll_config_error(rcc, i == OSC_PLL	  ? PLLCFGR
					    : i == OSC_PLLI2S ? PLLI2SCFGR
							      : PLLSAICFGR);
		if (why && !(rcc->pll_refused & (1U << i))) {
			rcc->pll_refused |= 1U << i;
			sim_log(LOG_GUEST_ERROR,
				"RCC: %s switched on but does not lock: %s "
				"(RCC_PLLCFGR 0x%08x, RM0385 §5)",
				oscs[i].name, why, (unsigned)reg(rcc, PLLCFGR));
		}
		return !why;
	default:
		return true;
	}
}

/* Brings the ready flags and the system clock switch up to now: a clock
 * switched on becomes ready its start-up time later (never at once: a
 * driver that does not wait for the flag fails on silicon too), one
 * switched off is not ready at once; a system clock switch to a source
 * that was not ready happens when it becomes ready (RM0385 §5, clock
 * switch: "If a clock source that is not yet ready is selected, the
 * switch will occur when the clock source will be ready"), and SWS
 * follows. The next start-up to finish is queued as an event, so that
 * the flags change at that moment whoever looks. */
static void settle(struct rcc_f7 *rcc)
{
	uint64_t t = now(rcc), next = 0;
	uint32_t cfgr, sw;

	for (int i = 0; i < OSC_COUNT; i++) {
		uint32_t *r = &rcc->regs[oscs[i].reg / 4];

		if (!(*r & oscs[i].on)) {
			*r &= ~oscs[i].rdy;
			rcc->ready_at[i] = 0;
			rcc->pll_refused &= ~(1U << i);
			continue;
		}
		if (*r & oscs[i].rdy)
			continue;
		if (!rcc->ready_at[i]) {
			if (!can_start(rcc, (enum osc)i))
				continue;
			rcc->ready_at[i] =
				t + vclock_cycles_for_ns(rcc->clk,
							 oscs[i].startup_ns);
			if (rcc->ready_at[i] == t)
				rcc->ready_at[i]++;
		}
		if (t >= rcc->ready_at[i]) {
			*r |= oscs[i].rdy;
			rcc->ready_at[i] = 0;
			i = -1;		/* a PLL's input may now be ready */
			continue;
		}
		if (!next || rcc->ready_at[i] < next)
			next = rcc->ready_at[i];
	}
	if (next)
		vclock_schedule_at(rcc->clk, &rcc->settle_ev,
				   next > rcc->idle ? next - rcc->idle : 0);
	else
		vclock_cancel(rcc->clk, &rcc->settle_ev);
	cfgr = reg(rcc, CFGR);
	sw = cfgr & 3U;
	if (sw != ((cfgr >> 2) & 3U) && source_ready(rcc, sw)) {
		rcc->regs[CFGR / 4] = (cfgr & ~0xCU) | (sw << 2);
		clocks_changed(rcc);
	}
}

static void write_cr(struct rcc_f7 *rcc, uint32_t v)
{
	uint32_t sws = (reg(rcc, CFGR) >> 2) & 3U;
	uint32_t old = reg(rcc, CR);
	bool pll_src_hse = reg(rcc, PLLCFGR) & PLLCFGR_SRC_HSE;

	/* RM0385 §5, RCC_CR: an oscillator that clocks the system, directly or
	 * through the PLL, cannot be switched off. */
	if (sws == SW_HSI || (sws == SW_PLL && !pll_src_hse))
		v |= CR_HSION;
	if (sws == SW_HSE || (sws == SW_PLL && pll_src_hse))
		v |= CR_HSEON;
	if (sws == SW_PLL)
		v |= CR_PLLON;
	/* HSEBYP "can be written only if the HSE oscillator is disabled". */
	if (old & CR_HSEON)
		v = (v & ~CR_HSEBYP) | (old & CR_HSEBYP);
	rcc->regs[CR / 4] = (v & CR_WRITABLE) | (old & ~CR_WRITABLE);
	settle(rcc);
}

static void write_cfgr(struct rcc_f7 *rcc, uint32_t v)
{
	uint32_t sw = v & 3U;
	uint32_t old = reg(rcc, CFGR);

	/* RM0385 §5, RCC_CFGR: the switch happens once the source is ready
	 * (settle()); SWS tells which source clocks the system. */
	if (sw == 3U)
		sim_log(LOG_GUEST_ERROR,
			"RCC_CFGR: SW=11 is not allowed (RM0385 §5, RCC_CFGR); "
			"the system clock stays on source %u",
			(unsigned)((old >> 2) & 3U));
	else if (!source_ready(rcc, sw) && sw != ((old >> 2) & 3U))
		sim_log(LOG_GUEST_ERROR,
			"RCC_CFGR: SW=%u selects a clock that is not ready; "
			"the system clock stays on source %u until it is",
			(unsigned)sw, (unsigned)((old >> 2) & 3U));
	rcc->regs[CFGR / 4] = (v & CFGR_WRITABLE) | (old & 0xCU);
	settle(rcc);
}

/* RM0385 §5, RCC_BDCR: the register is in the backup domain, write-
 * protected until PWR_CR1.DBP is set (§4, backup domain access); LSEBYP
 * is writable only while the LSE is off; RTCSEL, once set, changes only
 * through a backup domain reset (BDRST), which clears the rest of the
 * register while it is set. */
static void write_bdcr(struct rcc_f7 *rcc, uint32_t v)
{
	uint32_t old = reg(rcc, BDCR);

	if (!(rcc->pwr_cr1 & CR1_DBP)) {
		sim_log(LOG_GUEST_ERROR,
			"RCC_BDCR <- 0x%08x with PWR_CR1.DBP clear: ignored "
			"(RM0385 §5, RCC_BDCR: write-protected backup domain)",
			(unsigned)v);
		return;
	}
	v &= BDCR_WRITABLE;
	if (v & (1U << 16)) {
		rcc->regs[BDCR / 4] = 1U << 16;
		settle(rcc);
		return;
	}
	if (old & BDCR_LSEON)
		v = (v & ~BDCR_LSEBYP) | (old & BDCR_LSEBYP);
	if ((old & BDCR_RTCSEL) && ((v ^ old) & BDCR_RTCSEL)) {
		sim_log(LOG_GUEST_ERROR,
			"RCC_BDCR.RTCSEL changed without a backup domain reset: "
			"ignored (RM0385 §5, RCC_BDCR)");
		v = (v & ~BDCR_RTCSEL) | (old & BDCR_RTCSEL);
	}
	rcc->regs[BDCR / 4] = v | (old & BDCR_LSERDY);
	settle(rcc);
}

static void write_pllcfgr(struct rcc_f7 *rcc, uint32_t v)
{
	uint32_t mask = PLLCFGR_WRITABLE | (rcc->has_pllr ? PLLCFGR_PLLR : 0);

	/* RM0385 §5, RCC_PLLCFGR: "written only when the PLL is disabled". */
	if (reg(rcc, CR) & CR_PLLON) {
		sim_log(LOG_GUEST_ERROR,
			"RCC_PLLCFGR written while the PLL is on: ignored "
			"(RM0385 §5, RCC_PLLCFGR)");
		return;
	}
	/* PLLM and PLLSRC divide and select the input of PLLI2S and PLLSAI
	 * as well: "written only when the PLL and PLLI2S are disabled". */
	if ((reg(rcc, CR) & (CR_PLLI2SON | CR_PLLSAION)) &&
	    ((v ^ reg(rcc, PLLCFGR)) & PLLCFGR_SHARED)) {
		sim_log(LOG_GUEST_ERROR,
			"RCC_PLLCFGR.PLLM/PLLSRC written while PLLI2S or PLLSAI "
			"is on: kept (RM0385 §5, RCC_PLLCFGR)");
		mask &= ~PLLCFGR_SHARED;
	}
	rcc->regs[PLLCFGR / 4] = (v & mask) | (reg(rcc, PLLCFGR) & ~mask);
}

/* The clock enable and dedicated clock registers keep the bits of the
 * blocks the part has (RM0385 §5 and RM0410 §5, RCC_AHBxENR, RCC_APBxENR,
 * RCC_DCKCFGR1/2); the rest are reserved and read 0. The F76x/77x add JPEG (AHB2), CAN3 (APB1), SDMMC2,
 * DSI, DFSDM1 and MDIOS (APB2). */
static uint32_t enr_writable(const struct rcc_f7 *rcc, uint32_t off)
{
	bool f76x = rcc->has_pllr;

	switch (off) {
	case RCC_F7_AHB1ENR:
		return 0x7EF417FFU;
	case 0x034U:	/* AHB2ENR */
		return f76x ? 0x000000F3U : 0x000000F1U;
	case RCC_F7_AHB3ENR:
		return 0x00000003U;
	case RCC_F7_APB1ENR:
		return f76x ? 0xFFFFEBFFU : 0xFFFFCBFFU;
	case 0x044U:	/* APB2ENR */
		return f76x ? 0x6CF77FB3U : 0x04F77F33U;
	/* The dedicated clock selections: DFSDM1SEL and ADFSDM1SEL
	 * (DCKCFGR1), SDMMC2SEL and DSISEL (DCKCFGR2) on the F76x only. */
	case 0x08CU:	/* DCKCFGR1 */
		return f76x ? 0x07F31F1FU : 0x01F31F1FU;
	case 0x090U:	/* DCKCFGR2 */
		return f76x ? 0x7FFFFFFFU : 0x1FFFFFFFU;
	default:
		return 0xFFFFFFFFU;
	}
}

/* RM0385 §5, RCC_PLLI2SCFGR and RCC_PLLSAICFGR: written only while that PLL
 * is off. */
static void write_pllx_cfgr(struct rcc_f7 *rcc, uint32_t off, uint32_t v)
{
	uint32_t on = off == PLLI2SCFGR ? CR_PLLI2SON : CR_PLLSAION;

	if (reg(rcc, CR) & on) {
		sim_log(LOG_GUEST_ERROR,
			"RCC_%s written while that PLL is on: ignored "
			"(RM0385 §5)", off == PLLI2SCFGR ? "PLLI2SCFGR"
							 : "PLLSAICFGR");
		return;
	}
	rcc->regs[off / 4] = v & PLLXCFGR_WRITABLE;
}

static bool rcc_read(void *dev, uint32_t off, unsigned size, uint32_t *value,
		     enum bus_master master)
{
	struct rcc_f7 *rcc = dev;

	(void)master;
	settle(rcc);
	*value = rcc_lines_read(&rcc->lines, off, size);
	return true;
}

static bool rcc_write(void *dev, uint32_t off, unsigned size, uint32_t value,
		      enum bus_master master)
{
	struct rcc_f7 *rcc = dev;
	uint32_t word = off & 0x3FCU;
	uint32_t old, v;

	(void)master;
	settle(rcc);
	old = rcc->regs[word / 4];
	v = rcc_lines_merge(old, off, size, value);
	switch (word) {
	case CR:
		write_cr(rcc, v);
		break;
	case PLLCFGR:
		write_pllcfgr(rcc, v);
		break;
	case CFGR:
		write_cfgr(rcc, v);
		break;
	case CIR:
		/* The flag-clear bits 23:16 are write-only; the flags they
		 * clear are never raised here (no CSS event, no ready
		 * interrupt is modelled). */
		rcc->regs[word / 4] = v & CIR_ENABLES;
		break;
	case BDCR:
		write_bdcr(rcc, v);
		break;
	case CSR:
		/* RMVF clears the reset flags; LSIRDY follows LSION
		 * (settle()). */
		rcc->regs[word / 4] =
			(v & CSR_LSION) | (old & CSR_LSIRDY) |
			((v & CSR_RMVF) ? 0 : old & CSR_FLAGS);
		settle(rcc);
		break;
	case PLLI2SCFGR:
	case PLLSAICFGR:
		write_pllx_cfgr(rcc, word, v);
		break;
	default:
		rcc->regs[word / 4] = v & enr_writable(rcc, word);
		break;
	}
	if (word >= 0x010U && word <= 0x024U)
		rcc_lines_reset(&rcc->lines, word, v & ~old);
	clocks_changed(rcc);
	return true;
}

const struct mmio_ops rcc_f7_ops = {rcc_read, rcc_write};

bool rcc_f7_read_stable(void *dev, uint32_t off)
{
	(void)dev;
	(void)off;
	return true;
}

static bool pwr_read(void *dev, uint32_t off, unsigned size, uint32_t *value,
		     enum bus_master master)
{
	struct rcc_f7 *rcc = dev;
	uint32_t v;

	(void)master;
	settle(rcc);
	switch (off & 0x3FCU) {
	case PWR_CR1:
		v = rcc->pwr_cr1;
		break;
	case PWR_CSR1:
		v = rcc->pwr_csr1;
		/* VOSRDY: the regulator has reached the selected scale,
		 * which it does once the PLL runs (RM0385 §4, PWR_CSR1). */
		if (reg(rcc, CR) & CR_PLLRDY)
			v |= CSR1_VOSRDY;
		break;
	case PWR_CR2:
		v = rcc->pwr_cr2;
		break;
	case PWR_CSR2:
		v = rcc->pwr_csr2;
		break;
	default:
		v = 0;
		break;
	}
	*value = v >> (8 * (off & 3U));
	if (size < 4)
		*value &= (1U << (8 * size)) - 1U;
	return true;
}

/* Over-drive, RM0385 §4, over-drive: ODEN starts the over-drive regulator
 * (ODRDY when ready), then ODSWEN switches the core supply to it
 * (ODSWRDY); both only while HSI or HSE clocks the system, and only in
 * scale 1 or 2. Clearing ODEN clears ODSWEN. */
static void write_pwr_cr1(struct rcc_f7 *rcc, uint32_t v)
{
	uint32_t old = rcc->pwr_cr1;
	uint32_t sws = (reg(rcc, CFGR) >> 2) & 3U;
	uint32_t vos;

	v &= CR1_WRITABLE;
	if (((v ^ old) & CR1_VOS_MASK) && (reg(rcc, CR) & CR_PLLON)) {
		sim_log(LOG_GUEST_ERROR,
			"PWR_CR1.VOS changed while the PLL is on: ignored "
			"(RM0385 §4, PWR_CR1)");
		v = (v & ~CR1_VOS_MASK) | (old & CR1_VOS_MASK);
	}
	vos = (v & CR1_VOS_MASK) >> CR1_VOS_SHIFT;
	if (((v ^ old) & (CR1_ODEN | CR1_ODSWEN)) && sws == SW_PLL) {
		sim_log(LOG_GUEST_ERROR,
			"PWR_CR1: over-drive enabled or switched while the PLL "
			"clocks the system: ignored (RM0385 §4, over-drive wants HSI "
			"or HSE as the system clock)");
		v = (v & ~(CR1_ODEN | CR1_ODSWEN)) |
		    (old & (CR1_ODEN | CR1_ODSWEN));
	}
	if (!(v & CR1_ODEN))
		v &= ~CR1_ODSWEN;
	if ((v & CR1_ODEN) && vos < 2) {
		sim_log(LOG_GUEST_ERROR,
			"PWR_CR1.ODEN in voltage scale 3: over-drive needs "
			"scale 1 or 2 (RM0385 §4, over-drive)");
		v &= ~(CR1_ODEN | CR1_ODSWEN);
	}
	if ((v & CR1_ODSWEN) && !(old & CR1_ODEN)) {
		/* ODSWEN in the same write as ODEN: ODRDY was not seen. */
		sim_log(LOG_GUEST_ERROR,
			"PWR_CR1.ODSWEN set before ODRDY: ignored "
			"(RM0385 §4, over-drive)");
		v &= ~CR1_ODSWEN;
	}
	rcc->pwr_cr1 = v;
	rcc->pwr_csr1 &= ~(CSR1_ODRDY | CSR1_ODSWRDY);
	if (v & CR1_ODEN)
		rcc->pwr_csr1 |= CSR1_ODRDY;
	if (v & CR1_ODSWEN)
		rcc->pwr_csr1 |= CSR1_ODSWRDY;
}

static uint32_t pwr_merge(uint32_t old, uint32_t off, unsigned size,
			  uint32_t value)
{
	return rcc_lines_merge(old, off, size, value);
}

static bool pwr_write(void *dev, uint32_t off, unsigned size, uint32_t value,
		      enum bus_master master)
{
	struct rcc_f7 *rcc = dev;
	uint32_t word = off & 0x3FCU;

	(void)master;
	settle(rcc);
	switch (word) {
	case PWR_CR1:
		/* CSBF clears the standby flag SBF. */
		if (pwr_merge(rcc->pwr_cr1, off, size, value) & CR1_CSBF)
			rcc->pwr_csr1 &= ~CSR1_SBF;
		write_pwr_cr1(rcc, pwr_merge(rcc->pwr_cr1, off, size, value));
		break;
	case PWR_CSR1:
		/* EIWUP (8) and BRE (9) are the writable bits; BRR tells the
		 * backup regulator BRE enables is ready (its start-up time
		 * is not modelled). */
		rcc->pwr_csr1 = (rcc->pwr_csr1 & ~(0x300U | CSR1_BRR)) |
				(pwr_merge(rcc->pwr_csr1, off, size, value) &
				 0x300U);
		if (rcc->pwr_csr1 & CSR1_BRE)
			rcc->pwr_csr1 |= CSR1_BRR;
		break;
	case PWR_CR2:
		/* WUPP1-6 (13:8); CWUPF1-6 (5:0) are write-only, read 0. */
		rcc->pwr_cr2 = pwr_merge(rcc->pwr_cr2, off, size, value) &
			       0x00003F00U;
		break;
	case PWR_CSR2:
		rcc->pwr_csr2 = pwr_merge(rcc->pwr_csr2, off, size, value) &
				0x00003F00U;
		break;
	default:
		break;
	}
	clocks_changed(rcc);
	return true;
}

const struct mmio_ops pwr_f7_ops = {pwr_read, pwr_write};

bool rcc_f7_gate_on(void *gate_ctx)
{
	return rcc_lines_gate_on(gate_ctx);
}

struct rcc_f7_gate *rcc_f7_gate(struct rcc_f7 *rcc, uint32_t enr_offset,
				unsigned bit)
{
	return (struct rcc_f7_gate *)rcc_lines_gate(&rcc->lines, enr_offset,
						    bit);
}

void rcc_f7_on_reset(struct rcc_f7 *rcc, uint32_t rstr_offset, unsigned bit,
		     rcc_f7_reset_fn fn, void *ctx)
{
	rcc_lines_on_reset(&rcc->lines, rstr_offset, bit, fn, ctx);
}

struct rcc_lines *rcc_f7_lines(struct rcc_f7 *rcc)
{
	return &rcc->lines;
}

void rcc_f7_on_hclk(struct rcc_f7 *rcc, rcc_f7_hclk_fn fn, void *ctx)
{
	rcc->on_hclk = fn;
	rcc->on_hclk_ctx = ctx;
}
