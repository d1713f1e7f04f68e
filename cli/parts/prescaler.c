/* The xSPI prescaler ladder (prescaler.h). */
#include <math.h>

#include "parts/prescaler.h"

size_t prescaler_ladder(uint32_t kernel_hz, uint32_t min_hz, uint32_t max_hz,
			uint32_t *hz, size_t max)
{
	size_t n = 0;

	if (!kernel_hz)
		return 0;
	/* PRESCALER from 255 down to 0: slow to fast. */
	for (unsigned p = XSPI_PRESCALERS; p-- > 0 && n < max;) {
		double exact = (double)kernel_hz / (p + 1);

		if (exact < min_hz - 0.5 || exact > max_hz + 0.5)
			continue;
		hz[n++] = (uint32_t)ceil(exact);
	}
	return n;
}
