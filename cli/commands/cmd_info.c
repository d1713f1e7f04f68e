/* psramctl info: what is on the other end of the probe. The MCU from
 * DBGMCU_IDCODE and the flash-size register (docs/hardware-stm32h7.md §1 and
 * the other families' files), its memory layout (§2 of each) with what
 * psramctl and OpenOCD use of it, the board's PSRAM wiring and clocks from the
 * board file, and whether a PSRAM answers: the stub's eid check (cmd_eid.c),
 * which resets the MCU and leaves it halted. --no-eid only reads: the core
 * keeps running or stays halted as it was.
 *
 * --json prints one object:
 *   {"type":"info",
 *    "mcu":{"name","rev","dev_id","rev_id","idcode"},
 *    "flash":{"address","size"},
 *    "memory":[{"name","address","size","use"}...],
 *    "board":{"name","description","family","chip","xspi","xspi_base",
 *             "xspi_window","pins":[{"signal","pin","af"}...]},
 *    "clocks":{"cpu_hz","xspi_kernel_hz","test_clock_mhz"},
 *    "target":{"name","state"},
 *    "openocd":"...",
 *    "psram":{"checked":true, then the members of eid's object:
 *             "pass","chip","summary","eid",... |
 *             "checked":false, and "error" when the stub could not run}}
 * Exit status 0 whatever chip answers (info describes, eid judges); 3 when
 * the eid check could not run, after printing the rest.
 * Addresses and IDs are "0x..." strings, sizes (bytes) and frequencies
 * numbers; a key whose value is not known is left out. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diagnosis/eid_check.h"
#include "util/error.h"
#include "report/json.h"
#include "parts/mcu.h"
#include "report/output.h"
#include "link/session.h"

#define PSRAM_WINDOW_SIZE (8u * 1024 * 1024) /* the 64 Mbit chips */
#define MAX_ROWS (MCU_MAX_REGIONS + 2)

struct row {
	const char *name;
	uint32_t start;
	uint32_t size;
	char use[80];
};

struct info_options {
	int no_eid;
};

static const struct opt info_options[] = {
	{"no-eid", 0, OPT_FLAG, offsetof(struct info_options, no_eid), NULL,
	 "do not run the stub's eid check (the core is neither halted nor "
	 "reset)",
	 0, 0},
	OPT_END,
};

struct info {
	uint32_t idcode;
	const struct mcu_line *line;
	const char *rev;
	int have_flash;
	uint32_t flash_kib;
	struct row rows[MAX_ROWS];
	int nrows;
	enum target_state state;
	int have_state;
	char xspi_upper[16];
	int eid_checked;
	int eid_error; /* the check could not run: why */
	struct eid_check eid;
};

/* Tries the family's IDCODE address, or both when the board file does not
 * name the family: an F7 has no DBGMCU at 0x5C001000, an H7 has nothing
 * there at 0xE0042000. */
static int read_idcode(struct session *s, struct info *in)
{
	static const uint32_t all[] = {MCU_IDCODE_H7, MCU_IDCODE_F7};
	uint32_t one[1], v;
	const uint32_t *addrs = all;
	size_t n = 2;
	struct strbuf first_error;
	int r, first_r = 0, got = 0;

	one[0] = mcu_idcode_addr(s->vars.family);
	if (one[0]) {
		addrs = one;
		n = 1;
	}
	sb_init(&first_error);
	for (size_t i = 0; i < n; i++) {
		r = target_read_u32(&s->target, addrs[i], &v);
		if (r && r != PSR_ERR_TARGET) {
			sb_release(&first_error);
			return r;
		}
		if (r) {
			if (!first_r) {
				first_r = r;
				sb_addf(&first_error, "0x%08x: %s",
					(unsigned)addrs[i],
					target_error(&s->target));
			}
			continue;
		}
		if (!got || (!in->line && mcu_lookup(MCU_DEV_ID(v)))) {
			in->idcode = v;
			in->line = mcu_lookup(MCU_DEV_ID(v));
			got = 1;
		}
		if (in->line)
			break;
	}
	if (!got)
		r = out_error(first_r, "cannot read DBGMCU_IDCODE at %s",
			      first_error.buf);
	else
		r = 0;
	sb_release(&first_error);
	return r;
}

static void add_row(struct info *in, const char *name, uint32_t start,
		    uint32_t size)
{
	struct row *row;

	if (in->nrows == MAX_ROWS)
		return;
	row = &in->rows[in->nrows++];
	row->name = name;
	row->start = start;
	row->size = size;
	row->use[0] = '\0';
}

static int contains(const struct row *row, uint32_t addr)
{
	return addr >= row->start && addr - row->start < row->size;
}

