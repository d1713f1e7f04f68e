#include "chips/psram.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/rng.h"

/* docs/psram-chips.md §6, §4 and §2: ESPDS Table 10-5, LYDS Table 9,
 * IPSDS Table 8 (tCPH, tCEM, tCSP, tCHD, tACLK), ESPDS §3, LYDS §9, IPSDS
 * §7 (150 us power-up). APS6404L: linear bursts ≤ 84 MHz, 32-byte wrapped
 * bursts 109 MHz at 3.3 V ±10 % (the boards' supply, APSDS p. 1); its
 * tCPH, tCSP, tCHD and tACLK are not in the first datasheet page, so the
 * IPS6404L values are used (IPUS states AP Memory IoT-RAM compliance,
 * IPSDS §2) and its tCEM is taken as the family's 8 µs. */
const struct psram_part psram_parts[] = {
	{.kind = CHIP_ESP_PSRAM64H, .name = "ESP-PSRAM64H",
	 .max_linear_hz = 133000000, .max_wrap_hz = 133000000,
	 .max_pagecross_hz = 84000000, .max_read03_hz = 33000000,
	 .t_cph_ps = 50000, .t_cem_ps = 8000000, .t_aclk_ps = 6000,
	 .t_csp_ps = 2500, .t_chd_ps = 20000, .t_pu_ps = 150000000},
	{.kind = CHIP_LY68L6400, .name = "LY68L6400SLIT",
	 .max_linear_hz = 144000000, .max_wrap_hz = 144000000,
	 .max_pagecross_hz = 84000000, .max_read03_hz = 33000000,
	 .t_cph_ps = 50000, .t_cem_ps = 8000000, .t_aclk_ps = 6000,
	 .t_csp_ps = 2500, .t_chd_ps = 20000, .t_pu_ps = 150000000},
	{.kind = CHIP_APS6404L, .name = "APS6404L-3SQN",
	 .max_linear_hz = 84000000, .max_wrap_hz = 109000000,
	 .max_pagecross_hz = 84000000, .max_read03_hz = 33000000,
	 .t_cph_ps = 18000, .t_cem_ps = 8000000, .t_aclk_ps = 7000,
	 .t_csp_ps = 3000, .t_chd_ps = 3000, .t_pu_ps = 150000000},
	{.kind = CHIP_IPS6404L, .name = "IPS6404LSQ",
	 .max_linear_hz = 104000000, .max_wrap_hz = 104000000,
	 .max_pagecross_hz = 84000000, .max_read03_hz = 33000000,
	 .t_cph_ps = 18000, .t_cem_ps = 8000000, .t_aclk_ps = 7000,
	 .t_csp_ps = 3000, .t_chd_ps = 3000, .t_pu_ps = 150000000},
};

const char *const psram_violation_names[PSRAM_VIOLATIONS] = {
	[PSRAM_V_CLOCK] = "clock", [PSRAM_V_PAGECROSS] = "pagecross",
	[PSRAM_V_TCEM] = "tcem",   [PSRAM_V_TCPH] = "tcph",
	[PSRAM_V_TCSP] = "tcsp",   [PSRAM_V_TCHD] = "tchd",
	[PSRAM_V_POWERUP] = "powerup", [PSRAM_V_NO_RESET] = "no-reset",
};
const unsigned psram_part_count = sizeof(psram_parts) / sizeof(psram_parts[0]);

#define ADDR_MASK (PSRAM_SIZE - 1)

enum state {
	ST_CMD,		/* shifting in the opcode */
	ST_ADDR,	/* 24 address bits */
	ST_WAIT,	/* wait (dummy) cycles */
	ST_READ,	/* array data out */
	ST_ID,		/* 0x9F data out */
	ST_WRITE,	/* array data in */
	ST_DONE,	/* command complete; further edges ignored */
	ST_IGNORE,	/* not a command in this mode: nothing until CE# high */
};

