#include "periph/clock_guard.h"

#include "periph/clock_rules.h"
#include "periph/flash_ctrl.h"
#include "periph/pwr.h"
#include "periph/pwr_h7a3.h"
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
	g->pwr_h7a3 = NULL;
	g->flash = flash;
	g->broken = 0;
	g->violations = 0;
}

void clock_guard_init_h7a3(struct clock_guard *g, struct rcc *rcc,
			   struct pwr_h7a3 *pwr)
{
	clock_guard_init(g, rcc, NULL, NULL);
	g->pwr_h7a3 = pwr;
}

static const char *const vos_names[4] = {"VOS0", "VOS1", "VOS2", "VOS3"};

void clock_guard_check(void *ctx)
{
	struct clock_guard *g = ctx;
	bool h7a3 = g->pwr_h7a3 != NULL;
	enum vos vos = h7a3 ? (enum vos)pwr_h7a3_vos(g->pwr_h7a3)
			    : pwr_vos(g->pwr);
	const struct vos_limit *lim = h7a3 ? vos_limits_h7a3 : vos_limits;
	const char *ds = h7a3 ? "DS13195 general operating conditions"
			      : "DS12110 Table 23";
	uint32_t cpu = rcc_cpu_hz(g->rcc), hclk = rcc_hclk3_hz(g->rcc);
	int need = 0;
	unsigned ws = 0;
	unsigned now = 0, rising;

	if (cpu > lim[vos].cpu_max_hz)
		now |= RULE_CPU;
	if (hclk > lim[vos].hclk_max_hz)
		now |= RULE_HCLK;
	if (g->flash) {
		need = flash_min_latency(vos, hclk);
		ws = flash_ctrl_latency(g->flash);
		if (need < 0 || ws < (unsigned)need)
			now |= RULE_FLASH_WS;
	}
	rising = now & ~g->broken;
	if (g->flash && ((now ^ g->broken) & RULE_FLASH_WS))
		flash_ctrl_set_unreliable(g->flash, now & RULE_FLASH_WS);
	g->broken = now;
	if (rising & RULE_CPU) {
		g->violations++;
		sim_log(LOG_GUEST_ERROR,
			"clocks: CPU clock %.1f MHz above the %u MHz %s "
			"allows (%s)",
			cpu / 1e6, lim[vos].cpu_max_hz / 1000000U,
			vos_names[vos], ds);
	}
	if (rising & RULE_HCLK) {
		g->violations++;
		sim_log(LOG_GUEST_ERROR,
			"clocks: AXI/AHB clock %.1f MHz above the %u MHz %s "
			"allows (%s)",
			hclk / 1e6, lim[vos].hclk_max_hz / 1000000U,
			vos_names[vos], ds);
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
