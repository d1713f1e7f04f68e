/* The diagnosis from evidence alone: for every fault kind of
 * docs/architecture.md §5, and
 * for faults two at a time, evidence shaped the way the stub measures it
 * (pins as GPIOs, the ID, line activity in QPI reads, data-bus bit counts
 * per pull, address aliases, mismatches with their second reads, clock
 * points) gives the right kind and location, and a sound board passes.
 * The evidence is built here by small models of each fault, written from
 * docs/psramsim-faults.md and docs/hardware-stm32h7.md (RM0399 §24.3.4 pin
 * states), not from
 * psramsim. */
#include <stdlib.h>

#include "diagnosis/diagnose.h"
#include "report/json.h"
#include "stub_abi.h"
#include "unit.h"

#define KIB 1024u

/* ---- the pins: a small net model ----
 * Each pin is driven (the MCU's output), pulled, tied to a rail (stuck)
 * or bridged to others; a rail beats a driver beats a pull, and equals
 * meet as a wired-AND (docs/psramsim-faults.md, io<A>+io<B>=short). */
struct net_faults {
	int stuck[DIAG_PINS]; /* -1 none */
	uint8_t bridged;      /* one group of bridged pins */
};

static void no_net_faults(struct net_faults *f)
{
	for (int i = 0; i < DIAG_PINS; i++)
		f->stuck[i] = -1;
	f->bridged = 0;
}

static uint8_t resolve(const struct net_faults *f, int driven, int level,
		       int pull_up)
{
	int lv[DIAG_PINS], st[DIAG_PINS]; /* strength: 1 pull 2 drive 3 rail */
	uint8_t out = 0;

	for (int i = 0; i < DIAG_PINS; i++) {
		if (i == driven) {
			lv[i] = level, st[i] = 2;
		} else if (i == STUB_PIN_NCS && driven >= 0) {
			lv[i] = 1, st[i] = 2; /* held high while others drive */
		} else {
			lv[i] = pull_up, st[i] = 1;
		}
		if (f->stuck[i] >= 0)
			lv[i] = f->stuck[i], st[i] = 3;
	}
	if (f->bridged) {
		int best = 0, v = 1;

		for (int i = 0; i < DIAG_PINS; i++)
			if ((f->bridged >> i & 1) && st[i] > best)
				best = st[i];
		for (int i = 0; i < DIAG_PINS; i++)
			if ((f->bridged >> i & 1) && st[i] == best)
				v &= lv[i];
		for (int i = 0; i < DIAG_PINS; i++)
			if (f->bridged >> i & 1)
				lv[i] = v;
	}
	for (int i = 0; i < DIAG_PINS; i++)
		out |= (uint8_t)(lv[i] << i);
	return out;
}

static void pins_model(struct diag_pins *p, const struct net_faults *f)
{
	static const uint32_t pulls[] = {STUB_PULL_UP, STUB_PULL_DOWN};

	memset(p, 0, sizeof(*p));
	for (int k = 0; k < 2; k++) {
		int up = pulls[k] == STUB_PULL_UP;

		diag_pins_add(p, STUB_PIN_NONE, pulls[k],
			      resolve(f, -1, 0, up));
		for (int pin = 0; pin < DIAG_PINS; pin++)
			for (int l = 1; l >= 0; l--)
				diag_pins_add(p, (uint32_t)(pin | l << 8),
					      pulls[k], resolve(f, pin, l, up));
	}
}

/* ---- the rest of a board ---- */

static struct eid_report psram_id, flash_id, silent_id, kgd_id, odd_id;

static void make_ids(void)
{
	struct stub_result r;
	static const uint8_t good[8] = {0x0d, 0x5d, 0x52, 0xa2,
					0x64, 0x31, 0x91, 0x31};

	memset(&r, 0, sizeof(r));
	r.lines_before_up = r.lines_after_up = 0xf;
	memcpy(r.eid, good, 8);
	memset(r.jedec, 0xff, 3);
	eid_decode(&r, NULL, &psram_id);
	r.eid[1] = 0x55;
	eid_decode(&r, NULL, &kgd_id);
	memset(r.eid, 0x3c, 8);
	r.jedec[0] = 0xef, r.jedec[1] = 0x40, r.jedec[2] = 0x17;
	eid_decode(&r, NULL, &flash_id);
	memset(r.eid, 0xff, 8);
	memset(r.jedec, 0xff, 3);
	eid_decode(&r, NULL, &silent_id);
	memset(r.eid, 0x12, 8);
	r.eid[0] = 0x9c;
	eid_decode(&r, NULL, &odd_id);
}

