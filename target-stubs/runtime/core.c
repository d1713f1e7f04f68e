/* Cortex-M7 core setup (ARMv7-M ARM B3.2-B3.5). */
#include "runtime/core.h"

#include <stdbool.h>

#include "regs/mmio.h"
#include "regs/regs_scb.h"
#include "stub_abi.h"

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

/* Every line by set and way (ARMv7-M ARM B2.2.7): `reg` is DCISW or
 * DCCISW. CCSIDR gives the geometry of the level-1 data cache. */
static void dcache_all(uint32_t reg)
{
	uint32_t ccsidr, sets, ways, way_shift = 32U;

	mmio_write32(SCB_CSSELR, 0U);
	barrier_sync();
	ccsidr = mmio_read32(SCB_CCSIDR);
	sets = ((ccsidr >> 13) & 0x7FFFU) + 1U;
	ways = ((ccsidr >> 3) & 0x3FFU) + 1U;
	for (uint32_t w = ways - 1U; w; w >>= 1)
		way_shift--;
	for (uint32_t set = 0; set < sets; set++)
		for (uint32_t way = 0; way < ways; way++)
			mmio_write32(reg, (way_shift < 32U ? way << way_shift
							   : 0U) |
						  set << 5);
	barrier_sync();
}

static bool dcache_on(void)
{
	return mmio_read32(SCB_CCR) & SCB_CCR_DC;
}

/* ARMv7-M ARM B3.5.9 attributes: TEX, C, B and S of each choice. */
static uint32_t mpu_attr(uint32_t mpu)
{
	switch (mpu) {
	case STUB_MPU_DEVICE:
		return MPU_RASR_B | MPU_RASR_S;
	case STUB_MPU_NC:
		return 1U << MPU_RASR_TEX_SHIFT;
	case STUB_MPU_WT:
		return MPU_RASR_C;
	case STUB_MPU_WB:
		return 1U << MPU_RASR_TEX_SHIFT | MPU_RASR_C | MPU_RASR_B;
	default:
		return 0U;
	}
}

#define MPU_REGION_MAPPED 1U

void core_mpu_map_window(uint32_t window, uint32_t size_log2, uint32_t mpu)
{
	if (mpu == STUB_MPU_OFF || mpu_regions() <= MPU_REGION_MAPPED) {
		/* No region: the default memory map. */
		mpu_reset();
		return;
	}
	mmio_write32(MPU_CTRL, 0U);
	barrier_sync();
	/* A higher region number wins where regions overlap (B3.5.3). */
	mmio_write32(MPU_RNR, MPU_REGION_MAPPED);
	mmio_write32(MPU_RBAR, window);
	mmio_write32(MPU_RASR, MPU_RASR_XN |
				       MPU_RASR_AP_FULL << MPU_RASR_AP_SHIFT |
				       mpu_attr(mpu) |
				       (size_log2 - 1U) << MPU_RASR_SIZE_SHIFT |
				       MPU_RASR_ENABLE);
	mmio_write32(MPU_CTRL, MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA);
	barrier_sync();
	if ((mpu == STUB_MPU_WT || mpu == STUB_MPU_WB) && !dcache_on()) {
		dcache_all(SCB_DCISW);
		mmio_write32(SCB_CCR, mmio_read32(SCB_CCR) | SCB_CCR_DC);
		barrier_sync();
	}
}

void core_mpu_unmap_window(uint32_t window)
{
	if (dcache_on()) {
		dcache_all(SCB_DCCISW);
		mmio_write32(SCB_CCR, mmio_read32(SCB_CCR) & ~SCB_CCR_DC);
		barrier_sync();
	}
	mpu_reset();
	core_mpu_block_window(window);
}

static void dcache_by_address(uint32_t reg, uint32_t addr, uint32_t len)
{
	uint32_t end = addr + len;

	if (!dcache_on() || len == 0U)
		return;
	barrier_sync();
	for (addr &= ~(CACHE_LINE_BYTES - 1U); addr < end;
	     addr += CACHE_LINE_BYTES)
		mmio_write32(reg, addr);
	barrier_sync();
}

void core_dcache_flush(uint32_t addr, uint32_t len)
{
	dcache_by_address(SCB_DCCIMVAC, addr, len);
}

void core_dcache_discard(uint32_t addr, uint32_t len)
{
	dcache_by_address(SCB_DCIMVAC, addr, len);
}
