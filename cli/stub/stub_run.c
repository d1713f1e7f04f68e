#include "stub/stub_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/error.h"
#include "report/output.h"
#include "link/session.h"
#include "stub/stub_image.h"
#include "stub/stub_params.h"
#include "stub/target_clocks.h"
#include "link/ocd_target.h"

#define HALT_MS 2000
/* Between the final status word and the BKPT the stub runs a handful of
 * instructions. */
#define EXIT_WAIT_MS 1000
/* Ctrl-C: how long the stub may take to notice the stop word. */
#define STOP_WAIT_MS 500
#define POLL_MAX_MS 20

#define MB(field) (STUB_MAILBOX_ADDR + offsetof(struct stub_mailbox, field))
/* What a poll reads while the stub runs: seq_done and status. */
#define MB_POLL_AT offsetof(struct stub_mailbox, seq_done)
#define MB_POLL_BYTES (offsetof(struct stub_mailbox, detail) - MB_POLL_AT)

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void sleep_ms(int ms)
{
	struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};

	nanosleep(&t, NULL);
}

static void put32(uint8_t *b, size_t off, uint32_t v)
{
	b[off] = (uint8_t)v;
	b[off + 1] = (uint8_t)(v >> 8);
	b[off + 2] = (uint8_t)(v >> 16);
	b[off + 3] = (uint8_t)(v >> 24);
}

static uint32_t get32(const uint8_t *b, size_t off)
{
	return (uint32_t)b[off] | (uint32_t)b[off + 1] << 8 |
	       (uint32_t)b[off + 2] << 16 | (uint32_t)b[off + 3] << 24;
}

/* Target memory is little endian; the host may not be. Every field of
 * struct stub_params before pins[] is a uint32_t (stub_abi.h asserts the
 * offsets), pins[] is bytes, and every field after it is uint32_t again. */
static void params_to_bytes(const struct stub_params *p, uint8_t *b)
{
	const size_t pins = offsetof(struct stub_params, pins);
	const size_t after = pins + sizeof(p->pins);

	for (size_t off = 0; off < sizeof(*p); off += 4) {
		uint32_t v;

		if (off >= pins && off < after)
			continue;
		memcpy(&v, (const uint8_t *)p + off, 4);
		put32(b, off, v);
	}
	memcpy(b + pins, p->pins, sizeof(p->pins));
}

/* params.bytes: up to the last word that is not 0 (the stub reads the
 * rest as 0), the word itself at least. */
static uint32_t params_bytes(const uint8_t *b)
{
	size_t n = sizeof(struct stub_params);

	while (n > 4 && !get32(b, n - 4))
		n -= 4;
	return (uint32_t)n;
}

/* struct stub_fault is all uint32_t. */
static void fault_from_bytes(const uint8_t *b, struct stub_fault *f)
{
	for (size_t off = 0; off < sizeof(*f); off += 4) {
		uint32_t v = get32(b, off);

		memcpy((uint8_t *)f + off, &v, 4);
	}
}

static void result_from_bytes(const uint8_t *b, struct stub_result *r)
{
#define W(field) r->field = get32(b, offsetof(struct stub_result, field))
#define B(field) memcpy(r->field, b + offsetof(struct stub_result, field), \
			sizeof(r->field))
	W(xspi.clock_hz);
	W(xspi.prescaler);
	W(xspi.cs_high_cycles);
	W(xspi.sample_shift);
	B(eid);
	B(jedec);
	r->lines_before_up = b[offsetof(struct stub_result, lines_before_up)];
	r->lines_before_down =
		b[offsetof(struct stub_result, lines_before_down)];
	r->lines_after_up = b[offsetof(struct stub_result, lines_after_up)];
	r->lines_after_down = b[offsetof(struct stub_result, lines_after_down)];
	W(eid_flags);
	W(errors);
	W(cycles);
	W(cycles_hi);
	W(cpu_hz_measured);
#undef W
#undef B
}

static void record_from_bytes(const uint8_t *b, struct stub_record *r)
{
	r->type = b[offsetof(struct stub_record, type)];
	r->width = b[offsetof(struct stub_record, width)];
	r->code = (uint16_t)(b[offsetof(struct stub_record, code)] |
			     b[offsetof(struct stub_record, code) + 1] << 8);
	r->a = get32(b, offsetof(struct stub_record, a));
	r->b = get32(b, offsetof(struct stub_record, b));
	r->c = get32(b, offsetof(struct stub_record, c));
}

/* ---- Ctrl-C: the hook that stops a running stub ---- */

