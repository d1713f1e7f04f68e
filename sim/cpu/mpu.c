/* The PMSAv7 memory protection unit of the Cortex-M7 (ARMv7-M ARM B3.5;
 * 16 regions on the STM32H7, PM0253 §4.6): region matching with sizes and
 * subregions, access permissions, execute-never, the background region
 * (PRIVDEFENA) and HFNMIENA; and the memory attributes of the default map
 * (B3.1.1) and of the regions (B3.5.9). Facts in docs/psramsim-cpu.md. */
#include "cpu/core_internal.h"
#include "cpu/mpu.h"

#define CTRL_ENABLE (1U << 0)
#define CTRL_HFNMIENA (1U << 1)
#define CTRL_PRIVDEFENA (1U << 2)
#define RASR_ENABLE (1U << 0)
#define RASR_XN (1U << 28)
#define PPB_LO 0xE0000000U
#define PPB_HI 0xE00FFFFFU

bool core_mpu_enabled(const struct core *cpu)
{
	return cpu->scs.mpu_ctrl & CTRL_ENABLE;
}

/* B3.1.1 Table B3-1: the default system address map. */
static void default_map(uint32_t addr, struct mem_attr *a)
{
	a->region = -1;
	a->shareable = false;
	a->execute_never = false;
	a->priv_read = a->priv_write = a->user_read = a->user_write = true;
	a->inner = a->outer = CACHE_NONE;
	switch (addr >> 29) {
	case 0: /* Code */
		a->type = MEM_NORMAL;
		a->inner = a->outer = CACHE_WRITE_THROUGH;
		break;
	case 1: /* SRAM */
	case 3: /* RAM */
		a->type = MEM_NORMAL;
		a->inner = a->outer = CACHE_WRITE_BACK_WA;
		break;
	case 4: /* RAM, write-through */
		a->type = MEM_NORMAL;
		a->inner = a->outer = CACHE_WRITE_THROUGH;
		break;
	case 2: /* Peripheral */
		a->type = MEM_DEVICE;
		a->execute_never = true;
		break;
	case 5: /* Device, shareable */
		a->type = MEM_DEVICE;
		a->shareable = true;
		a->execute_never = true;
		break;
	case 6: /* Device, non-shareable */
		a->type = MEM_DEVICE;
		a->execute_never = true;
		break;
	default: /* System: PPB strongly ordered, vendor space device */
		a->type = addr <= PPB_HI ? MEM_STRONGLY_ORDERED : MEM_DEVICE;
		a->execute_never = true;
		break;
	}
}

static enum mem_cache cache_policy(unsigned cb)
{
	static const enum mem_cache p[4] = {CACHE_NONE, CACHE_WRITE_BACK_WA,
					    CACHE_WRITE_THROUGH,
					    CACHE_WRITE_BACK_NO_WA};

	return p[cb & 3U];
}

/* B3.5.9 Table B3-13: TEX, C, B and S to a memory type. */
static void region_attr(uint32_t rasr, struct mem_attr *a)
{
	unsigned tex = rasr >> 19 & 7U, c = rasr >> 17 & 1U, b = rasr >> 16 & 1U;
	bool s = rasr >> 18 & 1U;

	a->inner = a->outer = CACHE_NONE;
	a->shareable = s;
	if (tex & 4U) {
		/* Cached memory: TEX[1:0] outer, C:B inner policy. */
		a->type = MEM_NORMAL;
		a->outer = cache_policy(tex & 3U);
		a->inner = cache_policy(c << 1 | b);
		return;
	}
	switch (tex << 2 | c << 1 | b) {
	case 0x0: /* strongly ordered, always shareable */
		a->type = MEM_STRONGLY_ORDERED;
		a->shareable = true;
		break;
	case 0x1: /* shared device */
		a->type = MEM_DEVICE;
		a->shareable = true;
		break;
	case 0x2:
		a->type = MEM_NORMAL;
		a->inner = a->outer = CACHE_WRITE_THROUGH;
		break;
	case 0x3:
		a->type = MEM_NORMAL;
		a->inner = a->outer = CACHE_WRITE_BACK_NO_WA;
		break;
	case 0x4:
		a->type = MEM_NORMAL;
		break;
	case 0x7:
		a->type = MEM_NORMAL;
		a->inner = a->outer = CACHE_WRITE_BACK_WA;
		break;
	case 0x8: /* non-shared device */
		a->type = MEM_DEVICE;
		a->shareable = false;
		break;
	default: /* reserved encodings */
		a->type = MEM_STRONGLY_ORDERED;
		break;
	}
}

