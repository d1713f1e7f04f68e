#include "link/board_vars.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "report/output.h"
#include "link/tcl_list.h"

static const char *const names[] = {
	"PSRAM_BOARD", "PSRAM_BOARD_DESC", "PSRAM_FAMILY", "PSRAM_TARGET",
	"PSRAM_XSPI", "PSRAM_XSPI_BASE", "PSRAM_XSPI_WINDOW", "PSRAM_PINS",
	"PSRAM_KERNEL_HZ", "PSRAM_CPU_HZ", "PSRAM_CLOCK_MHZ", "PSRAM_CHIP",
	"PSRAM_STUB_RAM", "PSRAM_WORK_AREA", "PSRAM_HSE_HZ",
};

static int bad(const char *name, const char *value, const char *expected)
{
	char shown[128];

	return out_error(PSR_ERR_BOARD_FILE,
			 "board variable %s is not %s: '%s'", name, expected,
			 out_printable(value, shown, sizeof(shown)));
}

static int parse_num(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	while (*s == ' ')
		s++;
	errno = 0;
	v = strtoull(s, &end, 0);
	while (*end == ' ')
		end++;
	if (!*s || *s == '-' || *end || errno || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_range(const char *name, const char *value,
		       struct board_range *r)
{
	char **v;
	uint64_t a, b;
	int n = tcl_list_split(value, &v), ok;

	ok = n == 2 && !parse_num(v[0], 0xffffffffu, &a) &&
	     !parse_num(v[1], 0x100000000ull, &b) && a + b <= 0x100000000ull;
	if (n > 0)
		tcl_list_free(v, n);
	if (!ok)
		return bad(name, value, "a list {START SIZE}");
	r->start = (uint32_t)a;
	r->size = (uint32_t)b;
	return 0;
}

static int parse_pins(const char *name, const char *value,
		      struct board_vars *bv)
{
	char **v;
	int n = tcl_list_split(value, &v), r = 0;

	if (n < 0 || n % 3 || n / 3 > BOARD_MAX_PINS) {
		r = bad(name, value, "a list {SIGNAL PIN AF ...}");
		goto out;
	}
	bv->npins = 0;
	for (int i = 0; i < n; i += 3) {
		struct board_pin *p = &bv->pins[bv->npins];
		uint64_t af;

		if (strlen(v[i]) >= sizeof(p->signal) ||
		    strlen(v[i + 1]) >= sizeof(p->pin) ||
		    parse_num(v[i + 2], 15, &af)) {
			r = bad(name, value, "a list {SIGNAL PIN AF ...}");
			goto out;
		}
		snprintf(p->signal, sizeof(p->signal), "%s", v[i]);
		snprintf(p->pin, sizeof(p->pin), "%s", v[i + 1]);
		p->af = (unsigned)af;
		bv->npins++;
	}
out:
	if (n > 0)
		tcl_list_free(v, n);
	return r;
}

/* A variable may come twice (a board file that sets it again): the last
 * value wins and the earlier copy is freed. */
static void replace_string(char **slot, const char *value)
{
	free(*slot);
	*slot = psr_strdup(value);
}

static int set_var(struct board_vars *bv, const char *name,
		   const char *value)
{
	uint64_t x;

	if (!strcmp(name, "PSRAM_BOARD")) {
		replace_string(&bv->board, value);
	} else if (!strcmp(name, "PSRAM_BOARD_DESC")) {
		replace_string(&bv->desc, value);
	} else if (!strcmp(name, "PSRAM_FAMILY")) {
		replace_string(&bv->family, value);
	} else if (!strcmp(name, "PSRAM_TARGET")) {
		replace_string(&bv->target, value);
	} else if (!strcmp(name, "PSRAM_XSPI")) {
		replace_string(&bv->xspi, value);
	} else if (!strcmp(name, "PSRAM_CHIP")) {
		replace_string(&bv->chip, value);
	} else if (!strcmp(name, "PSRAM_XSPI_BASE") ||
		   !strcmp(name, "PSRAM_XSPI_WINDOW")) {
		if (parse_num(value, 0xffffffffu, &x))
			return bad(name, value, "an address");
		if (!strcmp(name, "PSRAM_XSPI_BASE")) {
			bv->xspi_base = (uint32_t)x;
			bv->have |= BV_XSPI_BASE;
		} else {
			bv->xspi_window = (uint32_t)x;
			bv->have |= BV_XSPI_WINDOW;
		}
	} else if (!strcmp(name, "PSRAM_KERNEL_HZ") ||
		   !strcmp(name, "PSRAM_CPU_HZ") ||
		   !strcmp(name, "PSRAM_CLOCK_MHZ") ||
		   !strcmp(name, "PSRAM_HSE_HZ")) {
		if (parse_num(value, 10000000000ull, &x) || !x)
			return bad(name, value, "a frequency");
		if (!strcmp(name, "PSRAM_KERNEL_HZ")) {
			bv->kernel_hz = x;
			bv->have |= BV_KERNEL_HZ;
		} else if (!strcmp(name, "PSRAM_CPU_HZ")) {
			bv->cpu_hz = x;
			bv->have |= BV_CPU_HZ;
		} else if (!strcmp(name, "PSRAM_HSE_HZ")) {
			bv->hse_hz = x;
			bv->have |= BV_HSE_HZ;
		} else {
			bv->clock_mhz = x;
			bv->have |= BV_CLOCK_MHZ;
		}
	} else if (!strcmp(name, "PSRAM_STUB_RAM")) {
		if (parse_range(name, value, &bv->stub_ram))
			return PSR_ERR_BOARD_FILE;
		bv->have |= BV_STUB_RAM;
	} else if (!strcmp(name, "PSRAM_WORK_AREA")) {
		if (parse_range(name, value, &bv->work_area))
			return PSR_ERR_BOARD_FILE;
		bv->have |= BV_WORK_AREA;
	} else if (!strcmp(name, "PSRAM_PINS")) {
		if (parse_pins(name, value, bv))
			return PSR_ERR_BOARD_FILE;
		bv->have |= BV_PINS;
	}
	return 0;
}

int board_vars_parse(const char *list, struct board_vars *bv)
{
	char **v;
	int n, r = 0;

	memset(bv, 0, sizeof(*bv));
	n = tcl_list_split(list, &v);
	if (n < 0 || n % 2) {
		if (n > 0)
			tcl_list_free(v, n);
		return out_error(PSR_ERR_PROTOCOL,
				 "unexpected reply reading the board "
				 "variables");
	}
	for (int i = 0; i < n && !r; i += 2)
		r = set_var(bv, v[i], v[i + 1]);
	tcl_list_free(v, n);
	if (r)
		board_vars_free(bv);
	return r;
}

int board_vars_read(struct tcl_link *l, struct board_vars *bv)
{
	struct strbuf cmd;
	char *res = NULL;
	int r;

	memset(bv, 0, sizeof(*bv));
	sb_init(&cmd);
	sb_adds(&cmd, "set psramctl_v {}; foreach psramctl_n {");
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		sb_addf(&cmd, "%s%s", i ? " " : "", names[i]);
	sb_adds(&cmd, "} {if {[info exists ::$psramctl_n]} "
		      "{lappend psramctl_v $psramctl_n [set ::$psramctl_n]}}; "
		      "set psramctl_v");
	r = tcl_link_exec(l, cmd.buf, &res, 0);
	sb_release(&cmd);
	if (r == PSR_ERR_TCL)
		r = out_error(PSR_ERR_TCL, "cannot read the board variables: %s",
			      res);
	if (!r)
		r = board_vars_parse(res, bv);
	free(res);
	return r;
}

void board_vars_free(struct board_vars *bv)
{
	free(bv->board);
	free(bv->desc);
	free(bv->family);
	free(bv->target);
	free(bv->xspi);
	free(bv->chip);
	memset(bv, 0, sizeof(*bv));
}
