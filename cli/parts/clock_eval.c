#include "parts/clock_eval.h"

#include <stdarg.h>
#include <stdio.h>

int clock_problem_at(const struct clock_eval *e, int reg, const char *fmt,
		     ...)
{
	va_list ap;

	e->p->reg = e->regs[reg].name;
	e->p->addr = e->regs[reg].addr;
	e->p->value = e->v[reg];
	va_start(ap, fmt);
	vsnprintf(e->p->what, sizeof(e->p->what), fmt, ap);
	va_end(ap);
	return -1;
}

int clock_rc_oscillator(const struct clock_eval *e, int cr, uint32_t rdy_bit,
			const char *name, uint64_t its_hz, uint64_t *hz)
{
	if (!(e->v[cr] & rdy_bit))
		return clock_problem_at(e, cr,
					"%sRDY is 0: the %s oscillator is "
					"not running",
					name, name);
	*hz = its_hz;
	return 0;
}

int clock_hse(const struct clock_eval *e, int cr, uint32_t rdy_bit,
	      uint64_t *hz)
{
	if (!(e->v[cr] & rdy_bit))
		return clock_problem_at(e, cr,
					"HSERDY is 0: the HSE crystal is not "
					"running (expected ready, %llu Hz by "
					"PSRAM_HSE_HZ)",
					(unsigned long long)e->hse_hz);
	if (!e->hse_hz)
		return clock_problem_at(e, cr,
					"the clocks run from the HSE but the "
					"board file sets no PSRAM_HSE_HZ");
	*hz = e->hse_hz;
	return 0;
}

unsigned clock_ahb_div(uint32_t code)
{
	static const unsigned div[8] = {2, 4, 8, 16, 64, 128, 256, 512};

	return (code & 8u) ? div[code & 7u] : 1;
}
