#include "sim.h"

#include <stdlib.h>
#include <string.h>

#include "bus_clocks.h"
#include "chips/psram.h"
#include "cpu/dcache.h"
#include "periph/axi_gpv.h"
#include "periph/flash_ctrl.h"
#include "periph/fmc.h"
#include "periph/periph_space.h"
#include "periph/pwr.h"
#include "periph/syscfg.h"
#include "periph/uart_port.h"
#include "periph/usart.h"
#include "periph/gpio.h"
#include "periph/octospi.h"
#include "periph/octospim.h"
#include "util/log.h"
#include "periph/quadspi.h"
#include "periph/pwr_h7a3.h"
#include "periph/rcc.h"
#include "periph/rcc_h7a3.h"
#include "periph/tim16.h"
#include "periph/trng.h"
#include "periph/rtc.h"
#include "wire/xspi_wire.h"
#include "sim_blocks.h"
#include "sim_f7.h"

/* HSI after reset (docs/hardware-stm32h7.md §3). */
#define HSI_RESET_HZ 64000000U
#define H7_FLASH_BASE 0x08000000U
#define H7_FLASH_REG_BASE 0x52002000U	/* RM0433 §2.3.2 memory map */
#define H7_SYSMEM_BASE 0x1FF00000U
#define H7_SYSMEM_SIZE 0x20000U
#define H7_UID_OFFSET 0x1E800U		/* 0x1FF1E800, 96 bits */
#define H7_FLASH_SIZE_OFFSET 0x1E880U	/* 0x1FF1E880, KiB, 16 bits */
/* RM0455: the STM32H7A3/B3/B0 keep the unique ID (96 bits) and the
 * flash-size word (KiB, 16 bits) at 0x08FFF800 and 0x08FFF80C, which is
 * where OpenOCD's stm32h7x driver reads the size of a DEV_ID 0x480 part. */
#define H7A3_DEVINFO_BASE 0x08FFF800U
#define H7A3_DEVINFO_SIZE 0x800U
#define H7A3_UID_OFFSET 0x000U
#define H7A3_FLASH_SIZE_OFFSET 0x00CU
#define H7_DBGMCU_BASE 0x5C001000U
#define H7_APBD_DBGMCU 0xE00E1000U
#define PPB_BASE 0xE0000000U
#define PPB_SIZE 0x100000U

/* DBGMCU (RM0433 §60.5.8): IDCODE read-only; CR and the freeze registers
 * hold what is written. */
static const struct regfile_reg dbgmcu_regs[] = {
	{0x000, 0, 0, 0, 0},			/* IDCODE, set at create */
	{0x004, 0, 0x3070003FU, 0, 0},		/* CR */
	{0x034, 0, 0x00000040U, 0, 0},		/* APB3FZ1 */
	{0x03C, 0, 0x00C00BFFU, 0, 0},		/* APB1LFZ1 */
	{0x044, 0, 0x00000020U, 0, 0},		/* APB1HFZ1 */
	{0x04C, 0, 0x20070003U, 0, 0},		/* APB2FZ1 */
	{0x054, 0, 0x000C1680U, 0, 0},		/* APB4FZ1 */
};

static const struct regfile_reg swtf_regs[] = {
	{0x000, 0, 0x00000003U, 0, 0},		/* SWTF_CTRL */
};

static const struct regfile_reg empty_regs[] = {
	{0xFFC, 0, 0, 0, 0},
};

/* The system ROM table on the debug APB (0xE00E0000): DBGMCU, SWO, SWTF,
 * TPIU entries, as a read-only list. */
static const struct regfile_reg apbd_rom_regs[] = {
	{0x000, 0x00001003U, 0, 0, 0},
	{0x004, 0x00003003U, 0, 0, 0},
	{0x008, 0x00004003U, 0, 0, 0},
	{0x00C, 0x00015003U, 0, 0, 0},
	{0x010, 0, 0, 0, 0},
	{0xFCC, 1, 0, 0, 0},
	{0xFF0, 0x0D, 0, 0, 0},
	{0xFF4, 0x10, 0, 0, 0},
	{0xFF8, 0x05, 0, 0, 0},
	{0xFFC, 0xB1, 0, 0, 0},
};

