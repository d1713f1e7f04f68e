#include "periph/tim16.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

/* Register offsets and bits, RM0433 §41.6 (TIM16/TIM17 registers). */
#define CR1 0x00U
#define CR1_CEN (1U << 0)
#define DIER 0x0CU
#define SR 0x10U
#define SR_UIF (1U << 0)
#define SR_CC1IF (1U << 1)
#define SR_CC1OF (1U << 9)
#define EGR 0x14U
#define EGR_UG (1U << 0)
#define CCMR1 0x18U
#define CCER 0x20U
#define CCER_CC1E (1U << 0)
#define CNT 0x24U
#define PSC 0x28U
#define ARR 0x2CU
#define CCR1 0x34U
#define TISEL 0x68U
#define TISEL_LSI 1U

#define LSI_HZ 32000U
#define NS_PER_S 1000000000ULL

struct tim16 {
	struct vclock *clk;
	const struct rcc *rcc;
	uint32_t cr1, dier, sr, ccmr1, ccer, psc, arr, ccr1, tisel;
	/* model time in ns, from the virtual clock's cycles */
	uint64_t last_cycles, ns, ns_rem;
	/* timer clock ticks since the counter was last set, and the
	 * remainder of their conversion */
	uint64_t ticks, ticks_rem, ticks_cnt0;
	uint32_t cnt0;		/* CNT when ticks was zero */
	uint64_t edges;		/* LSI edges since CC1E was set */
};

void tim16_reset(void *ctx)
{
	struct tim16 *t = ctx;
	uint64_t cycles = t->clk->cycles, ns = t->ns;

	memset(&t->cr1, 0, sizeof(*t) - offsetof(struct tim16, cr1));
	t->arr = 0xFFFFU;
	t->last_cycles = cycles;
	t->ns = ns;
}

struct tim16 *tim16_new(struct vclock *clk, const struct rcc *rcc)
{
	struct tim16 *t = calloc(1, sizeof(*t));

	if (!t)
		abort();
	t->clk = clk;
	t->rcc = rcc;
	tim16_reset(t);
	return t;
}

void tim16_free(struct tim16 *t)
{
	free(t);
}

static uint32_t counter_at(const struct tim16 *t, uint64_t ticks)
{
	return (uint32_t)((t->cnt0 + ticks / (t->psc + 1ULL)) %
			  (t->arr + 1ULL));
}

static int capturing(const struct tim16 *t)
{
	return (t->ccer & CCER_CC1E) && (t->ccmr1 & 3U) == 1U &&
	       (t->tisel & 0xFU) == TISEL_LSI && rcc_lsi_ready(t->rcc);
}

/* Brings the model to the virtual clock's now: counter ticks, LSI edges,
 * captures. */
static void update(struct tim16 *t)
{
	uint64_t now = t->clk->cycles, d = now - t->last_cycles;
	uint32_t cpu_hz = t->clk->cpu_hz ? t->clk->cpu_hz : 1U;
	uint32_t tim_hz = rcc_apb2_timer_hz(t->rcc);
	/* Whole seconds apart: d x 1e9 would overflow after about 46 s at
	 * 400 MHz between two accesses. */
	uint64_t num = d % cpu_hz * NS_PER_S + t->ns_rem;
	uint64_t dns = d / cpu_hz * NS_PER_S + num / cpu_hz;
	uint64_t old_ns = t->ns, old_ticks = t->ticks;

	t->ns_rem = num % cpu_hz;
	t->last_cycles = now;
	t->ns += dns;
	if (t->cr1 & CR1_CEN) {
		uint64_t n = dns % NS_PER_S * tim_hz + t->ticks_rem;

		t->ticks += dns / NS_PER_S * tim_hz + n / NS_PER_S;
		t->ticks_rem = n % NS_PER_S;
	}
	if (capturing(t)) {
		const uint64_t period = NS_PER_S / LSI_HZ;
		uint64_t e = t->ns / period - old_ns / period;
		unsigned div = 1U << ((t->ccmr1 >> 2) & 3U); /* IC1PSC */
		uint64_t caps = (t->edges + e) / div - t->edges / div;

		if (caps) {
			/* The last captured edge and the counter then. */
			uint64_t last = (t->ns / period -
					 (t->edges + e) % div) * period;
			uint64_t ticks = old_ticks;

			if ((t->cr1 & CR1_CEN) && last > old_ns)
				ticks += (last - old_ns) / NS_PER_S * tim_hz +
					 (last - old_ns) % NS_PER_S * tim_hz /
						 NS_PER_S;
			if ((t->sr & SR_CC1IF) || caps > 1)
				t->sr |= SR_CC1OF;
			t->sr |= SR_CC1IF;
			t->ccr1 = counter_at(t, ticks);
		}
		t->edges += e;
	}
}

