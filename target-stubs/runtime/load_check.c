/*
 * The image check, the first C the stub runs (startup.S calls it before
 * it zeroes .bss or touches anything else): the CRC-32 of the image as it
 * sits in RAM against the host's (entry contract step 4 in stub_abi.h).
 * A load the debug link corrupted is refused here, before a single
 * instruction of the rest runs, and the host never reads the image back.
 *
 * This function and everything before it (vectors, image header, exit,
 * entry) lie below STUB_BOOT_END, which the host does read back: the code
 * that judges the image is itself checked byte by byte. So it calls
 * nothing (image_crc.h is inlined) and stub.ld keeps it in .stub_boot,
 * right after the entry.
 */
#include "image_crc.h"
#include "runtime/stub.h"
#include "regs/mmio.h"

__attribute__((section(".stub_boot"))) uint32_t
stub_load_check(uint32_t size, uint32_t want)
{
	volatile struct stub_mailbox *mb =
		(volatile struct stub_mailbox *)(uintptr_t)STUB_MAILBOX_ADDR;
	uint32_t status = STUB_STATUS_BAD_PARAMS, detail = STUB_DETAIL_IMAGE_SIZE;
	uint32_t a = size, b = 0U;

	if (size >= STUB_BOOT_END - STUB_LOAD_ADDR && size <= STUB_IMAGE_MAX) {
		uint32_t got = image_crc_final(image_crc_update(
			IMAGE_CRC_INIT,
			(const uint8_t *)(uintptr_t)STUB_LOAD_ADDR,
			size));

		if (got == want)
			return 0U;
		status = STUB_STATUS_IMAGE_CRC;
		detail = STUB_DETAIL_NONE;
		a = got;
		b = want;
	}
	/* What dispatch.c's begin and end would write, in their order: the
	 * status word last. */
	mb->magic = STUB_MAILBOX_MAGIC;
	mb->stub_abi_version = STUB_ABI_VERSION;
	mb->detail = detail;
	mb->detail_a = a;
	mb->detail_b = b;
	mb->result.cycles = 0U;
	mb->result.cycles_hi = 0U;
	mb->ring.head = 0U;
	mb->seq_done = mb->seq;
	barrier_dmb();
	mb->status = status;
	barrier_dmb();
	return status;
}
