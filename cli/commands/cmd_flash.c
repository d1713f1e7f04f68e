/* psramctl flash FILE: writes a firmware image (ELF, Intel HEX, DfuSe or
 * binary) into the MCU's internal flash through OpenOCD's own flash driver
 * (stm32h7x/stm32f2x): erase the sectors the image needs, program them,
 * verify with an on-target CRC (and a byte compare where it differs), then
 * reset into the new firmware and look whether it runs
 * (image/start_check.h).
 *
 * Everything that can be refused is refused before the board is touched:
 * an unreadable or damaged file, data outside the flash of the detected
 * MCU, data for the QSPI window (the chip there is now a PSRAM). The data
 * reach OpenOCD as binary chunk files psramctl writes itself, so the
 * user's file name never becomes part of a Tcl command.
 *
 * The state of every sector the plan touches is tracked; when anything
 * fails, or Ctrl-C arrives, the board state is reported sector by sector
 * and nothing claims success. A run after an interruption erases and
 * programs the same sectors again, which recovers.
 *
 * --json prints one object per line:
 *   {"type":"flash-plan","file","format","segments":[{"address","size"}],
 *    "mcu":{"name","dev_id","rev_id","flash_size"},
 *    "erase":[{"sector","bank","address","size"}],"image_bytes",
 *    "program_bytes","chunks","dry_run"}
 *   {"type":"flash-phase","phase":"erase"|"program"|"verify","bytes",
 *    "sectors","ms","bytes_per_s"}
 *   {"type":"flash","result":"pass"|"fail"|"interrupted"|"dry-run"|
 *    "not-started","sectors":[{"sector","address","size","state"}],
 *    "reset","start":{"state","pc","xpsr","fault_pc","cfsr","hfsr",
 *    "mmfar","bfar","resets","samples"} (after a reset)}
 * where state is untouched, erase-interrupted, erased, write-interrupted,
 * partly-written, written, verified or mismatch. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "cli.h"
#include "util/error.h"
#include "util/files.h"
#include "image/flash_plan.h"
#include "image/image.h"
#include "image/start_check.h"
#include "report/json.h"
#include "parts/mcu.h"
#include "report/output.h"
#include "link/session.h"
#include "link/flash_bank.h"

/* The plan cuts the image into chunks of 8 KiB; programming joins
 * neighbouring chunks into one write_bank of as many bytes as the link
 * programs in WRITE_SLICE_S, measured on the writes before. Each call
 * costs OpenOCD's set-up (loader upload, algorithm start) and, at its
 * end, the time the loader needs to drain its 16 KiB FIFO into the flash
 * (about 0.15 s at x8 on an H74x) while the link idles, so writes stay
 * large on a fast probe (up to WRITE_MAX), while Ctrl-C, which waits for
 * the write in flight, still takes under a second on a slow one. */
#define CHUNK_MAX (8u * 1024)
#define WRITE_MAX (128u * 1024)
#define WRITE_SLICE_S 0.4
/* Verification is a CRC on the target: fast, in writes of WRITE_MAX. */
/* A sector erase takes up to 4 s on silicon (DS12110, x8); OpenOCD gives
 * up after 10 s itself. */
#define ERASE_TIMEOUT_MS 30000
/* Programming: OpenOCD's own algorithm timeouts apply; allow 1 KiB/s. */
#define WRITE_TIMEOUT_MS(bytes) (20000 + (int)(bytes))
#define VERIFY_TIMEOUT_MS(bytes) (20000 + (int)((bytes) / 8))
#define RESET_TIMEOUT_MS 20000
/* Lines of segments listed before "... and N more". */
#define SHOW_SEGMENTS 8

struct flash_opts {
	const char *address;
	int dry_run;
	int no_reset;
};

#define FOPT(field) offsetof(struct flash_opts, field)

static const struct opt flash_options[] = {
	{"address", 0, OPT_STRING, FOPT(address), "ADDR",
	 "where a binary image goes (default: the start of internal flash)",
	 0, 0},
	{"dry-run", 0, OPT_FLAG, FOPT(dry_run), NULL,
	 "print the plan (segments, sectors, bytes) and touch nothing", 0, 0},
	{"no-reset", 0, OPT_FLAG, FOPT(no_reset), NULL,
	 "leave the core halted after verifying instead of running the "
	 "firmware",
	 0, 0},
	OPT_END,
};

enum sector_state {
	SS_UNTOUCHED,	/* still the old contents */
	SS_ERASING,	/* an erase was under way */
	SS_ERASED,
	SS_WRITING,	/* programming was under way */
	SS_PARTIAL,	/* some chunks programmed, or one failed */
	SS_WRITTEN,	/* programmed, not verified */
	SS_VERIFIED,
	SS_MISMATCH,	/* verified and found different */
};

/* For --json; stable names. */
static const char *const state_names[] = {
	[SS_UNTOUCHED] = "untouched",
	[SS_ERASING] = "erase-interrupted",
	[SS_ERASED] = "erased",
	[SS_WRITING] = "write-interrupted",
	[SS_PARTIAL] = "partly-written",
	[SS_WRITTEN] = "written",
	[SS_VERIFIED] = "verified",
	[SS_MISMATCH] = "mismatch",
};

