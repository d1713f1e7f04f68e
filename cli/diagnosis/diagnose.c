#include "diagnosis/diagnose.h"

#include <stdio.h>
#include <string.h>

#include "util/strbuf.h"
#include "stub_abi.h"

/* The chip's pin for each signal (docs/psram-chips.md §1: CE# 1, SO/SIO1 2,
 * SIO2 3, SI/SIO0 5, SCLK 6, SIO3 7). */
static const struct {
	const char *signal;
	int chip_pin;
	const char *chip_name;
} pin_info[DIAG_PINS] = {
	[STUB_PIN_CLK] = {"CLK", 6, "SCLK"},
	[STUB_PIN_NCS] = {"CE#", 1, "CE#"},
	[STUB_PIN_IO0] = {"IO0", 5, "SI/SIO0"},
	[STUB_PIN_IO1] = {"IO1", 2, "SO/SIO1"},
	[STUB_PIN_IO2] = {"IO2", 3, "SIO2"},
	[STUB_PIN_IO3] = {"IO3", 7, "SIO3"},
};

const char *diag_kind_name(enum diag_kind kind)
{
	switch (kind) {
	case DIAG_NO_CHIP:
		return "no-chip";
	case DIAG_WRONG_CHIP:
		return "wrong-chip";
	case DIAG_KGD_FAIL:
		return "kgd-fail";
	case DIAG_IO_OPEN:
		return "io-open";
	case DIAG_IO_STUCK:
		return "io-stuck";
	case DIAG_IO_SHORT:
		return "io-short";
	case DIAG_ADDR_STUCK:
		return "addr-stuck";
	case DIAG_ADDR_SHORT:
		return "addr-short";
	case DIAG_CELL:
		return "cell";
	case DIAG_RANDOM_ERRORS:
		return "random-errors";
	case DIAG_CLOCK_LIMIT:
		return "clock-limit";
	case DIAG_PAGE_CROSS:
		return "page-cross";
	case DIAG_MAPPED:
		return "mapped";
	case DIAG_BUS_SPEED:
		return "bus-speed";
	}
	return "unknown";
}

/* ---- gathering evidence -------------------------------------------------*/

static uint32_t sat_add(uint32_t a, uint32_t b)
{
	return a > UINT32_MAX - b ? UINT32_MAX : a + b;
}

void diag_bus_add_bits(struct diag_bus *b, uint32_t bit, uint32_t a,
		       uint32_t rb, uint32_t rc)
{
	struct diag_bitstat *s = &b->bit[bit % 8u];

	s->n0 = sat_add(s->n0, a & 0xffffu);
	s->n1 = sat_add(s->n1, a >> 16);
	s->e01 = sat_add(s->e01, rb);
	s->e10 = sat_add(s->e10, rc);
	b->have = 1;
}

void diag_bus_add_spot(struct diag_bus *b, uint32_t offset)
{
	for (uint32_t i = 0; i < b->nspots; i++)
		if (b->spot[i] == offset)
			return;
	if (b->nspots < DIAG_BUS_SPOTS)
		b->spot[b->nspots++] = offset;
}

int diag_bus_clean(const struct diag_bus *b)
{
	if (!b->have)
		return 0;
	if (b->nspots <= DIAG_BUS_CELL_SPOTS)
		return 1;
	for (int k = 0; k < 8; k++)
		if (b->bit[k].e01 || b->bit[k].e10)
			return 0;
	return 1;
}

/* The bit k with base + 2^k == off, or -1. */
static int power_bit(uint32_t off, uint32_t base)
{
	uint32_t d = off - base;

	if (off <= base || (d & (d - 1u)))
		return -1;
	return __builtin_ctz(d);
}

/* j < k with base + 2^j + 2^k == off (j returned), or -1. */
static int sum_bits(uint32_t off, uint32_t base, int *k)
{
	uint32_t d = off - base, low, rest;

	if (off <= base)
		return -1;
	low = d & (~d + 1u);
	rest = d & ~low;
	if (!rest || (rest & (rest - 1u)))
		return -1;
	*k = __builtin_ctz(rest);
	return __builtin_ctz(low);
}

void diag_addr_add(struct diag_addr *a, uint32_t written, uint32_t changed,
		   uint32_t base)
{
	int jw = power_bit(written, base), jc = power_bit(changed, base);
	int k = -1, j;

	a->have = 1;
	if (written == base && jc >= 0)
		a->to_base |= 1u << jc;
	else if (changed == base && jw >= 0)
		a->to_base |= 1u << jw;
	else if (jw >= 0 && jc >= 0)
		a->pair[jw] |= 1u << jc, a->pair[jc] |= 1u << jw;
	else if (changed == base && (j = sum_bits(written, base, &k)) >= 0)
		a->sum[j] |= 1u << k, a->sum[k] |= 1u << j;
	else
		a->other++;
}

