/* How a stub run is judged and told (stub_outcome.c): each ending is its own
 * outcome, fault registers in words, addresses placed in the stub. */
#include <string.h>

#include "stub/stub_image.h"
#include "stub/stub_outcome.h"
#include "stub/stub_symbols.h"
#include "unit.h"

#define SEQ 0x5eed1234u

/* An image of 0x2000 bytes whose functions are the built-in stub.bin's. */
static const struct stub_image image_2k = {
	.size = 0x2000,
	.symbols = stub_symbols,
	.nsymbols = 0, /* set before use: the count is not a constant */
};

static const struct stub_image *image(void)
{
	static struct stub_image img;

	img = image_2k;
	img.nsymbols = stub_symbols_count;
	return &img;
}

static struct stub_final reported(uint32_t status)
{
	struct stub_final f = {
		.magic = STUB_MAILBOX_MAGIC,
		.stub_abi = STUB_ABI_VERSION,
		.seq_done = SEQ,
		.status = status,
		.halted = 1,
		.pc = STUB_EXIT_ADDR,
	};

	return f;
}

static void outcomes(void)
{
	struct stub_final f = reported(STUB_STATUS_OK);

	CHECK_EQ(stub_classify(&f, SEQ), STUB_OUTCOME_OK);
	f = reported(STUB_STATUS_TEST_ERRORS);
	CHECK_EQ(stub_classify(&f, SEQ), STUB_OUTCOME_TEST_ERRORS);
	f = reported(STUB_STATUS_FAULT);
	CHECK_EQ(stub_classify(&f, SEQ), STUB_OUTCOME_FAULT);
	f = reported(STUB_STATUS_STOPPED);
	CHECK_EQ(stub_classify(&f, SEQ), STUB_OUTCOME_STOPPED);
	f = reported(STUB_STATUS_XSPI_TIMEOUT);
	CHECK_EQ(stub_classify(&f, SEQ), STUB_OUTCOME_FAILED);
	f = reported(STUB_STATUS_BAD_PARAMS);
	CHECK_EQ(stub_classify(&f, SEQ), STUB_OUTCOME_FAILED);
	f = reported(STUB_STATUS_ABI_MISMATCH);
	CHECK_EQ(stub_classify(&f, SEQ), STUB_OUTCOME_ABI_MISMATCH);
}

/* Halted elsewhere, timed out and faulted are three different things. */
static void not_reported(void)
{
	struct stub_final f = reported(STUB_STATUS_RUNNING);

	CHECK_EQ(stub_classify(&f, SEQ), STUB_OUTCOME_HALTED);
	f = reported(STUB_STATUS_OK);
	f.seq_done = ~SEQ; /* an old run's result */
	CHECK_EQ(stub_classify(&f, SEQ), STUB_OUTCOME_HALTED);
	f = reported(STUB_STATUS_OK);
	f.pc = STUB_ENTRY_ADDR;
	CHECK_EQ(stub_classify(&f, SEQ), STUB_OUTCOME_HALTED);
	f = reported(STUB_STATUS_IDLE);
	f.magic = 0;
	f.timed_out = 1;
	CHECK_EQ(stub_classify(&f, SEQ), STUB_OUTCOME_TIMEOUT);
	/* reported, then hung before the BKPT: still a timeout */
	f = reported(STUB_STATUS_OK);
	f.pc = 0x20000400;
	f.timed_out = 1;
	CHECK_EQ(stub_classify(&f, SEQ), STUB_OUTCOME_TIMEOUT);
}

/* A stub of another version: its mailbox layout cannot be trusted. */
static void abi(void)
{
	struct stub_final f = reported(STUB_STATUS_OK);

	f.stub_abi = STUB_ABI_VERSION + 1;
	CHECK_EQ(stub_classify(&f, SEQ), STUB_OUTCOME_ABI_MISMATCH);
	f.timed_out = 1;
	CHECK_EQ(stub_classify(&f, SEQ), STUB_OUTCOME_ABI_MISMATCH);
	f.magic = 0; /* never ran: the version word means nothing */
	CHECK_EQ(stub_classify(&f, SEQ), STUB_OUTCOME_TIMEOUT);
}

static void names(void)
{
	CHECK_STR(stub_outcome_name(STUB_OUTCOME_HALTED), "halted-elsewhere");
	CHECK_STR(stub_outcome_name(STUB_OUTCOME_ABI_MISMATCH), "abi-mismatch");
	CHECK_STR(stub_status_name(STUB_STATUS_XSPI_TIMEOUT), "xspi-timeout");
	CHECK_STR(stub_status_name(STUB_STATUS_FAULT), "fault");
	CHECK_STR(stub_status_name(99), "status-99");
	CHECK_STR(stub_status_name(STUB_STATUS_IMAGE_CRC), "image-crc");
	for (uint32_t s = STUB_STATUS_IDLE; s <= STUB_STATUS_IMAGE_CRC; s++)
		CHECK(strncmp(stub_status_name(s), "status-", 7) != 0);
	CHECK_STR(stub_exception_name(3), "HardFault");
	CHECK_STR(stub_exception_name(5), "BusFault");
	CHECK_STR(stub_exception_name(6), "UsageFault");
	CHECK_STR(stub_exception_name(40), "exception 40");
}

