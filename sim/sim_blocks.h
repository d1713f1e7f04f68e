/* What the STM32H7 boards (sim.c) and the STM32F7 boards (sim_f7.c) build
 * alike: a peripheral on the system bus with the RCC bits that clock and
 * reset it, the GPIO ports with the six xSPI nets, the QUADSPI with its
 * window, the factory program and the device signature. Each family
 * describes its peripherals in its own table of struct sim_block; its RCC
 * model gates and resets them through its struct rcc_lines. */
#ifndef SIM_SIM_BLOCKS_H
#define SIM_SIM_BLOCKS_H

#include <stdint.h>

#include "bus.h"
#include "periph/gpio.h"
#include "periph/quadspi.h"
#include "periph/rcc_lines.h"
#include "periph/regfile.h"
#include "sim.h"

/* A board with nothing on it yet: `board`, `faults` and `seed` kept, the
 * core clock at `reset_hz`, the board's RAM and the internal flash at
 * `flash_base` (written by its controller model) on the system bus. */
void sim_begin(struct sim *sim, const struct board_profile *board,
	       const struct fault_set *faults, uint64_t seed,
	       uint32_t reset_hz, uint32_t flash_base);

/* A peripheral: its registers on the bus, the RCC enable bit that clocks
 * them and the reset bit that returns it to its reset state. */
struct sim_block {
	const char *name;
	uint32_t base, size;
	const struct mmio_ops *ops;
	uint32_t enr;		/* enable register offset in the RCC */
	unsigned en_bit;
	uint32_t rstr;		/* reset register offset in the RCC */
	unsigned rst_bit;
	rcc_line_fn reset;	/* NULL: no reset bit */
};

/* Region `r` answers only while the enable bit is set. */
void sim_gate(struct bus_region *r, struct rcc_lines *rcc, uint32_t enr,
	      unsigned bit);

/* Maps `blk` with `dev` behind it, gated and reset through `rcc`. */
struct bus_region *sim_add_block(struct sim *sim, struct rcc_lines *rcc,
				 const struct sim_block *blk, void *dev);

/* What a GPIO port's reset bit needs to find the port. */
struct sim_port_reset {
	struct gpio *gpio;
	unsigned port;
};

/* GPIOA-K from `base`, port n clocked by bit n of the RCC register at
 * `enr` and reset by bit n of `rstr` (`port_reset` gets its struct
 * sim_port_reset from `resets`), and the six xSPI nets on their pins with
 * the chip and the faults asked for. */
int sim_add_gpio_and_wire(struct sim *sim, struct rcc_lines *rcc,
			  uint32_t base, uint32_t enr, uint32_t rstr,
			  rcc_line_fn port_reset,
			  struct sim_port_reset resets[GPIO_PORTS]);

/* The QUADSPI with the registers of `regs` and its memory-mapped window
 * on sim->wire. */
int sim_add_quadspi(struct sim *sim, struct rcc_lines *rcc,
		    const struct sim_block *regs, enum quadspi_family family,
		    quadspi_kernel_hz_fn kernel_hz, void *kernel_ctx);

void sim_add_regfile(struct bus *bus, struct regfile *rf, uint32_t base);

/* Erased flash of `size` bytes that holds a vector table (initial SP `sp`,
 * reset handler at 0x08000008) and an idle loop, as a board leaves the
 * factory with something to run (erased flash makes the core lock up at
 * once); NULL when out of memory. The caller frees it. */
uint8_t *sim_factory_image(uint32_t size, uint32_t sp);

/* The device signature: the 96-bit unique ID at `uid_at` and the flash
 * size in KiB (16 bits, little-endian) at `size_at` of `mem`. */
void sim_write_signature(uint8_t *mem, uint32_t uid_at, const uint8_t uid[12],
			 uint32_t size_at, uint32_t flash_size);

#endif
