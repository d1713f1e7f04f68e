#include "wire/xspi_wire.h"

#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "chips/psram.h"
#include "util/rng.h"
#include "chips/w25q.h"

/* How long an undriven, unpulled net keeps its last level before leakage
 * makes it unreadable (modelled figure: bus capacitance with CMOS input
 * leakage; no datasheet gives it). */
#define FLOAT_HOLD_PS 1000000000ULL	/* 1 ms */

#define IO_LINES 4
#define NO_DRIVE (-1)

struct net {
	bool routed;		/* controller drives and samples the pin */
	int gpio_drive;		/* GPIO output level on the net, or NO_DRIVE */
	int pull;		/* PUPDR level, or NO_DRIVE */
};

/* Last driven level of one side of a net and when it was driven. */
struct memory {
	uint8_t level;
	uint64_t t_ps;
	bool valid;
};

struct xspi_wire {
	struct pin_source pins;
	const struct vclock *clk;
	struct rng rng;
	/* its own stream, so that an intermittent joint's draws do not
	 * shift the noise an open line reads */
	struct rng rng_joint;
	uint64_t noise;
	unsigned noise_left;
	struct chip *chip;

	/* Electrical faults: line[] as they stand for the transfer in
	 * progress; fault_line[] and intermittent[] as injected. */
	enum fault_line line[IO_LINES];
	enum fault_line fault_line[IO_LINES];
	double intermittent[IO_LINES];
	struct fault_pair shorts[FAULT_MAX_SHORTS];
	unsigned nshorts;
	bool clk_open, cs_open;
	/* cs=slow: CE# at the chip rises cs_rise_ps after NCS; cs_high_at
	 * is when the last rise reached it */
	uint64_t cs_rise_ps, cs_high_at;
	bool clk_idle_high;

	/* The command in progress. */
	bool active;
	bool chip_selected;	/* CE# low at the chip */
	bool chip_clocked;	/* SCLK edges reach the chip */
	bool sample_early;	/* sampling before the chip's output is valid */
	struct xspi_clocking c;
	struct net io[IO_LINES];
	uint8_t chip_oe, chip_out;
	uint8_t prev_mcu;
	uint64_t t_ps;

	/* Floating-net memory: MCU side and chip side (equal unless open). */
	struct memory mem_mcu[XSPI_SIGNALS];
	struct memory mem_chip[IO_LINES];

	bool warned_unrouted[XSPI_SIGNALS];
	bool warned_contention[IO_LINES];
};

static const char *const signal_names[XSPI_SIGNALS] = {
	[XSPI_CLK] = "CLK", [XSPI_NCS] = "NCS", [XSPI_IO0] = "IO0",
	[XSPI_IO1] = "IO1", [XSPI_IO2] = "IO2", [XSPI_IO3] = "IO3",
};

uint64_t xspi_cycles_to_ps(uint64_t cycles, uint32_t cpu_hz)
{
	if (!cpu_hz)
		return 0;
	return (uint64_t)((unsigned __int128)cycles * 1000000000000ULL /
			  cpu_hz);
}

struct xspi_wire *xspi_wire_new(const struct pin_source *pins,
				const struct vclock *clk, uint64_t seed)
{
	struct xspi_wire *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	if (pins)
		w->pins = *pins;
	w->clk = clk;
	rng_seed_stream(&w->rng, seed, "wire");
	rng_seed_stream(&w->rng_joint, seed, "wire-intermittent");
	return w;
}

void xspi_wire_free(struct xspi_wire *w)
{
	if (!w)
		return;
	chip_destroy(w->chip);
	free(w);
}

void xspi_wire_attach(struct xspi_wire *w, struct chip *chip)
{
	if (w->chip != chip)
		chip_destroy(w->chip);
	w->chip = chip;
	w->chip_oe = 0;
}

struct chip *xspi_wire_chip(struct xspi_wire *w)
{
	return w->chip;
}

void xspi_wire_set_faults(struct xspi_wire *w, const struct fault_set *fs)
{
	memcpy(w->line, fs->io, sizeof(w->line));
	memcpy(w->fault_line, fs->io, sizeof(w->fault_line));
	memcpy(w->intermittent, fs->io_intermittent, sizeof(w->intermittent));
	memcpy(w->shorts, fs->io_short, sizeof(w->shorts));
	w->nshorts = fs->io_shorts;
	w->clk_open = fs->clk_open;
	w->cs_open = fs->cs_open;
	w->cs_rise_ps = fs->cs_rise_ps;
}

