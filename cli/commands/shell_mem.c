#include "commands/shell_mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "link/session.h"
#include "report/output.h"
#include "stub/stub_image.h"
#include "stub_abi.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/number.h"

/* The largest transfer a shell command makes: the whole 8 MB chip. */
#define MAX_LEN (16u * 1024 * 1024)

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

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
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
			if (hexval(p[k]) < 0)
				goto bad;
		buf = psr_realloc(buf, len + digits / 2);
		for (size_t k = 0; k < digits; k += 2)
			buf[len++] = (uint8_t)(hexval(p[k]) << 4 |
					       hexval(p[k + 1]));
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
	uint32_t end = STUB_LOAD_ADDR + (s->stub ? (uint32_t)s->stub->size
						 : 0u);

	if (addr < end && (uint64_t)addr + len > STUB_LOAD_ADDR)
		s->stub_resident = 0;
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
	uint32_t addr, len;
	uint8_t *buf;
	int r;

	if (argc < 1 || argc > 2)
		return usage("rd ADDR [LEN]");
	r = parse_span(argv[0], argc > 1 ? argv[1] : NULL, &addr, &len);
	if (r)
		return r;
	buf = psr_malloc(len);
	r = target_read_mem(&s->target, addr, buf, len);
	if (!r)
		hexdump(addr, buf, len);
	free(buf);
	return access_failed(s, r, "read", addr, len);
}

int shell_wr(struct session *s, int argc, char **argv)
{
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
	r = target_write_mem(&s->target, (uint32_t)av, buf, n);
	written(s, (uint32_t)av, (uint32_t)n);
	free(buf);
	return access_failed(s, r, "write", (uint32_t)av, (uint32_t)n);
}

int shell_fill(struct session *s, int argc, char **argv)
{
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
	buf = psr_malloc(len);
	for (uint32_t i = 0; i < len; i++)
		buf[i] = pat[i % n];
	free(pat);
	r = target_write_mem(&s->target, addr, buf, len);
	written(s, addr, len);
	free(buf);
	return access_failed(s, r, "fill", addr, len);
}

int shell_dump(struct session *s, int argc, char **argv)
{
	uint32_t addr, len;
	uint8_t *buf;
	char shown[128];
	FILE *f;
	int r;

	if (argc != 3)
		return usage("dump ADDR LEN FILE");
	r = parse_span(argv[0], argv[1], &addr, &len);
	if (r)
		return r;
	buf = psr_malloc(len);
	r = target_read_mem(&s->target, addr, buf, len);
	if (r) {
		free(buf);
		return access_failed(s, r, "read", addr, len);
	}
	f = fopen(argv[2], "wbx");
	if (!f && errno == EEXIST)
		f = fopen(argv[2], "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		int e = errno;

		free(buf);
		return out_error(PSR_ERR_SYSTEM, "cannot write '%s': %s",
				 out_printable(argv[2], shown, sizeof(shown)),
				 strerror(e));
	}
	free(buf);
	printf("%u bytes from 0x%08x written to %s\n", (unsigned)len,
	       (unsigned)addr, out_printable(argv[2], shown, sizeof(shown)));
	return 0;
}

/* A regular file, opened without blocking on a FIFO. */
static int read_file(const char *path, uint8_t **out, size_t *n)
{
	char shown[128];
	struct stat st;
	uint8_t *buf;
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
	buf = psr_malloc((size_t)st.st_size);
	if (read(fd, buf, (size_t)st.st_size) != st.st_size) {
		int e = errno;

		close(fd);
		free(buf);
		return out_error(PSR_ERR_SYSTEM, "cannot read '%s': %s", shown,
				 strerror(e));
	}
	close(fd);
	*out = buf;
	*n = (size_t)st.st_size;
	return 0;
}

int shell_load(struct session *s, int argc, char **argv)
{
	uint64_t av;
	uint8_t *buf;
	size_t n;
	int r;

	if (argc != 2)
		return usage("load FILE ADDR");
	r = parse_num("address", argv[1], 0xffffffffull, &av);
	if (!r)
		r = read_file(argv[0], &buf, &n);
	if (r)
		return r;
	if (av + n > 0x100000000ull) {
		free(buf);
		return out_error(PSR_ERR_USAGE,
				 "the file runs past the end of the address "
				 "space");
	}
	r = target_write_mem(&s->target, (uint32_t)av, buf, n);
	written(s, (uint32_t)av, (uint32_t)n);
	free(buf);
	if (!r)
		printf("%zu bytes loaded at 0x%08x\n", n, (unsigned)av);
	return access_failed(s, r, "write", (uint32_t)av, (uint32_t)n);
}
