#include "stub/stub_outcome.h"
#include "stub/stub_image.h"
#include "stub/stub_symbols.h"

#include <stdio.h>

enum stub_outcome stub_classify(const struct stub_final *f, uint32_t seq)
{
	int reported = f->magic == STUB_MAILBOX_MAGIC && f->seq_done == seq &&
		       f->status != STUB_STATUS_IDLE &&
		       f->status != STUB_STATUS_RUNNING;

	/* A stub of another version lays the mailbox out differently:
	 * nothing else in it can be trusted. */
	if (f->magic == STUB_MAILBOX_MAGIC && f->stub_abi != STUB_ABI_VERSION)
		return STUB_OUTCOME_ABI_MISMATCH;
	if (reported && f->status == STUB_STATUS_ABI_MISMATCH)
		return STUB_OUTCOME_ABI_MISMATCH;
	if (f->timed_out)
		return STUB_OUTCOME_TIMEOUT;
	if (!f->halted || f->pc != STUB_EXIT_ADDR || !reported)
		return STUB_OUTCOME_HALTED;
	switch (f->status) {
	case STUB_STATUS_OK:
		return STUB_OUTCOME_OK;
	case STUB_STATUS_TEST_ERRORS:
		return STUB_OUTCOME_TEST_ERRORS;
	case STUB_STATUS_FAULT:
		return STUB_OUTCOME_FAULT;
	case STUB_STATUS_STOPPED:
		return STUB_OUTCOME_STOPPED;
	default:
		return STUB_OUTCOME_FAILED;
	}
}

const char *stub_outcome_name(enum stub_outcome o)
{
	switch (o) {
	case STUB_OUTCOME_OK:
		return "ok";
	case STUB_OUTCOME_TEST_ERRORS:
		return "test-errors";
	case STUB_OUTCOME_FAILED:
		return "failed";
	case STUB_OUTCOME_FAULT:
		return "fault";
	case STUB_OUTCOME_TIMEOUT:
		return "timeout";
	case STUB_OUTCOME_HALTED:
		return "halted-elsewhere";
	case STUB_OUTCOME_ABI_MISMATCH:
		return "abi-mismatch";
	case STUB_OUTCOME_STOPPED:
		return "stopped";
	}
	return "unknown";
}

static const char *const status_names[] = {
	[STUB_STATUS_IDLE] = "idle",
	[STUB_STATUS_RUNNING] = "running",
	[STUB_STATUS_OK] = "ok",
	[STUB_STATUS_TEST_ERRORS] = "test-errors",
	[STUB_STATUS_BAD_COMMAND] = "bad-command",
	[STUB_STATUS_BAD_PARAMS] = "bad-params",
	[STUB_STATUS_ABI_MISMATCH] = "abi-mismatch",
	[STUB_STATUS_XSPI_TIMEOUT] = "xspi-timeout",
	[STUB_STATUS_XSPI_ERROR] = "xspi-error",
	[STUB_STATUS_RING_TIMEOUT] = "ring-timeout",
	[STUB_STATUS_STOPPED] = "stopped",
	[STUB_STATUS_UNSUPPORTED] = "unsupported",
	[STUB_STATUS_FAULT] = "fault",
	[STUB_STATUS_CLOCK_CHECK] = "clock-check",
	[STUB_STATUS_IMAGE_CRC] = "image-crc",
};

const char *stub_status_name(uint32_t status)
{
	static char other[24];

	if (status < sizeof(status_names) / sizeof(status_names[0]) &&
	    status_names[status])
		return status_names[status];
	snprintf(other, sizeof(other), "status-%u", (unsigned)status);
	return other;
}

static const char *pin_signal(uint32_t index)
{
	static const char *const names[STUB_PIN_COUNT] = {
		"clk", "ncs", "io0", "io1", "io2", "io3",
	};

	return index < STUB_PIN_COUNT ? names[index] : "?";
}

