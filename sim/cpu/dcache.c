/* The Cortex-M7 L1 data cache in front of the xSPI windows. Every rule
 * below is the Cortex-M7 TRM's (DDI 0489F, "Level 1 memory system", "L1
 * Cache Control Register", "AXIM interface") or the ARMv7-M ARM's (DDI
 * 0403E B2.2 "Caches and memory hierarchy", B3.5.9 memory attributes);
 * docs/psramsim-cpu.md "Level-1 data cache" lists them with what the model
 * leaves out. */
#include "cpu/dcache.h"

#include <stdlib.h>
#include <string.h>

#include "cpu/core_internal.h"
#include "cpu/mpu.h"
#include "util/log.h"

#define MAX_FRONTS 4U
#define CCR_DC (1U << 16)		/* ARMv7-M B3.2.8 */
#define CACR_SIWT (1U << 0)		/* TRM "L1 Cache Control Register" */
#define CACR_ECCDIS (1U << 1)
#define CACR_FORCEWT (1U << 2)
#define CACR_MASK (CACR_SIWT | CACR_ECCDIS | CACR_FORCEWT)
#define WORDS_PER_LINE (DCACHE_LINE_BYTES / 4U)

/* The cache policy the L1 applies to one access. */
enum policy {
	P_NONE,		/* not looked up, not allocated */
	P_WT,		/* write-through, read-allocate only */
	P_WB_WA,	/* write-back, read and write allocate */
	P_WB_RA,	/* write-back, read-allocate only */
};

static void dcache_free(struct dcache *dc);

struct front {
	struct dcache *dc;
	uint32_t base, size;
	const struct mmio_ops *ops;	/* the window's own model */
	void *dev;
};

struct line {
	bool valid, dirty;
	uint32_t addr;			/* of its first byte */
	uint8_t data[DCACHE_LINE_BYTES];
};

struct dcache {
	struct core *cpu;
	unsigned sets;
	struct line *lines;		/* [set * DCACHE_WAYS + way] */
	uint8_t *victim;		/* next way to replace, per set */
	struct front fronts[MAX_FRONTS];
	unsigned nfronts;
	uint32_t cacr;
	bool invalidated;		/* by set/way since reset */
};

static struct front *front_of(struct dcache *dc, uint32_t addr)
{
	for (unsigned i = 0; i < dc->nfronts; i++)
		if (addr - dc->fronts[i].base < dc->fronts[i].size)
			return &dc->fronts[i];
	return NULL;
}

static unsigned set_of(const struct dcache *dc, uint32_t addr)
{
	return (addr / DCACHE_LINE_BYTES) & (dc->sets - 1U);
}

static struct line *lookup(struct dcache *dc, uint32_t line_addr)
{
	struct line *set = &dc->lines[set_of(dc, line_addr) * DCACHE_WAYS];

	for (unsigned w = 0; w < DCACHE_WAYS; w++)
		if (set[w].valid && set[w].addr == line_addr)
			return &set[w];
	return NULL;
}

/* Which policy applies: the inner attributes of the MPU region or of the
 * default map (B3.5.9 Tables B3-13/B3-14, B3.1.1 Table B3-1), with the
 * Cortex-M7's rules on top (TRM "L1 Cache Control Register"):
 *  - CCR.DC = 0: every access is Non-cacheable (ARMv7-M B3.2.8);
 *  - Device and Strongly-ordered memory is never cached;
 *  - Normal Shareable memory is Non-cacheable, or write-through when
 *    CACR.SIWT is set;
 *  - CACR.FORCEWT turns every write-back policy into write-through. */
static enum policy policy_of(struct dcache *dc, uint32_t addr)
{
	struct core *cpu = dc->cpu;
	struct mem_attr a;
	enum policy p;

	if (!(cpu->scs.ccr & CCR_DC))
		return P_NONE;
	if (!core_mem_attr(cpu, addr, true, &a) || a.type != MEM_NORMAL)
		return P_NONE;
	switch (a.inner) {
	case CACHE_WRITE_THROUGH:
		p = P_WT;
		break;
	case CACHE_WRITE_BACK_WA:
		p = P_WB_WA;
		break;
	case CACHE_WRITE_BACK_NO_WA:
		p = P_WB_RA;
		break;
	default:
		return P_NONE;
	}
	if (a.shareable)
		return (dc->cacr & CACR_SIWT) ? P_WT : P_NONE;
	if (dc->cacr & CACR_FORCEWT)
		return P_WT;
	return p;
}

/* A bus error on a write the core did not wait for (a write-through
 * buffered, an eviction): an imprecise BusFault (B1.5.14), raised after
 * the instruction under way. */