int xspi_wire_fit(struct xspi_wire *w, const struct fault_set *fs,
		  uint64_t seed)
{
	struct chip *chip = NULL;

	switch (fs->chip) {
	case CHIP_ABSENT:
		break;
	case CHIP_W25Q64:
		chip = w25q_new(seed);
		break;
	case CHIP_ESP_PSRAM64H:
	case CHIP_LY68L6400:
	case CHIP_APS6404L:
	case CHIP_IPS6404L:
		chip = psram_new(fs->chip, fs, seed);
		break;
	case CHIP_KINDS:
		return -1;
	}
	if (fs->chip != CHIP_ABSENT && !chip)
		return -1;
	xspi_wire_attach(w, chip);
	xspi_wire_set_faults(w, fs);
	return 0;
}

void xspi_wire_set_clk_idle(struct xspi_wire *w, bool high)
{
	w->clk_idle_high = high;
}

static int noise_bit(struct xspi_wire *w)
{
	int bit;

	if (!w->noise_left) {
		w->noise = rng_next(&w->rng);
		w->noise_left = 64;
	}
	bit = (int)(w->noise & 1);
	w->noise >>= 1;
	w->noise_left--;
	return bit;
}

/* A net nobody drives or pulls. */
static int floating(struct xspi_wire *w, struct memory *m, uint64_t t_ps)
{
	if (m->valid && t_ps - m->t_ps <= FLOAT_HOLD_PS)
		return m->level;
	return noise_bit(w);
}

static void remember(struct memory *m, int level, uint64_t t_ps)
{
	m->level = (uint8_t)level;
	m->t_ps = t_ps;
	m->valid = true;
}

static void view_pin(struct xspi_wire *w, enum xspi_signal sig,
		     struct pin_view *v)
{
	if (w->pins.view) {
		w->pins.view(w->pins.ctx, sig, v);
		return;
	}
	/* No GPIO model: every pin routed, no pulls. */
	memset(v, 0, sizeof(*v));
	v->mode = PIN_MODE_ALTERNATE;
	v->routed = true;
}

static int pull_level(const struct pin_view *v)
{
	switch (v->pull) {
	case PIN_PULL_UP:
		return 1;
	case PIN_PULL_DOWN:
		return 0;
	case PIN_PULL_NONE:
		break;
	}
	return NO_DRIVE;
}

static int gpio_drive(const struct pin_view *v)
{
	if (v->mode != PIN_MODE_OUTPUT)
		return NO_DRIVE;
	if (v->open_drain && v->out_level)
		return NO_DRIVE;
	return v->out_level;
}

/* A level on one side of a net and how hard it is held: shorts between nets
 * resolve by strength (a rail beats a driver beats a pull beats a floating
 * net), and two equal ones give the wired-AND of docs/psramsim-faults.md. */
enum strength { S_FLOAT, S_PULL, S_DRIVE, S_RAIL };

struct level {
	uint8_t v;
	uint8_t s;
};

static struct level merge(struct level a, struct level b)
{
	if (a.s != b.s)
		return a.s > b.s ? a : b;
	return (struct level){(uint8_t)(a.v & b.v), a.s};
}

/* Resolves IO0–3 from the controller-side drive `m` and chip-side drive
 * `ch` (NO_DRIVE or a level), faults and pulls. Out: the MCU-side and
 * chip-side levels as 4-bit words. */
