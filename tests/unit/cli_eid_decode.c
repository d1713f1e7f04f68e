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

static void good_psram(void)
{
	struct stub_result r;
	struct eid_lines l;
	struct eid_report rep;

	result(&r, esp_eid, ff3);
	lines(&l, 0xf);
	eid_decode(&r, &l, &rep);
	CHECK_EQ(rep.chip, EID_CHIP_PSRAM);
	CHECK(rep.pass);
	CHECK_EQ(rep.kgd, 1);
	CHECK_EQ(rep.density_mbit, 64);
	CHECK_EQ(rep.density_code, 2);
	CHECK_EQ(rep.nfaults, 0);
	CHECK_EQ(rep.driven, 0xf);
	CHECK_EQ(rep.floating, 0);
	CHECK_STR(rep.summary,
		  "64 Mbit PSRAM of the AP Memory family: ESP-PSRAM64H, "
		  "LY68L6400, APS6404L or IPS6404L \xe2\x80\x94 the ID does "
		  "not tell them apart");
	CHECK_STR(rep.problem, "");
	CHECK_STR(eid_chip_name(rep.chip), "psram");
}

static void kgd_fail(void)
{
	uint8_t id[8];
	struct stub_result r;
	struct eid_lines l;
	struct eid_report rep;

	memcpy(id, esp_eid, 8);
	id[1] = 0x55;
	result(&r, id, ff3);
	lines(&l, 0xf);
	eid_decode(&r, &l, &rep);
	CHECK_EQ(rep.chip, EID_CHIP_PSRAM);
	CHECK(!rep.pass);
	CHECK_EQ(rep.kgd, 0);
	CHECK(has_fault(&rep, EID_FAULT_KGD_FAIL, -1));
	CHECK(strstr(rep.summary, "failed die (KGD 0x55)") != NULL);
	CHECK_STR(rep.problem, rep.summary);
}

static void other_density(void)
{
	uint8_t id[8];
	struct stub_result r;
	struct eid_report rep;

	memcpy(id, esp_eid, 8);
	id[2] = 0x32; /* EID[47:45] = 001: 32 Mbit */
	result(&r, id, ff3);
	eid_decode(&r, NULL, &rep);
	CHECK_EQ(rep.chip, EID_CHIP_PSRAM);
	CHECK_EQ(rep.density_mbit, 32);
	CHECK(!rep.pass);
	CHECK(has_fault(&rep, EID_FAULT_DENSITY, -1));
	CHECK(strstr(rep.summary, "32 Mbit PSRAM") != NULL);
}

static void w25q64(void)
{
	static const uint8_t noise[8] = {0xd3, 0x3c, 0xd8, 0x8a,
					 0xe4, 0x37, 0xcb, 0xf2};
	static const uint8_t j[3] = {0xef, 0x40, 0x17};
	struct stub_result r;
	struct eid_lines l;
	struct eid_report rep;

	result(&r, noise, j);
	lines(&l, 0);
	eid_decode(&r, &l, &rep);
	CHECK_EQ(rep.chip, EID_CHIP_FLASH);
	CHECK(!rep.pass);
	CHECK_STR(rep.flash_part, "W25Q64");
	CHECK_STR(rep.flash_maker, "Winbond");
	CHECK_EQ(rep.flash_mbit, 64);
	CHECK_STR(rep.summary, "a flash chip (W25Q64, EF 40 17) is still "
			       "fitted");
	CHECK(has_fault(&rep, EID_FAULT_WRONG_CHIP, -1));
	/* No io-open for a flash that ignores 0xEB (QE = 0). */
	CHECK_EQ(rep.nfaults, 1);
}

/* The flash framing wins: a PSRAM never answers it. */
static void flash_with_psram_like_noise(void)
{
	static const uint8_t j[3] = {0xef, 0x70, 0x17};
	struct stub_result r;
	struct eid_report rep;

	result(&r, esp_eid, j);
	eid_decode(&r, NULL, &rep);
	CHECK_EQ(rep.chip, EID_CHIP_FLASH);
	CHECK_STR(rep.flash_part, "W25Q64");
}

