/* The seeded generator behind every random effect in psramsim (undefined
 * power-up contents, noise on open lines, bit flips, die-specific ID bytes):
 * xoshiro256** seeded through SplitMix64, the pairing flashrom's fault
 * injection uses, so the same --seed gives the same faults on every host.
 * Each consumer derives its own stream (rng_seed_stream) so adding draws in
 * one model does not shift what another model sees. */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s[4];
};

void rng_seed(struct rng *r, uint64_t seed);
/* Seeds r from `seed` and a stream name ("wire", "psram-array", …). */
void rng_seed_stream(struct rng *r, uint64_t seed, const char *stream);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, n); n > 0. */
uint32_t rng_below(struct rng *r, uint32_t n);
/* Uniform in [0, 1). */
double rng_unit(struct rng *r);

#endif