void diag_pins_add(struct diag_pins *p, uint32_t code, uint32_t pull,
		   uint32_t levels)
{
	uint32_t pin = code & 0xffu, level = (code >> 8) & 1u;
	int pu = pull == STUB_PULL_UP ? DIAG_UP : DIAG_DOWN;

	if (pull != STUB_PULL_UP && pull != STUB_PULL_DOWN)
		return;
	if (pin == STUB_PIN_NONE) {
		p->idle[pu] = (uint8_t)levels;
		p->seen |= 1u << pu;
	} else if (pin < DIAG_PINS) {
		p->drive[pu][pin][level] = (uint8_t)levels;
		p->seen |= 1u << (2u + (uint32_t)pu * 12u + pin * 2u + level);
	}
	if (p->seen == (1u << 26) - 1u)
		p->have = 1;
}

/* ---- building the result ------------------------------------------------*/

struct ctx {
	const struct diag_evidence *ev;
	struct diag_result *out;
	uint8_t bad_pins;	/* pins with a stuck or short fault */
	int chip_silent;	/* no-chip reported */
	int blocked;		/* the chip cannot be read: memory untested */
};

static struct diag_fault *add(struct ctx *c, enum diag_kind kind)
{
	struct diag_result *o = c->out;
	struct diag_fault *f;