/* Line activity in QPI reads: carrying lines read against both pulls. */
static void lines_model(struct diag_lines *l, uint8_t carrying)
{
	memset(l, 0, sizeof(*l));
	l->have[DIAG_UP] = l->have[DIAG_DOWN] = 1;
	l->bits = 65536;
	for (int n = 0; n < DIAG_LINES; n++)
		if (carrying >> n & 1)
			l->against[DIAG_UP][n] = l->against[DIAG_DOWN][n] =
				32768;
}

/* The data-bus test, walking 1s and 0s in bytes (64 reads of each bit
 * written 0 and 64 written 1). In QPI bit k travels on IO(k % 4); in SPI
 * every bit on IO0 out and IO1 in. `open` lines read the pull. */
static void bus_model(struct diag_bus *b, int mode, int pull, uint8_t open)
{
	memset(b, 0, sizeof(*b));
	b->have = 1;
	for (int k = 0; k < 8; k++) {
		int line = mode == DIAG_QPI ? k % 4 : -1;
		int broken = mode == DIAG_QPI ? (open >> line & 1)
					      : (open & 3) != 0;

		b->bit[k].n0 = b->bit[k].n1 = 64;
		if (broken && pull == DIAG_UP)
			b->bit[k].e01 = 64;
		else if (broken)
			b->bit[k].e10 = 64;
	}
	if (open)
		for (uint32_t i = 0; i < 8; i++)
			diag_bus_add_spot(b, i * 512);
}

static void sound_board(struct diag_evidence *ev)
{
	struct net_faults nf;

	memset(ev, 0, sizeof(*ev));
	no_net_faults(&nf);
	pins_model(&ev->pins, &nf);
	ev->eid = &psram_id;
	lines_model(&ev->lines, 0xf);
	for (int m = 0; m < 2; m++)
		for (int p = 0; p < 2; p++)
			bus_model(&ev->bus[m][p], m, p, 0);
	ev->addr.have = 1;
	ev->addr.covered = (1u << 23) - 1;
	ev->mem.have = 1;
	ev->mem.clock_hz = 50000000;
	ev->mem.bytes = 8u * KIB * KIB;
	ev->clock.n = 2;
	ev->clock.pt[0] = (struct diag_clock_point){50000000, 2048, 0, 155, 0};
	ev->clock.pt[1] = (struct diag_clock_point){66666667, 2048, 0, 155, 0};
}

/* Every line sound except as given: the pins, then the QPI evidence. */
static void with_net(struct diag_evidence *ev, const struct net_faults *nf)
{
	pins_model(&ev->pins, nf);
}

/* The memory test reported these n mismatches of `errors` wrong units. */
static void with_mismatches(struct diag_evidence *ev,
			    const struct diag_mismatch *m, size_t n,
			    uint64_t errors)
{
	ev->mem.m = m;
	ev->mem.n = n;
	ev->mem.errors = errors;
}

/* The clock sweep measured these n points. */
static void with_clocks(struct diag_evidence *ev,
			const struct diag_clock_point *pt, size_t n)
{
	memcpy(ev->clock.pt, pt, n * sizeof(*pt));
	ev->clock.n = n;
}

/* Data clean at 40 MHz; at 50 MHz nearly every word wrong (a clock
 * limit), or only bursts across a page (the crossing). */
static const struct diag_clock_point limit_at_50mhz[] = {
	{40000000, 2048, 0, 155, 0}, {50000000, 2048, 2040, 155, 150}};
static const struct diag_clock_point page_cross_at_50mhz[] = {
	{40000000, 2048, 0, 155, 0}, {50000000, 2048, 0, 155, 62}};

/* The fault as `psramctl verify --json` writes it, into buf. */
static const char *fault_json(const struct diag_fault *f, char *buf,
			      size_t len)
{
	struct json j;

	json_init(&j);
	json_object_begin(&j, NULL);
	diag_json_fault(&j, f);
	json_object_end(&j);
	snprintf(buf, len, "%s", j.sb.buf);
	json_release(&j);
	return buf;
}

static const struct diag_fault *only(const struct diag_result *d,
				     enum diag_kind kind)
{
	return d->n == 1 && d->faults[0].kind == kind ? &d->faults[0] : NULL;
}

static const struct diag_fault *find(const struct diag_result *d,
				     enum diag_kind kind, int nth)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->faults[i].kind == kind && nth-- == 0)
			return &d->faults[i];
	return NULL;
}

/* ---- a sound board ---- */

