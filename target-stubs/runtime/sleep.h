/* Waiting with nothing to do, asleep: the core sits in WFI between
 * SysTick wakes instead of polling CYCCNT, so a long wait (memtest's
 * retention hold) costs no bus traffic on a board and no host time on
 * psramsim. */
#ifndef TARGET_STUBS_SLEEP_H
#define TARGET_STUBS_SLEEP_H

#include <stdint.h>

#include "runtime/timer.h"

/* Sleeps `us` microseconds, at least, measured on the 64-bit CYCCNT
 * (timer_now64). PRIMASK, SysTick's control and reload and its pending
 * bit are as they were on return; SysTick's current value is cleared. */
void sleep_us(const struct timer *t, uint32_t us);

#endif
