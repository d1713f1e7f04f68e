/* Board profiles: which MCU, its identification values and memories, and how
 * the memory chip is wired. One table entry per board. */
#ifndef SIM_BOARD_H
#define SIM_BOARD_H

#include <stdint.h>

#include "wire/pins.h"

enum mcu_line {
	MCU_STM32H74X,	/* H742/743/750/753, DEV_ID 0x450, QUADSPI */
	MCU_STM32H7A3,	/* H7A3/B3/B0, DEV_ID 0x480, OCTOSPI (RM0455) */
	MCU_STM32F74X,	/* F745/746/756, DEV_ID 0x449, QUADSPI (RM0385) */
	MCU_STM32F76X,	/* F765/767/769/777/779, DEV_ID 0x451 (RM0410) */
};

static inline int mcu_line_is_f7(enum mcu_line line)
{
	return line == MCU_STM32F74X || line == MCU_STM32F76X;
}

struct board_memory {
	const char *name;
	uint32_t base;
	uint32_t size;
};

struct board_pin {
	char port;	/* 'A'..'K' */
	uint8_t pin;	/* 0..15 */
	uint8_t af;	/* alternate function that routes the xSPI signal */
};

struct board_profile {
	const char *name;
	const char *description;
	enum mcu_line line;
	uint16_t dev_id;
	uint16_t rev_id;
	uint32_t bs_idcode;	/* the ST boundary-scan TAP */
	uint32_t flash_size;	/* bytes; the flash-size register holds KiB */
	uint32_t hse_hz;	/* crystal on the board */
	const struct board_memory *ram;	/* ends with a NULL name */
	const struct board_pin *pins;	/* XSPI_SIGNALS of them */
	const char *default_chip;
};

extern const struct board_profile board_profiles[];
extern const unsigned board_profile_count;

/* NULL if unknown. */
const struct board_profile *board_find(const char *name);

#endif
