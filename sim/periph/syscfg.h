/* STM32H742/743/750/753 system configuration controller (RM0433 §12): the
 * registers start-up code writes (PMCR, EXTICRx, the I/O compensation
 * cell, PWRCR whose ODEN bit enters VOS0) held as written. */
#ifndef SIM_SYSCFG_H
#define SIM_SYSCFG_H

#include "bus.h"
#include "periph/pwr.h"

#define SYSCFG_H7_BASE 0x58000400U
#define SYSCFG_REG_SIZE 0x400U

struct syscfg;

/* `pwr` receives PWRCR.ODEN; NULL on a line whose PWR is modelled
 * elsewhere (the H7A3: PWRCR is then only held). */
struct syscfg *syscfg_new(struct pwr *pwr);
void syscfg_free(struct syscfg *sc);
void syscfg_reset(struct syscfg *sc);

extern const struct mmio_ops syscfg_ops;

#endif
