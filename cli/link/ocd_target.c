#include "link/ocd_target.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "report/output.h"
#include "link/tcl_list.h"
#include "link/tcl_quote.h"

/* read_memory/write_memory take at most 65536 elements
 * (docs/openocd.md §7); 16384 words = 64 KiB keeps a write_memory line
 * near 180 KB, far below the 4 MiB line limit, and a chunk short enough
 * for progress reports on a slow link. */
#define CHUNK_WORDS 16384u
/* The slowest link we plan for: psramsim with a Python-speed DAP did
 * 29 KiB/s (docs/openocd.md §1); allow 8 KiB/s plus a fixed margin. */
#define BYTES_PER_MS 8u
#define BASE_TIMEOUT_MS 10000
/* What the link waits on top of a timeout OpenOCD enforces itself. */
#define LINK_MARGIN_MS 5000

static int chunk_timeout(size_t bytes)
{
	return BASE_TIMEOUT_MS + (int)(bytes / BYTES_PER_MS);
}

/* Runs cmd; a Tcl error becomes PSR_ERR_TARGET with the message kept. */
static int run(struct target *t, const char *cmd, char **result,
	       int timeout_ms)
{
	char *res = NULL;
	int r = tcl_link_exec(t->link, cmd, &res, timeout_ms);

	sb_reset(&t->error);
	if (r == PSR_ERR_TCL) {
		sb_adds(&t->error, res ? res : "");
		r = PSR_ERR_TARGET;
	}
	if (result && !r)
		*result = res;
	else
		free(res);
	return r;
}

