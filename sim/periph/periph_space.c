/* Unmodelled and reserved peripheral space (periph/periph_space.h). */
#include "periph/periph_space.h"

#include <stdbool.h>
#include <stdlib.h>

#include "util/log.h"

#define K 0x400U

/* RM0433 Table 8 (§2.3.2), by bus, in address order. The blocks psramsim
 * models (RCC, PWR, SYSCFG, GPIO, FLASH, QUADSPI, FMC, the AXI GPV, the
 * USARTs, DBGMCU) are listed too: their own regions come first on the bus,
 * so this table only answers for what is left. */
const struct periph_space_entry periph_space_h74x[] = {
	/* APB1 (D2) */
	{"TIM2", 0x40000000U, K},	{"TIM3", 0x40000400U, K},
	{"TIM4", 0x40000800U, K},	{"TIM5", 0x40000C00U, K},
	{"TIM6", 0x40001000U, K},	{"TIM7", 0x40001400U, K},
	{"TIM12", 0x40001800U, K},	{"TIM13", 0x40001C00U, K},
	{"TIM14", 0x40002000U, K},	{"LPTIM1", 0x40002400U, K},
	{"SPI2", 0x40003800U, K},	{"SPI3", 0x40003C00U, K},
	{"SPDIFRX", 0x40004000U, K},	{"USART2", 0x40004400U, K},
	{"USART3", 0x40004800U, K},	{"UART4", 0x40004C00U, K},
	{"UART5", 0x40005000U, K},	{"I2C1", 0x40005400U, K},
	{"I2C2", 0x40005800U, K},	{"I2C3", 0x40005C00U, K},
	{"HDMI-CEC", 0x40006C00U, K},	{"DAC1", 0x40007400U, K},
	{"UART7", 0x40007800U, K},	{"UART8", 0x40007C00U, K},
	{"CRS", 0x40008400U, K},	{"SWPMI", 0x40008800U, K},
	{"OPAMP", 0x40009000U, K},	{"MDIOS", 0x40009400U, K},
	{"FDCAN1", 0x4000A000U, K},	{"FDCAN2", 0x4000A400U, K},
	{"CAN CCU", 0x4000A800U, K},
	{"CAN message RAM", 0x4000AC00U, 0x2800U},
	/* APB2 (D2) */
	{"TIM1", 0x40010000U, K},	{"TIM8", 0x40010400U, K},
	{"USART1", 0x40011000U, K},	{"USART6", 0x40011400U, K},
	{"SPI1", 0x40013000U, K},	{"SPI4", 0x40013400U, K},
	{"TIM15", 0x40014000U, K},	{"TIM16", 0x40014400U, K},
	{"TIM17", 0x40014800U, K},	{"SPI5", 0x40015000U, K},
	{"SAI1", 0x40015800U, K},	{"SAI2", 0x40015C00U, K},
	{"SAI3", 0x40016000U, K},	{"DFSDM1", 0x40017000U, K},
	{"HRTIM", 0x40017400U, K},
	/* AHB1 (D2) */
	{"DMA1", 0x40020000U, K},	{"DMA2", 0x40020400U, K},
	{"DMAMUX1", 0x40020800U, K},	{"ADC1-ADC2", 0x40022000U, K},
	{"ETH", 0x40028000U, 0x1400U},
	{"USB1 OTG_HS", 0x40040000U, 0x40000U},
	{"USB2 OTG_FS", 0x40080000U, 0x40000U},
	/* AHB2 (D2) */
	{"DCMI", 0x48020000U, K},	{"CRYP", 0x48021000U, K},
	{"HASH", 0x48021400U, K},	{"RNG", 0x48021800U, K},
	{"SDMMC2", 0x48022400U, K},	{"SDMMC2 DLYB", 0x48022800U, K},
	{"RAMECC2", 0x48023000U, K},
	/* APB3 (D1) */
	{"LTDC", 0x50001000U, 0x1000U},	{"WWDG1", 0x50003000U, 0x1000U},
	/* AHB3 (D1) */
	{"AXI GPV", 0x51000000U, 0x100000U},
	{"MDMA", 0x52000000U, 0x1000U},	{"DMA2D", 0x52001000U, 0x1000U},
	{"FLASH", 0x52002000U, 0x1000U},	{"JPEG", 0x52003000U, 0x1000U},
	{"FMC", 0x52004000U, 0x1000U},	{"QUADSPI", 0x52005000U, 0x1000U},
	{"QUADSPI DLYB", 0x52006000U, 0x1000U},
	{"SDMMC1", 0x52007000U, 0x1000U},
	{"SDMMC1 DLYB", 0x52008000U, 0x1000U},
	{"RAMECC1", 0x52009000U, 0x1000U},
	/* APB4 (D3) */
	{"EXTI", 0x58000000U, K},	{"SYSCFG", 0x58000400U, K},
	{"LPUART1", 0x58000C00U, K},	{"SPI6", 0x58001400U, K},
	{"I2C4", 0x58001C00U, K},	{"LPTIM2", 0x58002400U, K},
	{"LPTIM3", 0x58002800U, K},	{"LPTIM4", 0x58002C00U, K},
	{"LPTIM5", 0x58003000U, K},	{"COMP1-COMP2", 0x58003800U, K},
	{"VREFBUF", 0x58003C00U, K},	{"RTC & BKP", 0x58004000U, K},
	{"IWDG1", 0x58004800U, K},	{"SAI4", 0x58005400U, K},
	/* AHB4 (D3) */
	{"GPIOA", 0x58020000U, 0x2C00U},	/* GPIOA-GPIOK */
	{"RCC", 0x58024400U, K},	{"PWR", 0x58024800U, K},
	{"CRC", 0x58024C00U, K},	{"BDMA", 0x58025400U, K},
	{"DMAMUX2", 0x58025800U, K},	{"ADC3", 0x58026000U, K},
	{"HSEM", 0x58026400U, K},	{"RAMECC3", 0x58027000U, K},
	/* Debug (D3) */
	{"DBGMCU", 0x5C001000U, K},
};
const unsigned periph_space_h74x_count =
	sizeof(periph_space_h74x) / sizeof(periph_space_h74x[0]);