	if (o->n == DIAG_MAX_FAULTS) {
		o->multiple = 1;
		return NULL;
	}
	f = &o->faults[o->n++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->line = -1;
	f->pin = -1;
	f->level = DIAG_LEVEL_UNKNOWN;
	f->bit = -1;
	return f;
}

static int has(const struct ctx *c, enum diag_kind kind)
{
	for (size_t i = 0; i < c->out->n; i++)
		if (c->out->faults[i].kind == kind)
			return 1;
	return 0;
}

/* "IO2 (chip pin 3 SIO2, PE2)" */
static void pin_text(const struct ctx *c, int pin, char *buf, size_t n)
{
	const char *mcu = c->ev->pin_names[pin];

	snprintf(buf, n, "%s (chip pin %d %s%s%s)", pin_info[pin].signal,
		 pin_info[pin].chip_pin, pin_info[pin].chip_name,
		 mcu ? ", MCU " : "", mcu ? mcu : "");
}

static int bit_of(uint8_t v, int n)
{
	return (v >> n) & 1;
}

/* ---- pins: stuck and bridged ----*/

/* The level a pin reads whatever it drives and whatever the pull, or -1. */
static int pin_stuck(const struct diag_pins *p, int pin)
{
	int lv = bit_of(p->drive[DIAG_UP][pin][0], pin);

	for (int pu = 0; pu < 2; pu++)
		for (int l = 0; l < 2; l++)
			if (bit_of(p->drive[pu][pin][l], pin) != lv)
				return -1;
	if (bit_of(p->idle[DIAG_UP], pin) != lv ||
	    bit_of(p->idle[DIAG_DOWN], pin) != lv)
		return -1;
	return lv;
}

/* q follows a driven p against its own pull, with both pulls. nCS is
 * held high while another pin is driven: it can only follow as the
 * driven one. */
static int pin_follows(const struct diag_pins *p, int q, int drv)
{
	if (q == STUB_PIN_NCS)
		return 0;
	return bit_of(p->drive[DIAG_UP][drv][0], q) == 0 &&
	       bit_of(p->drive[DIAG_DOWN][drv][1], q) == 1;
}

static void stuck_fault(struct ctx *c, int pin, int level)
{
	struct diag_fault *f = add(c, DIAG_IO_STUCK);
	char a[96];

	c->bad_pins |= (uint8_t)(1u << pin);
	if (!f)
		return;
	f->pin = pin;
	f->line = pin >= STUB_PIN_IO0 ? pin - STUB_PIN_IO0 : -1;
	f->level = level;
	pin_text(c, pin, a, sizeof(a));
	snprintf(f->words, sizeof(f->words),
		 "%s is stuck at %d: it reads %d whatever the MCU drives or "
		 "pulls",
		 a, level, level);
	snprintf(f->check, sizeof(f->check),
		 "look for a bridge from chip pin %d to %s (pin %d) or to a "
		 "neighbour held %s; check the MCU pin's joint",
		 pin_info[pin].chip_pin, level ? "VCC" : "VSS", level ? 8 : 4,
		 level ? "high" : "low");
}

static void short_fault(struct ctx *c, uint8_t group)
{
	struct diag_fault *f = add(c, DIAG_IO_SHORT);
	struct strbuf names, chip_pins;

	c->bad_pins |= group;
	if (!f)
		return;
	f->pins = group;
	sb_init(&names);
	sb_init(&chip_pins);
	for (int k = 0; k < DIAG_PINS; k++) {
		if (!(group & (1u << k)))
			continue;
		sb_addf(&names, "%s%s", names.len ? " and " : "",
			pin_info[k].signal);
		sb_addf(&chip_pins, "%s%d", chip_pins.len ? ", " : "",
			pin_info[k].chip_pin);
	}
	snprintf(f->words, sizeof(f->words),
		 "%s are shorted: when one is driven the other follows it "
		 "against its own pull",
		 names.buf);
	snprintf(f->check, sizeof(f->check),
		 "look for a solder bridge between chip pins %s and between "
		 "the MCU pins they go to",
		 chip_pins.buf);
	sb_release(&names);
	sb_release(&chip_pins);
}

/* Pins tied to a rail, then groups of pins bridged to each other. */
static void pins_faults(struct ctx *c)
{
	const struct diag_pins *p = &c->ev->pins;
	uint8_t group[DIAG_PINS];
	int stuck[DIAG_PINS];

	if (!p->have)
		return;
	for (int i = 0; i < DIAG_PINS; i++) {
		group[i] = (uint8_t)(1u << i);
		stuck[i] = pin_stuck(p, i);
		if (stuck[i] >= 0)
			stuck_fault(c, i, stuck[i]);
	}
	for (int i = 0; i < DIAG_PINS; i++)
		for (int k = i + 1; k < DIAG_PINS; k++) {
			uint8_t g = group[i] | group[k];

			if (stuck[i] >= 0 || stuck[k] >= 0 ||
			    (!pin_follows(p, k, i) && !pin_follows(p, i, k)))
				continue;
			for (int m = 0; m < DIAG_PINS; m++)
				if (group[m] & g)
					group[m] = g;
		}
	for (int i = 0; i < DIAG_PINS; i++) {
		uint8_t g = group[i];

		/* alone, or reported with a lower pin */
		if ((g & (g - 1u)) && !(g & ((1u << i) - 1u)))
			short_fault(c, g);
	}
	if (c->bad_pins)
		c->blocked = 1;
}

/* ---- what the data lines did ----*/

/* A line carries the chip's drive when it reads against both pulls. */
static uint8_t lines_carrying(const struct diag_lines *l)
{
	uint8_t m = 0;

	for (int n = 0; n < DIAG_LINES; n++)
		if (l->against[DIAG_UP][n] && l->against[DIAG_DOWN][n])
			m |= (uint8_t)(1u << n);
	return m;
}

static uint8_t lines_silent(const struct diag_lines *l)
{
	uint8_t m = 0;

	for (int n = 0; n < DIAG_LINES; n++)
		if (!l->against[DIAG_UP][n] && !l->against[DIAG_DOWN][n])
			m |= (uint8_t)(1u << n);
	return m;
}

static int bit_follows(const struct diag_bitstat *s, int pull)
{
	if (!s->n0 || !s->n1)
		return 0;
	return pull == DIAG_UP ? s->e01 == s->n0 && s->e10 == 0
			       : s->e10 == s->n1 && s->e01 == 0;
}

/* A QPI line that read its pull in both data-bus runs. */
static uint8_t bus_pulled(const struct diag_evidence *ev)
{
	const struct diag_bus *up = &ev->bus[DIAG_QPI][DIAG_UP];
	const struct diag_bus *dn = &ev->bus[DIAG_QPI][DIAG_DOWN];
	uint8_t m = 0;

	if (!up->have || !dn->have)
		return 0;
	for (int n = 0; n < DIAG_LINES; n++)
		if (bit_follows(&up->bit[n], DIAG_UP) &&
		    bit_follows(&up->bit[n + 4], DIAG_UP) &&
		    bit_follows(&dn->bit[n], DIAG_DOWN) &&
		    bit_follows(&dn->bit[n + 4], DIAG_DOWN))
			m |= (uint8_t)(1u << n);
	return m;
}

/* 1 clean, 0 errors, -1 not run. */
static int bus_mode_clean(const struct diag_evidence *ev, int mode)
{
	int ran = 0;

	for (int pu = 0; pu < 2; pu++) {
		const struct diag_bus *b = &ev->bus[mode][pu];

		if (!b->have)
			continue;
		ran = 1;
		if (!diag_bus_clean(b))
			return 0;
	}
	return ran ? 1 : -1;
}

/* ---- the chip: identity ----*/

static void hex_bytes(char *buf, size_t n, const uint8_t *b, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < len && at + 2 < n; i++)
		at += (size_t)snprintf(buf + at, n - at, "%02x", b[i]);
}

