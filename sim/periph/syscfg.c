#include "periph/syscfg.h"

#include <stdlib.h>
#include <string.h>

#define PMCR 0x04U
#define EXTICR1 0x08U
#define EXTICR4 0x14U
#define CCCSR 0x20U
#define CCVR 0x24U
#define CCCR 0x28U
#define PWRCR 0x2CU
#define PKGR 0x124U

#define CCCSR_EN (1U << 0)
#define CCCSR_READY (1U << 8)

struct syscfg {
	struct pwr *pwr;
	uint32_t regs[SYSCFG_REG_SIZE / 4];
};

struct syscfg *syscfg_new(struct pwr *pwr)
{
	struct syscfg *sc = calloc(1, sizeof(*sc));

	if (!sc)
		abort();
	sc->pwr = pwr;
	syscfg_reset(sc);
	return sc;
}

void syscfg_free(struct syscfg *sc)
{
	free(sc);
}

void syscfg_reset(struct syscfg *sc)
{
	memset(sc->regs, 0, sizeof(sc->regs));
	/* CCVR: the compensation cell's factory codes (RM0433 §12.3.11). */
	sc->regs[CCVR / 4] = 0x00000088U;
	/* PKGR: LQFP100 on the supported boards (RM0433 §12.3.13). */
	sc->regs[PKGR / 4] = 0x00000000U;
}

/* Which bits software may change, per register (RM0433 §12.3). */
static uint32_t writable(uint32_t word)
{
	switch (word) {
	case PMCR:
		return 0x0F0F01FFU;
	case CCCSR:
		return 0x00000003U;
	case CCCR:
		return 0x000000FFU;
	case PWRCR:
		return 0x00000001U;
	default:
		return word >= EXTICR1 && word <= EXTICR4 ? 0x0000FFFFU : 0;
	}
}

static bool sc_read(void *dev, uint32_t off, unsigned size, uint32_t *value,
		    enum bus_master master)
{
	struct syscfg *sc = dev;
	uint32_t v = sc->regs[(off & 0x3FCU) / 4] >> (8 * (off & 3U));

	(void)master;
	*value = size < 4 ? v & ((1U << (8 * size)) - 1U) : v;
	return true;
}

static bool sc_write(void *dev, uint32_t off, unsigned size, uint32_t value,
		     enum bus_master master)
{
	struct syscfg *sc = dev;
	uint32_t word = off & 0x3FCU, shift = 8 * (off & 3U);
	uint32_t mask = ((size == 4 ? 0xFFFFFFFFU : (1U << (8 * size)) - 1U)
			 << shift) & writable(word);
	uint32_t v = (sc->regs[word / 4] & ~mask) | ((value << shift) & mask);

	(void)master;
	if (word == CCCSR) /* the cell is ready once enabled (§12.3.10) */
		v = (v & CCCSR_EN) ? v | CCCSR_READY : v & ~CCCSR_READY;
	sc->regs[word / 4] = v;
	if (word == PWRCR && sc->pwr) {
		pwr_set_oden(sc->pwr, v & 1U);
		/* ODEN reads back what the PWR accepted. */
		sc->regs[word / 4] = pwr_vos(sc->pwr) == VOS0;
	}
	return true;
}

const struct mmio_ops syscfg_ops = {sc_read, sc_write};
