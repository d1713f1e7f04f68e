#include "chips/w25q.h"

#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/rng.h"

#define ADDR_MASK (W25Q_SIZE - 1)
#define SR1_BUSY 0x01
#define SR1_WEL 0x02
#define SR2_QE 0x02

enum kind {
	K_READ, K_JEDEC, K_UID, K_MFID, K_DEVID, K_SR1, K_SR2, K_SR3,
	K_WREN, K_WRDI, K_PROGRAM, K_ERASE4K, K_WRSR1, K_WRSR2,
	K_RESET_EN, K_RESET, K_ENTER_QPI, K_EXIT_QPI, K_NOP,
};

enum state { ST_CMD, ST_ADDR, ST_MODE, ST_DUMMY, ST_OUT, ST_IN, ST_DONE,
	     ST_IGNORE };

struct wcmd {
	uint8_t op;
	bool qpi;		/* valid in QPI mode (else SPI mode) */
	bool needs_qe;
	uint8_t addr_lines;	/* 0 = no address */
	bool mode_bits;		/* M7–M0 after the address (0xEB) */
	uint8_t dummy;		/* dummy clocks */
	uint8_t data_lines;
	enum kind kind;
};

/* W25Q64JV-DTR Rev J, §8 instruction tables (Table 8.1 and the QPI
 * table); QPI dummy clocks are those after power-up (Set Read Parameters
 * not modelled). */
static const struct wcmd commands[] = {
	{0x03, false, false, 1, false, 0, 1, K_READ},
	{0x0B, false, false, 1, false, 8, 1, K_READ},
	{0x3B, false, false, 1, false, 8, 2, K_READ},
	{0x6B, false, true, 1, false, 8, 4, K_READ},
	{0xEB, false, true, 4, true, 4, 4, K_READ},
	{0x9F, false, false, 0, false, 0, 1, K_JEDEC},
	{0x4B, false, false, 0, false, 32, 1, K_UID},
	{0x90, false, false, 1, false, 0, 1, K_MFID},
	{0xAB, false, false, 0, false, 24, 1, K_DEVID},
	{0x05, false, false, 0, false, 0, 1, K_SR1},
	{0x35, false, false, 0, false, 0, 1, K_SR2},
	{0x15, false, false, 0, false, 0, 1, K_SR3},
	{0x06, false, false, 0, false, 0, 0, K_WREN},
	{0x04, false, false, 0, false, 0, 0, K_WRDI},
	{0x02, false, false, 1, false, 0, 1, K_PROGRAM},
	{0x32, false, true, 1, false, 0, 4, K_PROGRAM},
	{0x20, false, false, 1, false, 0, 0, K_ERASE4K},
	{0x01, false, false, 0, false, 0, 1, K_WRSR1},
	{0x31, false, false, 0, false, 0, 1, K_WRSR2},
	{0x66, false, false, 0, false, 0, 0, K_RESET_EN},
	{0x99, false, false, 0, false, 0, 0, K_RESET},
	{0x38, false, true, 0, false, 0, 0, K_ENTER_QPI},
	{0x0B, true, false, 4, false, 2, 4, K_READ},
	{0xEB, true, false, 4, true, 0, 4, K_READ},
	{0x9F, true, false, 0, false, 0, 4, K_JEDEC},
	{0x05, true, false, 0, false, 0, 4, K_SR1},
	{0x35, true, false, 0, false, 0, 4, K_SR2},
	{0x06, true, false, 0, false, 0, 0, K_WREN},
	{0x04, true, false, 0, false, 0, 0, K_WRDI},
	{0x02, true, false, 4, false, 0, 4, K_PROGRAM},
	{0x20, true, false, 4, false, 0, 0, K_ERASE4K},
	{0x66, true, false, 0, false, 0, 0, K_RESET_EN},
	{0x99, true, false, 0, false, 0, 0, K_RESET},
	{0xFF, true, false, 0, false, 0, 0, K_EXIT_QPI},
	{0xC0, true, false, 0, false, 0, 4, K_NOP},
};

