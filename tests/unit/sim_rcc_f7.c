/* STM32F7 RCC and PWR: the reset clock, the 216 MHz over-drive sequence
 * of cfg/boards/psram-stm32f7-common.cfg, the PLL's lock ranges and the
 * over-drive rules (RM0385 §4, §5). */
#include "unit.h"

#include "bus.h"
#include "util/log.h"
#include "periph/rcc_f7.h"

#define RCC_CR 0x00U
#define RCC_PLLCFGR 0x04U
#define RCC_CFGR 0x08U
#define PWR_CR1 0x00U
#define PWR_CSR1 0x04U
#define ODRDY (1U << 16)
#define ODSWRDY (1U << 17)

static struct vclock clk;

static struct rcc_f7 *fresh(uint32_t hse_hz)
{
	sim_log_quiet(1);
	clk.cycles = 0;
	clk.cpu_hz = 0;
	return rcc_f7_new(hse_hz, false, &clk);
}

static void w(struct rcc_f7 *r, uint32_t off, uint32_t v)
{
	rcc_f7_ops.write(r, off, 4, v, BUS_MASTER_CPU);
}

static uint32_t rd(struct rcc_f7 *r, uint32_t off)
{
	uint32_t v = 0;

	rcc_f7_ops.read(r, off, 4, &v, BUS_MASTER_CPU);
	return v;
}

static void pw(struct rcc_f7 *r, uint32_t off, uint32_t v)
{
	pwr_f7_ops.write(r, off, 4, v, BUS_MASTER_CPU);
}

static uint32_t prd(struct rcc_f7 *r, uint32_t off)
{
	uint32_t v = 0;

	pwr_f7_ops.read(r, off, 4, &v, BUS_MASTER_CPU);
	return v;
}

/* HSE 25 MHz, PLL M 25 N 432 P 2 Q 9. */
#define PLLCFGR_216 (0x20000000U | 9U << 24 | 1U << 22 | 432U << 6 | 25U)
#define HSERDY (1U << 17)
#define PLLRDY (1U << 25)
#define RCC_CIR 0x0CU
#define RCC_BDCR 0x70U
#define RCC_CSR 0x74U
#define US 1000ULL

/* HSE on, 2 ms for it to start, PLL on, 100 us to lock (DS10916). */
static void pll_on(struct rcc_f7 *r, uint32_t pllcfgr)
{
	w(r, RCC_CR, rd(r, RCC_CR) | 0x00010000U);
	rcc_f7_idle(r, 2000 * US);
	w(r, RCC_PLLCFGR, pllcfgr);
	w(r, RCC_CR, rd(r, RCC_CR) | 0x01000000U);
	rcc_f7_idle(r, 100 * US);
}

static void reset_hsi_16mhz(void)
{
	struct rcc_f7 *r = fresh(25000000);

	CHECK_EQ(rd(r, RCC_CR) & 3U, 3U);
	CHECK_EQ(rd(r, RCC_PLLCFGR), 0x24003010U);
	CHECK_EQ(rcc_f7_hclk_hz(r), 16000000U);
	CHECK_EQ(rcc_f7_qspi_kernel_hz(r), 16000000U);
	CHECK_EQ(clk.cpu_hz, 16000000U);
	CHECK_EQ(prd(r, PWR_CR1), 0x0000C000U);
	rcc_f7_free(r);
}

static void overdrive_216mhz(void)
{
	struct rcc_f7 *r = fresh(25000000);

	pll_on(r, PLLCFGR_216);
	CHECK(rd(r, RCC_CR) & 0x02000000U);
	pw(r, PWR_CR1, prd(r, PWR_CR1) | ODRDY);
	CHECK(prd(r, PWR_CSR1) & ODRDY);
	pw(r, PWR_CR1, prd(r, PWR_CR1) | ODSWRDY);
	CHECK(prd(r, PWR_CSR1) & ODSWRDY);
	CHECK(prd(r, PWR_CSR1) & (1U << 14)); /* VOSRDY with the PLL on */
	w(r, RCC_CFGR, 0x00009400U);
	w(r, RCC_CFGR, 0x00009402U);
	CHECK_EQ(rd(r, RCC_CFGR) & 0xCU, 0x8U);
	CHECK_EQ(rcc_f7_hclk_hz(r), 216000000U);
	CHECK_EQ(rcc_f7_apb1_hz(r), 54000000U);
	CHECK_EQ(rcc_f7_apb2_hz(r), 108000000U);
	CHECK_EQ(rcc_f7_qspi_kernel_hz(r), 216000000U);
	CHECK_EQ(rcc_f7_hclk_limit_hz(r), 216000000U);
	CHECK_EQ(clk.cpu_hz, 216000000U);
	rcc_f7_free(r);
}

