/* What a stub run came to, in words: the outcome of a run from the final
 * mailbox words and where the core stopped, the stub's status and detail
 * codes, fault registers (ARMv7-M ARM B3.2.15-B3.2.18) and code
 * addresses. Pure functions, no I/O: the runner (stub_run.c) prints. */
#ifndef CLI_STUB_REPORT_H
#define CLI_STUB_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"
#include "stub_abi.h"

struct stub_image;

/* Every way a run can end; each is a different failure for the caller
 * (style.md §10.1: "timed out", "halted elsewhere" and "fault handler
 * ran" are never folded together). */
enum stub_outcome {
	STUB_OUTCOME_OK,           /* status ok, halted at the exit */
	STUB_OUTCOME_TEST_ERRORS,  /* ran to the end, found errors */
	STUB_OUTCOME_FAILED,       /* the stub reported a failure status */
	STUB_OUTCOME_FAULT,        /* the stub's fault handler ran */
	STUB_OUTCOME_TIMEOUT,      /* past the deadline; psramctl halted it */
	STUB_OUTCOME_HALTED,       /* halted elsewhere, no result reported */
	STUB_OUTCOME_ABI_MISMATCH, /* stub and psramctl ABI versions differ */
	STUB_OUTCOME_STOPPED,      /* stopped on request (Ctrl-C) */
};

/* The mailbox words and core state a run is judged by. */
struct stub_final {
	uint32_t magic;     /* mailbox.magic */
	uint32_t stub_abi;  /* mailbox.stub_abi_version */
	uint32_t seq_done;
	uint32_t status;
	int halted;         /* the core is halted */
	int timed_out;      /* psramctl halted it at the deadline */
	uint32_t pc;        /* where it is halted */
};

enum stub_outcome stub_classify(const struct stub_final *f, uint32_t seq);
/* "ok", "test-errors", "failed", "fault", "timeout", "halted-elsewhere",
 * "abi-mismatch", "stopped": the names --json uses. */
const char *stub_outcome_name(enum stub_outcome o);

/* enum stub_status as --json names it ("xspi-timeout"), or "status-N". */
const char *stub_status_name(uint32_t status);
/* Appends what detail/a/b say about status, e.g. "TCF never set (SR
 * 0x00000020, CCR 0x05000100)". Appends nothing when there is no
 * detail to give. */
void stub_detail_describe(struct strbuf *sb, uint32_t status,
			  uint32_t detail, uint32_t a, uint32_t b);

/* "HardFault", "BusFault", ...; "exception N" for others. */
const char *stub_exception_name(uint32_t exception);
/* The set CFSR/HFSR bits in words, comma-separated ("imprecise data bus
 * error, escalated to HardFault"); "no fault status bits" if none. */
void stub_fault_bits(struct strbuf *sb, uint32_t cfsr, uint32_t hfsr);
/* One line for a fault report: exception, stacked PC and where that is,
 * the bits in words, CFSR/HFSR, and BFAR/MMFAR when valid. */
void stub_fault_describe(struct strbuf *sb, const struct stub_fault *f,
			 const struct stub_image *img);

/* "0x20000064 (the stub's entry)": an address and what is there, with img
 * loaded at STUB_LOAD_ADDR (its size and function symbols). */
void stub_where(struct strbuf *sb, uint32_t pc, const struct stub_image *img);

#endif