#define N(a) (unsigned)(sizeof(a) / sizeof((a)[0]))

static bool is_h7a3(const struct sim *sim)
{
	return sim->board->line == MCU_STM32H7A3;
}

static void fill_system_memory(struct sim *sim)
{
	uint8_t *m = sim->sysmem->mem;
	uint32_t uid_at = H7_UID_OFFSET, size_at = H7_FLASH_SIZE_OFFSET;
	/* A fixed unique ID per board profile: wafer position and lot as ST
	 * encodes them (RM0433 §61.1); psramsim has one die per profile. */
	static const uint8_t uid[12] = {0x2B, 0x00, 0x3A, 0x00, 0x11, 0x51,
					0x30, 0x39, 0x36, 0x35, 0x38, 0x34};

	if (is_h7a3(sim)) {
		m = sim->devinfo->mem;
		uid_at = H7A3_UID_OFFSET;
		size_at = H7A3_FLASH_SIZE_OFFSET;
	}
	sim_write_signature(m, uid_at, uid, size_at, sim->board->flash_size);
}

/* What a board carries from the factory, so the core has something to run
 * after power-on (RM0433 boot from 0x08000000); the stack at the top of
 * DTCM. */
static int load_factory_program(struct sim *sim)
{
	uint32_t size = sim->board->flash_size;
	uint8_t *image = sim_factory_image(size, 0x20020000U);

	if (!image)
		return -1;
	flash_ctrl_load(sim->flashc, image, size);
	free(image);
	return 0;
}

static void system_reset(struct sim *sim, enum rcc_reset_cause cause);

/* PWR_CR1.DBP of either PWR model guards RCC_BDCR. */
static bool backup_writable_h74x(void *ctx)
{
	return pwr_backup_writable(ctx);
}

static bool backup_writable_h7a3(void *ctx)
{
	return pwr_h7a3_backup_writable(ctx);
}

/* SCB_AIRCR.SYSRESETREQ (OpenOCD's `reset` on these targets). */
static void on_sysreset(void *ctx)
{
	system_reset(ctx, RCC_RESET_SOFTWARE);
}

static void on_transaction(void *ctx)
{
	struct sim *sim = ctx;

	/* Time passes while the core is halted too: a transaction stands for
	 * the time the core's slice takes at the 64 MHz reset clock (312 us
	 * for 20 000 instructions), about what one costs through a USB probe,
	 * so a flash erase polled by the debugger ends after as many polls as
	 * on silicon. */
	if (core_run(sim->cpu, sim->slice_per_transaction) == 0 &&
	    !core_is_running(sim->cpu))
		core_idle(sim->cpu,
			  vclock_cycles_for_ns(&sim->clk,
					       sim->slice_per_transaction *
						       1000000000ULL /
						       HSI_RESET_HZ));
}

static uint32_t qspi_kernel_hz(void *ctx)
{
	return rcc_qspi_kernel_hz(ctx);
}

static void qspi_reset(void *ctx)
{
	quadspi_reset(ctx);
}

static struct sim_port_reset port_resets[GPIO_PORTS];

static void gpio_port_reset(void *ctx)
{
	struct sim_port_reset *r = ctx;

	gpio_reset_port(r->gpio, r->port);
}

static void ospi_reset(void *ctx)
{
	octospi_reset(ctx);
}

static void ospim_reset(void *ctx)
{
	octospim_reset(ctx);
}

static void usart_reset_hook(void *ctx)
{
	usart_reset(ctx);
}

/* The H7 blocks with an RCC enable bit: where each one is and the bits
 * that clock and reset it (RM0433 §8.7; the H7A3's, RM0455 §8.7). */
