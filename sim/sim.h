/* A whole simulated board: core, buses, memories, peripherals, the debug
 * port, and the memory chip on the xSPI bus. */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "debug/adi.h"
#include "board.h"
#include "bus.h"
#include "cpu/core.h"
#include "fault.h"
#include "debug/jtag.h"
#include "periph/clock_guard.h"
#include "periph/regfile.h"
#include "util/vclock.h"

struct axi_gpv;
struct flash_ctrl;
struct flash_f7;
struct gpio;
struct octospi;
struct octospim;
struct periph_space;
struct pwr;
struct pwr_h7a3;
struct syscfg;
struct uart_port;
struct uart_port_spec;
struct usart;
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
	struct regfile *dbgmcu, *syscfg, *swtf, *swo, *tpiu, *apbd_rom;
	/* What H7 start-up code touches (docs/psramsim-periph.md); F7
	 * boards use the `syscfg` register file above instead. */
	struct pwr *pwr;
	struct syscfg *syscfg_h7;
	struct regfile *fmc;
	struct axi_gpv *axi_gpv;
	struct periph_space *periph_space;
	struct clock_guard clock_guard;
	/* USART1, USART2, USART3, UART4, UART5, USART6, UART7, UART8, and
	 * the host ends --uart gave them (H7 boards). */
	struct usart *usart[8];
	struct uart_port *uart_port[8];
	struct rcc *rcc;
	struct pwr_h7a3 *pwr_h7a3;	/* H7A3 (RM0455); else `pwr` */
	struct gpio *gpio;
	struct xspi_wire *wire;
	struct quadspi *qspi;
	struct octospi *ospi[2];	/* H7A3: OCTOSPI1/2 (else NULL) */
	struct octospim *ospim;		/* H7A3: their I/O manager */
	struct trng *trng;	/* the RNG (RM0433 §34) */
	struct rtc *rtc;	/* the RTC and backup registers (§46) */
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

/* Connects USART n (spec->n) to the host end the spec names; -1 with a
 * message in err if it cannot be opened. */
int sim_attach_uart(struct sim *sim, const struct uart_port_spec *spec,
		    char *err, size_t errlen);

/* Power-on reset of the whole board (memories keep their contents only if
 * they are non-volatile: internal flash). */
void sim_power_on(struct sim *sim);
/* NRST (SRST) released: peripherals and core reset, debug logic kept; on
 * the H7, RCC_RSR notes a pin reset (SYSRESETREQ notes a software reset). */
void sim_system_reset(struct sim *sim);

#endif
