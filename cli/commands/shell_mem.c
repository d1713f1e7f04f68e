#include "commands/shell_mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands/shell_psram.h"
#include "link/session.h"
#include "report/output.h"
#include "stub/stub_image.h"
#include "stub_abi.h"
#include "util/alloc.h"
#include "util/cleanup.h"
#include "util/error.h"
#include "util/hex.h"
#include "util/number.h"

/* The largest transfer a shell command makes: twice the 8 MB chip. */
#define MAX_LEN (16u * 1024 * 1024)
/* Transfers move in pieces of this size (the stub's data buffer): memory
 * stays bounded, and Ctrl-C is seen between two pieces. */
#define CHUNK STUB_DATA_MAX

static int parse_num(const char *what, const char *s, uint64_t max,
		     uint64_t *out)
{
	const char *end;
	char shown[96];

	if (number_prefix(s, out, &end) || *end || *out > max)
		return out_error(PSR_ERR_USAGE,
				 "invalid %s '%s' (expected a number, 0x hex "
				 "allowed, at most 0x%llx)",
				 what, out_printable(s, shown, sizeof(shown)),
				 (unsigned long long)max);
	return 0;
}

/* ADDR and LEN, with ADDR + LEN within the 32-bit address space. */
static int parse_span(const char *a, const char *l, uint32_t *addr,
		      uint32_t *len)
{
	uint64_t av, lv;
	int r = parse_num("address", a, 0xffffffffull, &av);

	if (!r && l)
		r = parse_num("length", l, MAX_LEN, &lv);
	else
		lv = 4;
	if (r)
		return r;
	if (!lv)
		return out_error(PSR_ERR_USAGE, "a length of 0");
	if (av + lv > 0x100000000ull)
		return out_error(PSR_ERR_USAGE,
				 "0x%08llx + 0x%llx runs past the end of the "
				 "address space",
				 (unsigned long long)av,
				 (unsigned long long)lv);
	*addr = (uint32_t)av;
	*len = (uint32_t)lv;
	return 0;
}

static int usage(const char *u)
{
	return out_error(PSR_ERR_USAGE, "usage: %s", u);
}

/* Hex bytes from words ("de ad", "dead", "0xdead"); *n bytes into a new
 * buffer. */
static int parse_hex(int argc, char **argv, uint8_t **out, size_t *n)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	char shown[96];

	for (int i = 0; i < argc; i++) {
		const char *p = argv[i];
		size_t digits;

		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
			p += 2;
		digits = strlen(p);
		if (!digits || digits % 2 || len + digits / 2 > MAX_LEN)
			goto bad;
		for (size_t k = 0; k < digits; k++)
			if (hex_digit(p[k]) < 0)
				goto bad;
		buf = psr_realloc(buf, len + digits / 2);
		for (size_t k = 0; k < digits; k += 2)
			buf[len++] = (uint8_t)(hex_digit(p[k]) << 4 |
					       hex_digit(p[k + 1]));
		continue;
bad:
		free(buf);
		return out_error(PSR_ERR_USAGE,
				 "invalid hex bytes '%s' (expected pairs of "
				 "hex digits, e.g. 'de ad' or 'dead')",
				 out_printable(argv[i], shown, sizeof(shown)));
	}
	*out = buf;
	*n = len;
	return 0;
}

static int access_failed(struct session *s, int r, const char *what,
			 uint32_t addr, uint32_t len)
{
	if (r == PSR_ERR_TARGET || r == PSR_ERR_VERIFY)
		return out_error(r, "cannot %s 0x%x bytes at 0x%08x: %s", what,
				 (unsigned)len, (unsigned)addr,
				 target_error(&s->target));
	return r;
}

/* A write over the stub's image means it must be loaded again. */
static void written(struct session *s, uint32_t addr, uint32_t len)
{
	uint32_t end = STUB_LOAD_ADDR + (s->stub_loaded
						 ? (uint32_t)s->stub_loaded->size
						 : 0u);

	if (addr < end && (uint64_t)addr + len > STUB_LOAD_ADDR)
		s->stub_resident = 0;
}

/* Where a command's bytes go: the PSRAM through the stub
 * (shell_psram.h), anything else through OpenOCD. */
struct span {
	uint32_t addr;
	uint32_t len;
	int psram;
	uint32_t off;	/* chip offset of addr when psram */
};

static int locate(struct session *s, struct span *sp, uint32_t addr,
		  uint64_t len)
{
	int r = shell_psram_locate(s, addr, len, &sp->off);

	if (r < 0)
		return r;
	sp->addr = addr;
	sp->len = (uint32_t)len;
	sp->psram = r;
	return 0;
}

