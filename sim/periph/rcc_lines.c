#include "periph/rcc_lines.h"

#include <stdlib.h>

void rcc_lines_init(struct rcc_lines *l, const uint32_t *regs)
{
	l->regs = regs;
	l->ngates = 0;
	l->nhooks = 0;
}

struct rcc_gate *rcc_lines_gate(struct rcc_lines *l,
				      uint32_t enr_offset, unsigned bit)
{
	struct rcc_gate *g;

	if (l->ngates == sizeof(l->gates) / sizeof(l->gates[0]))
		abort();
	g = &l->gates[l->ngates++];
	g->lines = l;
	g->offset = enr_offset;
	g->bit = bit;
	return g;
}

bool rcc_lines_gate_on(void *gate_ctx)
{
	const struct rcc_gate *g = gate_ctx;

	return (g->lines->regs[g->offset / 4] >> g->bit) & 1U;
}

void rcc_lines_on_reset(struct rcc_lines *l, uint32_t rstr_offset,
			unsigned bit, rcc_line_fn fn, void *ctx)
{
	struct rcc_reset_hook *h;

	if (l->nhooks == sizeof(l->hooks) / sizeof(l->hooks[0]))
		abort();
	h = &l->hooks[l->nhooks++];
	h->offset = rstr_offset;
	h->bit = bit;
	h->fn = fn;
	h->ctx = ctx;
}

void rcc_lines_reset(const struct rcc_lines *l, uint32_t offset,
		     uint32_t rising)
{
	for (unsigned i = 0; i < l->nhooks; i++)
		if (l->hooks[i].offset == offset &&
		    (rising >> l->hooks[i].bit) & 1U)
			l->hooks[i].fn(l->hooks[i].ctx);
}

uint32_t rcc_lines_read(const struct rcc_lines *l, uint32_t off,
			unsigned size)
{
	uint32_t v = l->regs[(off & 0x3FCU) / 4] >> (8 * (off & 3U));

	return size < 4 ? v & ((1U << (8 * size)) - 1U) : v;
}

uint32_t rcc_lines_merge(uint32_t old, uint32_t off, unsigned size,
			 uint32_t value)
{
	uint32_t shift = 8 * (off & 3U);
	uint32_t mask = (size == 4 ? 0xFFFFFFFFU : (1U << (8 * size)) - 1U)
			<< shift;

	return (old & ~mask) | ((value << shift) & mask);
}