static void other_flash(void)
{
	static const uint8_t j[3] = {0xc2, 0x20, 0x18};
	struct stub_result r;
	struct eid_report rep;

	result(&r, ff8, j);
	eid_decode(&r, NULL, &rep);
	CHECK_EQ(rep.chip, EID_CHIP_FLASH);
	CHECK(rep.flash_part == NULL);
	CHECK_STR(rep.flash_maker, "Macronix");
	CHECK_EQ(rep.flash_mbit, 128);
	CHECK_STR(rep.summary, "a flash chip (Macronix, 128 Mbit, C2 20 18) "
			       "is fitted, not a PSRAM");
}

static void absent(void)
{
	struct stub_result r;
	struct eid_lines l;
	struct eid_report rep;

	result(&r, ff8, ff3);
	lines(&l, 0);
	eid_decode(&r, &l, &rep);
	CHECK_EQ(rep.chip, EID_CHIP_NONE);
	CHECK(!rep.pass);
	CHECK(has_fault(&rep, EID_FAULT_NO_CHIP, -1));
	CHECK_EQ(rep.nfaults, 1);
	CHECK_EQ(rep.floating, 0xf);
	CHECK(!strncmp(rep.summary, "no chip answers (bus reads all 1s)", 34));
	CHECK(strstr(rep.summary, "IO1 open") == NULL);
	CHECK_STR(eid_fault_name(rep.faults[0].kind), "no-chip");
}

/* Without the LINES records an open IO1 cannot be ruled out. */
static void absent_unprobed(void)
{
	struct stub_result r;
	struct eid_report rep;

	result(&r, ff8, ff3);
	eid_decode(&r, NULL, &rep);
	CHECK_EQ(rep.chip, EID_CHIP_NONE);
	CHECK(!rep.lines_probed);
	CHECK(strstr(rep.summary, "or IO1 open") != NULL);
}

/* io1=open: the ID reads the pull, but the chip drives IO0, IO2, IO3. */
static void io1_open(void)
{
	struct stub_result r;
	struct eid_lines l;
	struct eid_report rep;

	result(&r, ff8, ff3);
	lines(&l, 0xd);
	eid_decode(&r, &l, &rep);
	CHECK_EQ(rep.chip, EID_CHIP_BUS_FAULT);
	CHECK(!rep.pass);
	CHECK_EQ(rep.floating, 0x2);
	CHECK_EQ(rep.driven, 0xd);
	CHECK(has_fault(&rep, EID_FAULT_IO_OPEN, 1));
	CHECK_EQ(rep.nfaults, 1);
	CHECK(strstr(rep.summary, "IO1 only follows the MCU's pull") != NULL);
	CHECK(strstr(rep.summary, "PSRAM") == NULL);
	CHECK(strstr(rep.summary, "flash") == NULL);
}

static void io1_stuck_low(void)
{
	static const uint8_t zero8[8] = {0};
	static const uint8_t zero3[3] = {0};
	struct stub_result r;
	struct eid_lines l;
	struct eid_report rep;

	result(&r, zero8, zero3);
	r.lines_before_up = r.lines_after_up = 0xd;
	lines(&l, 0xf);
	eid_decode(&r, &l, &rep);
	CHECK_EQ(rep.chip, EID_CHIP_BUS_FAULT);
	CHECK_EQ(rep.stuck_low, 0x2);
	CHECK_EQ(rep.stuck_high, 0);
	CHECK(has_fault(&rep, EID_FAULT_IO_STUCK, 1));
	CHECK_EQ(rep.faults[0].level, 0);
	CHECK(strstr(rep.summary, "IO1 (the chip's SO) is stuck low") != NULL);
}

