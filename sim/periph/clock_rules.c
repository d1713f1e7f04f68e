#include "periph/clock_rules.h"

#define MHZ 1000000U

const struct vos_limit vos_limits[4] = {
	[VOS0] = {480 * MHZ, 240 * MHZ},
	[VOS1] = {400 * MHZ, 200 * MHZ},
	[VOS2] = {300 * MHZ, 150 * MHZ},
	[VOS3] = {200 * MHZ, 100 * MHZ},
};

const struct vos_limit vos_limits_h7a3[4] = {
	[VOS0] = {280 * MHZ, 280 * MHZ},
	[VOS1] = {225 * MHZ, 225 * MHZ},
	[VOS2] = {160 * MHZ, 160 * MHZ},
	[VOS3] = {88 * MHZ, 88 * MHZ},
};

/* RM0433 Table 17, "FLASH recommended number of wait states and
 * programming delay": the AXI clock (rcc_aclk) ranges per scale. */
const struct flash_ws_row flash_ws[4][FLASH_WS_ROWS] = {
	[VOS0] = {{70 * MHZ, 0}, {140 * MHZ, 1}, {210 * MHZ, 2},
		  {225 * MHZ, 3}, {240 * MHZ, 4}},
	[VOS1] = {{70 * MHZ, 0}, {140 * MHZ, 1}, {210 * MHZ, 2}},
	[VOS2] = {{55 * MHZ, 0}, {110 * MHZ, 1}, {165 * MHZ, 2},
		  {225 * MHZ, 3}},
	[VOS3] = {{45 * MHZ, 0}, {90 * MHZ, 1}, {135 * MHZ, 2},
		  {180 * MHZ, 3}, {225 * MHZ, 4}},
};

int flash_min_latency(enum vos vos, uint32_t aclk_hz)
{
	for (unsigned i = 0; i < FLASH_WS_ROWS; i++) {
		const struct flash_ws_row *r = &flash_ws[vos][i];

		if (r->aclk_max_hz == 0)
			break;
		if (aclk_hz <= r->aclk_max_hz)
			return r->latency;
	}
	return -1;
}

/* PLLxRGE: 00 1-2 MHz, 01 2-4 MHz, 10 4-8 MHz, 11 8-16 MHz. */
const struct pll_range pll_ref_ranges[4] = {
	{1 * MHZ, 2 * MHZ},
	{2 * MHZ, 4 * MHZ},
	{4 * MHZ, 8 * MHZ},
	{8 * MHZ, 16 * MHZ},
};

struct pll_range pll_vco_range(unsigned vcosel, bool rev_v)
{
	struct pll_range wide = {192 * MHZ, (rev_v ? 960 : 836) * MHZ};
	struct pll_range medium = {150 * MHZ, 420 * MHZ};

	return vcosel ? medium : wide;
}
