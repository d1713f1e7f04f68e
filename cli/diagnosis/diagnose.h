/* From measurements to a diagnosis in the vocabulary of docs/architecture.md
 * §5: what is wrong with the chip and its solder joints, where, and what to
 * check. Pure: evidence in (what the stub measured, already gathered from its
 * records), faults out. Nothing here knows what psramsim injected; a real
 * board's measurements go through the same rules.
 *
 * The evidence and what each part can tell:
 *   pins    the six pins as GPIOs (stub pins command): a pin that does not
 *           read what it drives is tied to a rail (io-stuck); an undriven
 *           pin that follows a driven one against its own pull is bridged
 *           to it (io-short). Opens are invisible here.
 *   eid     the chip's ID (eid_decode.h): wrong-chip, kgd-fail, and that a
 *           chip hears and answers on IO0/IO1.
 *   lines   QPI reads with the MCU's pull-up, then pull-down (memtest
 *           lines): a data line that never reads against its pull while
 *           others do is open (io-open); none at all: no-chip.
 *   bus     data-bus (walking 1s/0s) per mode and pull: whether SPI (IO0
 *           out, IO1 in) and QPI (bit n of each nibble on IOn) carry data;
 *           a line that reads its pull in both pulls is open.
 *   addr    address-bus aliases at power-of-two offsets: addr-stuck (one
 *           bit aliases the base), addr-short (two bits alias each other).
 *           Which level a stuck internal address bit has cannot be seen
 *           from outside (both make the same pairs alias): level -1.
 *   mem     the mismatches of device/patterns/page/retention: a bit that
 *           is wrong again on a second read is a bad cell; one right on
 *           the second read is a random error.
 *   clock   data and page-crossing checks at several clocks (stub margin):
 *           clock-limit and page-cross with the highest clock that passes.
 * A fault that stops the chip from hearing or answering hides what lies
 * behind it; the result says so (untested) rather than guess. */
#ifndef CLI_DIAGNOSE_H
#define CLI_DIAGNOSE_H

#include <stddef.h>
#include <stdint.h>

#include "diagnosis/eid_decode.h"
#include "report/json.h"

#define DIAG_PINS 6	/* enum stub_pin_index order: CLK, NCS, IO0..IO3 */
#define DIAG_LINES 4
#define DIAG_MAX_FAULTS 16
#define DIAG_MAX_CELLS 8	/* reported one by one; more are summed up */
#define DIAG_MAX_CLOCKS 48
#define DIAG_LEVEL_UNKNOWN (-1)

enum diag_pull { DIAG_UP, DIAG_DOWN };
enum diag_mode { DIAG_SPI, DIAG_QPI };

struct diag_pins {
	int have;		/* every step of the test arrived */
	uint32_t seen;		/* steps arrived (bookkeeping) */
	uint8_t idle[2];	/* [pull]: levels with nothing driven */
	uint8_t drive[2][DIAG_PINS][2]; /* [pull][pin][level]: levels read */
};

struct diag_lines {
	int have[2];		/* [pull] */
	uint32_t bits;		/* bits sampled per line, per pull */
	uint32_t against[2][DIAG_LINES]; /* read against the pull */
};

/* Bit k of every byte the data-bus test read. */
struct diag_bitstat {
	uint32_t n0, n1;	/* reads with it written 0, 1 */
	uint32_t e01, e10;	/* read 1 where 0 was written, 0 where 1 */
};

#define DIAG_BUS_SPOTS 8

struct diag_bus {
	int have;
	uint32_t clock_hz;
	uint32_t echoes;	/* reads that returned the complement */
	struct diag_bitstat bit[8];
	/* Addresses that read wrong twice: a line fault shows at every
	 * address the test uses, a bad cell at one. */
	uint32_t spot[DIAG_BUS_SPOTS];
	uint32_t nspots;	/* distinct, up to DIAG_BUS_SPOTS */
};

/* At most this many addresses with errors: bad cells, not a line. */
#define DIAG_BUS_CELL_SPOTS 2

struct diag_addr {
	int have;
	uint32_t covered;	/* address bits the test reached */
	uint32_t to_base;	/* bit k: base + 2^k and the base alias */
	uint32_t pair[32];	/* [j] bit k: base + 2^j and base + 2^k alias */
	uint32_t sum[32];	/* [j] bit k: base + 2^j + 2^k aliases base */
	uint32_t other;		/* aliases of no such shape */
};

struct diag_mismatch {
	uint32_t offset;	/* chip offset of the unit */
	uint8_t width;		/* unit bytes */
	uint8_t test;		/* test bit number (STUB_TEST_*) */
	uint8_t transient;	/* a second read returned what was written */
	uint32_t written, read;
};