static int set_error(struct target *t, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int set_error(struct target *t, int code, const char *fmt, ...)
{
	va_list ap;

	sb_reset(&t->error);
	va_start(ap, fmt);
	sb_vaddf(&t->error, fmt, ap);
	va_end(ap);
	return code;
}

int target_open(struct target *t, struct tcl_link *link, const char *name)
{
	struct strbuf cmd;
	char *res = NULL;
	int r;

	memset(t, 0, sizeof(*t));
	t->link = link;
	sb_init(&t->error);
	if (!name) {
		r = run(t, "target current", &res, 0);
		if (r)
			return r;
		t->name = res;
		if (!*res)
			return set_error(t, PSR_ERR_TARGET,
					 "OpenOCD has no target");
		return 0;
	}
	sb_init(&cmd);
	sb_adds(&cmd, "targets ");
	tcl_quote(&cmd, name);
	r = run(t, cmd.buf, NULL, 0);
	sb_release(&cmd);
	if (r)
		return r;
	t->name = psr_strdup(name);
	return 0;
}

void target_close(struct target *t)
{
	free(t->name);
	t->name = NULL;
	sb_release(&t->error);
}

const char *target_error(const struct target *t)
{
	return t->error.buf ? t->error.buf : "";
}

static int parse_u32(const char *s, uint32_t *v)
{
	char *end;
	unsigned long long x;

	errno = 0;
	x = strtoull(s, &end, 0);
	if (!*s || *end || errno || x > 0xffffffffull)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

/* read_memory addr width count -> values[] */
static int read_words(struct target *t, uint32_t addr, unsigned width,
		      uint32_t count, uint32_t *values)
{
	struct strbuf cmd, e;
	struct tcl_list it;
	char *res = NULL;
	uint32_t i = 0;
	int r;

	sb_init(&cmd);
	sb_addf(&cmd, "read_memory 0x%08x %u %u", (unsigned)addr, width,
		(unsigned)count);
	r = run(t, cmd.buf, &res, chunk_timeout((size_t)count * width / 8));
	sb_release(&cmd);
	if (r)
		return r;
	sb_init(&e);
	tcl_list_init(&it, res);
	while ((r = tcl_list_next(&it, &e)) > 0) {
		if (i == count || parse_u32(e.buf, &values[i]) ||
		    (width < 32 && values[i] >> width)) {
			r = -1;
			break;
		}
		i++;
	}
	sb_release(&e);
	free(res);
	if (r < 0 || i != count)
		return set_error(t, PSR_ERR_TARGET,
				 "read_memory at 0x%08x returned a malformed "
				 "list",
				 (unsigned)addr);
	return 0;
}

static int write_words(struct target *t, uint32_t addr, unsigned width,
		       uint32_t count, const uint32_t *values)
{
	struct strbuf cmd;
	int r;

	sb_init(&cmd);
	sb_addf(&cmd, "write_memory 0x%08x %u {", (unsigned)addr, width);
	for (uint32_t i = 0; i < count; i++)
		sb_addf(&cmd, i ? " 0x%x" : "0x%x", (unsigned)values[i]);
	sb_addc(&cmd, '}');
	r = run(t, cmd.buf, NULL, chunk_timeout((size_t)count * width / 8));
	sb_release(&cmd);
	return r;
}

static void progress(struct target *t, size_t done, size_t total)
{
	if (t->progress)
		t->progress(t->progress_ctx, done, total);
}

/* A byte range is moved in pieces: single bytes up to the next word
 * boundary and at the tail (width 8), whole words in between, at most
 * CHUNK_WORDS at a time (width 32). Cortex-M memory is little endian. */
struct chunk {
	uint32_t addr;
	unsigned width; /* 8 or 32 */
	uint32_t n;     /* elements of that width */
};

static struct chunk next_chunk(uint32_t addr, size_t left)
{
	struct chunk c = {addr, 8, (uint32_t)(4 - (addr & 3))};

	if ((addr & 3) || left < 4) {
		if (c.n > left)
			c.n = (uint32_t)left;
		return c;
	}
	c.width = 32;
	c.n = left / 4 > CHUNK_WORDS ? CHUNK_WORDS : (uint32_t)(left / 4);
	return c;
}

static size_t chunk_bytes(const struct chunk *c)
{
	return (size_t)c->n * (c->width / 8);
}

static void words_to_bytes(const struct chunk *c, const uint32_t *words,
			   uint8_t *p)
{
	for (uint32_t i = 0; i < c->n; i++)
		for (unsigned k = 0; k < c->width / 8; k++)
			*p++ = (uint8_t)(words[i] >> (8 * k));
}

static void bytes_to_words(const struct chunk *c, const uint8_t *p,
			   uint32_t *words)
{
	for (uint32_t i = 0; i < c->n; i++) {
		words[i] = 0;
		for (unsigned k = 0; k < c->width / 8; k++)
			words[i] |= (uint32_t)*p++ << (8 * k);
	}
}

/* Reads len bytes at addr into `into`, or writes them from `from` (the
 * other one NULL), a chunk at a time, with the progress callback after
 * each. */
static int move_mem(struct target *t, uint32_t addr, size_t len,
		    uint8_t *into, const uint8_t *from)
{
	uint32_t *words;
	size_t done = 0;
	int r = 0;

	if (len && (uint64_t)addr + len - 1 > 0xffffffffull)
		return set_error(t, PSR_ERR_TARGET,
				 "%zu bytes at 0x%08x pass the end of the "
				 "address space",
				 len, (unsigned)addr);
	words = psr_malloc(CHUNK_WORDS * sizeof(*words));
	while (done < len && !r) {
		struct chunk c = next_chunk(addr + (uint32_t)done, len - done);

		if (from) {
			bytes_to_words(&c, from + done, words);
			r = write_words(t, c.addr, c.width, c.n, words);
		} else {
			r = read_words(t, c.addr, c.width, c.n, words);
			if (!r)
				words_to_bytes(&c, words, into + done);
		}
		done += chunk_bytes(&c);
		if (!r)
			progress(t, done, len);
	}
	free(words);
	return r;
}

int target_read_mem(struct target *t, uint32_t addr, void *buf, size_t len)
{
	return move_mem(t, addr, len, buf, NULL);
}

int target_write_mem(struct target *t, uint32_t addr, const void *buf,
		     size_t len)
{
	return move_mem(t, addr, len, NULL, buf);
}

int target_read_u32(struct target *t, uint32_t addr, uint32_t *value)
{
	return read_words(t, addr, 32, 1, value);
}

int target_read_u16(struct target *t, uint32_t addr, uint16_t *value)
{
	uint32_t v;
	int r = read_words(t, addr, 16, 1, &v);

	if (!r)
		*value = (uint16_t)v;
	return r;
}

int target_write_u32(struct target *t, uint32_t addr, uint32_t value)
{
	return write_words(t, addr, 32, 1, &value);
}

static const struct {
	const char *name;
	enum target_state state;
} states[] = {
	{"running", TARGET_RUNNING},
	{"halted", TARGET_HALTED},
	{"reset", TARGET_RESET},
	{"debug-running", TARGET_DEBUG_RUNNING},
	{"unknown", TARGET_UNKNOWN},
};

const char *target_state_name(enum target_state state)
{
	for (size_t i = 0; i < sizeof(states) / sizeof(*states); i++)
		if (states[i].state == state)
			return states[i].name;
	return "unknown";
}

int target_get_state(struct target *t, enum target_state *state)
{
	struct strbuf cmd;
	char *res = NULL;
	int r;

	sb_init(&cmd);
	tcl_quote(&cmd, t->name);
	sb_adds(&cmd, " curstate");
	r = run(t, cmd.buf, &res, 0);
	sb_release(&cmd);
	if (r)
		return r;
	*state = TARGET_UNKNOWN;
	for (size_t i = 0; i < sizeof(states) / sizeof(*states); i++)
		if (!strcmp(res, states[i].name))
			*state = states[i].state;
	free(res);
	return 0;
}

/* After OpenOCD's own wait failed: is it because the core still runs? */
static int halt_outcome(struct target *t, int r, const char *what,
			int timeout_ms)
{
	enum target_state st;
	struct strbuf why;
	int r2;

	if (r != PSR_ERR_TARGET)
		return r;
	sb_init(&why);
	sb_adds(&why, target_error(t));
	r2 = target_get_state(t, &st);
	if (!r2 && st != TARGET_HALTED)
		r = set_error(t, PSR_ERR_NOT_HALTED,
			      "%s: still %s after %d ms", what,
			      target_state_name(st), timeout_ms);
	else if (!r2)
		r = 0; /* halted after all */
	else if (r2 != PSR_ERR_TARGET)
		r = r2;
	else
		set_error(t, PSR_ERR_TARGET, "%s", why.buf);
	sb_release(&why);
	return r;
}

/* Runs "COMMAND TIMEOUT_MS" (halt, wait_halt) and judges the outcome. */
static int run_until_halted(struct target *t, const char *command,
			    const char *what, int timeout_ms)
{
	struct strbuf cmd;
	int r;

	sb_init(&cmd);
	sb_addf(&cmd, "%s %d", command, timeout_ms);
	r = run(t, cmd.buf, NULL, timeout_ms + LINK_MARGIN_MS);
	sb_release(&cmd);
	return halt_outcome(t, r, what, timeout_ms);
}

int target_halt(struct target *t, int timeout_ms)
{
	return run_until_halted(t, "halt", "halt", timeout_ms);
}

int target_wait_halt(struct target *t, int timeout_ms)
{
	return run_until_halted(t, "wait_halt", "wait for halt", timeout_ms);
}

int target_read_regs(struct target *t, const char *const names[],
		     uint32_t values[], size_t n)
{
	struct strbuf cmd, list;
	char *res = NULL, **v = NULL;
	size_t found = 0;
	int r, nv;

	sb_init(&list);
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_addc(&list, ' ');
		sb_adds(&list, names[i]);
	}
	sb_init(&cmd);
	/* Without -force get_reg answers from the cache, stale after the
	 * core ran (docs/openocd.md §7). */
	sb_adds(&cmd, "get_reg -force ");
	tcl_quote(&cmd, list.buf);
	sb_release(&list);
	r = run(t, cmd.buf, &res, 0);
	sb_release(&cmd);
	if (r)
		return r;
	nv = tcl_list_split(res, &v);
	free(res);
	/* a dict: name value name value ... */
	for (size_t i = 0; i < n; i++) {
		int hit = 0;

		for (int k = 0; k + 1 < nv; k += 2) {
			if (!strcmp(v[k], names[i]) &&
			    !parse_u32(v[k + 1], &values[i])) {
				hit = 1;
				break;
			}
		}
		found += (size_t)hit;
		if (!hit) {
			r = set_error(t, PSR_ERR_TARGET,
				      "get_reg did not return register '%s'",
				      names[i]);
			break;
		}
	}
	if (nv > 0)
		tcl_list_free(v, nv);
	return found == n ? 0 : r;
}

int target_load(struct target *t, uint32_t addr, const void *image,
		size_t len, size_t read_back)
{
	enum target_state st;
	uint8_t *back;
	int r;

	r = target_get_state(t, &st);
	if (!r && st != TARGET_HALTED)
		r = target_halt(t, 2000);
	if (r)
		return r;
	r = target_write_mem(t, addr, image, len);
	if (r)
		return r;
	if (read_back > len)
		read_back = len;
	back = psr_malloc(read_back ? read_back : 1);
	r = target_read_mem(t, addr, back, read_back);
	if (!r) {
		const uint8_t *want = image;

		for (size_t i = 0; i < read_back; i++) {
			if (back[i] != want[i]) {
				r = set_error(t, PSR_ERR_VERIFY,
					      "0x%08x reads 0x%02x after "
					      "writing 0x%02x",
					      (unsigned)(addr + i), back[i],
					      want[i]);
				break;
			}
		}
	}
	free(back);
	return r;
}

int target_start(struct target *t, uint32_t pc, uint32_t sp,
		 const uint32_t args[3])
{
	struct strbuf cmd;
	int r;

	sb_init(&cmd);
	/* OpenOCD writes PC with bit 0 clear; Thumb state comes from
	 * xPSR.T, which resume leaves alone (docs/openocd.md §5). One
	 * exchange: a failed set_reg raises, and resume never runs. */
	sb_addf(&cmd,
		"set_reg {sp 0x%08x pc 0x%08x r0 0x%08x r1 0x%08x r2 0x%08x "
		"xPSR 0x%08x}; resume 0x%08x",
		(unsigned)sp, (unsigned)(pc & ~1u), (unsigned)args[0],
		(unsigned)args[1], (unsigned)args[2], (unsigned)TARGET_XPSR_THUMB,
		(unsigned)(pc & ~1u));
	r = run(t, cmd.buf, NULL, 0);
	sb_release(&cmd);
	return r;
}

int target_stop(struct target *t, int timeout_ms, uint32_t *pc)
{
	static const char *const names[] = {"pc"};
	int r = target_halt(t, timeout_ms);

	if (r)
		return r;
	return target_read_regs(t, names, pc, 1);
}