static const char *const state_words[] = {
	[SS_UNTOUCHED] = "not touched: still holds the old contents",
	[SS_ERASING] = "unknown: interrupted while erasing",
	[SS_ERASED] = "erased (blank)",
	[SS_WRITING] = "unknown: interrupted while programming",
	[SS_PARTIAL] = "programming did not complete: partly written",
	[SS_WRITTEN] = "written, not verified",
	[SS_VERIFIED] = "written and verified",
	[SS_MISMATCH] = "written, verify found differences",
};

struct job {
	struct session *s;
	const struct flash_opts *opts;
	const char *path;
	char shown[128];		/* path, printable */
	struct image img;
	struct flash_plan plan;
	uint32_t idcode;
	const char *rev;
	int ocd_bank[FLASH_MAX_BANKS];
	char *tmpdir;
	char *chunk_file;		/* the one data file OpenOCD reads */
	enum sector_state state[FLASH_MAX_SECTORS];
	int tmp_handle, settle_handle;
	int timeout_ms;			/* of the command in flight */
	int reset_done;
	int start_checked;		/* start holds what the core did */
	struct start_report start;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const struct flash_sector *sector(const struct job *j, unsigned n)
{
	return &j->plan.layout.sector[n];
}

static void set_states(struct job *j, const struct flash_chunk *c,
		       enum sector_state st)
{
	for (unsigned n = c->first; n <= c->last; n++)
		j->state[n] = st;
}

/* True when chunk i is the last one holding data for sector n. */
static int chunk_ends_sector(const struct job *j, size_t i, unsigned n)
{
	return i + 1 == j->plan.nchunks || j->plan.chunk[i + 1].first > n;
}

/* "sector 3" or "sectors 3-5" */
static const char *sector_words(const struct flash_chunk *c, char *buf,
				size_t size)
{
	if (c->first == c->last)
		snprintf(buf, size, "sector %u", c->first);
	else
		snprintf(buf, size, "sectors %u-%u", c->first, c->last);
	return buf;
}

/* ---- before touching the board ---- */

/* Characters Jim Tcl gives a meaning to. psramctl never puts the file name
 * into a command, but a name like "fw[exec x].hex" is more likely an
 * accident or an attack than a firmware: refuse it by policy. */
static int tcl_meta_in(const char *path)
{
	for (const char *p = path; *p; p++)
		if (strchr("[]{}$\\\";", *p) || (unsigned char)*p < 0x20)
			return 1;
	return 0;
}

static int parse_address(const char *s, uint32_t *addr)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (!*s || *end || errno || v > 0xffffffffull || *s == '-')
		return -1;
	*addr = (uint32_t)v;
	return 0;
}

static int read_idcode(struct job *j)
{
	static const uint32_t all[] = {MCU_IDCODE_H7, MCU_IDCODE_F7};
	struct target *t = &j->s->target;
	uint32_t one = mcu_idcode_addr(j->s->vars.family), v;
	const uint32_t *addrs = one ? &one : all;
	size_t n = one ? 1 : 2;
	int r = PSR_ERR_TARGET;

	for (size_t i = 0; i < n; i++) {
		r = target_read_u32(t, addrs[i], &v);
		if (r && r != PSR_ERR_TARGET)
			return r;
		if (!r && mcu_lookup(MCU_DEV_ID(v))) {
			j->idcode = v;
			return 0;
		}
	}
	if (r)
		return out_error(PSR_ERR_TARGET,
				 "cannot read DBGMCU_IDCODE: %s",
				 target_error(t));
	return out_error(PSR_ERR_TARGET,
			 "unknown MCU (IDCODE 0x%08x): no flash layout for it",
			 (unsigned)v);
}

/* RM0410 §3, option bytes: FLASH_OPTCR, nDBANK. */
#define F76X_DEV_ID 0x451
#define F7_FLASH_OPTCR 0x40023C14u
#define F7_OPTCR_NDBANK (1u << 29)