/* Without over-drive, scale 1 allows 180 MHz. */
static void no_overdrive_limit_180mhz(void)
{
	struct rcc_f7 *r = fresh(25000000);

	pll_on(r, PLLCFGR_216);
	CHECK_EQ(rcc_f7_hclk_limit_hz(r), 180000000U);
	rcc_f7_free(r);
}

/* ODSWEN with the PLL as system clock, or before ODRDY, is refused. */
static void overdrive_rules(void)
{
	struct rcc_f7 *r = fresh(25000000);

	pll_on(r, PLLCFGR_216);
	pw(r, PWR_CR1, prd(r, PWR_CR1) | ODRDY | ODSWRDY);
	CHECK_EQ(prd(r, PWR_CSR1) & ODSWRDY, 0U);
	CHECK(prd(r, PWR_CSR1) & ODRDY);
	pw(r, PWR_CR1, prd(r, PWR_CR1) & ~ODRDY);
	CHECK_EQ(prd(r, PWR_CSR1) & (ODRDY | ODSWRDY), 0U);
	w(r, RCC_CFGR, 2U);
	pw(r, PWR_CR1, prd(r, PWR_CR1) | ODRDY);
	CHECK_EQ(prd(r, PWR_CSR1) & ODRDY, 0U);
	/* VOS is locked while the PLL runs. */
	pw(r, PWR_CR1, (prd(r, PWR_CR1) & ~0xC000U) | 0x4000U);
	CHECK_EQ(prd(r, PWR_CR1) & 0xC000U, 0xC000U);
	rcc_f7_free(r);
}

/* RM0385 §5, RCC_PLLCFGR: VCO input 1-2 MHz and output 100-432 MHz, else
 * no lock; PLLCFGR is read-only while the PLL is on. */
static void pll_ranges_and_lock(void)
{
	struct rcc_f7 *r = fresh(25000000);

	pll_on(r, (PLLCFGR_216 & ~0x3FU) | 10U); /* 2.5 MHz input */
	CHECK_EQ(rd(r, RCC_CR) & 0x02000000U, 0U);
	w(r, RCC_CFGR, 2U);
	CHECK_EQ(rd(r, RCC_CFGR) & 0xCU, 0U);
	w(r, RCC_CR, rd(r, RCC_CR) & ~0x01000000U);
	pll_on(r, (PLLCFGR_216 & ~(0x1FFU << 6)) | 440U << 6);
	CHECK_EQ(rd(r, RCC_CR) & 0x02000000U, 0U);
	w(r, RCC_CR, rd(r, RCC_CR) & ~0x01000000U);
	pll_on(r, PLLCFGR_216);
	CHECK(rd(r, RCC_CR) & 0x02000000U);
	w(r, RCC_PLLCFGR, 0x24003010U);
	CHECK_EQ(rd(r, RCC_PLLCFGR) & 0x0F437FFFU, PLLCFGR_216 & 0x0F437FFFU);
	rcc_f7_free(r);
}

/* No crystal: HSE never ready, so neither is a PLL on it. */
static void absent_crystal(void)
{
	struct rcc_f7 *r = fresh(0);

	pll_on(r, PLLCFGR_216);
	CHECK_EQ(rd(r, RCC_CR) & 0x02020000U, 0U);
	CHECK_EQ(rcc_f7_hclk_hz(r), 16000000U);
	rcc_f7_free(r);
}

static int resets;

static void count_reset(void *ctx)
{
	(void)ctx;
	resets++;
}

static void gates_and_resets(void)
{
	struct rcc_f7 *r = fresh(25000000);
	struct rcc_f7_gate *g = rcc_f7_gate(r, RCC_F7_AHB3ENR,
					    RCC_F7_AHB3_QSPI);

	resets = 0;
	rcc_f7_on_reset(r, RCC_F7_AHB3RSTR, RCC_F7_AHB3_QSPI, count_reset,
			NULL);
	CHECK(!rcc_f7_gate_on(g));
	w(r, RCC_F7_AHB3ENR, 2U);
	CHECK(rcc_f7_gate_on(g));
	w(r, RCC_F7_AHB3RSTR, 2U);
	w(r, RCC_F7_AHB3RSTR, 0U);
	CHECK_EQ(resets, 1);
	rcc_f7_free(r);
}

/* Ready flags come a start-up time after ON, never at once (DS10916:
 * tsu(HSE) 2 ms, PLL lock 100 us), and go at once with OFF. */
