/* STM32H7 GPIO ports (RM0433 §11): registers, and the MCU side of the six
 * nets that lead to the memory chip. */
#ifndef SIM_GPIO_H
#define SIM_GPIO_H

#include <stdint.h>

#include "board.h"
#include "bus.h"
#include "wire/pins.h"

#define GPIO_H7_BASE 0x58020000U
#define GPIO_PORT_SIZE 0x400U
#define GPIO_PORTS 11	/* A..K */

struct gpio;
struct xspi_wire;

struct gpio *gpio_new(const struct board_profile *board);
void gpio_free(struct gpio *g);
void gpio_reset(struct gpio *g);
void gpio_reset_port(struct gpio *g, unsigned port);
/* The wire layer answers IDR for pins wired to the memory chip. */
void gpio_attach_wire(struct gpio *g, struct xspi_wire *wire);

/* What the wire layer asks about the MCU side of each net. */
const struct pin_source *gpio_pin_source(struct gpio *g);

/* Region device for port n (0 = A): use with gpio_ops. */
void *gpio_port(struct gpio *g, unsigned port);
extern const struct mmio_ops gpio_ops;

#endif
