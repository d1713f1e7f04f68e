/* What start-up code touches: PWR supply configuration and voltage scale
 * (RM0433 §6), SYSCFG ODEN (VOS0), the FMC and AXI GPV registers, the
 * peripheral space map (reserved addresses fault, unmodelled peripherals
 * answer once-logged), and the clock rules (DS12110 Table 23, RM0433
 * Table 17). */
#include "unit.h"

#include "bus.h"
#include "periph/axi_gpv.h"
#include "periph/clock_guard.h"
#include "periph/clock_rules.h"
#include "periph/flash_ctrl.h"
#include "periph/fmc.h"
#include "periph/periph_space.h"
#include "periph/pwr.h"
#include "periph/rcc.h"
#include "periph/syscfg.h"
#include "util/log.h"

static uint32_t rd(const struct mmio_ops *ops, void *dev, uint32_t off)
{
	uint32_t v = 0xDEADBEEFU;

	ops->read(dev, off, 4, &v, BUS_MASTER_CPU);
	return v;
}

static void wr(const struct mmio_ops *ops, void *dev, uint32_t off,
	       uint32_t v)
{
	ops->write(dev, off, 4, v, BUS_MASTER_CPU);
}

static void supply_written_once(void)
{
	struct pwr *p = pwr_new(true);
	unsigned long errs;

	sim_log_quiet(1);
	/* After power-on: SCUEN, LDOEN; ACTVOSRDY not yet; scale 3. */
	CHECK_EQ(rd(&pwr_ops, p, 0x0C), 0x6U);
	CHECK_EQ(rd(&pwr_ops, p, 0x04) & 0x2000U, 0U);
	CHECK_EQ(pwr_vos(p), VOS3);
	wr(&pwr_ops, p, 0x0C, 0x2U); /* LDO supply */
	CHECK_EQ(rd(&pwr_ops, p, 0x0C), 0x2U);
	CHECK(rd(&pwr_ops, p, 0x04) & 0x2000U);
	/* Locked: a second configuration is ignored and logged. */
	errs = sim_log_count(LOG_GUEST_ERROR);
	wr(&pwr_ops, p, 0x0C, 0x1U);
	CHECK_EQ(rd(&pwr_ops, p, 0x0C), 0x2U);
	CHECK(sim_log_count(LOG_GUEST_ERROR) > errs);
	/* A system reset keeps it. */
	pwr_system_reset(p);
	CHECK_EQ(rd(&pwr_ops, p, 0x0C), 0x2U);
	CHECK(rd(&pwr_ops, p, 0x04) & 0x2000U);
	/* Power-on unlocks it; bypass on an LDO board: ACTVOSRDY stays 0. */
	pwr_power_on(p);
	errs = sim_log_count(LOG_GUEST_ERROR);
	wr(&pwr_ops, p, 0x0C, 0x1U);
	CHECK_EQ(rd(&pwr_ops, p, 0x04) & 0x2000U, 0U);
	CHECK(sim_log_count(LOG_GUEST_ERROR) > errs);
	pwr_free(p);
}

/* RM0433 §6.8: CR1, CPUCR and WKUPEPR keep only their fields, WKUPCR
 * reads 0; PWR_CR2 (backup domain) needs DBP and survives a system
 * reset; USB33RDY follows USB33DEN (VDD33USB at 3.3 V on the boards). */
