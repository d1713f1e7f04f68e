/* What the clock-tree tests of every family share (cli_clock_tree*.c): a
 * board's register values, the tree they must give, and refusals as a
 * table of one-register changes, each checked for the register named, its
 * address and value as read, and the words of the message. */
#ifndef TESTS_UNIT_CLOCK_FIXTURE_H
#define TESTS_UNIT_CLOCK_FIXTURE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "parts/clock_tree.h"
#include "unit.h"

/* One change to the board's values and what it must be refused with. */
struct clock_refusal {
	int reg;             /* index into the family's register table */
	uint32_t clear, set; /* v[reg] = (v[reg] & ~clear) | set */
	uint64_t hse_hz;     /* the board file's crystal for this case */
	const char *named;   /* the register the problem names */
	const char *says;    /* words in the message; NULL: any */
};

/* Evaluates f on v with the problem cleared first. */
static inline int clock_eval_family(const struct clock_family *f,
				    const uint32_t *v, uint64_t hse_hz,
				    struct clock_tree *t,
				    struct clock_problem *p)
{
	memset(p, 0, sizeof(*p));
	return f->evaluate(v, hse_hz, t, p);
}

/* v must evaluate to exactly want (every field). */
static inline void clock_expect_tree(const struct clock_family *f,
				     const uint32_t *v, uint64_t hse_hz,
				     const struct clock_tree *want)
{
	struct clock_tree t;
	struct clock_problem p;
	int rc = clock_eval_family(f, v, hse_hz, &t, &p);

	if (rc)
		printf("  %s: %s = 0x%08" PRIx32 ": %s\n", f->family, p.reg,
		       p.value, p.what);
	CHECK_EQ(rc, 0);
	CHECK_STR(t.sysclk_source, want->sysclk_source);
	CHECK_EQ(t.sysclk_hz, want->sysclk_hz);
	CHECK_EQ(t.cpu_hz, want->cpu_hz);
	CHECK_EQ(t.axi_hz, want->axi_hz);
	CHECK_EQ(t.xspi_kernel_hz, want->xspi_kernel_hz);
	CHECK_STR(t.xspi_kernel_source, want->xspi_kernel_source);
	CHECK_EQ(t.flash_latency, want->flash_latency);
	CHECK_EQ(t.flash_latency_needed, want->flash_latency_needed);
	CHECK_EQ(t.vos, want->vos);
}

/* Each case applied to board_values' values must be refused as it says. */
static inline void clock_expect_refusals(const struct clock_family *f,
					 void (*board_values)(uint32_t *v),
					 const struct clock_refusal *cases,
					 size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct clock_refusal *c = &cases[i];
		uint32_t v[CLOCK_TREE_MAX_REGS];
		struct clock_tree t;
		struct clock_problem p;
		size_t r = 0;
		int ok;

		board_values(v);
		v[c->reg] = (v[c->reg] & ~c->clear) | c->set;
		ok = clock_eval_family(f, v, c->hse_hz, &t, &p) == -1 &&
		     p.reg && !strcmp(p.reg, c->named);
		while (ok && r < f->nregs && strcmp(f->regs[r].name, p.reg))
			r++;
		ok = ok && r < f->nregs && p.addr == f->regs[r].addr &&
		     p.value == v[r] && (!c->says || strstr(p.what, c->says));
		if (!ok)
			printf("  case %zu, %s = 0x%08" PRIx32 ": expected %s "
			       "saying \"%s\", got %s: %s\n",
			       i, f->regs[c->reg].name, v[c->reg], c->named,
			       c->says ? c->says : "", p.reg ? p.reg : "none",
			       p.what);
		CHECK(ok);
	}
}

#endif