static void ready_timing(void)
{
	struct rcc_f7 *r = fresh(25000000);

	w(r, RCC_CR, rd(r, RCC_CR) | 0x00010000U);
	CHECK_EQ(rd(r, RCC_CR) & HSERDY, 0U);
	rcc_f7_idle(r, 1900 * US);
	CHECK_EQ(rd(r, RCC_CR) & HSERDY, 0U);
	rcc_f7_idle(r, 100 * US);
	CHECK(rd(r, RCC_CR) & HSERDY);
	w(r, RCC_PLLCFGR, PLLCFGR_216);
	w(r, RCC_CR, rd(r, RCC_CR) | 0x01000000U);
	CHECK_EQ(rd(r, RCC_CR) & PLLRDY, 0U);
	/* The CPU's own cycles count as well as halted time. */
	clk.cycles += 16 * 99;
	CHECK_EQ(rd(r, RCC_CR) & PLLRDY, 0U);
	clk.cycles += 16;
	CHECK(rd(r, RCC_CR) & PLLRDY);
	w(r, RCC_CR, rd(r, RCC_CR) & ~0x01000000U);
	CHECK_EQ(rd(r, RCC_CR) & PLLRDY, 0U);
	rcc_f7_free(r);
}

/* RM0385 §5, clock switch: SW naming a clock not yet ready switches when
 * it becomes ready; until then SWS keeps the old source. SW=11 is not
 * allowed. */
static void pending_switch(void)
{
	struct rcc_f7 *r = fresh(25000000);

	w(r, RCC_CR, rd(r, RCC_CR) | 0x00010000U);
	w(r, RCC_CFGR, 1U);
	CHECK_EQ(rd(r, RCC_CFGR), 1U);
	CHECK_EQ(clk.cpu_hz, 16000000U);
	rcc_f7_idle(r, 2000 * US);
	CHECK_EQ(rd(r, RCC_CFGR), 0x5U);
	CHECK_EQ(clk.cpu_hz, 25000000U);
	w(r, RCC_CFGR, 3U);
	CHECK_EQ(rd(r, RCC_CFGR) & 0xCU, 0x4U);
	/* Reserved bits 9:8 read 0. */
	w(r, RCC_CFGR, 0x301U);
	CHECK_EQ(rd(r, RCC_CFGR), 0x5U);
	rcc_f7_free(r);
}

/* RM0385 §5.3, RCC_CSR: POR sets PORRSTF, PINRSTF and BORRSTF (reset value
 * 0x0E000000); RMVF clears them; a system reset keeps them and adds its
 * own: NRST PINRSTF, a software reset SFTRSTF and PINRSTF (the internal
 * reset drives NRST). */
static void reset_flags(void)
{
	struct rcc_f7 *r = fresh(25000000);

	CHECK_EQ(rd(r, RCC_CSR), 0x0E000000U);
	w(r, RCC_CSR, 0x01000000U);
	CHECK_EQ(rd(r, RCC_CSR), 0U);
	rcc_f7_reset(r, RCC_F7_SOFTWARE_RESET);
	CHECK_EQ(rd(r, RCC_CSR), 0x14000000U);
	w(r, RCC_CSR, 1U);	/* LSION leaves the flags alone */
	CHECK_EQ(rd(r, RCC_CSR) & 0xFF000000U, 0x14000000U);
	w(r, RCC_CSR, 0x01000000U);
	rcc_f7_reset(r, RCC_F7_PIN_RESET);
	CHECK_EQ(rd(r, RCC_CSR), 0x04000000U);
	rcc_f7_reset(r, RCC_F7_POWER_ON);
	CHECK_EQ(rd(r, RCC_CSR), 0x0E000000U);
	rcc_f7_free(r);
}

/* LSI: LSIRDY 40 us after LSION (tsu(LSI) max). LSE: RCC_BDCR is write-
 * protected until PWR_CR1.DBP; LSERDY 2 s after LSEON (tsu(LSE)); the
 * backup domain survives a system reset, not a power-on reset; BDRST
 * clears it. */
