/* RCC: the clock tree as the board's reset-init leaves it, switching rules,
 * clock gates and peripheral resets (RM0433 §8). */
#include "unit.h"

#include "bus.h"
#include "util/log.h"
#include "periph/rcc.h"

#define CR_HSIDIV_TEST 3U /* the low bit of HSIDIV: 01, /2 */

static struct vclock clk;

static struct rcc *with_crystal(uint32_t hse_hz)
{
	sim_log_quiet(1);
	clk.cycles = 0;
	clk.cpu_hz = 0;
	return rcc_new(hse_hz, &clk);
}

static struct rcc *fresh(void)
{
	return with_crystal(25000000);
}

static void w(struct rcc *r, uint32_t off, uint32_t v)
{
	rcc_ops.write(r, off, 4, v, BUS_MASTER_CPU);
}

static uint32_t rd(struct rcc *r, uint32_t off)
{
	uint32_t v = 0;

	rcc_ops.read(r, off, 4, &v, BUS_MASTER_CPU);
	return v;
}

/* Time passes: 10 ms and more at any clock this tree can make. */
static void settle(void)
{
	vclock_advance_to(&clk, clk.cycles + 10000000ULL);
}

/* The sequence of cfg/boards/psram-stm32h7-common.cfg (whose waits let
 * the start-up times pass). */
static void board_reset_init(struct rcc *r)
{
	w(r, 0x00, rd(r, 0x00) | 0x00010000U);
	settle();
	w(r, 0x28, 0x02020052U);
	w(r, 0x2C, 0x01FF0008U | 0x00070000U);
	w(r, 0x30, 159U | (1U << 9) | (3U << 16) | (1U << 24));
	w(r, 0x00, rd(r, 0x00) | 0x01000000U);
	settle();
	w(r, 0x18, 0x48U);
	w(r, 0x10, 3U);
}

static void after_reset_hsi_64mhz(void)
{
	struct rcc *r = fresh();

	/* Sleep-mode enables: every existing peripheral's bit after reset
	 * (RM0433 §8.7), AHB3LPENR to APB4LPENR; no more can be set. */
	CHECK_EQ(rd(r, 0x0FC), 0xF0015131U);
	CHECK_EQ(rd(r, 0x108), 0x312807FFU);
	CHECK_EQ(rd(r, 0x11C), 0x0021DEAAU);
	w(r, 0x11C, 0xFFFFFFFFU);
	CHECK_EQ(rd(r, 0x11C), 0x0021DEAAU);
	w(r, 0x11C, 0);
	CHECK_EQ(rd(r, 0x11C), 0U);
	rcc_reset(r);
	CHECK_EQ(rd(r, 0x11C), 0x0021DEAAU);
	/* Enable and reset registers hold the bits of existing blocks. */
	w(r, RCC_AHB3ENR, 0xFFFFFFFFU);
	CHECK_EQ(rd(r, RCC_AHB3ENR), 0x00015031U);
	w(r, RCC_AHB3ENR, 0);
	w(r, RCC_APB4ENR, 0xFFFFFFFFU);
	CHECK_EQ(rd(r, RCC_APB4ENR), 0x0021DEAAU);
	w(r, RCC_APB4ENR, 0x00010000U);
	w(r, RCC_AHB3RSTR, 0xFFFFFFFFU);
	CHECK_EQ(rd(r, RCC_AHB3RSTR), 0x00015031U);
	w(r, RCC_AHB3RSTR, 0);

	CHECK_EQ(rd(r, 0x00) & 0x5U, 0x5U); /* HSION, HSIRDY */
	CHECK_EQ(rcc_cpu_hz(r), 64000000U);
	CHECK_EQ(rcc_qspi_kernel_hz(r), 64000000U);
	CHECK_EQ(clk.cpu_hz, 64000000U);
	rcc_free(r);
}