static void resolve_io(struct xspi_wire *w, const int m[IO_LINES],
		       const int ch[IO_LINES], const int pull[IO_LINES],
		       uint64_t t_ps, uint8_t *mcu, uint8_t *chip)
{
	struct level ms[IO_LINES], cs[IO_LINES];
	uint8_t mo = 0, co = 0;

	for (unsigned i = 0; i < IO_LINES; i++) {
		struct memory *mm = &w->mem_mcu[XSPI_IO0 + i];
		struct memory *mc = &w->mem_chip[i];
		struct level ml, cl;

		if (w->line[i] == FAULT_LINE_OPEN) {
			if (m[i] != NO_DRIVE) {
				ml = (struct level){(uint8_t)m[i], S_DRIVE};
				remember(mm, m[i], t_ps);
			} else if (pull[i] != NO_DRIVE) {
				ml = (struct level){(uint8_t)pull[i], S_PULL};
			} else {
				ml = (struct level){
					(uint8_t)floating(w, mm, t_ps), S_FLOAT};
			}
			/* docs/psramsim-faults.md: the chip side of an
			 * open line reads noise. */
			if (ch[i] != NO_DRIVE)
				cl = (struct level){(uint8_t)ch[i], S_DRIVE};
			else
				cl = (struct level){(uint8_t)noise_bit(w),
						    S_FLOAT};
		} else {
			if (m[i] != NO_DRIVE && ch[i] != NO_DRIVE) {
				ml = (struct level){(uint8_t)(m[i] & ch[i]),
						    S_DRIVE};
				if (m[i] != ch[i] && !w->warned_contention[i]) {
					w->warned_contention[i] = true;
					sim_log(LOG_GUEST_ERROR,
						"xSPI IO%u driven by the "
						"controller and the chip at "
						"once (RM0399 §24.3.3: receiving "
						"needs a turnaround dummy cycle)",
						i);
				}
			} else if (m[i] != NO_DRIVE) {
				ml = (struct level){(uint8_t)m[i], S_DRIVE};
			} else if (ch[i] != NO_DRIVE) {
				ml = (struct level){(uint8_t)ch[i], S_DRIVE};
			} else if (pull[i] != NO_DRIVE) {
				ml = (struct level){(uint8_t)pull[i], S_PULL};
			} else {
				ml = (struct level){
					(uint8_t)floating(w, mm, t_ps), S_FLOAT};
			}
			if (ml.s == S_DRIVE) {
				remember(mm, ml.v, t_ps);
				remember(mc, ml.v, t_ps);
			}
			cl = ml;
		}
		if (w->line[i] == FAULT_LINE_STUCK0)
			ml = cl = (struct level){0, S_RAIL};
		else if (w->line[i] == FAULT_LINE_STUCK1)
			ml = cl = (struct level){1, S_RAIL};
		ms[i] = ml;
		cs[i] = cl;
	}
	for (unsigned k = 0; k < w->nshorts; k++) {
		unsigned a = w->shorts[k].a, b = w->shorts[k].b;

		ms[a] = ms[b] = merge(ms[a], ms[b]);
		cs[a] = cs[b] = merge(cs[a], cs[b]);
	}
	for (unsigned i = 0; i < IO_LINES; i++) {
		mo |= (uint8_t)((ms[i].v & 1) << i);
		co |= (uint8_t)((cs[i].v & 1) << i);
	}
	*mcu = mo;
	*chip = co;
}

/* The pins a frame needs routed (RM0399 §24.3.4: IO2/IO3 only serve the
 * xSPI when a phase uses four lines). */
static unsigned frame_pins(const struct xspi_frame *f)
{
	unsigned need = 1U << XSPI_CLK | 1U << XSPI_NCS | 1U << XSPI_IO0;
	unsigned widest = 0;

	for (int p = 0; p < XSPI_PHASES; p++)
		if (f->ph[p].lines > widest)
			widest = f->ph[p].lines;
	if (widest >= 2 || f->dir == XSPI_DIR_READ)
		need |= 1U << XSPI_IO1;
	if (widest == 4)
		need |= 1U << XSPI_IO2 | 1U << XSPI_IO3;
	return need;
}

