/* Bus access costs: the table's text form, the address lookup and the
 * conversion to CPU cycles (bus_cost.h; docs/psramsim-cpu.md). */
#include "cpu/bus_cost.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const clock_names[BUS_CLOCKS] = {
	"", "ahb", "apb1", "apb2", "apb3", "apb4", "ws",
};

int bus_cost_parse_expr(const char *s, uint8_t out[BUS_CLOCKS], char *err,
			size_t errlen)
{
	const char *whole = s;

	memset(out, 0, BUS_CLOCKS);
	if (!*s) {
		snprintf(err, errlen, "empty cost");
		return -1;
	}
	for (;;) {
		unsigned long n;
		char *end;
		size_t len;
		int clock = -1;

		if (!isdigit((unsigned char)*s)) {
			snprintf(err, errlen,
				 "cost '%s': each term must start with a "
				 "number",
				 whole);
			return -1;
		}
		errno = 0;
		n = strtoul(s, &end, 10);
		len = strcspn(end, "+");
		for (int c = 0; c < BUS_CLOCKS; c++)
			if (strlen(clock_names[c]) == len &&
			    strncmp(end, clock_names[c], len) == 0)
				clock = c;
		if (clock < 0) {
			snprintf(err, errlen,
				 "cost term '%.*s': unknown clock (cpu cycles "
				 "as a bare number, or ahb, apb1-apb4, ws)",
				 (int)(end + len - s), s);
			return -1;
		}
		if (errno || n > 255 || out[clock] + n > 255) {
			snprintf(err, errlen,
				 "cost term '%.*s': more than 255 cycles",
				 (int)(end + len - s), s);
			return -1;
		}
		out[clock] = (uint8_t)(out[clock] + n);
		s = end + len;
		if (!*s)
			return 0;
		s++;	/* the '+' */
	}
}

static int parse_addr(const char *s, uint32_t *v)
{
	unsigned long long n;
	char *end;

	errno = 0;
	n = strtoull(s, &end, 0);
	if (errno || *s == '-' || *end || n > UINT32_MAX)
		return -1;
	*v = (uint32_t)n;
	return 0;
}