static void pll1_400mhz_kernel_200mhz(void)
{
	struct rcc *r = fresh();

	board_reset_init(r);
	CHECK_EQ(rd(r, 0x10) & 0x38U, 0x18U); /* SWS = PLL1 */
	CHECK_EQ(rcc_cpu_hz(r), 400000000U);
	CHECK_EQ(rcc_hclk3_hz(r), 200000000U);
	CHECK_EQ(rcc_qspi_kernel_hz(r), 200000000U);
	CHECK_EQ(clk.cpu_hz, 400000000U);
	/* QSPISEL = pll1_q_ck (800 MHz / 4). */
	w(r, 0x4C, 1U << 4);
	CHECK_EQ(rcc_qspi_kernel_hz(r), 200000000U);
	/* QSPISEL = per_ck = HSI by default. */
	w(r, 0x4C, 3U << 4);
	CHECK_EQ(rcc_qspi_kernel_hz(r), 64000000U);
	rcc_free(r);
}

/* RM0433 §8.5.6: a switch to a source that is not ready waits for it (SW
 * holds the request, SWS the source in use); a reserved SW code is a guest
 * error and switches nothing. */
static void switch_waits_for_ready_source(void)
{
	struct rcc *r = fresh();
	unsigned long errs = sim_log_count(LOG_GUEST_ERROR);

	w(r, 0x10, 3U); /* PLL1 is off */
	CHECK_EQ(rd(r, 0x10) & 0x3FU, 0x03U);
	CHECK_EQ(sim_log_count(LOG_GUEST_ERROR), errs);
	CHECK_EQ(rcc_cpu_hz(r), 64000000U);
	w(r, 0x00, rd(r, 0x00) | 0x00010000U);
	settle();
	w(r, 0x28, 0x02020052U);
	w(r, 0x2C, 0x01FF0008U);
	w(r, 0x30, 159U | (1U << 9) | (3U << 16) | (1U << 24));
	w(r, 0x00, rd(r, 0x00) | 0x01000000U);
	CHECK_EQ(rd(r, 0x10) & 0x38U, 0U); /* not locked yet */
	settle();
	CHECK_EQ(rd(r, 0x10) & 0x38U, 0x18U);
	CHECK_EQ(rcc_cpu_hz(r), 400000000U);
	w(r, 0x10, 5U);
	CHECK(sim_log_count(LOG_GUEST_ERROR) > errs);
	CHECK_EQ(rd(r, 0x10) & 0x38U, 0x18U);
	rcc_free(r);
}

/* Read-only and reserved bits keep their values (RM0433 §8.7): ready
 * flags, HSIDIVF, SWS, CRRCR, CIFR, CICR (reads 0), LSIRDY, the RSR
 * flags, and the reserved bits of the prescaler and PLL registers. */
static void read_only_bits_hold(void)
{
	struct rcc *r = fresh();

	w(r, 0x00, 0x00000001U); /* HSIDIVF written 0 */
	CHECK_EQ(rd(r, 0x00), 0x0000C025U);
	w(r, 0x008, 0xFFFFFFFFU);
	CHECK_EQ(rd(r, 0x008), 0U);
	w(r, 0x064, 0xFFFFFFFFU);
	CHECK_EQ(rd(r, 0x064), 0U);
	w(r, 0x068, 0xFFFFFFFFU);
	CHECK_EQ(rd(r, 0x068), 0U);
	w(r, 0x018, 0xFFFFFFFFU);
	CHECK_EQ(rd(r, 0x018), 0x00000F7FU);
	w(r, 0x018, 0);
	w(r, 0x01C, 0xFFFFFFFFU);
	CHECK_EQ(rd(r, 0x01C), 0x00000770U);
	w(r, 0x020, 0xFFFFFFFFU);
	CHECK_EQ(rd(r, 0x020), 0x00000070U);
	w(r, 0x028, 0xFFFFFFFFU);
	CHECK_EQ(rd(r, 0x028), 0x03F3F3F3U);
	w(r, 0x034, 0xFFFFFFFFU);
	CHECK_EQ(rd(r, 0x034), 0x0000FFF8U);
	w(r, 0x074, 0xFFFFFFFFU);
	CHECK_EQ(rd(r, 0x074), 0x00000001U); /* LSIRDY: not yet */
	settle();
	CHECK_EQ(rd(r, 0x074), 0x00000003U);
	rcc_note_reset(r, RCC_RESET_POWER_ON);
	w(r, 0x0D0, 0x00050000U & ~(1U << 16));
	CHECK_EQ(rd(r, 0x0D0), 0x00FA0000U);
	rcc_free(r);
}

