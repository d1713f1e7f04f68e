/* An STM32F7 board: the F74x/75x (RM0385) and F76x/77x (RM0410) memory
 * map, debug port, RCC/PWR, flash controller, GPIO and the QUADSPI at
 * 0xA0001000 with the memory chip on the board's six nets
 * (docs/hardware-stm32f7.md). */
#include "sim_f7.h"

#include <stdlib.h>
#include <string.h>

#include "bus_clocks.h"
#include "cpu/dcache.h"
#include "periph/flash_f7.h"
#include "periph/gpio.h"
#include "periph/periph_space_f7.h"
#include "periph/quadspi.h"
#include "periph/rcc_f7.h"
#include "util/log.h"
#include "sim_blocks.h"
#include "wire/xspi_wire.h"

#define HSI_RESET_HZ 16000000U		/* RM0385 §5, HSI */
#define F7_FLASH_BASE 0x08000000U
#define F7_FLASH_ITCM 0x00200000U	/* RM0385 §2, memory map */
#define F7_SYSMEM_BASE 0x1FF00000U	/* system memory, OTP, device data */
#define F7_SYSMEM_SIZE 0x10000U
/* RM0385, device electronic signature: the unique ID and flash size. */
#define F7_UID_OFFSET 0xF420U		/* 0x1FF0F420, 96 bits */
#define F7_FLASH_SIZE_OFFSET 0xF442U	/* 0x1FF0F442, KiB, 16 bits */
#define F7_OTP_OFFSET 0xF000U		/* 0x1FF0F000, 1 KiB + lock bytes */
#define F7_OTP_SIZE 0x420U
#define F7_DBGMCU_BASE 0xE0042000U	/* RM0385, debug support: DBGMCU */
#define F7_GPIO_BASE 0x40020000U
#define F7_SYSCFG_BASE 0x40013800U
#define PPB_BASE 0xE0000000U
#define PPB_SIZE 0x100000U
#define F7_JTAG_DP_IDCODE 0x5BA00477U	/* OpenOCD target/stm32f7x.cfg */
#define F7_DPIDR 0x5BA02477U
/* AHB-AP of the Cortex-M7 r0p1 in the F7 (pyOCD log of an F767, issue
 * #890: IDR 0x74770001, default HPROT 0xB); BASE: the Cortex-M7 ROM
 * table. */
#define F7_AHB_AP_IDR 0x74770001U
#define F7_AHB_AP_BASE 0xE00FF003U
#define F7_AHB_AP_CSW 0x0B000040U

/* DBGMCU (RM0385, debug support: DBGMCU): IDCODE read-only; CR and the freeze
 * registers hold what is written. */
static const struct regfile_reg dbgmcu_regs[] = {
	{0x000, 0, 0, 0, 0},			/* IDCODE, set at create */
	{0x004, 0, 0x000000E7U, 0, 0},		/* CR */
	{0x008, 0, 0x07E01FFFU, 0, 0},		/* APB1_FZ */
	{0x00C, 0, 0x00070003U, 0, 0},		/* APB2_FZ */
};

/* SYSCFG (RM0385 §7, RM0410 §7, register maps): MEMRMP with MEM_BOOT 0
 * (boot from BOOT_ADD0) and SWP_FMC, FB_MODE on the F76x; PMC with the
 * ADCxDC2 and MII_RMII_SEL bits, the Fm+ bits on the F76x; EXTICR1-4 of
 * four 4-bit fields; CMPCR, whose READY follows CMP_PD (the compensation
 * cell's start-up time is not modelled). */
#define SYSCFG_EXTICR(off) {off, 0, 0x0000FFFFU, 0, 0}
static const struct regfile_reg syscfg_f74x_regs[] = {
	{0x000, 0, 0x00000C00U, 0, 0},		/* MEMRMP */
	{0x004, 0, 0x00870000U, 0, 0},		/* PMC */
	SYSCFG_EXTICR(0x008), SYSCFG_EXTICR(0x00C), SYSCFG_EXTICR(0x010),
	SYSCFG_EXTICR(0x014),
	{0x020, 0, 0x00000001U, 0x1U, 0x100U},	/* CMPCR */
};
static const struct regfile_reg syscfg_f76x_regs[] = {
	{0x000, 0, 0x00000D00U, 0, 0},		/* MEMRMP */
	{0x004, 0, 0x008700FFU, 0, 0},		/* PMC */
	SYSCFG_EXTICR(0x008), SYSCFG_EXTICR(0x00C), SYSCFG_EXTICR(0x010),
	SYSCFG_EXTICR(0x014),
	{0x020, 0, 0x00000001U, 0x1U, 0x100U},	/* CMPCR */
};