static void describe_params(struct strbuf *sb, uint32_t detail, uint32_t a,
			    uint32_t b)
{
	switch (detail) {
	case STUB_DETAIL_MAILBOX_ADDR:
		sb_addf(sb, "r0 0x%08x is not the mailbox address", a);
		break;
	case STUB_DETAIL_STACK:
		sb_addf(sb, "stack pointer 0x%08x leaves the stub too little "
			    "stack",
			a);
		break;
	case STUB_DETAIL_PARAMS_BYTES:
		sb_addf(sb, "params.bytes %u is not a whole number of words "
			    "within the parameters",
			a);
		break;
	case STUB_DETAIL_FAMILY:
		sb_addf(sb, "MCU family %u unknown to the stub", a);
		break;
	case STUB_DETAIL_XSPI:
		sb_addf(sb, "xSPI block %u does not fit MCU family %u", a, b);
		break;
	case STUB_DETAIL_XSPI_BASE:
		sb_addf(sb, "xSPI register base 0x%08x", a);
		break;
	case STUB_DETAIL_XSPI_WINDOW:
		sb_addf(sb, "xSPI window 0x%08x", a);
		break;
	case STUB_DETAIL_KERNEL_HZ:
		sb_addf(sb, "xSPI kernel clock %u Hz", a);
		break;
	case STUB_DETAIL_CPU_HZ:
		sb_addf(sb, "CPU clock %u Hz", a);
		break;
	case STUB_DETAIL_CLOCK_HZ:
		sb_addf(sb, "xSPI clock %u Hz (with 0x%x)", a, b);
		break;
	case STUB_DETAIL_CHIP:
		sb_addf(sb, "chip %u", a);
		break;
	case STUB_DETAIL_CHIP_SIZE:
		sb_addf(sb, "chip size %u bytes", a);
		break;
	case STUB_DETAIL_PIN:
		sb_addf(sb, "pin P%c%u for %s", 'A' + (int)((a >> 8) & 0xf),
			a & 0xffu, pin_signal(b));
		break;
	case STUB_DETAIL_SAMPLE_SHIFT:
		sb_addf(sb, "sample shift %u", a);
		break;
	case STUB_DETAIL_MODE:
		sb_addf(sb, "mode %u (command 0x%02x)", a, b);
		break;
	case STUB_DETAIL_RANGE:
		sb_addf(sb, "range 0x%x + %u bytes", a, b);
		break;
	case STUB_DETAIL_OP:
		sb_addf(sb, "operation 0x%02x", a);
		break;
	case STUB_DETAIL_IMAGE_SIZE:
		sb_addf(sb, "image size %u bytes", a);
		break;
	default:
		sb_addf(sb, "detail 0x%x (0x%x, 0x%x)", detail, a, b);
		break;
	}
}

static const char *wait_name(uint32_t detail)
{
	switch (detail) {
	case STUB_DETAIL_WAIT_BUSY:
		return "BUSY stayed set";
	case STUB_DETAIL_WAIT_FIFO:
		return "the FIFO never allowed the next DR access";
	case STUB_DETAIL_WAIT_TCF:
		return "TCF never set";
	case STUB_DETAIL_WAIT_ABORT:
		return "ABORT did not complete";
	case STUB_DETAIL_TEF:
		return "transfer error (TEF: address beyond FSIZE)";
	case STUB_DETAIL_OP:
		return "operation refused";
	default:
		return NULL;
	}
}

