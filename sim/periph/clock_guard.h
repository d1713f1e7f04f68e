/* Checks the running clock tree against the voltage scale and the flash
 * wait states (periph/clock_rules.h) whenever one of them changes, and
 * logs each rule as it becomes broken as a guest error: a core clock or
 * AXI clock above what the voltage scale allows, fewer flash wait states
 * than the AXI clock needs. */
#ifndef SIM_CLOCK_GUARD_H
#define SIM_CLOCK_GUARD_H

#include <stdbool.h>

struct rcc;
struct pwr;
struct pwr_h7a3;
struct flash_ctrl;

struct clock_guard {
	struct rcc *rcc;
	struct pwr *pwr;
	/* The STM32H7A3/B3/B0 instead (pwr NULL): its own clock limits; its
	 * flash wait states are not checked here. */
	struct pwr_h7a3 *pwr_h7a3;
	struct flash_ctrl *flash;
	unsigned broken;	/* rules broken at the last check, one bit each */
	/* Times each rule was found broken (for --stats and tests). */
	unsigned long violations;
};

void clock_guard_init(struct clock_guard *g, struct rcc *rcc, struct pwr *pwr,
		      struct flash_ctrl *flash);
/* The core and AXI clock limits of the STM32H7A3/B3/B0 per voltage scale
 * (PWR_SRDCR.VOS). */
void clock_guard_init_h7a3(struct clock_guard *g, struct rcc *rcc,
			   struct pwr_h7a3 *pwr);
/* Re-evaluates the rules; fits the callbacks of the RCC, PWR and FLASH
 * models (ctx is the guard). */
void clock_guard_check(void *ctx);
/* True while the flash is read with too few wait states: instruction and
 * data reads from it are not reliable (RM0433 §4.3.8). */
bool clock_guard_flash_unreliable(const struct clock_guard *g);

#endif