static int detect_layout(struct job *j, struct flash_layout *l)
{
	const struct mcu_line *line;
	struct strbuf why;
	uint16_t kib;
	int r;

	r = read_idcode(j);
	if (r)
		return r;
	line = mcu_lookup(MCU_DEV_ID(j->idcode));
	j->rev = mcu_rev_name(line, MCU_REV_ID(j->idcode));
	r = target_read_u16(&j->s->target, line->flash_size_addr, &kib);
	if (r && r != PSR_ERR_TARGET)
		return r;
	if (r || kib == 0 || kib == 0xffff)
		return out_error(PSR_ERR_TARGET,
				 "cannot tell the flash size of this %s: the "
				 "register at 0x%08x %s",
				 line->name, (unsigned)line->flash_size_addr,
				 r ? "cannot be read" : "is not programmed");
	sb_init(&why);
	r = flash_layout_for(MCU_DEV_ID(j->idcode), kib, l, &why);
	if (!r && MCU_DEV_ID(j->idcode) == F76X_DEV_ID) {
		/* The F76x's option bit nDBANK picks the sector layout. */
		uint32_t optcr;

		r = target_read_u32(&j->s->target, F7_FLASH_OPTCR, &optcr);
		if (r) {
			sb_release(&why);
			return r == PSR_ERR_TARGET
				       ? out_error(r, "cannot read FLASH_OPTCR "
						      "(0x%08x)",
						   (unsigned)F7_FLASH_OPTCR)
				       : r;
		}
		if (!(optcr & F7_OPTCR_NDBANK))
			r = flash_layout_f76x_dual_bank(kib, l, &why);
	}
	if (r)
		r = out_error(PSR_ERR_TARGET, "%s", why.buf);
	sb_release(&why);
	return r;
}

/* ---- the plan ---- */

static void print_plan(const struct job *j)
{
	const struct flash_plan *p = &j->plan;
	const struct flash_layout *l = &p->layout;
	const struct image *img = &j->img;

	printf("%-9s %s: %s, %zu segment%s, %llu bytes\n", "image", j->shown,
	       image_format_name(img->format), img->nseg,
	       img->nseg == 1 ? "" : "s", (unsigned long long)img->bytes);
	for (size_t i = 0; i < img->nseg && i < SHOW_SEGMENTS; i++)
		printf("%-9s   0x%08x-0x%08x  %u bytes\n", "",
		       (unsigned)img->seg[i].addr,
		       (unsigned)(img->seg[i].addr + img->seg[i].size - 1),
		       (unsigned)img->seg[i].size);
	if (img->nseg > SHOW_SEGMENTS)
		printf("%-9s   ... and %zu more\n", "",
		       img->nseg - SHOW_SEGMENTS);
	printf("%-9s %s%s%s, %u KiB of flash at 0x%08x (%u bank%s, %u "
	       "sector%s)\n",
	       "target", l->mcu, j->rev ? " rev " : "", j->rev ? j->rev : "",
	       (unsigned)(l->size / 1024), (unsigned)l->base, l->nbanks,
	       l->nbanks == 1 ? "" : "s", l->nsectors,
	       l->nsectors == 1 ? "" : "s");
	for (unsigned n = 0; n < l->nsectors; n++) {
		if (!p->erase[n])
			continue;
		printf("%-9s sector %u (bank %u sector %u, 0x%08x-0x%08x, %u "
		       "KiB)\n",
		       "erase", n, sector(j, n)->bank + 1,
		       sector(j, n)->in_bank, (unsigned)sector(j, n)->addr,
		       (unsigned)(sector(j, n)->addr + sector(j, n)->size - 1),
		       (unsigned)(sector(j, n)->size / 1024));
	}
	printf("%-9s %llu bytes in %zu chunk%s, then verify%s\n", "program",
	       (unsigned long long)p->program_bytes, p->nchunks,
	       p->nchunks == 1 ? "" : "s",
	       j->opts->no_reset ? "" : " and reset");
}

static void json_plan(const struct job *j)
{
	const struct flash_plan *p = &j->plan;
	const struct flash_layout *l = &p->layout;
	struct json js;

	json_init(&js);
	json_object_begin(&js, NULL);
	json_string(&js, "type", "flash-plan");
	json_string(&js, "file", j->path);
	json_string(&js, "format", image_format_name(j->img.format));
	json_array_begin(&js, "segments");
	for (size_t i = 0; i < j->img.nseg; i++) {
		json_object_begin(&js, NULL);
		json_hex(&js, "address", j->img.seg[i].addr, 8);
		json_uint(&js, "size", j->img.seg[i].size);
		json_object_end(&js);
	}
	json_array_end(&js);
	json_object_begin(&js, "mcu");
	json_string(&js, "name", l->mcu);
	json_hex(&js, "dev_id", MCU_DEV_ID(j->idcode), 3);
	json_hex(&js, "rev_id", MCU_REV_ID(j->idcode), 4);
	json_uint(&js, "flash_size", l->size);
	json_object_end(&js);
	json_array_begin(&js, "erase");
	for (unsigned n = 0; n < l->nsectors; n++) {
		if (!p->erase[n])
			continue;
		json_object_begin(&js, NULL);
		json_uint(&js, "sector", n);
		json_uint(&js, "bank", sector(j, n)->bank + 1);
		json_hex(&js, "address", sector(j, n)->addr, 8);
		json_uint(&js, "size", sector(j, n)->size);
		json_object_end(&js);
	}
	json_array_end(&js);
	json_uint(&js, "image_bytes", p->image_bytes);
	json_uint(&js, "program_bytes", p->program_bytes);
	json_uint(&js, "chunks", p->nchunks);
	json_bool(&js, "dry_run", j->opts->dry_run);
	json_object_end(&js);
	json_emit(&js);
	json_release(&js);
}

/* ---- results ---- */