#define N(a) (unsigned)(sizeof(a) / sizeof((a)[0]))

/* The PPB model takes offsets from 0xE0000000; the DBGMCU sits inside
 * the PPB on F7, so the PPB is mapped as two regions around it and the
 * upper one adds its distance from the PPB base back. */
struct ppb_part {
	struct core *cpu;
	uint32_t skip;
};


static bool ppb_part_read(void *dev, uint32_t off, unsigned size,
			  uint32_t *value, enum bus_master master)
{
	struct ppb_part *p = dev;

	return core_ppb_ops()->read(p->cpu, off + p->skip, size, value,
				    master);
}

static bool ppb_part_write(void *dev, uint32_t off, unsigned size,
			   uint32_t value, enum bus_master master)
{
	struct ppb_part *p = dev;

	return core_ppb_ops()->write(p->cpu, off + p->skip, size, value,
				     master);
}

static const struct mmio_ops ppb_part_ops = {ppb_part_read, ppb_part_write};

/* GPIO reset values of the F7 (RM0385 §6, GPIO registers): port A and B carry
 * the debug pins; every other pin is a floating input (not analog as on
 * H7). */
static void gpio_f7_reset_port(struct gpio *g, unsigned n)
{
	static const uint32_t moder[2] = {0xA8000000U, 0x00000280U};
	static const uint32_t ospeedr[2] = {0x0C000000U, 0x000000C0U};
	static const uint32_t pupdr[2] = {0x64000000U, 0x00000100U};
	void *port = gpio_port(g, n);

	gpio_reset_port(g, n);
	gpio_ops.write(port, 0x00, 4, n < 2 ? moder[n] : 0, BUS_MASTER_DEBUG);
	gpio_ops.write(port, 0x08, 4, n < 2 ? ospeedr[n] : 0,
		       BUS_MASTER_DEBUG);
	gpio_ops.write(port, 0x0C, 4, n < 2 ? pupdr[n] : 0, BUS_MASTER_DEBUG);
}

/* What the F7 board's callbacks need, one per board (struct sim). */
struct sim_f7_parts {
	struct ppb_part ppb_low, ppb_high;
	struct sim_port_reset port_resets[GPIO_PORTS];
};

static void on_gpio_port_reset(void *ctx)
{
	struct sim_port_reset *r = ctx;

	gpio_f7_reset_port(r->gpio, r->port);
}

static uint32_t qspi_kernel_hz(void *ctx)
{
	return rcc_f7_qspi_kernel_hz(ctx);
}

static void on_qspi_reset(void *ctx)
{
	quadspi_reset(ctx);
}

/* The flash checks its wait states against HCLK (RM0385 §3, Table 5). */
static void on_hclk(void *ctx, uint32_t hclk)
{
	struct sim *sim = ctx;

	flash_f7_set_hclk(sim->flash_f7, hclk);
}

static void on_transaction(void *ctx)
{
	struct sim *sim = ctx;

	/* As on the H7 boards (sim.c), a transaction of a halted core
	 * stands for the time the core's slice takes at the reset clock. */
	if (core_run(sim->cpu, sim->slice_per_transaction) == 0) {
		uint64_t ns = sim->slice_per_transaction * 1000000000ULL /
			      HSI_RESET_HZ;

		flash_f7_idle(sim->flash_f7, ns);
		rcc_f7_idle(sim->rcc_f7, ns);
	}
}

static void reset_peripherals(struct sim *sim,
			      enum rcc_f7_reset_cause cause);

/* AIRCR.SYSRESETREQ: a system reset that RCC_CSR records as a software
 * reset (RM0385 §5.1.2). */