void xspi_wire_select(struct xspi_wire *w, uint64_t t_ps,
		      const struct xspi_clocking *c,
		      const struct xspi_frame *f)
{
	struct pin_view v[XSPI_SIGNALS];
	unsigned need = frame_pins(f);

	for (int s = 0; s < XSPI_SIGNALS; s++) {
		view_pin(w, (enum xspi_signal)s, &v[s]);
		if (!v[s].routed && (need & (1U << s)) &&
		    !w->warned_unrouted[s]) {
			w->warned_unrouted[s] = true;
			sim_log(LOG_GUEST_ERROR,
				"xSPI command with the %s pin not in its "
				"alternate function: the memory does not see "
				"the controller on it (RM0433 §11.4)",
				signal_names[s]);
		}
	}
	for (unsigned i = 0; i < IO_LINES; i++) {
		const struct pin_view *p = &v[XSPI_IO0 + i];

		w->io[i].routed = p->routed;
		w->io[i].gpio_drive = p->routed ? NO_DRIVE : gpio_drive(p);
		w->io[i].pull = pull_level(p);
	}
	/* An intermittent joint (docs/psramsim-faults.md): open or closed
	 * for the whole of this transfer, as a cracked joint flexes far
	 * slower than a burst lasts. */
	for (unsigned i = 0; i < IO_LINES; i++)
		if (w->intermittent[i] > 0.0)
			w->line[i] = rng_unit(&w->rng_joint) < w->intermittent[i]
					     ? FAULT_LINE_OPEN
					     : w->fault_line[i];
	w->c = *c;
	w->active = true;
	w->t_ps = t_ps;
	w->chip_oe = 0;
	w->chip_selected = v[XSPI_NCS].routed && !w->cs_open && w->chip;
	w->chip_clocked = w->chip_selected && v[XSPI_CLK].routed &&
			  !w->clk_open;
	w->sample_early = w->chip && c->sample_ps < w->chip->t_out_ps;
	w->mem_mcu[XSPI_NCS] = (struct memory){0, t_ps, true};
	/* A CE# high shorter than a slow net's rise never reaches the
	 * chip's threshold (cs=slow): to the chip CE# falls as it gets
	 * there, after no time high, and the chip takes no command
	 * (tCPH, sim/chips/psram.c). */
	if (w->chip_selected)
		w->chip->ops->select(w->chip->ctx,
				     t_ps > w->cs_high_at ? t_ps : w->cs_high_at,
				     c->clk_hz);
}

/* One CLK cycle: the controller drives `oe`/`out`, the chip samples on the
 * rising edge, the controller samples what it reads back. */
static uint8_t wire_cycle(struct xspi_wire *w, uint8_t oe, uint8_t out)
{
	int m[IO_LINES], ch[IO_LINES], pull[IO_LINES];
	uint8_t chip_oe = w->chip_selected ? w->chip_oe : 0;
	uint8_t mcu, chip, sample;

	w->t_ps += w->c.period_ps;
	for (unsigned i = 0; i < IO_LINES; i++) {
		const struct net *n = &w->io[i];

		if (n->routed)
			m[i] = (oe >> i) & 1 ? (out >> i) & 1 : NO_DRIVE;
		else
			m[i] = n->gpio_drive;
		ch[i] = (chip_oe >> i) & 1 ? (w->chip_out >> i) & 1 : NO_DRIVE;
		pull[i] = n->pull;
	}
	resolve_io(w, m, ch, pull, w->t_ps, &mcu, &chip);
	if (w->chip_clocked)
		w->chip->ops->clock(w->chip->ctx, w->t_ps, chip, &w->chip_oe,
				    &w->chip_out);
	/* RM0399 §24.3.4/§24.3.10: the chip changes its output on the falling
	 * edge; sampled before its clock-to-output delay the controller still
	 * reads the previous bit. */
	sample = mcu;
	if (w->sample_early)
		sample = (uint8_t)((mcu & ~chip_oe) | (w->prev_mcu & chip_oe));
	w->prev_mcu = mcu;
	/* A pin not in its alternate function does not connect the
	 * controller's input to the net: it reads like an open line, its own
	 * pull or nothing defined. */
	for (unsigned i = 0; i < IO_LINES; i++) {
		if (w->io[i].routed)
			continue;
		sample &= (uint8_t)~(1U << i);
		if (pull[i] != NO_DRIVE ? pull[i] : noise_bit(w))
			sample |= (uint8_t)(1U << i);
	}
	return sample;
}

static void phase_pins(unsigned lines, bool input, uint8_t bits,
		       uint8_t *oe, uint8_t *out)
{
	switch (lines) {
	case 4:
		*oe = input ? 0 : 0xF;
		*out = bits & 0xF;
		break;
	case 2:
		*oe = (uint8_t)(CHIP_SIO(2) | CHIP_SIO(3) | (input ? 0 : 3));
		*out = (uint8_t)(CHIP_SIO(3) | (bits & 3));
		break;
	default:
		/* Single line: IO0 output even while IO1 receives. */
		*oe = (uint8_t)(CHIP_SIO(0) | CHIP_SIO(2) | CHIP_SIO(3));
		*out = (uint8_t)(CHIP_SIO(3) | (input ? 0 : (bits & 1)));
		break;
	}
}

