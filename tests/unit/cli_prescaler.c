/* The prescaler ladder against clocks worked out by hand:
 * kernel / (PRESCALER + 1), RM0433 §23.5.1. */
#include "unit.h"
#include "parts/prescaler.h"

#define MHZ 1000000u

static void slow_to_fast_within_bounds(void)
{
	uint32_t hz[XSPI_PRESCALERS];
	size_t n = prescaler_ladder(200 * MHZ, 40 * MHZ, 100 * MHZ, hz,
				    XSPI_PRESCALERS);

	/* 200/5 = 40, 200/4 = 50, 200/3 = 66.67, 200/2 = 100. */
	CHECK_EQ(n, 4);
	CHECK_EQ(hz[0], 40 * MHZ);
	CHECK_EQ(hz[1], 50 * MHZ);
	CHECK_EQ(hz[2], 66666667u);	/* rounded up */
	CHECK_EQ(hz[3], 100 * MHZ);
}

static void whole_ladder(void)
{
	uint32_t hz[XSPI_PRESCALERS];
	size_t n = prescaler_ladder(256 * MHZ, 0, 256 * MHZ, hz,
				    XSPI_PRESCALERS);

	CHECK_EQ(n, XSPI_PRESCALERS);
	CHECK_EQ(hz[0], 1 * MHZ);		/* PRESCALER 255 */
	CHECK_EQ(hz[n - 1], 256 * MHZ);		/* PRESCALER 0 */
	for (size_t i = 1; i < n; i++)
		CHECK(hz[i] > hz[i - 1]);
}

static void rounding_lands_on_the_step(void)
{
	uint32_t hz[XSPI_PRESCALERS];
	size_t n = prescaler_ladder(200 * MHZ, 8 * MHZ, 200 * MHZ, hz,
				    XSPI_PRESCALERS);

	/* The stub takes the fastest step not above the ask: each rounded
	 * clock must select its own prescaler, never a slower one. */
	for (size_t i = 0; i < n; i++) {
		unsigned p = (200 * MHZ + hz[i] - 1) / hz[i] - 1;

		CHECK((double)200 * MHZ / (p + 1) <= hz[i]);
		CHECK(hz[i] - (double)200 * MHZ / (p + 1) < 1.0);
	}
}

static void limits(void)
{
	uint32_t hz[4];

	/* Half a hertz either side counts as on the bound. */
	CHECK_EQ(prescaler_ladder(200 * MHZ, 66666667u, 66666667u, hz, 4), 1);
	CHECK_EQ(hz[0], 66666667u);
	/* Nothing between 67 and 99 MHz from 200 MHz. */
	CHECK_EQ(prescaler_ladder(200 * MHZ, 67 * MHZ, 99 * MHZ, hz, 4), 0);
	/* At most `max` written. */
	CHECK_EQ(prescaler_ladder(200 * MHZ, 0, 200 * MHZ, hz, 4), 4);
	CHECK_EQ(hz[0], 781250u);	/* 200 MHz / 256 */
	CHECK_EQ(prescaler_ladder(0, 0, 200 * MHZ, hz, 4), 0);
}

UNIT_MAIN("cli_prescaler", UNIT_TEST(slow_to_fast_within_bounds),
	  UNIT_TEST(whole_ladder), UNIT_TEST(rounding_lands_on_the_step),
	  UNIT_TEST(limits))