static void chip_faults(struct ctx *c)
{
	const struct eid_report *e = c->ev->eid;
	struct diag_fault *f;

	if (!e)
		return;
	if (e->chip == EID_CHIP_FLASH) {
		f = add(c, DIAG_WRONG_CHIP);
		c->blocked = 1;
		if (!f)
			return;
		hex_bytes(f->id, sizeof(f->id), e->jedec, 3);
		if (e->flash_part)
			snprintf(f->words, sizeof(f->words),
				 "the old %s flash is still fitted (JEDEC ID "
				 "%02X %02X %02X)",
				 e->flash_part, e->jedec[0], e->jedec[1],
				 e->jedec[2]);
		else
			snprintf(f->words, sizeof(f->words),
				 "a %s flash chip is fitted, not a PSRAM "
				 "(JEDEC ID %02X %02X %02X)",
				 e->flash_maker ? e->flash_maker : "SPI NOR",
				 e->jedec[0], e->jedec[1], e->jedec[2]);
		snprintf(f->check, sizeof(f->check),
			 "replace it with the PSRAM (ESP-PSRAM64H, LY68L6400, "
			 "APS6404L or IPS6404L)");
		return;
	}
	/* An ID nobody knows, from a chip that otherwise reads and writes
	 * right: another part. Through broken lines or at a clock the chip
	 * cannot take, any ID comes out garbled. */
	if (e->chip == EID_CHIP_UNKNOWN && !c->bad_pins &&
	    (bus_mode_clean(c->ev, DIAG_SPI) == 1 ||
	     bus_mode_clean(c->ev, DIAG_QPI) == 1) &&
	    e->eid[0] != EID_MAKER_AP_MEMORY) {
		f = add(c, DIAG_WRONG_CHIP);
		c->blocked = 1;
		if (!f)
			return;
		hex_bytes(f->id, sizeof(f->id), e->eid, 8);
		snprintf(f->words, sizeof(f->words),
			 "the chip answers with an ID no PSRAM has (%s)", f->id);
		snprintf(f->check, sizeof(f->check),
			 "check the part number on the package");
		return;
	}
	if (e->chip == EID_CHIP_PSRAM && e->kgd == 0) {
		f = add(c, DIAG_KGD_FAIL);
		if (!f)
			return;
		memcpy(f->eid, e->eid, 8);
		snprintf(f->words, sizeof(f->words),
			 "the chip reports a failed known-good-die byte (KGD "
			 "0x%02X, a good die has 0x5D): its maker marked the "
			 "die as failed",
			 e->eid[1]);
		snprintf(f->check, sizeof(f->check),
			 "replace the chip; do not use parts from that batch");
	}
}

/* ---- data lines: open, or nothing there ----*/

static void open_fault(struct ctx *c, int line, const char *how)
{
	struct diag_fault *f = add(c, DIAG_IO_OPEN);
	int pin = STUB_PIN_IO0 + line;
	char a[96];

	if (!f)
		return;
	f->line = line;
	f->pin = pin;
	pin_text(c, pin, a, sizeof(a));
	snprintf(f->words, sizeof(f->words),
		 "%s is open: it follows the MCU's pull-up and pull-down "
		 "and never carries the chip's drive%s",
		 a, how);
	snprintf(f->check, sizeof(f->check),
		 "reflow chip pin %d (%s) and the MCU pin%s%s; check the "
		 "trace between them",
		 pin_info[pin].chip_pin, pin_info[pin].chip_name,
		 c->ev->pin_names[pin] ? " " : "",
		 c->ev->pin_names[pin] ? c->ev->pin_names[pin] : "");
}

static void no_chip(struct ctx *c)
{
	struct diag_fault *f = add(c, DIAG_NO_CHIP);

	c->chip_silent = 1;
	c->blocked = 1;
	if (!f)
		return;
	snprintf(f->words, sizeof(f->words),
		 "no chip answers on the bus: no data line ever carries a "
		 "level the chip drives, and the ID reads as the MCU's pulls");
	snprintf(f->check, sizeof(f->check),
		 "is the chip fitted, pin 1 (CE#) to the dot, and powered (VCC "
		 "pin 8, VSS pin 4)? Then the CE# (pin 1), SCLK (pin 6) and "
		 "SI/SIO0 (pin 5) joints");
}