static void pwr_register_bits(void)
{
	struct pwr *p = pwr_new(true);
	unsigned long errs;

	sim_log_quiet(1);
	wr(&pwr_ops, p, 0x00, 0);
	CHECK_EQ(rd(&pwr_ops, p, 0x00), 0xF0000000U);
	wr(&pwr_ops, p, 0x00, 0xFFFFFFFFU);
	CHECK_EQ(rd(&pwr_ops, p, 0x00), 0xF007C3F1U);
	wr(&pwr_ops, p, 0x00, 0xF000C000U); /* DBP 0 */
	errs = sim_log_count(LOG_GUEST_ERROR);
	wr(&pwr_ops, p, 0x08, 1U); /* BREN */
	CHECK_EQ(rd(&pwr_ops, p, 0x08), 0U);
	CHECK(sim_log_count(LOG_GUEST_ERROR) > errs);
	wr(&pwr_ops, p, 0x00, 0xF000C100U); /* DBP */
	wr(&pwr_ops, p, 0x08, 1U);
	CHECK_EQ(rd(&pwr_ops, p, 0x08), 0x00010001U); /* BREN, BRRDY */
	pwr_system_reset(p);
	CHECK_EQ(rd(&pwr_ops, p, 0x00), 0xF000C000U);
	CHECK_EQ(rd(&pwr_ops, p, 0x08), 0x00010001U);
	pwr_power_on(p);
	CHECK_EQ(rd(&pwr_ops, p, 0x08), 0U);
	wr(&pwr_ops, p, 0x10, 0xFFFFFFFFU);
	CHECK_EQ(rd(&pwr_ops, p, 0x10), 0x00000807U);
	wr(&pwr_ops, p, 0x20, 0x3FU);
	CHECK_EQ(rd(&pwr_ops, p, 0x20), 0U);
	wr(&pwr_ops, p, 0x28, 0xFFFFFFFFU);
	CHECK_EQ(rd(&pwr_ops, p, 0x28), 0x0FFF3F3FU);
	wr(&pwr_ops, p, 0x0C, 0x2U | 1U << 24); /* LDO, USB33DEN */
	CHECK_EQ(rd(&pwr_ops, p, 0x0C), 0x05000002U);
	wr(&pwr_ops, p, 0x0C, 0x2U);
	CHECK_EQ(rd(&pwr_ops, p, 0x0C), 0x2U);
	pwr_free(p);
}

static void voltage_scales_and_vos0(void)
{
	struct pwr *p = pwr_new(true);
	struct syscfg *sc = syscfg_new(p);
	unsigned long errs;

	sim_log_quiet(1);
	wr(&pwr_ops, p, 0x0C, 0x2U);
	/* ODEN below scale 1 is refused. */
	errs = sim_log_count(LOG_GUEST_ERROR);
	wr(&syscfg_ops, sc, 0x2C, 1U);
	CHECK_EQ(rd(&syscfg_ops, sc, 0x2C), 0U);
	CHECK(sim_log_count(LOG_GUEST_ERROR) > errs);
	wr(&pwr_ops, p, 0x18, 2U << 14);
	CHECK_EQ(pwr_vos(p), VOS2);
	CHECK(rd(&pwr_ops, p, 0x18) & 0x2000U);
	CHECK_EQ((rd(&pwr_ops, p, 0x04) >> 14) & 3U, 2U);
	wr(&pwr_ops, p, 0x18, 3U << 14);
	CHECK_EQ(pwr_vos(p), VOS1);
	wr(&syscfg_ops, sc, 0x2C, 1U);
	CHECK_EQ(rd(&syscfg_ops, sc, 0x2C), 1U);
	CHECK_EQ(pwr_vos(p), VOS0);
	wr(&syscfg_ops, sc, 0x2C, 0U);
	CHECK_EQ(pwr_vos(p), VOS1);
	syscfg_free(sc);
	pwr_free(p);
	/* Revision Y has no VOS0. */
	p = pwr_new(false);
	sc = syscfg_new(p);
	wr(&pwr_ops, p, 0x0C, 0x2U);
	wr(&pwr_ops, p, 0x18, 3U << 14);
	wr(&syscfg_ops, sc, 0x2C, 1U);
	CHECK_EQ(pwr_vos(p), VOS1);
	CHECK_EQ(rd(&syscfg_ops, sc, 0x2C), 0U);
	syscfg_free(sc);
	pwr_free(p);
}

static void fmc_and_gpv_hold_writes(void)
{
	struct regfile *fmc = fmc_new();
	struct axi_gpv *g = axi_gpv_new();

	CHECK_EQ(rd(regfile_ops(), fmc, 0x000), 0x30DBU);
	wr(regfile_ops(), fmc, 0x000, 0x30D2U);
	CHECK_EQ(rd(regfile_ops(), fmc, 0x000), 0x30D2U);
	CHECK_EQ(rd(regfile_ops(), fmc, 0x004), 0x0FFFFFFFU);
	regfile_destroy(fmc);
	CHECK_EQ(rd(&axi_gpv_ops, g, 0x8108), 0U);
	wr(&axi_gpv_ops, g, 0x8108, 0xFFFFFFFFU);
	CHECK_EQ(rd(&axi_gpv_ops, g, 0x8108), 3U); /* two bits exist */
	axi_gpv_reset(g);
	CHECK_EQ(rd(&axi_gpv_ops, g, 0x8108), 0U);
	axi_gpv_free(g);
}

