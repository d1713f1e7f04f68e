/* The eid verdict from the bytes the stub read (eid_decode.c): every chip
 * and bus condition of docs/architecture.md §5
 * that eid can see, and the cases that must
 * not be mistaken for one another (an open line is never a chip name). */
#include <string.h>

#include "diagnosis/eid_decode.h"
#include "unit.h"

static const uint8_t esp_eid[8] = {0x0d, 0x5d, 0x52, 0xa2, 0x64, 0x31,
				   0x91, 0x31};

/* A healthy bus: with CE# high every line follows both pulls. */
static void result(struct stub_result *r, const uint8_t eid[8],
		   const uint8_t jedec[3])
{
	memset(r, 0, sizeof(*r));
	memcpy(r->eid, eid, 8);
	memcpy(r->jedec, jedec, 3);
	r->lines_before_up = r->lines_after_up = 0xf;
	r->lines_before_down = r->lines_after_down = 0x0;
}

/* LINES records with `driven` lines reading against their pull. */
static void lines(struct eid_lines *l, unsigned driven)
{
	struct stub_record up = {.type = STUB_REC_LINES, .code = STUB_PULL_UP,
				 .a = 16};
	struct stub_record down = {.type = STUB_REC_LINES,
				   .code = STUB_PULL_DOWN, .a = 16};
	uint32_t n[4];

	memset(l, 0, sizeof(*l));
	for (int i = 0; i < 4; i++)
		n[i] = (driven >> i) & 1 ? 5u + (unsigned)i : 0;
	up.b = n[0] | n[1] << 16;
	up.c = n[2] | n[3] << 16;
	down.b = (n[1] ? 3u : 0) << 16 | (n[0] ? 9u : 0);
	down.c = (n[3] ? 2u : 0) << 16 | (n[2] ? 11u : 0);
	CHECK(eid_lines_add(l, &up));
	CHECK(eid_lines_add(l, &down));
}

static int has_fault(const struct eid_report *rep, enum eid_fault_kind k,
		     int line)
{
	for (int i = 0; i < rep->nfaults; i++)
		if (rep->faults[i].kind == k &&
		    (line < 0 || rep->faults[i].line == line))
			return 1;
	return 0;
}

static const uint8_t ff3[3] = {0xff, 0xff, 0xff};
static const uint8_t ff8[8] = {0xff, 0xff, 0xff, 0xff,
			       0xff, 0xff, 0xff, 0xff};
static const uint8_t zero3[3], zero8[8];
static const uint8_t esp_kgd55[8] = {0x0d, 0x55, 0x52, 0xa2,
				     0x64, 0x31, 0x91, 0x31};
/* EID[47:45] = 001: 32 Mbit */
static const uint8_t esp_32mbit[8] = {0x0d, 0x5d, 0x32, 0xa2,
				      0x64, 0x31, 0x91, 0x31};
static const uint8_t noise[8] = {0xd3, 0x3c, 0xd8, 0x8a,
				 0xe4, 0x37, 0xcb, 0xf2};
static const uint8_t other_id[8] = {0x12, 0x34, 0x56, 0x78,
				    0x9a, 0xbc, 0xde, 0xf0};
/* Maker 0x0D is not enough: a noisy line must not make a PSRAM. */
static const uint8_t maker_alone[8] = {0x0d, 0x42, 0x52, 0, 0, 0, 0, 0};
/* EID[47:45] = 111: no such density */
static const uint8_t esp_bad_density[8] = {0x0d, 0x5d, 0xe0, 0xa2,
					   0x64, 0x31, 0x91, 0x31};
static const uint8_t w25q64_id[3] = {0xef, 0x40, 0x17};
static const uint8_t w25q64_qpi_id[3] = {0xef, 0x70, 0x17};
static const uint8_t mx25l128_id[3] = {0xc2, 0x20, 0x18};
static const uint8_t odd_jedec[3] = {0x00, 0x00, 0x01};

