/* The STM32F7 boards as sim_create builds them (sim/sim_f7.c): the DBGMCU
 * inside the PPB with the core's registers on both sides of it, the device
 * data in system memory, the ITCM view of the flash, clock gates on GPIO,
 * PWR and QUADSPI, the F7 GPIO reset state, and the QUADSPI at 0xA0001000
 * (docs/hardware-stm32f7.md §1, §2, §5). */
#include <stdlib.h>

#include "fault.h"
#include "periph/quadspi.h"
#include "sim.h"
#include "util/log.h"
#include "unit.h"

static struct sim *make(const char *board)
{
	struct sim *sim = calloc(1, sizeof(*sim));
	struct fault_set fs;

	sim_log_quiet(1);
	fault_set_init(&fs);
	fs.chip = CHIP_ESP_PSRAM64H;
	if (!sim || sim_create(sim, board_find(board), &fs, 1) != 0) {
		free(sim);
		return NULL;
	}
	return sim;
}

static void done(struct sim *sim)
{
	sim_destroy(sim);
	free(sim);
}

static uint32_t rd(struct sim *sim, uint32_t addr, unsigned size)
{
	uint32_t v = 0xDEADBEEFU;

	if (!bus_read(&sim->sysbus, addr, size, &v, BUS_MASTER_DEBUG))
		return 0xBAD0BAD0U;
	return v;
}

static bool wr(struct sim *sim, uint32_t addr, uint32_t v)
{
	return bus_write(&sim->sysbus, addr, 4, v, BUS_MASTER_DEBUG);
}

static void f746_identity_and_map(void)
{
	struct sim *sim = make("f746g-disco");

	CHECK(sim != NULL);
	CHECK_EQ(rd(sim, 0xE0042000U, 4), 0x10016449U);
	/* The PPB on both sides of the DBGMCU: CPUID, and the Cortex-M7 ROM
	 * table's first entry (the SCS). */
	CHECK_EQ(rd(sim, 0xE000ED00U, 4) & 0xFF0FFFF0U, 0x410FC270U);
	CHECK_EQ(rd(sim, 0xE00FF000U, 4) & 3U, 3U);
	CHECK_EQ(rd(sim, 0x1FF0F442U, 2), 1024U);
	/* The ITCM view reads the flash, refuses writes. */
	CHECK_EQ(rd(sim, 0x00200000U, 4), rd(sim, 0x08000000U, 4));
	CHECK(!wr(sim, 0x00200000U, 0));
	/* 64 KiB DTCM, then SRAM1. */
	CHECK(wr(sim, 0x2000FFFCU, 0x11223344U));
	CHECK(wr(sim, 0x20010000U, 0x55667788U));
	CHECK_EQ(rd(sim, 0x2000FFFCU, 4), 0x11223344U);
	CHECK_EQ(rd(sim, 0x2004FFFCU, 4), 0U);
	CHECK_EQ(rd(sim, 0x20050000U, 4), 0xBAD0BAD0U);
	done(sim);
}

static void f7_gates_and_gpio_reset(void)
{
	struct sim *sim = make("f746g-disco");

	CHECK(sim != NULL);
	/* Unclocked: GPIOA, PWR and the QUADSPI read 0 and ignore writes. */
	CHECK_EQ(rd(sim, 0x40020000U, 4), 0U);
	CHECK_EQ(rd(sim, 0x40007000U, 4), 0U);
	CHECK(wr(sim, 0xA0001000U, 0x01000000U));
	CHECK_EQ(rd(sim, 0xA0001000U, 4), 0U);
	/* Clocked (AHB1ENR GPIOA..C, APB1ENR PWREN, AHB3ENR QSPIEN). */
	CHECK(wr(sim, 0x40023830U, 0x00100007U));
	CHECK(wr(sim, 0x40023840U, 1U << 28));
	CHECK(wr(sim, 0x40023838U, 2U));
	CHECK_EQ(rd(sim, 0x40020000U, 4), 0xA8000000U);	/* GPIOA MODER */
	CHECK_EQ(rd(sim, 0x40020400U, 4), 0x00000280U);	/* GPIOB */
	CHECK_EQ(rd(sim, 0x4002040CU, 4), 0x00000100U);
	CHECK_EQ(rd(sim, 0x40020800U, 4), 0U);		/* GPIOC: inputs */
	CHECK_EQ(rd(sim, 0x40007000U, 4), 0x0000C000U);	/* PWR_CR1 */
	CHECK(wr(sim, 0xA0001000U, 0x01000000U));
	CHECK_EQ(rd(sim, 0xA0001000U, 4), 0x01000000U);
	/* A GPIOC reset through AHB1RSTR brings back the F7 state. */
	CHECK(wr(sim, 0x40020800U, 0x00000010U));
	CHECK(wr(sim, 0x40023810U, 4U));
	CHECK(wr(sim, 0x40023810U, 0U));
	CHECK_EQ(rd(sim, 0x40020800U, 4), 0U);
	done(sim);
}

