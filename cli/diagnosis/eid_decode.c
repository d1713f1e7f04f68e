#include "diagnosis/eid_decode.h"

#include <stdio.h>
#include <string.h>

const char *const eid_psram_parts[4] = {
	"ESP-PSRAM64H", "LY68L6400", "APS6404L", "IPS6404L",
};

/* SPI NOR makers by JEDEC manufacturer ID (JEP106 bank 1), the ones seen on
 * these boards' footprint. */
static const struct {
	uint8_t id;
	const char *name;
} flash_makers[] = {
	{0x01, "Cypress/Spansion"}, {0x0B, "XTX"},     {0x1C, "EON"},
	{0x1F, "Adesto"},           {0x20, "Micron"},  {0x68, "Boya"},
	{0x85, "Puya"},             {0x9D, "ISSI"},    {0xBF, "Microchip"},
	{0xC2, "Macronix"},         {0xC8, "GigaDevice"}, {0xEF, "Winbond"},
};

/* docs/psram-chips.md §8: the W25Q64 answers EF 40 17 (FV, JV-IQ/JQ),
 * EF 70 17 (JV-IM/JM), EF 60 17 (FV in QPI mode). */
static const struct {
	uint8_t id[3];
	const char *part;
} flash_parts[] = {
	{{0xEF, 0x40, 0x17}, "W25Q64"},
	{{0xEF, 0x70, 0x17}, "W25Q64"},
	{{0xEF, 0x60, 0x17}, "W25Q64"},
};

/* EID[47:45] (docs/psram-chips.md §3). */
static unsigned density_mbit(unsigned code)
{
	switch (code) {
	case 0:
		return 16;
	case 1:
		return 32;
	case 2:
		return 64;
	default:
		return 0;
	}
}

const char *eid_chip_name(enum eid_chip chip)
{
	switch (chip) {
	case EID_CHIP_PSRAM:
		return "psram";
	case EID_CHIP_FLASH:
		return "flash";
	case EID_CHIP_NONE:
		return "none";
	case EID_CHIP_BUS_FAULT:
		return "bus-fault";
	case EID_CHIP_UNKNOWN:
		return "unknown";
	}
	return "unknown";
}

const char *eid_fault_name(enum eid_fault_kind kind)
{
	switch (kind) {
	case EID_FAULT_NO_CHIP:
		return "no-chip";
	case EID_FAULT_WRONG_CHIP:
		return "wrong-chip";
	case EID_FAULT_KGD_FAIL:
		return "kgd-fail";
	case EID_FAULT_IO_OPEN:
		return "io-open";
	case EID_FAULT_IO_STUCK:
		return "io-stuck";
	case EID_FAULT_UNKNOWN_ID:
		return "unknown-id";
	case EID_FAULT_DENSITY:
		return "density";
	}
	return "unknown";
}

int eid_lines_add(struct eid_lines *l, const struct stub_record *rec)
{
	uint16_t *against;

	if (rec->type != STUB_REC_LINES)
		return 0;
	if (rec->code == STUB_PULL_UP) {
		against = l->against_up;
		l->have_up = 1;
	} else if (rec->code == STUB_PULL_DOWN) {
		against = l->against_down;
		l->have_down = 1;
	} else {
		return 1;
	}
	l->bits = rec->a;
	against[0] = (uint16_t)rec->b;
	against[1] = (uint16_t)(rec->b >> 16);
	against[2] = (uint16_t)rec->c;
	against[3] = (uint16_t)(rec->c >> 16);
	return 1;
}

static int all(const uint8_t *b, size_t n, uint8_t v)
{
	for (size_t i = 0; i < n; i++)
		if (b[i] != v)
			return 0;
	return 1;
}

static void add_fault(struct eid_report *rep, enum eid_fault_kind kind,
		      int line, int level)
{
	if (rep->nfaults == EID_MAX_FAULTS)
		return;
	rep->faults[rep->nfaults].kind = kind;
	rep->faults[rep->nfaults].line = line;
	rep->faults[rep->nfaults].level = level;
	rep->nfaults++;
}

static int find_flash(struct eid_report *rep)
{
	const uint8_t *id = rep->jedec;
	unsigned cap = id[2];

	for (size_t i = 0; i < sizeof(flash_makers) / sizeof(flash_makers[0]);
	     i++)
		if (flash_makers[i].id == id[0])
			rep->flash_maker = flash_makers[i].name;
	if (!rep->flash_maker)
		return 0;
	/* Capacity byte n = 2^n bytes: 0x10 (512 Kbit) ... 0x1a (512 Mbit). */
	if (cap < 0x10 || cap > 0x1a) {
		rep->flash_maker = NULL;
		return 0;
	}
	rep->flash_mbit = 1u << (cap - 17);
	for (size_t i = 0; i < sizeof(flash_parts) / sizeof(flash_parts[0]);
	     i++)
		if (!memcmp(flash_parts[i].id, id, 3))
			rep->flash_part = flash_parts[i].part;
	return 1;
}

