/* The stub ABI seen from the host: the stub image embedded in psramctl,
 * built by the other compiler, carries the header, vectors and exit the
 * host's stub_abi.h expects. The layout and the numbers are compile-time
 * facts, asserted in stub_abi.h and below, not run-time tests. */
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

/* The numbers travel between two programs built apart, so they never
 * move; the layout itself is pinned by stub_abi.h's own assertions. These
 * are compile-time facts: a change breaks the build of this test. */
_Static_assert(STUB_STATUS_IDLE == 0 && STUB_STATUS_RUNNING == 1 &&
		       STUB_STATUS_OK == 2 && STUB_STATUS_TEST_ERRORS == 3 &&
		       STUB_STATUS_BAD_COMMAND == 4 &&
		       STUB_STATUS_BAD_PARAMS == 5 &&
		       STUB_STATUS_ABI_MISMATCH == 6 &&
		       STUB_STATUS_XSPI_TIMEOUT == 7 &&
		       STUB_STATUS_XSPI_ERROR == 8 &&
		       STUB_STATUS_RING_TIMEOUT == 9 &&
		       STUB_STATUS_STOPPED == 10 &&
		       STUB_STATUS_UNSUPPORTED == 11 && STUB_STATUS_FAULT == 12 &&
		       STUB_STATUS_CLOCK_CHECK == 13 &&
		       STUB_STATUS_IMAGE_CRC == 14,
	       "stub status values moved");
_Static_assert(STUB_CMD_PING == 1 && STUB_CMD_EID == 2 &&
		       STUB_CMD_MEMTEST == 3 && STUB_CMD_PINS == 4,
	       "stub command numbers moved");
_Static_assert(STUB_REC_PROGRESS == 1 && STUB_REC_ERROR == 2 &&
		       STUB_REC_SAMPLE == 3 && STUB_REC_LOG == 4 &&
		       STUB_REC_TEST == 6 && STUB_REC_BITS == 7 &&
		       STUB_REC_ALIAS == 8 && STUB_REC_LINES == 9 &&
		       STUB_REC_PIN == 10,
	       "stub record types moved");
_Static_assert(STUB_TEST_DATA_BUS == 1u << 0 &&
		       STUB_TEST_ADDRESS_BUS == 1u << 1 &&
		       STUB_TEST_DEVICE == 1u << 2 &&
		       STUB_TEST_PATTERNS == 1u << 3 &&
		       STUB_TEST_PAGE == 1u << 4 &&
		       STUB_TEST_RETENTION == 1u << 5 &&
		       STUB_TEST_LINES == 1u << 6,
	       "stub test bits moved");
_Static_assert(STUB_PIN_NONE == 0xff && STUB_ERR_TEST_MASK == 0xff &&
		       STUB_ERR_TRANSIENT == 1u << 8 &&
		       STUB_ERR_ECHO == 1u << 9 &&
		       STUB_DETAIL_TESTS == 0x130 &&
		       STUB_DETAIL_PATTERNS == 0x131,
	       "stub record codes moved");

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

UNIT_MAIN("cli_abi", UNIT_TEST(test_image_size), UNIT_TEST(test_image_header),
	  UNIT_TEST(test_image_vectors), UNIT_TEST(test_image_exit))