enum h7_block {
	H7_QUADSPI,
	H7_TIM16,
	H7_RNG,
	H7_RTC,
	H7_SYSCFG,
	H7A3_OCTOSPIM,
	H7A3_OCTOSPI1,
	H7A3_OCTOSPI2,
	H7_BLOCKS
};

static const struct sim_block h7_blocks[H7_BLOCKS] = {
	[H7_QUADSPI] = {"QUADSPI", QUADSPI_H7_BASE, QUADSPI_REG_SIZE,
			&quadspi_reg_ops, RCC_AHB3ENR, RCC_AHB3_QSPI,
			RCC_AHB3RSTR, RCC_AHB3_QSPI, qspi_reset},
	/* TIM16, whose channel 1 captures the LSI (RM0433 §41): the
	 * independent reference a program checks the core clock against. */
	[H7_TIM16] = {"TIM16", TIM16_H7_BASE, TIM16_REG_SIZE, &tim16_ops,
		      RCC_APB2ENR, RCC_APB2_TIM16, RCC_APB2RSTR,
		      RCC_APB2_TIM16, tim16_reset},
	/* The RNG (RM0433 §34). */
	[H7_RNG] = {"RNG", TRNG_H7_BASE, TRNG_REG_SIZE, &trng_ops, RCC_AHB2ENR,
		    RCC_AHB2_RNG, RCC_AHB2RSTR, RCC_AHB2_RNG, trng_reset},
	/* The RTC (RM0433 §46), in the backup domain: clocked through
	 * APB4ENR.RTCAPBEN, reset by RCC_BDCR.BDRST and at power-on only. */
	[H7_RTC] = {"RTC", RTC_H7_BASE, RTC_REG_SIZE, &rtc_ops, RCC_APB4ENR,
		    RCC_APB4_RTCAPB, RCC_BDCR, RCC_BDCR_BDRST,
		    rtc_backup_reset},
	[H7_SYSCFG] = {"SYSCFG", SYSCFG_H7_BASE, SYSCFG_REG_SIZE, &syscfg_ops,
		       RCC_APB4ENR, RCC_APB4_SYSCFG, 0, 0, NULL},
	/* OCTOSPI1/2 and the I/O manager (docs/hardware-stm32h7a3.md §6,
	 * §7), clocked and reset by AHB3ENR/AHB3RSTR (RM0455 §8.7). */
	[H7A3_OCTOSPIM] = {"OCTOSPIM", OCTOSPIM_BASE, OCTOSPIM_SIZE,
			   &octospim_ops, RCC_H7A3_AHB3ENR,
			   RCC_H7A3_AHB3_IOMNGR, RCC_H7A3_AHB3RSTR,
			   RCC_H7A3_AHB3_IOMNGR, ospim_reset},
	[H7A3_OCTOSPI1] = {"OCTOSPI1", OCTOSPI1_BASE, OCTOSPI_REG_SIZE,
			   &octospi_reg_ops, RCC_H7A3_AHB3ENR,
			   RCC_H7A3_AHB3_OCTOSPI1, RCC_H7A3_AHB3RSTR,
			   RCC_H7A3_AHB3_OCTOSPI1, ospi_reset},
	[H7A3_OCTOSPI2] = {"OCTOSPI2", OCTOSPI2_BASE, OCTOSPI_REG_SIZE,
			   &octospi_reg_ops, RCC_H7A3_AHB3ENR,
			   RCC_H7A3_AHB3_OCTOSPI2, RCC_H7A3_AHB3RSTR,
			   RCC_H7A3_AHB3_OCTOSPI2, ospi_reset},
};

/* Maps H7 block `which` with `dev` behind it, gated and reset by the RCC. */
static void h7_add(struct sim *sim, enum h7_block which, void *dev)
{
	sim_add_block(sim, rcc_lines_of(sim->rcc), &h7_blocks[which], dev);
}