/* IO1 low only while CE# is low: bridged to a line the controller drives. */
static void io1_zeros_while_selected(void)
{
	static const uint8_t zero8[8] = {0};
	static const uint8_t zero3[3] = {0};
	struct stub_result r;
	struct eid_lines l;
	struct eid_report rep;

	result(&r, zero8, zero3);
	lines(&l, 0xf);
	eid_decode(&r, &l, &rep);
	CHECK_EQ(rep.chip, EID_CHIP_BUS_FAULT);
	CHECK(strstr(rep.summary, "IO1 reads all 0s") != NULL);
}

static void psram_io2_open(void)
{
	struct stub_result r;
	struct eid_lines l;
	struct eid_report rep;

	result(&r, esp_eid, ff3);
	lines(&l, 0xb);
	eid_decode(&r, &l, &rep);
	CHECK_EQ(rep.chip, EID_CHIP_PSRAM);
	CHECK(!rep.pass);
	CHECK(has_fault(&rep, EID_FAULT_IO_OPEN, 2));
	CHECK(strstr(rep.problem,
		     "the PSRAM answers its ID, but IO2 is open") != NULL);
}

static void psram_io3_stuck_high(void)
{
	struct stub_result r;
	struct eid_lines l;
	struct eid_report rep;

	result(&r, esp_eid, ff3);
	r.lines_before_down = 0x8;
	lines(&l, 0xf);
	eid_decode(&r, &l, &rep);
	CHECK_EQ(rep.chip, EID_CHIP_PSRAM);
	CHECK(!rep.pass);
	CHECK_EQ(rep.stuck_high, 0x8);
	CHECK(has_fault(&rep, EID_FAULT_IO_STUCK, 3));
	CHECK_EQ(rep.faults[0].level, 1);
	CHECK(strstr(rep.problem, "IO3 is stuck high") != NULL);
}

static void unknown_id(void)
{
	static const uint8_t id[8] = {0x12, 0x34, 0x56, 0x78,
				      0x9a, 0xbc, 0xde, 0xf0};
	static const uint8_t j[3] = {0x00, 0x00, 0x01};
	struct stub_result r;
	struct eid_report rep;

	result(&r, id, j);
	eid_decode(&r, NULL, &rep);
	CHECK_EQ(rep.chip, EID_CHIP_UNKNOWN);
	CHECK(has_fault(&rep, EID_FAULT_UNKNOWN_ID, -1));
	CHECK(strstr(rep.summary, "unknown ID 12 34 56 78 9a bc de f0"));
}

/* Maker 0x0D is not enough: a noisy line must not make a PSRAM. */
static void maker_byte_alone(void)
{
	static const uint8_t id[8] = {0x0d, 0x42, 0x52, 0, 0, 0, 0, 0};
	struct stub_result r;
	struct eid_report rep;

	result(&r, id, ff3);
	eid_decode(&r, NULL, &rep);
	CHECK_EQ(rep.chip, EID_CHIP_UNKNOWN);
	memcpy(r.eid, esp_eid, 8);
	r.eid[2] = 0xe0; /* EID[47:45] = 111: no such density */
	eid_decode(&r, NULL, &rep);
	CHECK_EQ(rep.chip, EID_CHIP_UNKNOWN);
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

UNIT_MAIN("cli_eid_decode", UNIT_TEST(good_psram), UNIT_TEST(kgd_fail),
	  UNIT_TEST(other_density), UNIT_TEST(w25q64),
	  UNIT_TEST(flash_with_psram_like_noise), UNIT_TEST(other_flash),
	  UNIT_TEST(absent), UNIT_TEST(absent_unprobed), UNIT_TEST(io1_open),
	  UNIT_TEST(io1_stuck_low), UNIT_TEST(io1_zeros_while_selected),
	  UNIT_TEST(psram_io2_open), UNIT_TEST(psram_io3_stuck_high),
	  UNIT_TEST(unknown_id), UNIT_TEST(maker_byte_alone),
	  UNIT_TEST(lines_records), UNIT_TEST(names))