/* RCC_RSR (RM0433 §8.4.4 Table 55): power-on sets PORRSTF, PINRSTF,
 * BORRSTF, D2RSTF, D1RSTF, CPURSTF; a system reset keeps the flags and
 * adds its own (SYSRESETREQ: SFTRSTF, PINRSTF, CPURSTF; NRST: PINRSTF,
 * CPURSTF); RMVF clears them. RCC_BDCR survives a system reset. */
static void reset_flags_accumulate(void)
{
	struct rcc *r = fresh();

	rcc_note_reset(r, RCC_RESET_POWER_ON);
	CHECK_EQ(rd(r, 0x0D0), 0x00FA0000U);
	w(r, 0x070, 1U); /* LSEON */
	rcc_reset(r);
	rcc_note_reset(r, RCC_RESET_SOFTWARE);
	CHECK_EQ(rd(r, 0x0D0), 0x01FA0000U);
	CHECK_EQ(rd(r, 0x070), 3U);
	w(r, 0x0D0, 1U << 16);
	CHECK_EQ(rd(r, 0x0D0), 0U);
	rcc_reset(r);
	rcc_note_reset(r, RCC_RESET_PIN);
	CHECK_EQ(rd(r, 0x0D0), 0x00420000U);
	rcc_reset(r);
	rcc_note_reset(r, RCC_RESET_SOFTWARE);
	CHECK_EQ(rd(r, 0x0D0), 0x01420000U);
	rcc_note_reset(r, RCC_RESET_POWER_ON);
	CHECK_EQ(rd(r, 0x0D0), 0x00FA0000U);
	rcc_free(r);
}

/* HAL_RCC_DeInit's order from 400 MHz on PLL1 (HSE): SW to HSI and wait
 * for SWS, HSEON and the other oscillators off (HSERDY must fall while
 * PLL1ON is still set), then PLL1ON off; the RSR flags cleared by RMVF. */
static void hal_deinit_order(void)
{
	struct rcc *r = fresh();

	board_reset_init(r);
	rcc_note_reset(r, RCC_RESET_POWER_ON);
	w(r, 0x10, 0);
	CHECK_EQ(rd(r, 0x10) & 0x38U, 0U);
	w(r, 0x00, rd(r, 0x00) & ~(0x00010000U | 0x2U | 0x18U | 0x20U | 0x80U |
				  0x200U | 0x1000U | 0x00080000U));
	CHECK_EQ(rd(r, 0x00) & 0x00020000U, 0U);
	w(r, 0x00, rd(r, 0x00) & ~0x01000000U);
	CHECK_EQ(rd(r, 0x00) & 0x02000000U, 0U);
	w(r, 0x18, 0);
	w(r, 0x28, 0x02020200U);
	w(r, 0x2C, 0x01FF0000U);
	w(r, 0x30, 0x01010280U);
	w(r, 0x68, 0xFFFFFFFFU);
	w(r, 0xD0, rd(r, 0xD0) | (1U << 16));
	CHECK_EQ(rd(r, 0xD0), 0U);
	CHECK_EQ(rd(r, 0x00), 0x0000C025U);
	CHECK_EQ(rcc_cpu_hz(r), 64000000U);
	rcc_free(r);
}

/* HSECSSON and LSECSSON are set-only (RM0433 §8.7.2, §8.7.23): a reset
 * (backup domain reset for LSECSSON) clears them; TIMPRE picks the APB2
 * timer clock ratio (§8.5.9). */
static void set_only_bits_and_timpre(void)
{
	struct rcc *r = fresh();

	w(r, 0x00, rd(r, 0x00) | (1U << 19));
	w(r, 0x00, rd(r, 0x00) & ~(1U << 19));
	CHECK(rd(r, 0x00) & (1U << 19));
	rcc_reset(r);
	CHECK_EQ(rd(r, 0x00) & (1U << 19), 0U);
	w(r, 0x70, 1U | (1U << 5));
	w(r, 0x70, 1U);
	CHECK(rd(r, 0x70) & (1U << 5));
	w(r, 0x70, 1U << 16); /* BDRST */
	w(r, 0x70, 0);
	CHECK_EQ(rd(r, 0x70), 0U);
	/* 64 MHz, D2PPRE2 /4: timers at 32 MHz, 64 MHz with TIMPRE. */
	w(r, 0x1C, 5U << 8);
	CHECK_EQ(rcc_apb2_timer_hz(r), 32000000U);
	w(r, 0x10, 1U << 15);
	CHECK_EQ(rcc_apb2_timer_hz(r), 64000000U);
	w(r, 0x1C, 6U << 8); /* /8: four times 8 MHz */
	CHECK_EQ(rcc_apb2_timer_hz(r), 32000000U);
	rcc_free(r);
}