/* The U(S)ARTs of RM0433 Table 8 with their clock enable and reset bits
 * (§8.7.36-§8.7.40) and NVIC positions (Table 147). */
#define USART(name, base, enr, rstr, bit)                                      \
	{name, base, USART_REG_SIZE, &usart_ops, enr, bit, rstr, bit,          \
	 usart_reset_hook}
static const struct {
	struct sim_block blk;
	bool usart16;		/* kernel clock from USART16SEL */
	unsigned irqn;
} usarts[8] = {
	{USART("USART1", 0x40011000U, RCC_APB2ENR, RCC_APB2RSTR, 4), true, 37},
	{USART("USART2", 0x40004400U, RCC_APB1LENR, RCC_APB1LRSTR, 17), false,
	 38},
	{USART("USART3", 0x40004800U, RCC_APB1LENR, RCC_APB1LRSTR, 18), false,
	 39},
	{USART("UART4", 0x40004C00U, RCC_APB1LENR, RCC_APB1LRSTR, 19), false,
	 52},
	{USART("UART5", 0x40005000U, RCC_APB1LENR, RCC_APB1LRSTR, 20), false,
	 53},
	{USART("USART6", 0x40011400U, RCC_APB2ENR, RCC_APB2RSTR, 5), true, 71},
	{USART("UART7", 0x40007800U, RCC_APB1LENR, RCC_APB1LRSTR, 30), false,
	 82},
	{USART("UART8", 0x40007C00U, RCC_APB1LENR, RCC_APB1LRSTR, 31), false,
	 83},
};

/* H7A3: OCTOSPI1/2 and the I/O manager. The windows answer for
 * themselves (bus errors), like the QUADSPI window. */
static int add_octospi(struct sim *sim)
{
	static const uint32_t windows[2] = {OCTOSPI1_MEM_BASE,
					    OCTOSPI2_MEM_BASE};
	static const char *const window_names[2] = {"OCTOSPI1 window",
						    "OCTOSPI2 window"};
	struct bus_region *r;

	sim->ospim = octospim_new();
	h7_add(sim, H7A3_OCTOSPIM, sim->ospim);
	for (unsigned i = 0; i < 2; i++) {
		sim->ospi[i] = octospi_new(i, &sim->clk, qspi_kernel_hz,
					   sim->rcc, octospim_routes_port1,
					   sim->ospim, sim->wire);
		if (!sim->ospi[i])
			return -1;
		octospi_set_bus_wait(sim->ospi[i], sim->faults.xspi_wait);
		h7_add(sim, H7A3_OCTOSPI1 + i, sim->ospi[i]);
		r = bus_add_mmio(&sim->sysbus, window_names[i], windows[i],
				 OCTOSPI_MEM_SIZE, &octospi_mem_ops,
				 sim->ospi[i]);
		r->flags |= REGION_DCACHE;
	}
	octospim_attach(sim->ospim, sim->ospi[0], sim->ospi[1]);
	return 0;
}

/* RCC, GPIO, the QUADSPI and what hangs off it: the memory chip on six
 * board nets, with the faults asked for. */
static int add_xspi(struct sim *sim)
{
	sim->rcc = rcc_new_family(is_h7a3(sim) ? &rcc_family_h7a3
					       : &rcc_family_h74x,
				  fault_hse_hz(&sim->faults,
					       sim->board->hse_hz),
				  &sim->clk);
	bus_add_mmio(&sim->sysbus, "RCC", RCC_H7_BASE, 0x400, &rcc_ops,
		     sim->rcc)
		->read_stable = rcc_read_stable;
	if (sim_add_gpio_and_wire(sim, rcc_lines_of(sim->rcc), GPIO_H7_BASE,
				  is_h7a3(sim) ? RCC_H7A3_AHB4ENR
					       : RCC_AHB4ENR,
				  RCC_AHB4RSTR, gpio_port_reset,
				  port_resets) != 0)
		return -1;
	if (is_h7a3(sim))
		return add_octospi(sim);
	return sim_add_quadspi(sim, rcc_lines_of(sim->rcc),
			       &h7_blocks[H7_QUADSPI], QUADSPI_FAMILY_H7,
			       qspi_kernel_hz, sim->rcc);
}

