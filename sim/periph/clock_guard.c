#include "periph/clock_guard.h"

#include "periph/clock_rules.h"
#include "periph/flash_ctrl.h"
#include "periph/pwr.h"
#include "periph/rcc.h"
#include "util/log.h"

enum {
	RULE_CPU = 1U << 0,
	RULE_HCLK = 1U << 1,
	RULE_FLASH_WS = 1U << 2,
};

void clock_guard_init(struct clock_guard *g, struct rcc *rcc, struct pwr *pwr,
		      struct flash_ctrl *flash)
{
	g->rcc = rcc;
	g->pwr = pwr;
	g->flash = flash;
	g->broken = 0;
	g->violations = 0;
}

static const char *const vos_names[4] = {"VOS0", "VOS1", "VOS2", "VOS3"};

void clock_guard_check(void *ctx)
{
	struct clock_guard *g = ctx;
	enum vos vos = pwr_vos(g->pwr);
	uint32_t cpu = rcc_cpu_hz(g->rcc), hclk = rcc_hclk3_hz(g->rcc);
	int need = flash_min_latency(vos, hclk);
	unsigned ws = flash_ctrl_latency(g->flash);
	unsigned now = 0, rising;

	if (cpu > vos_limits[vos].cpu_max_hz)
		now |= RULE_CPU;
	if (hclk > vos_limits[vos].hclk_max_hz)
		now |= RULE_HCLK;
	if (need < 0 || ws < (unsigned)need)
		now |= RULE_FLASH_WS;
	rising = now & ~g->broken;
	if ((now ^ g->broken) & RULE_FLASH_WS)
		flash_ctrl_set_unreliable(g->flash, now & RULE_FLASH_WS);
	g->broken = now;
	if (rising & RULE_CPU) {
		g->violations++;
		sim_log(LOG_GUEST_ERROR,
			"clocks: CPU clock %.1f MHz above the %u MHz %s "
			"allows (DS12110 Table 23)",
			cpu / 1e6, vos_limits[vos].cpu_max_hz / 1000000U,
			vos_names[vos]);
	}
	if (rising & RULE_HCLK) {
		g->violations++;
		sim_log(LOG_GUEST_ERROR,
			"clocks: AXI/AHB clock %.1f MHz above the %u MHz %s "
			"allows (DS12110 Table 23)",
			hclk / 1e6, vos_limits[vos].hclk_max_hz / 1000000U,
			vos_names[vos]);
	}
	if (rising & RULE_FLASH_WS) {
		g->violations++;
		if (need < 0)
			sim_log(LOG_GUEST_ERROR,
				"clocks: no flash latency allows an AXI clock "
				"of %.1f MHz at %s (RM0433 Table 17); flash "
				"reads return all ones",
				hclk / 1e6, vos_names[vos]);
		else
			sim_log(LOG_GUEST_ERROR,
				"clocks: FLASH_ACR.LATENCY %u is too low for an "
				"AXI clock of %.1f MHz at %s: %d wait states "
				"needed (RM0433 Table 17); flash reads return "
				"all ones until it is raised",
				ws, hclk / 1e6, vos_names[vos], need);
	}
}

bool clock_guard_flash_unreliable(const struct clock_guard *g)
{
	return g->broken & RULE_FLASH_WS;
}