static void f769_identity(void)
{
	struct sim *sim = make("f769i-disco");

	CHECK(sim != NULL);
	CHECK_EQ(rd(sim, 0xE0042000U, 4), 0x10016451U);
	CHECK_EQ(rd(sim, 0x1FF0F442U, 2), 2048U);
	/* 128 KiB DTCM, SRAM1 from 0x20020000, SRAM2 to 0x2007FFFF. */
	CHECK(wr(sim, 0x2001FFFCU, 1U));
	CHECK(wr(sim, 0x2007FFFCU, 2U));
	CHECK_EQ(rd(sim, 0x20080000U, 4), 0xBAD0BAD0U);
	done(sim);
}

/* Two boards at once keep their own state (PPB halves, GPIO resets). */
static void two_boards_at_once(void)
{
	struct sim *a = make("f746g-disco"), *b = make("f769i-disco");

	CHECK(a != NULL && b != NULL);
	/* CPUID: the F74x carries a Cortex-M7 r0p1, the F76x r1p0. */
	CHECK_EQ(rd(a, 0xE000ED00U, 4), 0x410FC271U);
	CHECK_EQ(rd(b, 0xE000ED00U, 4), 0x411FC270U);
	CHECK_EQ(rd(a, 0xE0042000U, 4), 0x10016449U);
	done(a);
	CHECK_EQ(rd(b, 0xE00FF000U, 4) & 3U, 3U);
	CHECK(wr(b, 0x40023830U, 0x00100004U));
	CHECK(wr(b, 0x40023810U, 4U));
	CHECK_EQ(rd(b, 0x40020800U, 4), 0U);
	done(b);
}

/* The QUADSPI global interrupt reaches NVIC position 92 (RM0385 vector
 * table): TCF with TCIE pends it, with no register read in between. */
static void f7_quadspi_interrupt(void)
{
	struct sim *sim = make("f746g-disco");

	CHECK(sim != NULL);
	CHECK(wr(sim, 0x40023838U, 2U));		/* AHB3ENR QSPIEN */
	CHECK(wr(sim, 0xA0001000U, 0x03020001U));	/* PRESCALER 3, TCIE, EN */
	CHECK_EQ(rd(sim, 0xE000E208U, 4) & (1U << 28), 0U);
	CHECK(wr(sim, 0xA0001014U, 0x00000166U));	/* IMODE 01, 0x66 */
	vclock_advance_to(&sim->clk, vclock_now(&sim->clk) + 100000U);
	CHECK(rd(sim, 0xE000E208U, 4) & (1U << 28));	/* ISPR2 bit 28 */
	done(sim);
}

/* SYSCFG (RM0385 §7, RM0410 §7): clocked by APB2ENR.SYSCFGEN; MEMRMP
 * SWP_FMC (and FB_MODE on the F76x), PMC, EXTICR1-4 of 16 bits, CMPCR
 * with READY following CMP_PD; reserved bits read 0; APB2RSTR.SYSCFGRST
 * resets it. */
