/* The stub ABI seen from the host: the layout compiles here with the same
 * offsets as on the target (stub_abi.h asserts them at compile time on
 * both sides; these checks print what was checked), and the stub image
 * embedded in psramctl matches the header's addresses. */
#include "stub_abi.h"
#include "unit.h"

extern const unsigned char stub_image[];
extern const unsigned int stub_image_size;

static uint32_t image_word(uint32_t addr)
{
	uint32_t off = addr - STUB_LOAD_ADDR;

	return (uint32_t)stub_image[off] | (uint32_t)stub_image[off + 1] << 8 |
	       (uint32_t)stub_image[off + 2] << 16 |
	       (uint32_t)stub_image[off + 3] << 24;
}

static uint32_t image_half(uint32_t addr)
{
	uint32_t off = addr - STUB_LOAD_ADDR;

	return (uint32_t)stub_image[off] | (uint32_t)stub_image[off + 1] << 8;
}

static void test_mailbox_layout(void)
{
	CHECK_EQ(offsetof(struct stub_mailbox, magic), 0x000);
	CHECK_EQ(offsetof(struct stub_mailbox, stub_abi_version), 0x004);
	CHECK_EQ(offsetof(struct stub_mailbox, host_abi_version), 0x008);
	CHECK_EQ(offsetof(struct stub_mailbox, command), 0x00c);
	CHECK_EQ(offsetof(struct stub_mailbox, seq), 0x010);
	CHECK_EQ(offsetof(struct stub_mailbox, seq_done), 0x014);
	CHECK_EQ(offsetof(struct stub_mailbox, status), 0x018);
	CHECK_EQ(offsetof(struct stub_mailbox, stop), 0x028);
	CHECK_EQ(offsetof(struct stub_mailbox, fault), 0x034);
	CHECK_EQ(offsetof(struct stub_mailbox, params), 0x05c);
	CHECK_EQ(offsetof(struct stub_mailbox, params.pins), 0x05c + 0xb8);
	CHECK_EQ(offsetof(struct stub_mailbox, result), 0x144);
	CHECK_EQ(offsetof(struct stub_mailbox, result.eid), 0x154);
	CHECK_EQ(offsetof(struct stub_mailbox, result.jedec), 0x15c);
	CHECK_EQ(offsetof(struct stub_mailbox, ring.head), 0x170);
	CHECK_EQ(offsetof(struct stub_mailbox, ring.tail), 0x174);
	CHECK_EQ(offsetof(struct stub_mailbox, ring.rec), 0x178);
	CHECK_EQ(sizeof(struct stub_record), 16);
	CHECK_EQ(sizeof(struct stub_pin), 8);
	CHECK_EQ(sizeof(struct stub_mailbox), 0x178 + 16 * STUB_RING_RECORDS);
	CHECK(sizeof(struct stub_mailbox) <= STUB_MAILBOX_SPACE);
}

static void test_memory_map(void)
{
	CHECK_EQ(STUB_LOAD_ADDR, 0x20000000);
	CHECK_EQ(STUB_IMAGE_HEADER_ADDR, STUB_LOAD_ADDR + 16 * 4);
	CHECK_EQ(STUB_EXIT_ADDR,
		 STUB_IMAGE_HEADER_ADDR + sizeof(struct stub_image_header));
	CHECK_EQ(STUB_ENTRY_ADDR, STUB_EXIT_ADDR + 4);
	CHECK(STUB_MAILBOX_ADDR + STUB_MAILBOX_SPACE < STUB_RAM_MIN_END);
	CHECK(STUB_RAM_MIN_END <= STUB_RAM_MAX_END);
	CHECK_EQ(STUB_RING_RECORDS & (STUB_RING_RECORDS - 1), 0);
}

/* The values travel between two programs built apart: they never move. */
static void test_status_values(void)
{
	CHECK_EQ(STUB_STATUS_IDLE, 0);
	CHECK_EQ(STUB_STATUS_RUNNING, 1);
	CHECK_EQ(STUB_STATUS_OK, 2);
	CHECK_EQ(STUB_STATUS_TEST_ERRORS, 3);
	CHECK_EQ(STUB_STATUS_BAD_COMMAND, 4);
	CHECK_EQ(STUB_STATUS_BAD_PARAMS, 5);
	CHECK_EQ(STUB_STATUS_ABI_MISMATCH, 6);
	CHECK_EQ(STUB_STATUS_XSPI_TIMEOUT, 7);
	CHECK_EQ(STUB_STATUS_XSPI_ERROR, 8);
	CHECK_EQ(STUB_STATUS_RING_TIMEOUT, 9);
	CHECK_EQ(STUB_STATUS_STOPPED, 10);
	CHECK_EQ(STUB_STATUS_UNSUPPORTED, 11);
	CHECK_EQ(STUB_STATUS_FAULT, 12);
	CHECK_EQ(STUB_CMD_PING, 1);
	CHECK_EQ(STUB_CMD_EID, 2);
	CHECK_EQ(STUB_REC_PROGRESS, 1);
	CHECK_EQ(STUB_REC_ERROR, 2);
	CHECK_EQ(STUB_REC_SAMPLE, 3);
	CHECK_EQ(STUB_REC_LOG, 4);
}