static void lines_text(char *buf, size_t n, uint8_t mask)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < 4; i++)
		if (mask & (1u << i))
			at += (size_t)snprintf(buf + at, n - at, "%sIO%d",
					       at ? ", " : "", i);
}

/* The lines with CE# high: each must follow the pull, whatever is fitted
 * (every chip leaves its outputs off while deselected). */
static void idle_lines(const struct stub_result *r, struct eid_report *rep)
{
	uint8_t low = (uint8_t)(~(r->lines_before_up & r->lines_after_up) &
				0xfu);
	uint8_t high = (uint8_t)((r->lines_before_down |
				  r->lines_after_down) & 0xfu);

	rep->stuck_low = low;
	rep->stuck_high = high;
	for (int n = 0; n < 4; n++) {
		int l = (low >> n) & 1, h = (high >> n) & 1;

		if (l || h)
			add_fault(rep, EID_FAULT_IO_STUCK, n,
				  l && h ? -1 : h);
	}
}

static void driven_lines(const struct eid_lines *lines,
			 struct eid_report *rep)
{
	if (!lines || !lines->have_up || !lines->have_down || !lines->bits)
		return;
	rep->lines_probed = 1;
	for (int n = 0; n < 4; n++) {
		if (lines->against_up[n] || lines->against_down[n])
			rep->driven |= (uint8_t)(1u << n);
		else
			rep->floating |= (uint8_t)(1u << n);
	}
}

/* Lines a chip that answers should drive but which only follow the pull:
 * open between the MCU and the chip. A stuck line is reported as such. */
static void open_lines(struct eid_report *rep)
{
	uint8_t open;

	if (!rep->lines_probed || !rep->driven)
		return;
	open = (uint8_t)(rep->floating & ~(rep->stuck_low | rep->stuck_high));
	for (int n = 0; n < 4; n++)
		if (open & (1u << n))
			add_fault(rep, EID_FAULT_IO_OPEN, n, 0);
}

static void decode_psram(struct eid_report *rep)
{
	const uint8_t *id = rep->eid;

	rep->chip = EID_CHIP_PSRAM;
	rep->kgd = id[1] == EID_KGD_PASS ? 1 : id[1] == EID_KGD_FAIL ? 0 : -1;
	rep->density_code = id[2] >> 5;
	rep->density_mbit = density_mbit(rep->density_code);
	if (rep->kgd == 0) {
		add_fault(rep, EID_FAULT_KGD_FAIL, 0, 0);
		snprintf(rep->summary, sizeof(rep->summary),
			 "%u Mbit PSRAM of the AP Memory family marked as a "
			 "failed die (KGD 0x%02x): do not use it",
			 rep->density_mbit, id[1]);
	} else if (rep->density_mbit != 64) {
		add_fault(rep, EID_FAULT_DENSITY, 0, 0);
		snprintf(rep->summary, sizeof(rep->summary),
			 "%u Mbit PSRAM of the AP Memory family: psramctl "
			 "expects a 64 Mbit part",
			 rep->density_mbit);
	} else {
		snprintf(rep->summary, sizeof(rep->summary),
			 "64 Mbit PSRAM of the AP Memory family: %s, %s, %s "
			 "or %s \xe2\x80\x94 the ID does not tell them apart",
			 eid_psram_parts[0], eid_psram_parts[1],
			 eid_psram_parts[2], eid_psram_parts[3]);
	}
}

static void decode_flash(struct eid_report *rep)
{
	const uint8_t *j = rep->jedec;

	rep->chip = EID_CHIP_FLASH;
	add_fault(rep, EID_FAULT_WRONG_CHIP, 0, 0);
	if (rep->flash_part)
		snprintf(rep->summary, sizeof(rep->summary),
			 "a flash chip (%s, %02X %02X %02X) is still fitted",
			 rep->flash_part, j[0], j[1], j[2]);
	else
		snprintf(rep->summary, sizeof(rep->summary),
			 "a flash chip (%s, %u Mbit, %02X %02X %02X) is "
			 "fitted, not a PSRAM",
			 rep->flash_maker, rep->flash_mbit, j[0], j[1], j[2]);
}