static void sound_board_passes(void)
{
	struct diag_evidence ev;
	struct diag_result d;

	make_ids();
	sound_board(&ev);
	diag_run(&ev, &d);
	CHECK(d.pass);
	CHECK_EQ(d.n, 0);
	CHECK_EQ(d.multiple, 0);
	CHECK_STR(d.untested, "");
}

static void nothing_measured_passes_nothing_wrong(void)
{
	struct diag_evidence ev;
	struct diag_result d;

	memset(&ev, 0, sizeof(ev));
	diag_run(&ev, &d);
	CHECK_EQ(d.n, 0);
}

/* ---- io-stuck, io-short from the pins ---- */

static void every_line_stuck_at_each_level(void)
{
	for (int line = 0; line < 4; line++)
		for (int level = 0; level < 2; level++) {
			struct diag_evidence ev;
			struct diag_result d;
			struct net_faults nf;
			const struct diag_fault *f;

			sound_board(&ev);
			no_net_faults(&nf);
			nf.stuck[STUB_PIN_IO0 + line] = level;
			with_net(&ev, &nf);
			/* with a data line tied, the memory is not reached */
			ev.mem.have = 0;
			lines_model(&ev.lines, 0);
			diag_run(&ev, &d);
			f = only(&d, DIAG_IO_STUCK);
			CHECK(f);
			CHECK_EQ(f->line, line);
			CHECK_EQ(f->level, level);
			CHECK(!d.pass);
			CHECK(d.untested[0]);
		}
}

static void every_pair_of_lines_shorted(void)
{
	for (int a = 0; a < 4; a++)
		for (int b = a + 1; b < 4; b++) {
			struct diag_evidence ev;
			struct diag_result d;
			struct net_faults nf;
			const struct diag_fault *f;

			sound_board(&ev);
			no_net_faults(&nf);
			nf.bridged = (uint8_t)(1u << (STUB_PIN_IO0 + a) |
					       1u << (STUB_PIN_IO0 + b));
			with_net(&ev, &nf);
			ev.mem.have = 0;
			diag_run(&ev, &d);
			f = only(&d, DIAG_IO_SHORT);
			CHECK(f);
			CHECK_EQ(f->pins, nf.bridged);
		}
}

static void clock_pin_tied_is_named(void)
{
	struct diag_evidence ev;
	struct diag_result d;
	struct net_faults nf;
	char js[512];

	sound_board(&ev);
	no_net_faults(&nf);
	nf.stuck[STUB_PIN_CLK] = 0;
	with_net(&ev, &nf);
	ev.mem.have = 0;
	lines_model(&ev.lines, 0);
	diag_run(&ev, &d);
	CHECK(only(&d, DIAG_IO_STUCK));
	CHECK_EQ(d.faults[0].line, -1);
	CHECK_EQ(d.faults[0].pin, STUB_PIN_CLK);
	fault_json(&d.faults[0], js, sizeof(js));
	CHECK(strstr(js, "\"signal\":\"CLK\""));
	CHECK(!strstr(js, "\"line\""));
}

/* ---- io-open, no-chip ---- */

static void every_line_open_from_qpi_reads(void)
{
	for (int line = 0; line < 4; line++) {
		struct diag_evidence ev;
		struct diag_result d;
		const struct diag_fault *f;

		sound_board(&ev);
		lines_model(&ev.lines, (uint8_t)(0xf & ~(1u << line)));
		for (int p = 0; p < 2; p++) {
			bus_model(&ev.bus[DIAG_QPI][p], DIAG_QPI, p,
				  (uint8_t)(1u << line));
			bus_model(&ev.bus[DIAG_SPI][p], DIAG_SPI, p,
				  (uint8_t)(1u << line));
		}
		/* IO0/IO1 open: SPI fails too, and so does the ID */
		if (line < 2) {
			ev.eid = &silent_id;
			ev.mem.have = 0;
		}
		diag_run(&ev, &d);
		f = only(&d, DIAG_IO_OPEN);
		CHECK(f);
		CHECK_EQ(f->line, line);
		CHECK(strstr(f->words, "pull-up and pull-down"));
		CHECK(d.untested[0] == '\0' || line < 2);
	}
}

static void open_line_from_the_data_bus_alone(void)
{
	struct diag_evidence ev;
	struct diag_result d;

	sound_board(&ev);
	memset(&ev.lines, 0, sizeof(ev.lines));
	for (int p = 0; p < 2; p++)
		bus_model(&ev.bus[DIAG_QPI][p], DIAG_QPI, p, 1u << 2);
	diag_run(&ev, &d);
	CHECK(only(&d, DIAG_IO_OPEN));
	CHECK_EQ(d.faults[0].line, 2);
}