/* memtest and pins: command numbers, test bits, record types and the
 * ERROR code flags. */
static void test_memtest_values(void)
{
	CHECK_EQ(STUB_CMD_MEMTEST, 3);
	CHECK_EQ(STUB_CMD_PINS, 4);
	CHECK_EQ(STUB_TEST_DATA_BUS, 1u << 0);
	CHECK_EQ(STUB_TEST_ADDRESS_BUS, 1u << 1);
	CHECK_EQ(STUB_TEST_DEVICE, 1u << 2);
	CHECK_EQ(STUB_TEST_PATTERNS, 1u << 3);
	CHECK_EQ(STUB_TEST_PAGE, 1u << 4);
	CHECK_EQ(STUB_TEST_RETENTION, 1u << 5);
	CHECK_EQ(STUB_TEST_LINES, 1u << 6);
	CHECK_EQ(STUB_REC_TEST, 6);
	CHECK_EQ(STUB_REC_BITS, 7);
	CHECK_EQ(STUB_REC_ALIAS, 8);
	CHECK_EQ(STUB_REC_LINES, 9);
	CHECK_EQ(STUB_REC_PIN, 10);
	CHECK_EQ(STUB_PIN_NONE, 0xff);
	CHECK_EQ(STUB_ERR_TEST_MASK, 0xff);
	CHECK_EQ(STUB_ERR_TRANSIENT, 1u << 8);
	CHECK_EQ(STUB_ERR_ECHO, 1u << 9);
	CHECK_EQ(STUB_DETAIL_TESTS, 0x130);
	CHECK_EQ(STUB_DETAIL_PATTERNS, 0x131);
}

static void test_image_size(void)
{
	CHECK(stub_image_size > STUB_ENTRY_ADDR - STUB_LOAD_ADDR);
	CHECK(stub_image_size <= STUB_IMAGE_MAX);
}

static void test_image_header(void)
{
	uint32_t h = STUB_IMAGE_HEADER_ADDR;

	CHECK_EQ(image_word(h + offsetof(struct stub_image_header, magic)),
		 STUB_IMAGE_MAGIC);
	CHECK_EQ(image_word(h + offsetof(struct stub_image_header, abi_version)),
		 STUB_ABI_VERSION);
	CHECK_EQ(image_word(h + offsetof(struct stub_image_header, load_addr)),
		 STUB_LOAD_ADDR);
	CHECK_EQ(image_word(h + offsetof(struct stub_image_header, entry_addr)),
		 STUB_ENTRY_ADDR);
	CHECK_EQ(image_word(h + offsetof(struct stub_image_header, exit_addr)),
		 STUB_EXIT_ADDR);
	CHECK_EQ(image_word(h + offsetof(struct stub_image_header, mailbox_addr)),
		 STUB_MAILBOX_ADDR);
	CHECK_EQ(image_word(h + offsetof(struct stub_image_header, mailbox_size)),
		 sizeof(struct stub_mailbox));
	CHECK_EQ(image_word(h + offsetof(struct stub_image_header, ram_min_end)),
		 STUB_RAM_MIN_END);
}

/* Vector 1 is the entry with the Thumb bit; every handler is Thumb code
 * inside the image. */
static void test_image_vectors(void)
{
	CHECK_EQ(image_word(STUB_LOAD_ADDR + 4), STUB_ENTRY_ADDR | 1);
	for (uint32_t n = 2; n < 16; n++) {
		uint32_t v = image_word(STUB_LOAD_ADDR + 4 * n);

		CHECK_EQ(v & 1, 1);
		CHECK(v > STUB_ENTRY_ADDR && v < STUB_LOAD_ADDR + stub_image_size);
	}
}

/* BKPT #0 (0xBE00) at the exit, then `b.n` back to it (0xE7FD). */
static void test_image_exit(void)
{
	CHECK_EQ(image_half(STUB_EXIT_ADDR), 0xBE00);
	CHECK_EQ(image_half(STUB_EXIT_ADDR + 2), 0xE7FD);
	/* The entry starts with CPSID I (0xB672). */
	CHECK_EQ(image_half(STUB_ENTRY_ADDR), 0xB672);
}

/* Free-running 32-bit indices: counts and slots stay right across the
 * wrap, which is why the ring size must divide 2^32. */
static void test_ring_wrap(void)
{
	uint32_t tail = 0xFFFFFFF0U;
	uint32_t head = tail + STUB_RING_RECORDS;

	CHECK_EQ(head - tail, STUB_RING_RECORDS);
	CHECK_EQ(tail % STUB_RING_RECORDS, STUB_RING_RECORDS - 16);
	CHECK_EQ((tail + 16) % STUB_RING_RECORDS, 0);
}

UNIT_MAIN("cli_abi", UNIT_TEST(test_mailbox_layout), UNIT_TEST(test_memory_map),
	  UNIT_TEST(test_status_values), UNIT_TEST(test_memtest_values),
	  UNIT_TEST(test_image_size),
	  UNIT_TEST(test_image_header), UNIT_TEST(test_image_vectors),
	  UNIT_TEST(test_image_exit), UNIT_TEST(test_ring_wrap))