/* PWR, SYSCFG, FMC and the AXI GPV, and the clock rules that tie the
 * RCC, PWR and FLASH together (docs/psramsim-periph.md). The PWR model
 * and the clock rules are those of the STM32H742/743/750/753 (RM0433). */
static void add_startup_blocks(struct sim *sim)
{
	struct bus *b = &sim->sysbus;
	struct bus_region *r;

	if (sim->pwr)
		bus_add_mmio(b, "PWR", PWR_H7_BASE, PWR_REG_SIZE, &pwr_ops,
			     sim->pwr);
	h7_add(sim, H7_SYSCFG, sim->syscfg_h7);
	r = bus_add_mmio(b, "FMC", FMC_H7_BASE, FMC_REG_SIZE, regfile_ops(),
			 sim->fmc);
	sim_gate(r, rcc_lines_of(sim->rcc), RCC_AHB3ENR, RCC_AHB3_FMC);
	bus_add_mmio(b, "AXI GPV", AXI_GPV_BASE, AXI_GPV_SIZE, &axi_gpv_ops,
		     sim->axi_gpv);
	rcc_set_rev_v(sim->rcc, sim->board->rev_id >= 0x2000);
	if (!sim->pwr)
		return;
	clock_guard_init(&sim->clock_guard, sim->rcc, sim->pwr, sim->flashc);
	rcc_on_clock_change(sim->rcc, clock_guard_check, &sim->clock_guard);
	pwr_on_change(sim->pwr, clock_guard_check, &sim->clock_guard);
	flash_ctrl_on_acr(sim->flashc, clock_guard_check, &sim->clock_guard);
}

static uint32_t usart16_kernel_hz(void *ctx)
{
	return rcc_usart_kernel_hz(ctx, true);
}

static uint32_t usart_kernel_hz(void *ctx)
{
	return rcc_usart_kernel_hz(ctx, false);
}

static void add_usarts(struct sim *sim)
{
	for (unsigned i = 0; i < 8; i++) {
		sim->usart[i] = usart_new(usarts[i].blk.name, &sim->clk,
					  usarts[i].usart16 ? usart16_kernel_hz
							    : usart_kernel_hz,
					  sim->rcc);
		sim_add_block(sim, rcc_lines_of(sim->rcc), &usarts[i].blk,
			      sim->usart[i]);
	}
}

int sim_attach_uart(struct sim *sim, const struct uart_port_spec *spec,
		    char *err, size_t errlen)
{
	unsigned i = spec->n - 1;

	if (!sim->usart[i]) {
		snprintf(err, errlen, "this board has no modelled %s",
			 usarts[i].blk.name);
		return -1;
	}
	uart_port_close(sim->uart_port[i]);
	sim->uart_port[i] = uart_port_open(spec, sim->usart[i], &sim->clk, err,
					   errlen);
	if (!sim->uart_port[i])
		return -1;
	if (spec->kind == UART_PORT_TCP)
		sim_log(LOG_INFO, "%s on 127.0.0.1:%u", usarts[i].blk.name,
			uart_port_tcp_port(sim->uart_port[i]));
	return 0;
}