static void report_phase(const char *phase, uint64_t bytes, unsigned sectors,
			 double seconds)
{
	double rate = seconds > 0 ? (double)bytes / seconds : 0;

	if (out_json()) {
		struct json js;

		json_init(&js);
		json_object_begin(&js, NULL);
		json_string(&js, "type", "flash-phase");
		json_string(&js, "phase", phase);
		json_uint(&js, "bytes", bytes);
		json_uint(&js, "sectors", sectors);
		json_uint(&js, "ms", (unsigned long long)(seconds * 1000 + 0.5));
		json_uint(&js, "bytes_per_s", (unsigned long long)(rate + 0.5));
		json_object_end(&js);
		json_emit(&js);
		json_release(&js);
	} else {
		printf("%-9s %llu bytes, %u sector%s in %.2f s (%.1f KiB/s)\n",
		       phase, (unsigned long long)bytes, sectors,
		       sectors == 1 ? "" : "s", seconds, rate / 1024);
	}
	fflush(stdout);
}

static void report_result(const struct job *j, const char *result)
{
	const struct flash_layout *l = &j->plan.layout;
	int ok = !strcmp(result, "pass");

	if (out_json()) {
		struct json js;

		json_init(&js);
		json_object_begin(&js, NULL);
		json_string(&js, "type", "flash");
		json_string(&js, "result", result);
		json_array_begin(&js, "sectors");
		for (unsigned n = 0; n < l->nsectors; n++) {
			if (!j->plan.erase[n])
				continue;
			json_object_begin(&js, NULL);
			json_uint(&js, "sector", n);
			json_hex(&js, "address", sector(j, n)->addr, 8);
			json_uint(&js, "size", sector(j, n)->size);
			json_string(&js, "state", state_names[j->state[n]]);
			json_object_end(&js);
		}
		json_array_end(&js);
		json_bool(&js, "reset", j->reset_done);
		json_bool(&js, "simulated", session_simulated(j->s));
		if (j->start_checked) {
			const struct start_report *st = &j->start;

			json_object_begin(&js, "start");
			json_string(&js, "state", start_state_name(st->state));
			if (st->state != START_RESET_LOOP) {
				json_hex(&js, "pc", st->pc, 8);
				json_hex(&js, "xpsr", st->xpsr, 8);
			}
			if (st->fault_pc)
				json_hex(&js, "fault_pc", st->fault_pc, 8);
			if (st->state == START_FAULTING ||
			    st->state == START_LOCKUP) {
				json_hex(&js, "cfsr", st->cfsr, 8);
				json_hex(&js, "hfsr", st->hfsr, 8);
				json_hex(&js, "mmfar", st->mmfar, 8);
				json_hex(&js, "bfar", st->bfar, 8);
			}
			json_uint(&js, "resets", st->resets);
			json_uint(&js, "samples", st->samples);
			json_object_end(&js);
		}
		json_object_end(&js);
		json_emit(&js);
		json_release(&js);
		fflush(stdout);
		return;
	}
	if (ok || !strcmp(result, "not-started")) {
		struct strbuf how;

		sb_init(&how);
		if (j->start_checked)
			start_describe(&j->start, &how);
		else
			sb_adds(&how, j->reset_done ? "the core was reset into it"
						  : "the core is halted "
						    "(--no-reset)");
		printf("flashed %llu bytes of %s into %u sector%s of the %s, "
		       "verified; %s\n",
		       (unsigned long long)j->plan.image_bytes, j->shown,
		       j->plan.nerase, j->plan.nerase == 1 ? "" : "s", l->mcu,
		       how.buf);
		sb_release(&how);
		fflush(stdout);
		return;
	}
	printf("board state (%s):\n", result);
	for (unsigned n = 0; n < l->nsectors; n++) {
		if (!j->plan.erase[n])
			continue;
		printf("  sector %-3u 0x%08x-0x%08x  %s\n", n,
		       (unsigned)sector(j, n)->addr,
		       (unsigned)(sector(j, n)->addr + sector(j, n)->size - 1),
		       state_words[j->state[n]]);
	}
	printf("the flash does not hold a verified copy of %s; run psramctl "
	       "flash again\n",
	       j->shown);
	fflush(stdout);
}

/* ---- OpenOCD ---- */

/* Runs cmd; a Tcl error is PSR_ERR_TCL with OpenOCD's words in *msg. */
static int ocd(struct job *j, const char *cmd, char **msg, int timeout_ms)
{
	out_debug("flash: %s", cmd);
	return tcl_link_exec(j->s->link, cmd, msg, timeout_ms);
}

/* The OpenOCD bank whose base is each bank of the layout; those with
 * sectors to erase must exist. */
static int map_banks(struct job *j)
{
	const struct flash_layout *l = &j->plan.layout;
	int needed[FLASH_MAX_BANKS] = {0};

	for (unsigned s = 0; s < l->nsectors; s++)
		if (j->plan.erase[s])
			needed[sector(j, s)->bank] = 1;
	return flash_bank_map(j->s->link, l, needed, j->ocd_bank);
}

