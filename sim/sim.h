/* A whole simulated board: core, buses, memories, peripherals, the debug
 * port, and the memory chip on the xSPI bus. */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "adi.h"
#include "board.h"
#include "bus.h"
#include "core.h"
#include "jtag.h"
#include "regfile.h"
#include "vclock.h"

struct sim {
	const struct board_profile *board;
	struct vclock clk;
	struct bus sysbus;	/* AHB/AXI: core and AP0/AP1 */
	struct bus apb_d;	/* debug APB: AP2 */
	struct core *cpu;
	struct adi_dp dp;
	struct jtag_chain chain;
	struct bus_region *flash;
	struct bus_region *sysmem;
	struct regfile *dbgmcu, *flash_regs, *rcc, *pwr, *syscfg, *swtf,
		*swo, *tpiu, *apbd_rom;
	/* Instructions the core may run after each debugger transaction. */
	uint64_t slice_per_transaction;
};

int sim_create(struct sim *sim, const struct board_profile *board);
void sim_destroy(struct sim *sim);

/* Power-on reset of the whole board (memories keep their contents only if
 * they are non-volatile: internal flash). */
void sim_power_on(struct sim *sim);
/* AIRCR.SYSRESETREQ or SRST: peripherals and core reset, debug logic kept. */
void sim_system_reset(struct sim *sim);

#endif
