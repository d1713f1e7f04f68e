/* Running one stub command on the target (stub_abi.h, entry contract):
 *
 *   reset init (halted, no exception active, firmware not started)
 *   → load the smallest image that has the command (stub_image.h), read
 *     back the code below STUB_BOOT_END
 *   → mailbox, one write up to the last parameter that is not 0: host
 *     ABI version, command, seq, status idle, stop 0, parameters from
 *     the board file plus the command's (the stub zeroes the rest)
 *   → sp, pc = entry, r0 = mailbox, r1/r2 = the image's size and CRC-32,
 *     xPSR = T; resume; the stub checks the image against them before it
 *     runs it (a corrupted load ends as PSR_ERR_VERIFY)
 *   → while it runs: status, then ring records (head, records, tail),
 *     each handed to the caller as it arrives
 *   → at the exit BKPT: the final mailbox
 *
 * Every wait has a deadline. Each way a run can end is its own outcome
 * (stub_outcome.h), with a one-line message printed here. Ctrl-C sets the
 * mailbox stop word, gives the stub a moment to stop by itself, then
 * halts the core: the board is left halted either way. */
#ifndef CLI_STUB_RUN_H
#define CLI_STUB_RUN_H

#include <stdint.h>

#include "stub_abi.h"
#include "stub/stub_outcome.h"

struct session;

/* A ring record as it arrives. Returning non-zero asks the stub to stop
 * (it sets the mailbox stop word); records keep coming until it does. */
typedef int (*stub_record_fn)(void *ctx, const struct stub_record *rec);

struct stub_run_spec {
	uint32_t command;   /* enum stub_command */
	const char *name;   /* for messages: "eid" */
	int timeout_ms;     /* from the resume to the exit BKPT */
	/* Command parameters on top of the board file's (may be NULL). */
	void (*params)(void *ctx, struct stub_params *p);
	stub_record_fn record; /* may be NULL */
	void *ctx;
	/* A crash of the stub is a result the caller interprets (mapcheck
	 * trying a setting the silicon answers with a bus error): returned
	 * as PSR_ERR_STUB_FAULT with the fault in the result, not printed. */
	int fault_expected;
};

struct stub_run_result {
	enum stub_outcome outcome;
	uint32_t status;        /* mailbox words once the run ended */
	uint32_t detail;
	uint32_t detail_a;
	uint32_t detail_b;
	uint32_t stub_abi;
	uint32_t magic;         /* STUB_MAILBOX_MAGIC once the stub ran */
	uint32_t pc;            /* where the core stopped */
	struct stub_fault fault;
	struct stub_result result;
	struct stub_params params; /* what the stub was given */
	uint32_t records;       /* ring records delivered */
	/* wall-clock milliseconds of each step */
	double reset_ms;
	double load_ms;
	double run_ms;
};

/* The command's cycles, 64 bits wide. */
static inline uint64_t stub_result_cycles(const struct stub_result *r)
{
	return (uint64_t)r->cycles_hi << 32 | r->cycles;
}

/* Runs spec->command with the session's stub image (--stub FILE, or the
 * smallest built-in one that has the command). Returns 0 when the stub ran to its end and reported ok
 * or test-errors (res->outcome tells which); otherwise, with the message
 * printed: PSR_ERR_STUB_FAILED, _STUB_FAULT, _STUB_TIMEOUT, _STUB_HALTED,
 * _STUB_ABI, PSR_ERR_VERIFY (the image did not arrive intact),
 * PSR_ERR_NOT_HALTED (the core does not halt),
 * PSR_ERR_BOARD_FILE, PSR_ERR_INTERRUPTED (not printed), or a transport
 * error. res is filled as far as the run got. */
int stub_run(struct session *s, const struct stub_run_spec *spec,
	     struct stub_run_result *res);

/* The same on an already reset, halted and loaded target (stub_run does
 * the preparation and then this); for commands that run several jobs:
 * stub_prepare loads the image with every command. */
int stub_prepare(struct session *s, struct stub_run_result *res);
int stub_run_loaded(struct session *s, const struct stub_run_spec *spec,
		    struct stub_run_result *res);

#endif