struct w25q {
	struct chip chip;
	uint8_t *mem;
	uint8_t uid[8];
	struct rng noise;
	uint8_t sr[3];
	bool qpi;
	bool reset_enabled;
	bool continuous;	/* 0xEB continuous-read mode (M5–4 = 10) */
	bool warned_clock;

	enum state st;
	const struct wcmd *cmd;
	uint8_t op;
	unsigned bits;
	uint32_t shift;
	uint32_t addr;
	unsigned dummy_left;
	uint32_t clk_hz;
	bool overclocked;
	uint8_t cur;
	unsigned cur_bits;
	unsigned index;
	unsigned bytes_in;
	bool completed;		/* whole opcode (and operands) received */
};

static const struct chip_ops w25q_ops;

static uint8_t out_byte(struct w25q *f)
{
	static const uint8_t jedec[3] = {0xEF, 0x40, 0x17};
	unsigned i = f->index++;
	uint8_t v;

	switch (f->cmd->kind) {
	case K_READ:
		v = f->mem[f->addr];
		f->addr = (f->addr + 1) & ADDR_MASK;
		return f->overclocked ? (uint8_t)(v ^ (rng_below(&f->noise,
							    255) + 1)) : v;
	case K_JEDEC:
		/* After the third byte the datasheet says nothing. */
		return i < 3 ? jedec[i] : (uint8_t)rng_next(&f->noise);
	case K_UID:
		return i < 8 ? f->uid[i] : (uint8_t)rng_next(&f->noise);
	case K_MFID:
		return ((f->addr & 1) ^ (i & 1)) ? 0x16 : 0xEF;
	case K_DEVID:
		return 0x16;
	case K_SR1:
		return f->sr[0];
	case K_SR2:
		return f->sr[1];
	case K_SR3:
		return f->sr[2];
	default:
		return 0xFF;
	}
}

static void drive(struct w25q *f, uint8_t *oe, uint8_t *out)
{
	unsigned lines = f->cmd->data_lines;
	unsigned v = (f->cur >> (f->cur_bits - lines)) & ((1U << lines) - 1);

	if (lines == 1) {
		*oe = CHIP_SIO(1);
		*out = (uint8_t)(v << 1);
	} else {
		*oe = (uint8_t)((1U << lines) - 1);
		*out = (uint8_t)v;
	}
}

static void start_data(struct w25q *f, uint8_t *oe, uint8_t *out)
{
	const struct wcmd *c = f->cmd;

	f->bits = 0;
	f->shift = 0;
	f->index = 0;
	if (c->kind == K_READ) {
		uint32_t limit = c->op == 0x03 ? 50000000 : 133000000;

		/* W25Q §9 AC table: 50 MHz for 0x03, 133 MHz otherwise. */
		f->overclocked = f->clk_hz > limit;
		if (f->overclocked && !f->warned_clock) {
			f->warned_clock = true;
			sim_log(LOG_GUEST_ERROR,
				"W25Q64JV: read 0x%02x at %.1f MHz, above its "
				"limit (W25Q §9)", c->op, f->clk_hz / 1e6);
		}
	}
	if (!c->data_lines) {
		f->st = ST_DONE;
		f->completed = true;
		return;
	}
	switch (c->kind) {
	case K_PROGRAM:
	case K_WRSR1:
	case K_WRSR2:
		f->st = ST_IN;
		f->completed = true;
		return;
	default:
		break;
	}
	f->st = ST_OUT;
	f->cur = out_byte(f);
	f->cur_bits = 8;
	drive(f, oe, out);
}

static void after_address(struct w25q *f, uint8_t *oe, uint8_t *out)
{
	f->bits = 0;
	f->shift = 0;
	if (f->cmd->mode_bits) {
		f->st = ST_MODE;
	} else if (f->cmd->dummy) {
		f->dummy_left = f->cmd->dummy;
		f->st = ST_DUMMY;
	} else {
		start_data(f, oe, out);
	}
}