static struct {
	struct target *t;
	int handle;
} running = {NULL, -1};

static void stop_stub(void *arg)
{
	struct target *t = arg;
	int r;

	out_debug("stub: stopping it (mailbox stop word), then halting");
	r = target_write_u32(t, MB(stop), 1);
	if (!r)
		r = target_wait_halt(t, STOP_WAIT_MS);
	if (r == PSR_ERR_NOT_HALTED || r == PSR_ERR_TARGET)
		r = target_halt(t, HALT_MS);
	if (r == PSR_ERR_NOT_HALTED || r == PSR_ERR_TARGET)
		out_warn("the core does not halt: %s", target_error(t));
}

static void arm_stop(struct target *t)
{
	running.t = t;
	running.handle = cleanup_push(stop_stub, t);
}

static void disarm_stop(void)
{
	if (running.handle >= 0)
		cleanup_pop(running.handle, 0);
	running.handle = -1;
	running.t = NULL;
}

/* An interrupted wait returns PSR_ERR_INTERRUPTED while the signal flag
 * blocks every further exchange; the cleanup stack is where talking to
 * OpenOCD is allowed again. Run it now, while the stub's hook (the newest)
 * still comes before the session's, so the stub is stopped and the core
 * halted before OpenOCD goes. */
static int interrupted(void)
{
	cleanup_run_all();
	running.handle = -1;
	running.t = NULL;
	return PSR_ERR_INTERRUPTED;
}

/* ---- steps ---- */

static int target_failed(struct target *t, int r, const char *what)
{
	if (r == PSR_ERR_TARGET || r == PSR_ERR_NOT_HALTED ||
	    r == PSR_ERR_VERIFY)
		return out_error(r, "%s: %s", what, target_error(t));
	return r; /* printed by the link */
}

/* A known state: the chip reset with the core held at the reset vector, so
 * no firmware ran (no watchdog it might start, no peripheral it set up),
 * the board's reset-init (clocks) done without error and its clocks read
 * back and found as the board file says (target_clocks.h). */
static int reset_halt(struct session *s)
{
	struct target *t = &s->target;
	struct clock_tree clocks;
	enum target_state st;
	int r;

	r = target_reset_init(s);
	if (r)
		return r;
	r = target_get_state(t, &st);
	if (!r && st != TARGET_HALTED)
		r = target_halt(t, HALT_MS);
	if (r == PSR_ERR_NOT_HALTED)
		return out_error(r, "the target does not halt: %s",
				 target_error(t));
	r = target_failed(t, r, "cannot halt the target");
	if (!r)
		r = target_clocks_check(s, &clocks);
	return r;
}

/* psramctl shell: the image loaded by an earlier command of this session
 * is intact (no run since ended badly, nothing written over it), so the
 * core only needs to be halted, with the clocks still as the board says. */
static int stub_reuse(struct session *s, struct stub_run_result *res,
		      uint32_t *sp)
{
	struct target *t = &s->target;
	struct clock_tree clocks;
	enum target_state st;
	int r;

	r = target_get_state(t, &st);
	if (!r && st != TARGET_HALTED)
		r = target_halt(t, HALT_MS);
	r = target_failed(t, r, "cannot halt the target");
	if (!r)
		r = target_clocks_check(s, &clocks);
	if (!r)
		r = stub_params_from_board(&s->vars, &res->params, sp);
	if (!r)
		out_debug("stub: still loaded, not reset");
	return r;
}

/* The image for command (0: every command) on the board's xSPI: the
 * smallest built-in one that has both, unless --stub FILE gave the one to
 * use. */
static const struct stub_image *image_for(const struct session *s,
					  uint32_t command, uint32_t xspi)
{
	const struct stub_image *best = s->stub;

	for (int i = 0; command && i < STUB_PART_IMAGES; i++) {
		const struct stub_image *img = s->stub_parts[i];

		if (img && (img->commands & STUB_COMMAND_BIT(command)) &&
		    xspi < 32 && (img->xspi & STUB_XSPI_BIT(xspi)) &&
		    img->size < best->size)
			best = img;
	}
	return best;
}

static int can_reuse(const struct session *s, uint32_t command)
{
	const struct stub_image *img = s->stub_loaded;

	if (!s->stub_resident || !img)
		return 0;
	return command ? (img->commands & STUB_COMMAND_BIT(command)) != 0
		       : img == s->stub;
}

/* Reset, load img, and read back the code that checks the rest
 * (stub_abi.h entry contract step 2). */