/* B3.5.8 Table B3-15: AP[2:0]. */
static void region_access(uint32_t rasr, struct mem_attr *a)
{
	switch (rasr >> 24 & 7U) {
	case 1:
		a->priv_read = a->priv_write = true;
		a->user_read = a->user_write = false;
		break;
	case 2:
		a->priv_read = a->priv_write = a->user_read = true;
		a->user_write = false;
		break;
	case 3:
		a->priv_read = a->priv_write = a->user_read = a->user_write =
			true;
		break;
	case 5:
		a->priv_read = true;
		a->priv_write = a->user_read = a->user_write = false;
		break;
	case 6:
	case 7:
		a->priv_read = a->user_read = true;
		a->priv_write = a->user_write = false;
		break;
	default: /* 0: no access; 4: reserved */
		a->priv_read = a->priv_write = a->user_read = a->user_write =
			false;
		break;
	}
}

/* The highest-numbered enabled region containing `addr` whose subregion
 * is not disabled (B3.5.3, B3.5.4), or -1. */
static int match_region(const struct core *cpu, uint32_t addr)
{
	for (int n = 15; n >= 0; n--) {
		uint32_t rasr = cpu->scs.mpu_rasr[n];
		unsigned size_field = rasr >> 1 & 0x1FU;
		uint64_t size;
		uint32_t base;

		if (!(rasr & RASR_ENABLE) || size_field < 4)
			continue;
		size = 1ULL << (size_field + 1);
		base = (uint32_t)(cpu->scs.mpu_rbar[n] & ~(uint32_t)(size - 1));
		if ((uint64_t)addr - base >= size)
			continue;
		if (size >= 256) {
			unsigned sub = (unsigned)(((uint64_t)addr - base) /
						  (size / 8));

			if (rasr >> (8 + sub) & 1U)
				continue;
		}
		return n;
	}
	return -1;
}

bool core_mem_attr(struct core *cpu, uint32_t addr, bool privileged,
		   struct mem_attr *attr)
{
	int n;

	default_map(addr, attr);
	/* B3.5.1: the PPB and the system space keep the default map. */
	if (!core_mpu_enabled(cpu) || addr >= PPB_LO)
		return true;
	n = match_region(cpu, addr);
	if (n < 0)
		return privileged && (cpu->scs.mpu_ctrl & CTRL_PRIVDEFENA);
	attr->region = n;
	region_attr(cpu->scs.mpu_rasr[n], attr);
	region_access(cpu->scs.mpu_rasr[n], attr);
	attr->execute_never = cpu->scs.mpu_rasr[n] & RASR_XN;
	return true;
}

/* One 32-byte block (the smallest region) known to allow an access:
 * code runs and data moves mostly within a block, so most checks end
 * here. Valid for one MPU configuration (mpu_gen) and privilege. */
static bool cached(const struct mpu_block_cache *c, const struct core *cpu,
		   uint32_t block, bool priv)
{
	return c->valid && c->block == block && c->gen == cpu->mpu_gen &&
	       c->priv == priv;
}

static bool check(struct core *cpu, uint32_t at, bool priv,
		  enum mpu_access access)
{
	struct mem_attr a;

	if (!core_mem_attr(cpu, at, priv, &a))
		return false;
	switch (access) {
	case MPU_FETCH:
		return !a.execute_never && (priv ? a.priv_read : a.user_read);
	case MPU_READ:
		return priv ? a.priv_read : a.user_read;
	default:
		return priv ? a.priv_write : a.user_write;
	}
}

/* B1.4.4: Handler mode is privileged, Thread mode unless CONTROL.nPRIV.
 * Read once per run of instructions and again after each MSR (core.c
 * clears priv_known); CONTROL first, as privileged Thread mode (nPRIV
 * clear) needs no other register. */
