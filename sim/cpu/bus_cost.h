/* What a data access costs the core, in CPU cycles, by the bus and target
 * it reaches (docs/psramsim-cpu.md, "Bus access costs"). One table
 * (bus_cost_table.c) holds a row per target of each MCU line with its
 * source; `psramsim --bus-costs FILE` replaces it.
 *
 * A cost is a sum of terms, each a number of cycles of one clock: "4ahb"
 * (four cycles of the AXI/AHB clock), "2apb1", "1ws" (the flash's
 * FLASH_ACR.LATENCY wait states, counted in AXI clock cycles), or a bare
 * number (CPU cycles). They are turned into CPU cycles with the clock
 * ratios of the moment, so a slower bus costs the core more cycles.
 *
 * Writes are posted (the core's write buffer, one entry deep): a write
 * costs the core nothing unless the buffer is still draining the previous
 * one; a read waits until the buffer has drained, then pays its cost. */
#ifndef SIM_BUS_COST_H
#define SIM_BUS_COST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "board.h"
#include "util/vclock.h"

enum bus_clock {
	BUS_CLK_CPU,	/* core clock (a bare number) */
	BUS_CLK_AHB,	/* "ahb": AXI and AHB clock (rcc_hclk / ACLK) */
	BUS_CLK_APB1,
	BUS_CLK_APB2,
	BUS_CLK_APB3,
	BUS_CLK_APB4,
	BUS_CLK_WS,	/* "ws": FLASH_ACR.LATENCY cycles of the AHB clock */
	BUS_CLOCKS
};

/* Rows are 1 KiB aligned: every bus boundary of RM0433 Table 8, RM0455
 * and RM0385 Table 1 is. */
#define BUS_COST_ALIGN 0x400U
#define BUS_COST_MAX_ROWS 64
#define BUS_COST_NAME_LEN 48

/* A write to this target may change the clock tree (RCC, FLASH_ACR): the
 * ratios are worked out again before the next charge. */
#define BUS_COST_CLOCKS 1U

struct bus_cost_row {
	uint32_t base, last;	/* inclusive */
	uint8_t rd[BUS_CLOCKS], wr[BUS_CLOCKS];
	unsigned flags;
	char name[BUS_COST_NAME_LEN];
};

struct bus_cost_table {
	struct bus_cost_row row[BUS_COST_MAX_ROWS];
	unsigned count;
};

/* The bus clocks of the moment, from the board's clock tree model. */
struct bus_clock_hz {
	uint32_t hz[BUS_CLK_WS];	/* index BUS_CLK_CPU .. BUS_CLK_APB4 */
	unsigned flash_ws;
};
typedef void (*bus_clock_fn)(void *ctx, struct bus_clock_hz *out);

/* The charging state of one core: a two-level page table from address to
 * row (64 KiB pages, 1 KiB sub-pages where a row boundary falls inside a
 * page), each row's cost in CPU cycles at the present clocks, and the
 * write buffer. */
#define BUS_COST_FINE 0x8000U
#define BUS_COST_SUBPAGES 64U
struct bus_cost {
	struct bus_cost_table table;
	uint16_t page[1U << 16];	/* 0 none, row+1, or FINE | sub-table */
	uint16_t (*sub)[BUS_COST_SUBPAGES];
	unsigned nsub;
	uint32_t rd_cycles[BUS_COST_MAX_ROWS + 1];
	uint32_t wr_cycles[BUS_COST_MAX_ROWS + 1];
	bus_clock_fn clocks;
	void *clocks_ctx;
	uint32_t cpu_hz;	/* the core clock the cycles were worked out for */
	bool stale;
	uint64_t wb_until;	/* the write buffer drains at this cycle */
	uint64_t charged;	/* cycles charged in all */
};

/* Parses one cost expression ("3ahb+2apb1", "0"). Returns 0, or -1 with
 * a reason in err. */
int bus_cost_parse_expr(const char *s, uint8_t out[BUS_CLOCKS], char *err,
			size_t errlen);

/* Reads a table from `path` (format: docs/psramsim-cpu.md). Returns 0, or
 * -1 with one line naming the file, the line and the fault in err. */
int bus_cost_load(const char *path, struct bus_cost_table *t, char *err,
		  size_t errlen);
int bus_cost_load_stream(FILE *f, const char *what, struct bus_cost_table *t,
			 char *err, size_t errlen);

/* Writes `t` in the text form bus_cost_load() reads. */
void bus_cost_write(FILE *f, const struct bus_cost_table *t);
void bus_cost_write_row(FILE *f, const struct bus_cost_row *r);

/* The built-in table for an MCU line (bus_cost_table.c), and the source
 * of its row at `base` (NULL if none). */
void bus_cost_builtin(enum mcu_line line, struct bus_cost_table *t);
const char *bus_cost_builtin_source(enum mcu_line line, uint32_t base);

/* A new charging state with table `t` (copied). NULL if out of memory. */
struct bus_cost *bus_cost_new(const struct bus_cost_table *t);
void bus_cost_free(struct bus_cost *bc);
/* Replaces the table; the clock source stays. */
int bus_cost_set_table(struct bus_cost *bc, const struct bus_cost_table *t);
void bus_cost_set_clocks(struct bus_cost *bc, bus_clock_fn fn, void *ctx);

/* Works the CPU cycles of every row out again from the clocks. */
void bus_cost_refresh(struct bus_cost *bc, uint32_t cpu_hz);

/* The row index + 1 for `addr`, 0 if no row covers it. */
static inline unsigned bus_cost_row_of(const struct bus_cost *bc,
				       uint32_t addr)
{
	unsigned e = bc->page[addr >> 16];

	if (e & BUS_COST_FINE)
		e = bc->sub[e & ~BUS_COST_FINE][(addr >> 10) & 63U];
	return e;
}

/* Charges one access by the core to the virtual clock: a lookup and a few
 * additions. Called before the target model sees the access. */
static inline void bus_cost_charge(struct bus_cost *bc, struct vclock *clk,
				   uint32_t addr, bool write)
{
	unsigned row = bus_cost_row_of(bc, addr);
	uint64_t now = clk->cycles, start;

	if (!row)
		return;
	if (bc->stale || clk->cpu_hz != bc->cpu_hz)
		bus_cost_refresh(bc, clk->cpu_hz);
	start = bc->wb_until > now ? bc->wb_until : now;
	if (write) {
		bc->wb_until = start + bc->wr_cycles[row];
		if (bc->table.row[row - 1].flags & BUS_COST_CLOCKS)
			bc->stale = true;
	} else {
		start += bc->rd_cycles[row];
	}
	bc->charged += start - now;
	clk->cycles = start;
}

#endif