struct diag_mem {
	int have;
	uint32_t clock_hz;
	uint64_t bytes;		/* checked */
	uint64_t errors;	/* units wrong, reported or not */
	const struct diag_mismatch *m; /* those reported */
	size_t n;
};

/* Data within pages and bursts across a page at one clock (stub margin);
 * page_checked 0: not tested there (only up to 84 MHz). */
struct diag_clock_point {
	uint32_t clock_hz;
	uint32_t data_checked, data_wrong;	/* bytes */
	uint32_t page_checked, page_wrong;
};

struct diag_clock {
	size_t n;
	struct diag_clock_point pt[DIAG_MAX_CLOCKS];
};

struct diag_evidence {
	const struct eid_report *eid;	/* NULL: not read */
	struct diag_pins pins;
	struct diag_lines lines;
	struct diag_bus bus[2][2];	/* [enum diag_mode][enum diag_pull] */
	struct diag_addr addr;
	struct diag_mem mem;
	struct diag_clock clock;
	/* MCU pin names for the words ("PD12"), NULL where unknown. */
	const char *pin_names[DIAG_PINS];
};

enum diag_kind {
	DIAG_NO_CHIP,
	DIAG_WRONG_CHIP,
	DIAG_KGD_FAIL,
	DIAG_IO_OPEN,
	DIAG_IO_STUCK,
	DIAG_IO_SHORT,
	DIAG_ADDR_STUCK,
	DIAG_ADDR_SHORT,
	DIAG_CELL,
	DIAG_RANDOM_ERRORS,
	DIAG_CLOCK_LIMIT,
	DIAG_PAGE_CROSS,
	/* verify's mapped stage (H7A3): the chip and joints pass, CPU access
	 * through the window with the recommended settings does not. */
	DIAG_MAPPED,
	/* verify's bench stage: write-and-read-back throughput below half
	 * the wire limit (a bus that stalls or retries) or above it (the
	 * timing basis is wrong). */
	DIAG_BUS_SPEED,
};

struct diag_fault {
	enum diag_kind kind;
	int line;		/* io-open, io-stuck: 0..3; -1 CLK/NCS (pin) */
	int pin;		/* enum stub_pin_index of io-* faults */
	int level;		/* io-stuck, cell: 0/1; addr-stuck: -1 */
	uint8_t pins;		/* io-short: bit = pin index */
	int bit;		/* addr-stuck, cell */
	uint32_t bits;		/* addr-short: mask */
	uint32_t address;	/* cell */
	double rate;		/* random-errors: per bit read */
	uint32_t max_hz;	/* clock-limit, page-cross: highest passing */
	uint32_t fail_hz;	/* lowest failing */
	double mb_s, wire_mb_s;	/* bus-speed: measured, wire limit */
	char id[32];		/* wrong-chip: hex bytes */
	uint8_t eid[8];		/* kgd-fail */
	char words[240];	/* what it is, in plain words */
	char check[240];	/* what to check on the board */
};

struct diag_result {
	int pass;
	struct diag_fault faults[DIAG_MAX_FAULTS];
	size_t n;
	size_t cells_more;	/* bad cells beyond those listed */
	int multiple;		/* evidence of more than the listed faults */
	char untested[200];	/* what could not be tested, and why */
};

void diag_run(const struct diag_evidence *ev, struct diag_result *out);

/* Whether a clock point shows the chip failing, on its own: a few stray
 * bits (random errors) do not count, a run of wrong bytes does. The
 * diagnosis also compares the points with each other. */
int diag_clock_data_ok(const struct diag_clock_point *p);
int diag_clock_page_ok(const struct diag_clock_point *p);

/* "no-chip", "io-open", ...: the kinds of docs/architecture.md §5. */
const char *diag_kind_name(enum diag_kind kind);
/* The fault's kind and locating fields as members of the open object. */
void diag_json_fault(struct json *j, const struct diag_fault *f);

/* Counting helpers for the evidence, fed with the stub's records. */
/* A BITS record (data-bus): folds bit k of the unit into bit k % 8. */
void diag_bus_add_bits(struct diag_bus *b, uint32_t bit, uint32_t a,
		       uint32_t rb, uint32_t rc);
/* An ERROR record of the data-bus test that was wrong again on a second
 * read: where. */
void diag_bus_add_spot(struct diag_bus *b, uint32_t offset);
/* The data lines carried the walking bits (bad cells aside). */
int diag_bus_clean(const struct diag_bus *b);
/* An ALIAS record: written and changed offsets, base. */
void diag_addr_add(struct diag_addr *a, uint32_t written, uint32_t changed,
		   uint32_t base);
/* A PIN record. Sets have once all 26 steps are in. */
void diag_pins_add(struct diag_pins *p, uint32_t code, uint32_t pull,
		   uint32_t levels);

#endif
