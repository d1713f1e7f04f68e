/* The real-time clock of STM32H742/743/750/753 (RM0433 §46) as start-up
 * code and a calendar use it: the write protection key (RTC_WPR), the
 * initialisation mode (ISR.INIT, INITF, INITS), the prescalers (PRER),
 * the calendar (TR, DR, SSR) counting on the virtual clock from the RTC
 * clock RCC_BDCR selects, the shadow register flag RSF, CR (FMT, BYPSHAD
 * and the rest held), and the 32 backup registers. It lives in the
 * backup domain: a system reset keeps it, a power-on or RCC_BDCR.BDRST
 * clears it. Not modelled (logged when enabled): alarms, the wake-up
 * timer, time stamps, tamper, smooth calibration, SHIFTR.
 * docs/psramsim-periph.md §9. */
#ifndef SIM_RTC_H
#define SIM_RTC_H

#include "bus.h"
#include "periph/pwr.h"
#include "periph/rcc.h"
#include "util/vclock.h"

#define RTC_H7_BASE 0x58004000U
#define RTC_REG_SIZE 0x400U
#define RCC_APB4_RTCAPB 16U

struct rtc;

struct rtc *rtc_new(struct vclock *clk, const struct rcc *rcc,
		    const struct pwr *pwr);
void rtc_free(struct rtc *r);
/* The backup domain reset (power-on, RCC_BDCR.BDRST). */
void rtc_backup_reset(void *r);

extern const struct mmio_ops rtc_ops;

#endif
