#include "stub/map_recommend.h"

#include "psram_parts.h"

/* The transports' PRESCALER is 8 bits (RM0455 OCTOSPI_DCR2, RM0433
 * §23.5.1 QUADSPI_CR). */
#define PRESCALER_MAX 255u

uint32_t map_xspi_clock_hz(uint32_t kernel_hz, uint32_t ask_hz,
			   uint32_t tch_ps)
{
	uint32_t presc, div, kernel_mhz = kernel_hz / 1000000u;

	if (!ask_hz) {
		presc = PRESCALER_MAX;
	} else {
		div = kernel_hz / ask_hz;
		if ((uint64_t)div * ask_hz < kernel_hz)
			div++;
		if (!div)
			div = 1;
		presc = div > PRESCALER_MAX + 1 ? PRESCALER_MAX : div - 1;
	}
	/* An odd divider 2m + 1 keeps CLK high m kernel cycles (RM0455
	 * OCTOSPI_DCR2, RM0399 §24.5.1): one more when m cycles are
	 * shorter than the chip's tCH. */
	div = presc + 1;
	if (div >= 3 && (div & 1) && presc != PRESCALER_MAX && kernel_mhz &&
	    div / 2 * 1000000u / kernel_mhz < tch_ps)
		presc++;
	return kernel_hz / (presc + 1);
}

/* The timeout counter raises NCS LPTR CLK cycles after the last access
 * (RM0455 OCTOSPI_LPTR, RM0433 §23.5.10 QUADSPI_LPTR): the chip's tCHD,
 * CE# held after the last CLK edge, must fit in them. */
uint32_t map_lptr_cycles(uint32_t tchd_ps, uint32_t clock_hz)
{
	uint64_t ps, n;

	if (!clock_hz)
		return 1;
	ps = 1000000000000ull / clock_hz;
	n = ps ? (tchd_ps + ps - 1) / ps : 1;
	if (n < 1)
		return 1;
	return n > 65535 ? 65535 : (uint32_t)n;
}

/* NCS rises REFRESH + 1 CLK cycles after it fell in a write, REFRESH + 4
 * in a read (RM0455 OCTOSPI_DCR4), so no burst outlasts tCEM whatever the
 * other settings. The timeout counter alone releases NCS only when the
 * core stops feeding the controller: cache line write-backs (or a DMA)
 * never stop within a 1 KiB CSBOUND page, which at QPI rates lasts longer
 * than tCEM (docs/hardware-stm32h7a3.md §6.7). An eighth is kept as
 * margin for the byte under way and the clock's tolerance; under 16
 * cycles there is no room for a command and REFRESH stays off. */
uint32_t map_refresh_cycles(uint32_t tcem_ns, uint32_t clock_hz)
{
	uint64_t cycles = (uint64_t)tcem_ns * clock_hz / 1000000000u;

	if (cycles < 16)
		return 0;
	cycles -= cycles / 8;
	return cycles > 0xffffffffu ? 0xffffffffu : (uint32_t)cycles;
}

uint32_t map_quadspi_read_run_bytes(uint32_t chip, uint32_t clock_hz)
{
	const struct psram_part_timing *t = psram_part(chip);
	uint64_t cycles = (uint64_t)t->tcem_ns * clock_hz / 1000000000u;
	uint64_t head = 2u + 6u + t->wait_eb;	/* QPI 0xEB, ESPDS §5.4 */

	return cycles > head ? (uint32_t)((cycles - head) / 2) : 0;
}

uint32_t map_quadspi_stub_run_bytes(uint32_t chip, uint32_t clock_hz,
				    uint32_t lptr)
{
	uint32_t run = map_quadspi_read_run_bytes(chip, clock_hz);
	uint32_t tail = 32u + lptr / 2u + 2u;	/* FIFO, LPTR, NCS's CLK */

	return run > tail ? run - tail : 1u;
}

void map_recommend(uint32_t chip, uint32_t clock_hz, int octospi,
		   struct map_recommended *r)
{
	const struct psram_part_timing *t = psram_part(chip);

	r->clock_hz = clock_hz;
	r->lptr = map_lptr_cycles(t->tchd_ps, clock_hz);
	r->refresh = octospi ? map_refresh_cycles(t->tcem_ns, clock_hz) : 0;
}

void map_settings_apply(struct map_settings *s,
			const struct map_recommended *r)
{
	if (!(s->given & MAP_GIVEN_TIMEOUT))
		s->map.timeout = r->lptr;
	if (!(s->given & MAP_GIVEN_REFRESH))
		s->map.refresh = r->refresh;
}