int sim_create(struct sim *sim, const struct board_profile *board,
	       const struct fault_set *faults, uint64_t seed)
{
	struct bus *b = &sim->sysbus;

	if (mcu_line_is_f7(board->line))
		return sim_f7_create(sim, board, faults, seed);
	sim_begin(sim, board, faults, seed, HSI_RESET_HZ, H7_FLASH_BASE);
	sim->flashc = flash_ctrl_new(is_h7a3(sim) ? &flash_family_h7a3
						  : &flash_family_h74x,
				     b, sim->flash,
				     board->flash_size, &sim->clk);
	if (!sim->flashc || load_factory_program(sim) != 0)
		return -1;
	sim->flash->ops = &flash_ctrl_mem_ops;
	sim->flash->dev = sim->flashc;
	for (unsigned s = 0; s < FLASH_CTRL_MAX_SECTORS; s++)
		if (faults->flash_fail[s / 64] >> (s % 64) & 1U)
			flash_ctrl_fail_sector(sim->flashc, s);
	sim->sysmem = bus_add_memory(b, "system memory", H7_SYSMEM_BASE,
				     H7_SYSMEM_SIZE,
				     REGION_READ | REGION_EXEC);
	if (is_h7a3(sim))
		sim->devinfo = bus_add_memory(b, "device information",
					      H7A3_DEVINFO_BASE,
					      H7A3_DEVINFO_SIZE, REGION_READ);
	fill_system_memory(sim);

	sim->dbgmcu = regfile_create("DBGMCU", 0x1000, dbgmcu_regs,
				     N(dbgmcu_regs), 1);
	/* The H7A3's PWR (RM0455) is pwr_h7a3, added with the xSPI. */
	if (!is_h7a3(sim))
		sim->pwr = pwr_new(board->rev_id >= 0x2000);
	sim->syscfg_h7 = syscfg_new(sim->pwr);
	sim->fmc = fmc_new();
	sim->axi_gpv = axi_gpv_new();
	sim->swtf = regfile_create("SWTF", 0x1000, swtf_regs, N(swtf_regs), 1);
	sim->swo = regfile_create("SWO", 0x1000, empty_regs, 0, 1);
	sim->tpiu = regfile_create("TPIU", 0x1000, empty_regs, 0, 1);
	sim->apbd_rom = regfile_create("APB-D ROM table", 0x1000,
				       apbd_rom_regs, N(apbd_rom_regs), 1);

	bus_add_mmio(b, "FLASH", H7_FLASH_REG_BASE, FLASH_CTRL_REG_SIZE,
		     &flash_ctrl_reg_ops, sim->flashc)->read_stable =
		flash_ctrl_reg_read_stable;
	if (add_xspi(sim) != 0)
		return -1;
	if (is_h7a3(sim)) {
		sim->pwr_h7a3 = pwr_h7a3_new();
		bus_add_mmio(b, "PWR", PWR_H7A3_BASE, PWR_H7A3_SIZE,
			     &pwr_h7a3_ops, sim->pwr_h7a3);
		rcc_set_backup_guard(sim->rcc, backup_writable_h7a3,
				     sim->pwr_h7a3);
		rcc_on_reset(sim->rcc, RCC_BDCR, RCC_BDCR_BDRST,
			     pwr_h7a3_backup_reset, sim->pwr_h7a3);
		/* The clock limits of the line per voltage scale. */
		clock_guard_init_h7a3(&sim->clock_guard, sim->rcc,
				      sim->pwr_h7a3);
		rcc_on_clock_change(sim->rcc, clock_guard_check,
				    &sim->clock_guard);
		pwr_h7a3_on_change(sim->pwr_h7a3, clock_guard_check,
				   &sim->clock_guard);
	} else {
		rcc_set_backup_guard(sim->rcc, backup_writable_h74x, sim->pwr);
		rcc_on_reset(sim->rcc, RCC_BDCR, RCC_BDCR_BDRST,
			     pwr_backup_reset, sim->pwr);
		sim->tim16 = tim16_new(&sim->clk, sim->rcc);
		h7_add(sim, H7_TIM16, sim->tim16);
		sim->trng = trng_new(&sim->clk, sim->rcc, sim->seed);
		h7_add(sim, H7_RNG, sim->trng);
	}
	add_startup_blocks(sim);
	if (sim->pwr) {
		sim->rtc = rtc_new(&sim->clk, sim->rcc, sim->pwr);
		h7_add(sim, H7_RTC, sim->rtc);
	}
	add_usarts(sim);
	sim_add_regfile(b, sim->dbgmcu, H7_DBGMCU_BASE);
	bus_add_mmio(b, "PPB", PPB_BASE, PPB_SIZE, core_ppb_ops(), NULL);
	/* Last: what no model above covers answers as the bus matrix does
	 * (the map of RM0433; the H7A3's differs and stays unmapped). */
	if (!is_h7a3(sim))
		sim->periph_space = periph_space_attach(
			b, periph_space_h74x, periph_space_h74x_count);

	sim_add_regfile(&sim->apb_d, sim->apbd_rom, 0xE00E0000U);
	sim_add_regfile(&sim->apb_d, sim->dbgmcu, H7_APBD_DBGMCU);
	sim_add_regfile(&sim->apb_d, sim->swo, 0xE00E3000U);
	sim_add_regfile(&sim->apb_d, sim->swtf, 0xE00E4000U);
	sim_add_regfile(&sim->apb_d, sim->tpiu, 0xE00F5000U);

	sim->cpu = core_create(b, &sim->clk, H7_FLASH_BASE);
	/* 16 Kbytes of L1 data cache (DS12110 and DS13195, "Arm Cortex-M7
	 * with FPU"). */
	if (!sim->cpu || dcache_attach(sim->cpu, 16))
		return -1;
	/* The PPB model needs the core it belongs to. */
	for (unsigned i = 0; i < b->count; i++)
		if (b->regions[i].ops == core_ppb_ops())
			b->regions[i].dev = sim->cpu;
	core_set_sysreset_handler(sim->cpu, on_sysreset, sim);
	if (sim_bus_costs_attach(sim) != 0)
		return -1;
	for (unsigned i = 0; i < 8; i++)
		usart_set_irq(sim->usart[i],
			      core_irq_line(sim->cpu, usarts[i].irqn));
	if (sim->trng)
		trng_set_irq(sim->trng, core_irq_line(sim->cpu, TRNG_IRQN));
	if (sim->qspi) {
		quadspi_set_irq(sim->qspi,
				core_irq_line(sim->cpu, QUADSPI_IRQN));
		quadspi_set_rev_y(sim->qspi, sim->board->rev_id < 0x2000);
	}
	/* The H7A3 wires interrupts at vector positions 0-154 (RM0455
	 * vector table: OCTOSPI2 at 150, BDMA1 last at 154). */
	if (is_h7a3(sim))
		core_set_identity(sim->cpu,
				  &(struct core_identity){0x411FC271U, true,
							  64U << 10, 128U << 10,
							  155});
	if (sim->ospi[0])
		octospi_set_irq(sim->ospi[0],
				core_irq_line(sim->cpu, OCTOSPI1_IRQN));
	if (sim->ospi[1])
		octospi_set_irq(sim->ospi[1], core_irq_line(sim->cpu, 150));
	if (core_map_bus(sim->cpu) != 0)
		return -1;

	adi_init(&sim->dp, 0x6BA02477U);
	adi_setup_stm32h7(&sim->dp, b, &sim->apb_d);
	sim->dp.on_transaction = on_transaction;
	sim->dp.ctx = sim;
	jtag_init(&sim->chain, board->bs_idcode, 0x6BA00477U, &sim->dp);
	sim_power_on(sim);
	return 0;
}