void stub_detail_describe(struct strbuf *sb, uint32_t status,
			  uint32_t detail, uint32_t a, uint32_t b)
{
	const char *w;

	switch (status) {
	case STUB_STATUS_BAD_COMMAND:
		sb_addf(sb, "command %u unknown to the stub", a);
		return;
	case STUB_STATUS_ABI_MISMATCH:
		sb_addf(sb, "psramctl sent ABI version %u, the stub speaks %u",
			a, b);
		return;
	case STUB_STATUS_RING_TIMEOUT:
		sb_addf(sb, "the ring stayed full (head %u, tail %u)", a, b);
		return;
	case STUB_STATUS_XSPI_TIMEOUT:
	case STUB_STATUS_XSPI_ERROR:
		w = wait_name(detail);
		if (w)
			sb_addf(sb, "%s (SR 0x%08x, CCR 0x%08x)", w, a, b);
		else if (detail != STUB_DETAIL_NONE)
			describe_params(sb, detail, a, b);
		return;
	case STUB_STATUS_UNSUPPORTED:
		if (detail == STUB_DETAIL_XSPI) {
			sb_addf(sb, "the stub has no driver for the %s",
				a == STUB_XSPI_OCTOSPI ? "OCTOSPI"
				: a == STUB_XSPI_QUADSPI ? "QUADSPI"
							  : "xSPI block");
			return;
		}
		if (detail != STUB_DETAIL_NONE)
			describe_params(sb, detail, a, b);
		return;
	case STUB_STATUS_BAD_PARAMS:
		if (detail != STUB_DETAIL_NONE)
			describe_params(sb, detail, a, b);
		return;
	case STUB_STATUS_IMAGE_CRC:
		sb_addf(sb, "the image in the target's RAM has CRC-32 0x%08x, "
			    "the one psramctl loaded 0x%08x",
			a, b);
		return;
	case STUB_STATUS_CLOCK_CHECK:
		if (detail == STUB_DETAIL_CPU_VS_LSI)
			sb_addf(sb,
				"the core runs at %.1f MHz measured against "
				"the LSI (within 12 %%), PSRAM_CPU_HZ says "
				"%.1f MHz: the crystal is not the board "
				"file's PSRAM_HSE_HZ, or the clock setup is "
				"not what it claims",
				a / 1e6, b / 1e6);
		else if (detail == STUB_DETAIL_LSI_NOT_READY)
			sb_addf(sb, "the LSI reference oscillator did not "
				    "start (RCC_CSR 0x%08x)",
				a);
		else if (detail == STUB_DETAIL_LSI_NO_CAPTURE)
			sb_addf(sb, "TIM16 did not capture every LSI edge "
				    "in time (TIM16_SR 0x%08x)",
				a);
		return;
	default:
		return;
	}
}

const char *stub_exception_name(uint32_t exception)
{
	static char other[24];

	switch (exception) {
	case 2:
		return "NMI";
	case 3:
		return "HardFault";
	case 4:
		return "MemManage fault";
	case 5:
		return "BusFault";
	case 6:
		return "UsageFault";
	case 11:
		return "SVCall";
	case 12:
		return "DebugMonitor";
	case 14:
		return "PendSV";
	case 15:
		return "SysTick";
	default:
		snprintf(other, sizeof(other), "exception %u",
			 (unsigned)exception);
		return other;
	}
}

/* ARMv7-M ARM B3.2.15 (CFSR = UFSR:BFSR:MMFSR) and B3.2.16 (HFSR). */
static const struct {
	uint32_t bit;
	const char *words;
} cfsr_bits[] = {
	{1u << 0, "instruction fetch from a no-access region (IACCVIOL)"},
	{1u << 1, "data access to a no-access region (DACCVIOL)"},
	{1u << 3, "MPU fault on exception return unstacking (MUNSTKERR)"},
	{1u << 4, "MPU fault on exception entry stacking (MSTKERR)"},
	{1u << 5, "MPU fault on lazy FP state save (MLSPERR)"},
	{1u << 8, "instruction bus error (IBUSERR)"},
	{1u << 9, "precise data bus error (PRECISERR)"},
	{1u << 10, "imprecise data bus error (IMPRECISERR)"},
	{1u << 11, "bus error on exception return unstacking (UNSTKERR)"},
	{1u << 12, "bus error on exception entry stacking (STKERR)"},
	{1u << 13, "bus error on lazy FP state save (LSPERR)"},
	{1u << 16, "undefined instruction (UNDEFINSTR)"},
	{1u << 17, "invalid state: Thumb bit clear (INVSTATE)"},
	{1u << 18, "invalid exception return (INVPC)"},
	{1u << 19, "coprocessor access while disabled (NOCP)"},
	{1u << 24, "unaligned access (UNALIGNED)"},
	{1u << 25, "division by zero (DIVBYZERO)"},
};

static const struct {
	uint32_t bit;
	const char *words;
} hfsr_bits[] = {
	{1u << 1, "vector table read failed (VECTTBL)"},
	{1u << 30, "escalated to HardFault (FORCED)"},
	{1u << 31, "debug event (DEBUGEVT)"},
};