static void remove_tmp(void *ctx)
{
	struct job *j = ctx;

	if (j->chunk_file)
		unlink(j->chunk_file);
	free(j->chunk_file);
	j->chunk_file = NULL;
	if (j->tmpdir)
		rmdir(j->tmpdir);
	free(j->tmpdir);
	j->tmpdir = NULL;
}

/* A private folder for the data file OpenOCD reads: the data reach it
 * as a file psramctl writes, never as Tcl text. */
static int make_tmpdir(struct job *j)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_addf(&sb, "%s/psramctl-flash-XXXXXX", file_tmpdir());
	j->tmpdir = sb_detach(&sb);
	if (!mkdtemp(j->tmpdir)) {
		int e = errno;

		free(j->tmpdir);
		j->tmpdir = NULL;
		return out_error(PSR_ERR_SYSTEM,
				 "cannot make a folder for the data in TMPDIR "
				 "'%s': %s",
				 file_tmpdir(), strerror(e));
	}
	sb_addf(&sb, "%s/chunk.bin", j->tmpdir);
	j->chunk_file = sb_detach(&sb);
	j->tmp_handle = cleanup_push(remove_tmp, j);
	return 0;
}

/* The data of g into the data file, replacing what it held. */
static int write_chunk_file(struct job *j, const struct flash_chunk *g)
{
	FILE *f = fopen(j->chunk_file, "wb");
	int ok = f && fwrite(g->data, 1, g->size, f) == g->size;
	int e = errno;

	if (f && fclose(f) != 0 && ok) {
		ok = 0;
		e = errno;
	}
	if (!ok)
		return out_error(PSR_ERR_SYSTEM, "cannot write '%s': %s",
				 j->chunk_file, strerror(e));
	return 0;
}

/* Chunks i.. joined while they are contiguous, in one bank, and within
 * budget bytes (chunk i always): their span in *g; returns the index
 * after the last one joined. */
static size_t join_chunks(const struct job *j, size_t i, uint32_t budget,
			  struct flash_chunk *g)
{
	const struct flash_plan *p = &j->plan;
	size_t k = i + 1;

	*g = p->chunk[i];
	while (k < p->nchunks &&
	       p->chunk[k].addr == g->addr + g->size &&
	       sector(j, p->chunk[k].first)->bank ==
		       sector(j, g->first)->bank &&
	       g->size + p->chunk[k].size <= budget) {
		g->size += p->chunk[k].size;
		g->last = p->chunk[k].last;
		k++;
	}
	return k;
}

/* Ctrl-C abandons the command in flight, but OpenOCD carries it out: let
 * it finish (its reply comes first) before anything stops OpenOCD, so no
 * flash operation is cut off half-way by psramctl itself. */
static void settle(void *ctx)
{
	struct job *j = ctx;

	if (!j->s->link)
		return;
	out_warn("waiting for OpenOCD to finish the flash operation under "
		 "way");
	tcl_link_exec(j->s->link, "version", NULL,
		      j->timeout_ms > 0 ? j->timeout_ms : ERASE_TIMEOUT_MS);
}

/* Ctrl-C: the hooks run now, while talking to OpenOCD is allowed again
 * (settle first, the newest), then the board state is told. */
static int interrupted(struct job *j)
{
	out_progress_end();
	cleanup_run_all();
	j->settle_handle = j->tmp_handle = -1;
	report_result(j, "interrupted");
	return PSR_ERR_INTERRUPTED;
}

static int erase_sectors(struct job *j)
{
	const struct flash_layout *l = &j->plan.layout;
	unsigned done = 0;
	uint64_t bytes = 0;
	double t0 = now_s();
	int r;

	out_progress_begin("erase", j->plan.nerase);
	for (unsigned n = 0; n < l->nsectors; n++) {
		const struct flash_sector *s = sector(j, n);
		char *msg = NULL;

		if (!j->plan.erase[n])
			continue;
		if (cleanup_should_abort())
			return interrupted(j);
		j->state[n] = SS_ERASING;
		j->timeout_ms = ERASE_TIMEOUT_MS;
		r = flash_bank_erase(j->s->link, j->ocd_bank[s->bank],
				     s->in_bank, &msg, j->timeout_ms);
		if (r == PSR_ERR_INTERRUPTED) {
			free(msg);
			return interrupted(j);
		}
		if (r) {
			out_progress_end();
			if (r == PSR_ERR_TCL)
				r = out_error(PSR_ERR_TEST_FAILED,
					      "erasing sector %u (0x%08x) "
					      "failed: %s",
					      n, (unsigned)s->addr,
					      msg && *msg ? msg
							  : "OpenOCD gives no "
							    "reason");
			free(msg);
			report_result(j, "fail");
			return r;
		}
		free(msg);
		j->state[n] = SS_ERASED;
		bytes += s->size;
		out_progress(++done);
	}
	out_progress_end();
	report_phase("erase", bytes, j->plan.nerase, now_s() - t0);
	return 0;
}