static void reset_peripherals(struct sim *sim)
{
	flash_ctrl_reset(sim->flashc);
	rcc_reset(sim->rcc);
	gpio_reset(sim->gpio);
	if (sim->qspi)
		quadspi_reset(sim->qspi);
	for (unsigned i = 0; i < 2; i++)
		if (sim->ospi[i])
			octospi_reset(sim->ospi[i]);
	if (sim->ospim)
		octospim_reset(sim->ospim);
	if (sim->tim16)
		tim16_reset(sim->tim16);
	if (sim->trng)
		trng_reset(sim->trng);
	if (sim->pwr)
		pwr_system_reset(sim->pwr);
	if (sim->pwr_h7a3)
		pwr_h7a3_reset(sim->pwr_h7a3);
	syscfg_reset(sim->syscfg_h7);
	regfile_reset(sim->fmc);
	axi_gpv_reset(sim->axi_gpv);
	if (sim->pwr || sim->pwr_h7a3)
		clock_guard_check(&sim->clock_guard);
	for (unsigned i = 0; i < 8; i++)
		usart_reset(sim->usart[i]);
	/* REV_ID[31:16], DEV_ID[11:0]; bits [15:12] read 0x6 on STM32H7
	 * (H743 SVD reset value 0x10006450; an H743 rev V reads 0x20036450,
	 * docs/openocd.md §6). */
	regfile_set(sim->dbgmcu, 0x000,
		    (uint32_t)sim->board->rev_id << 16 | 0x6000U |
			    sim->board->dev_id);
}

