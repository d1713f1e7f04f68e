/* memtest --mode mapped: the window's MPU attributes (--mpu) and the
 * controller's memory-mapped settings (--xspi KEY=VALUE), as the stub's
 * struct stub_map and the clock choices they imply
 * (docs/hardware-stm32h7a3.md §6.7). */
#ifndef CLI_MAP_OPTIONS_H
#define CLI_MAP_OPTIONS_H

#include <stdint.h>

#include "stub_abi.h"

/* --mpu choices, in enum stub_mpu order. */
#define MAP_MPU_CHOICES "off|device|nc|wt|wb"

struct map_settings {
	struct stub_map map;
	int prescaler;		/* -1: from the clock asked for */
	int sample_shift;	/* -1: as asked, else enum stub_sample_shift */
	unsigned given;		/* MAP_GIVEN_*: keys --xspi set, which the
				 * recommendation (stub/map_recommend.h)
				 * leaves alone */
};

#define MAP_GIVEN_TIMEOUT 1u
#define MAP_GIVEN_REFRESH 2u

/* The settings psramctl recommends: DQS on writes (ES0478), the timeout
 * counter, a chip-select boundary at the 1 KiB page, standard memory
 * type, no MAXTRAN, MPU off. The timeout's period and REFRESH depend on
 * the part and the clock: memtest_run puts in map_recommend's values for
 * the keys not given (until then LPTR 1 and no REFRESH stand in). */
void map_settings_default(struct map_settings *s);

/* One --xspi KEY=VALUE: dqs=on|off, timeout=off|CYCLES (1-65535),
 * csbound=0-31, refresh=CYCLES, maxtran=0-255,
 * mtyp=micron|macronix|standard|macronix-ram, prescaler=0-255,
 * sshift=on|off|auto. Returns 0, or a usage error already printed that
 * names the input. */
int map_settings_parse(struct map_settings *s, const char *kv);

#endif
