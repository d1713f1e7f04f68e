/* The STM32H7A3 power and clock registers (RM0455 §6.8, §8.7): the
 * once-only supply configuration, voltage scaling with its ready bits, the
 * reset-status register and peripheral enables at their RM0455 offsets,
 * and the 280 MHz VOS0 setup of cfg/boards/devebox-h7a3.cfg. */
#include "unit.h"

#include "bus.h"
#include "periph/clock_guard.h"
#include "periph/pwr_h7a3.h"
#include "periph/rcc_h7a3.h"
#include "util/log.h"

static struct vclock clk;

static void pw(struct pwr_h7a3 *p, uint32_t off, uint32_t v)
{
	pwr_h7a3_ops.write(p, off, 4, v, BUS_MASTER_CPU);
}

static uint32_t prd(struct pwr_h7a3 *p, uint32_t off)
{
	uint32_t v = 0;

	pwr_h7a3_ops.read(p, off, 4, &v, BUS_MASTER_CPU);
	return v;
}

static void rw(struct rcc *r, uint32_t off, uint32_t v)
{
	rcc_ops.write(r, off, 4, v, BUS_MASTER_CPU);
}

static uint32_t rrd(struct rcc *r, uint32_t off)
{
	uint32_t v = 0;

	rcc_ops.read(r, off, 4, &v, BUS_MASTER_CPU);
	return v;
}

static void supply_written_once(void)
{
	struct pwr_h7a3 *p;

	sim_log_quiet(1);
	p = pwr_h7a3_new();
	CHECK_EQ(prd(p, PWR_H7A3_CR3) & 0xFFU, 0x06U);
	CHECK(pwr_h7a3_supply_ok(p));
	pw(p, PWR_H7A3_CR3, 0x02);	/* LDO */
	CHECK_EQ(prd(p, PWR_H7A3_CR3) & 0xFFU, 0x02U);
	pw(p, PWR_H7A3_CR3, 0x04);	/* SMPS: locked, ignored */
	CHECK_EQ(prd(p, PWR_H7A3_CR3) & 0xFFU, 0x02U);
	CHECK(pwr_h7a3_supply_ok(p));
	/* A system reset keeps the lock; a power-on reset lifts it. */
	pwr_h7a3_reset(p);
	pw(p, PWR_H7A3_CR3, 0x04);
	CHECK_EQ(prd(p, PWR_H7A3_CR3) & 0xFFU, 0x02U);
	pwr_h7a3_power_on(p);
	pw(p, PWR_H7A3_CR3, 0x04);
	CHECK_EQ(prd(p, PWR_H7A3_CR3) & 0xFFU, 0x04U);
	/* No step-down converter in this package: out of regulation. */
	CHECK(!pwr_h7a3_supply_ok(p));
	CHECK_EQ(prd(p, PWR_H7A3_CSR1) & (1U << 13), 0U);
	pw(p, PWR_H7A3_SRDCR, 0xC000);
	CHECK_EQ(prd(p, PWR_H7A3_SRDCR), 0xC000U);
	pwr_h7a3_free(p);
}

/* PWR_CR2 is in the backup domain: DBP first, kept by a system reset,
 * cleared at power-on. */
static void backup_regulator_needs_dbp(void)
{
	struct pwr_h7a3 *p = pwr_h7a3_new();
	unsigned long errs = sim_log_count(LOG_GUEST_ERROR);

	pw(p, PWR_H7A3_CR2, 1U);
	CHECK_EQ(prd(p, PWR_H7A3_CR2), 0U);
	CHECK(sim_log_count(LOG_GUEST_ERROR) > errs);
	pw(p, PWR_H7A3_CR1, prd(p, PWR_H7A3_CR1) | 1U << 8);
	pw(p, PWR_H7A3_CR2, 1U);
	CHECK_EQ(prd(p, PWR_H7A3_CR2), 0x00010001U);
	pwr_h7a3_reset(p);
	CHECK_EQ(prd(p, PWR_H7A3_CR1) & (1U << 8), 0U);
	CHECK_EQ(prd(p, PWR_H7A3_CR2), 0x00010001U);
	pwr_h7a3_power_on(p);
	CHECK_EQ(prd(p, PWR_H7A3_CR2), 0U);
	pwr_h7a3_free(p);
}

static void voltage_scaling_ready(void)
{
	struct pwr_h7a3 *p = pwr_h7a3_new();

	CHECK_EQ(pwr_h7a3_vos(p), 3U);
	CHECK_EQ(prd(p, PWR_H7A3_SRDCR), 0x2000U);
	pw(p, PWR_H7A3_SRDCR, 0xC000);
	CHECK_EQ(prd(p, PWR_H7A3_SRDCR), 0xE000U);
	CHECK_EQ(prd(p, PWR_H7A3_CSR1), 0xE000U);
	CHECK_EQ(pwr_h7a3_vos(p), 0U);
	pwr_h7a3_free(p);
}