static void low_speed_clocks(void)
{
	struct rcc_f7 *r = fresh(25000000);

	w(r, RCC_CSR, 1U);
	CHECK_EQ(rd(r, RCC_CSR) & 2U, 0U);
	rcc_f7_idle(r, 40 * US);
	CHECK_EQ(rd(r, RCC_CSR) & 3U, 3U);
	rcc_f7_reset(r, RCC_F7_SOFTWARE_RESET);
	CHECK_EQ(rd(r, RCC_CSR) & 3U, 0U);
	w(r, RCC_BDCR, 1U);
	CHECK_EQ(rd(r, RCC_BDCR), 0U);
	pw(r, PWR_CR1, prd(r, PWR_CR1) | 0x100U);
	w(r, RCC_BDCR, 0x101U);	/* LSEON, RTCSEL LSE */
	CHECK_EQ(rd(r, RCC_BDCR), 0x101U);
	rcc_f7_idle(r, 1999000 * US);
	CHECK_EQ(rd(r, RCC_BDCR) & 2U, 0U);
	rcc_f7_idle(r, 1000 * US);
	CHECK_EQ(rd(r, RCC_BDCR), 0x103U);
	w(r, RCC_BDCR, 0x201U);	/* RTCSEL is set once */
	CHECK_EQ(rd(r, RCC_BDCR), 0x103U);
	rcc_f7_reset(r, RCC_F7_PIN_RESET);
	CHECK_EQ(rd(r, RCC_BDCR), 0x103U);
	pw(r, PWR_CR1, prd(r, PWR_CR1) | 0x100U);
	w(r, RCC_BDCR, 0x10000U);
	CHECK_EQ(rd(r, RCC_BDCR), 0x10000U);
	w(r, RCC_BDCR, 0x1U);
	rcc_f7_reset(r, RCC_F7_POWER_ON);
	CHECK_EQ(rd(r, RCC_BDCR), 0U);
	rcc_f7_free(r);
}

/* RCC_CIR keeps its enables (14:8); HSEBYP is frozen while HSE is on. */
static void cir_and_hsebyp(void)
{
	struct rcc_f7 *r = fresh(25000000);

	w(r, RCC_CIR, 0xFFFFFFFFU);
	CHECK_EQ(rd(r, RCC_CIR), 0x00007F00U);
	w(r, RCC_CR, rd(r, RCC_CR) | 0x00010000U);
	w(r, RCC_CR, rd(r, RCC_CR) | 0x00040000U);
	CHECK_EQ(rd(r, RCC_CR) & 0x00040000U, 0U);
	rcc_f7_free(r);
}

/* Every RCC register is called event-stable (cpu/idle.c may skip a loop
 * that polls them): none may change between events while HSE starts, the
 * PLL locks and a pending switch to it completes. */
static void registers_change_only_at_events(void)
{
	static uint32_t before[256];
	struct rcc_f7 *r = fresh(25000000);
	unsigned events = 0;

	w(r, RCC_PLLCFGR, PLLCFGR_216);
	w(r, RCC_CR, rd(r, RCC_CR) | 0x01010000U);
	w(r, RCC_CFGR, 0x00009402U);
	while (vclock_next_event(&clk) != VCLOCK_NEVER && events < 4) {
		for (uint32_t off = 0; off < 0x400; off += 4) {
			CHECK(rcc_f7_read_stable(r, off));
			before[off / 4] = rd(r, off);
		}
		clk.cycles = vclock_next_event(&clk) - 1;
		for (uint32_t off = 0; off < 0x400; off += 4)
			CHECK_EQ(rd(r, off), before[off / 4]);
		vclock_advance_to(&clk, clk.cycles + 1);
		events++;
	}
	CHECK_EQ(events, 2);
	CHECK_EQ(rd(r, RCC_CFGR) & 0xCU, 0x8U);
	CHECK_EQ(clk.cpu_hz, 216000000U);
	rcc_f7_free(r);
}

/* Reserved bits of the clock enable registers read 0 (RM0385/RM0410 §5,
 * RCC_AHBxENR/APBxENR; the F76x adds JPEG, CAN3, SDMMC2, DSI, DFSDM1 and
 * MDIOS); APB2LPENR resets with every LPEN bit set, LTDCLPEN included. */
static void enable_register_bits(void)
{
	static const struct {
		uint32_t off, f74x, f76x;
	} enr[] = {
		{0x30, 0x7EF417FFU, 0x7EF417FFU},	/* AHB1ENR */
		{0x34, 0x000000F1U, 0x000000F3U},	/* AHB2ENR */
		{0x38, 0x00000003U, 0x00000003U},	/* AHB3ENR */
		{0x40, 0xFFFFCBFFU, 0xFFFFEBFFU},	/* APB1ENR */
		{0x44, 0x04F77F33U, 0x6CF77FB3U},	/* APB2ENR */
		{0x8C, 0x01F31F1FU, 0x07F31F1FU},	/* DCKCFGR1 */
		{0x90, 0x1FFFFFFFU, 0x7FFFFFFFU},	/* DCKCFGR2 */
	};

	for (int f76x = 0; f76x < 2; f76x++) {
		struct rcc_f7 *r = fresh(25000000);

		if (f76x) {
			rcc_f7_free(r);
			r = rcc_f7_new(25000000, true, &clk);
		}
		CHECK_EQ(rd(r, 0x64), 0x04F77F33U);
		for (unsigned i = 0; i < sizeof(enr) / sizeof(enr[0]); i++) {
			w(r, enr[i].off, 0xFFFFFFFFU);
			CHECK_EQ(rd(r, enr[i].off),
				 f76x ? enr[i].f76x : enr[i].f74x);
		}
		rcc_f7_free(r);
	}
}