static void imprecise_fault(struct dcache *dc, uint32_t addr)
{
	struct core *cpu = dc->cpu;

	if (cpu->fault_kind == FAULT_NONE) {
		cpu->fault_kind = FAULT_WRITE;
		cpu->fault_addr = addr;
	}
}

/* What a transfer between the cache (or the core, past it) and the window
 * costs on the bus: one access of the bus cost table (cpu/bus_cost.h),
 * once per line burst; the wire time is the window's model's. */
static void charge(struct dcache *dc, uint32_t addr, bool write)
{
	bus_cost_charge(dc->cpu->bus_cost, dc->cpu->clk, addr, write);
}

/* An access of `n` bytes of `v` at `addr` to the window's own model, cut
 * into the naturally aligned pieces a bus carries. */
static bool device_write(struct front *f, uint32_t addr, unsigned n,
			 uint32_t v)
{
	charge(f->dc, addr, true);
	if ((n == 4U || n == 2U || n == 1U) && (addr & (n - 1U)) == 0U)
		return f->ops->write(f->dev, addr - f->base, n, v,
				     BUS_MASTER_CPU);
	for (unsigned i = 0; i < n; i++)
		if (!f->ops->write(f->dev, addr + i - f->base, 1,
				   v >> (8 * i) & 0xFFU, BUS_MASTER_CPU))
			return false;
	return true;
}

/* TRM "AXIM interface": an eviction writes the whole line, 32 bytes from
 * its first, whatever bytes the core changed. */
static bool write_back(struct dcache *dc, struct line *l)
{
	struct front *f = front_of(dc, l->addr);
	bool ok = true;

	l->dirty = false;
	charge(dc, l->addr, true);
	for (unsigned i = 0; i < WORDS_PER_LINE && ok; i++) {
		uint32_t w;

		memcpy(&w, &l->data[4 * i], 4);
		ok = f->ops->write(f->dev, l->addr + 4 * i - f->base, 4, w,
				   BUS_MASTER_CPU);
	}
	if (!ok)
		sim_log(LOG_GUEST_ERROR,
			"data cache: write-back of the line at 0x%08x got a "
			"bus error: imprecise BusFault, the line's data is "
			"lost", (unsigned)l->addr);
	return ok;
}

/* A line fill for an access at `addr`: the victim way of the set (round
 * robin) is written back if dirty, then the line is read as a wrapping
 * burst from the doubleword the core asked for (TRM "AXIM interface":
 * fills are 64-bit WRAP4, critical doubleword first). Returns NULL on a
 * read error: the access that missed gets it as a precise bus error. */
static struct line *fill(struct dcache *dc, struct front *f, uint32_t addr)
{
	uint32_t la = addr & ~(DCACHE_LINE_BYTES - 1U);
	unsigned set = set_of(dc, la), way = dc->victim[set];
	struct line *l = &dc->lines[set * DCACHE_WAYS];
	unsigned first_dw = (addr & (DCACHE_LINE_BYTES - 1U)) / 8U;

	for (unsigned w = 0; w < DCACHE_WAYS; w++)
		if (!l[w].valid) {
			way = w;
			break;
		}
	l = &l[way];
	if (l->valid && l->dirty && !write_back(dc, l))
		imprecise_fault(dc, l->addr);
	l->valid = false;
	dc->victim[set] = (uint8_t)((way + 1U) % DCACHE_WAYS);
	charge(dc, addr, false);
	for (unsigned k = 0; k < 4U; k++) {
		unsigned dw = (first_dw + k) & 3U;

		for (unsigned h = 0; h < 2U; h++) {
			uint32_t off = dw * 8U + h * 4U, w = 0;

			if (!f->ops->read(f->dev, la + off - f->base, 4, &w,
					  BUS_MASTER_CPU))
				return NULL;
			memcpy(&l->data[off], &w, 4);
		}
	}
	l->valid = true;
	l->dirty = false;
	l->addr = la;
	return l;
}

static uint32_t line_get(const struct line *l, uint32_t addr, unsigned n)
{
	uint32_t v = 0, o = addr - l->addr;

	for (unsigned i = 0; i < n; i++)
		v |= (uint32_t)l->data[o + i] << (8 * i);
	return v;
}

static void line_put(struct line *l, uint32_t addr, unsigned n, uint32_t v)
{
	uint32_t o = addr - l->addr;

	for (unsigned i = 0; i < n; i++)
		l->data[o + i] = (uint8_t)(v >> (8 * i));
}

/* The bytes of [addr, addr + size) that lie in one line. */
static unsigned piece(uint32_t addr, unsigned left)
{
	unsigned room = DCACHE_LINE_BYTES - (addr & (DCACHE_LINE_BYTES - 1U));

	return left < room ? left : room;
}