static void set_counter(struct tim16 *t, uint32_t cnt)
{
	t->cnt0 = cnt;
	t->ticks = 0;
	t->ticks_rem = 0;
}

static bool tim16_read(void *dev, uint32_t off, unsigned size,
		       uint32_t *value, enum bus_master master)
{
	struct tim16 *t = dev;

	(void)master;
	update(t);
	switch (off & ~3U) {
	case CR1:
		*value = t->cr1;
		break;
	case DIER:
		*value = t->dier;
		break;
	case SR:
		*value = t->sr;
		break;
	case CCMR1:
		*value = t->ccmr1;
		break;
	case CCER:
		*value = t->ccer;
		break;
	case CNT:
		*value = counter_at(t, t->ticks);
		break;
	case PSC:
		*value = t->psc;
		break;
	case ARR:
		*value = t->arr;
		break;
	case CCR1:
		*value = t->ccr1;
		/* Input capture: reading CCR1 clears CC1IF (§41.6.5). */
		if (t->ccmr1 & 3U)
			t->sr &= ~SR_CC1IF;
		break;
	case TISEL:
		*value = t->tisel;
		break;
	default:
		*value = 0;
		break;
	}
	*value >>= 8 * (off & 3U);
	if (size < 4)
		*value &= (1U << (8 * size)) - 1U;
	return true;
}

static bool tim16_write(void *dev, uint32_t off, unsigned size, uint32_t v,
			enum bus_master master)
{
	struct tim16 *t = dev;

	(void)master;
	(void)size;
	update(t);
	switch (off & ~3U) {
	case CR1:
		t->cr1 = v & 0x0F8FU;
		break;
	case DIER:
		t->dier = v & 0x43E3U;
		if (t->dier)
			sim_log(LOG_UNIMP, "TIM16_DIER 0x%04x: interrupts and "
					   "DMA are not modelled",
				t->dier);
		break;
	case SR:
		/* rc_w0: writing 0 clears a flag, 1 leaves it. */
		t->sr &= v;
		break;
	case EGR:
		if (v & EGR_UG) {
			set_counter(t, 0);
			t->sr |= SR_UIF;
		}
		if (v & ~EGR_UG)
			sim_log(LOG_UNIMP, "TIM16_EGR 0x%02x: only UG is "
					   "modelled",
				v);
		break;
	case CCMR1:
		t->ccmr1 = v & 0x000100FFU;
		if ((t->ccmr1 & 3U) != 1U && (t->ccmr1 & 3U) != 0U)
			sim_log(LOG_UNIMP, "TIM16_CCMR1 CC1S %u: only TI1 "
					   "input capture is modelled",
				t->ccmr1 & 3U);
		if ((t->ccmr1 & 3U) == 1U && (t->ccmr1 & 0xF0U))
			sim_log(LOG_UNIMP, "TIM16_CCMR1 IC1F: the input "
					   "filter is not modelled");
		break;
	case CCER:
		/* CC1E cleared resets the input prescaler (§41.6.9). */
		if (!(v & CCER_CC1E))
			t->edges = 0;
		t->ccer = v & 0x000FU;
		break;
	case CNT:
		set_counter(t, v & 0xFFFFU);
		break;
	case PSC:
		/* Preloaded: takes effect at the next update event; the
		 * model applies it at once, which a program that sets PSC
		 * before UG cannot tell. */
		t->psc = v & 0xFFFFU;
		break;
	case ARR:
		t->arr = v & 0xFFFFU;
		break;
	case CCR1:
		if (!(t->ccmr1 & 3U))
			t->ccr1 = v & 0xFFFFU;
		break;
	case TISEL:
		t->tisel = v & 0xFU;
		if (t->tisel > 3U)
			sim_log(LOG_GUEST_ERROR, "TIM16_TISEL %u: reserved "
						 "(RM0433 §41.6.20)",
				t->tisel);
		break;
	default:
		break;
	}
	return true;
}

const struct mmio_ops tim16_ops = {tim16_read, tim16_write};