static void nothing_answers_is_no_chip(void)
{
	struct diag_evidence ev;
	struct diag_result d;

	sound_board(&ev);
	ev.eid = &silent_id;
	lines_model(&ev.lines, 0);
	for (int m = 0; m < 2; m++)
		for (int p = 0; p < 2; p++)
			bus_model(&ev.bus[m][p], m, p, 0xf);
	ev.mem.have = 0;
	memset(&ev.addr, 0, sizeof(ev.addr));
	ev.clock.n = 0;
	diag_run(&ev, &d);
	CHECK(only(&d, DIAG_NO_CHIP));
	CHECK(d.untested[0]);
}

/* A bridge between IO0 and IO2 leaves the chip deaf (RM0399 §24.3.4: IO2
 * is driven 0 in single-line phases): not "no chip". */
static void deaf_chip_behind_a_bridge_is_not_absent(void)
{
	struct diag_evidence ev;
	struct diag_result d;
	struct net_faults nf;

	sound_board(&ev);
	no_net_faults(&nf);
	nf.bridged = 1u << STUB_PIN_IO0 | 1u << STUB_PIN_IO2;
	with_net(&ev, &nf);
	ev.eid = &silent_id;
	lines_model(&ev.lines, 0);
	for (int m = 0; m < 2; m++)
		for (int p = 0; p < 2; p++)
			bus_model(&ev.bus[m][p], m, p, 0xf);
	ev.mem.have = 0;
	diag_run(&ev, &d);
	CHECK(only(&d, DIAG_IO_SHORT));
	CHECK(!find(&d, DIAG_NO_CHIP, 0));
}

/* ---- the chip itself ---- */

static void flash_still_fitted(void)
{
	struct diag_evidence ev;
	struct diag_result d;

	sound_board(&ev);
	ev.eid = &flash_id;
	ev.mem.have = 0;
	diag_run(&ev, &d);
	CHECK(only(&d, DIAG_WRONG_CHIP));
	CHECK_STR(d.faults[0].id, "ef4017");
	CHECK(strstr(d.faults[0].words, "W25Q64"));
}

static void unknown_id_is_wrong_chip_only_on_a_sound_bus(void)
{
	struct diag_evidence ev;
	struct diag_result d;

	sound_board(&ev);
	ev.eid = &odd_id;
	diag_run(&ev, &d);
	CHECK(only(&d, DIAG_WRONG_CHIP));
	/* at a clock the chip cannot take, the ID is garbled: no verdict
	 * on the part */
	for (int m = 0; m < 2; m++)
		for (int p = 0; p < 2; p++)
			bus_model(&ev.bus[m][p], m, p, 0xf);
	ev.mem.have = 0;
	diag_run(&ev, &d);
	CHECK(!find(&d, DIAG_WRONG_CHIP, 0));
}

static void failed_die(void)
{
	struct diag_evidence ev;
	struct diag_result d;
	char js[512];

	sound_board(&ev);
	ev.eid = &kgd_id;
	diag_run(&ev, &d);
	CHECK(only(&d, DIAG_KGD_FAIL));
	CHECK_EQ(d.faults[0].eid[1], 0x55);
	CHECK(strstr(fault_json(&d.faults[0], js, sizeof(js)),
		     "\"kind\":\"kgd-fail\",\"eid\":\"0d55"));
}

/* ---- address bits ---- */

static void alias_pair(struct diag_addr *a, uint32_t x, uint32_t y)
{
	diag_addr_add(a, x, y, 0);
	diag_addr_add(a, y, x, 0);
}

static void every_address_bit_stuck(void)
{
	for (int bit = 0; bit < 23; bit++) {
		struct diag_evidence ev;
		struct diag_result d;
		const struct diag_fault *f;
		char js[512];

		sound_board(&ev);
		alias_pair(&ev.addr, 0, 1u << bit);
		ev.mem.errors = 1000;	/* the array tests fail with it */
		diag_run(&ev, &d);
		f = only(&d, DIAG_ADDR_STUCK);
		CHECK(f);
		CHECK_EQ(f->bit, bit);
		/* 0 and 1 alias the same pairs: not knowable */
		CHECK_EQ(f->level, DIAG_LEVEL_UNKNOWN);
		CHECK(!strstr(fault_json(f, js, sizeof(js)), "\"level\""));
	}
}

