/* Helpers of the xSPI probe programs (xspi_probe.h). Each program links
 * only what it calls (--gc-sections). */
#include "xspi_probe.h"

#define GPIO(port) (0x58020000U + 0x400U * (uint32_t)((port) - 'A'))
#define SCB_CFSR REG(0xE000ED28U)
#define SCB_HFSR REG(0xE000ED2CU)
#define POLLS 1000000U

void prog_exit(int code) __attribute__((noreturn));

/* MODER = 10 (alternate function), OSPEEDR = 11, AFRL/AFRH = af. */
static void set_af(char port, unsigned pin, unsigned af)
{
	uint32_t base = GPIO(port);

	REG(base + 0x00) = (REG(base + 0x00) & ~(3U << (2 * pin))) |
			   (2U << (2 * pin));
	REG(base + 0x08) |= 3U << (2 * pin);
	REG(base + 0x20 + 4 * (pin / 8)) =
		(REG(base + 0x20 + 4 * (pin / 8)) & ~(0xFU << (4 * (pin % 8)))) |
		(af << (4 * (pin % 8)));
}

void xspi_probe_pins(void)
{
	set_af('B', 2, 9);
	set_af('B', 6, 10);
	set_af('D', 11, 9);
	set_af('D', 12, 9);
	set_af('D', 13, 9);
	set_af('E', 2, 9);
}

int xspi_wait_sr(const struct xspi_probe *x, uint32_t bits, int set)
{
	for (uint32_t n = 0; n < POLLS; n++)
		if (!!(REG(x->sr) & bits) == set)
			return 0;
	if (x->timeouts)
		(*x->timeouts)++;
	return -1;
}

void xspi_wait_fifo_at_least(const struct xspi_probe *x, uint32_t n)
{
	uint32_t guard = 0;

	while (SR_FLEVEL(REG(x->sr)) < n && ++guard < POLLS)
		;
}

void xspi_wait_fifo_at_most(const struct xspi_probe *x, uint32_t n)
{
	uint32_t guard = 0;

	while (SR_FLEVEL(REG(x->sr)) > n && ++guard < POLLS)
		;
}

void xspi_finish(const struct xspi_probe *x)
{
	xspi_wait_sr(x, SR_TCF, 1);
	if (x->tef) {
		if (REG(x->sr) & SR_TEF)
			(*x->tef)++;
		REG(x->fcr) = SR_TCF | SR_TEF;
	} else {
		REG(x->fcr) = SR_TCF;
	}
	xspi_wait_sr(x, SR_BUSY, 0);
}

uint32_t xspi_pattern(uint32_t addr, uint32_t seed)
{
	uint32_t x = addr * 0x9E3779B1U ^ seed;

	x ^= x >> 15;
	x *= 0x2C1B3C6DU;
	x ^= x >> 12;
	return x;
}

void xspi_probe_fault(volatile uint32_t *cfsr, volatile uint32_t *hfsr,
		      volatile uint32_t *done)
{
	*cfsr = SCB_CFSR;
	*hfsr = SCB_HFSR;
	*done = 0xFA17FA17U;
	prog_exit(-1);
}