/* Nothing answered on IO1 in either framing. */
static void decode_silent(struct eid_report *rep, int ones)
{
	char list[32];
	uint8_t io1_bad = (rep->stuck_low | rep->stuck_high) & 2u;

	rep->chip = EID_CHIP_BUS_FAULT;
	if (io1_bad) {
		snprintf(rep->summary, sizeof(rep->summary),
			 "bus fault: IO1 (the chip's SO) is stuck %s, the ID "
			 "cannot be read",
			 rep->stuck_low & 2u ? "low" : "high");
	} else if (!ones) {
		/* RM0399 §24.3.4: in single-line phases the controller
		 * drives IO0 (and IO2 low): a bridge to one of them pulls
		 * IO1 down only while CE# is low. */
		snprintf(rep->summary, sizeof(rep->summary),
			 "bus fault: IO1 reads all 0s against the MCU's "
			 "pull-up during commands, yet follows the pull with "
			 "CE# high: shorted to a line the controller drives "
			 "(IO0 or IO2)?");
	} else if (rep->lines_probed && rep->driven && !(rep->driven & 2u)) {
		lines_text(list, sizeof(list), rep->floating);
		snprintf(rep->summary, sizeof(rep->summary),
			 "bus fault: a chip drives the data lines in a 1-4-4 "
			 "read, but %s only follow%s the MCU's pull: open "
			 "between the MCU and the chip",
			 list, rep->floating & (rep->floating - 1) ? "" : "s");
	} else if (rep->lines_probed && rep->driven) {
		snprintf(rep->summary, sizeof(rep->summary),
			 "bus fault: a chip drives IO0-IO3 in a 1-4-4 read but "
			 "does not answer the ID command on IO1");
	} else {
		rep->chip = EID_CHIP_NONE;
		add_fault(rep, EID_FAULT_NO_CHIP, 0, 0);
		snprintf(rep->summary, sizeof(rep->summary),
			 "no chip answers (bus reads all 1s): no chip fitted, "
			 "or CE#, CLK or IO0 not connected%s",
			 rep->lines_probed ? "" : ", or IO1 open");
	}
}

/* Appends "IO2 is stuck low" / "IO2, IO3 are stuck low" to buf. */
static void lines_phrase(char *buf, size_t n, uint8_t mask, const char *what)
{
	char list[32];
	size_t at = strlen(buf);

	if (!mask || at >= n)
		return;
	lines_text(list, sizeof(list), mask);
	snprintf(buf + at, n - at, "%s%s %s %s", at ? "; " : "", list,
		 mask & (mask - 1) ? "are" : "is", what);
}

/* Why a PSRAM that identified itself well still fails: its lines. */
static void line_problem(struct eid_report *rep)
{
	char lines[200] = "";
	uint8_t open = 0;

	for (int i = 0; i < rep->nfaults; i++)
		if (rep->faults[i].kind == EID_FAULT_IO_OPEN)
			open |= (uint8_t)(1u << rep->faults[i].line);
	lines_phrase(lines, sizeof(lines), open,
		     "open (the MCU reads only its own pull there in a "
		     "1-4-4 read)");
	lines_phrase(lines, sizeof(lines), rep->stuck_low & ~rep->stuck_high,
		     "stuck low");
	lines_phrase(lines, sizeof(lines), rep->stuck_high & ~rep->stuck_low,
		     "stuck high");
	lines_phrase(lines, sizeof(lines), rep->stuck_high & rep->stuck_low,
		     "reading against both pulls");
	snprintf(rep->problem, sizeof(rep->problem),
		 "bus fault: the PSRAM answers its ID, but %s", lines);
}

void eid_decode(const struct stub_result *r, const struct eid_lines *lines,
		struct eid_report *rep)
{
	const uint8_t *id;
	int id_ones, id_zeros, j_ones, j_zeros;

	memset(rep, 0, sizeof(*rep));
	memcpy(rep->eid, r->eid, sizeof(rep->eid));
	memcpy(rep->jedec, r->jedec, sizeof(rep->jedec));
	rep->kgd = -1;
	id = rep->eid;
	idle_lines(r, rep);
	driven_lines(lines, rep);
	id_ones = all(rep->eid, 8, 0xff);
	id_zeros = all(rep->eid, 8, 0x00);
	j_ones = all(rep->jedec, 3, 0xff);
	j_zeros = all(rep->jedec, 3, 0x00);

	/* A PSRAM leaves the flash framing unanswered (it is still taking
	 * the address), so a flash ID there is never a PSRAM's. */
	if (find_flash(rep)) {
		decode_flash(rep);
	} else if (id[0] == EID_MAKER_AP_MEMORY &&
		   (id[1] == EID_KGD_PASS || id[1] == EID_KGD_FAIL) &&
		   density_mbit(id[2] >> 5)) {
		decode_psram(rep);
	} else if ((id_ones && (j_ones || j_zeros)) ||
		   (id_zeros && (j_ones || j_zeros))) {
		decode_silent(rep, id_ones);
	} else {
		rep->chip = EID_CHIP_UNKNOWN;
		add_fault(rep, EID_FAULT_UNKNOWN_ID, 0, 0);
		snprintf(rep->summary, sizeof(rep->summary),
			 "unknown ID %02x %02x %02x %02x %02x %02x %02x %02x "
			 "(flash framing %02x %02x %02x): no known chip "
			 "answers like this",
			 id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7],
			 rep->jedec[0], rep->jedec[1], rep->jedec[2]);
	}
	open_lines(rep);
	rep->pass = rep->chip == EID_CHIP_PSRAM && rep->kgd == 1 &&
		    rep->density_mbit == 64 && rep->nfaults == 0;
	if (rep->pass)
		return;
	if (rep->chip == EID_CHIP_PSRAM && rep->kgd == 1 &&
	    rep->density_mbit == 64)
		line_problem(rep);
	else
		snprintf(rep->problem, sizeof(rep->problem), "%s",
			 rep->summary);
}