/* RM0385 §5, RCC_PLLI2SCFGR / RCC_PLLSAICFGR: written only while their PLL
 * is off; PLLM and PLLSRC in RCC_PLLCFGR feed all three PLLs and are
 * written only while PLLI2S (and PLLSAI) are off too. */
static void i2s_sai_plls_locked_while_on(void)
{
	struct rcc_f7 *r = fresh(25000000);

	w(r, 0x84, 0xFFFFFFFFU);
	CHECK_EQ(rd(r, 0x84), 0x7F037FC0U);
	/* N = 20: a 20 MHz VCO, outside 100-432 MHz, never locks. */
	w(r, 0x84, 0x24000000U | 20U << 6);
	w(r, RCC_CR, rd(r, RCC_CR) | (1U << 26));	/* PLLI2SON */
	rcc_f7_idle(r, 1000 * US);
	CHECK_EQ(rd(r, RCC_CR) & (1U << 27), 0U);
	w(r, RCC_CR, rd(r, RCC_CR) & ~(1U << 26));
	w(r, 0x84, 0x24003000U);
	w(r, RCC_CR, rd(r, RCC_CR) | (1U << 26));
	rcc_f7_idle(r, 100 * US);
	CHECK(rd(r, RCC_CR) & (1U << 27));
	w(r, 0x84, 0x24003100U);
	CHECK_EQ(rd(r, 0x84), 0x24003000U);
	w(r, RCC_PLLCFGR, PLLCFGR_216);
	CHECK_EQ(rd(r, RCC_PLLCFGR) & 0x0040003FU, 0x00000010U);
	CHECK_EQ(rd(r, RCC_PLLCFGR) & 0x7FC0U, 432U << 6);
	w(r, RCC_CR, rd(r, RCC_CR) | (1U << 28));	/* PLLSAION */
	w(r, 0x88, 0x24003100U);
	CHECK_EQ(rd(r, 0x88), 0x24003000U);
	rcc_f7_free(r);
}

/* RM0385 §4, PWR registers: CSBF (CR1 bit 3) and CWUPF1-6 (CR2 5:0) are
 * write-only and read 0; BRR (CSR1 bit 3) reports the backup regulator
 * ready once BRE (bit 9) enables it, as HAL_PWREx_EnableBkUpReg waits
 * for. */
static void pwr_write_only_bits_and_brr(void)
{
	struct rcc_f7 *r = fresh(25000000);

	pw(r, PWR_CR1, prd(r, PWR_CR1) | 0x8U);
	CHECK_EQ(prd(r, PWR_CR1) & 0x8U, 0U);
	pw(r, 0x08U, 0x00003F3FU);
	CHECK_EQ(prd(r, 0x08U), 0x00003F00U);
	pw(r, PWR_CSR1, 1U << 9);
	CHECK_EQ(prd(r, PWR_CSR1) & 0x208U, 0x208U);
	pw(r, PWR_CSR1, 0);
	CHECK_EQ(prd(r, PWR_CSR1) & 0x208U, 0U);
	rcc_f7_free(r);
}

UNIT_MAIN("sim_rcc_f7", UNIT_TEST(pwr_write_only_bits_and_brr), UNIT_TEST(enable_register_bits),
	  UNIT_TEST(i2s_sai_plls_locked_while_on), UNIT_TEST(registers_change_only_at_events), UNIT_TEST(ready_timing), UNIT_TEST(pending_switch),
	  UNIT_TEST(reset_flags), UNIT_TEST(low_speed_clocks),
	  UNIT_TEST(cir_and_hsebyp), UNIT_TEST(reset_hsi_16mhz),
	  UNIT_TEST(overdrive_216mhz), UNIT_TEST(no_overdrive_limit_180mhz),
	  UNIT_TEST(overdrive_rules), UNIT_TEST(pll_ranges_and_lock),
	  UNIT_TEST(absent_crystal), UNIT_TEST(gates_and_resets))