/* One command as decoded: line counts and what follows the opcode. */
struct cmd_desc {
	uint8_t op;
	bool qpi;		/* valid in QPI mode (else SPI mode) */
	uint8_t addr_lines;	/* 0 = no address */
	uint8_t wait;
	uint8_t data_lines;
	enum state data;	/* ST_READ, ST_ID, ST_WRITE or ST_DONE */
};

/* ESPDS §5.4, LYDS §10.5, IPSDS §8.5; docs/psram-chips.md §2. */
static const struct cmd_desc commands[] = {
	{0x03, false, 1, 0, 1, ST_READ},
	{0x0B, false, 1, 8, 1, ST_READ},
	{0xEB, false, 4, 6, 4, ST_READ},
	{0x02, false, 1, 0, 1, ST_WRITE},
	{0x38, false, 4, 0, 4, ST_WRITE},
	{0x9F, false, 1, 0, 1, ST_ID},
	{0x35, false, 0, 0, 0, ST_DONE},
	{0x66, false, 0, 0, 0, ST_DONE},
	{0x99, false, 0, 0, 0, ST_DONE},
	{0xC0, false, 0, 0, 0, ST_DONE},
	{0xEB, true, 4, 6, 4, ST_READ},
	{0x02, true, 4, 0, 4, ST_WRITE},
	{0x38, true, 4, 0, 4, ST_WRITE},
	{0xF5, true, 0, 0, 0, ST_DONE},
	{0x66, true, 0, 0, 0, ST_DONE},
	{0x99, true, 0, 0, 0, ST_DONE},
	{0xC0, true, 0, 0, 0, ST_DONE},
};

struct psram {
	struct chip chip;
	const struct psram_part *part;
	struct fault_set faults;
	uint8_t *mem;
	uint8_t id[8];
	struct rng noise;	/* undefined output, corruption */
	struct rng flips;
	uint64_t flip_skip;	/* good bits before the next flipped one */

	bool qpi;
	bool wrap32;
	bool reset_enabled;
	bool initialised;
	bool power_on_known;	/* power-up time modelled (psram_power_on) */
	uint64_t t_power_on;
	bool was_deselected;
	uint64_t t_deselect;
	struct psram_rule_stats rules[PSRAM_VIOLATIONS];

	/* The command in progress (CE# low). */
	enum state st;
	const struct cmd_desc *cmd;
	uint8_t op;
	unsigned bits;
	uint32_t shift;
	uint32_t addr;
	unsigned wait_left;
	uint64_t t_select;
	uint32_t clk_hz;
	uint8_t cur;		/* byte being shifted out */
	unsigned cur_bits;	/* bits of cur not yet driven */
	unsigned id_index;
	bool overclocked;
	bool overclock_by_fault;
	bool lost;		/* tcem=strict: past tCEM */
	bool tcem_seen;		/* this command already passed tCEM */
	bool crossed;		/* read ahead across a page too fast */
	bool stored;		/* a byte of this write is in */
	bool edge_seen;		/* an SCLK edge of this command came */
	uint64_t t_last_edge;
	uint32_t last_addr;	/* the last byte written, and what it held */
	uint8_t last_old;
};

static const struct chip_ops psram_ops;

/* Rules whose worst value is the largest (a clock, a duration too long);
 * for the others it is the smallest (a time too short). */