#define NO_LINES (-1)	/* the stub stopped before its LINES records */
#define ANY_FAULT (-1)

/* What the stub read and the verdict it must give. */
struct eid_case {
	const char *name;
	const uint8_t *eid, *jedec;
	int driven;        /* lines LINES sees driven, or NO_LINES */
	uint8_t up_low;    /* lines low with CE# high under the pull-up */
	uint8_t down_high; /* high before the 0xEB reads, under pull-down */
	enum eid_chip chip;
	int pass;
	int fault;         /* one fault of this kind, or ANY_FAULT */
	int line;          /* on this IO line, -1 any */
	const char *says;  /* words of the summary, or of the problem */
};

static const struct eid_case cases[] = {
	{"good psram", esp_eid, ff3, 0xf, 0, 0, EID_CHIP_PSRAM, 1,
	 ANY_FAULT, -1, "64 Mbit PSRAM of the AP Memory family"},
	{"failed die", esp_kgd55, ff3, 0xf, 0, 0, EID_CHIP_PSRAM, 0,
	 EID_FAULT_KGD_FAIL, -1, "failed die (KGD 0x55)"},
	{"32 Mbit", esp_32mbit, ff3, NO_LINES, 0, 0, EID_CHIP_PSRAM, 0,
	 EID_FAULT_DENSITY, -1, "32 Mbit PSRAM"},
	{"W25Q64", noise, w25q64_id, 0, 0, 0, EID_CHIP_FLASH, 0,
	 EID_FAULT_WRONG_CHIP, -1, "a flash chip (W25Q64, EF 40 17) is "
				   "still fitted"},
	/* The flash framing wins: a PSRAM never answers it. */
	{"flash framing wins", esp_eid, w25q64_qpi_id, NO_LINES, 0, 0,
	 EID_CHIP_FLASH, 0, ANY_FAULT, -1, "W25Q64"},
	{"other flash", ff8, mx25l128_id, NO_LINES, 0, 0, EID_CHIP_FLASH, 0,
	 ANY_FAULT, -1, "a flash chip (Macronix, 128 Mbit, C2 20 18) is "
			"fitted, not a PSRAM"},
	{"absent", ff8, ff3, 0, 0, 0, EID_CHIP_NONE, 0, EID_FAULT_NO_CHIP,
	 -1, "no chip answers (bus reads all 1s)"},
	/* Without the LINES records an open IO1 cannot be ruled out. */
	{"absent, lines not probed", ff8, ff3, NO_LINES, 0, 0, EID_CHIP_NONE,
	 0, EID_FAULT_NO_CHIP, -1, "or IO1 open"},
	/* The ID reads the pull, but the chip drives IO0, IO2, IO3. */
	{"IO1 open", ff8, ff3, 0xd, 0, 0, EID_CHIP_BUS_FAULT, 0,
	 EID_FAULT_IO_OPEN, 1, "IO1 only follows the MCU's pull"},
	{"IO1 stuck low", zero8, zero3, 0xf, 0x2, 0, EID_CHIP_BUS_FAULT, 0,
	 EID_FAULT_IO_STUCK, 1, "IO1 (the chip's SO) is stuck low"},
	/* IO1 low only while CE# is low: bridged to a line the controller
	 * drives. */
	{"IO1 zeros while selected", zero8, zero3, 0xf, 0, 0,
	 EID_CHIP_BUS_FAULT, 0, ANY_FAULT, -1, "IO1 reads all 0s"},
	{"PSRAM, IO2 open", esp_eid, ff3, 0xb, 0, 0, EID_CHIP_PSRAM, 0,
	 EID_FAULT_IO_OPEN, 2, "the PSRAM answers its ID, but IO2 is open"},
	{"PSRAM, IO3 stuck high", esp_eid, ff3, 0xf, 0, 0x8, EID_CHIP_PSRAM,
	 0, EID_FAULT_IO_STUCK, 3, "IO3 is stuck high"},
	{"unknown ID", other_id, odd_jedec, NO_LINES, 0, 0, EID_CHIP_UNKNOWN,
	 0, EID_FAULT_UNKNOWN_ID, -1, "unknown ID 12 34 56 78 9a bc de f0"},
	{"maker byte alone", maker_alone, ff3, NO_LINES, 0, 0,
	 EID_CHIP_UNKNOWN, 0, ANY_FAULT, -1, NULL},
	{"no such density", esp_bad_density, ff3, NO_LINES, 0, 0,
	 EID_CHIP_UNKNOWN, 0, ANY_FAULT, -1, NULL},
};