static void address_bits_tied(void)
{
	struct diag_evidence ev;
	struct diag_result d;

	/* wired-AND: 0, 2^3 and 2^7 land on one cell; 2^3 + 2^7 does not */
	sound_board(&ev);
	alias_pair(&ev.addr, 0, 1u << 3);
	alias_pair(&ev.addr, 0, 1u << 7);
	alias_pair(&ev.addr, 1u << 3, 1u << 7);
	diag_run(&ev, &d);
	CHECK(only(&d, DIAG_ADDR_SHORT));
	CHECK_EQ(d.faults[0].bits, 1u << 3 | 1u << 7);
	/* wired-OR: 2^10 and 2^20 alias each other, not the base */
	sound_board(&ev);
	alias_pair(&ev.addr, 1u << 10, 1u << 20);
	diag_run(&ev, &d);
	CHECK(only(&d, DIAG_ADDR_SHORT));
	CHECK_EQ(d.faults[0].bits, 1u << 10 | 1u << 20);
}

static void two_stuck_address_bits_are_not_a_short(void)
{
	struct diag_evidence ev;
	struct diag_result d;

	sound_board(&ev);
	alias_pair(&ev.addr, 0, 1u << 3);
	alias_pair(&ev.addr, 0, 1u << 9);
	alias_pair(&ev.addr, 1u << 3, 1u << 9);
	diag_addr_add(&ev.addr, 1u << 3 | 1u << 9, 0, 0);
	diag_run(&ev, &d);
	CHECK_EQ(d.n, 2);
	CHECK(find(&d, DIAG_ADDR_STUCK, 0) && find(&d, DIAG_ADDR_STUCK, 1));
	CHECK_EQ(find(&d, DIAG_ADDR_STUCK, 0)->bit, 3);
	CHECK_EQ(find(&d, DIAG_ADDR_STUCK, 1)->bit, 9);
}

static void alias_records_are_classified(void)
{
	struct diag_addr a;

	memset(&a, 0, sizeof(a));
	diag_addr_add(&a, 0x100000, 0x100000 + 0x400, 0x100000);
	CHECK_EQ(a.to_base, 1u << 10);
	diag_addr_add(&a, 0x100000 + 0x10, 0x100000 + 0x2000, 0x100000);
	CHECK_EQ(a.pair[4], 1u << 13);
	CHECK_EQ(a.pair[13], 1u << 4);
	diag_addr_add(&a, 0x100000 + 0x10 + 0x2000, 0x100000, 0x100000);
	CHECK_EQ(a.sum[4], 1u << 13);
	diag_addr_add(&a, 0x100003, 0x100000, 0x100000);
	CHECK_EQ(a.sum[0], 1u << 1);
	diag_addr_add(&a, 0x100007, 0x100000, 0x100000);
	CHECK_EQ(a.other, 1);
	diag_addr_add(&a, 0x0ffff0, 0x100000, 0x100000);
	CHECK_EQ(a.other, 2);
}

/* ---- cells and random errors ---- */

static void cells_at_exact_address_and_bit(void)
{
	/* a 32-bit unit at 0x1230: bit 11 is byte 0x1231 bit 3 (units are
	 * little endian) */
	struct diag_mismatch m[3] = {
		{0x1230, 4, 2, 0, 0x00000000, 0x00000800},
		{0x1230, 4, 3, 0, 0x00000000, 0x00000800},
		{0x7ffffe, 2, 3, 0, 0xffff, 0x7fff},
	};
	struct diag_evidence ev;
	struct diag_result d;
	const struct diag_fault *f;
	char js[512];

	sound_board(&ev);
	with_mismatches(&ev, m, 3, 3);
	diag_run(&ev, &d);
	CHECK_EQ(d.n, 2);
	f = find(&d, DIAG_CELL, 0);
	CHECK(f);
	CHECK_EQ(f->address, 0x1231);
	CHECK_EQ(f->bit, 3);
	CHECK_EQ(f->level, 1);
	f = find(&d, DIAG_CELL, 1);
	CHECK(f);
	CHECK_EQ(f->address, 0x7fffff);
	CHECK_EQ(f->bit, 7);
	CHECK_EQ(f->level, 0);
	CHECK(strstr(fault_json(f, js, sizeof(js)),
		     "\"address\":\"0x7fffff\",\"bit\":7"));
}

