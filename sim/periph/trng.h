/* The true random number generator of STM32H742/743/750/753 (RM0433 §34,
 * RNG): RNG_CR (RNGEN, IE, CED), RNG_SR (DRDY, CECS, CEIS; the seed error
 * never occurs), RNG_DR, a four-word output buffer refilled by
 * conditioning rounds timed on the virtual clock from the RNG kernel
 * clock (RCC_D2CCIP2R.RNGSEL) and the AHB clock, the clock error check
 * (rng_clk below rcc_hclk/16) and the interrupt line. Called trng because
 * util/rng.h is psramsim's own seeded generator, from which the numbers
 * are drawn. docs/psramsim-periph.md §8. */
#ifndef SIM_TRNG_H
#define SIM_TRNG_H

#include <stdint.h>

#include "bus.h"
#include "cpu/irq.h"
#include "periph/rcc.h"
#include "util/vclock.h"

#define TRNG_H7_BASE 0x48021800U
#define TRNG_REG_SIZE 0x400U
#define TRNG_IRQN 80U		/* RM0433 Table 147: HASH_RNG */
#define RCC_AHB2ENR 0x0DCU
#define RCC_AHB2RSTR 0x084U
#define RCC_AHB2_RNG 6U

struct trng;

struct trng *trng_new(struct vclock *clk, const struct rcc *rcc,
		      uint64_t seed);
void trng_free(struct trng *t);
void trng_reset(void *t);
void trng_set_irq(struct trng *t, struct irq_line line);

extern const struct mmio_ops trng_ops;

#endif