static bool dbp;

static bool dbp_set(void *ctx)
{
	(void)ctx;
	return dbp;
}

/* RCC_BDCR is write-protected until PWR_CR1.DBP (RM0433 §6.4.4,
 * §8.7.23): a write without it is lost and logged. */
static void backup_domain_needs_dbp(void)
{
	struct rcc *r = fresh();
	unsigned long errs = sim_log_count(LOG_GUEST_ERROR);

	rcc_set_backup_guard(r, dbp_set, NULL);
	dbp = false;
	w(r, 0x070, 1U);
	CHECK_EQ(rd(r, 0x070), 0U);
	CHECK(sim_log_count(LOG_GUEST_ERROR) > errs);
	dbp = true;
	w(r, 0x070, 1U);
	CHECK_EQ(rd(r, 0x070), 3U); /* LSEON, LSERDY */
	rcc_free(r);
}

/* RM0433 §8.7.12/§8.7.14: PLL1FRACEN stays writable while PLL1 runs, and
 * FRACN1 reaches the VCO only when PLL1FRACEN goes from 0 to 1: the
 * sequence HAL_RCC_OscConfig uses to retune a running PLL1. */
static void fracn_latched_while_running(void)
{
	struct rcc *r = fresh();
	unsigned long errs;

	board_reset_init(r);
	errs = sim_log_count(LOG_GUEST_ERROR);
	w(r, 0x34, 4096U << 3); /* FRACN1 = 0.5 */
	CHECK_EQ(rcc_cpu_hz(r), 400000000U);
	w(r, 0x2C, rd(r, 0x2C) | 1U); /* PLL1FRACEN 0 -> 1 */
	CHECK(rd(r, 0x2C) & 1U);
	CHECK_EQ(sim_log_count(LOG_GUEST_ERROR), errs);
	/* 5 MHz x 160.5 / 2 = 401.25 MHz */
	CHECK_EQ(rcc_cpu_hz(r), 401250000U);
	w(r, 0x34, 0); /* not latched while FRACEN stays 1 */
	CHECK_EQ(rcc_cpu_hz(r), 401250000U);
	w(r, 0x2C, rd(r, 0x2C) & ~1U);
	CHECK_EQ(rcc_cpu_hz(r), 400000000U);
	w(r, 0x2C, rd(r, 0x2C) | 1U);
	CHECK_EQ(rcc_cpu_hz(r), 400000000U);
	/* VCOSEL and RGE of the running PLL1 stay locked. */
	w(r, 0x2C, rd(r, 0x2C) | 2U);
	CHECK_EQ(rd(r, 0x2C) & 2U, 0U);
	CHECK(sim_log_count(LOG_GUEST_ERROR) > errs);
	rcc_free(r);
}

/* RM0433 §8.7.2: HSIDIV is ignored while HSI feeds an enabled PLL; HSEBYP
 * changes only while the HSE is off; the reference of a PLL1 that does not
 * clock the system can be switched off (HAL_RCC_DeInit's order). */