static void clocks_280mhz(void)
{
	struct rcc *r = rcc_new_family(&rcc_family_h7a3, 25000000, &clk);

	CHECK_EQ(rcc_cpu_hz(r), 64000000U);
	CHECK_EQ(rrd(r, 0x000), 0x0000C025U);
	/* The sequence of cfg/boards/devebox-h7a3.cfg. */
	rw(r, 0x00, rrd(r, 0x00) | 0x00010000U);
	/* HSE start-up and PLL lock take time (DS12110; the board file's
	 * waits let it pass). */
	vclock_advance_to(&clk, clk.cycles + 10000000ULL);
	rw(r, 0x28, 0x02020052U);
	rw(r, 0x2C, 0x01FF0008U);
	rw(r, 0x30, 111U | 1U << 9 | 3U << 16 | 1U << 24);
	rw(r, 0x00, rrd(r, 0x00) | 0x01000000U);
	vclock_advance_to(&clk, clk.cycles + 10000000ULL);
	CHECK(rrd(r, 0x00) & 0x02000000U);
	rw(r, 0x18, 0x40);
	rw(r, 0x10, (rrd(r, 0x10) & ~7U) | 3U);
	CHECK_EQ(rrd(r, 0x10) & 0x38U, 0x18U);
	CHECK_EQ(rcc_cpu_hz(r), 280000000U);
	CHECK_EQ(clk.cpu_hz, 280000000U);
	/* CDCCIPR.OCTOSPISEL = 0: rcc_hclk3; 2: pll2_r_ck (off). */
	CHECK_EQ(rcc_qspi_kernel_hz(r), 280000000U);
	rw(r, 0x4C, 2U << 4);
	CHECK_EQ(rcc_qspi_kernel_hz(r), 0U);
	rcc_free(r);
}

/* The line's clock limits per voltage scale (DS13195; 280/225/160/88
 * MHz in VOS0..3): 280 MHz at VOS3 is a guest error, VOS0 puts it right. */
static void clock_limits_per_vos(void)
{
	struct rcc *r = rcc_new_family(&rcc_family_h7a3, 25000000, &clk);
	struct pwr_h7a3 *p = pwr_h7a3_new();
	struct clock_guard g;

	clock_guard_init_h7a3(&g, r, p);
	rcc_on_clock_change(r, clock_guard_check, &g);
	pwr_h7a3_on_change(p, clock_guard_check, &g);
	clock_guard_check(&g);
	CHECK_EQ(g.broken, 0U);
	rw(r, 0x00, rrd(r, 0x00) | 0x00010000U);
	vclock_advance_to(&clk, clk.cycles + 10000000ULL);
	rw(r, 0x28, 0x02020052U);
	rw(r, 0x2C, 0x01FF0008U);
	rw(r, 0x30, 111U | 1U << 9 | 3U << 16 | 1U << 24);
	rw(r, 0x00, rrd(r, 0x00) | 0x01000000U);
	vclock_advance_to(&clk, clk.cycles + 10000000ULL);
	rw(r, 0x10, 3U); /* 280 MHz at VOS3 */
	CHECK_EQ(rcc_cpu_hz(r), 280000000U);
	CHECK(g.broken != 0U);
	CHECK_EQ(g.violations, 2UL); /* core and AXI clock */
	pw(p, PWR_H7A3_SRDCR, 0x8000U); /* VOS1: 225 MHz, still too fast */
	CHECK(g.broken != 0U);
	pw(p, PWR_H7A3_SRDCR, 0xC000U); /* VOS0 */
	CHECK_EQ(g.broken, 0U);
	CHECK_EQ(g.violations, 2UL);
	pwr_h7a3_free(p);
	rcc_free(r);
}

static int resets;

static void count_reset(void *ctx)
{
	(void)ctx;
	resets++;
}

static void enables_and_resets_at_rm0455_offsets(void)
{
	struct rcc *r = rcc_new_family(&rcc_family_h7a3, 25000000, &clk);
	struct rcc_gate *ospi1 = rcc_gate(r, RCC_H7A3_AHB3ENR,
					  RCC_H7A3_AHB3_OCTOSPI1);

	resets = 0;
	rcc_on_reset(r, RCC_H7A3_AHB3RSTR, RCC_H7A3_AHB3_IOMNGR, count_reset,
		     NULL);
	CHECK(!rcc_gate_on(ospi1));
	rw(r, 0x0D4, 1U << 14);	/* the RM0433 offset: not this one */
	CHECK(!rcc_gate_on(ospi1));
	rw(r, RCC_H7A3_AHB3ENR, 1U << 14);
	CHECK(rcc_gate_on(ospi1));
	rw(r, RCC_H7A3_AHB3RSTR, 1U << 21);
	rw(r, RCC_H7A3_AHB3RSTR, 0);
	CHECK_EQ(resets, 1);
	/* RSR at 0x130 (RM0455 §8.4.4): power-on sets PORRSTF, PINRSTF,
	 * BORRSTF, CDRSTF; SYSRESETREQ adds SFTRSTF and PINRSTF; the flags
	 * are read-only and RMVF clears them. */
	rcc_note_reset(r, RCC_RESET_POWER_ON);
	CHECK_EQ(rrd(r, RCC_H7A3_RSR), 0x00E80000U);
	rcc_reset(r);
	rcc_note_reset(r, RCC_RESET_SOFTWARE);
	CHECK_EQ(rrd(r, RCC_H7A3_RSR), 0x01E80000U);
	rw(r, RCC_H7A3_RSR, 0);
	CHECK_EQ(rrd(r, RCC_H7A3_RSR), 0x01E80000U);
	rw(r, RCC_H7A3_RSR, 1U << 16);
	CHECK_EQ(rrd(r, RCC_H7A3_RSR), 0U);
	rcc_note_reset(r, RCC_RESET_PIN);
	CHECK_EQ(rrd(r, RCC_H7A3_RSR), 0x00400000U);
	rcc_free(r);
}