static int load(struct session *s, const struct stub_image *img,
		struct stub_run_result *res)
{
	double t0, t1;
	uint32_t sp;
	int r;

	t0 = now_ms();
	r = reset_halt(s);
	if (!r) /* now with the clocks the MCU runs at */
		r = stub_params_from_board(&s->vars, &res->params, &sp);
	if (r)
		return r;
	t1 = now_ms();
	res->reset_ms = t1 - t0;
	s->stub_loaded = img;
	r = target_load(&s->target, STUB_LOAD_ADDR, img->data, img->size,
			STUB_BOOT_END - STUB_LOAD_ADDR);
	if (r) {
		char what[200], shown[128];

		s->stub_loaded = NULL;
		snprintf(what, sizeof(what), "cannot load stub '%s' at 0x%08x",
			 out_printable(img->origin, shown, sizeof(shown)),
			 (unsigned)STUB_LOAD_ADDR);
		return target_failed(&s->target, r, what);
	}
	res->load_ms = now_ms() - t1;
	s->stub_resident = s->keep_stub;
	out_debug("stub: reset %.0f ms, loaded %zu bytes (%s) with CRC-32 "
		  "0x%08x, %u read back, in %.0f ms",
		  res->reset_ms, img->size, img->origin, (unsigned)img->crc,
		  (unsigned)(STUB_BOOT_END - STUB_LOAD_ADDR), res->load_ms);
	return 0;
}

static int prepare(struct session *s, struct stub_run_result *res,
		   uint32_t command)
{
	uint32_t sp;
	int r;

	/* The board file is checked before the board is touched. */
	r = stub_params_from_board(&s->vars, &res->params, &sp);
	if (r)
		return r;
	if (s->vars.chip && res->params.chip == STUB_CHIP_UNKNOWN) {
		char shown[96];

		out_warn("PSRAM_CHIP '%s' is not a PSRAM psramctl knows "
			 "(esp-psram64h, ly68l6400, aps6404l, ips6404l): the "
			 "stub uses the strictest timing limits",
			 out_printable(s->vars.chip, shown, sizeof(shown)));
	}
	if (can_reuse(s, command))
		return stub_reuse(s, res, &sp);
	return load(s, image_for(s, command, res->params.xspi), res);
}

int stub_prepare(struct session *s, struct stub_run_result *res)
{
	return prepare(s, res, 0);
}

static uint32_t next_seq(void)
{
	static uint32_t seq;

	if (!seq)
		seq = (uint32_t)time(NULL) ^ (uint32_t)getpid() << 16;
	seq = seq * 1664525u + 1013904223u;
	return seq ? seq : 1;
}

/* The fields the host owns (entry contract step 3): one write from the
 * start of the mailbox to the last parameter that is not 0. */
static int write_mailbox(struct target *t, const struct stub_run_spec *spec,
			 const struct stub_params *p, uint32_t seq)
{
	const size_t at = offsetof(struct stub_mailbox, params);
	uint8_t mb[offsetof(struct stub_mailbox, params) +
		   sizeof(struct stub_params)];
	uint32_t bytes;

	memset(mb, 0, sizeof(mb));
	/* magic and stub_abi_version 0: the stub writes them first thing,
	 * so they tell whether it ever ran. */
	put32(mb, offsetof(struct stub_mailbox, host_abi_version),
	      STUB_ABI_VERSION);
	put32(mb, offsetof(struct stub_mailbox, command), spec->command);
	put32(mb, offsetof(struct stub_mailbox, seq), seq);
	put32(mb, offsetof(struct stub_mailbox, seq_done), ~seq);
	put32(mb, offsetof(struct stub_mailbox, status), STUB_STATUS_IDLE);
	params_to_bytes(p, mb + at);
	bytes = params_bytes(mb + at);
	put32(mb, at + offsetof(struct stub_params, bytes), bytes);
	return target_write_mem(t, STUB_MAILBOX_ADDR, mb, at + bytes);
}

struct run {
	struct session *s;
	struct target *t;
	const struct stub_run_spec *spec;
	struct stub_run_result *res;
	uint32_t seq;
	uint32_t tail;
	int stop_sent;
};

static int request_stop(struct run *run)
{
	if (run->stop_sent)
		return 0;
	run->stop_sent = 1;
	out_debug("stub: asking it to stop");
	return target_write_u32(run->t, MB(stop), 1);
}

/* Hands the records in [tail, head) to the caller (entry contract step
 * 5). */
