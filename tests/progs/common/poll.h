/* The bounded wait the start-up programs (sysinit.c, boot_periph.c) put
 * on every ready flag: the HAL gives each wait a timeout in milliseconds
 * from SysTick; a bounded count does the same job here without one. */
#ifndef PROGS_POLL_H
#define PROGS_POLL_H

#include <stdint.h>

/* 0 once (*reg & mask) == want, -1 after 1000000 reads without. */
static inline int wait(volatile uint32_t *reg, uint32_t mask, uint32_t want)
{
	for (uint32_t i = 0; i < 1000000U; i++)
		if ((*reg & mask) == want)
			return 0;
	return -1;
}

#endif