static void note_use(struct info *in, const char *what,
		     const struct board_range *r)
{
	for (int i = 0; i < in->nrows; i++) {
		struct row *row = &in->rows[i];

		if (contains(row, r->start) && !row->use[0])
			snprintf(row->use, sizeof(row->use),
				 "%s 0x%08x-0x%08x", what, (unsigned)r->start,
				 (unsigned)(r->start + r->size - 1));
	}
}

static int cmp_rows(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static void build_layout(struct session *s, struct info *in)
{
	const struct board_vars *v = &s->vars;

	if (in->line) {
		unsigned n;
		const struct mcu_region *ram = mcu_ram(in->line, &n);

		for (unsigned i = 0; i < n && i < MCU_MAX_REGIONS; i++)
			add_row(in, ram[i].name, ram[i].start, ram[i].size);
	}
	if (in->line && in->have_flash && in->flash_kib) {
		add_row(in, "Flash", in->line->flash_base,
			in->flash_kib * 1024u);
		snprintf(in->rows[in->nrows - 1].use,
			 sizeof(in->rows[0].use), "firmware");
	}
	if (v->have & BV_XSPI_WINDOW) {
		add_row(in, in->xspi_upper[0] ? in->xspi_upper : "xSPI",
			v->xspi_window, PSRAM_WINDOW_SIZE);
		snprintf(in->rows[in->nrows - 1].use,
			 sizeof(in->rows[0].use), "PSRAM, memory-mapped");
	}
	if (v->have & BV_STUB_RAM)
		note_use(in, "psramctl stub", &v->stub_ram);
	if (v->have & BV_WORK_AREA)
		note_use(in, "OpenOCD work area", &v->work_area);
	qsort(in->rows, (size_t)in->nrows, sizeof(in->rows[0]), cmp_rows);
}

static void format_size(char *buf, size_t n, uint64_t bytes)
{
	if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
		snprintf(buf, n, "%llu MiB",
			 (unsigned long long)(bytes / (1024 * 1024)));
	else if (bytes % 1024 == 0)
		snprintf(buf, n, "%llu KiB", (unsigned long long)(bytes / 1024));
	else
		snprintf(buf, n, "%llu B", (unsigned long long)bytes);
}

static void format_hz(char *buf, size_t n, uint64_t hz)
{
	if (hz % 1000000 == 0)
		snprintf(buf, n, "%llu MHz", (unsigned long long)(hz / 1000000));
	else
		snprintf(buf, n, "%.3f MHz", (double)hz / 1e6);
}

static void print_table(struct session *s, const struct info *in)
{
	const struct board_vars *v = &s->vars;
	const char *xspi = in->xspi_upper[0] ? in->xspi_upper : "xSPI";
	char a[32], b[32], c[32];

	printf("%-13s ", "MCU");
	if (in->line)
		printf("%s", in->line->name);
	else
		printf("unknown device");
	if (in->rev)
		printf(" rev %s", in->rev);
	printf(" (DEV_ID 0x%03x, REV_ID 0x%04x)\n", MCU_DEV_ID(in->idcode),
	       MCU_REV_ID(in->idcode));
	if (in->have_flash && in->line) {
		format_size(a, sizeof(a), (uint64_t)in->flash_kib * 1024);
		printf("%-13s %s at 0x%08x\n", "Flash", a,
		       (unsigned)in->line->flash_base);
	}
	if (session_board_name(s)) {
		printf("%-13s %s", "Board", session_board_name(s));
		if (v->desc)
			printf(": %s", v->desc);
		putchar('\n');
	}
	if (v->xspi || (v->have & (BV_XSPI_BASE | BV_XSPI_WINDOW))) {
		printf("%-13s %s", "PSRAM wiring", xspi);
		if (v->have & BV_XSPI_BASE)
			printf(" at 0x%08x", (unsigned)v->xspi_base);
		if (v->have & BV_XSPI_WINDOW)
			printf(", mapped at 0x%08x", (unsigned)v->xspi_window);
		putchar('\n');
	}
	if (v->npins) {
		printf("%-13s", "PSRAM pins");
		for (int i = 0; i < v->npins; i++)
			printf(" %s %s/AF%u%s", v->pins[i].signal,
			       v->pins[i].pin, v->pins[i].af,
			       i + 1 < v->npins ? "," : "");
		putchar('\n');
	}
	if (v->chip)
		printf("%-13s %s (as the board file says)\n", "PSRAM chip",
		       v->chip);
	if (v->have & (BV_CPU_HZ | BV_KERNEL_HZ | BV_CLOCK_MHZ)) {
		const char *sep = "";

		printf("%-13s", "Clocks");
		if (v->have & BV_CPU_HZ) {
			format_hz(a, sizeof(a), v->cpu_hz);
			printf(" CPU %s", a);
			sep = ",";
		}
		if (v->have & BV_KERNEL_HZ) {
			format_hz(a, sizeof(a), v->kernel_hz);
			printf("%s %s kernel %s", sep, xspi, a);
			sep = ",";
		}
		if (v->have & BV_CLOCK_MHZ)
			printf("%s test clock %llu MHz", sep,
			       (unsigned long long)v->clock_mhz);
		printf(" (after reset-init)\n");
	}
	printf("%-13s %s", "Target", s->target.name);
	if (in->have_state)
		printf(", %s", target_state_name(in->state));
	if (s->openocd_version)
		printf(" (%s)", s->openocd_version);
	putchar('\n');
	if (in->eid_error)
		printf("%-13s not checked: the stub could not run (%s)\n",
		       "PSRAM", psr_errname(in->eid_error));
	if (in->eid_checked) {
		char id[32];
		const uint8_t *e = in->eid.rep.eid;

		snprintf(id, sizeof(id), "%02x %02x %02x %02x %02x %02x %02x "
					 "%02x",
			 e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7]);
		printf("%-13s %s\n", "PSRAM",
		       in->eid.rep.pass ? in->eid.rep.summary
					: in->eid.rep.problem);
		printf("%-13s %s (psramctl eid tells more)\n", "", id);
	}

	if (!in->nrows) {
		printf("\nMemory layout: not known for this device\n");
		return;
	}
	printf("\nMemory layout:\n  %-12s %-10s  %-10s  %-9s %s\n", "REGION",
	       "START", "END", "SIZE", "USE");
	for (int i = 0; i < in->nrows; i++) {
		const struct row *row = &in->rows[i];

		snprintf(a, sizeof(a), "0x%08x", (unsigned)row->start);
		snprintf(b, sizeof(b), "0x%08x",
			 (unsigned)(row->start + row->size - 1));
		format_size(c, sizeof(c), row->size);
		if (row->use[0])
			printf("  %-12s %-10s  %-10s  %-9s %s\n", row->name, a,
			       b, c, row->use);
		else
			printf("  %-12s %-10s  %-10s  %s\n", row->name, a, b,
			       c);
	}
}

