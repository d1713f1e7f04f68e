/* GPIO configuration (docs/hardware-stm32h7.md §5). */
#include "periph/gpio.h"

#include "regs/mmio.h"
#include "regs/regs_gpio.h"
#include "regs/regs_rcc.h"

bool gpio_pin_from_params(struct gpio_pin *out, uint32_t family,
			  const volatile struct stub_pin *in)
{
	uint8_t port = in->port, pin = in->pin;

	if (port >= RCC_GPIO_PORTS || pin > 15U || in->af > 15U ||
	    in->pull > STUB_PULL_DOWN || in->speed > STUB_SPEED_VERY_HIGH)
		return false;
	if (port == 0U && (pin == 13U || pin == 14U))
		return false;
	out->base = (family == STUB_FAMILY_STM32F7 ? GPIO_F7_BASE
						   : GPIO_H7_BASE) +
		    port * GPIO_PORT_STRIDE;
	out->port = port;
	out->pin = pin;
	out->af = in->af;
	out->pull = in->pull;
	out->speed = in->speed;
	return true;
}

void gpio_mode_af(const struct gpio_pin *p)
{
	uint32_t afr = p->pin < 8U ? GPIO_AFRL : GPIO_AFRH;

	mmio_update32(p->base + afr, GPIO_AF_MASK(p->pin), GPIO_AF(p->pin, p->af));
	mmio_update32(p->base + GPIO_OSPEEDR, GPIO_FIELD2_MASK(p->pin),
		      GPIO_FIELD2(p->pin, p->speed));
	mmio_update32(p->base + GPIO_OTYPER, 1U << p->pin, 0U);
	mmio_update32(p->base + GPIO_PUPDR, GPIO_FIELD2_MASK(p->pin),
		      GPIO_FIELD2(p->pin, p->pull));
	mmio_update32(p->base + GPIO_MODER, GPIO_FIELD2_MASK(p->pin),
		      GPIO_FIELD2(p->pin, GPIO_MODE_AF));
}

void gpio_mode_input(const struct gpio_pin *p, uint32_t pull)
{
	mmio_update32(p->base + GPIO_PUPDR, GPIO_FIELD2_MASK(p->pin),
		      GPIO_FIELD2(p->pin, pull));
	mmio_update32(p->base + GPIO_MODER, GPIO_FIELD2_MASK(p->pin),
		      GPIO_FIELD2(p->pin, GPIO_MODE_INPUT));
}

void gpio_mode_output(const struct gpio_pin *p, uint32_t level)
{
	mmio_write32(p->base + GPIO_BSRR, level ? GPIO_BSRR_SET(p->pin)
						: GPIO_BSRR_RESET(p->pin));
	mmio_update32(p->base + GPIO_OTYPER, 1U << p->pin, 0U);
	mmio_update32(p->base + GPIO_PUPDR, GPIO_FIELD2_MASK(p->pin),
		      GPIO_FIELD2(p->pin, STUB_PULL_NONE));
	mmio_update32(p->base + GPIO_MODER, GPIO_FIELD2_MASK(p->pin),
		      GPIO_FIELD2(p->pin, GPIO_MODE_OUTPUT));
}

uint32_t gpio_level(const struct gpio_pin *p)
{
	return (mmio_read32(p->base + GPIO_IDR) >> p->pin) & 1U;
}