static bool worst_is_max(enum psram_violation v)
{
	return v == PSRAM_V_CLOCK || v == PSRAM_V_PAGECROSS ||
	       v == PSRAM_V_TCEM;
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void violation(struct psram *p, enum psram_violation v,
		      uint64_t value, const char *fmt, ...)
{
	struct psram_rule_stats *r = &p->rules[v];
	char msg[200];
	va_list ap;

	if (!r->count || (worst_is_max(v) ? value > r->worst
					   : value < r->worst))
		r->worst = value;
	if (r->count++)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sim_log(LOG_GUEST_ERROR, "%s: %s", p->part->name, msg);
}

static uint64_t draw_flip_skip(struct psram *p)
{
	double rate = p->faults.flip_rate, u, n;

	if (rate <= 0.0)
		return UINT64_MAX;
	if (rate >= 1.0)
		return 0;
	u = rng_unit(&p->flips);
	n = floor(log1p(-u) / log1p(-rate));
	return n >= 1e18 ? UINT64_MAX : (uint64_t)n;
}

/* Address faults: the decoder's view of an address (fault addr<N>,
 * docs/psramsim-faults.md). */
static uint32_t map_addr(const struct psram *p, uint32_t a)
{
	a = (a & ~p->faults.addr_stuck0) | p->faults.addr_stuck1;
	for (unsigned i = 0; i < p->faults.addr_shorts; i++) {
		unsigned x = p->faults.addr_short[i].a;
		unsigned y = p->faults.addr_short[i].b;
		uint32_t both = (a >> x) & (a >> y) & 1;

		a = (a & ~(1U << x | 1U << y)) | both << x | both << y;
	}
	return a & ADDR_MASK;
}

static uint8_t array_read(struct psram *p, uint32_t addr)
{
	uint32_t pa = map_addr(p, addr);
	uint8_t v = p->mem[pa];

	for (unsigned i = 0; i < p->faults.cells; i++) {
		const struct fault_cell *c = &p->faults.cell[i];

		if (c->addr == pa)
			v = (uint8_t)((v & ~(1U << c->bit)) |
				      (unsigned)c->level << c->bit);
	}
	if (p->faults.flip_rate > 0.0) {
		unsigned bit = 0;

		while (p->flip_skip < 8 - bit) {
			bit += (unsigned)p->flip_skip;
			v ^= (uint8_t)(1U << bit);
			bit++;
			p->flip_skip = draw_flip_skip(p);
		}
		if (p->flip_skip != UINT64_MAX)
			p->flip_skip -= 8 - bit;
	}
	return v;
}

static void array_write(struct psram *p, uint32_t addr, uint8_t v)
{
	p->mem[map_addr(p, addr)] = v;
}

static uint8_t corruption(struct psram *p)
{
	return (uint8_t)(rng_below(&p->noise, 255) + 1);
}

/* The next address of a burst: 32-byte wrap, or linear with the 1 KiB page
 * rule (ESPDS §5.4, LYDS §10.6, IPSDS §8.6: crossing a page is guaranteed
 * only up to 84 MHz). Past the limit the internal counter wraps to the
 * start of the page, as a part without page crossing does (modelled).
 * Called only when a byte at the new address is really transferred, so
 * a burst that ends on a page boundary is no violation. */
static uint32_t next_addr(struct psram *p, uint32_t a, bool read_ahead)
{
	uint32_t n;
	uint32_t limit = p->part->max_pagecross_hz;

	if (p->wrap32)
		return (a & ~31U) | ((a + 1) & 31U);
	n = (a + 1) & ADDR_MASK;
	if (n % PSRAM_PAGE)
		return n;
	if (p->clk_hz > limit) {
		/* A read fetches the next byte before anyone samples it:
		 * report the crossing once that byte is clocked. */
		if (read_ahead)
			p->crossed = true;
		else
			violation(p, PSRAM_V_PAGECROSS, p->clk_hz,
				  "linear burst crosses a 1 KiB page at %.1f "
				  "MHz (datasheet: page crossing only up to "
				  "84 MHz)", p->clk_hz / 1e6);
		return a & ~(PSRAM_PAGE - 1);
	}
	if (p->faults.pagecross_max_hz && p->clk_hz > p->faults.pagecross_max_hz)
		return a & ~(PSRAM_PAGE - 1);
	return n;
}

/* Clock limit for the data phase of the current command. */
static void check_clock(struct psram *p)
{
	uint32_t limit = p->cmd->op == 0x03 ? p->part->max_read03_hz
			 : p->wrap32 ? p->part->max_wrap_hz
				     : p->part->max_linear_hz;

	p->overclocked = p->clk_hz > limit;
	if (p->overclocked)
		violation(p, PSRAM_V_CLOCK, p->clk_hz,
			  "SCLK %.1f MHz above the datasheet limit for "
			  "this command (ESPDS §10.5, APSDS p.1)",
			  p->clk_hz / 1e6);
	p->overclock_by_fault = p->faults.fmax_hz &&
				p->clk_hz > p->faults.fmax_hz;
}

/* CE# low past tCEM: the refresh the chip needed did not happen, so with
 * tcem=strict what moves from then on is lost. The violation counts from
 * this moment; its value (the whole time CE# was low) and its log line
 * come when CE# rises. */
static void check_tcem(struct psram *p, uint64_t t_ps)
{
	if (p->tcem_seen || t_ps - p->t_select <= p->part->t_cem_ps)
		return;
	p->tcem_seen = true;
	p->rules[PSRAM_V_TCEM].count++;
	if (p->faults.tcem_strict)
		p->lost = true;
}

static uint8_t fetch(struct psram *p, uint64_t t_ps)
{
	uint8_t v;

	check_tcem(p, t_ps);
	v = array_read(p, p->addr);
	if (p->overclocked || p->overclock_by_fault || p->lost)
		v ^= corruption(p);
	return v;
}

static void store(struct psram *p, uint8_t v, uint64_t t_ps)
{
	check_tcem(p, t_ps);
	if (p->lost)
		return;
	if (p->overclocked || p->overclock_by_fault)
		v ^= corruption(p);
	p->last_addr = p->addr;
	p->last_old = p->mem[map_addr(p, p->addr)];
	array_write(p, p->addr, v);
}

static void drive(struct psram *p, uint8_t *oe, uint8_t *out)
{
	unsigned lines = p->cmd->data_lines;

	if (lines == 4) {
		*oe = 0xF;
		*out = (uint8_t)((p->cur >> (p->cur_bits - 4)) & 0xF);
	} else {
		/* SPI mode: data out on SO = SIO1. */
		*oe = CHIP_SIO(1);
		*out = (uint8_t)(((p->cur >> (p->cur_bits - 1)) & 1) << 1);
	}
}

static uint8_t id_byte(struct psram *p)
{
	if (p->id_index < sizeof(p->id))
		return p->id[p->id_index++];
	/* Past the 8 ID bytes the datasheets say nothing: undefined. */
	return (uint8_t)rng_next(&p->noise);
}

static void start_data(struct psram *p, uint64_t t_ps, uint8_t *oe,
		       uint8_t *out)
{
	p->st = p->cmd->data;
	p->bits = 0;
	p->shift = 0;
	if (p->st == ST_READ) {
		check_clock(p);
		p->cur = fetch(p, t_ps);
		p->cur_bits = 8;
		drive(p, oe, out);
	} else if (p->st == ST_ID) {
		p->cur = id_byte(p);
		p->cur_bits = 8;
		drive(p, oe, out);
	} else if (p->st == ST_WRITE) {
		check_clock(p);
	}
}

static void decode(struct psram *p)
{
	p->cmd = NULL;
	for (unsigned i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].op == p->op && commands[i].qpi == p->qpi)
			p->cmd = &commands[i];
	/* Any other command cancels a pending reset enable (ESPDS §8). */
	if (p->op != 0x66 && p->op != 0x99)
		p->reset_enabled = false;
	if (!p->cmd) {
		/* A command of the other mode, or garbage: the part ignores
		 * it (e.g. a 1-line command sampled as nibbles in QPI). */
		sim_trace("%s: opcode 0x%02x not a %s command: ignored",
			  p->part->name, p->op, p->qpi ? "QPI" : "SPI");
		p->st = ST_IGNORE;
		return;
	}
	if (!p->initialised && p->op != 0x66 && p->op != 0x99)
		violation(p, PSRAM_V_NO_RESET, 0,
			  "command 0x%02x before the power-up reset 0x66/0x99 "
			  "(ESPDS §3, LYDS §9, IPSDS §7)", p->op);
	p->bits = 0;
	p->shift = 0;
	p->addr = 0;
	p->wait_left = p->cmd->wait;
	p->st = p->cmd->addr_lines ? ST_ADDR : p->cmd->data;
}