static void line_faults(struct ctx *c)
{
	const struct diag_evidence *ev = c->ev;
	const struct diag_lines *l = &ev->lines;
	const struct eid_report *e = ev->eid;
	int answered = e && (e->chip == EID_CHIP_PSRAM ||
			     e->chip == EID_CHIP_FLASH);
	uint8_t open = 0;
	const char *how = "";

	if (has(c, DIAG_WRONG_CHIP))
		return;
	if (l->have[DIAG_UP] && l->have[DIAG_DOWN] && l->bits) {
		uint8_t carrying = lines_carrying(l);

		/* A chip that never answers may not hear through the faults
		 * the pins showed; without them, nothing is there. */
		if (!carrying && !answered && !c->bad_pins &&
		    bus_mode_clean(ev, DIAG_SPI) != 1 &&
		    bus_mode_clean(ev, DIAG_QPI) != 1) {
			no_chip(c);
			return;
		}
		/* Once the chip answers, a line that never carries its
		 * drive is open. */
		if (carrying)
			open = lines_silent(l);
		how = " in QPI reads";
	} else if (c->bad_pins) {
		return;
	} else if (ev->bus[DIAG_QPI][DIAG_UP].have) {
		open = bus_pulled(ev);
		if (open == 0xfu && !answered &&
		    bus_mode_clean(ev, DIAG_SPI) != 1) {
			no_chip(c);
			return;
		}
		if (open == 0xfu)
			open = 0;
		how = " in the data-bus test";
	} else if (e && e->chip == EID_CHIP_NONE) {
		no_chip(c);
		return;
	}
	open &= (uint8_t)~(c->bad_pins >> STUB_PIN_IO0);
	for (int n = 0; n < DIAG_LINES; n++)
		if (open & (1u << n))
			open_fault(c, n, how);
	/* IO0 and IO1 carry every SPI command and answer, and the address
	 * in QPI on all four: with one of them open the array cannot be
	 * read. An open IO2 or IO3 leaves SPI mode. */
	if (open & 0x3u)
		c->blocked = 1;
	if (open && (open & 0xcu) && bus_mode_clean(ev, DIAG_SPI) == 0)
		c->blocked = 1;
}

/* ---- address bits ----*/

static void addr_words(struct diag_fault *f, uint32_t a, uint32_t b,
		       const char *what)
{
	snprintf(f->words, sizeof(f->words),
		 "%s: 0x%06x and 0x%06x alias (a write to one shows at the "
		 "other)",
		 what, (unsigned)a, (unsigned)b);
	snprintf(f->check, sizeof(f->check),
		 "the address decoding inside the chip is faulty (the data "
		 "lines carrying the address test good): replace the chip");
}

static void addr_faults(struct ctx *c)
{
	const struct diag_addr *a = &c->ev->addr;
	uint32_t s = a->to_base & a->covered, in_short = 0;
	char what[128];

	if (!a->have)
		return;
	for (int j = 0; j < 32; j++)
		for (int k = j + 1; k < 32; k++) {
			struct diag_fault *f;
			int and_short = (s >> j & 1u) && (s >> k & 1u) &&
					!(a->sum[j] >> k & 1u);
			int or_short = !(s >> j & 1u) && !(s >> k & 1u) &&
				       ((a->pair[j] >> k) & 1u);

			if (!and_short && !or_short)
				continue;
			in_short |= 1u << j | 1u << k;
			f = add(c, DIAG_ADDR_SHORT);
			if (!f)
				continue;
			f->bits = 1u << j | 1u << k;
			snprintf(what, sizeof(what),
				 "address bits %d and %d are tied", j, k);
			addr_words(f, 1u << j, 1u << k, what);
		}
	for (int k = 0; k < 32; k++) {
		struct diag_fault *f;

		if (!(s & (1u << k)) || (in_short & (1u << k)))
			continue;
		f = add(c, DIAG_ADDR_STUCK);
		if (!f)
			continue;
		f->bit = k;
		snprintf(what, sizeof(what),
			 "address bit %d is stuck (at 0 or at 1: from outside "
			 "the two look alike)",
			 k);
		addr_words(f, 0, 1u << k, what);
	}
	if (a->other)
		c->out->multiple = 1;
}

/* ---- clock ----
 * A clock fails when bytes go wrong there in numbers: at least
 * CLOCK_MIN_WRONG of them and at least 1/CLOCK_RATE_DIV of those checked,
 * and CLOCK_OVER_BASE times the rate of the cleanest clock. Random errors
 * strike every clock alike and fail none; a clock the chip or the board
 * cannot take corrupts most of what moves. A limit needs a clock that
 * passes below the one that fails: what fails everywhere is no clock
 * limit. */

#define CLOCK_MIN_WRONG 16u
#define CLOCK_RATE_DIV 64u
#define CLOCK_OVER_BASE 16.0
#define CLOCK_GARBAGE 0.25	/* bytes wrong everywhere: no data at all */

static int wrong_in_numbers(uint32_t checked, uint32_t wrong)
{
	return wrong >= CLOCK_MIN_WRONG &&
	       (uint64_t)wrong * CLOCK_RATE_DIV >= checked;
}

int diag_clock_data_ok(const struct diag_clock_point *p)
{
	return p->data_checked && !wrong_in_numbers(p->data_checked,
						     p->data_wrong);
}

int diag_clock_page_ok(const struct diag_clock_point *p)
{
	return !p->page_checked ||
	       !wrong_in_numbers(p->page_checked, p->page_wrong);
}

static double rate(uint32_t checked, uint32_t wrong)
{
	return checked ? (double)wrong / checked : 0;
}

static int point_fails(uint32_t checked, uint32_t wrong, double base)
{
	return checked && wrong_in_numbers(checked, wrong) &&
	       rate(checked, wrong) > CLOCK_OVER_BASE * base;
}

