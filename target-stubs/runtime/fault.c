/* The C half of the fault handler (startup.S switches to the fault stack
 * and calls it): everything the host needs to say where and why the stub
 * died. It touches only the SCB and the mailbox at its fixed address. */
#include "runtime/stub.h"

#include "regs/mmio.h"
#include "regs/regs_scb.h"

/* ARMv7-M ARM B1.5.6: r0, r1, r2, r3, r12, lr, pc, xPSR */
#define FRAME_LR 5U
#define FRAME_PC 6U
#define FRAME_XPSR 7U
#define FRAME_BYTES 32U

void stub_fault_report(const uint32_t *frame, uint32_t exc_return)
{
	volatile struct stub_mailbox *mb =
		(volatile struct stub_mailbox *)(uintptr_t)STUB_MAILBOX_ADDR;
	uint32_t at = (uint32_t)(uintptr_t)frame;
	uint32_t ipsr;

	__asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
	mb->fault.exception = ipsr & 0x1FFU;
	mb->fault.cfsr = mmio_read32(SCB_CFSR);
	mb->fault.hfsr = mmio_read32(SCB_HFSR);
	mb->fault.mmfar = mmio_read32(SCB_MMFAR);
	mb->fault.bfar = mmio_read32(SCB_BFAR);
	mb->fault.sp = at;
	mb->fault.exc_return = exc_return;
	/* A stacking fault leaves SP anywhere: read the frame only where
	 * reading cannot fault again. */
	if ((at & 3U) == 0U && at >= STUB_LOAD_ADDR &&
	    at <= STUB_RAM_MAX_END - FRAME_BYTES) {
		mb->fault.pc = frame[FRAME_PC];
		mb->fault.lr = frame[FRAME_LR];
		mb->fault.xpsr = frame[FRAME_XPSR];
	} else {
		mb->fault.pc = 0U;
		mb->fault.lr = 0U;
		mb->fault.xpsr = 0U;
	}
	mb->detail = STUB_DETAIL_NONE;
	mb->detail_a = 0U;
	mb->detail_b = 0U;
	mb->seq_done = mb->seq;
	barrier_dmb();
	mb->status = STUB_STATUS_FAULT;
	barrier_dmb();
}