static bool cpu_read(struct front *f, uint32_t addr, unsigned size,
		     uint32_t *value)
{
	struct dcache *dc = f->dc;
	uint32_t v = 0;

	for (unsigned done = 0; done < size;) {
		uint32_t at = addr + done;
		unsigned n = piece(at, size - done);
		struct line *l = lookup(dc, at & ~(DCACHE_LINE_BYTES - 1U));

		if (!l) {
			l = fill(dc, f, at);
			if (!l)
				return false;
		}
		v |= line_get(l, at, n) << (8 * done);
		done += n;
	}
	*value = v;
	return true;
}

static bool cpu_write(struct front *f, uint32_t addr, unsigned size,
		      uint32_t value, enum policy p)
{
	struct dcache *dc = f->dc;

	for (unsigned done = 0; done < size;) {
		uint32_t at = addr + done;
		unsigned n = piece(at, size - done);
		uint32_t v = (uint32_t)((uint64_t)value >> (8 * done));
		struct line *l = lookup(dc, at & ~(DCACHE_LINE_BYTES - 1U));

		if (n < 4U)
			v &= (1U << (8 * n)) - 1U;
		/* Only write-back write-allocate memory allocates on a write
		 * miss (B3.5.9 Table B3-14). */
		if (!l && p == P_WB_WA) {
			l = fill(dc, f, at);
			if (!l)
				return false;
		}
		if (l)
			line_put(l, at, n, v);
		if (l && p != P_WT) {
			l->dirty = true;
		} else {
			/* Write-through, or a miss that does not allocate:
			 * the store goes to the device. */
			if (!device_write(f, at, n, v))
				return false;
		}
		done += n;
	}
	return true;
}

/* A debugger access through the AHB-AP into the core's AHBD port. With
 * HPROT[3] (Cacheable, AHB-AP CSW bit 27) set, as OpenOCD's stm32h7x.cfg
 * sets it to see "data in the CPU cache", the access looks the cache up:
 * a read hit returns the line, a write hit updates the line and the
 * memory. It never allocates. Without HPROT[3] it goes to the bus past
 * the cache. */
static bool debug_access(struct front *f, uint32_t addr, unsigned size,
			 uint32_t *value, bool write)
{
	struct dcache *dc = f->dc;
	struct line *l = NULL;

	if (dc->cpu->bus->debug_cacheable &&
	    piece(addr, size) == size)
		l = lookup(dc, addr & ~(DCACHE_LINE_BYTES - 1U));
	if (!write) {
		if (l) {
			*value = line_get(l, addr, size);
			return true;
		}
		return f->ops->read(f->dev, addr - f->base, size, value,
				    BUS_MASTER_DEBUG);
	}
	if (l)
		line_put(l, addr, size, *value);
	return f->ops->write(f->dev, addr - f->base, size, *value,
			     BUS_MASTER_DEBUG);
}

static bool front_read(void *dev, uint32_t offset, unsigned size,
		       uint32_t *value, enum bus_master master)
{
	struct front *f = dev;
	uint32_t addr = f->base + offset;
	enum policy p;

	if (master == BUS_MASTER_DEBUG)
		return debug_access(f, addr, size, value, false);
	p = policy_of(f->dc, addr);
	if (p == P_NONE) {
		charge(f->dc, addr, false);
		return f->ops->read(f->dev, offset, size, value, master);
	}
	return cpu_read(f, addr, size, value);
}

static bool front_write(void *dev, uint32_t offset, unsigned size,
			uint32_t value, enum bus_master master)
{
	struct front *f = dev;
	uint32_t addr = f->base + offset;
	enum policy p;

	if (master == BUS_MASTER_DEBUG)
		return debug_access(f, addr, size, &value, true);
	p = policy_of(f->dc, addr);
	if (p == P_NONE) {
		charge(f->dc, addr, true);
		return f->ops->write(f->dev, offset, size, value, master);
	}
	return cpu_write(f, addr, size, value, p);
}

static const struct mmio_ops front_ops = {front_read, front_write};

/* ---- maintenance --------------------------------------------------------*/

static bool maintain_line(struct dcache *dc, struct line *l,
			  enum dcache_op op)
{
	bool ok = true;

	if (!l || !l->valid)
		return true;
	if (op != DCACHE_INVALIDATE && l->dirty)
		ok = write_back(dc, l);
	if (op != DCACHE_CLEAN) {
		if (l->dirty)
			sim_trace(
				"data cache: dirty line at 0x%08x invalidated "
				"without a clean: its stores are lost",
				(unsigned)l->addr);
		l->valid = false;
		l->dirty = false;
	}
	return ok;
}

