#include "bus.h"

#include <stdlib.h>
#include <string.h>

#include "util/log.h"

void bus_init(struct bus *bus)
{
	memset(bus, 0, sizeof(*bus));
}

static struct bus_region *add_region(struct bus *bus, const char *name,
				     uint32_t base, uint32_t size)
{
	struct bus_region *r;

	if (bus->count == BUS_MAX_REGIONS) {
		sim_log(LOG_INFO, "too many bus regions (adding %s)", name);
		abort();
	}
	r = &bus->regions[bus->count++];
	memset(r, 0, sizeof(*r));
	r->name = name;
	r->base = base;
	r->size = size;
	return r;
}

struct bus_region *bus_add_memory(struct bus *bus, const char *name,
				  uint32_t base, uint32_t size, unsigned flags)
{
	struct bus_region *r = add_region(bus, name, base, size);

	r->flags = flags;
	r->mem = calloc(1, size);
	if (!r->mem)
		abort();
	return r;
}

struct bus_region *bus_add_mmio(struct bus *bus, const char *name,
				uint32_t base, uint32_t size,
				const struct mmio_ops *ops, void *dev)
{
	struct bus_region *r = add_region(bus, name, base, size);

	r->flags = REGION_READ | REGION_WRITE;
	r->ops = ops;
	r->dev = dev;
	return r;
}

void bus_free(struct bus *bus)
{
	for (unsigned i = 0; i < bus->count; i++) {
		free(bus->regions[i].mem);
		bus->regions[i].mem = NULL;
	}
	bus->count = 0;
}

struct bus_region *bus_find(struct bus *bus, uint32_t addr, uint32_t size)
{
	for (unsigned i = 0; i < bus->count; i++) {
		struct bus_region *r = &bus->regions[i];

		if (addr >= r->base && addr - r->base < r->size &&
		    size <= r->size - (addr - r->base))
			return r;
	}
	return NULL;
}

static uint32_t load_le(const uint8_t *p, unsigned size)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

static void store_le(uint8_t *p, unsigned size, uint32_t v)
{
	for (unsigned i = 0; i < size; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

bool bus_read(struct bus *bus, uint32_t addr, unsigned size, uint32_t *value,
	      enum bus_master master)
{
	struct bus_region *r = bus_find(bus, addr, size);

	*value = 0;
	if (!r || !(r->flags & REGION_READ))
		return false;
	if (r->clocked && !r->clocked(r->gate_ctx))
		return true;
	if (r->mem) {
		*value = load_le(r->mem + (addr - r->base), size);
		return true;
	}
	return r->ops->read(r->dev, addr - r->base, size, value, master);
}

bool bus_write(struct bus *bus, uint32_t addr, unsigned size, uint32_t value,
	       enum bus_master master)
{
	struct bus_region *r = bus_find(bus, addr, size);

	if (!r)
		return false;
	if (r->clocked && !r->clocked(r->gate_ctx)) {
		sim_log(LOG_GUEST_ERROR,
			"write to %s at 0x%08x while its clock is off is ignored",
			r->name, addr);
		return true;
	}
	if (r->flags & REGION_WRITE_BY_MODEL)
		return r->ops->write(r->dev, addr - r->base, size, value,
				     master);
	if (!(r->flags & REGION_WRITE))
		return false;
	if (r->mem) {
		store_le(r->mem + (addr - r->base), size, value);
		if ((r->flags & REGION_EXEC) && bus->code_changed &&
		    master == BUS_MASTER_DEBUG)
			bus->code_changed(bus->code_changed_ctx, addr, size);
		return true;
	}
	return r->ops->write(r->dev, addr - r->base, size, value, master);
}

bool bus_read_stable(const struct bus_region *r, uint32_t addr)
{
	if (r->mem)
		return true;
	return r->read_stable && r->read_stable(r->dev, addr - r->base);
}

void bus_update_mem(struct bus *bus, struct bus_region *region,
		    uint32_t offset, const void *data, uint32_t len)
{
	memcpy(region->mem + offset, data, len);
	if (bus->code_changed)
		bus->code_changed(bus->code_changed_ctx, region->base + offset,
				  len);
}

void bus_fill_mem(struct bus *bus, struct bus_region *region,
		  uint32_t offset, uint8_t byte, uint32_t len)
{
	memset(region->mem + offset, byte, len);
	if (bus->code_changed)
		bus->code_changed(bus->code_changed_ctx, region->base + offset,
				  len);
}