/* A chunk failed to program. OpenOCD's loader stops at the first flash
 * word the controller refuses: the sectors of the chunk before it are
 * written, the one holding it is partly written, those after it are still
 * blank. Which one it is, a read-back tells (only needed when the chunk
 * covers several sectors). Returns the sector that failed. */
static unsigned locate_failure(struct job *j, const struct flash_chunk *c,
			       int r)
{
	uint32_t word = j->plan.layout.word, off;
	uint8_t *back;
	unsigned failed;

	set_states(j, c, SS_PARTIAL);
	if (c->first == c->last || r != PSR_ERR_TCL)
		return c->first;
	back = psr_malloc(c->size);
	if (target_read_mem(&j->s->target, c->addr, back, c->size)) {
		free(back);
		return c->first;
	}
	for (off = 0; off < c->size; off += word)
		if (memcmp(back + off, c->data + off, word))
			break;
	free(back);
	if (off == c->size)
		return c->first;
	failed = flash_sector_at(&j->plan.layout, c->addr + off)->number;
	for (unsigned n = c->first; n <= c->last; n++)
		j->state[n] = n < failed ? SS_WRITTEN :
			      n == failed ? SS_PARTIAL : SS_ERASED;
	return failed;
}

static int program_chunks(struct job *j)
{
	const struct flash_plan *p = &j->plan;
	uint64_t done = 0;
	double t0 = now_s();
	uint32_t budget = CHUNK_MAX;
	int r = 0;

	out_progress_begin("program", p->program_bytes);
	for (size_t i = 0, k; i < p->nchunks; i = k) {
		const struct flash_sector *s;
		struct flash_chunk g;
		char *msg = NULL;
		double tw;

		if (cleanup_should_abort())
			return interrupted(j);
		k = join_chunks(j, i, budget, &g);
		s = sector(j, g.first);
		r = write_chunk_file(j, &g);
		if (r) {
			out_progress_end();
			report_result(j, "fail");
			return r;
		}
		set_states(j, &g, SS_WRITING);
		j->timeout_ms = WRITE_TIMEOUT_MS(g.size);
		tw = now_s();
		r = flash_bank_write(j->s->link, j->ocd_bank[s->bank],
				     j->chunk_file,
				     g.addr - p->layout.bank_base[s->bank],
				     &msg, j->timeout_ms);
		tw = now_s() - tw;
		if (r == PSR_ERR_INTERRUPTED) {
			free(msg);
			return interrupted(j);
		}
		if (r) {
			const struct flash_sector *bad;
			struct strbuf why;

			out_progress_end();
			bad = sector(j, locate_failure(j, &g, r));
			if (r == PSR_ERR_TCL) {
				sb_init(&why);
				flash_bank_describe_write_error(msg, &why);
				r = out_error(PSR_ERR_TEST_FAILED,
					      "programming sector %u (0x%08x-"
					      "0x%08x) failed: %s",
					      bad->number, (unsigned)bad->addr,
					      (unsigned)(bad->addr + bad->size - 1),
					      why.buf);
				sb_release(&why);
			}
			free(msg);
			report_result(j, "fail");
			return r;
		}
		free(msg);
		for (size_t m = i; m < k; m++)
			for (unsigned n = p->chunk[m].first;
			     n <= p->chunk[m].last; n++)
				j->state[n] = chunk_ends_sector(j, m, n)
						      ? SS_WRITTEN
						      : SS_PARTIAL;
		done += g.size;
		out_progress(done);
		/* The next write: what this link programs in a slice. */
		if (tw > 0) {
			double next = g.size / tw * WRITE_SLICE_S;

			budget = next < CHUNK_MAX   ? CHUNK_MAX
				 : next > WRITE_MAX ? WRITE_MAX
						    : (uint32_t)next;
		}
	}
	out_progress_end();
	report_phase("program", p->program_bytes, p->nerase, now_s() - t0);
	return 0;
}

/* After a CRC mismatch: which bytes differ, read back over the debug
 * link; the sectors holding them are marked. */
static int compare_chunk(struct job *j, const struct flash_chunk *c,
			 size_t last, struct strbuf *why)
{
	uint8_t *back = psr_malloc(c->size);
	uint32_t first = 0, count = 0;
	int r;

	set_states(j, c, SS_MISMATCH);
	r = target_read_mem(&j->s->target, c->addr, back, c->size);
	if (r) {
		if (r == PSR_ERR_TARGET)
			sb_addf(why, "and reading it back failed: %s",
				target_error(&j->s->target));
		free(back);
		return r;
	}
	for (unsigned n = c->first; n <= c->last; n++)
		j->state[n] = chunk_ends_sector(j, last, n) ? SS_VERIFIED
							    : SS_WRITTEN;
	for (uint32_t k = 0; k < c->size; k++) {
		if (back[k] != c->data[k]) {
			if (!count++)
				first = k;
			j->state[flash_sector_at(&j->plan.layout, c->addr + k)
					 ->number] = SS_MISMATCH;
		}
	}
	if (!count)
		set_states(j, c, SS_MISMATCH);
	if (count)
		sb_addf(why, "%u byte%s differ, the first at 0x%08x (0x%02x "
			     "written, 0x%02x read)",
			(unsigned)count, count == 1 ? "" : "s",
			(unsigned)(c->addr + first), c->data[first],
			back[first]);
	else
		sb_adds(why, "the CRC differed but the bytes read back match "
			     "(the flash reads unstably)");
	free(back);
	return 0;
}