static void on_syscfg_reset(void *ctx)
{
	regfile_reset(ctx);
}

static void on_sysreset(void *ctx)
{
	struct sim *sim = ctx;

	reset_peripherals(sim, RCC_F7_SOFTWARE_RESET);
	core_reset(sim->cpu, false);
}

/* The F7 blocks with an RCC enable bit (RM0385 §5, RCC registers). The
 * PWR registers belong to the RCC model (rcc_f7.c). */
enum f7_block { F7_QUADSPI, F7_PWR, F7_SYSCFG, F7_BLOCKS };
#define RCC_F7_APB2ENR 0x044U
#define RCC_F7_APB2RSTR 0x024U
#define RCC_F7_APB2_SYSCFG 14U	/* SYSCFGEN / SYSCFGRST */

static const struct sim_block f7_blocks[F7_BLOCKS] = {
	[F7_QUADSPI] = {"QUADSPI", QUADSPI_F7_BASE, QUADSPI_REG_SIZE,
			&quadspi_reg_ops, RCC_F7_AHB3ENR, RCC_F7_AHB3_QSPI,
			RCC_F7_AHB3RSTR, RCC_F7_AHB3_QSPI, on_qspi_reset},
	[F7_PWR] = {"PWR", PWR_F7_BASE, PWR_F7_SIZE, &pwr_f7_ops,
		    RCC_F7_APB1ENR, RCC_F7_APB1_PWR, 0, 0, NULL},
	[F7_SYSCFG] = {"SYSCFG", F7_SYSCFG_BASE, 0x400, NULL, RCC_F7_APB2ENR,
		       RCC_F7_APB2_SYSCFG, RCC_F7_APB2RSTR, RCC_F7_APB2_SYSCFG,
		       on_syscfg_reset},
};

static int add_xspi(struct sim *sim)
{
	struct rcc_lines *rcc = rcc_f7_lines(sim->rcc_f7);

	if (sim_add_gpio_and_wire(sim, rcc, F7_GPIO_BASE, RCC_F7_AHB1ENR,
				  RCC_F7_AHB1RSTR, on_gpio_port_reset,
				  sim->f7_parts->port_resets) != 0)
		return -1;
	return sim_add_quadspi(sim, rcc, &f7_blocks[F7_QUADSPI],
			       QUADSPI_FAMILY_F7, qspi_kernel_hz, sim->rcc_f7);
}

static void fill_system_memory(struct sim *sim)
{
	uint8_t *m = sim->sysmem->mem;
	/* One fixed die per profile: X/Y wafer position, wafer number and
	 * lot as ST encodes the 96-bit unique ID (RM0385, device electronic
	 * signature). */
	static const uint8_t uid[12] = {0x36, 0x00, 0x29, 0x00, 0x0B, 0x51,
					0x34, 0x37, 0x38, 0x31, 0x36, 0x32};

	/* The OTP area reads erased (RM0385 §3, OTP area). */
	memset(m + F7_OTP_OFFSET, 0xFF, F7_OTP_SIZE);
	sim_write_signature(m, F7_UID_OFFSET, uid, F7_FLASH_SIZE_OFFSET,
			    sim->board->flash_size);
}

/* What a board carries from the factory; the stack at the top of the
 * F74x DTCM. */
static int load_factory_program(struct sim *sim)
{
	uint32_t size = sim->board->flash_size;
	uint8_t *image = sim_factory_image(size, 0x20010000U);

	if (!image)
		return -1;
	flash_f7_load(sim->flash_f7, image, size);
	free(image);
	return 0;
}