static void clock_faults(struct ctx *c)
{
	const struct diag_clock *ck = &c->ev->clock;
	uint32_t fail_d = 0, fail_p = 0, max_d = 0, max_p = 0;
	double base_d = 1, base_p = 1;
	struct diag_fault *f;

	for (size_t i = 0; i < ck->n; i++) {
		const struct diag_clock_point *p = &ck->pt[i];

		if (p->data_checked &&
		    rate(p->data_checked, p->data_wrong) < base_d)
			base_d = rate(p->data_checked, p->data_wrong);
		if (p->page_checked &&
		    rate(p->page_checked, p->page_wrong) < base_p)
			base_p = rate(p->page_checked, p->page_wrong);
	}
	for (size_t i = 0; i < ck->n; i++) {
		const struct diag_clock_point *p = &ck->pt[i];

		if (point_fails(p->data_checked, p->data_wrong, base_d)) {
			if (!fail_d || p->clock_hz < fail_d)
				fail_d = p->clock_hz;
		} else if (point_fails(p->page_checked, p->page_wrong,
				       base_p)) {
			if (!fail_p || p->clock_hz < fail_p)
				fail_p = p->clock_hz;
		}
	}
	for (size_t i = 0; i < ck->n; i++) {
		const struct diag_clock_point *p = &ck->pt[i];
		int data_ok = p->data_checked &&
			      !point_fails(p->data_checked, p->data_wrong,
					   base_d);

		if (data_ok && (!fail_d || p->clock_hz < fail_d) &&
		    p->clock_hz > max_d)
			max_d = p->clock_hz;
		if (data_ok && p->page_checked &&
		    !point_fails(p->page_checked, p->page_wrong, base_p) &&
		    (!fail_p || p->clock_hz < fail_p) && p->clock_hz > max_p)
			max_p = p->clock_hz;
	}
	if (fail_d && max_d) {
		f = add(c, DIAG_CLOCK_LIMIT);
		if (f) {
			f->max_hz = max_d;
			f->fail_hz = fail_d;
			snprintf(f->words, sizeof(f->words),
				 "data go wrong above %.3g MHz: transfers at "
				 "%.3g MHz have wrong bytes",
				 max_d / 1e6, fail_d / 1e6);
			snprintf(f->check, sizeof(f->check),
				 "run the memory at %.3g MHz at most; look at "
				 "trace length, series resistors and the SCLK "
				 "joint (chip pin 6)",
				 max_d / 1e6);
		}
	} else if (ck->n && base_d >= CLOCK_GARBAGE && !c->ev->mem.have &&
		   !c->out->n) {
		/* Garbage at every clock, with sound pins and lines: the
		 * chip is driven, but no clock it can take was found. */
		for (size_t i = 0; i < ck->n; i++)
			if (!fail_d || ck->pt[i].clock_hz < fail_d)
				fail_d = ck->pt[i].clock_hz;
		f = add(c, DIAG_CLOCK_LIMIT);
		if (f) {
			f->fail_hz = fail_d;
			snprintf(f->words, sizeof(f->words),
				 "data go wrong at every clock tested, down to "
				 "%.3g MHz, though every line carries the chip's "
				 "drive",
				 fail_d / 1e6);
			snprintf(f->check, sizeof(f->check),
				 "the SCLK joint (chip pin 6), the supply and "
				 "ground; try a much slower clock with --clock");
		}
	} else if (fail_d) {
		c->out->multiple = 1;
	}
	if (fail_p && max_p && (!fail_d || fail_p < fail_d)) {
		f = add(c, DIAG_PAGE_CROSS);
		if (f) {
			f->max_hz = max_p;
			f->fail_hz = fail_p;
			snprintf(f->words, sizeof(f->words),
				 "bursts that cross a 1 KB page fail above "
				 "%.3g MHz (at %.3g MHz), while bursts within "
				 "a page pass",
				 max_p / 1e6, fail_p / 1e6);
			snprintf(f->check, sizeof(f->check),
				 "split transfers at 1 KiB boundaries above "
				 "%.3g MHz, or run at %.3g MHz at most",
				 max_p / 1e6, max_p / 1e6);
		}
	}
}

/* The clock-limit fault's highest passing clock, or 0. */
static uint32_t clock_limit(const struct ctx *c)
{
	for (size_t i = 0; i < c->out->n; i++)
		if (c->out->faults[i].kind == DIAG_CLOCK_LIMIT)
			return c->out->faults[i].max_hz ? c->out->faults[i].max_hz
							: 1;
	return 0;
}

/* ---- cells and random errors ----*/

#define PAGE_TEST 4u	/* STUB_TEST_PAGE's bit number */

struct cell {
	uint32_t address;
	uint8_t bit;
	uint8_t level;
	uint32_t seen;
};

