/* The power controller of the STM32H7A3/B3/B0 (RM0455 §6), for a package
 * without the step-down converter (LQFP100, STM32H7A3VIT6): the once-only
 * supply configuration of PWR_CR3 and the voltage scaling of PWR_SRDCR
 * with its ready bits. */
#ifndef SIM_PWR_H7A3_H
#define SIM_PWR_H7A3_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"

#define PWR_H7A3_BASE 0x58024800U
#define PWR_H7A3_SIZE 0x400U

#define PWR_H7A3_CR1 0x000U
#define PWR_H7A3_CSR1 0x004U
#define PWR_H7A3_CR2 0x008U
#define PWR_H7A3_CR3 0x00CU
#define PWR_H7A3_CPUCR 0x010U
#define PWR_H7A3_SRDCR 0x018U

struct pwr_h7a3;

struct pwr_h7a3 *pwr_h7a3_new(void);
void pwr_h7a3_free(struct pwr_h7a3 *p);
/* Power-on reset: the supply configuration may be written again. */
void pwr_h7a3_power_on(struct pwr_h7a3 *p);
/* System reset: CR3 keeps its value and its lock (RM0455 §6.8.4), CR2
 * its backup-domain bits (§6.8.3). */
void pwr_h7a3_reset(struct pwr_h7a3 *p);
/* fn(ctx) runs after PWR_SRDCR.VOS changed (the clock rules). */
void pwr_h7a3_on_change(struct pwr_h7a3 *p, void (*fn)(void *ctx), void *ctx);
/* A backup domain reset (RCC_BDCR.BDRST): PWR_CR2 returns to 0 (RM0455
 * §6.8.3). Fits rcc_on_reset. */
void pwr_h7a3_backup_reset(void *ctx);
/* VOS0..VOS3 as RM0455 names them (0 is the highest performance). */
unsigned pwr_h7a3_vos(const struct pwr_h7a3 *p);
/* PWR_CR1.DBP (RM0455 §6.8.1): the backup domain accepts writes. */
bool pwr_h7a3_backup_writable(const struct pwr_h7a3 *p);
/* The core supply is in regulation (CSR1.ACTVOSRDY). */
bool pwr_h7a3_supply_ok(const struct pwr_h7a3 *p);

extern const struct mmio_ops pwr_h7a3_ops;

#endif