static int take_records(struct run *run, uint32_t head)
{
	uint8_t buf[STUB_RING_RECORDS * sizeof(struct stub_record)];
	uint32_t n = head - run->tail, first, k;
	int r;

	if (!n)
		return 0;
	if (n > STUB_RING_RECORDS)
		return out_error(PSR_ERR_STUB_FAILED,
				 "%s: the stub's ring head %u is %u records "
				 "past the tail %u; the ring holds %u",
				 run->spec->name, head, n, run->tail,
				 STUB_RING_RECORDS);
	first = run->tail % STUB_RING_RECORDS;
	k = n < STUB_RING_RECORDS - first ? n : STUB_RING_RECORDS - first;
	r = target_read_mem(run->t,
			    MB(ring.rec) + first * sizeof(struct stub_record),
			    buf, k * sizeof(struct stub_record));
	if (!r && n > k)
		r = target_read_mem(run->t, MB(ring.rec),
				    buf + k * sizeof(struct stub_record),
				    (n - k) * sizeof(struct stub_record));
	if (r)
		return r;
	for (uint32_t i = 0; i < n; i++) {
		struct stub_record rec;

		record_from_bytes(buf + i * sizeof(struct stub_record), &rec);
		if (run->spec->record &&
		    run->spec->record(run->spec->ctx, &rec)) {
			r = request_stop(run);
			if (r)
				return r;
		}
	}
	run->tail = head;
	run->res->records += n;
	return 0;
}

/* While the stub runs: the records so far, then their slots given back. */
static int drain_ring(struct run *run)
{
	uint32_t head, tail = run->tail;
	int r;

	r = target_read_u32(run->t, MB(ring.head), &head);
	if (!r)
		r = take_records(run, head);
	if (r || run->tail == tail)
		return r;
	return target_write_u32(run->t, MB(ring.tail), run->tail);
}

/* The mailbox once the core is halted, judged: what the stub wrote, not
 * the parameters psramctl wrote itself. The words before the parameters,
 * the result with the ring's head (one read), the fault report only when
 * the status says there is one, and the records not taken yet; the
 * slots need not be given back. */
static int finish(struct run *run, int timed_out)
{
	const size_t params = offsetof(struct stub_mailbox, params);
	const size_t fault = offsetof(struct stub_mailbox, fault);
	const size_t result = offsetof(struct stub_mailbox, result);
	const size_t head = offsetof(struct stub_mailbox, ring.head);
	uint8_t mb[offsetof(struct stub_mailbox, ring.tail)];
	static const char *const pc_name[] = {"pc"};
	struct stub_run_result *res = run->res;
	struct stub_final f;
	int r;

	_Static_assert(offsetof(struct stub_mailbox, ring.head) ==
			       offsetof(struct stub_mailbox, result) +
				       sizeof(struct stub_result),
		       "the ring's head follows the result");
	memset(mb, 0, sizeof(mb));
	r = target_read_regs(run->t, pc_name, &res->pc, 1);
	if (!r)
		r = target_read_mem(run->t, STUB_MAILBOX_ADDR, mb, params);
	if (!r)
		r = target_read_mem(run->t, STUB_MAILBOX_ADDR + result,
				    mb + result, sizeof(mb) - result);
	if (!r && get32(mb, offsetof(struct stub_mailbox, status)) ==
			  STUB_STATUS_FAULT)
		r = target_read_mem(run->t, STUB_MAILBOX_ADDR + fault,
				    mb + fault, sizeof(struct stub_fault));
	if (r)
		return target_failed(run->t, r,
				     "cannot read the stub's mailbox");
	/* The ring is the stub's only once it wrote its magic (and zeroed
	 * the ring with it); before, it holds whatever the RAM held. */
	if (get32(mb, offsetof(struct stub_mailbox, magic)) ==
	    STUB_MAILBOX_MAGIC) {
		r = take_records(run, get32(mb, head));
		if (r)
			return r;
	}
	memset(&f, 0, sizeof(f));
	f.magic = get32(mb, offsetof(struct stub_mailbox, magic));
	f.stub_abi = get32(mb, offsetof(struct stub_mailbox, stub_abi_version));
	f.seq_done = get32(mb, offsetof(struct stub_mailbox, seq_done));
	f.status = get32(mb, offsetof(struct stub_mailbox, status));
	f.halted = 1;
	f.timed_out = timed_out;
	f.pc = res->pc;
	res->stub_abi = f.stub_abi;
	res->magic = f.magic;
	res->status = f.status;
	res->detail = get32(mb, offsetof(struct stub_mailbox, detail));
	res->detail_a = get32(mb, offsetof(struct stub_mailbox, detail_a));
	res->detail_b = get32(mb, offsetof(struct stub_mailbox, detail_b));
	fault_from_bytes(mb + offsetof(struct stub_mailbox, fault),
			 &res->fault);
	result_from_bytes(mb + offsetof(struct stub_mailbox, result),
			  &res->result);
	res->outcome = stub_classify(&f, run->seq);
	return 0;
}