static void psram_select(void *ctx, uint64_t t_ps, uint32_t clk_hz)
{
	struct psram *p = ctx;

	p->t_select = t_ps;
	p->clk_hz = clk_hz;
	p->st = ST_CMD;
	p->bits = 0;
	p->shift = 0;
	p->cmd = NULL;
	p->op = 0;
	p->id_index = 0;
	p->overclocked = false;
	p->overclock_by_fault = false;
	p->lost = false;
	p->tcem_seen = false;
	p->crossed = false;
	p->stored = false;
	p->edge_seen = false;
	if (p->power_on_known && t_ps - p->t_power_on < p->part->t_pu_ps) {
		violation(p, PSRAM_V_POWERUP, t_ps - p->t_power_on,
			  "selected %.1f us after power-up, before the "
			  "150 us the datasheets require (ESPDS §3, LYDS §9, "
			  "IPSDS §7): ignored",
			  (double)(t_ps - p->t_power_on) / 1e6);
		p->st = ST_IGNORE;
	} else if (p->was_deselected &&
		   t_ps - p->t_deselect < p->part->t_cph_ps) {
		violation(p, PSRAM_V_TCPH, t_ps - p->t_deselect,
			  "CE# high for %.1f ns, less than tCPH "
			  "(ESPDS Table 10-5): command not taken",
			  (double)(t_ps - p->t_deselect) / 1e3);
		p->st = ST_IGNORE;
	}
}