static void oscillator_rules(void)
{
	struct rcc *r = fresh();
	unsigned long errs = sim_log_count(LOG_GUEST_ERROR);

	/* Reset PLLCKSELR: HSI / 32 = 2 MHz; DIVN1 = 129: 258 MHz VCO. */
	w(r, 0x2C, 0x01FF0004U); /* PLL1RGE 2-4 MHz */
	w(r, 0x00, rd(r, 0x00) | 0x01000000U);
	settle();
	CHECK(rd(r, 0x00) & 0x02000000U);
	w(r, 0x00, rd(r, 0x00) | (1U << CR_HSIDIV_TEST));
	CHECK_EQ(rd(r, 0x00) & 0x18U, 0U);
	CHECK(sim_log_count(LOG_GUEST_ERROR) > errs);
	CHECK_EQ(rcc_cpu_hz(r), 64000000U);
	w(r, 0x00, rd(r, 0x00) & ~0x01000000U);
	w(r, 0x00, rd(r, 0x00) | (1U << CR_HSIDIV_TEST));
	CHECK_EQ(rd(r, 0x00) & 0x38U, 0x28U); /* /2, HSIDIVF */
	CHECK_EQ(rcc_cpu_hz(r), 32000000U);
	w(r, 0x00, rd(r, 0x00) & ~0x18U);
	/* PLL1 from HSE, not the system clock: HSE off, PLL1 unlocks. */
	w(r, 0x00, rd(r, 0x00) | 0x00010000U);
	settle();
	w(r, 0x28, 0x02020052U);
	w(r, 0x2C, 0x01FF0008U);
	w(r, 0x00, rd(r, 0x00) | 0x01000000U);
	settle();
	CHECK(rd(r, 0x00) & 0x02000000U);
	w(r, 0x00, rd(r, 0x00) & ~0x00010000U);
	CHECK_EQ(rd(r, 0x00) & 0x02030000U, 0U);
	w(r, 0x00, rd(r, 0x00) | 0x00010000U);
	settle();
	errs = sim_log_count(LOG_GUEST_ERROR);
	w(r, 0x00, rd(r, 0x00) | 0x00040000U); /* HSEBYP with HSE on */
	CHECK_EQ(rd(r, 0x00) & 0x00040000U, 0U);
	CHECK(sim_log_count(LOG_GUEST_ERROR) > errs);
	w(r, 0x00, rd(r, 0x00) & ~0x01010000U);
	CHECK_EQ(rd(r, 0x00) & 0x00030000U, 0U);
	w(r, 0x00, rd(r, 0x00) | 0x00040000U);
	CHECK(rd(r, 0x00) & 0x00040000U);
	/* Bypass on a crystal board: no clock, HSERDY never comes. */
	errs = sim_log_count(LOG_GUEST_ERROR);
	w(r, 0x00, rd(r, 0x00) | 0x00010000U);
	settle();
	CHECK_EQ(rd(r, 0x00) & 0x00020000U, 0U);
	CHECK(sim_log_count(LOG_GUEST_ERROR) > errs);
	rcc_free(r);
}

static void pll_config_locked_while_running(void)
{
	struct rcc *r = fresh();
	uint32_t divr;

	board_reset_init(r);
	divr = rd(r, 0x30);
	w(r, 0x30, 0x01010280U);
	CHECK_EQ(rd(r, 0x30), divr);
	/* The clock source of the system clock cannot be switched off. */
	w(r, 0x00, rd(r, 0x00) & ~0x01000000U);
	CHECK(rd(r, 0x00) & 0x02000000U);
	rcc_free(r);
}

static bool quiet_read(void *dev, uint32_t off, unsigned size, uint32_t *v,
		       enum bus_master m)
{
	(void)dev;
	(void)off;
	(void)size;
	(void)m;
	*v = 0x1234;
	return true;
}

static int writes_seen;

static bool count_write(void *dev, uint32_t off, unsigned size, uint32_t v,
			enum bus_master m)
{
	(void)dev;
	(void)off;
	(void)size;
	(void)v;
	(void)m;
	writes_seen++;
	return true;
}

static void unclocked_peripheral_does_not_respond(void)
{
	static const struct mmio_ops dev_ops = {quiet_read, count_write};
	struct rcc *r = fresh();
	struct bus bus;
	struct bus_region *reg;
	uint32_t v = 0;
	unsigned long errs;

	bus_init(&bus);
	reg = bus_add_mmio(&bus, "QUADSPI", 0x52005000U, 0x400, &dev_ops,
			   NULL);
	reg->clocked = rcc_gate_on;
	reg->gate_ctx = rcc_gate(r, RCC_AHB3ENR, RCC_AHB3_QSPI);
	writes_seen = 0;
	errs = sim_log_count(LOG_GUEST_ERROR);
	CHECK(bus_read(&bus, 0x52005000U, 4, &v, BUS_MASTER_CPU));
	CHECK_EQ(v, 0);
	CHECK(bus_write(&bus, 0x52005000U, 4, 1, BUS_MASTER_CPU));
	CHECK_EQ(writes_seen, 0);
	CHECK(sim_log_count(LOG_GUEST_ERROR) > errs);
	w(r, RCC_AHB3ENR, 1U << RCC_AHB3_QSPI);
	CHECK(bus_read(&bus, 0x52005000U, 4, &v, BUS_MASTER_CPU));
	CHECK_EQ(v, 0x1234);
	CHECK(bus_write(&bus, 0x52005000U, 4, 1, BUS_MASTER_CPU));
	CHECK_EQ(writes_seen, 1);
	bus_free(&bus);
	rcc_free(r);
}