static void details(void)
{
	struct strbuf sb;

	sb_init(&sb);
	stub_detail_describe(&sb, STUB_STATUS_XSPI_TIMEOUT,
			     STUB_DETAIL_WAIT_TCF, 0x20, 0x05000100);
	CHECK_STR(sb.buf, "TCF never set (SR 0x00000020, CCR 0x05000100)");
	sb_reset(&sb);
	stub_detail_describe(&sb, STUB_STATUS_BAD_PARAMS, STUB_DETAIL_PIN,
			     3u << 8 | 11, STUB_PIN_IO0);
	CHECK_STR(sb.buf, "pin PD11 for io0");
	sb_reset(&sb);
	stub_detail_describe(&sb, STUB_STATUS_ABI_MISMATCH, 0, 2, 1);
	CHECK_STR(sb.buf, "psramctl sent ABI version 2, the stub speaks 1");
	sb_reset(&sb);
	stub_detail_describe(&sb, STUB_STATUS_UNSUPPORTED, STUB_DETAIL_XSPI,
			     STUB_XSPI_OCTOSPI, STUB_FAMILY_STM32H7A3);
	CHECK_STR(sb.buf, "the stub has no driver for the OCTOSPI");
	sb_reset(&sb);
	stub_detail_describe(&sb, STUB_STATUS_IMAGE_CRC, 0, 0x12345678,
			     0xcafef00d);
	CHECK_STR(sb.buf, "the image in the target's RAM has CRC-32 "
			  "0x12345678, the one psramctl loaded 0xcafef00d");
	sb_reset(&sb);
	stub_detail_describe(&sb, STUB_STATUS_BAD_PARAMS,
			     STUB_DETAIL_IMAGE_SIZE, 0x10, 0);
	CHECK_STR(sb.buf, "image size 16 bytes");
	sb_reset(&sb);
	stub_detail_describe(&sb, STUB_STATUS_OK, 0, 0, 0);
	CHECK_STR(sb.buf, "");
	sb_release(&sb);
}

/* ARMv7-M ARM B3.2.15: the CFSR bits in words. */
static void fault_bits(void)
{
	struct strbuf sb;

	sb_init(&sb);
	stub_fault_bits(&sb, 1u << 10, 1u << 30);
	CHECK_STR(sb.buf, "imprecise data bus error (IMPRECISERR), escalated "
			  "to HardFault (FORCED)");
	sb_reset(&sb);
	stub_fault_bits(&sb, 1u << 17, 0);
	CHECK_STR(sb.buf, "invalid state: Thumb bit clear (INVSTATE)");
	sb_reset(&sb);
	stub_fault_bits(&sb, 0, 0);
	CHECK_STR(sb.buf, "no fault status bits");
	sb_release(&sb);
}

/* What stub_where must say for a pc inside the stub's code: the function
 * from the embedded symbol table and the offset into it (the table changes
 * with every stub build, so it is looked up, not written here). */
static void where_text(char *out, size_t n, uint32_t pc)
{
	const struct stub_symbol *fn =
		stub_symbol_find(stub_symbols, stub_symbols_count, pc);

	if (fn)
		snprintf(out, n, "0x%08x (in the stub, %s+0x%x)", pc, fn->name,
			 pc - (fn->addr & ~1U));
	else
		snprintf(out, n, "0x%08x (in the stub, image offset 0x%x)", pc,
			 pc - 0x20000000U);
}

static void fault_line(void)
{
	struct stub_fault f = {
		.exception = 5,
		.cfsr = 1u << 9 | 1u << 15, /* PRECISERR, BFARVALID */
		.bfar = 0x90000000,
		.pc = 0x20000400,
		.lr = 0x20000201,
	};
	struct strbuf sb;

	char place[96];

	sb_init(&sb);
	stub_fault_describe(&sb, &f, image());
	where_text(place, sizeof(place), 0x20000400);
	CHECK(strncmp(sb.buf, "BusFault at ", 12) == 0);
	CHECK(strncmp(sb.buf + 12, place, strlen(place)) == 0);
	CHECK_STR(sb.buf + 12 + strlen(place),
		  ": precise data bus error (PRECISERR); CFSR 0x00008200 "
		  "HFSR 0x00000000 BFAR 0x90000000 LR 0x20000201");
	sb_reset(&sb);
	f.pc = 0;
	f.cfsr = 1u << 12;
	stub_fault_describe(&sb, &f, image());
	CHECK(strstr(sb.buf, "(exception frame unreadable)") != NULL);
	CHECK(strstr(sb.buf, "BFAR") == NULL); /* not valid */
	sb_release(&sb);
}

static void where(void)
{
	char inside[96];
	const struct {
		uint32_t pc;
		const char *text;
	} cases[] = {
		{0x20000060, "0x20000060 (the stub's exit)"},
		{0x20000064, "0x20000064 (the stub's entry)"},
		{0x20000010, "0x20000010 (the stub's vector table, not code)"},
		{0x20000044, "0x20000044 (the stub's image header, not code)"},
		{0x20000900, inside},
		{0x20003000, "0x20003000 (past the end of the stub)"},
		{0x20008010, "0x20008010 (in the mailbox, not code)"},
		{0x08000400, "0x08000400 (in flash: firmware, not the stub)"},
		{0xfffffffe, "0xfffffffe (lockup)"},
		{0x24000000, "0x24000000 (outside the stub)"},
	};
	struct strbuf sb;

	where_text(inside, sizeof(inside), 0x20000900);
	CHECK(strstr(inside, "+0x") != NULL);
	sb_init(&sb);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sb_reset(&sb);
		stub_where(&sb, cases[i].pc, image());
		CHECK_STR(sb.buf, cases[i].text);
	}
	sb_release(&sb);
}

UNIT_MAIN("cli_stub_outcome", UNIT_TEST(outcomes), UNIT_TEST(not_reported),
	  UNIT_TEST(abi), UNIT_TEST(names), UNIT_TEST(details),
	  UNIT_TEST(fault_bits), UNIT_TEST(fault_line), UNIT_TEST(where))