/* ARMv7-M B2.2.7: by address, the line holding the address if any; by
 * set/way, Way in bits [31:32-A] (A = log2 of 4 ways = 2), Set in bits
 * [B-1:5] (B = 5 + log2 of the sets), Level in bits [3:1] (0: the L1, the
 * only level; CLIDR LoC = 1). */
bool dcache_maintain(struct dcache *dc, enum dcache_op op, bool by_set_way,
		     uint32_t value)
{
	struct line *l;

	if (!by_set_way) {
		l = lookup(dc, value & ~(DCACHE_LINE_BYTES - 1U));
		return maintain_line(dc, l, op);
	}
	if (value & 0xEU) {
		sim_log(LOG_GUEST_ERROR,
			"data cache: set/way operation on cache level %u: the "
			"Cortex-M7 has one level (CLIDR), ignored",
			(unsigned)(value >> 1 & 7U) + 1U);
		return true;
	}
	if (op == DCACHE_INVALIDATE || op == DCACHE_CLEAN_INVALIDATE)
		dc->invalidated = true;
	l = &dc->lines[set_of(dc, value) * DCACHE_WAYS + (value >> 30)];
	return maintain_line(dc, l, op);
}

/* ---- life cycle and registers ------------------------------------------*/

int dcache_attach(struct core *cpu, unsigned kib)
{
	struct bus *bus = cpu->bus;
	struct dcache *dc;

	if (kib != 4U && kib != 16U)
		return -1;
	dc = calloc(1, sizeof(*dc));
	if (!dc)
		return -1;
	dc->cpu = cpu;
	dc->sets = kib * 1024U / (DCACHE_LINE_BYTES * DCACHE_WAYS);
	dc->lines = calloc((size_t)dc->sets * DCACHE_WAYS, sizeof(*dc->lines));
	dc->victim = calloc(dc->sets, 1);
	if (!dc->lines || !dc->victim) {
		dcache_free(dc);
		return -1;
	}
	for (unsigned i = 0; i < bus->count; i++) {
		struct bus_region *r = &bus->regions[i];
		struct front *f;

		if (!(r->flags & REGION_DCACHE) || r->ops == &front_ops)
			continue;
		if (dc->nfronts == MAX_FRONTS) {
			dcache_free(dc);
			return -1;
		}
		f = &dc->fronts[dc->nfronts++];
		f->dc = dc;
		f->base = r->base;
		f->size = r->size;
		f->ops = r->ops;
		f->dev = r->dev;
		r->ops = &front_ops;
		r->dev = f;
	}
	cpu->dcache = dc;
	return 0;
}

void dcache_detach(struct core *cpu)
{
	if (!cpu)
		return;
	dcache_free(cpu->dcache);
	cpu->dcache = NULL;
}

static void dcache_free(struct dcache *dc)
{
	if (!dc)
		return;
	free(dc->lines);
	free(dc->victim);
	free(dc);
}

void dcache_reset(struct dcache *dc)
{
	for (unsigned i = 0; i < dc->sets * DCACHE_WAYS; i++) {
		dc->lines[i].valid = false;
		dc->lines[i].dirty = false;
	}
	memset(dc->victim, 0, dc->sets);
	dc->cacr = 0;
	dc->invalidated = false;
}

/* ARMv7-M B4.8.3 CCSIDR: WT, WB, RA, WA supported [31:28], NumSets - 1
 * [27:13], Associativity - 1 [12:3], log2(words per line) - 2 [2:0]. The
 * I-cache is the D-cache's size, 2-way (TRM "Cache sizes"). */
uint32_t dcache_ccsidr(const struct dcache *dc, bool icache)
{
	uint32_t sets = icache ? dc->sets * 2U : dc->sets;
	uint32_t ways = icache ? 2U : DCACHE_WAYS;

	return 0xF0000000U | (sets - 1U) << 13 | (ways - 1U) << 3 | 1U;
}

uint32_t dcache_cacr(const struct dcache *dc)
{
	return dc->cacr;
}

void dcache_set_cacr(struct dcache *dc, uint32_t v)
{
	dc->cacr = v & CACR_MASK;
}

void dcache_ccr_written(struct dcache *dc, uint32_t old_ccr, uint32_t ccr)
{
	if ((ccr & CCR_DC) && !(old_ccr & CCR_DC) && !dc->invalidated)
		sim_log(LOG_GUEST_ERROR,
			"CCR.DC set with the data cache not invalidated since "
			"reset (Cortex-M7 TRM: invalidate the whole cache "
			"before enabling it)");
}