/* PLL1 from HSE 25 MHz / 5 on the H7A3 with DIVN1 = n, wide VCO: locked? */
static bool h7a3_pll1_locks(uint32_t divn)
{
	struct rcc *r = rcc_new_family(&rcc_family_h7a3, 25000000, &clk);
	bool locked;

	rw(r, 0x00, rrd(r, 0x00) | 0x00010000U);
	vclock_advance_to(&clk, clk.cycles + 10000000ULL);
	rw(r, 0x28, 0x02020052U);
	rw(r, 0x2C, 0x01FF0008U);
	rw(r, 0x30, (divn - 1U) | 1U << 9);
	rw(r, 0x00, rrd(r, 0x00) | 0x01000000U);
	vclock_advance_to(&clk, clk.cycles + 10000000ULL);
	locked = rrd(r, 0x00) & 0x02000000U;
	rcc_free(r);
	return locked;
}

/* The wide VCO of this line spans 128-560 MHz (DS13195; ST's LL
 * utilities), not RM0433's parts' 192-836/960 MHz. */
static void h7a3_wide_vco_range(void)
{
	unsigned long errs = sim_log_count(LOG_GUEST_ERROR);

	CHECK(h7a3_pll1_locks(112));	/* 560 MHz */
	CHECK(h7a3_pll1_locks(30));	/* 150 MHz */
	CHECK_EQ(sim_log_count(LOG_GUEST_ERROR), errs);
	CHECK(!h7a3_pll1_locks(120));	/* 600 MHz */
	CHECK(!h7a3_pll1_locks(25));	/* 125 MHz */
	CHECK(sim_log_count(LOG_GUEST_ERROR) > errs);
}

/* RM0455 §8.7: CR has HSEEXT (bit 20), CFGR no HRTIMSEL (bit 14); the
 * prescaler registers keep only their fields. */
static void rm0455_register_bits(void)
{
	struct rcc *r = rcc_new_family(&rcc_family_h7a3, 25000000, &clk);

	rw(r, 0x000, rrd(r, 0x000) | 0x00F00000U);
	CHECK_EQ(rrd(r, 0x000) & 0x00F00000U, 0x00100000U);
	/* HSEEXT, like HSEBYP, changes only while the HSE is off. */
	rw(r, 0x000, rrd(r, 0x000) | 0x00010000U);
	rw(r, 0x000, rrd(r, 0x000) & ~0x00100000U);
	CHECK(rrd(r, 0x000) & 0x00100000U);
	rw(r, 0x000, rrd(r, 0x000) & ~0x00010000U);
	rw(r, 0x000, rrd(r, 0x000) & ~0x00100000U);
	CHECK_EQ(rrd(r, 0x000) & 0x00100000U, 0U);
	rw(r, 0x010, 0x0000C000U);
	CHECK_EQ(rrd(r, 0x010), 0x00008000U);
	rw(r, 0x018, 0xFFFFFFFFU);
	CHECK_EQ(rrd(r, 0x018), 0x00000F7FU);
	/* Sleep-mode enables after CKGAENR: AHB3LPENR at 0x15C ... */
	CHECK_EQ(rrd(r, 0x15C), 0xFD295131U);
	CHECK_EQ(rrd(r, 0x17C), 0x0C01E6AAU);
	CHECK_EQ(rrd(r, 0x0FC), 0U); /* RM0433's place: reserved here */
	rw(r, 0x01C, 0xFFFFFFFFU);
	CHECK_EQ(rrd(r, 0x01C), 0x00000770U);
	rw(r, 0x020, 0xFFFFFFFFU);
	CHECK_EQ(rrd(r, 0x020), 0x00000070U);
	rcc_free(r);
}

UNIT_MAIN("sim_h7a3_power_clock", UNIT_TEST(supply_written_once),
	  UNIT_TEST(voltage_scaling_ready), UNIT_TEST(clocks_280mhz),
	  UNIT_TEST(backup_regulator_needs_dbp), UNIT_TEST(clock_limits_per_vos),
	  UNIT_TEST(enables_and_resets_at_rm0455_offsets),
	  UNIT_TEST(rm0455_register_bits), UNIT_TEST(h7a3_wide_vco_range))