static void cell_note(struct cell *cells, size_t *n, size_t max,
		      size_t *more, uint32_t address, int bit, int level)
{
	for (size_t i = 0; i < *n; i++)
		if (cells[i].address == address && cells[i].bit == bit) {
			cells[i].seen++;
			return;
		}
	if (*n == max) {
		(*more)++;
		return;
	}
	cells[*n].address = address;
	cells[*n].bit = (uint8_t)bit;
	cells[*n].level = (uint8_t)level;
	cells[*n].seen = 1;
	(*n)++;
}

static void mem_faults(struct ctx *c)
{
	const struct diag_mem *m = &c->ev->mem;
	struct cell cells[64];
	size_t ncells = 0, more = 0, transient = 0, page_only = 1;
	size_t considered = 0;
	uint64_t transient_bits = 0;
	uint32_t limit = clock_limit(c);

	if (!m->have || !m->errors)
		return;
	/* An address fault or a clock the data do not survive explains the
	 * errors of the array tests. */
	if (has(c, DIAG_ADDR_STUCK) || has(c, DIAG_ADDR_SHORT) ||
	    (limit && m->clock_hz > limit))
		return;
	for (size_t i = 0; i < m->n; i++)
		if (m->m[i].test != PAGE_TEST)
			page_only = 0;
	for (size_t i = 0; i < m->n; i++) {
		const struct diag_mismatch *x = &m->m[i];
		uint32_t diff = x->written ^ x->read;

		/* Bursts across a page read or write the wrong bytes where
		 * the chip wraps; the second read, within the page, is
		 * right: explained by page-cross, not random. */
		if (x->test == PAGE_TEST &&
		    (has(c, DIAG_PAGE_CROSS) || page_only))
			continue;
		considered++;
		if (x->transient) {
			transient++;
			for (; diff; diff &= diff - 1u)
				transient_bits++;
			continue;
		}
		for (int b = 0; b < 8 * x->width && b < 32; b++)
			if (diff & (1u << b))
				cell_note(cells, &ncells,
					  sizeof(cells) / sizeof(cells[0]),
					  &more, x->offset + (uint32_t)b / 8u,
					  b % 8, (int)(x->read >> b) & 1);
	}
	if (page_only && m->n && !has(c, DIAG_PAGE_CROSS)) {
		struct diag_fault *f = add(c, DIAG_PAGE_CROSS);

		if (f) {
			f->fail_hz = m->clock_hz;
			snprintf(f->words, sizeof(f->words),
				 "bursts that cross a 1 KB page fail at %.3g "
				 "MHz, while bursts within a page pass",
				 m->clock_hz / 1e6);
			snprintf(f->check, sizeof(f->check),
				 "split transfers at 1 KiB boundaries, or find "
				 "the highest clock that passes with 'psramctl "
				 "margin'");
		}
		return;
	}
	if (page_only && has(c, DIAG_PAGE_CROSS))
		return;
	/* Sorted by address, so that the list reads like a map. */
	for (size_t i = 1; i < ncells; i++)
		for (size_t k = i; k > 0 &&
				   (cells[k - 1].address > cells[k].address ||
				    (cells[k - 1].address == cells[k].address &&
				     cells[k - 1].bit > cells[k].bit));
		     k--) {
			struct cell t = cells[k];

			cells[k] = cells[k - 1];
			cells[k - 1] = t;
		}
	for (size_t i = 0; i < ncells; i++) {
		struct diag_fault *f;

		if (i >= DIAG_MAX_CELLS) {
			more += ncells - i;
			break;
		}
		f = add(c, DIAG_CELL);
		if (!f) {
			more += ncells - i;
			break;
		}
		f->address = cells[i].address;
		f->bit = cells[i].bit;
		f->level = cells[i].level;
		snprintf(f->words, sizeof(f->words),
			 "bad cell at 0x%06x bit %d: it reads %d where %d was "
			 "written, again on a second read",
			 (unsigned)f->address, f->bit, f->level, !f->level);
		snprintf(f->check, sizeof(f->check),
			 "a defect inside the chip, not a joint: replace the "
			 "chip if a bad bit matters");
	}
	c->out->cells_more = more;
	if (transient && m->bytes) {
		struct diag_fault *f = add(c, DIAG_RANDOM_ERRORS);
		double per = (double)transient_bits / (double)transient;

		if (f) {
			f->rate = (double)m->errors * transient /
				  (double)considered *
				  per / ((double)m->bytes * 8.0);
			snprintf(f->words, sizeof(f->words),
				 "random bit errors with no pattern, about %.1e "
				 "per bit read: a second read returns the right "
				 "value",
				 f->rate);
			snprintf(f->check, sizeof(f->check),
				 "noise: check the 100 nF capacitor at VCC (pin "
				 "8), the ground and the supply; try a lower "
				 "clock");
		}
	}
}

