/* STM32H74x reset and clock control (RM0433 §8). */
#ifndef SIM_RCC_H
#define SIM_RCC_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "periph/rcc_lines.h"
#include "util/vclock.h"

#define RCC_H7_BASE 0x58024400U
#define RCC_AHB3RSTR 0x07CU
#define RCC_AHB4RSTR 0x088U
#define RCC_AHB3ENR 0x0D4U
#define RCC_AHB4ENR 0x0E0U
#define RCC_APB1LRSTR 0x090U
#define RCC_APB2RSTR 0x098U
#define RCC_APB1LENR 0x0E8U
#define RCC_APB2ENR 0x0F0U
#define RCC_APB4ENR 0x0F4U
#define RCC_AHB3_QSPI 14U
#define RCC_APB2_TIM16 17U
#define RCC_APB4_SYSCFG 1U

struct rcc;

/* What differs between the RCCs of the STM32H7 lines that share the clock
 * tree (RM0433 §8, RM0455 §8): where the reset-status register sits and the
 * registers' reset values. */
struct rcc_reset_value {
	uint32_t offset, value;
};

/* What made the MCU reset, for RCC_RSR's flags. */
enum rcc_reset_cause {
	RCC_RESET_POWER_ON,	/* the supply came up (POR) */
	RCC_RESET_PIN,		/* NRST driven low from outside */
	RCC_RESET_SOFTWARE,	/* SCB_AIRCR.SYSRESETREQ */
	RCC_RESET_CAUSES
};

struct rcc_family {
	const char *manual;		/* reference manual, for messages */
	uint32_t rsr;			/* RCC_RSR offset */
	const struct rcc_reset_value *reset_values;
	unsigned nreset_values;
	/* The bits software can write, per register (`value` is the mask);
	 * a register not listed keeps every bit written. */
	const struct rcc_reset_value *writable;
	unsigned nwritable;
	/* RCC_RSR flags each cause of reset sets, by enum rcc_reset_cause. */
	uint32_t rsr_flags[RCC_RESET_CAUSES];
	/* RCC+0x004 is RM0433 revision Y's ICSCR (HSITRIM at 17:12, CSITRIM
	 * at 30:26) on parts without rcc_set_rev_v(). */
	bool icscr_on_rev_y;
	/* The wide VCO range (PLLxVCOSEL = 0) when the line has its own;
	 * 0: the STM32H742/743/750/753's, by revision (clock_rules.h). */
	uint32_t vco_wide_min_hz, vco_wide_max_hz;
	const char *datasheet;		/* for the PLL limits, in messages */
};

extern const struct rcc_family rcc_family_h74x;
extern const struct rcc_family rcc_family_h7a3;	/* rcc_h7a3.c */

typedef void (*rcc_reset_fn)(void *ctx);

/* `hse_hz` is the board's crystal; the RCC keeps clk->cpu_hz current. */
struct rcc *rcc_new(uint32_t hse_hz, struct vclock *clk);
struct rcc *rcc_new_family(const struct rcc_family *family, uint32_t hse_hz,
			   struct vclock *clk);
void rcc_free(struct rcc *rcc);
/* A system reset: every register but RCC_BDCR (backup domain) and
 * RCC_RSR (reset by power-on only) returns to its reset value. */
void rcc_reset(struct rcc *rcc);
/* Records in RCC_RSR what caused the reset that just happened: a power-on
 * replaces the flags, other resets add theirs (RM0433 §8.4.4, Table 55;
 * RM0455 §8.4.4). */
void rcc_note_reset(struct rcc *rcc, enum rcc_reset_cause cause);

/* Revision V parts reach a 960 MHz VCO, revision Y 836 MHz. */
void rcc_set_rev_v(struct rcc *rcc, bool rev_v);
/* fn runs after every RCC write (the clock rules are checked). */
void rcc_on_clock_change(struct rcc *rcc, void (*fn)(void *ctx), void *ctx);

uint32_t rcc_cpu_hz(const struct rcc *rcc);
uint32_t rcc_hclk3_hz(const struct rcc *rcc);
uint32_t rcc_qspi_kernel_hz(const struct rcc *rcc);
/* The RNG kernel clock (RCC_D2CCIP2R.RNGSEL), 0 when its source is off. */
uint32_t rcc_rng_kernel_hz(const struct rcc *rcc);
/* The RTC clock (RCC_BDCR.RTCEN, RTCSEL), 0 when it does not run. */
uint32_t rcc_rtc_hz(const struct rcc *rcc);
/* RCC_BDCR accepts writes only while fn(ctx) is true: PWR_CR1.DBP
 * (RM0433 §6.4.4, §8.7.23; RM0455 the same). Without a guard it always
 * does. */
void rcc_set_backup_guard(struct rcc *rcc, bool (*fn)(void *ctx), void *ctx);
/* Power-on: the backup domain (RCC_BDCR) is cleared; rcc_reset keeps it. */
void rcc_backup_reset(struct rcc *rcc);
#define RCC_BDCR 0x070U
#define RCC_BDCR_BDRST 16U
uint32_t rcc_apb2_timer_hz(const struct rcc *rcc);
/* The LSI (32 kHz RC oscillator) is on and ready: RCC_CSR. */
bool rcc_lsi_ready(const struct rcc *rcc);
/* rcc_pclk1 (APB1, D2PPRE1) and rcc_pclk2 (APB2, D2PPRE2). */
uint32_t rcc_pclk1_hz(const struct rcc *rcc);
uint32_t rcc_pclk2_hz(const struct rcc *rcc);
/* rcc_pclk3 (APB3, D1PPRE; CDPPRE on the H7A3) and rcc_pclk4 (APB4,
 * D3PPRE; SRDPPRE), RM0433 §8.7.7/§8.7.9. */
uint32_t rcc_pclk3_hz(const struct rcc *rcc);
uint32_t rcc_pclk4_hz(const struct rcc *rcc);
/* The kernel clock of USART1/6 (usart16) or of USART2/3, UART4/5/7/8. */
uint32_t rcc_usart_kernel_hz(const struct rcc *rcc, bool usart16);

struct rcc_gate *rcc_gate(struct rcc *rcc, uint32_t enr_offset, unsigned bit);
bool rcc_gate_on(void *gate_ctx);
/* The enable and reset bits (rcc_lines.h), for the board's wiring. */
struct rcc_lines *rcc_lines_of(struct rcc *rcc);
/* fn runs when software sets bit `bit` of the reset register at
 * `rstr_offset` (the peripheral returns to its reset state). */
void rcc_on_reset(struct rcc *rcc, uint32_t rstr_offset, unsigned bit,
		  rcc_reset_fn fn, void *ctx);

extern const struct mmio_ops rcc_ops;
/* bus_region.read_stable for the RCC block (cpu/idle.c). */
bool rcc_read_stable(void *dev, uint32_t off);

#endif
