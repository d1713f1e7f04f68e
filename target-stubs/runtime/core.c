/* Cortex-M7 core setup (ARMv7-M ARM B3.2-B3.5). */
#include "runtime/core.h"

#include "regs/mmio.h"
#include "regs/regs_scb.h"

#define MPU_REGION_WINDOW 0U	/* the whole 256 MiB window, no access */
#define WINDOW_SIZE_LOG2 28U

static uint32_t mpu_regions(void)
{
	return (mmio_read32(MPU_TYPE) & MPU_TYPE_DREGION_MASK) >>
	       MPU_TYPE_DREGION_SHIFT;
}

static void mpu_reset(void)
{
	uint32_t n = mpu_regions();

	mmio_write32(MPU_CTRL, 0U);
	barrier_sync();
	for (uint32_t i = 0; i < n; i++) {
		mmio_write32(MPU_RNR, i);
		mmio_write32(MPU_RASR, 0U);
	}
	barrier_sync();
}

void core_setup(void)
{
	uint32_t lines = (mmio_read32(NVIC_ICTR) & NVIC_ICTR_INTLINESNUM_MASK) + 1U;

	/* The stub polls; nothing may interrupt it. */
	for (uint32_t i = 0; i < lines; i++) {
		mmio_write32(NVIC_ICER(i), 0xFFFFFFFFU);
		mmio_write32(NVIC_ICPR(i), 0xFFFFFFFFU);
	}
	mmio_write32(SYST_CSR, 0U);
	mmio_write32(SCB_ICSR, SCB_ICSR_PENDSTCLR | SCB_ICSR_PENDSVCLR);

	/* A report must describe the stub's own fault, not an old one. */
	mmio_write32(SCB_CFSR, mmio_read32(SCB_CFSR));
	mmio_write32(SCB_HFSR, mmio_read32(SCB_HFSR));
	mmio_write32(SCB_SHCSR, mmio_read32(SCB_SHCSR) | SCB_SHCSR_MEMFAULTENA |
					 SCB_SHCSR_BUSFAULTENA |
					 SCB_SHCSR_USGFAULTENA);

	/* The stub's view of memory must be the bus's view (the mailbox is
	 * in DTCM, never cached; the xSPI window would be). Dirty lines of
	 * the halted firmware are abandoned on purpose. */
	if (mmio_read32(SCB_CCR) & SCB_CCR_DC) {
		mmio_write32(SCB_CCR, mmio_read32(SCB_CCR) & ~SCB_CCR_DC);
		barrier_sync();
	}
	mpu_reset();

	__asm__ volatile("cpsie i\n\tcpsie f" ::: "memory");
}

void core_mpu_block_window(uint32_t window)
{
	if (mpu_regions() <= MPU_REGION_WINDOW)
		return;
	mmio_write32(MPU_CTRL, 0U);
	barrier_sync();
	mmio_write32(MPU_RNR, MPU_REGION_WINDOW);
	mmio_write32(MPU_RBAR, window);
	mmio_write32(MPU_RASR, MPU_RASR_XN |
				       MPU_RASR_AP_NONE << MPU_RASR_AP_SHIFT |
				       (WINDOW_SIZE_LOG2 - 1U) << MPU_RASR_SIZE_SHIFT |
				       MPU_RASR_ENABLE);
	mmio_write32(MPU_CTRL, MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA);
	barrier_sync();
}