static int piece_read(struct session *s, const struct span *sp,
		      uint32_t pos, uint8_t *buf, uint32_t n)
{
	if (cleanup_should_abort())
		return PSR_ERR_INTERRUPTED;
	if (sp->psram)
		return shell_psram_read(s, sp->off + pos, buf, n);
	return access_failed(s, target_read_mem(&s->target, sp->addr + pos,
						buf, n),
			     "read", sp->addr + pos, n);
}

static int piece_write(struct session *s, const struct span *sp,
		       uint32_t pos, const uint8_t *buf, uint32_t n)
{
	int r;

	if (cleanup_should_abort())
		return PSR_ERR_INTERRUPTED;
	if (sp->psram)
		return shell_psram_write(s, sp->off + pos, buf, n);
	r = target_write_mem(&s->target, sp->addr + pos, buf, n);
	written(s, sp->addr + pos, n);
	return access_failed(s, r, "write", sp->addr + pos, n);
}

static uint32_t piece_len(const struct span *sp, uint32_t pos)
{
	return sp->len - pos < CHUNK ? sp->len - pos : CHUNK;
}

static void hexdump(uint32_t addr, const uint8_t *b, uint32_t len)
{
	for (uint32_t off = 0; off < len; off += 16) {
		uint32_t n = len - off < 16 ? len - off : 16;

		printf("%08x:", (unsigned)(addr + off));
		for (uint32_t i = 0; i < 16; i++) {
			if (i < n)
				printf(" %02x", b[off + i]);
			else
				fputs("   ", stdout);
		}
		fputs("  |", stdout);
		for (uint32_t i = 0; i < n; i++) {
			uint8_t c = b[off + i];

			putchar(c >= 0x20 && c < 0x7f ? c : '.');
		}
		puts("|");
	}
	fflush(stdout);
}

int shell_rd(struct session *s, int argc, char **argv)
{
	struct span sp;
	uint32_t addr, len;
	uint8_t *buf;
	int r;

	if (argc < 1 || argc > 2)
		return usage("rd ADDR [LEN]");
	r = parse_span(argv[0], argc > 1 ? argv[1] : NULL, &addr, &len);
	if (!r)
		r = locate(s, &sp, addr, len);
	if (r)
		return r;
	buf = psr_malloc(CHUNK);
	for (uint32_t pos = 0; pos < len && !r; pos += CHUNK) {
		uint32_t n = piece_len(&sp, pos);

		r = piece_read(s, &sp, pos, buf, n);
		if (!r)
			hexdump(addr + pos, buf, n);
	}
	free(buf);
	return r;
}

int shell_wr(struct session *s, int argc, char **argv)
{
	struct span sp;
	uint64_t av;
	uint8_t *buf;
	size_t n;
	int r;

	if (argc < 2)
		return usage("wr ADDR HEX...");
	r = parse_num("address", argv[0], 0xffffffffull, &av);
	if (!r)
		r = parse_hex(argc - 1, argv + 1, &buf, &n);
	if (r)
		return r;
	if (av + n > 0x100000000ull) {
		free(buf);
		return out_error(PSR_ERR_USAGE,
				 "the bytes run past the end of the address "
				 "space");
	}
	r = locate(s, &sp, (uint32_t)av, n);
	for (uint32_t pos = 0; pos < n && !r; pos += CHUNK)
		r = piece_write(s, &sp, pos, buf + pos, piece_len(&sp, pos));
	free(buf);
	return r;
}

int shell_fill(struct session *s, int argc, char **argv)
{
	struct span sp;
	uint32_t addr, len;
	uint8_t *pat, *buf;
	size_t n;
	int r;

	if (argc < 3)
		return usage("fill ADDR LEN HEX...");
	r = parse_span(argv[0], argv[1], &addr, &len);
	if (!r)
		r = parse_hex(argc - 2, argv + 2, &pat, &n);
	if (r)
		return r;
	r = locate(s, &sp, addr, len);
	if (r) {
		free(pat);
		return r;
	}
	buf = psr_malloc(CHUNK);
	out_progress_begin("fill", len);
	for (uint32_t pos = 0; pos < len && !r; pos += CHUNK) {
		uint32_t k = piece_len(&sp, pos);

		for (uint32_t i = 0; i < k; i++)
			buf[i] = pat[(pos + i) % n];
		r = piece_write(s, &sp, pos, buf, k);
		out_progress(pos + k);
	}
	out_progress_end();
	free(pat);
	free(buf);
	return r;
}