static void print_json(struct session *s, const struct info *in)
{
	const struct board_vars *v = &s->vars;
	struct json j;

	json_init(&j);
	json_object_begin(&j, NULL);
	json_string(&j, "type", "info");
	json_object_begin(&j, "mcu");
	if (in->line)
		json_string(&j, "name", in->line->name);
	if (in->rev)
		json_string(&j, "rev", in->rev);
	json_hex(&j, "dev_id", MCU_DEV_ID(in->idcode), 3);
	json_hex(&j, "rev_id", MCU_REV_ID(in->idcode), 4);
	json_hex(&j, "idcode", in->idcode, 8);
	json_object_end(&j);
	if (in->have_flash && in->line) {
		json_object_begin(&j, "flash");
		json_hex(&j, "address", in->line->flash_base, 8);
		json_uint(&j, "size", (uint64_t)in->flash_kib * 1024);
		json_object_end(&j);
	}
	json_array_begin(&j, "memory");
	for (int i = 0; i < in->nrows; i++) {
		json_object_begin(&j, NULL);
		json_string(&j, "name", in->rows[i].name);
		json_hex(&j, "address", in->rows[i].start, 8);
		json_uint(&j, "size", in->rows[i].size);
		if (in->rows[i].use[0])
			json_string(&j, "use", in->rows[i].use);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_begin(&j, "board");
	if (session_board_name(s))
		json_string(&j, "name", session_board_name(s));
	if (v->desc)
		json_string(&j, "description", v->desc);
	if (v->family)
		json_string(&j, "family", v->family);
	if (v->chip)
		json_string(&j, "chip", v->chip);
	if (v->xspi)
		json_string(&j, "xspi", v->xspi);
	if (v->have & BV_XSPI_BASE)
		json_hex(&j, "xspi_base", v->xspi_base, 8);
	if (v->have & BV_XSPI_WINDOW)
		json_hex(&j, "xspi_window", v->xspi_window, 8);
	if (v->npins) {
		json_array_begin(&j, "pins");
		for (int i = 0; i < v->npins; i++) {
			json_object_begin(&j, NULL);
			json_string(&j, "signal", v->pins[i].signal);
			json_string(&j, "pin", v->pins[i].pin);
			json_uint(&j, "af", v->pins[i].af);
			json_object_end(&j);
		}
		json_array_end(&j);
	}
	json_object_end(&j);
	json_object_begin(&j, "clocks");
	if (v->have & BV_CPU_HZ)
		json_uint(&j, "cpu_hz", v->cpu_hz);
	if (v->have & BV_KERNEL_HZ)
		json_uint(&j, "xspi_kernel_hz", v->kernel_hz);
	if (v->have & BV_CLOCK_MHZ)
		json_uint(&j, "test_clock_mhz", v->clock_mhz);
	json_object_end(&j);
	json_object_begin(&j, "target");
	json_string(&j, "name", s->target.name);
	if (in->have_state)
		json_string(&j, "state", target_state_name(in->state));
	json_object_end(&j);
	if (s->openocd_version)
		json_string(&j, "openocd", s->openocd_version);
	json_object_begin(&j, "psram");
	json_bool(&j, "checked", in->eid_checked);
	if (in->eid_checked)
		eid_check_json(&j, &in->eid);
	if (in->eid_error)
		json_string(&j, "error", psr_errname(in->eid_error));
	json_object_end(&j);
	json_bool(&j, "simulated", session_simulated(s));
	json_object_end(&j);
	json_emit(&j);
	json_release(&j);
}

static int stub_failure(int r)
{
	switch (r) {
	case PSR_ERR_STUB_FAULT:
	case PSR_ERR_STUB_TIMEOUT:
	case PSR_ERR_STUB_HALTED:
	case PSR_ERR_STUB_ABI:
	case PSR_ERR_STUB_FAILED:
	case PSR_ERR_NOT_HALTED:
	case PSR_ERR_TARGET:
	case PSR_ERR_VERIFY:
		return 1;
	default:
		return 0;
	}
}

static int run_info(struct session *s, void *options, int argc, char **argv)
{
	const struct info_options *o = options;
	struct info in;
	uint16_t kib;
	int r;

	(void)argv;
	if (argc)
		return out_error(PSR_ERR_USAGE, "'info' takes no arguments");
	memset(&in, 0, sizeof(in));
	r = read_idcode(s, &in);
	if (r)
		return r;
	if (in.line)
		in.rev = mcu_rev_name(in.line, MCU_REV_ID(in.idcode));
	if (in.line) {
		r = target_read_u16(&s->target, in.line->flash_size_addr, &kib);
		if (r && r != PSR_ERR_TARGET)
			return r;
		if (r)
			out_warn("cannot read the flash size at 0x%08x: %s",
				 (unsigned)in.line->flash_size_addr,
				 target_error(&s->target));
		else if (kib == 0xffff || kib == 0)
			/* An unprogrammed value: OpenOCD assumes the maximum;
			 * we do not guess. */
			out_warn("flash size register reads 0x%04x", kib);
		else {
			in.have_flash = 1;
			in.flash_kib = kib;
		}
	}
	r = target_get_state(&s->target, &in.state);
	if (r && r != PSR_ERR_TARGET)
		return r;
	in.have_state = !r;
	if (s->vars.xspi) {
		size_t i;

		for (i = 0; s->vars.xspi[i] && i + 1 < sizeof(in.xspi_upper);
		     i++) {
			char ch = s->vars.xspi[i];

			in.xspi_upper[i] = ch >= 'a' && ch <= 'z'
						   ? (char)(ch - 'a' + 'A')
						   : ch;
		}
		in.xspi_upper[i] = '\0';
	}
	build_layout(s, &in);
	/* Last: it resets the core, and everything above is as found. */
	r = 0;
	if (!o->no_eid) {
		r = eid_check_run(s, EID_TIMEOUT_MS, &in.eid);
		/* A stub that could not run leaves what was read worth
		 * showing; a link that is gone does not. */
		if (stub_failure(r))
			in.eid_error = r;
		else if (r)
			return r;
		in.eid_checked = !r;
	}
	if (out_json())
		print_json(s, &in);
	else
		print_table(s, &in);
	fflush(stdout);
	return in.eid_error;
}

const struct command cmd_info = {
	.name = "info",
	.summary = "MCU, flash, memory layout, board wiring, clocks, PSRAM",
	.usage = "",
	.description =
		"Reads the MCU's DBGMCU_IDCODE and flash-size register and "
		"shows the device,\nits memory layout (with the RAM the stub "
		"and OpenOCD use), the board's PSRAM\nwiring and clocks from "
		"the board file, and whether a PSRAM answers (the\nstub's eid "
		"check: the MCU is reset and left halted). With --no-eid it "
		"only\nreads, and the core keeps running or stays halted as it "
		"was.",
	.options = info_options,
	.options_size = sizeof(struct info_options),
	.flags = CMD_NEEDS_TARGET,
	.run = run_info,
};