static void decode(struct w25q *f, uint8_t *oe, uint8_t *out)
{
	f->cmd = NULL;
	for (unsigned i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].op == f->op && commands[i].qpi == f->qpi)
			f->cmd = &commands[i];
	if (f->op != 0x66 && f->op != 0x99)
		f->reset_enabled = false;
	if (!f->cmd || (f->cmd->needs_qe && !(f->sr[1] & SR2_QE))) {
		sim_trace("W25Q64JV: opcode 0x%02x not accepted in %s mode "
			  "(QE=%d): ignored", f->op, f->qpi ? "QPI" : "SPI",
			  !!(f->sr[1] & SR2_QE));
		f->cmd = NULL;
		f->st = ST_IGNORE;
		return;
	}
	f->bits = 0;
	f->shift = 0;
	f->addr = 0;
	if (f->cmd->addr_lines) {
		f->st = ST_ADDR;
	} else if (f->cmd->dummy) {
		f->dummy_left = f->cmd->dummy;
		f->st = ST_DUMMY;
	} else {
		start_data(f, oe, out);
	}
}

static void w25q_select(void *ctx, uint64_t t_ps, uint32_t clk_hz)
{
	struct w25q *f = ctx;

	(void)t_ps;
	f->clk_hz = clk_hz;
	f->bits = 0;
	f->shift = 0;
	f->bytes_in = 0;
	f->completed = false;
	f->overclocked = false;
	if (f->continuous) {
		/* W25Q "Continuous Read Mode": the next command starts with
		 * the address, no opcode. */
		f->st = ST_ADDR;
		return;
	}
	f->cmd = NULL;
	f->st = ST_CMD;
}

static void take_in(struct w25q *f, uint8_t v)
{
	switch (f->cmd->kind) {
	case K_PROGRAM:
		/* NOR programming only clears bits; the page address wraps
		 * within its 256 bytes (W25Q §8.2.13). */
		f->mem[f->addr] &= v;
		f->addr = (f->addr & ~0xFFU) | ((f->addr + 1) & 0xFF);
		break;
	case K_WRSR1:
		if (f->bytes_in == 0)
			f->sr[0] = (uint8_t)((f->sr[0] & 0x03) | (v & 0xFC));
		else if (f->bytes_in == 1)
			f->sr[1] = (uint8_t)((f->sr[1] & 0x80) | (v & 0x7B));
		break;
	case K_WRSR2:
		if (f->bytes_in == 0)
			f->sr[1] = (uint8_t)((f->sr[1] & 0x80) | (v & 0x7B));
		break;
	default:
		break;
	}
	f->bytes_in++;
}

static void w25q_clock(void *ctx, uint64_t t_ps, uint8_t in, uint8_t *oe,
		       uint8_t *out)
{
	struct w25q *f = ctx;
	unsigned lines;

	(void)t_ps;
	*oe = 0;
	*out = 0;
	/* IO3 is /HOLD in SPI mode while QE = 0 (W25Q §4.4): held low, the
	 * device ignores the clock and releases its output. */
	if (!f->qpi && !(f->sr[1] & SR2_QE) && !(in & CHIP_SIO(3)))
		return;
	switch (f->st) {
	case ST_CMD:
		lines = f->qpi ? 4 : 1;
		f->shift = f->shift << lines | (in & ((1U << lines) - 1));
		f->bits += lines;
		if (f->bits == 8) {
			f->op = (uint8_t)f->shift;
			decode(f, oe, out);
		}
		return;
	case ST_ADDR:
		lines = f->cmd->addr_lines;
		f->shift = f->shift << lines | (in & ((1U << lines) - 1));
		f->bits += lines;
		if (f->bits == 24) {
			f->addr = f->shift & ADDR_MASK;
			if (f->cmd->kind == K_ERASE4K) {
				f->completed = true;
				f->st = ST_DONE;
				return;
			}
			after_address(f, oe, out);
		}
		return;
	case ST_MODE:
		f->shift = f->shift << 4 | (in & 0xF);
		f->bits += 4;
		if (f->bits == 8) {
			/* W25Q 0xEB: M5–4 = (1,0) keeps continuous-read mode. */
			f->continuous = (f->shift & 0x30) == 0x20;
			f->bits = 0;
			f->shift = 0;
			f->dummy_left = f->cmd->dummy;
			if (f->dummy_left)
				f->st = ST_DUMMY;
			else
				start_data(f, oe, out);
		}
		return;
	case ST_DUMMY:
		if (--f->dummy_left == 0)
			start_data(f, oe, out);
		return;
	case ST_OUT:
		f->cur_bits -= f->cmd->data_lines;
		if (!f->cur_bits) {
			f->cur = out_byte(f);
			f->cur_bits = 8;
		}
		drive(f, oe, out);
		return;
	case ST_IN:
		lines = f->cmd->data_lines;
		f->shift = f->shift << lines | (in & ((1U << lines) - 1));
		f->bits += lines;
		if (f->bits == 8) {
			if (f->sr[0] & SR1_WEL)
				take_in(f, (uint8_t)f->shift);
			f->bits = 0;
			f->shift = 0;
		}
		return;
	case ST_DONE:
	case ST_IGNORE:
		return;
	}
}

