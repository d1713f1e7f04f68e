/* What the RCC models share (rcc.c: RM0433 §8 and RM0455 §8; rcc_f7.c:
 * RM0385 §5): registers kept as words and accessed by byte, half-word or
 * word; the peripheral enable bits that gate bus regions (a block whose
 * enable bit is 0 does not respond, RM0433 §8.5.11); and the reset bits,
 * whose setting returns a peripheral to its reset state (the callbacks
 * registered for the bit run). */
#ifndef SIM_RCC_LINES_H
#define SIM_RCC_LINES_H

#include <stdbool.h>
#include <stdint.h>

typedef void (*rcc_line_fn)(void *ctx);

struct rcc_lines;

/* One enable bit, a bus region's gate_ctx. */
struct rcc_gate {
	const struct rcc_lines *lines;
	uint32_t offset;
	unsigned bit;
};

struct rcc_reset_hook {
	uint32_t offset;
	unsigned bit;
	rcc_line_fn fn;
	void *ctx;
};

struct rcc_lines {
	const uint32_t *regs;	/* the RCC's registers, one word each */
	struct rcc_gate gates[32];
	unsigned ngates;
	struct rcc_reset_hook hooks[32];
	unsigned nhooks;
};

void rcc_lines_init(struct rcc_lines *l, const uint32_t *regs);
/* A gate on bit `bit` of the enable register at `enr_offset`: pass it as
 * bus_region.gate_ctx with rcc_lines_gate_on as .clocked. */
struct rcc_gate *rcc_lines_gate(struct rcc_lines *l,
				      uint32_t enr_offset, unsigned bit);
bool rcc_lines_gate_on(void *gate_ctx);
/* fn(ctx) runs when software sets bit `bit` of the reset register at
 * `rstr_offset`. */
void rcc_lines_on_reset(struct rcc_lines *l, uint32_t rstr_offset,
			unsigned bit, rcc_line_fn fn, void *ctx);
/* Runs the callbacks of the bits of `rising` (set by a write) in the
 * register at `offset`. */
void rcc_lines_reset(const struct rcc_lines *l, uint32_t offset,
		     uint32_t rising);

/* A `size`-byte read at `off` (any byte lane of a word). */
uint32_t rcc_lines_read(const struct rcc_lines *l, uint32_t off,
			unsigned size);
/* The word `old` with a `size`-byte write of `value` at `off` in place. */
uint32_t rcc_lines_merge(uint32_t old, uint32_t off, unsigned size,
			 uint32_t value);

#endif