static void many_cells_are_summed_up(void)
{
	struct diag_mismatch m[20];
	struct diag_evidence ev;
	struct diag_result d;

	for (uint32_t i = 0; i < 20; i++)
		m[i] = (struct diag_mismatch){i * 64, 1, 2, 0, 0xff, 0xfe};
	sound_board(&ev);
	with_mismatches(&ev, m, 20, 20);
	diag_run(&ev, &d);
	CHECK_EQ(d.n, DIAG_MAX_CELLS);
	CHECK_EQ(d.cells_more, 20 - DIAG_MAX_CELLS);
	CHECK_EQ(d.faults[0].address, 0);
}

static void errors_a_second_read_undoes_are_random(void)
{
	struct diag_mismatch m[10];
	struct diag_evidence ev;
	struct diag_result d;
	const struct diag_fault *f;

	for (uint32_t i = 0; i < 10; i++)
		m[i] = (struct diag_mismatch){i * 4099 & ~3u, 4, 3, 1,
					      0x5a5a5a5a, 0x5a5a5a5a ^ 1u << i};
	sound_board(&ev);
	with_mismatches(&ev, m, 10, 10);
	ev.mem.bytes = 1000000;
	diag_run(&ev, &d);
	f = only(&d, DIAG_RANDOM_ERRORS);
	CHECK(f);
	CHECK(f->rate > 1.2e-6 && f->rate < 1.3e-6);
}

/* A bad bit at one of the data-bus test's addresses is a cell, not a
 * line: a line fault shows at every address. */
static void data_bus_errors_at_one_address_are_no_line(void)
{
	struct diag_evidence ev;
	struct diag_result d;

	sound_board(&ev);
	for (int p = 0; p < 2; p++) {
		ev.bus[DIAG_QPI][p].bit[0].e01 = 16;
		diag_bus_add_spot(&ev.bus[DIAG_QPI][p], 0);
	}
	CHECK(diag_bus_clean(&ev.bus[DIAG_QPI][DIAG_UP]));
	diag_run(&ev, &d);
	CHECK(d.pass);
	for (uint32_t a = 0; a < 3; a++)
		diag_bus_add_spot(&ev.bus[DIAG_QPI][DIAG_UP], a * 512);
	CHECK(!diag_bus_clean(&ev.bus[DIAG_QPI][DIAG_UP]));
}

static void bus_bits_fold_to_the_byte(void)
{
	struct diag_bus b;

	memset(&b, 0, sizeof(b));
	diag_bus_add_bits(&b, 3, 10 | 20u << 16, 1, 2);
	diag_bus_add_bits(&b, 11, 5 | 6u << 16, 3, 4);
	CHECK(b.have);
	CHECK_EQ(b.bit[3].n0, 15);
	CHECK_EQ(b.bit[3].n1, 26);
	CHECK_EQ(b.bit[3].e01, 4);
	CHECK_EQ(b.bit[3].e10, 6);
}

static void pins_complete_after_every_step(void)
{
	struct diag_pins p;

	memset(&p, 0, sizeof(p));
	diag_pins_add(&p, STUB_PIN_NONE, STUB_PULL_UP, 0x3f);
	CHECK(!p.have);
	for (uint32_t pin = 0; pin < DIAG_PINS; pin++)
		for (uint32_t l = 0; l < 2; l++) {
			diag_pins_add(&p, pin | l << 8, STUB_PULL_UP, 0);
			diag_pins_add(&p, pin | l << 8, STUB_PULL_DOWN, 0);
		}
	CHECK(!p.have);
	diag_pins_add(&p, STUB_PIN_NONE, STUB_PULL_DOWN, 0);
	CHECK(p.have);
	/* a pull the stub never sends is ignored */
	diag_pins_add(&p, 0, 7, 0xff);
	CHECK_EQ(p.drive[DIAG_UP][0][0], 0);
}

/* ---- clock ---- */

static void clock_limit_and_page_cross(void)
{
	struct diag_evidence ev;
	struct diag_result d;
	const struct diag_fault *f;
	char js[512];

	sound_board(&ev);
	with_clocks(&ev, limit_at_50mhz, 2);
	/* and a point below the good one */
	ev.clock.pt[ev.clock.n++] =
		(struct diag_clock_point){33333334, 2048, 0, 155, 0};
	ev.mem.clock_hz = 40000000;
	diag_run(&ev, &d);
	f = only(&d, DIAG_CLOCK_LIMIT);
	CHECK(f);
	CHECK_EQ(f->max_hz, 40000000);
	CHECK_EQ(f->fail_hz, 50000000);
	CHECK(strstr(fault_json(f, js, sizeof(js)),
		     "\"max_mhz\":40.000,\"fail_mhz\":50.000"));

	sound_board(&ev);
	with_clocks(&ev, page_cross_at_50mhz, 2);
	diag_run(&ev, &d);
	f = only(&d, DIAG_PAGE_CROSS);
	CHECK(f);
	CHECK_EQ(f->max_hz, 40000000);
}