/* Data-bus errors nothing above explains. */
static void bus_leftovers(struct ctx *c)
{
	uint64_t bits = 0, wrong = 0;

	if (c->out->n || clock_limit(c))
		return;
	for (int mode = 0; mode < 2; mode++)
		for (int pu = 0; pu < 2; pu++) {
			const struct diag_bus *b = &c->ev->bus[mode][pu];

			if (!b->have || b->nspots <= DIAG_BUS_CELL_SPOTS)
				continue;
			for (int k = 0; k < 8; k++) {
				bits += (uint64_t)b->bit[k].n0 + b->bit[k].n1;
				wrong += (uint64_t)b->bit[k].e01 + b->bit[k].e10;
			}
		}
	if (wrong) {
		struct diag_fault *f = add(c, DIAG_RANDOM_ERRORS);

		if (!f)
			return;
		f->rate = (double)wrong / (double)bits;
		snprintf(f->words, sizeof(f->words),
			 "the data-bus test read wrong bits with no pattern a "
			 "line fault would leave (%.1e per bit read)",
			 f->rate);
		snprintf(f->check, sizeof(f->check),
			 "noise or marginal timing: check the supply, ground and "
			 "decoupling, and try a lower clock");
	}
}

void diag_run(const struct diag_evidence *ev, struct diag_result *out)
{
	struct ctx c;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	c.ev = ev;
	c.out = out;
	pins_faults(&c);
	chip_faults(&c);
	line_faults(&c);
	if (!c.chip_silent && !has(&c, DIAG_WRONG_CHIP)) {
		addr_faults(&c);
		clock_faults(&c);
		mem_faults(&c);
		bus_leftovers(&c);
	}
	if (c.blocked && !ev->mem.have)
		snprintf(out->untested, sizeof(out->untested),
			 "%s",
			 c.chip_silent ? "nothing else can be tested without a "
					 "chip that answers"
			 : has(&c, DIAG_WRONG_CHIP)
				 ? "the memory tests need a PSRAM"
				 : "the chip cannot be read reliably through "
				   "these faults: the memory array is not tested "
				   "and other faults may hide behind them");
	out->pass = out->n == 0 && !out->multiple;
}

void diag_json_fault(struct json *j, const struct diag_fault *f)
{
	char hex[20];

	json_string(j, "kind", diag_kind_name(f->kind));
	switch (f->kind) {
	case DIAG_NO_CHIP:
		break;
	case DIAG_WRONG_CHIP:
		json_string(j, "id", f->id);
		break;
	case DIAG_KGD_FAIL:
		hex_bytes(hex, sizeof(hex), f->eid, 8);
		json_string(j, "eid", hex);
		break;
	case DIAG_IO_OPEN:
		json_int(j, "line", f->line);
		break;
	case DIAG_IO_STUCK:
		if (f->line >= 0)
			json_int(j, "line", f->line);
		else
			json_string(j, "signal", pin_info[f->pin].signal);
		json_int(j, "level", f->level);
		break;
	case DIAG_IO_SHORT:
		json_array_begin(j, "lines");
		for (int k = STUB_PIN_IO0; k < DIAG_PINS; k++)
			if (f->pins & (1u << k))
				json_int(j, NULL, k - STUB_PIN_IO0);
		json_array_end(j);
		if (f->pins & 3u) {
			json_array_begin(j, "signals");
			for (int k = 0; k < DIAG_PINS; k++)
				if (f->pins & (1u << k))
					json_string(j, NULL, pin_info[k].signal);
			json_array_end(j);
		}
		break;
	case DIAG_ADDR_STUCK:
		json_int(j, "bit", f->bit);
		if (f->level != DIAG_LEVEL_UNKNOWN)
			json_int(j, "level", f->level);
		break;
	case DIAG_ADDR_SHORT:
		json_array_begin(j, "bits");
		for (int k = 0; k < 32; k++)
			if (f->bits & (1u << k))
				json_int(j, NULL, k);
		json_array_end(j);
		break;
	case DIAG_CELL:
		json_hex(j, "address", f->address, 6);
		json_int(j, "bit", f->bit);
		json_int(j, "level", f->level);
		break;
	case DIAG_RANDOM_ERRORS:
		json_double(j, "rate", f->rate, 9);
		break;
	case DIAG_CLOCK_LIMIT:
	case DIAG_PAGE_CROSS:
		json_double(j, "max_mhz", f->max_hz / 1e6, 3);
		if (f->fail_hz)
			json_double(j, "fail_mhz", f->fail_hz / 1e6, 3);
		break;
	case DIAG_MAPPED:
		break;
	case DIAG_BUS_SPEED:
		json_double(j, "mb_s", f->mb_s, 2);
		json_double(j, "wire_mb_s", f->wire_mb_s, 2);
		break;
	}
	json_string(j, "words", f->words);
	json_string(j, "check", f->check);
}
