/* STM32H742/743/750/753 power control (RM0433 §6): the supply
 * configuration written once after power-on (PWR_CR3), the voltage scale
 * (PWR_D3CR.VOS, with VOS0 through SYSCFG_PWRCR.ODEN) and the ready flags
 * start-up code polls (PWR_CSR1.ACTVOSRDY, PWR_D3CR.VOSRDY). */
#ifndef SIM_PWR_H
#define SIM_PWR_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "periph/clock_rules.h"

#define PWR_H7_BASE 0x58024800U
#define PWR_REG_SIZE 0x400U

struct pwr;

typedef void (*pwr_change_fn)(void *ctx);

/* `rev_v`: the silicon revision has VOS0 (rev V; rev Y does not). */
struct pwr *pwr_new(bool rev_v);
void pwr_free(struct pwr *pwr);
/* Power-on reset: everything, PWR_CR3 included. */
void pwr_power_on(struct pwr *pwr);
/* System reset: PWR_CR3 and the supply configuration survive (RM0433
 * §6.8.4: CR3 is reset by power-on only), and PWR_CR2, in the backup
 * domain (§6.8.3). */
void pwr_system_reset(struct pwr *pwr);

/* A backup domain reset (RCC_BDCR.BDRST, RM0433 §8.4.6): PWR_CR2, in
 * that domain, returns to 0 (§6.8.3). Fits rcc_on_reset. */
void pwr_backup_reset(void *ctx);
/* The voltage scale the core runs at now. */
enum vos pwr_vos(const struct pwr *pwr);
/* PWR_CR1.DBP (RM0433 §6.8.1): the backup domain (RCC_BDCR, RTC, backup
 * registers) accepts writes only while it is set. */
bool pwr_backup_writable(const struct pwr *pwr);
/* SYSCFG_PWRCR.ODEN written. */
void pwr_set_oden(struct pwr *pwr, bool on);
/* fn runs after the voltage scale changed (the clock rules are checked). */
void pwr_on_change(struct pwr *pwr, pwr_change_fn fn, void *ctx);

extern const struct mmio_ops pwr_ops;

#endif
