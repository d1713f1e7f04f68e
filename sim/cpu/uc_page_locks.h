/* Unicorn 2.0.1's per-store page-lock bookkeeping left out (see
 * uc_page_locks.c). */
#ifndef SIM_CPU_UC_PAGE_LOCKS_H
#define SIM_CPU_UC_PAGE_LOCKS_H

#include <stdbool.h>

/* Decides, from the Unicorn actually loaded, whether the bookkeeping is
 * left out (true) or Unicorn's own is used. Called before the first run. */
bool uc_page_locks_init(void);

#endif