int sim_f7_create(struct sim *sim, const struct board_profile *board,
		  const struct fault_set *faults, uint64_t seed)
{
	struct bus *b = &sim->sysbus;
	bool f76x = board->line == MCU_STM32F76X;

	sim_begin(sim, board, faults, seed, HSI_RESET_HZ, F7_FLASH_BASE);
	sim->f7_parts = calloc(1, sizeof(*sim->f7_parts));
	if (!sim->f7_parts)
		return -1;
	sim->flash_f7 = flash_f7_new(f76x ? &flash_f7_family_f76x
					  : &flash_f7_family_f74x,
				     b, sim->flash, board->flash_size,
				     &sim->clk);
	if (!sim->flash_f7)
		return -1;
	sim->flash->ops = &flash_f7_mem_ops;
	sim->flash->dev = sim->flash_f7;
	for (unsigned s = 0; s < FLASH_F7_MAX_SECTORS; s++)
		if (faults->flash_fail[s / 64] >> (s % 64) & 1U)
			flash_f7_fail_sector(sim->flash_f7, s);
	bus_add_mmio(b, "flash (ITCM)", F7_FLASH_ITCM, board->flash_size,
		     &flash_f7_itcm_ops, sim->flash_f7);
	sim->sysmem = bus_add_memory(b, "system memory", F7_SYSMEM_BASE,
				     F7_SYSMEM_SIZE, REGION_READ | REGION_EXEC);
	fill_system_memory(sim);
	bus_add_mmio(b, "FLASH", FLASH_F7_REG_BASE, FLASH_F7_REG_SIZE,
		     &flash_f7_reg_ops, sim->flash_f7)->read_stable =
		flash_f7_reg_read_stable;

	sim->rcc_f7 = rcc_f7_new(fault_hse_hz(&sim->faults, board->hse_hz),
				 f76x, &sim->clk);
	rcc_f7_on_hclk(sim->rcc_f7, on_hclk, sim);
	bus_add_mmio(b, "RCC", RCC_F7_BASE, RCC_F7_SIZE, &rcc_f7_ops,
		     sim->rcc_f7)->read_stable = rcc_f7_read_stable;
	sim_add_block(sim, rcc_f7_lines(sim->rcc_f7), &f7_blocks[F7_PWR],
		      sim->rcc_f7);
	if (add_xspi(sim) != 0)
		return -1;
	{
		struct sim_block syscfg = f7_blocks[F7_SYSCFG];

		sim->syscfg = f76x ? regfile_create("SYSCFG", 0x400,
						    syscfg_f76x_regs,
						    N(syscfg_f76x_regs), 1)
				   : regfile_create("SYSCFG", 0x400,
						    syscfg_f74x_regs,
						    N(syscfg_f74x_regs), 1);
		syscfg.ops = regfile_ops();
		sim_add_block(sim, rcc_f7_lines(sim->rcc_f7), &syscfg,
			      sim->syscfg);
	}
	sim->dbgmcu = regfile_create("DBGMCU", 0x1000, dbgmcu_regs,
				     N(dbgmcu_regs), 1);
	sim_add_regfile(b, sim->dbgmcu, F7_DBGMCU_BASE);
	bus_add_mmio(b, "PPB", PPB_BASE, F7_DBGMCU_BASE - PPB_BASE,
		     &ppb_part_ops, &sim->f7_parts->ppb_low);
	bus_add_mmio(b, "PPB", F7_DBGMCU_BASE + 0x1000U,
		     PPB_BASE + PPB_SIZE - (F7_DBGMCU_BASE + 0x1000U),
		     &ppb_part_ops, &sim->f7_parts->ppb_high);

	/* Last: the peripherals psramsim does not model answer as idle
	 * blocks (RM0385/RM0410 Table 1), reserved space is a bus error. */
	sim->periph_space =
		f76x ? periph_space_attach(b, periph_space_f76x,
					   periph_space_f76x_count)
		     : periph_space_attach(b, periph_space_f74x,
					   periph_space_f74x_count);

	sim->cpu = core_create(b, &sim->clk, F7_FLASH_ITCM);
	/* L1 data cache: 4 Kbytes on the F74x/75x (DS10916 "Arm Cortex-M7
	 * with FPU"), 16 Kbytes on the F76x/77x (DS11532, same section). */
	if (!sim->cpu || dcache_attach(sim->cpu, f76x ? 16 : 4))
		return -1;
	/* The F74x/75x carry a Cortex-M7 r0p1 with a single-precision FPU,
	 * the F76x/77x r1p0 with a double-precision one (ST's CMSIS device
	 * headers, __CM7_REV; DS10916 and DS11532 "Arm Cortex-M7 with
	 * FPU"); ITCM RAM 16 KiB, DTCM 64 or 128 KiB (RM0385 and RM0410
	 * §2.2.2); interrupts at vector positions 0-97 (RM0385, SPDIF-RX
	 * last) or 0-109 (RM0410, MDIOS last). */
	core_set_identity(sim->cpu,
			  &(struct core_identity){
				  f76x ? 0x411FC270U : 0x410FC271U, f76x,
				  16U << 10, (f76x ? 128U : 64U) << 10,
				  f76x ? 110U : 98U});
	sim->f7_parts->ppb_low.cpu = sim->cpu;
	sim->f7_parts->ppb_low.skip = 0;
	sim->f7_parts->ppb_high.cpu = sim->cpu;
	sim->f7_parts->ppb_high.skip = F7_DBGMCU_BASE + 0x1000U - PPB_BASE;
	/* RM0385 vector table: FLASH global interrupt at position 4. */
	flash_f7_set_irq(sim->flash_f7, core_irq_line(sim->cpu, 4));
	quadspi_set_irq(sim->qspi, core_irq_line(sim->cpu, QUADSPI_IRQN));
	core_set_sysreset_handler(sim->cpu, on_sysreset, sim);
	if (sim_bus_costs_attach(sim) != 0)
		return -1;
	if (core_map_bus(sim->cpu) != 0 || load_factory_program(sim) != 0)
		return -1;

	adi_init(&sim->dp, F7_DPIDR);
	adi_set_mem_ap(&sim->dp, 0, ADI_AP_AHB, b, F7_AHB_AP_IDR,
		       F7_AHB_AP_BASE, F7_AHB_AP_CSW);
	sim->dp.on_transaction = on_transaction;
	sim->dp.ctx = sim;
	jtag_init(&sim->chain, board->bs_idcode, F7_JTAG_DP_IDCODE, &sim->dp);
	sim_f7_power_on(sim);
	return 0;
}

