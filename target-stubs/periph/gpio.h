/* Pins described by the mailbox: port, pin, AF, speed, pull. */
#ifndef TARGET_STUBS_GPIO_H
#define TARGET_STUBS_GPIO_H

#include <stdbool.h>
#include <stdint.h>

#include "stub_abi.h"

struct gpio_pin {
	uint32_t base;		/* port registers */
	uint8_t port;
	uint8_t pin;
	uint8_t af;
	uint8_t pull;		/* enum stub_pull */
	uint8_t speed;		/* enum stub_speed */
};

/* Checks a mailbox pin and resolves its port for the family. Refuses
 * PA13/PA14: they carry SWDIO/SWCLK (JTMS/JTCK), and taking them would cut
 * the debugger off. */
bool gpio_pin_from_params(struct gpio_pin *out, uint32_t family,
			  const volatile struct stub_pin *in);
/* Hands the pin to its peripheral with AF, speed, push-pull and pull set
 * first, so it never drives with a half-made configuration. */
void gpio_mode_af(const struct gpio_pin *p);
void gpio_mode_input(const struct gpio_pin *p, uint32_t pull);
/* Output at `level` from the first moment (ODR before MODER). */
void gpio_mode_output(const struct gpio_pin *p, uint32_t level);
uint32_t gpio_level(const struct gpio_pin *p);

#endif