static int resets;

static void on_reset(void *ctx)
{
	(void)ctx;
	resets++;
}

static void reset_register_resets_block(void)
{
	struct rcc *r = fresh();

	resets = 0;
	rcc_on_reset(r, RCC_AHB3RSTR, RCC_AHB3_QSPI, on_reset, NULL);
	w(r, RCC_AHB3RSTR, 1U << RCC_AHB3_QSPI);
	CHECK_EQ(resets, 1);
	w(r, RCC_AHB3RSTR, 1U << RCC_AHB3_QSPI); /* held: no new edge */
	CHECK_EQ(resets, 1);
	w(r, RCC_AHB3RSTR, 0);
	w(r, RCC_AHB3RSTR, 1U << 12); /* another block */
	CHECK_EQ(resets, 1);
	rcc_free(r);
}

/* hse=absent: the crystal never starts, so HSERDY stays 0, the PLL fed by
 * it never locks and neither can become the system clock. */
static void absent_crystal_never_ready(void)
{
	struct rcc *r = with_crystal(0);

	w(r, 0x00, rd(r, 0x00) | 0x00010000U);
	CHECK_EQ(rd(r, 0x00) & 0x00020000U, 0U);
	vclock_advance_to(&clk, 64000000ULL); /* a second later */
	CHECK_EQ(rd(r, 0x00) & 0x00020000U, 0U);
	w(r, 0x10, 2U);
	CHECK_EQ(rd(r, 0x10) & 0x38U, 0U);
	board_reset_init(r);
	CHECK_EQ(rd(r, 0x00) & 0x02000000U, 0U);
	CHECK_EQ(rd(r, 0x10) & 0x38U, 0U);
	CHECK_EQ(rcc_cpu_hz(r), 64000000U);
	rcc_free(r);
}

/* hse=12 on a board whose file says 25 MHz: the same register values give
 * a 2.4 MHz reference (outside the 4-8 MHz PLL1RGE declares: logged, yet
 * the PLL locks), 12 / 5 * 160 / 2 = 192 MHz, and the QUADSPI kernel clock
 * follows. */
static void other_crystal_scales_the_tree(void)
{
	struct rcc *r = with_crystal(12000000);
	unsigned long errs = sim_log_count(LOG_GUEST_ERROR);

	board_reset_init(r);
	CHECK(sim_log_count(LOG_GUEST_ERROR) > errs);
	CHECK_EQ(rd(r, 0x10) & 0x38U, 0x18U);
	CHECK_EQ(rcc_cpu_hz(r), 192000000U);
	CHECK_EQ(clk.cpu_hz, 192000000U);
	CHECK_EQ(rcc_hclk3_hz(r), 96000000U);
	CHECK_EQ(rcc_qspi_kernel_hz(r), 96000000U);
	rcc_free(r);
}

/* hse=8 with DIVM1 = 5: a 1.6 MHz reference, outside the 4-8 MHz that
 * PLL1RGE declares (logged) but within the PLL's input range: it locks
 * and the core runs at 8 / 5 * 160 / 2 = 128 MHz. A reference below
 * 1 MHz (25 MHz / 32) never locks. */
static void reference_out_of_range(void)
{
	struct rcc *r = with_crystal(8000000);
	unsigned long errs = sim_log_count(LOG_GUEST_ERROR);

	board_reset_init(r);
	CHECK(sim_log_count(LOG_GUEST_ERROR) > errs);
	CHECK(rd(r, 0x00) & 0x02000000U);
	CHECK_EQ(rd(r, 0x10) & 0x38U, 0x18U);
	CHECK_EQ(rcc_cpu_hz(r), 128000000U);
	rcc_free(r);
	r = fresh();
	w(r, 0x00, rd(r, 0x00) | 0x00010000U);
	settle();
	w(r, 0x28, 0x02020202U); /* DIVM1 = 32: 0.78 MHz */
	w(r, 0x2C, 0x01FF0000U);
	w(r, 0x30, 255U | (1U << 9));
	w(r, 0x00, rd(r, 0x00) | 0x01000000U);
	settle();
	CHECK_EQ(rd(r, 0x00) & 0x02000000U, 0U);
	/* Off, DIVM1 = 5 (5 MHz), on again: it locks. */
	w(r, 0x00, rd(r, 0x00) & ~0x01000000U);
	w(r, 0x28, 0x02020052U);
	w(r, 0x2C, 0x01FF0008U);
	w(r, 0x30, 159U | (1U << 9));
	w(r, 0x00, rd(r, 0x00) | 0x01000000U);
	settle();
	CHECK(rd(r, 0x00) & 0x02000000U);
	rcc_free(r);
}