/* Registers already reported, so each is logged once: open addressing on
 * word addresses (0 marks a free slot; no peripheral lives at 0). */
#define SEEN_SLOTS 4096U
#define MAX_GAPS 24

/* One bus region standing for a stretch of the map no model covers. */
struct gap {
	struct periph_space *ps;
	uint32_t base;
};

struct periph_space {
	const struct periph_space_entry *map;
	unsigned count;
	uint32_t seen[SEEN_SLOTS];
	unsigned nseen;
	struct gap gap[MAX_GAPS];
	unsigned ngaps;
};

const struct periph_space_entry *
periph_space_lookup(const struct periph_space_entry *map, unsigned count,
		    uint32_t addr)
{
	for (unsigned i = 0; i < count; i++)
		if (addr >= map[i].base && addr - map[i].base < map[i].size)
			return &map[i];
	return NULL;
}

static bool first_time(struct periph_space *ps, uint32_t word)
{
	uint32_t h = (word >> 2) * 2654435761U;

	for (unsigned i = 0; i < SEEN_SLOTS; i++) {
		uint32_t *slot = &ps->seen[(h + i) % SEEN_SLOTS];

		if (*slot == word)
			return false;
		if (*slot == 0) {
			if (ps->nseen == SEEN_SLOTS - 1)
				return false; /* full: stay quiet */
			*slot = word;
			ps->nseen++;
			return true;
		}
	}
	return false;
}

static bool answer(struct gap *g, uint32_t off, const char *what,
		   uint32_t value)
{
	uint32_t addr = g->base + off;
	const struct periph_space_entry *e =
		periph_space_lookup(g->ps->map, g->ps->count, addr);

	if (!e)
		return false; /* reserved: the bus matrix answers an error */
	if (first_time(g->ps, addr & ~3U)) {
		if (what)
			sim_log(LOG_UNIMP, "%s register 0x%03x (%s 0x%08x)",
				e->name, (addr - e->base) & ~3U, what, value);
		else
			sim_log(LOG_UNIMP, "%s register 0x%03x (read)",
				e->name, (addr - e->base) & ~3U);
	}
	return true;
}

static bool gap_read(void *dev, uint32_t off, unsigned size, uint32_t *value,
		     enum bus_master master)
{
	(void)size;
	(void)master;
	*value = 0;
	return answer(dev, off, NULL, 0);
}

static bool gap_write(void *dev, uint32_t off, unsigned size, uint32_t value,
		      enum bus_master master)
{
	(void)size;
	(void)master;
	return answer(dev, off, "write", value);
}

static const struct mmio_ops gap_ops = {gap_read, gap_write};

/* The first address at or above `addr` that a bus region maps, below
 * `limit`; `limit` if none. */
static uint32_t next_mapped(const struct bus *bus, uint64_t addr,
			    uint64_t limit, uint64_t *end)
{
	uint64_t best = limit;

	*end = limit;
	for (unsigned i = 0; i < bus->count; i++) {
		uint64_t b = bus->regions[i].base;
		uint64_t e = b + bus->regions[i].size;

		if (e > addr && b < best) {
			best = b > addr ? b : addr;
			*end = e;
		}
	}
	return (uint32_t)best;
}

struct periph_space *periph_space_attach(struct bus *bus,
					  const struct periph_space_entry *map,
					  unsigned count)
{
	struct periph_space *ps = calloc(1, sizeof(*ps));
	uint64_t lo = UINT32_MAX, hi = 0, addr;

	if (!ps)
		abort();
	ps->map = map;
	ps->count = count;
	for (unsigned i = 0; i < count; i++) {
		if (map[i].base < lo)
			lo = map[i].base;
		if ((uint64_t)map[i].base + map[i].size > hi)
			hi = (uint64_t)map[i].base + map[i].size;
	}
	/* Each stretch of [lo, hi) that no region maps becomes one region,
	 * if a peripheral of the table lies in it (a stretch of reserved
	 * space alone stays unmapped: a bus error either way). */
	for (addr = lo; addr < hi;) {
		uint64_t end;
		uint32_t start = next_mapped(bus, addr, hi, &end);
		bool any = false;

		if (start > addr) {
			for (unsigned i = 0; i < count && !any; i++)
				any = map[i].base < start &&
				      (uint64_t)map[i].base + map[i].size >
					      addr;
			if (any) {
				struct gap *g;

				if (ps->ngaps == MAX_GAPS)
					abort();
				g = &ps->gap[ps->ngaps++];
				g->ps = ps;
				g->base = (uint32_t)addr;
				bus_add_mmio(bus, "peripheral space",
					     (uint32_t)addr,
					     (uint32_t)(start - addr), &gap_ops,
					     g);
			}
		}
		addr = start >= hi ? hi : end;
	}
	return ps;
}

void periph_space_free(struct periph_space *ps)
{
	free(ps);
}
