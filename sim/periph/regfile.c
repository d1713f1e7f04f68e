#include "periph/regfile.h"

#include <stdlib.h>

#include "util/log.h"

struct regfile *regfile_create(const char *name, uint32_t size,
			       const struct regfile_reg *regs, unsigned nregs,
			       int unlisted_raz)
{
	struct regfile *rf = calloc(1, sizeof(*rf));

	if (!rf)
		abort();
	rf->name = name;
	rf->size = size;
	rf->regs = regs;
	rf->nregs = nregs;
	rf->unlisted_raz = unlisted_raz;
	rf->values = calloc(nregs ? nregs : 1, sizeof(uint32_t));
	if (!rf->values)
		abort();
	regfile_reset(rf);
	return rf;
}

void regfile_destroy(struct regfile *rf)
{
	if (!rf)
		return;
	free(rf->values);
	free(rf);
}

void regfile_reset(struct regfile *rf)
{
	for (unsigned i = 0; i < rf->nregs; i++)
		rf->values[i] = rf->regs[i].reset;
}

static int find(const struct regfile *rf, uint32_t offset)
{
	for (unsigned i = 0; i < rf->nregs; i++)
		if (rf->regs[i].offset == offset)
			return (int)i;
	return -1;
}

void regfile_set(struct regfile *rf, uint32_t offset, uint32_t value)
{
	int i = find(rf, offset);

	if (i >= 0)
		rf->values[i] = value;
}

static bool rf_read(void *dev, uint32_t off, unsigned size, uint32_t *value,
		    enum bus_master master)
{
	struct regfile *rf = dev;
	int i = find(rf, off & ~3U);

	(void)master;
	if (i < 0) {
		*value = 0;
		return rf->unlisted_raz;
	}
	*value = rf->values[i] >> (8 * (off & 3U));
	if (size < 4)
		*value &= (1U << (8 * size)) - 1U;
	return true;
}

static bool rf_write(void *dev, uint32_t off, unsigned size, uint32_t value,
		     enum bus_master master)
{
	struct regfile *rf = dev;
	int i = find(rf, off & ~3U);
	const struct regfile_reg *r;
	uint32_t shift = 8 * (off & 3U), mask, v;

	(void)master;
	if (i < 0) {
		if (!rf->unlisted_raz)
			return false;
		sim_log(LOG_UNIMP, "%s: write 0x%08x to offset 0x%03x",
			rf->name, value, off);
		return true;
	}
	r = &rf->regs[i];
	mask = (size == 4 ? 0xFFFFFFFFU : ((1U << (8 * size)) - 1U)) << shift;
	mask &= r->writable;
	v = (rf->values[i] & ~mask) | ((value << shift) & mask);
	if (r->ready_mask)
		v = (v & r->req_mask) ? (v | r->ready_mask)
				      : (v & ~r->ready_mask);
	rf->values[i] = v;
	return true;
}

const struct mmio_ops *regfile_ops(void)
{
	static const struct mmio_ops ops = {rf_read, rf_write};

	return &ops;
}