static int verify_chunks(struct job *j)
{
	const struct flash_plan *p = &j->plan;
	uint64_t done = 0;
	double t0 = now_s();
	int r = 0, failed = 0;

	out_progress_begin("verify", p->program_bytes);
	for (size_t i = 0, k; i < p->nchunks; i = k) {
		struct flash_chunk g;
		const struct flash_chunk *c = &g;
		char *msg = NULL;

		if (cleanup_should_abort())
			return interrupted(j);
		k = join_chunks(j, i, WRITE_MAX, &g);
		r = write_chunk_file(j, &g);
		if (r) {
			failed = 1;
			break;
		}
		j->timeout_ms = VERIFY_TIMEOUT_MS(c->size);
		r = flash_bank_verify(j->s->link, j->chunk_file, c->addr, &msg,
				      j->timeout_ms);
		if (r == PSR_ERR_INTERRUPTED) {
			free(msg);
			return interrupted(j);
		}
		if (r == PSR_ERR_TCL && msg &&
		    strstr(msg, "checksum mismatch")) {
			struct strbuf why;
			char words[32];

			out_progress_end();
			sb_init(&why);
			r = compare_chunk(j, c, k - 1, &why);
			out_error(PSR_ERR_TEST_FAILED,
				  "verify of 0x%08x-0x%08x (%s) failed: %s",
				  (unsigned)c->addr,
				  (unsigned)(c->addr + c->size - 1),
				  sector_words(c, words, sizeof(words)),
				  why.buf);
			sb_release(&why);
			failed = 1;
			r = r ? r : PSR_ERR_TEST_FAILED;
		} else if (r) {
			out_progress_end();
			if (r == PSR_ERR_TCL)
				r = out_error(PSR_ERR_TEST_FAILED,
					      "cannot verify 0x%08x-0x%08x: %s",
					      (unsigned)c->addr,
					      (unsigned)(c->addr + c->size - 1),
					      msg && *msg ? msg : "no reason");
			failed = 1;
		} else {
			for (unsigned n = c->first; n <= c->last; n++)
				if (j->state[n] != SS_MISMATCH &&
				    chunk_ends_sector(j, k - 1, n))
					j->state[n] = SS_VERIFIED;
		}
		free(msg);
		if (failed)
			break;
		done += c->size;
		out_progress(done);
	}
	out_progress_end();
	if (failed) {
		report_result(j, "fail");
		return r;
	}
	report_phase("verify", p->program_bytes, p->nerase, now_s() - t0);
	return 0;
}

static int reset_board(struct job *j, const char *how)
{
	char cmd[32], *msg = NULL;
	int r;

	snprintf(cmd, sizeof(cmd), "reset %s", how);
	r = ocd(j, cmd, &msg, RESET_TIMEOUT_MS);
	if (r == PSR_ERR_TCL)
		r = out_error(PSR_ERR_TARGET, "'reset %s' failed: %s", how,
			      msg && *msg ? msg : "no reason given");
	free(msg);
	return r;
}

/* After `reset run`: does the new firmware run, fault, or reset again
 * and again? (image/start_check.h) A firmware that does not start is a
 * failed flash (exit 1), its words and registers on one line. */
static int check_start(struct job *j)
{
	struct start_vectors v;
	struct strbuf why;
	int r;

	start_vectors_of(&j->img, j->plan.layout.base, &v);
	r = start_check(j->s->link, &j->s->target, &v, &j->start);
	if (r == PSR_ERR_INTERRUPTED)
		return interrupted(j);
	if (r)
		return r;
	j->start_checked = 1;
	if (j->start.state == START_RUNNING)
		return 0;
	report_result(j, "not-started");
	sb_init(&why);
	start_describe(&j->start, &why);
	r = out_error(PSR_ERR_TEST_FAILED, "%s", why.buf);
	sb_release(&why);
	return r;
}

static int write_flash(struct job *j)
{
	int r;

	r = map_banks(j);
	if (!r)
		r = make_tmpdir(j);
	if (r)
		return r;
	j->settle_handle = cleanup_push(settle, j);
	/* As OpenOCD's own `program`: from a reset with the core halted, so
	 * no firmware runs from (or locks) the flash being written. */
	r = reset_board(j, "init");
	if (r == PSR_ERR_INTERRUPTED)
		return interrupted(j);
	if (!r)
		r = erase_sectors(j);
	if (!r)
		r = program_chunks(j);
	if (!r)
		r = verify_chunks(j);
	if (!r && !j->opts->no_reset) {
		r = reset_board(j, "run");
		if (r == PSR_ERR_INTERRUPTED)
			return interrupted(j);
		if (r)
			report_result(j, "fail");
		else
			j->reset_done = 1;
	}
	if (!r && j->reset_done)
		r = check_start(j);
	if (j->settle_handle >= 0)
		cleanup_pop(j->settle_handle, 0);
	j->settle_handle = -1;
	if (!r)
		report_result(j, "pass");
	return r;
}

