#include "sim_blocks.h"

#include <stdlib.h>
#include <string.h>

#include "wire/xspi_wire.h"

void sim_begin(struct sim *sim, const struct board_profile *board,
	       const struct fault_set *faults, uint64_t seed,
	       uint32_t reset_hz, uint32_t flash_base)
{
	struct bus *b = &sim->sysbus;

	memset(sim, 0, sizeof(*sim));
	sim->board = board;
	sim->faults = *faults;
	sim->seed = seed;
	sim->clk.cpu_hz = reset_hz;
	sim->slice_per_transaction = 20000;
	bus_init(b);
	bus_init(&sim->apb_d);
	for (const struct board_memory *m = board->ram; m->name; m++)
		bus_add_memory(b, m->name, m->base, m->size,
			       REGION_READ | REGION_WRITE | REGION_EXEC);
	sim->flash = bus_add_memory(b, "internal flash", flash_base,
				    board->flash_size,
				    REGION_READ | REGION_EXEC |
					    REGION_WRITE_BY_MODEL);
}

void sim_gate(struct bus_region *r, struct rcc_lines *rcc, uint32_t enr,
	      unsigned bit)
{
	r->clocked = rcc_lines_gate_on;
	r->gate_ctx = rcc_lines_gate(rcc, enr, bit);
}

struct bus_region *sim_add_block(struct sim *sim, struct rcc_lines *rcc,
				 const struct sim_block *blk, void *dev)
{
	struct bus_region *r = bus_add_mmio(&sim->sysbus, blk->name,
					    blk->base, blk->size, blk->ops,
					    dev);

	sim_gate(r, rcc, blk->enr, blk->en_bit);
	if (blk->reset)
		rcc_lines_on_reset(rcc, blk->rstr, blk->rst_bit, blk->reset,
				   dev);
	return r;
}

int sim_add_gpio_and_wire(struct sim *sim, struct rcc_lines *rcc,
			  uint32_t base, uint32_t enr, uint32_t rstr,
			  rcc_line_fn port_reset,
			  struct sim_port_reset resets[GPIO_PORTS])
{
	static const char *const port_names[GPIO_PORTS] = {
		"GPIOA", "GPIOB", "GPIOC", "GPIOD", "GPIOE", "GPIOF",
		"GPIOG", "GPIOH", "GPIOI", "GPIOJ", "GPIOK",
	};

	sim->gpio = gpio_new(sim->board);
	for (unsigned n = 0; n < GPIO_PORTS; n++) {
		struct bus_region *r = bus_add_mmio(
			&sim->sysbus, port_names[n], base + n * GPIO_PORT_SIZE,
			GPIO_PORT_SIZE, &gpio_ops, gpio_port(sim->gpio, n));

		sim_gate(r, rcc, enr, n);
		resets[n].gpio = sim->gpio;
		resets[n].port = n;
		rcc_lines_on_reset(rcc, rstr, n, port_reset, &resets[n]);
	}
	sim->wire = xspi_wire_new(gpio_pin_source(sim->gpio), &sim->clk,
				  sim->seed);
	if (!sim->wire || xspi_wire_fit(sim->wire, &sim->faults, sim->seed))
		return -1;
	gpio_attach_wire(sim->gpio, sim->wire);
	return 0;
}

int sim_add_quadspi(struct sim *sim, struct rcc_lines *rcc,
		    const struct sim_block *regs, enum quadspi_family family,
		    quadspi_kernel_hz_fn kernel_hz, void *kernel_ctx)
{
	struct bus_region *r;

	sim->qspi = quadspi_new(regs->base, family, &sim->clk, kernel_hz,
				kernel_ctx, sim->wire);
	if (!sim->qspi)
		return -1;
	quadspi_set_bus_wait(sim->qspi, sim->faults.xspi_wait);
	r = bus_add_mmio(&sim->sysbus, regs->name, regs->base, regs->size,
			 regs->ops, sim->qspi);
	sim_gate(r, rcc, regs->enr, regs->en_bit);
	/* No clock gate on the window: RM0399 §24.3.14 makes an access while
	 * the QUADSPI is not enabled and mapped a bus error (the same on
	 * F7), which the model answers itself; a gate would turn it into
	 * reads of zero. */
	r = bus_add_mmio(&sim->sysbus, "QUADSPI window", QUADSPI_MEM_BASE,
			 QUADSPI_MEM_SIZE, &quadspi_mem_ops, sim->qspi);
	r->flags |= REGION_DCACHE;
	rcc_lines_on_reset(rcc, regs->rstr, regs->rst_bit, regs->reset,
			   sim->qspi);
	return 0;
}

void sim_add_regfile(struct bus *bus, struct regfile *rf, uint32_t base)
{
	bus_add_mmio(bus, rf->name, base, rf->size, regfile_ops(), rf);
}

uint8_t *sim_factory_image(uint32_t size, uint32_t sp)
{
	const uint8_t program[] = {
		(uint8_t)sp, (uint8_t)(sp >> 8), (uint8_t)(sp >> 16),
		(uint8_t)(sp >> 24),	/* initial SP */
		0x09, 0x00, 0x00, 0x08,	/* reset handler 0x08000008, Thumb */
		0xFE, 0xE7,		/* b . */
	};
	uint8_t *image = malloc(size);

	if (!image)
		return NULL;
	memset(image, 0xFF, size);
	memcpy(image, program, sizeof(program));
	return image;
}

void sim_write_signature(uint8_t *mem, uint32_t uid_at, const uint8_t uid[12],
			 uint32_t size_at, uint32_t flash_size)
{
	uint16_t kib = (uint16_t)(flash_size / 1024);

	memcpy(mem + uid_at, uid, 12);
	mem[size_at] = (uint8_t)kib;
	mem[size_at + 1] = (uint8_t)(kib >> 8);
}
