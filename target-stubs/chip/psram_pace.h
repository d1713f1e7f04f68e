/*
 * Bursts cut from the measured FIFO service time. A burst holds CE# low
 * while the CPU serves the FIFO: when the CPU is slower than the wire, a
 * FIFO that runs dry (write) or full (read) stops CLK with CE# still low
 * (docs/hardware-stm32h7.md §6.6), past tCEM if the burst is long
 * (docs/psram-chips.md §4). So transfers are timed with the DWT cycle
 * counter: a one-unit transfer gives the fixed cost of a call, longer ones
 * the CPU cycles each further byte costs (never less than the wire takes
 * to move it), and every burst is cut to what fits in tCEM at that rate
 * after the frame's header and the wait for its first unit. Beyond the
 * longest burst timed, while the lengths timed are close, the rate is
 * taken a quarter higher, and no burst is more than twice the longest
 * timed: the FIFO's start can hide a CPU that falls behind only later in
 * a burst. bench, margin and memtest use it.
 */
#ifndef TARGET_STUBS_PSRAM_PACE_H
#define TARGET_STUBS_PSRAM_PACE_H

#include <stdbool.h>
#include <stdint.h>

#include "chip/psram_protocol.h"

struct psram_pace {
	uint32_t n0, c0;	/* the first transfer timed: bytes, CPU cycles */
	uint32_t n;		/* the longest single burst timed since */
	uint32_t slope16;	/* CPU cycles per further byte ×16, 0: unknown */
	/* The burst length worked out for max_cmd in max_unit units
	 * (max_unit 0: none yet), and whether the rate is sure, until the
	 * next timing changes them. */
	uint32_t max;
	bool max_sure;
	uint32_t max_unit, max_cmd;
};

void psram_pace_reset(struct psram_pace *pc);

/* psram_read / psram_write of [addr, addr + len), paced by pc (one per
 * direction and command); `unit` is the smallest piece worth moving (the
 * access width). */
int psram_read_paced(struct psram *p, struct psram_pace *pc, uint32_t cmd,
		     uint32_t addr, uint8_t *buf, uint32_t len, uint32_t unit);
int psram_write_paced(struct psram *p, struct psram_pace *pc, uint32_t cmd,
		      uint32_t addr, const uint8_t *buf, uint32_t len,
		      uint32_t unit);

/* The longest burst pc allows for `cmd` now, in bytes: one unit at least,
 * even where the bus is too slow for that to fit in tCEM. */
uint32_t psram_pace_max(struct psram *p, struct psram_pace *pc,
			uint32_t cmd, bool write, uint32_t unit);

#endif