void sim_power_on(struct sim *sim)
{
	struct psram *chip = psram_of(xspi_wire_chip(sim->wire));

	/* The board's 3.3 V comes up: the PSRAM needs its power-up time and
	 * its reset sequence again (ESPDS §3). */
	if (chip)
		psram_power_on(chip, xspi_cycles_to_ps(sim->clk.cycles,
						       sim->clk.cpu_hz));
	if (sim->rcc_f7) {
		sim_f7_power_on(sim);
		return;
	}
	if (sim->pwr)
		pwr_power_on(sim->pwr);
	regfile_reset(sim->dbgmcu);
	regfile_reset(sim->swtf);
	if (sim->pwr_h7a3)
		pwr_h7a3_power_on(sim->pwr_h7a3);
	rcc_backup_reset(sim->rcc);
	if (sim->rtc)
		rtc_backup_reset(sim->rtc);
	reset_peripherals(sim);
	rcc_note_reset(sim->rcc, RCC_RESET_POWER_ON);
	core_reset(sim->cpu, true);
}

static void system_reset(struct sim *sim, enum rcc_reset_cause cause)
{
	/* RM0433 §8.4.2: a system reset resets the peripherals but not the
	 * debug block (DBGMCU keeps CR and the freeze bits). */
	reset_peripherals(sim);
	rcc_note_reset(sim->rcc, cause);
	core_reset(sim->cpu, false);
}

void sim_system_reset(struct sim *sim)
{
	if (sim->rcc_f7) {
		sim_f7_system_reset(sim);
		return;
	}
	system_reset(sim, RCC_RESET_PIN);
}

void sim_destroy(struct sim *sim)
{
	if (sim->rcc_f7) {
		sim_f7_destroy(sim);
		return;
	}
	dcache_detach(sim->cpu);
	core_destroy(sim->cpu);
	regfile_destroy(sim->dbgmcu);
	flash_ctrl_free(sim->flashc);
	quadspi_free(sim->qspi);
	octospi_free(sim->ospi[0]);
	octospi_free(sim->ospi[1]);
	octospim_free(sim->ospim);
	pwr_h7a3_free(sim->pwr_h7a3);
	tim16_free(sim->tim16);
	trng_free(sim->trng);
	rtc_free(sim->rtc);
	xspi_wire_free(sim->wire);
	gpio_free(sim->gpio);
	rcc_free(sim->rcc);
	pwr_free(sim->pwr);
	syscfg_free(sim->syscfg_h7);
	regfile_destroy(sim->fmc);
	axi_gpv_free(sim->axi_gpv);
	periph_space_free(sim->periph_space);
	for (unsigned i = 0; i < 8; i++) {
		uart_port_close(sim->uart_port[i]);
		usart_free(sim->usart[i]);
	}
	regfile_destroy(sim->swtf);
	regfile_destroy(sim->swo);
	regfile_destroy(sim->tpiu);
	regfile_destroy(sim->apbd_rom);
	bus_free(&sim->sysbus);
	bus_free(&sim->apb_d);
}
