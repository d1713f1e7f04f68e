#include "periph/axi_gpv.h"

#include <stdlib.h>
#include <string.h>

#include "util/log.h"

#define TARGETS 7	/* ASIB/AMIB targets 1-7 */
#define INITIATORS 6	/* initiator ports 1-6 */

/* Register kinds of target x (offset 0x1000 * (x + 1) + …, so that
 * TARG7_FN_MOD is at 0x8108) and of initiator x (0x42000 + 0x1000 * (x - 1)
 * + …), with their writable bits. */
static const struct {
	uint32_t offset, writable;
} targ_regs[] = {
	{0x008, 0x7U},	/* TARGx_FN_MOD_ISS_BM */
	{0x024, 0x1U},	/* TARGx_FN_MOD2 */
	{0x02C, 0x1U},	/* TARGx_FN_MOD_LB */
	{0x108, 0x3U},	/* TARGx_FN_MOD */
}, ini_regs[] = {
	{0x024, 0x1U},	/* INIx_FN_MOD2 */
	{0x028, 0x7U},	/* INIx_FN_MOD_AHB */
	{0x100, 0xFU},	/* INIx_READ_QOS */
	{0x104, 0xFU},	/* INIx_WRITE_QOS */
	{0x108, 0x3U},	/* INIx_FN_MOD */
};

#define NTARG (sizeof(targ_regs) / sizeof(targ_regs[0]))
#define NINI (sizeof(ini_regs) / sizeof(ini_regs[0]))

struct axi_gpv {
	uint32_t targ[TARGETS][NTARG];
	uint32_t ini[INITIATORS][NINI];
};

struct axi_gpv *axi_gpv_new(void)
{
	struct axi_gpv *g = calloc(1, sizeof(*g));

	if (!g)
		abort();
	axi_gpv_reset(g);
	return g;
}

void axi_gpv_free(struct axi_gpv *g)
{
	free(g);
}

void axi_gpv_reset(struct axi_gpv *g)
{
	memset(g, 0, sizeof(*g));
}

/* The register cell at `off`, its writable bits; NULL if none. */
static uint32_t *decode(struct axi_gpv *g, uint32_t off, uint32_t *writable)
{
	uint32_t block = off >> 12, in = off & 0xFFFU;

	if (block >= 2 && block <= TARGETS + 1) {
		for (unsigned k = 0; k < NTARG; k++)
			if (targ_regs[k].offset == in) {
				*writable = targ_regs[k].writable;
				return &g->targ[block - 2][k];
			}
	}
	if (block >= 0x42 && block < 0x42 + INITIATORS) {
		for (unsigned k = 0; k < NINI; k++)
			if (ini_regs[k].offset == in) {
				*writable = ini_regs[k].writable;
				return &g->ini[block - 0x42][k];
			}
	}
	return NULL;
}

static bool gpv_read(void *dev, uint32_t off, unsigned size, uint32_t *value,
		     enum bus_master master)
{
	uint32_t w, *cell = decode(dev, off & ~3U, &w), v = 0;

	(void)master;
	if (cell)
		v = *cell;
	v >>= 8 * (off & 3U);
	*value = size < 4 ? v & ((1U << (8 * size)) - 1U) : v;
	return true;
}

static bool gpv_write(void *dev, uint32_t off, unsigned size, uint32_t value,
		      enum bus_master master)
{
	uint32_t w, *cell = decode(dev, off & ~3U, &w);

	(void)master;
	if (!cell) {
		sim_log(LOG_UNIMP, "AXI GPV register 0x%05x (write 0x%08x)",
			off & ~3U, value);
		return true;
	}
	/* The GPV takes word accesses (RM0433 §2.2.3). */
	if (size != 4) {
		sim_log(LOG_GUEST_ERROR,
			"AXI GPV 0x%05x written with a %u-byte access: "
			"ignored (word access only, RM0433 §2.2.3)",
			off, size);
		return true;
	}
	*cell = value & w;
	return true;
}

const struct mmio_ops axi_gpv_ops = {gpv_read, gpv_write};