static void psram_clock(void *ctx, uint64_t t_ps, uint8_t in, uint8_t *oe,
			uint8_t *out)
{
	struct psram *p = ctx;
	unsigned lines;

	*oe = 0;
	*out = 0;
	if (!p->edge_seen) {
		/* tCSP: CE# low before the first rising edge (ESPDS Table
		 * 10-5). With timing=strict the chip misses that edge and
		 * takes no command. */
		p->edge_seen = true;
		if (t_ps - p->t_select < p->part->t_csp_ps &&
		    p->st != ST_IGNORE) {
			violation(p, PSRAM_V_TCSP, t_ps - p->t_select,
				  "first SCLK edge %.2f ns after CE# fell, "
				  "less than tCSP (ESPDS Table 10-5)",
				  (double)(t_ps - p->t_select) / 1e3);
			if (p->faults.timing_strict)
				p->st = ST_IGNORE;
		}
	}
	p->t_last_edge = t_ps;
	switch (p->st) {
	case ST_CMD:
		lines = p->qpi ? 4 : 1;
		p->shift = p->shift << lines | (in & ((1U << lines) - 1));
		p->bits += lines;
		if (p->bits == 8) {
			p->op = (uint8_t)p->shift;
			decode(p);
		}
		return;
	case ST_ADDR:
		lines = p->cmd->addr_lines;
		p->shift = p->shift << lines | (in & ((1U << lines) - 1));
		p->bits += lines;
		if (p->bits < 24)
			return;
		/* 24 address bits; A23 is not decoded (ESPDS §5.1). */
		p->addr = p->shift & ADDR_MASK;
		if (p->wait_left) {
			p->st = ST_WAIT;
			return;
		}
		start_data(p, t_ps, oe, out);
		return;
	case ST_WAIT:
		if (--p->wait_left == 0)
			start_data(p, t_ps, oe, out);
		return;
	case ST_READ:
	case ST_ID:
		if (p->crossed) {
			/* The byte past the page boundary is really being
			 * clocked out: the burst did cross. */
			p->crossed = false;
			violation(p, PSRAM_V_PAGECROSS, p->clk_hz,
				  "linear burst crosses a 1 KiB page at %.1f MHz "
				  "(datasheet: page crossing only up to 84 MHz)",
				  p->clk_hz / 1e6);
		}
		p->cur_bits -= p->cmd->data_lines;
		if (!p->cur_bits) {
			/* SDR: the next byte's first bits go out on this
			 * falling edge. */
			if (p->st == ST_READ) {
				p->addr = next_addr(p, p->addr, true);
				p->cur = fetch(p, t_ps);
			} else {
				p->cur = id_byte(p);
			}
			p->cur_bits = 8;
		}
		drive(p, oe, out);
		return;
	case ST_WRITE:
		lines = p->cmd->data_lines;
		/* The address moves on when the next byte starts, so a
		 * burst ending on a page boundary crosses nothing. */
		if (!p->bits && p->stored)
			p->addr = next_addr(p, p->addr, false);
		p->shift = p->shift << lines | (in & ((1U << lines) - 1));
		p->bits += lines;
		if (p->bits == 8) {
			store(p, (uint8_t)p->shift, t_ps);
			p->stored = true;
			p->bits = 0;
			p->shift = 0;
		}
		return;
	case ST_DONE:
	case ST_IGNORE:
		return;
	}
}