/* Everything judged from the arguments and the file alone, before
 * OpenOCD or the board is reached: one FILE, --address, the file name,
 * the file (a regular file holding a well-formed image) and where its
 * data go (not the QSPI window, not outside every MCU's flash). Fills
 * img; errors are printed. */
static int judge_image(const struct flash_opts *o, int argc, char **argv,
		       struct image *img)
{
	uint32_t bin_addr = 0x08000000u;
	char shown[128], addr[64];
	struct strbuf why;
	int r = 0;

	if (argc != 1)
		return out_error(PSR_ERR_USAGE,
				 "'flash' takes one FILE (see psramctl help "
				 "flash)");
	out_printable(argv[0], shown, sizeof(shown));
	if (tcl_meta_in(argv[0]))
		return out_error(PSR_ERR_USAGE,
				 "'%s': file names with Tcl metacharacters "
				 "([ ] { } $ \\ \" ;) or control characters "
				 "are refused; rename it",
				 shown);
	if (o->address && parse_address(o->address, &bin_addr))
		return out_error(PSR_ERR_USAGE,
				 "invalid value '%s' for --address (expected a "
				 "32-bit address)",
				 out_printable(o->address, addr, sizeof(addr)));
	sb_init(&why);
	if (image_load(img, argv[0], bin_addr, &why))
		r = out_error(PSR_ERR_IMAGE, "'%s': %s", shown, why.buf);
	else if (o->address && img->format != IMAGE_BIN)
		r = out_error(PSR_ERR_USAGE,
			      "'%s' is %s, which carries its own addresses: "
			      "--address is for binary images",
			      shown, image_format_name(img->format));
	else if (flash_plan_precheck(img, &why))
		r = out_error(PSR_ERR_IMAGE, "'%s': %s", shown, why.buf);
	sb_release(&why);
	return r;
}

static int check_flash(void *options, int argc, char **argv)
{
	static const struct flash_opts none;
	struct image img;
	int r;

	image_init(&img);
	r = judge_image(options ? options : &none, argc, argv, &img);
	image_free(&img);
	return r;
}

static int run_flash(struct session *s, void *options, int argc, char **argv)
{
	static const struct flash_opts none;
	const struct flash_opts *o = options ? options : &none;
	struct flash_layout layout;
	struct job *j;
	struct strbuf why;
	int r;

	j = psr_calloc(1, sizeof(*j));
	j->s = s;
	j->opts = o;
	j->path = argc ? argv[0] : "";
	j->tmp_handle = j->settle_handle = -1;
	out_printable(j->path, j->shown, sizeof(j->shown));
	image_init(&j->img);
	sb_init(&why);
	r = judge_image(o, argc, argv, &j->img);
	if (r)
		goto out;
	r = detect_layout(j, &layout);
	if (r)
		goto out;
	if (flash_plan_build(&j->img, &layout, CHUNK_MAX, &j->plan, &why)) {
		r = out_error(PSR_ERR_IMAGE, "'%s': %s", j->shown, why.buf);
		goto out;
	}
	if (out_json())
		json_plan(j);
	else
		print_plan(j);
	fflush(stdout);
	if (o->dry_run) {
		if (out_json())
			report_result(j, "dry-run");
		else
			printf("dry run: nothing was written\n");
		r = 0;
		goto out;
	}
	r = write_flash(j);
out:
	if (j->settle_handle >= 0)
		cleanup_pop(j->settle_handle, 0);
	if (j->tmp_handle >= 0)
		cleanup_pop(j->tmp_handle, 1);
	sb_release(&why);
	flash_plan_free(&j->plan);
	image_free(&j->img);
	free(j);
	return r;
}

const struct command cmd_flash = {
	.name = "flash",
	.summary = "write a firmware image into the MCU's internal flash",
	.usage = "[--address ADDR] [--dry-run] [--no-reset] FILE",
	.description =
		"Writes FILE (ELF, Intel HEX, DfuSe .dfu or raw binary, told "
		"apart by content)\ninto the internal flash through OpenOCD's "
		"flash driver: erases the sectors\nthe image needs, programs "
		"and verifies them (on-target CRC, then a byte\ncompare where "
		"it differs), then resets into the new firmware. Images with\n"
		"data outside the flash or in the QSPI window are refused "
		"before the board\nis touched. On a failure or Ctrl-C it says "
		"which sectors are erased,\nwritten or unverified.",
	.options = flash_options,
	.options_size = sizeof(struct flash_opts),
	.flags = CMD_NEEDS_TARGET,
	.run = run_flash,
	.check = check_flash,
};
