/* A whole simulated board: core, buses, memories, peripherals, the debug
 * port, and the memory chip on the xSPI bus. */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "debug/adi.h"
#include "board.h"
#include "bus.h"
#include "cpu/core.h"
#include "fault.h"
#include "debug/jtag.h"
#include "periph/regfile.h"
#include "util/vclock.h"

struct flash_ctrl;
struct flash_f7;
struct gpio;
struct octospi;
struct octospim;
struct pwr_h7a3;
struct quadspi;
struct rcc;
struct rcc_f7;
struct sim_f7_parts;
struct xspi_wire;

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
	struct bus_region *devinfo;	/* H7A3: UID and flash size */
	struct flash_ctrl *flashc;	/* the embedded-flash controller */
	struct flash_f7 *flash_f7;	/* F7 boards: theirs (flashc NULL) */
	struct rcc_f7 *rcc_f7;		/* F7 boards: RCC and PWR (rcc NULL) */
	struct sim_f7_parts *f7_parts;	/* F7 boards: sim_f7.c's own state */
	struct regfile *dbgmcu, *pwr, *syscfg, *swtf, *swo, *tpiu, *apbd_rom;
	struct rcc *rcc;
	struct pwr_h7a3 *pwr_h7a3;	/* H7A3 (RM0455); else `pwr` */
	struct gpio *gpio;
	struct xspi_wire *wire;
	struct quadspi *qspi;
	struct octospi *ospi[2];	/* H7A3: OCTOSPI1/2 (else NULL) */
	struct octospim *ospim;		/* H7A3: their I/O manager */
	struct tim16 *tim16;	/* the LSI's timer (clock checks) */
	struct fault_set faults;
	uint64_t seed;
	/* Instructions the core may run after each debugger transaction. */
	uint64_t slice_per_transaction;
};

/* The board with the chip and faults of `faults` fitted; `seed` makes
 * every random choice (die IDs, noise, flips) repeatable. */
int sim_create(struct sim *sim, const struct board_profile *board,
	       const struct fault_set *faults, uint64_t seed);
void sim_destroy(struct sim *sim);

/* Power-on reset of the whole board (memories keep their contents only if
 * they are non-volatile: internal flash). */
void sim_power_on(struct sim *sim);
/* AIRCR.SYSRESETREQ or SRST: peripherals and core reset, debug logic kept. */
void sim_system_reset(struct sim *sim);

#endif