/* The report on one case's bus. */
static void decode(const struct eid_case *c, struct eid_report *rep)
{
	struct stub_result r;
	struct eid_lines l;

	result(&r, c->eid, c->jedec);
	r.lines_before_up = r.lines_after_up = 0xf & ~c->up_low;
	r.lines_before_down = c->down_high;
	if (c->driven != NO_LINES)
		lines(&l, (unsigned)c->driven);
	eid_decode(&r, c->driven == NO_LINES ? NULL : &l, rep);
}

/* The case named, decoded. */
static const struct eid_case *named(const char *name, struct eid_report *rep)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (!strcmp(cases[i].name, name)) {
			decode(&cases[i], rep);
			return &cases[i];
		}
	return NULL;
}

static void verdicts(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct eid_case *c = &cases[i];
		struct eid_report rep;
		int ok;

		decode(c, &rep);
		ok = rep.chip == c->chip && rep.pass == c->pass &&
		     (c->fault == ANY_FAULT ||
		      has_fault(&rep, (enum eid_fault_kind)c->fault,
				c->line)) &&
		     (!c->says || strstr(rep.summary, c->says) ||
		      strstr(rep.problem, c->says));
		if (!ok)
			printf("  %s: %s, %s, %d faults: %s / %s\n", c->name,
			       eid_chip_name(rep.chip),
			       rep.pass ? "pass" : "fail", rep.nfaults,
			       rep.summary, rep.problem);
		CHECK(ok);
		/* A pass has no fault and no problem; a fault is always
		 * said. */
		CHECK(c->pass ? !rep.nfaults && !rep.problem[0]
			      : rep.nfaults || c->fault == ANY_FAULT);
	}
}

static void good_psram(void)
{
	struct eid_report rep;

	CHECK(named("good psram", &rep));
	CHECK_EQ(rep.kgd, 1);
	CHECK_EQ(rep.density_mbit, 64);
	CHECK_EQ(rep.density_code, 2);
	CHECK_EQ(rep.driven, 0xf);
	CHECK_EQ(rep.floating, 0);
	CHECK_STR(rep.summary,
		  "64 Mbit PSRAM of the AP Memory family: ESP-PSRAM64H, "
		  "LY68L6400, APS6404L or IPS6404L \xe2\x80\x94 the ID does "
		  "not tell them apart");
	CHECK_STR(eid_chip_name(rep.chip), "psram");
}

static void psram_faults(void)
{
	struct eid_report rep;

	CHECK(named("failed die", &rep));
	CHECK_EQ(rep.kgd, 0);
	CHECK_STR(rep.problem, rep.summary);
	CHECK(named("32 Mbit", &rep));
	CHECK_EQ(rep.density_mbit, 32);
	CHECK(named("PSRAM, IO3 stuck high", &rep));
	CHECK_EQ(rep.stuck_high, 0x8);
	CHECK_EQ(rep.faults[0].level, 1);
}