/* Drops the blanks that end `s`, as the reader does with every line. */
static void trim_end(char *s)
{
	size_t len = strlen(s);

	while (len && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
}

/* One line "BASE LAST READ WRITE [clocks] NAME..." into `r`. */
static int parse_line(char *line, struct bus_cost_row *r, char *err,
		      size_t errlen)
{
	char *tok[5], *save = NULL, *rest;
	unsigned n = 0;

	memset(r, 0, sizeof(*r));
	for (char *p = strtok_r(line, " \t", &save); p && n < 5;
	     p = n < 4 ? strtok_r(NULL, " \t", &save) : NULL)
		tok[n++] = p;
	if (n < 4) {
		snprintf(err, errlen,
			 "expected BASE LAST READ WRITE [clocks] NAME");
		return -1;
	}
	if (parse_addr(tok[0], &r->base) || parse_addr(tok[1], &r->last)) {
		snprintf(err, errlen, "'%s %s': not an address range", tok[0],
			 tok[1]);
		return -1;
	}
	if (r->last < r->base || r->base % BUS_COST_ALIGN ||
	    (r->last + 1U) % BUS_COST_ALIGN) {
		snprintf(err, errlen,
			 "range 0x%08x-0x%08x: must run from a 1 KiB boundary "
			 "to the byte before one",
			 r->base, r->last);
		return -1;
	}
	if (bus_cost_parse_expr(tok[2], r->rd, err, errlen) ||
	    bus_cost_parse_expr(tok[3], r->wr, err, errlen))
		return -1;
	rest = save ? save + strspn(save, " \t") : NULL;
	if (rest && strncmp(rest, "clocks", 6) == 0 &&
	    (rest[6] == '\0' || isspace((unsigned char)rest[6]))) {
		r->flags |= BUS_COST_CLOCKS;
		rest += 6;
		rest += strspn(rest, " \t");
	}
	if (!rest || !*rest) {
		snprintf(err, errlen, "row 0x%08x-0x%08x has no name",
			 r->base, r->last);
		return -1;
	}
	snprintf(r->name, sizeof(r->name), "%s", rest);
	/* A name cut to fit may end in blanks the reader would strip: drop
	 * them so the written table reads back as this one. */
	trim_end(r->name);
	return 0;
}

static int check_overlaps(const struct bus_cost_table *t, char *err,
			  size_t errlen, unsigned *bad)
{
	for (unsigned i = 0; i < t->count; i++)
		for (unsigned j = 0; j < i; j++)
			if (t->row[i].base <= t->row[j].last &&
			    t->row[j].base <= t->row[i].last) {
				snprintf(err, errlen,
					 "'%s' overlaps '%s'", t->row[i].name,
					 t->row[j].name);
				*bad = i;
				return -1;
			}
	return 0;
}

int bus_cost_load_stream(FILE *f, const char *what, struct bus_cost_table *t,
			 char *err, size_t errlen)
{
	char line[512], why[200];
	unsigned lineno = 0, at[BUS_COST_MAX_ROWS], bad = 0;

	t->count = 0;
	while (fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);
		char *p = line;

		lineno++;
		if (len == sizeof(line) - 1 && line[len - 1] != '\n') {
			snprintf(err, errlen, "%s:%u: line too long", what,
				 lineno);
			return -1;
		}
		line[strcspn(line, "#\r\n")] = '\0';
		for (const char *c = line; *c; c++)
			if (iscntrl((unsigned char)*c) && *c != '\t') {
				snprintf(err, errlen,
					 "%s:%u: control character 0x%02x "
					 "(only blanks and tabs separate fields)",
					 what, lineno, (unsigned char)*c);
				return -1;
			}
		p += strspn(p, " \t");
		trim_end(p);
		if (!*p)
			continue;
		if (t->count == BUS_COST_MAX_ROWS) {
			snprintf(err, errlen, "%s:%u: more than %u rows", what,
				 lineno, BUS_COST_MAX_ROWS);
			return -1;
		}
		if (parse_line(p, &t->row[t->count], why, sizeof(why))) {
			snprintf(err, errlen, "%s:%u: %s", what, lineno, why);
			return -1;
		}
		at[t->count++] = lineno;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", what, strerror(errno));
		return -1;
	}
	if (check_overlaps(t, why, sizeof(why), &bad)) {
		snprintf(err, errlen, "%s:%u: %s", what, at[bad], why);
		return -1;
	}
	return 0;
}

int bus_cost_load(const char *path, struct bus_cost_table *t, char *err,
		  size_t errlen)
{
	FILE *f = fopen(path, "r");
	int r;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	r = bus_cost_load_stream(f, path, t, err, errlen);
	fclose(f);
	return r;
}

static void format_expr(char *buf, size_t len,
			const uint8_t terms[BUS_CLOCKS])
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned k = 0; k < BUS_CLOCKS && n < len; k++) {
		if (!terms[k])
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s%u%s", n ? "+" : "",
				      terms[k], clock_names[k]);
	}
	if (!buf[0])
		snprintf(buf, len, "0");
}

void bus_cost_write_row(FILE *f, const struct bus_cost_row *r)
{
	char rd[64], wr[64];

	format_expr(rd, sizeof(rd), r->rd);
	format_expr(wr, sizeof(wr), r->wr);
	fprintf(f, "0x%08x  0x%08x  %-11s %-11s %s%s\n", r->base, r->last, rd,
		wr, r->flags & BUS_COST_CLOCKS ? "clocks " : "", r->name);
}

void bus_cost_write(FILE *f, const struct bus_cost_table *t)
{
	fprintf(f, "# base      last        read        write       name\n");
	for (unsigned i = 0; i < t->count; i++)
		bus_cost_write_row(f, &t->row[i]);
}

/* The page table for the rows: whole 64 KiB pages where one row (or none)
 * covers the page, a sub-table of 1 KiB entries where rows meet inside. */