static bool quiet_read(void *dev, uint32_t off, unsigned size, uint32_t *v,
		       enum bus_master m)
{
	(void)dev;
	(void)off;
	(void)size;
	(void)m;
	*v = 0x55;
	return true;
}

static bool quiet_write(void *dev, uint32_t off, unsigned size, uint32_t v,
			enum bus_master m)
{
	(void)dev;
	(void)off;
	(void)size;
	(void)v;
	(void)m;
	return true;
}

static void reserved_faults_unmodelled_answers(void)
{
	static const struct mmio_ops model = {quiet_read, quiet_write};
	struct bus bus;
	struct periph_space *ps;
	uint32_t v;
	unsigned long unimp;

	sim_log_quiet(1);
	bus_init(&bus);
	bus_add_mmio(&bus, "RCC", 0x58024400U, 0x400, &model, NULL);
	ps = periph_space_attach(&bus, periph_space_h74x,
				 periph_space_h74x_count);
	/* A modelled block keeps its own region. */
	CHECK(bus_read(&bus, 0x58024400U, 4, &v, BUS_MASTER_CPU));
	CHECK_EQ(v, 0x55);
	/* USART2 exists: reads 0, logged once per register. */
	unimp = sim_log_count(LOG_UNIMP);
	CHECK(bus_read(&bus, 0x4000440CU, 4, &v, BUS_MASTER_CPU));
	CHECK_EQ(v, 0);
	CHECK(bus_write(&bus, 0x4000440CU, 4, 1, BUS_MASTER_CPU));
	CHECK_EQ(sim_log_count(LOG_UNIMP), unimp + 1);
	CHECK(bus_read(&bus, 0x40004410U, 2, &v, BUS_MASTER_CPU));
	CHECK_EQ(sim_log_count(LOG_UNIMP), unimp + 2);
	/* Reserved: 0x40006000 (between I2C3 and HDMI-CEC), 0x40024000,
	 * 0x58026800 and beyond the map's end fault. */
	CHECK(!bus_read(&bus, 0x40006000U, 4, &v, BUS_MASTER_CPU));
	CHECK(!bus_write(&bus, 0x40024000U, 4, 0, BUS_MASTER_CPU));
	CHECK(!bus_read(&bus, 0x58026800U, 4, &v, BUS_MASTER_CPU));
	CHECK(!bus_read(&bus, 0x5C002000U, 4, &v, BUS_MASTER_CPU));
	CHECK(periph_space_lookup(periph_space_h74x, periph_space_h74x_count,
				  0x52004000U) != NULL);
	periph_space_free(ps);
	bus_free(&bus);
}

static void clock_rules_tables(void)
{
	/* RM0433 Table 17 corners. */
	CHECK_EQ(flash_min_latency(VOS1, 70000000U), 0);
	CHECK_EQ(flash_min_latency(VOS1, 70000001U), 1);
	CHECK_EQ(flash_min_latency(VOS1, 200000000U), 2);
	CHECK_EQ(flash_min_latency(VOS1, 240000000U), -1);
	CHECK_EQ(flash_min_latency(VOS0, 240000000U), 4);
	CHECK_EQ(flash_min_latency(VOS3, 64000000U), 1);
	CHECK_EQ(flash_min_latency(VOS2, 165000000U), 2);
	CHECK_EQ(vos_limits[VOS1].cpu_max_hz, 400000000U);
	CHECK_EQ(vos_limits[VOS3].hclk_max_hz, 100000000U);
	CHECK_EQ(pll_vco_range(0, true).max_hz, 960000000U);
	CHECK_EQ(pll_vco_range(0, false).max_hz, 836000000U);
	CHECK_EQ(pll_vco_range(1, true).min_hz, 150000000U);
}