/* Waits for the stub's end, streaming the ring, until the deadline. */
static int watch(struct run *run)
{
	struct target *t = run->t;
	double deadline = now_ms() + run->spec->timeout_ms;
	int polls = 0, r;

	for (;;) {
		uint8_t words[MB_POLL_BYTES];
		enum target_state st;
		uint32_t status, seq_done;

		if (cleanup_should_abort())
			return PSR_ERR_INTERRUPTED;
		r = target_read_mem(t, STUB_MAILBOX_ADDR + MB_POLL_AT, words,
				    sizeof(words));
		if (r)
			return r;
		status = get32(words,
			       offsetof(struct stub_mailbox, status) - MB_POLL_AT);
		seq_done = get32(words, 0);
		if (seq_done == run->seq && status != STUB_STATUS_IDLE &&
		    status != STUB_STATUS_RUNNING) {
			/* Final: finish takes the records, in one read with
			 * the result. */
			r = target_wait_halt(t, EXIT_WAIT_MS);
			if (!r)
				return finish(run, 0);
			if (r != PSR_ERR_NOT_HALTED && r != PSR_ERR_TARGET)
				return r;
			/* Reported but still running: the deadline decides. */
		}
		/* The ring head is the stub's once it left IDLE (it zeroes
		 * it before). */
		if (status != STUB_STATUS_IDLE) {
			r = drain_ring(run);
			if (r)
				return r;
		}
		r = target_get_state(t, &st);
		if (r)
			return r;
		if (st == TARGET_HALTED)
			return finish(run, 0);
		if (now_ms() >= deadline) {
			r = target_halt(t, HALT_MS);
			if (r == PSR_ERR_NOT_HALTED || r == PSR_ERR_TARGET)
				return out_error(PSR_ERR_NOT_HALTED,
						 "%s: the stub did not finish "
						 "within %.1f s and the core "
						 "does not halt: %s",
						 run->spec->name,
						 run->spec->timeout_ms / 1000.0,
						 target_error(t));
			if (r)
				return r;
			return finish(run, 1);
		}
		polls++;
		sleep_ms(polls < 8 ? polls : POLL_MAX_MS);
	}
}

/* How far a stub that did not report got. */
static const char *progress(const struct stub_run_result *res)
{
	static char buf[64];

	if (res->magic != STUB_MAILBOX_MAGIC)
		return "it never reached its C code";
	if (res->status == STUB_STATUS_RUNNING ||
	    res->status == STUB_STATUS_IDLE)
		return "it was running";
	snprintf(buf, sizeof(buf), "its status word says %s",
		 stub_status_name(res->status));
	return buf;
}

