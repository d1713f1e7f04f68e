/* Bus clocks for the access costs (bus_clocks.h): the H7 lines read them
 * from the RCC model (RM0433 §8.5.6 / RM0455 §8.5.6: rcc_hclk for the AXI
 * and AHB matrices, rcc_pclk1-4 for the APB bridges) and FLASH_ACR; the
 * F7 from its RCC (RM0385 §5.2: HCLK, PCLK1, PCLK2) and FLASH_ACR. */
#include "bus_clocks.h"

#include "cpu/bus_cost.h"
#include "cpu/core.h"
#include "periph/flash_ctrl.h"
#include "periph/flash_f7.h"
#include "periph/rcc.h"
#include "periph/rcc_f7.h"
#include "sim.h"

static void clocks_h7(void *ctx, struct bus_clock_hz *out)
{
	const struct sim *sim = ctx;

	out->hz[BUS_CLK_CPU] = rcc_cpu_hz(sim->rcc);
	out->hz[BUS_CLK_AHB] = rcc_hclk3_hz(sim->rcc);
	out->hz[BUS_CLK_APB1] = rcc_pclk1_hz(sim->rcc);
	out->hz[BUS_CLK_APB2] = rcc_pclk2_hz(sim->rcc);
	out->hz[BUS_CLK_APB3] = rcc_pclk3_hz(sim->rcc);
	out->hz[BUS_CLK_APB4] = rcc_pclk4_hz(sim->rcc);
	out->flash_ws = sim->flashc ? flash_ctrl_latency(sim->flashc) : 0;
}

static void clocks_f7(void *ctx, struct bus_clock_hz *out)
{
	const struct sim *sim = ctx;

	out->hz[BUS_CLK_CPU] = rcc_f7_hclk_hz(sim->rcc_f7);
	out->hz[BUS_CLK_AHB] = rcc_f7_hclk_hz(sim->rcc_f7);
	out->hz[BUS_CLK_APB1] = rcc_f7_apb1_hz(sim->rcc_f7);
	out->hz[BUS_CLK_APB2] = rcc_f7_apb2_hz(sim->rcc_f7);
	out->flash_ws = sim->flash_f7 ? flash_f7_latency(sim->flash_f7) : 0;
}

int sim_bus_costs_attach(struct sim *sim)
{
	struct bus_cost_table t;

	bus_cost_builtin(sim->board->line, &t);
	if (core_set_bus_costs(sim->cpu, &t) != 0)
		return -1;
	if (mcu_line_is_f7(sim->board->line))
		core_set_bus_clocks(sim->cpu, clocks_f7, sim);
	else
		core_set_bus_clocks(sim->cpu, clocks_h7, sim);
	return 0;
}