static void guard_reports_each_broken_rule(void)
{
	struct vclock clk;
	struct rcc *r;
	struct pwr *p = pwr_new(true);
	struct bus bus;
	struct bus_region *fl;
	struct flash_ctrl *fc;
	struct clock_guard g;
	unsigned long errs;

	sim_log_quiet(1);
	memset(&clk, 0, sizeof(clk));
	r = rcc_new(25000000, &clk);
	bus_init(&bus);
	fl = bus_add_memory(&bus, "flash", 0x08000000U, 0x20000,
			    REGION_READ | REGION_EXEC | REGION_WRITE_BY_MODEL);
	fc = flash_ctrl_new(&flash_family_h74x, &bus, fl, 0x20000, &clk);
	CHECK(fc != NULL);
	clock_guard_init(&g, r, p, fc);
	rcc_on_clock_change(r, clock_guard_check, &g);
	pwr_on_change(p, clock_guard_check, &g);
	flash_ctrl_on_acr(fc, clock_guard_check, &g);
	clock_guard_check(&g);
	CHECK_EQ(g.broken, 0U); /* 64 MHz at VOS3, 7 wait states */
	/* 0 wait states at 64 MHz / VOS3: one needed. */
	errs = sim_log_count(LOG_GUEST_ERROR);
	flash_ctrl_reg_ops.write(fc, 0x000, 4, 0x00, BUS_MASTER_CPU);
	CHECK(clock_guard_flash_unreliable(&g));
	CHECK_EQ(sim_log_count(LOG_GUEST_ERROR), errs + 1);
	/* Logged when it becomes broken, not at every check. */
	clock_guard_check(&g);
	CHECK_EQ(sim_log_count(LOG_GUEST_ERROR), errs + 1);
	flash_ctrl_reg_ops.write(fc, 0x000, 4, 0x22, BUS_MASTER_CPU);
	CHECK(!clock_guard_flash_unreliable(&g));
	/* PLL1 at 400 MHz while still at VOS3: CPU and AXI over the limit. */
	errs = sim_log_count(LOG_GUEST_ERROR);
	rcc_ops.write(r, 0x00, 4, 0x00010001U, BUS_MASTER_CPU);
	vclock_advance_to(&clk, clk.cycles + 10000000ULL); /* HSE start-up */
	rcc_ops.write(r, 0x28, 4, 0x02020052U, BUS_MASTER_CPU);
	rcc_ops.write(r, 0x2C, 4, 0x01FF0008U | 0x70000U, BUS_MASTER_CPU);
	rcc_ops.write(r, 0x30, 4, 159U | (1U << 9) | (3U << 16) | (1U << 24),
		      BUS_MASTER_CPU);
	rcc_ops.write(r, 0x00, 4, 0x01010001U, BUS_MASTER_CPU);
	vclock_advance_to(&clk, clk.cycles + 10000000ULL); /* PLL lock */
	rcc_ops.write(r, 0x18, 4, 0x48U, BUS_MASTER_CPU);
	rcc_ops.write(r, 0x10, 4, 3U, BUS_MASTER_CPU);
	CHECK_EQ(rcc_cpu_hz(r), 400000000U);
	CHECK_EQ(sim_log_count(LOG_GUEST_ERROR), errs + 3);
	/* Scale 1: all rules hold again. */
	pwr_ops.write(p, 0x0C, 4, 0x2U, BUS_MASTER_CPU);
	pwr_ops.write(p, 0x18, 4, 3U << 14, BUS_MASTER_CPU);
	CHECK_EQ(g.broken, 0U);
	flash_ctrl_free(fc);
	bus_free(&bus);
	rcc_free(r);
	pwr_free(p);
}

UNIT_MAIN("sim_startup", UNIT_TEST(supply_written_once),
	  UNIT_TEST(voltage_scales_and_vos0), UNIT_TEST(pwr_register_bits),
	  UNIT_TEST(fmc_and_gpv_hold_writes),
	  UNIT_TEST(reserved_faults_unmodelled_answers),
	  UNIT_TEST(clock_rules_tables),
	  UNIT_TEST(guard_reports_each_broken_rule))