static int report(struct run *run)
{
	const struct stub_run_result *res = run->res;
	const char *name = run->spec->name;
	const struct stub_image *img = run->s->stub_loaded;
	struct strbuf sb;
	int r = 0;

	sb_init(&sb);
	switch (res->outcome) {
	case STUB_OUTCOME_OK:
	case STUB_OUTCOME_TEST_ERRORS:
		break;
	case STUB_OUTCOME_FAILED:
		stub_detail_describe(&sb, res->status, res->detail,
				     res->detail_a, res->detail_b);
		if (res->status == STUB_STATUS_CLOCK_CHECK) {
			r = out_error(PSR_ERR_CLOCKS, "clock check: %s", sb.buf);
			break;
		}
		if (res->status == STUB_STATUS_IMAGE_CRC) {
			r = out_error(PSR_ERR_VERIFY,
				      "%s: the stub image did not arrive "
				      "intact, the stub refused to run it: %s "
				      "(%zu bytes at 0x%08x: the debug link "
				      "or the target's RAM changed them)",
				      name, sb.buf, img->size,
				      (unsigned)STUB_LOAD_ADDR);
			break;
		}
		r = out_error(PSR_ERR_STUB_FAILED,
			      "%s: the stub failed: %s%s%s", name, stub_status_name(res->status),
			      sb.len ? ": " : "", sb.buf);
		break;
	case STUB_OUTCOME_FAULT:
		stub_fault_describe(&sb, &res->fault, img);
		if (run->spec->fault_expected) {
			out_debug("stub: %s crashed, as the caller expected: %s", name,
				  sb.buf);
			r = PSR_ERR_STUB_FAULT;
			break;
		}
		r = out_error(PSR_ERR_STUB_FAULT, "%s: the stub crashed: %s",
			      name, sb.buf);
		break;
	case STUB_OUTCOME_TIMEOUT:
		stub_where(&sb, res->pc, img);
		r = out_error(PSR_ERR_STUB_TIMEOUT,
			      "%s: the stub did not finish within %.1f s "
			      "(%s); halted it at %s",
			      name, run->spec->timeout_ms / 1000.0,
			      progress(res), sb.buf);
		break;
	case STUB_OUTCOME_HALTED:
		stub_where(&sb, res->pc, img);
		r = out_error(PSR_ERR_STUB_HALTED,
			      "%s: the core halted at %s before the stub "
			      "reported a result (%s)",
			      name, sb.buf, progress(res));
		break;
	case STUB_OUTCOME_ABI_MISMATCH:
		r = out_error(PSR_ERR_STUB_ABI,
			      "%s: the stub refused to run: it speaks stub ABI "
			      "version %u, psramctl speaks version %u",
			      name,
			      res->status == STUB_STATUS_ABI_MISMATCH &&
					      res->stub_abi == STUB_ABI_VERSION
				      ? (unsigned)res->detail_b
				      : (unsigned)res->stub_abi,
			      (unsigned)STUB_ABI_VERSION);
		break;
	case STUB_OUTCOME_STOPPED:
		r = PSR_ERR_INTERRUPTED;
		break;
	}
	sb_release(&sb);
	return r;
}

int stub_run_loaded(struct session *s, const struct stub_run_spec *spec,
		    struct stub_run_result *res)
{
	const struct stub_image *img = s->stub_loaded;
	struct run run;
	uint32_t sp, regs[3];
	double t0;
	int r, resident = s->stub_resident;

	if (!img)
		return out_error(PSR_ERR_STUB_FAILED,
				 "%s: no stub is loaded to run", spec->name);
	/* Until this run ends well, the image may have been overwritten. */
	s->stub_resident = 0;
	res->outcome = STUB_OUTCOME_HALTED;
	res->records = 0;
	r = stub_params_from_board(&s->vars, &res->params, &sp);
	if (r)
		return r;
	if (spec->params)
		spec->params(spec->ctx, &res->params);
	memset(&run, 0, sizeof(run));
	run.s = s;
	run.t = &s->target;
	run.spec = spec;
	run.res = res;
	run.seq = next_seq();
	r = write_mailbox(run.t, spec, &res->params, run.seq);
	if (r)
		return target_failed(run.t, r,
				     "cannot write the stub's mailbox");
	/* The stub checks the image against this size and CRC before it
	 * runs it (stub_abi.h entry contract step 4). */
	regs[0] = STUB_MAILBOX_ADDR;
	regs[1] = (uint32_t)img->size;
	regs[2] = img->crc;
	t0 = now_ms();
	r = target_start(run.t, STUB_ENTRY_ADDR, sp, regs);
	if (r)
		return target_failed(run.t, r, "cannot start the stub");
	out_debug("stub: %s started (seq 0x%08x, sp 0x%08x)", spec->name,
		  (unsigned)run.seq, (unsigned)sp);
	arm_stop(run.t);
	r = watch(&run);
	if (r == PSR_ERR_INTERRUPTED)
		return interrupted();
	disarm_stop();
	res->run_ms = now_ms() - t0;
	if (r)
		return r;
	out_debug("stub: %s ended in %.0f ms (%llu target cycles, core clock "
		  "%u Hz against the LSI): %s, status %s, %u records",
		  spec->name, res->run_ms,
		  (unsigned long long)stub_result_cycles(&res->result),
		  (unsigned)res->result.cpu_hz_measured,
		  stub_outcome_name(res->outcome),
		  stub_status_name(res->status), (unsigned)res->records);
	r = report(&run);
	if (!r)
		s->stub_resident = resident;
	return r;
}

int stub_run(struct session *s, const struct stub_run_spec *spec,
	     struct stub_run_result *res)
{
	int r;

	memset(res, 0, sizeof(*res));
	res->outcome = STUB_OUTCOME_HALTED;
	r = prepare(s, res, spec->command);
	if (r)
		return r;
	return stub_run_loaded(s, spec, res);
}