void stub_fault_bits(struct strbuf *sb, uint32_t cfsr, uint32_t hfsr)
{
	const char *sep = "";

	for (size_t i = 0; i < sizeof(cfsr_bits) / sizeof(cfsr_bits[0]); i++)
		if (cfsr & cfsr_bits[i].bit) {
			sb_addf(sb, "%s%s", sep, cfsr_bits[i].words);
			sep = ", ";
		}
	for (size_t i = 0; i < sizeof(hfsr_bits) / sizeof(hfsr_bits[0]); i++)
		if (hfsr & hfsr_bits[i].bit) {
			sb_addf(sb, "%s%s", sep, hfsr_bits[i].words);
			sep = ", ";
		}
	if (!*sep)
		sb_adds(sb, "no fault status bits");
}

#define CFSR_MMARVALID (1u << 7)
#define CFSR_BFARVALID (1u << 15)

void stub_fault_describe(struct strbuf *sb, const struct stub_fault *f,
			 const struct stub_image *img)
{
	sb_addf(sb, "%s", stub_exception_name(f->exception));
	if (f->pc) {
		sb_adds(sb, " at ");
		stub_where(sb, f->pc, img);
	} else {
		sb_adds(sb, " (exception frame unreadable)");
	}
	sb_adds(sb, ": ");
	stub_fault_bits(sb, f->cfsr, f->hfsr);
	sb_addf(sb, "; CFSR 0x%08x HFSR 0x%08x", f->cfsr, f->hfsr);
	if (f->cfsr & CFSR_BFARVALID)
		sb_addf(sb, " BFAR 0x%08x", f->bfar);
	if (f->cfsr & CFSR_MMARVALID)
		sb_addf(sb, " MMFAR 0x%08x", f->mmfar);
	if (f->pc)
		sb_addf(sb, " LR 0x%08x", f->lr);
}

/* Where code may sit on every supported MCU (§2 of docs/hardware-stm32h7.md,
 * docs/hardware-stm32h7a3.md and docs/hardware-stm32f7.md). */
#define FLASH_START 0x08000000u
#define FLASH_END 0x08200000u
#define LOCKUP_PC 0xfffffffeu

void stub_where(struct strbuf *sb, uint32_t pc, const struct stub_image *img)
{
	uint32_t end = STUB_LOAD_ADDR + (uint32_t)img->size;
	const struct stub_symbol *fn =
		stub_symbol_find(img->symbols, img->nsymbols, pc);

	sb_addf(sb, "0x%08x (", pc);
	if (pc == STUB_EXIT_ADDR || pc == STUB_EXIT_ADDR + 2)
		sb_adds(sb, "the stub's exit");
	else if (pc == STUB_ENTRY_ADDR)
		sb_adds(sb, "the stub's entry");
	else if (pc >= STUB_LOAD_ADDR && pc < STUB_IMAGE_HEADER_ADDR)
		sb_adds(sb, "the stub's vector table, not code");
	else if (pc >= STUB_IMAGE_HEADER_ADDR && pc < STUB_EXIT_ADDR)
		sb_adds(sb, "the stub's image header, not code");
	else if (pc > STUB_ENTRY_ADDR && pc < end && fn)
		sb_addf(sb, "in the stub, %s+0x%x", fn->name,
			pc - (fn->addr & ~1U));
	else if (pc > STUB_ENTRY_ADDR && pc < end)
		sb_addf(sb, "in the stub, image offset 0x%x",
			pc - STUB_LOAD_ADDR);
	else if (pc >= end && pc < STUB_MAILBOX_ADDR)
		sb_adds(sb, "past the end of the stub");
	else if (pc >= STUB_MAILBOX_ADDR &&
		 pc < STUB_MAILBOX_ADDR + STUB_MAILBOX_SPACE)
		sb_adds(sb, "in the mailbox, not code");
	else if (pc == LOCKUP_PC)
		sb_adds(sb, "lockup");
	else if (pc >= FLASH_START && pc < FLASH_END)
		sb_adds(sb, "in flash: firmware, not the stub");
	else
		sb_adds(sb, "outside the stub");
	sb_addc(sb, ')');
}