static void stray_bits_at_every_clock_are_no_limit(void)
{
	struct diag_evidence ev;
	struct diag_result d;

	sound_board(&ev);
	ev.clock.n = 3;
	for (size_t i = 0; i < 3; i++)
		ev.clock.pt[i] = (struct diag_clock_point){
			(uint32_t)(30000000 + 10000000 * i), 2048,
			(uint32_t)(15 + i), 155, 2};
	diag_run(&ev, &d);
	CHECK(!find(&d, DIAG_CLOCK_LIMIT, 0));
	CHECK(!find(&d, DIAG_PAGE_CROSS, 0));
	CHECK(diag_clock_data_ok(&ev.clock.pt[0]));
}

static void garbage_at_every_clock(void)
{
	struct diag_evidence ev;
	struct diag_result d;

	sound_board(&ev);
	ev.mem.have = 0;
	for (int m = 0; m < 2; m++)
		for (int p = 0; p < 2; p++)
			ev.bus[m][p].bit[1].e01 = 30;
	ev.clock.n = 2;
	ev.clock.pt[0] = (struct diag_clock_point){8000000, 2048, 2000, 0, 0};
	ev.clock.pt[1] = (struct diag_clock_point){10000000, 2048, 2040, 0, 0};
	diag_run(&ev, &d);
	CHECK(only(&d, DIAG_CLOCK_LIMIT));
	CHECK_EQ(d.faults[0].max_hz, 0);
	CHECK_EQ(d.faults[0].fail_hz, 8000000);
}

/* ---- two faults at once ---- */

static void open_line_and_a_cell(void)
{
	struct diag_mismatch m = {0x800, 4, 2, 0, 0, 2};
	struct diag_evidence ev;
	struct diag_result d;

	sound_board(&ev);
	lines_model(&ev.lines, 0xb);
	for (int p = 0; p < 2; p++)
		bus_model(&ev.bus[DIAG_QPI][p], DIAG_QPI, p, 1u << 2);
	with_mismatches(&ev, &m, 1, 1);
	diag_run(&ev, &d);
	CHECK_EQ(d.n, 2);
	CHECK_EQ(find(&d, DIAG_IO_OPEN, 0)->line, 2);
	CHECK_EQ(find(&d, DIAG_CELL, 0)->address, 0x800);
	CHECK_EQ(find(&d, DIAG_CELL, 0)->bit, 1);
}

static void stuck_line_and_open_line(void)
{
	struct diag_evidence ev;
	struct diag_result d;
	struct net_faults nf;

	sound_board(&ev);
	no_net_faults(&nf);
	nf.stuck[STUB_PIN_IO3] = 1;
	with_net(&ev, &nf);
	ev.eid = &silent_id;
	lines_model(&ev.lines, 0x6);
	ev.lines.against[DIAG_DOWN][3] = 65536; /* stuck high */
	ev.mem.have = 0;
	diag_run(&ev, &d);
	CHECK_EQ(d.n, 2);
	CHECK_EQ(find(&d, DIAG_IO_STUCK, 0)->line, 3);
	CHECK_EQ(find(&d, DIAG_IO_OPEN, 0)->line, 0);
}

static void address_fault_explains_the_array_errors(void)
{
	struct diag_mismatch m[4];
	struct diag_evidence ev;
	struct diag_result d;

	for (uint32_t i = 0; i < 4; i++)
		m[i] = (struct diag_mismatch){i * 0x20000, 4, 2, 0, i, i + 99};
	sound_board(&ev);
	alias_pair(&ev.addr, 0, 1u << 17);
	with_mismatches(&ev, m, 4, 400000);
	diag_run(&ev, &d);
	CHECK(only(&d, DIAG_ADDR_STUCK));
	CHECK_EQ(d.faults[0].bit, 17);
}

static void cell_and_random_errors(void)
{
	struct diag_mismatch m[6];
	struct diag_evidence ev;
	struct diag_result d;

	for (uint32_t i = 0; i < 5; i++)
		m[i] = (struct diag_mismatch){0x100, 4, 3, 0, 0xffffffff,
					      0xfffffffe};
	m[5] = (struct diag_mismatch){0x4000, 4, 3, 1, 0, 1u << 20};
	sound_board(&ev);
	with_mismatches(&ev, m, 6, 6);
	diag_run(&ev, &d);
	CHECK_EQ(d.n, 2);
	CHECK_EQ(find(&d, DIAG_CELL, 0)->address, 0x100);
	CHECK_EQ(find(&d, DIAG_CELL, 0)->level, 0);
	CHECK(find(&d, DIAG_RANDOM_ERRORS, 0));
}

