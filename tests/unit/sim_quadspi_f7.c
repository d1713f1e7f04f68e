/* The STM32F7 configuration of the QUADSPI model: CR.DMAEN exists, CCR has
 * no FRCM, and FTHRES[4] is not writable (ST-confirmed F7 limitation,
 * docs/hardware-stm32f7.md §6), against the H7 configuration. */
#include <stdlib.h>

#include "fault.h"
#include "periph/quadspi.h"
#include "util/log.h"
#include "unit.h"
#include "wire/xspi_wire.h"
#include "xspi_rig.h"

static struct pin_view pins[XSPI_SIGNALS];
static struct vclock clk;
static struct xspi_wire *wire;

static uint32_t kernel(void *ctx)
{
	(void)ctx;
	return 216000000U;
}

static struct quadspi *make(enum quadspi_family fam)
{
	static struct pin_source src;

	sim_log_quiet(1);
	clk.cycles = 100000;
	clk.cpu_hz = 216000000U;
	xspi_rig_route_all(pins, &src);
	wire = xspi_rig_wire(&src, &clk, CHIP_ESP_PSRAM64H, NULL, 7);
	return quadspi_new(fam == QUADSPI_FAMILY_F7 ? QUADSPI_F7_BASE
						    : QUADSPI_H7_BASE,
			   fam, &clk, kernel, NULL, wire);
}

static uint32_t rd(struct quadspi *q, uint32_t off)
{
	uint32_t v = 0;

	quadspi_reg_ops.read(q, off, 4, &v, BUS_MASTER_CPU);
	return v;
}

static void wr(struct quadspi *q, uint32_t off, uint32_t v)
{
	quadspi_reg_ops.write(q, off, 4, v, BUS_MASTER_CPU);
}

static void done(struct quadspi *q)
{
	quadspi_free(q);
	xspi_wire_free(wire);
}

static void f7_fthres_bit4_dropped(void)
{
	struct quadspi *q = make(QUADSPI_FAMILY_F7);

	wr(q, QUADSPI_CR, 0x13U << QUADSPI_CR_FTHRES_SHIFT | QUADSPI_CR_DMAEN);
	CHECK_EQ(rd(q, QUADSPI_CR),
		 0x03U << QUADSPI_CR_FTHRES_SHIFT | QUADSPI_CR_DMAEN);
	wr(q, QUADSPI_CR, 0x0FU << QUADSPI_CR_FTHRES_SHIFT);
	CHECK_EQ(rd(q, QUADSPI_CR), 0x0FU << QUADSPI_CR_FTHRES_SHIFT);
	done(q);
}

static void h7_keeps_fthres_bit4(void)
{
	struct quadspi *q = make(QUADSPI_FAMILY_H7);

	wr(q, QUADSPI_CR, 0x13U << QUADSPI_CR_FTHRES_SHIFT | QUADSPI_CR_DMAEN);
	CHECK_EQ(rd(q, QUADSPI_CR), 0x13U << QUADSPI_CR_FTHRES_SHIFT);
	done(q);
}

static void f7_ccr_has_no_frcm(void)
{
	struct quadspi *q = make(QUADSPI_FAMILY_F7);

	wr(q, QUADSPI_CCR, QUADSPI_CCR_FRCM | 1U << 8 | 0x66U);
	CHECK_EQ(rd(q, QUADSPI_CCR), 1U << 8 | 0x66U);
	done(q);
}

UNIT_MAIN("sim_quadspi_f7", UNIT_TEST(f7_fthres_bit4_dropped),
	  UNIT_TEST(h7_keeps_fthres_bit4), UNIT_TEST(f7_ccr_has_no_frcm))