/* The wide VCO wants a 2-16 MHz reference (DS12110 PLL characteristics):
 * 1.5625 MHz (25 MHz / 16) with PLL1VCOSEL = 0 and PLL1RGE 1-2 MHz is
 * logged, and locks. */
static void wide_vco_low_reference_logged(void)
{
	struct rcc *r = fresh();
	unsigned long errs = sim_log_count(LOG_GUEST_ERROR);

	w(r, 0x00, rd(r, 0x00) | 0x00010000U);
	settle();
	w(r, 0x28, 0x02020102U);		/* DIVM1 = 16 */
	w(r, 0x2C, 0x01FF0000U);		/* RGE 1-2 MHz, wide */
	w(r, 0x30, 255U | (1U << 9));		/* 400 MHz VCO */
	w(r, 0x00, rd(r, 0x00) | 0x01000000U);
	settle();
	CHECK(rd(r, 0x00) & 0x02000000U);
	CHECK(sim_log_count(LOG_GUEST_ERROR) > errs);
	/* The same reference with the medium VCO: nothing to log. */
	w(r, 0x00, rd(r, 0x00) & ~0x01000000U);
	w(r, 0x2C, 0x01FF0002U);		/* medium */
	w(r, 0x30, 199U | (1U << 9));		/* 312.5 MHz VCO */
	errs = sim_log_count(LOG_GUEST_ERROR);
	w(r, 0x00, rd(r, 0x00) | 0x01000000U);
	settle();
	CHECK(rd(r, 0x00) & 0x02000000U);
	CHECK_EQ(sim_log_count(LOG_GUEST_ERROR), errs);
	rcc_free(r);
}

/* A VCO above the wide range's maximum (836 MHz on revision Y): no lock. */
static void vco_out_of_range_never_locks(void)
{
	struct rcc *r = fresh();
	unsigned long errs = sim_log_count(LOG_GUEST_ERROR);

	w(r, 0x00, rd(r, 0x00) | 0x00010000U);
	w(r, 0x28, 0x02020052U);
	w(r, 0x2C, 0x01FF0008U);
	w(r, 0x30, 199U | (1U << 9)); /* 5 MHz x 200 = 1000 MHz */
	w(r, 0x00, rd(r, 0x00) | 0x01000000U);
	settle();
	CHECK_EQ(rd(r, 0x00) & 0x02000000U, 0U);
	CHECK(sim_log_count(LOG_GUEST_ERROR) > errs);
	rcc_free(r);
}

/* HSE needs its 2 ms start-up time, a PLL its 50 us lock time (DS12110),
 * on the virtual clock at the 64 MHz reset clock. */
static void start_up_and_lock_take_time(void)
{
	struct rcc *r = fresh();

	w(r, 0x00, rd(r, 0x00) | 0x00010000U);
	vclock_advance_to(&clk, 127999);
	CHECK_EQ(rd(r, 0x00) & 0x00020000U, 0U);
	vclock_advance_to(&clk, 128000);
	CHECK(rd(r, 0x00) & 0x00020000U);
	w(r, 0x28, 0x02020052U);
	w(r, 0x2C, 0x01FF0008U | 0x00070000U);
	w(r, 0x30, 159U | (1U << 9) | (3U << 16) | (1U << 24));
	w(r, 0x00, rd(r, 0x00) | 0x01000000U);
	vclock_advance_to(&clk, 128000 + 3199);
	CHECK_EQ(rd(r, 0x00) & 0x02000000U, 0U);
	vclock_advance_to(&clk, 128000 + 3200);
	CHECK(rd(r, 0x00) & 0x02000000U);
	/* On PLL1, HSE cannot be switched off: it is PLL1's reference. */
	w(r, 0x10, 3U);
	w(r, 0x00, rd(r, 0x00) & ~0x00010000U);
	CHECK(rd(r, 0x00) & 0x00020000U);
	CHECK_EQ(rcc_cpu_hz(r), 800000000U / 2);
	/* Off and on again: the lock time starts over (from HSI, PLL2). */
	w(r, 0x00, rd(r, 0x00) | (1U << 26));
	CHECK_EQ(rd(r, 0x00) & (1U << 27), 0U);
	rcc_free(r);
}