static void reset_peripherals(struct sim *sim, enum rcc_f7_reset_cause cause)
{
	/* Reset brings HCLK back to the HSI (RM0385 §5) and LATENCY to 0. */
	flash_f7_set_hclk(sim->flash_f7, HSI_RESET_HZ);
	flash_f7_reset(sim->flash_f7);
	rcc_f7_reset(sim->rcc_f7, cause);
	gpio_reset(sim->gpio);
	for (unsigned n = 0; n < GPIO_PORTS; n++)
		gpio_f7_reset_port(sim->gpio, n);
	quadspi_reset(sim->qspi);
	regfile_reset(sim->syscfg);
	/* REV_ID[31:16], DEV_ID[11:0]; bits 15:12 read 0x6 on these parts as
	 * on the other STM32s (OpenOCD logs "device id = 0x10006452" for an
	 * F72x). */
	regfile_set(sim->dbgmcu, 0x000,
		    (uint32_t)sim->board->rev_id << 16 | 0x6000U |
			    sim->board->dev_id);
}

void sim_f7_power_on(struct sim *sim)
{
	regfile_reset(sim->dbgmcu);
	reset_peripherals(sim, RCC_F7_POWER_ON);
	core_reset(sim->cpu, true);
}

void sim_f7_system_reset(struct sim *sim)
{
	/* RM0385 §5, system reset: a system reset leaves the debug block alone.
	 * This one comes from NRST (the debugger's SRST). */
	reset_peripherals(sim, RCC_F7_PIN_RESET);
	core_reset(sim->cpu, false);
}

void sim_f7_destroy(struct sim *sim)
{
	dcache_detach(sim->cpu);
	core_destroy(sim->cpu);
	regfile_destroy(sim->dbgmcu);
	regfile_destroy(sim->syscfg);
	flash_f7_free(sim->flash_f7);
	quadspi_free(sim->qspi);
	xspi_wire_free(sim->wire);
	gpio_free(sim->gpio);
	rcc_f7_free(sim->rcc_f7);
	periph_space_free(sim->periph_space);
	free(sim->f7_parts);
	bus_free(&sim->sysbus);
	bus_free(&sim->apb_d);
}