static void flash_chips(void)
{
	struct eid_report rep;

	CHECK(named("W25Q64", &rep));
	CHECK_STR(rep.flash_part, "W25Q64");
	CHECK_STR(rep.flash_maker, "Winbond");
	CHECK_EQ(rep.flash_mbit, 64);
	CHECK_STR(rep.summary, "a flash chip (W25Q64, EF 40 17) is still "
			       "fitted");
	/* No io-open for a flash that ignores 0xEB (QE = 0). */
	CHECK_EQ(rep.nfaults, 1);
	CHECK(named("flash framing wins", &rep));
	CHECK_STR(rep.flash_part, "W25Q64");
	CHECK(named("other flash", &rep));
	CHECK(rep.flash_part == NULL);
	CHECK_STR(rep.flash_maker, "Macronix");
	CHECK_EQ(rep.flash_mbit, 128);
}

static void absent(void)
{
	struct eid_report rep;

	CHECK(named("absent", &rep));
	CHECK_EQ(rep.nfaults, 1);
	CHECK_EQ(rep.floating, 0xf);
	CHECK(!strncmp(rep.summary, "no chip answers (bus reads all 1s)", 34));
	CHECK(strstr(rep.summary, "IO1 open") == NULL);
	CHECK_STR(eid_fault_name(rep.faults[0].kind), "no-chip");
	CHECK(named("absent, lines not probed", &rep));
	CHECK(!rep.lines_probed);
}

static void bus_faults(void)
{
	struct eid_report rep;

	CHECK(named("IO1 open", &rep));
	CHECK_EQ(rep.floating, 0x2);
	CHECK_EQ(rep.driven, 0xd);
	CHECK_EQ(rep.nfaults, 1);
	CHECK(strstr(rep.summary, "PSRAM") == NULL);
	CHECK(strstr(rep.summary, "flash") == NULL);
	CHECK(named("IO1 stuck low", &rep));
	CHECK_EQ(rep.stuck_low, 0x2);
	CHECK_EQ(rep.stuck_high, 0);
	CHECK_EQ(rep.faults[0].level, 0);
}

static void lines_records(void)
{
	struct stub_record other = {.type = STUB_REC_PROGRESS};
	struct stub_record up = {.type = STUB_REC_LINES, .code = STUB_PULL_UP,
				 .a = 16, .b = 0x00020001, .c = 0x00040003};
	struct eid_lines l;

	memset(&l, 0, sizeof(l));
	CHECK_EQ(eid_lines_add(&l, &other), 0);
	CHECK_EQ(eid_lines_add(&l, &up), 1);
	CHECK(l.have_up && !l.have_down);
	CHECK_EQ(l.bits, 16);
	CHECK_EQ(l.against_up[0], 1);
	CHECK_EQ(l.against_up[1], 2);
	CHECK_EQ(l.against_up[2], 3);
	CHECK_EQ(l.against_up[3], 4);
}

static void names(void)
{
	CHECK_STR(eid_chip_name(EID_CHIP_FLASH), "flash");
	CHECK_STR(eid_chip_name(EID_CHIP_NONE), "none");
	CHECK_STR(eid_chip_name(EID_CHIP_BUS_FAULT), "bus-fault");
	CHECK_STR(eid_chip_name(EID_CHIP_UNKNOWN), "unknown");
	CHECK_STR(eid_fault_name(EID_FAULT_WRONG_CHIP), "wrong-chip");
	CHECK_STR(eid_fault_name(EID_FAULT_KGD_FAIL), "kgd-fail");
	CHECK_STR(eid_fault_name(EID_FAULT_IO_OPEN), "io-open");
	CHECK_STR(eid_fault_name(EID_FAULT_IO_STUCK), "io-stuck");
	CHECK_STR(eid_fault_name(EID_FAULT_UNKNOWN_ID), "unknown-id");
	CHECK_STR(eid_fault_name(EID_FAULT_DENSITY), "density");
}

UNIT_MAIN("cli_eid_decode", UNIT_TEST(verdicts), UNIT_TEST(good_psram),
	  UNIT_TEST(psram_faults), UNIT_TEST(flash_chips), UNIT_TEST(absent),
	  UNIT_TEST(bus_faults), UNIT_TEST(lines_records), UNIT_TEST(names))
