/* RCC enables and resets for the xSPI block and the GPIO ports. */
#include "periph/clock.h"

#include "regs/mmio.h"
#include "regs/regs_rcc.h"
#include "stub_abi.h"

#define OCTOSPI1_BASE 0x52005000U	/* docs/hardware-stm32h7a3.md §6.1 */
#define OCTOSPI2_BASE 0x5200A000U

/* Sets enable bits, then reads the register back: the HAL's "delay after
 * an RCC peripheral clock enabling" before the peripheral is touched. */
static void enable(uint32_t reg, uint32_t bits)
{
	mmio_write32(reg, mmio_read32(reg) | bits);
	(void)mmio_read32(reg);
	barrier_sync();
}

static void reset_pulse(uint32_t reg, uint32_t bits)
{
	mmio_write32(reg, mmio_read32(reg) | bits);
	(void)mmio_read32(reg);
	mmio_write32(reg, mmio_read32(reg) & ~bits);
	(void)mmio_read32(reg);
	barrier_sync();
}

void clock_gpio_enable(uint32_t family, uint32_t port_mask)
{
	switch (family) {
	case STUB_FAMILY_STM32H7:
		enable(RCC_H7_BASE + RCC_H7_AHB4ENR, port_mask);
		break;
	case STUB_FAMILY_STM32H7A3:
		enable(RCC_H7A3_BASE + RCC_H7A3_AHB4ENR, port_mask);
		break;
	case STUB_FAMILY_STM32F7:
		enable(RCC_F7_BASE + RCC_F7_AHB1ENR, port_mask);
		break;
	default:
		break;
	}
}

int clock_xspi_enable_reset(uint32_t family, uint32_t base)
{
	switch (family) {
	case STUB_FAMILY_STM32H7:
		enable(RCC_H7_BASE + RCC_H7_AHB3ENR, RCC_H7_AHB3ENR_QSPIEN);
		reset_pulse(RCC_H7_BASE + RCC_H7_AHB3RSTR,
			    RCC_H7_AHB3RSTR_QSPIRST);
		return STUB_STATUS_OK;
	case STUB_FAMILY_STM32H7A3:
		/* OCTOSPIM comes out of reset routing OCTOSPI1 to port 1 and
		 * OCTOSPI2 to port 2 (docs/hardware-stm32h7a3.md §7). */
		if (base == OCTOSPI1_BASE) {
			enable(RCC_H7A3_BASE + RCC_H7A3_AHB3ENR,
			       RCC_H7A3_AHB3ENR_OCTOSPI1EN |
				       RCC_H7A3_AHB3ENR_IOMNGREN);
			reset_pulse(RCC_H7A3_BASE + RCC_H7A3_AHB3RSTR,
				    RCC_H7A3_AHB3RSTR_OCTOSPI1RST |
					    RCC_H7A3_AHB3RSTR_IOMNGRRST);
			return STUB_STATUS_OK;
		}
		if (base == OCTOSPI2_BASE) {
			enable(RCC_H7A3_BASE + RCC_H7A3_AHB3ENR,
			       RCC_H7A3_AHB3ENR_OCTOSPI2EN |
				       RCC_H7A3_AHB3ENR_IOMNGREN);
			reset_pulse(RCC_H7A3_BASE + RCC_H7A3_AHB3RSTR,
				    RCC_H7A3_AHB3RSTR_OCTOSPI2RST |
					    RCC_H7A3_AHB3RSTR_IOMNGRRST);
			return STUB_STATUS_OK;
		}
		return STUB_STATUS_BAD_PARAMS;
	case STUB_FAMILY_STM32F7:
		enable(RCC_F7_BASE + RCC_F7_AHB3ENR, RCC_F7_AHB3ENR_QSPIEN);
		reset_pulse(RCC_F7_BASE + RCC_F7_AHB3RSTR,
			    RCC_F7_AHB3RSTR_QSPIRST);
		return STUB_STATUS_OK;
	default:
		return STUB_STATUS_BAD_PARAMS;
	}
}