static void w25q_deselect(void *ctx, uint64_t t_ps)
{
	struct w25q *f = ctx;
	const struct wcmd *c = f->cmd;

	(void)t_ps;
	if (!c || !f->completed) {
		f->st = ST_CMD;
		return;
	}
	switch (c->kind) {
	case K_WREN:
		f->sr[0] |= SR1_WEL;
		break;
	case K_WRDI:
		f->sr[0] &= (uint8_t)~SR1_WEL;
		break;
	case K_PROGRAM:
	case K_WRSR1:
	case K_WRSR2:
		/* Writes need Write Enable first and clear it (W25Q §8.2.1). */
		f->sr[0] &= (uint8_t)~SR1_WEL;
		break;
	case K_ERASE4K:
		if (f->sr[0] & SR1_WEL)
			memset(f->mem + (f->addr & ~0xFFFU), 0xFF, 4096);
		f->sr[0] &= (uint8_t)~SR1_WEL;
		break;
	case K_RESET_EN:
		f->reset_enabled = true;
		break;
	case K_RESET:
		if (f->reset_enabled) {
			f->qpi = false;
			f->continuous = false;
			f->sr[0] &= (uint8_t)~SR1_WEL;
			f->reset_enabled = false;
		}
		break;
	case K_ENTER_QPI:
		f->qpi = true;
		break;
	case K_EXIT_QPI:
		f->qpi = false;
		break;
	default:
		break;
	}
	f->st = ST_CMD;
}

static void w25q_destroy(void *ctx)
{
	struct w25q *f = ctx;

	free(f->mem);
	free(f);
}

static const struct chip_ops w25q_ops = {
	.select = w25q_select,
	.clock = w25q_clock,
	.deselect = w25q_deselect,
	.destroy = w25q_destroy,
};

struct chip *w25q_new(uint64_t seed)
{
	struct w25q *f = calloc(1, sizeof(*f));
	struct rng r;

	if (!f)
		return NULL;
	f->mem = malloc(W25Q_SIZE);
	if (!f->mem) {
		free(f);
		return NULL;
	}
	memset(f->mem, 0xFF, W25Q_SIZE);
	rng_seed_stream(&r, seed, "w25q-uid");
	for (int i = 0; i < 8; i++)
		f->uid[i] = (uint8_t)rng_next(&r);
	rng_seed_stream(&f->noise, seed, "w25q-noise");
	f->chip.ops = &w25q_ops;
	f->chip.ctx = f;
	f->chip.kind = CHIP_W25Q64;
	f->chip.name = "W25Q64JV";
	f->chip.t_out_ps = 6000;	/* tCLQV, W25Q §9 */
	return &f->chip;
}

struct w25q *w25q_of(struct chip *chip)
{
	return chip && chip->ops == &w25q_ops ? chip->ctx : NULL;
}

bool w25q_in_qpi(const struct w25q *f)
{
	return f->qpi;
}

uint8_t w25q_peek(const struct w25q *f, uint32_t addr)
{
	return f->mem[addr & ADDR_MASK];
}

void w25q_unique_id(const struct w25q *f, uint8_t uid[8])
{
	memcpy(uid, f->uid, 8);
}