void xspi_wire_send(struct xspi_wire *w, unsigned lines, uint32_t value,
		    unsigned bits)
{
	uint8_t oe, out;
	uint32_t mask = (1U << lines) - 1;

	for (int shift = (int)bits - (int)lines; shift >= 0;
	     shift -= (int)lines) {
		phase_pins(lines, false, (uint8_t)((value >> shift) & mask),
			   &oe, &out);
		wire_cycle(w, oe, out);
	}
}

void xspi_wire_dummy(struct xspi_wire *w, unsigned lines, unsigned cycles)
{
	uint8_t oe, out;

	/* RM0399 §24.3.4: with DMODE = 01 IO0 stays an output (driven low
	 * here), DMODE = 10 releases IO0/IO1, DMODE = 11 releases all. */
	phase_pins(lines ? lines : 1, lines >= 2, 0, &oe, &out);
	for (unsigned i = 0; i < cycles; i++)
		wire_cycle(w, oe, out);
}

uint8_t xspi_wire_recv_byte(struct xspi_wire *w, unsigned lines)
{
	uint8_t oe, out, v = 0;

	/* A read with no data phase (DMODE = 0, or a reserved OCTOSPI code:
	 * a guest error the controller models log) samples no line and
	 * takes no clock: the byte is 0. */
	if (lines == 0)
		return 0;
	phase_pins(lines, true, 0, &oe, &out);
	for (unsigned b = 0; b < 8; b += lines) {
		uint8_t s = wire_cycle(w, oe, out);

		if (lines == 1)
			v = (uint8_t)(v << 1 | ((s >> 1) & 1));
		else
			v = (uint8_t)(v << lines | (s & ((1U << lines) - 1)));
	}
	return v;
}

void xspi_wire_resume_at(struct xspi_wire *w, uint64_t t_ps)
{
	if (t_ps > w->t_ps)
		w->t_ps = t_ps;
}

uint64_t xspi_wire_time(const struct xspi_wire *w)
{
	return w->t_ps;
}

void xspi_wire_deselect(struct xspi_wire *w, uint64_t t_ps)
{
	if (!w->active)
		return;
	if (w->chip_selected) {
		w->cs_high_at = t_ps + w->cs_rise_ps;
		w->chip->ops->deselect(w->chip->ctx, w->cs_high_at);
	}
	w->active = false;
	w->chip_selected = false;
	w->chip_clocked = false;
	w->chip_oe = 0;
	w->mem_mcu[XSPI_NCS] = (struct memory){1, t_ps, true};
}

bool xspi_wire_gpio_level(struct xspi_wire *w, enum xspi_signal sig)
{
	uint64_t t_ps = w->clk ? xspi_cycles_to_ps(w->clk->cycles,
						   w->clk->cpu_hz) : 0;
	struct pin_view v;

	if ((unsigned)sig >= XSPI_SIGNALS)
		return false;
	if (sig == XSPI_CLK || sig == XSPI_NCS) {
		struct memory *mm = &w->mem_mcu[sig];
		int d;

		view_pin(w, sig, &v);
		if (v.mode == PIN_MODE_ALTERNATE && v.routed)
			d = sig == XSPI_NCS ? !w->active : w->clk_idle_high;
		else
			d = gpio_drive(&v);
		if (d != NO_DRIVE) {
			remember(mm, d, t_ps);
			return d;
		}
		d = pull_level(&v);
		return d != NO_DRIVE ? d : floating(w, mm, t_ps);
	}

	int m[IO_LINES], ch[IO_LINES], pull[IO_LINES];
	uint8_t mcu, chip;

	for (unsigned i = 0; i < IO_LINES; i++) {
		view_pin(w, (enum xspi_signal)(XSPI_IO0 + i), &v);
		/* A routed pin with no command in progress is released. */
		m[i] = v.mode == PIN_MODE_ALTERNATE ? NO_DRIVE : gpio_drive(&v);
		ch[i] = w->chip_selected && (w->chip_oe >> i & 1)
				? (w->chip_out >> i) & 1 : NO_DRIVE;
		pull[i] = pull_level(&v);
	}
	resolve_io(w, m, ch, pull, t_ps, &mcu, &chip);
	return (mcu >> (sig - XSPI_IO0)) & 1;
}