static void f7_syscfg(void)
{
	static const struct {
		const char *board;
		uint32_t memrmp, pmc;
	} b[] = {
		{"f746g-disco", 0x00000C00U, 0x00870000U},
		{"f769i-disco", 0x00000D00U, 0x008700FFU},
	};

	for (unsigned i = 0; i < 2; i++) {
		struct sim *sim = make(b[i].board);

		CHECK(sim != NULL);
		CHECK(wr(sim, 0x40013808U, 0x1234U));
		CHECK_EQ(rd(sim, 0x40013808U, 4), 0U);	/* clock off */
		CHECK(wr(sim, 0x40023844U, 1U << 14));	/* SYSCFGEN */
		CHECK(wr(sim, 0x40013800U, 0xFFFFFFFFU));
		CHECK_EQ(rd(sim, 0x40013800U, 4), b[i].memrmp);
		CHECK(wr(sim, 0x40013804U, 0xFFFFFFFFU));
		CHECK_EQ(rd(sim, 0x40013804U, 4), b[i].pmc);
		CHECK(wr(sim, 0x40013814U, 0xFFFFFFFFU));
		CHECK_EQ(rd(sim, 0x40013814U, 4), 0xFFFFU);
		CHECK(wr(sim, 0x40013820U, 0xFFFFFFFFU));
		CHECK_EQ(rd(sim, 0x40013820U, 4), 0x101U);
		CHECK(wr(sim, 0x40023824U, 1U << 14));	/* SYSCFGRST */
		CHECK(wr(sim, 0x40023824U, 0));
		CHECK_EQ(rd(sim, 0x40013814U, 4), 0U);
		CHECK_EQ(rd(sim, 0x40013820U, 4), 0U);
		done(sim);
	}
}

/* RM0385 Table 1 / RM0410 Table 1 (register boundary addresses): a
 * peripheral psramsim does not model answers as an idle block (reads 0,
 * writes dropped, logged once as not modelled), as on the H7 boards; a
 * reserved address, and the H7's DBGMCU, is a bus error. The F76x's own
 * blocks (DSI, JPEG, CAN3) exist on the F769 only. */
static void f7_peripheral_space(void)
{
	struct sim *a = make("f746g-disco"), *b = make("f769i-disco");

	CHECK(a != NULL && b != NULL);
	CHECK_EQ(rd(a, 0x4001101CU, 4), 0U);		/* USART1 ISR */
	CHECK(wr(a, 0x4001100CU, 0x1D4CU));		/* USART1 BRR */
	CHECK_EQ(rd(a, 0x40006000U, 4), 0U);		/* I2C4 */
	CHECK_EQ(rd(a, 0x50060800U, 4), 0U);		/* RNG */
	CHECK_EQ(rd(a, 0xA0000000U, 4), 0U);		/* FMC */
	CHECK_EQ(rd(a, 0x40016C00U, 4), 0xBAD0BAD0U);	/* DSI: F76x */
	CHECK_EQ(rd(b, 0x40016C00U, 4), 0U);
	CHECK_EQ(rd(a, 0x50051000U, 4), 0xBAD0BAD0U);	/* JPEG: F76x */
	CHECK_EQ(rd(b, 0x50051000U, 4), 0U);
	CHECK_EQ(rd(a, 0x40003400U, 4), 0xBAD0BAD0U);	/* CAN3: F76x */
	CHECK_EQ(rd(b, 0x40003400U, 4), 0U);
	CHECK_EQ(rd(a, 0x40008000U, 4), 0xBAD0BAD0U);	/* reserved */
	CHECK_EQ(rd(a, 0x5C001000U, 4), 0xBAD0BAD0U);	/* H7 DBGMCU */
	/* The modelled blocks still answer for themselves. */
	CHECK_EQ(rd(a, 0x40023800U, 4) & 3U, 3U);
	done(a);
	done(b);
}

/* RCC_CSR through the board's resets (RM0385 §5.1): power-on sets PORRSTF,
 * PINRSTF and BORRSTF; NRST (the debugger's SRST, sim_system_reset) adds
 * PINRSTF alone; sim_power_on starts over. */
static void f7_reset_flags(void)
{
	struct sim *sim = make("f746g-disco");

	CHECK(sim != NULL);
	CHECK_EQ(rd(sim, 0x40023874U, 4), 0x0E000000U);
	CHECK(wr(sim, 0x40023874U, 1U << 24));		/* RMVF */
	CHECK_EQ(rd(sim, 0x40023874U, 4), 0U);
	sim_system_reset(sim);
	CHECK_EQ(rd(sim, 0x40023874U, 4), 0x04000000U);
	sim_power_on(sim);
	CHECK_EQ(rd(sim, 0x40023874U, 4), 0x0E000000U);
	done(sim);
}

UNIT_MAIN("sim_board_f7", UNIT_TEST(f7_reset_flags),
	  UNIT_TEST(f7_peripheral_space),
	  UNIT_TEST(f7_syscfg), UNIT_TEST(two_boards_at_once),
	  UNIT_TEST(f746_identity_and_map), UNIT_TEST(f7_gates_and_gpio_reset),
	  UNIT_TEST(f769_identity), UNIT_TEST(f7_quadspi_interrupt))
