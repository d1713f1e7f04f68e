/* The memory-mapped setup psramctl recommends, computed in one place from
 * the fitted part's datasheet timing (target-stubs/include/psram_parts.h)
 * and the xSPI clock the stub runs: `mapcheck` prints it, `verify`'s
 * mapped stage and `memtest --mode mapped` run with it unless --xspi says
 * otherwise (docs/hardware-stm32h7a3.md §6.7). Pure functions. */
#ifndef CLI_MAP_RECOMMEND_H
#define CLI_MAP_RECOMMEND_H

#include <stdint.h>

#include "stub/map_options.h"

struct map_recommended {
	uint32_t clock_hz;	/* the xSPI clock the values are for */
	uint32_t lptr;		/* LPTR.TIMEOUT, CLK cycles */
	uint32_t refresh;	/* OCTOSPI DCR4.REFRESH, CLK cycles; 0: none */
};

/* The clock the stub makes from kernel_hz when asked for ask_hz, as its
 * transports choose it (target-stubs/transport/xspi_indirect.h, for
 * both controllers: the smallest divider not faster than the ask, one
 * more when an odd divider would keep CLK high shorter than tch_ps).
 * memtest_run checks it against the clock the stub reports. */
uint32_t map_xspi_clock_hz(uint32_t kernel_hz, uint32_t ask_hz,
			   uint32_t tch_ps);

/* LPTR: the CLK cycles that span tCHD, at least 1. */
uint32_t map_lptr_cycles(uint32_t tchd_ps, uint32_t clock_hz);

/* DCR4.REFRESH: 7/8 of tCEM in CLK cycles; 0 (none) below 16 cycles. */
uint32_t map_refresh_cycles(uint32_t tcem_ns, uint32_t clock_hz);

/* The longest run of sequential memory-mapped reads that keeps CE# low
 * within tCEM at clock_hz on a QUADSPI, which has neither REFRESH nor
 * CSBOUND to end a burst: 0xEB in QPI spends 2 + 6 + 6 CLK cycles on
 * instruction, address and wait clocks, then 2 per byte. A core that
 * reads faster than that keeps the burst going as long as it reads in
 * sequence. */
uint32_t map_quadspi_read_run_bytes(uint32_t chip, uint32_t clock_hz);

/* stub_map.run_bytes: the runs the stub's mapped tests read on a QUADSPI
 * with the timeout counter at LPTR = lptr. The limit above less what
 * keeps CE# low after the last byte the core takes: the prefetch that
 * fills the 32-byte FIFO and lptr more cycles (RM0433 §23.3.13); at
 * least 1. */
uint32_t map_quadspi_stub_run_bytes(uint32_t chip, uint32_t clock_hz,
				    uint32_t lptr);

/* The recommendation for part `chip` (enum stub_chip) at clock_hz; a
 * QUADSPI has no REFRESH. */
void map_recommend(uint32_t chip, uint32_t clock_hz, int octospi,
		   struct map_recommended *r);

/* Puts r into s where --xspi did not set the key (MAP_GIVEN_*). */
void map_settings_apply(struct map_settings *s,
			const struct map_recommended *r);

#endif
