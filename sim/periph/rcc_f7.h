/* STM32F74x/75x and STM32F76x/77x reset and clock control (RM0385 §5,
 * RM0410 §5) with the power controller's voltage scaling and over-drive
 * (RM0385 §4), which decide how fast the system clock may run.
 * The QUADSPI has no kernel-clock selector on F7: HCLK clocks it
 * (RM0385 §5, clock tree). */
#ifndef SIM_RCC_F7_H
#define SIM_RCC_F7_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "periph/rcc_lines.h"
#include "util/vclock.h"

#define RCC_F7_BASE 0x40023800U
#define PWR_F7_BASE 0x40007000U
#define RCC_F7_SIZE 0x400U
#define PWR_F7_SIZE 0x400U

/* RM0385 §5, register map. */
#define RCC_F7_AHB1RSTR 0x010U
#define RCC_F7_AHB3RSTR 0x018U
#define RCC_F7_APB1RSTR 0x020U
#define RCC_F7_AHB1ENR 0x030U
#define RCC_F7_AHB3ENR 0x038U
#define RCC_F7_APB1ENR 0x040U
#define RCC_F7_AHB3_QSPI 1U	/* QSPIEN / QSPIRST */
#define RCC_F7_APB1_PWR 28U	/* PWREN / PWRRST */

struct rcc_f7;

/* One peripheral clock enable bit, used as a bus region's clock gate: a
 * handle on the struct rcc_gate of rcc_lines.h. */
struct rcc_f7_gate;

typedef void (*rcc_f7_reset_fn)(void *ctx);
/* Told the new HCLK after every change of the clock tree (flash wait
 * states are checked against it). */
typedef void (*rcc_f7_hclk_fn)(void *ctx, uint32_t hclk_hz);

/* `hse_hz` is the board's crystal (0: none answers); `has_pllr` for the
 * F76x/77x: its PLLCFGR.PLLR field (RM0410 §5, RCC_PLLCFGR) and the
 * clock enables of its extra blocks. The RCC keeps
 * clk->cpu_hz current. */
struct rcc_f7 *rcc_f7_new(uint32_t hse_hz, bool has_pllr, struct vclock *clk);
void rcc_f7_free(struct rcc_f7 *rcc);
/* What reset the part: RCC_CSR records it (RM0385 §5.3, RCC_CSR). */
enum rcc_f7_reset_cause {
	RCC_F7_POWER_ON,	/* also clears the backup domain (RCC_BDCR) */
	RCC_F7_PIN_RESET,	/* NRST */
	RCC_F7_SOFTWARE_RESET,	/* AIRCR.SYSRESETREQ */
};

/* RCC and PWR registers back to their reset values; the reset flags and
 * the backup domain survive all but a power-on reset. */
void rcc_f7_reset(struct rcc_f7 *rcc, enum rcc_f7_reset_cause cause);
/* `ns` passed while the core was halted (the oscillators keep starting). */
void rcc_f7_idle(struct rcc_f7 *rcc, uint64_t ns);
/* bus_region.read_stable: no RCC read changes anything, and the ready
 * flags and SWS change only when written or at the model's event. */
bool rcc_f7_read_stable(void *dev, uint32_t off);

uint32_t rcc_f7_sysclk_hz(const struct rcc_f7 *rcc);
uint32_t rcc_f7_hclk_hz(const struct rcc_f7 *rcc);
uint32_t rcc_f7_apb1_hz(const struct rcc_f7 *rcc);
uint32_t rcc_f7_apb2_hz(const struct rcc_f7 *rcc);
/* The QUADSPI kernel clock: HCLK. */
uint32_t rcc_f7_qspi_kernel_hz(const struct rcc_f7 *rcc);
/* Highest HCLK the present voltage scale and over-drive state allow. */
uint32_t rcc_f7_hclk_limit_hz(const struct rcc_f7 *rcc);
bool rcc_f7_overdrive_on(const struct rcc_f7 *rcc);

struct rcc_f7_gate *rcc_f7_gate(struct rcc_f7 *rcc, uint32_t enr_offset,
				unsigned bit);
bool rcc_f7_gate_on(void *gate_ctx);
/* The enable and reset bits (rcc_lines.h), for the board's wiring. */
struct rcc_lines *rcc_f7_lines(struct rcc_f7 *rcc);
/* fn runs when software sets bit `bit` of the reset register at
 * `rstr_offset`. */
void rcc_f7_on_reset(struct rcc_f7 *rcc, uint32_t rstr_offset, unsigned bit,
		     rcc_f7_reset_fn fn, void *ctx);
void rcc_f7_on_hclk(struct rcc_f7 *rcc, rcc_f7_hclk_fn fn, void *ctx);

/* dev = the struct rcc_f7 for both blocks. */
extern const struct mmio_ops rcc_f7_ops;
extern const struct mmio_ops pwr_f7_ops;

#endif