static int build_pages(struct bus_cost *bc)
{
	const struct bus_cost_table *t = &bc->table;

	memset(bc->page, 0, sizeof(bc->page));
	free(bc->sub);
	bc->sub = NULL;
	bc->nsub = 0;
	for (unsigned i = 0; i < t->count; i++) {
		const struct bus_cost_row *r = &t->row[i];
		uint64_t a = r->base;

		while (a <= r->last) {
			uint32_t pg = (uint32_t)(a >> 16);
			uint64_t pend = ((uint64_t)pg + 1) << 16;

			if (a % 0x10000U == 0 && r->last + 1ULL >= pend &&
			    !(bc->page[pg] & BUS_COST_FINE)) {
				bc->page[pg] = (uint16_t)(i + 1);
				a = pend;
				continue;
			}
			if (!(bc->page[pg] & BUS_COST_FINE)) {
				uint16_t(*s)[BUS_COST_SUBPAGES] = realloc(
					bc->sub, (bc->nsub + 1) * sizeof(*s));
				uint16_t old = bc->page[pg];

				if (!s)
					return -1;
				bc->sub = s;
				for (unsigned k = 0; k < BUS_COST_SUBPAGES; k++)
					s[bc->nsub][k] = old;
				bc->page[pg] =
					(uint16_t)(BUS_COST_FINE | bc->nsub++);
			}
			bc->sub[bc->page[pg] & ~BUS_COST_FINE]
			       [(a >> 10) & 63U] = (uint16_t)(i + 1);
			a += BUS_COST_ALIGN;
		}
	}
	bc->stale = true;
	return 0;
}

struct bus_cost *bus_cost_new(const struct bus_cost_table *t)
{
	struct bus_cost *bc = calloc(1, sizeof(*bc));

	if (!bc)
		return NULL;
	if (bus_cost_set_table(bc, t) != 0) {
		bus_cost_free(bc);
		return NULL;
	}
	return bc;
}

void bus_cost_free(struct bus_cost *bc)
{
	if (!bc)
		return;
	free(bc->sub);
	free(bc);
}

int bus_cost_set_table(struct bus_cost *bc, const struct bus_cost_table *t)
{
	if (t != &bc->table)
		bc->table = *t;
	return build_pages(bc);
}

void bus_cost_set_clocks(struct bus_cost *bc, bus_clock_fn fn, void *ctx)
{
	bc->clocks = fn;
	bc->clocks_ctx = ctx;
	bc->stale = true;
}

static uint32_t cycles_of(const uint8_t terms[BUS_CLOCKS],
			  const uint32_t ratio[BUS_CLOCKS])
{
	uint32_t c = 0;

	for (unsigned k = 0; k < BUS_CLOCKS; k++)
		c += terms[k] * ratio[k];
	return c;
}

void bus_cost_refresh(struct bus_cost *bc, uint32_t cpu_hz)
{
	struct bus_clock_hz hz;
	uint32_t ratio[BUS_CLOCKS];

	memset(&hz, 0, sizeof(hz));
	if (bc->clocks)
		bc->clocks(bc->clocks_ctx, &hz);
	/* Each bus clock divides the core clock (AHB and APB prescalers,
	 * RM0433 §8.5.6, RM0385 §5.2): the ratio is a whole number. An
	 * unknown clock counts as the core's. */
	for (unsigned k = 0; k < BUS_CLK_WS; k++) {
		uint32_t bus = hz.hz[k];

		ratio[k] = bus && cpu_hz > bus ? (cpu_hz + bus - 1) / bus : 1;
	}
	ratio[BUS_CLK_CPU] = 1;
	ratio[BUS_CLK_WS] = hz.flash_ws * ratio[BUS_CLK_AHB];
	for (unsigned i = 0; i < bc->table.count; i++) {
		bc->rd_cycles[i + 1] = cycles_of(bc->table.row[i].rd, ratio);
		bc->wr_cycles[i + 1] = cycles_of(bc->table.row[i].wr, ratio);
	}
	bc->cpu_hz = cpu_hz;
	bc->stale = false;
}