bool mpu_privileged(struct core *cpu)
{
	uint32_t control = 0, xpsr = 0;

	if (cpu->priv_known)
		return cpu->priv;
	uc_reg_read(cpu->uc, UC_ARM_REG_CONTROL, &control);
	if (control & 1U)
		uc_reg_read(cpu->uc, UC_ARM_REG_XPSR, &xpsr);
	cpu->priv = !(control & 1U) || (xpsr & 0x1FFU) != 0;
	cpu->priv_known = true;
	return cpu->priv;
}

/* B3.5.1: with HFNMIENA clear, code at a negative execution priority
 * (HardFault or NMI active, FAULTMASK set) ignores the MPU. Asked only of
 * an access the regions refuse: it can only allow more. */
static bool mpu_bypassed(struct core *cpu)
{
	uint32_t faultmask = 0;

	if (cpu->scs.mpu_ctrl & CTRL_HFNMIENA)
		return false;
	if (cpu->nvic.sys_active & (1U << EXC_NMI | 1U << EXC_HARDFAULT))
		return true;
	uc_reg_read(cpu->uc, UC_ARM_REG_FAULTMASK, &faultmask);
	return faultmask & 1U;
}

bool mpu_allows(struct core *cpu, uint32_t addr, unsigned size,
		enum mpu_access access)
{
	uint32_t first = addr >> 5, last = (addr + (size ? size - 1 : 0)) >> 5;
	struct mpu_block_cache *c =
		&cpu->mpu_cache[access][first % MPU_CACHE_WAYS];
	bool priv;

	if (!core_mpu_enabled(cpu))
		return true;
	priv = mpu_privileged(cpu);
	if (first == last && cached(c, cpu, first, priv))
		return true;
	/* An access that straddles two blocks is checked at both ends. */
	if (!check(cpu, addr, priv, access) ||
	    (last != first && !check(cpu, last << 5, priv, access)))
		return mpu_bypassed(cpu);
	if (first == last) {
		c->valid = true;
		c->block = first;
		c->gen = cpu->mpu_gen;
		c->priv = priv;
	}
	return true;
}

/* Whether the current privilege's view of the MPU refuses a load or a
 * store anywhere in the core's memories (bus regions backed by memory).
 * The answer is constant between region and subregion boundaries, so one
 * address per stretch between two boundaries decides for the whole
 * stretch. When nothing in memory can be refused, the only accesses the
 * MPU can stop are to peripherals, which the MMIO callbacks check
 * themselves (core.c) and Unicorn's per-access hook is left out. The
 * HardFault/NMI bypass is not counted: it can only allow more. */
bool mpu_refuses_memory(struct core *cpu, bool priv)
{
	uint64_t cut[16 * 9 + 2];
	unsigned ncut = 0;

	for (unsigned n = 0; n < 16; n++) {
		uint32_t rasr = cpu->scs.mpu_rasr[n];
		unsigned size_field = rasr >> 1 & 0x1FU;
		uint64_t size, base;

		if (!(rasr & RASR_ENABLE) || size_field < 4)
			continue;
		size = 1ULL << (size_field + 1);
		base = cpu->scs.mpu_rbar[n] & ~(uint32_t)(size - 1);
		for (unsigned k = 0; k <= (size >= 256 ? 8U : 1U); k++)
			cut[ncut++] = base + (size >= 256 ? k * (size / 8)
						  : k * size);
	}
	for (unsigned i = 0; i < cpu->bus->count; i++) {
		const struct bus_region *r = &cpu->bus->regions[i];
		uint64_t lo = r->base, hi = (uint64_t)r->base + r->size;

		if (!r->mem)
			continue;
		/* Each stretch of this region between two cuts: its lowest
		 * address speaks for all of it. */
		for (uint64_t at = lo; at < hi;) {
			uint64_t next = hi;

			if (!check(cpu, (uint32_t)at, priv, MPU_READ) ||
			    !check(cpu, (uint32_t)at, priv, MPU_WRITE))
				return true;
			for (unsigned c = 0; c < ncut; c++)
				if (cut[c] > at && cut[c] < next)
					next = cut[c];
			at = next;
		}
	}
	return false;
}