/* LSIRDY sets tsu(LSI) = 120 us after LSION (DS12110 maximum), 7680
 * cycles at 64 MHz, and falls with LSION. */
static void lsi_takes_its_start_up_time(void)
{
	struct rcc *r = fresh();

	w(r, 0x74, 1U);
	CHECK_EQ(rd(r, 0x74), 1U);
	CHECK(!rcc_lsi_ready(r));
	vclock_advance_to(&clk, 7679);
	CHECK_EQ(rd(r, 0x74), 1U);
	vclock_advance_to(&clk, 7680);
	CHECK_EQ(rd(r, 0x74), 3U);
	CHECK(rcc_lsi_ready(r));
	w(r, 0x74, 0);
	CHECK_EQ(rd(r, 0x74), 0U);
	w(r, 0x74, 1U);
	CHECK_EQ(rd(r, 0x74), 1U);
	rcc_free(r);
}

/* Every RCC register is called event-stable (cpu/idle.c may skip a loop
 * that polls them): none may change between events while HSE starts and
 * PLL1 locks. */
static void registers_change_only_at_events(void)
{
	static uint32_t before[256];
	struct rcc *r = fresh();
	unsigned events = 0;

	w(r, 0x00, rd(r, 0x00) | 0x00010000U);
	w(r, 0x28, 0x02020052U);
	w(r, 0x2C, 0x01FF0008U | 0x00070000U);
	w(r, 0x30, 159U | (1U << 9) | (3U << 16) | (1U << 24));
	while (vclock_next_event(&clk) != VCLOCK_NEVER && events < 4) {
		for (uint32_t off = 0; off < 0x400; off += 4) {
			CHECK(rcc_read_stable(r, off));
			before[off / 4] = rd(r, off);
		}
		clk.cycles = vclock_next_event(&clk) - 1;
		for (uint32_t off = 0; off < 0x400; off += 4)
			CHECK_EQ(rd(r, off), before[off / 4]);
		vclock_advance_to(&clk, clk.cycles + 1);
		/* HSE ready: PLL1 on, its lock time starts. */
		if (events++ == 0)
			w(r, 0x00, rd(r, 0x00) | 0x01000000U);
	}
	CHECK_EQ(events, 2);
	CHECK(rd(r, 0x00) & 0x02000000U);
	rcc_free(r);
}

UNIT_MAIN("sim_rcc", UNIT_TEST(absent_crystal_never_ready),
	  UNIT_TEST(other_crystal_scales_the_tree),
	  UNIT_TEST(reference_out_of_range),
	  UNIT_TEST(vco_out_of_range_never_locks),
	  UNIT_TEST(wide_vco_low_reference_logged),
	  UNIT_TEST(start_up_and_lock_take_time), UNIT_TEST(after_reset_hsi_64mhz),
	  UNIT_TEST(pll1_400mhz_kernel_200mhz),
	  UNIT_TEST(switch_waits_for_ready_source),
	  UNIT_TEST(read_only_bits_hold), UNIT_TEST(reset_flags_accumulate),
	  UNIT_TEST(fracn_latched_while_running),
	  UNIT_TEST(backup_domain_needs_dbp), UNIT_TEST(hal_deinit_order),
	  UNIT_TEST(lsi_takes_its_start_up_time),
	  UNIT_TEST(set_only_bits_and_timpre), UNIT_TEST(oscillator_rules),
	  UNIT_TEST(pll_config_locked_while_running),
	  UNIT_TEST(unclocked_peripheral_does_not_respond),
	  UNIT_TEST(reset_register_resets_block),
	  UNIT_TEST(registers_change_only_at_events))