static void clock_limit_and_a_cell(void)
{
	struct diag_mismatch m = {0x400, 1, 2, 0, 0x00, 0x10};
	struct diag_evidence ev;
	struct diag_result d;

	sound_board(&ev);
	with_clocks(&ev, limit_at_50mhz, 2);
	ev.mem.clock_hz = 40000000;
	with_mismatches(&ev, &m, 1, 1);
	diag_run(&ev, &d);
	CHECK_EQ(d.n, 2);
	CHECK(find(&d, DIAG_CLOCK_LIMIT, 0));
	CHECK_EQ(find(&d, DIAG_CELL, 0)->address, 0x400);
	CHECK_EQ(find(&d, DIAG_CELL, 0)->bit, 4);
}

/* Page-test mismatches the second read (within the page) undoes are the
 * crossing's, not random. */
static void page_crossing_errors_are_not_random(void)
{
	struct diag_mismatch m[3] = {
		{0x3fc, 1, 4, 1, 0x11, 0x22},
		{0x3fd, 1, 4, 1, 0x33, 0x44},
		{0x3fe, 1, 4, 1, 0x55, 0x66},
	};
	struct diag_evidence ev;
	struct diag_result d;

	sound_board(&ev);
	with_mismatches(&ev, m, 3, 3);
	with_clocks(&ev, page_cross_at_50mhz, 2);
	diag_run(&ev, &d);
	CHECK(only(&d, DIAG_PAGE_CROSS));
	/* without clock points the page test alone names it */
	ev.clock.n = 0;
	diag_run(&ev, &d);
	CHECK(only(&d, DIAG_PAGE_CROSS));
	CHECK_EQ(d.faults[0].fail_hz, 50000000);
}

static void kinds_have_design_names(void)
{
	static const char *const names[] = {
		"no-chip", "wrong-chip", "kgd-fail", "io-open", "io-stuck",
		"io-short", "addr-stuck", "addr-short", "cell",
		"random-errors", "clock-limit", "page-cross",
	};

	for (int k = DIAG_NO_CHIP; k <= DIAG_PAGE_CROSS; k++)
		CHECK_STR(diag_kind_name((enum diag_kind)k), names[k]);
}

UNIT_MAIN("cli_diagnose", UNIT_TEST(sound_board_passes),
	  UNIT_TEST(nothing_measured_passes_nothing_wrong),
	  UNIT_TEST(every_line_stuck_at_each_level),
	  UNIT_TEST(every_pair_of_lines_shorted),
	  UNIT_TEST(clock_pin_tied_is_named),
	  UNIT_TEST(every_line_open_from_qpi_reads),
	  UNIT_TEST(open_line_from_the_data_bus_alone),
	  UNIT_TEST(nothing_answers_is_no_chip),
	  UNIT_TEST(deaf_chip_behind_a_bridge_is_not_absent),
	  UNIT_TEST(flash_still_fitted),
	  UNIT_TEST(unknown_id_is_wrong_chip_only_on_a_sound_bus),
	  UNIT_TEST(failed_die), UNIT_TEST(every_address_bit_stuck),
	  UNIT_TEST(address_bits_tied),
	  UNIT_TEST(two_stuck_address_bits_are_not_a_short),
	  UNIT_TEST(alias_records_are_classified),
	  UNIT_TEST(cells_at_exact_address_and_bit),
	  UNIT_TEST(many_cells_are_summed_up),
	  UNIT_TEST(errors_a_second_read_undoes_are_random),
	  UNIT_TEST(data_bus_errors_at_one_address_are_no_line),
	  UNIT_TEST(bus_bits_fold_to_the_byte),
	  UNIT_TEST(pins_complete_after_every_step),
	  UNIT_TEST(clock_limit_and_page_cross),
	  UNIT_TEST(stray_bits_at_every_clock_are_no_limit),
	  UNIT_TEST(garbage_at_every_clock),
	  UNIT_TEST(open_line_and_a_cell),
	  UNIT_TEST(stuck_line_and_open_line),
	  UNIT_TEST(address_fault_explains_the_array_errors),
	  UNIT_TEST(cell_and_random_errors),
	  UNIT_TEST(clock_limit_and_a_cell),
	  UNIT_TEST(page_crossing_errors_are_not_random),
	  UNIT_TEST(kinds_have_design_names))