static void reset(struct psram *p)
{
	/* ESPDS §8, LYDS §14, IPSDS §12: back to SPI standby. Whether the
	 * wrap setting returns to linear is not stated; the power-up value
	 * is assumed. */
	p->qpi = false;
	p->wrap32 = false;
	p->initialised = true;
	p->reset_enabled = false;
}

static void psram_deselect(void *ctx, uint64_t t_ps)
{
	struct psram *p = ctx;

	/* Held low past tCEM even with no data moving (a stalled FIFO, an
	 * idle memory-mapped prefetch): refresh was blocked all that time.
	 * Counted with the whole time CE# was low. */
	if (p->st != ST_IGNORE && t_ps - p->t_select > p->part->t_cem_ps) {
		/* Counted once: when it was noticed, or now. */
		if (p->tcem_seen)
			p->rules[PSRAM_V_TCEM].count--;
		violation(p, PSRAM_V_TCEM, t_ps - p->t_select,
			  "CE# low for %.2f us, longer than tCEM (ESPDS §5.5, "
			  "LYDS §10.6, IPSDS §8.6)",
			  (double)(t_ps - p->t_select) / 1e6);
	}
	/* tCHD: CE# held after the last rising edge so the chip finishes
	 * the last byte (ESPDS Table 10-5, §5.5); with timing=strict the
	 * last byte of a write is not stored. */
	if (p->edge_seen && p->st != ST_IGNORE &&
	    t_ps - p->t_last_edge < p->part->t_chd_ps) {
		violation(p, PSRAM_V_TCHD, t_ps - p->t_last_edge,
			  "CE# rose %.2f ns after the last SCLK edge, less "
			  "than tCHD (ESPDS Table 10-5)",
			  (double)(t_ps - p->t_last_edge) / 1e3);
		if (p->faults.timing_strict && p->st == ST_WRITE &&
		    p->stored && !p->bits)
			array_write(p, p->last_addr, p->last_old);
	}

	/* Mode commands take effect when CE# rises after a whole opcode. */
	if (p->cmd && p->cmd->data == ST_DONE && p->st == ST_DONE) {
		switch (p->op) {
		case 0x35:
			p->qpi = true;
			break;
		case 0xF5:
			p->qpi = false;
			break;
		case 0x66:
			p->reset_enabled = true;
			break;
		case 0x99:
			if (p->reset_enabled)
				reset(p);
			break;
		case 0xC0:
			p->wrap32 = !p->wrap32;
			break;
		}
	} else if (p->st == ST_CMD && p->bits) {
		sim_trace("%s: CE# rose after %u opcode bits: command dropped",
			  p->part->name, p->bits);
	}
	p->st = ST_CMD;
	p->cmd = NULL;
	p->bits = 0;
	p->was_deselected = true;
	p->t_deselect = t_ps;
}

static void psram_destroy(void *ctx)
{
	struct psram *p = ctx;

	free(p->mem);
	free(p);
}

static const struct chip_ops psram_ops = {
	.select = psram_select,
	.clock = psram_clock,
	.deselect = psram_deselect,
	.destroy = psram_destroy,
};