/* dump: the bytes go into FILE piece by piece; a dump that fails or is
 * interrupted leaves no file it created. */
int shell_dump(struct session *s, int argc, char **argv)
{
	struct span sp;
	uint32_t addr, len, pos;
	uint8_t *buf;
	char shown[128];
	int r, created = 1, e = 0;
	FILE *f;

	if (argc != 3)
		return usage("dump ADDR LEN FILE");
	r = parse_span(argv[0], argv[1], &addr, &len);
	if (!r)
		r = locate(s, &sp, addr, len);
	if (r)
		return r;
	out_printable(argv[2], shown, sizeof(shown));
	f = fopen(argv[2], "wbx");
	if (!f && errno == EEXIST) {
		created = 0;
		f = fopen(argv[2], "wb");
	}
	if (!f)
		return out_error(PSR_ERR_SYSTEM, "cannot write '%s': %s", shown,
				 strerror(errno));
	buf = psr_malloc(CHUNK);
	out_progress_begin("dump", len);
	for (pos = 0; pos < len && !r; pos += CHUNK) {
		uint32_t n = piece_len(&sp, pos);

		r = piece_read(s, &sp, pos, buf, n);
		if (!r && fwrite(buf, 1, n, f) != n) {
			e = errno;
			r = PSR_ERR_SYSTEM;
		}
		out_progress(pos + n);
	}
	out_progress_end();
	free(buf);
	if (fclose(f) && !r) {
		e = errno;
		r = PSR_ERR_SYSTEM;
	}
	if (r && created)
		unlink(argv[2]);
	if (r == PSR_ERR_SYSTEM)
		return out_error(r, "cannot write '%s': %s", shown,
				 strerror(e));
	if (r)
		return r;
	printf("%u bytes from 0x%08x written to %s\n", (unsigned)len,
	       (unsigned)addr, shown);
	return 0;
}

/* A regular file of 1 to MAX_LEN bytes, opened without blocking on a
 * FIFO; *size is its length. */
static int open_input(const char *path, FILE **out, uint32_t *size)
{
	char shown[128];
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	out_printable(path, shown, sizeof(shown));
	if (fd < 0)
		return out_error(PSR_ERR_USAGE, "cannot open '%s': %s", shown,
				 strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return out_error(PSR_ERR_USAGE, "'%s' is not a regular file",
				 shown);
	}
	if (st.st_size == 0 || st.st_size > MAX_LEN) {
		close(fd);
		return out_error(PSR_ERR_USAGE,
				 "'%s' holds %lld bytes (1 to %u can be "
				 "loaded)",
				 shown, (long long)st.st_size, MAX_LEN);
	}
	*out = fdopen(fd, "rb");
	if (!*out) {
		int e = errno;

		close(fd);
		return out_error(PSR_ERR_SYSTEM, "cannot read '%s': %s", shown,
				 strerror(e));
	}
	*size = (uint32_t)st.st_size;
	return 0;
}

int shell_load(struct session *s, int argc, char **argv)
{
	struct span sp;
	uint64_t av;
	uint32_t n = 0, pos;
	uint8_t *buf;
	char shown[128];
	FILE *f;
	int r;

	if (argc != 2)
		return usage("load FILE ADDR");
	r = parse_num("address", argv[1], 0xffffffffull, &av);
	if (!r)
		r = open_input(argv[0], &f, &n);
	if (r)
		return r;
	if (av + n > 0x100000000ull) {
		fclose(f);
		return out_error(PSR_ERR_USAGE,
				 "the file runs past the end of the address "
				 "space");
	}
	r = locate(s, &sp, (uint32_t)av, n);
	if (r) {
		fclose(f);
		return r;
	}
	buf = psr_malloc(CHUNK);
	out_progress_begin("load", n);
	for (pos = 0; pos < n && !r; pos += CHUNK) {
		uint32_t k = piece_len(&sp, pos);

		if (fread(buf, 1, k, f) != k)
			r = out_error(PSR_ERR_SYSTEM,
				      "cannot read '%s': it changed while "
				      "being loaded",
				      out_printable(argv[0], shown,
						    sizeof(shown)));
		else
			r = piece_write(s, &sp, pos, buf, k);
		out_progress(pos + k);
	}
	out_progress_end();
	free(buf);
	fclose(f);
	if (!r)
		printf("%u bytes loaded at 0x%08x\n", (unsigned)n,
		       (unsigned)av);
	return r;
}