struct chip *psram_new(enum chip_kind part, const struct fault_set *fs,
		       uint64_t seed)
{
	const struct psram_part *pp = NULL;
	struct psram *p;
	struct rng r;

	for (unsigned i = 0; i < psram_part_count; i++)
		if (psram_parts[i].kind == part)
			pp = &psram_parts[i];
	if (!pp)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->mem = malloc(PSRAM_SIZE);
	if (!p->mem) {
		free(p);
		return NULL;
	}
	p->part = pp;
	if (fs)
		p->faults = *fs;
	else
		fault_set_init(&p->faults);
	p->faults.chip = part;
	/* Power-up contents are undefined: seeded noise. */
	rng_seed_stream(&r, seed, "psram-array");
	for (uint32_t a = 0; a < PSRAM_SIZE; a += 8) {
		uint64_t v = rng_next(&r);

		memcpy(p->mem + a, &v, 8);
	}
	/* LYDS Table 4, IPSDS Table 3: MF 0x0D, KGD 0x5D pass / 0x55 fail,
	 * EID[47:45] = 010 for 64 Mbit; the rest is die-specific. The seed
	 * alone picks it, so the four vendors look alike. */
	rng_seed_stream(&r, seed, "psram-eid");
	p->id[0] = 0x0D;
	p->id[1] = p->faults.kgd_fail ? 0x55 : 0x5D;
	for (int i = 2; i < 8; i++)
		p->id[i] = (uint8_t)rng_next(&r);
	p->id[2] = (uint8_t)((p->id[2] & 0x1F) | 0x40);
	rng_seed_stream(&p->noise, seed, "psram-noise");
	rng_seed_stream(&p->flips, seed, "psram-flips");
	p->flip_skip = draw_flip_skip(p);
	p->chip.ops = &psram_ops;
	p->chip.ctx = p;
	p->chip.kind = part;
	p->chip.name = pp->name;
	p->chip.t_out_ps = pp->t_aclk_ps;
	p->st = ST_CMD;
	return &p->chip;
}

struct psram *psram_of(struct chip *chip)
{
	return chip && chip->ops == &psram_ops ? chip->ctx : NULL;
}

bool psram_in_qpi(const struct psram *p)
{
	return p->qpi;
}

bool psram_wrap32(const struct psram *p)
{
	return p->wrap32;
}

void psram_id(const struct psram *p, uint8_t id[8])
{
	memcpy(id, p->id, 8);
}

uint8_t psram_peek(const struct psram *p, uint32_t addr)
{
	return p->mem[addr & ADDR_MASK];
}

void psram_poke(struct psram *p, uint32_t addr, uint8_t value)
{
	p->mem[addr & ADDR_MASK] = value;
}

void psram_power_on(struct psram *p, uint64_t t_ps)
{
	p->power_on_known = true;
	p->t_power_on = t_ps;
	p->qpi = false;
	p->wrap32 = false;
	p->initialised = false;
	p->reset_enabled = false;
	p->was_deselected = false;
}

unsigned long psram_violations(const struct psram *p,
			       enum psram_violation v)
{
	return v < PSRAM_VIOLATIONS ? p->rules[v].count : 0;
}

struct psram_rule_stats psram_rule_stats(const struct psram *p,
					 enum psram_violation v)
{
	struct psram_rule_stats none = {0, 0};

	return v < PSRAM_VIOLATIONS ? p->rules[v] : none;
}

void psram_print_stats(const struct psram *p, FILE *out)
{
	fprintf(out, "psramsim: stats: %s timing rules broken:", p->part->name);
	for (unsigned v = 0; v < PSRAM_VIOLATIONS; v++) {
		const struct psram_rule_stats *r = &p->rules[v];

		if (v == PSRAM_V_CLOCK || v == PSRAM_V_PAGECROSS)
			fprintf(out, " %s=%lu(worst %.1f MHz)",
				psram_violation_names[v], r->count,
				r->worst / 1e6);
		else if (v == PSRAM_V_NO_RESET)
			fprintf(out, " %s=%lu", psram_violation_names[v],
				r->count);
		else
			fprintf(out, " %s=%lu(worst %.3f us)",
				psram_violation_names[v], r->count,
				r->worst / 1e6);
	}
	fputs(" (modelled)\n", out);
}
