#include "diagnosis/eid_check.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "link/session.h"
#include "stub/stub_params.h"

static int on_record(void *ctx, const struct stub_record *rec)
{
	struct eid_check *c = ctx;

	eid_lines_add(&c->lines, rec);
	return 0;
}

int eid_check_run(struct session *s, int timeout_ms, struct eid_check *c)
{
	struct stub_run_spec spec;
	int r;

	memset(c, 0, sizeof(*c));
	c->board_chip = s->vars.chip;
	memset(&spec, 0, sizeof(spec));
	spec.command = STUB_CMD_EID;
	spec.name = "eid";
	spec.timeout_ms = timeout_ms;
	spec.record = on_record;
	spec.ctx = c;
	/* The clock: the board's, which the stub caps at STUB_EID_MAX_HZ. */
	r = stub_run(s, &spec, &c->run);
	if (r)
		return r;
	eid_decode(&c->run.result, &c->lines, &c->rep);
	return 0;
}

static void hex_bytes(char *buf, size_t n, const uint8_t *b, size_t len,
		      const char *sep)
{
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < len && at < n; i++)
		at += (size_t)snprintf(buf + at, n - at, "%s%02x",
				       i ? sep : "", b[i]);
}

static void line_list(char *buf, size_t n, uint8_t mask)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < 4 && at < n; i++)
		if (mask & (1u << i))
			at += (size_t)snprintf(buf + at, n - at, "%sIO%d",
					       at ? ", " : "", i);
}

static const char *timing_source(const struct eid_check *c)
{
	return c->run.params.chip != STUB_CHIP_UNKNOWN
		       ? stub_chip_name(c->run.params.chip)
		       : NULL;
}

static void row(const char *indent, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void row(const char *indent, const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("%s%-13s ", indent, name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void print_lines(const struct eid_report *rep, const char *indent)
{
	char a[40], b[40];

	if (rep->stuck_low | rep->stuck_high) {
		line_list(a, sizeof(a), rep->stuck_low);
		line_list(b, sizeof(b), rep->stuck_high);
		row(indent, "Data lines", "with CE# high: %s%s%s%s%s",
		    rep->stuck_low ? a : "", rep->stuck_low ? " stuck low" : "",
		    rep->stuck_low && rep->stuck_high ? ", " : "",
		    rep->stuck_high ? b : "",
		    rep->stuck_high ? " stuck high" : "");
	} else {
		row(indent, "Data lines",
		    "with CE# high IO0-IO3 follow the MCU's pull-up and "
		    "pull-down");
	}
	if (!rep->lines_probed)
		return;
	if (rep->driven == 0xf)
		row(indent, "", "0xEB read: the chip drives IO0-IO3");
	else if (!rep->driven)
		row(indent, "", "0xEB read: nothing drives IO0-IO3");
	else {
		line_list(a, sizeof(a), rep->driven);
		line_list(b, sizeof(b), rep->floating);
		row(indent, "", "0xEB read: the chip drives %s; %s only "
				"follow%s the pull",
		    a, b, rep->floating & (rep->floating - 1) ? "" : "s");
	}
}

void eid_check_print(const struct eid_check *c, const char *indent)
{
	const struct eid_report *rep = &c->rep;
	const struct stub_xspi_setup *x = &c->run.result.xspi;
	char buf[64];

	row(indent, "Chip", "%s", rep->summary);
	hex_bytes(buf, sizeof(buf), rep->eid, 8, " ");
	row(indent, "EID", "%s (0x9F with address, SPI)", buf);
	if (rep->chip == EID_CHIP_PSRAM) {
		row(indent, "Maker", "0x%02x: AP Memory family", rep->eid[0]);
		row(indent, "KGD", "%s (0x%02x)",
		    rep->kgd == 1 ? "pass" : rep->kgd == 0 ? "FAIL" : "unknown",
		    rep->eid[1]);
		if (rep->density_mbit)
			row(indent, "Density", "%u Mbit (EID[47:45] = %u%u%u)",
			    rep->density_mbit, rep->density_code >> 2 & 1,
			    rep->density_code >> 1 & 1, rep->density_code & 1);
	}
	hex_bytes(buf, sizeof(buf), rep->jedec, 3, " ");
	if (rep->chip == EID_CHIP_FLASH)
		row(indent, "Flash ID", "%s (0x9F without address): %s%s%s",
		    buf, rep->flash_maker, rep->flash_part ? " " : "",
		    rep->flash_part ? rep->flash_part : "");
	else
		row(indent, "Flash ID", "%s (0x9F without address)", buf);
	if (rep->chip == EID_CHIP_PSRAM) {
		if (timing_source(c))
			row(indent, "Timing", "%s limits (the board file's "
					      "PSRAM_CHIP)",
			    timing_source(c));
		else
			row(indent, "Timing",
			    "the strictest limits (the board file names no "
			    "known PSRAM_CHIP)");
	}
	print_lines(rep, indent);
	if (x->clock_hz)
		row(indent, "Bus clock", "%.3f MHz (kernel clock / %u)",
		    x->clock_hz / 1e6, (unsigned)x->prescaler + 1);
}

static void line_array(struct json *j, const char *key, uint8_t mask)
{
	json_array_begin(j, key);
	for (int i = 0; i < 4; i++)
		if (mask & (1u << i))
			json_uint(j, NULL, (unsigned)i);
	json_array_end(j);
}

static void fault_json(struct json *j, const struct eid_report *rep,
		       const struct eid_fault *f)
{
	char hex[24];

	json_object_begin(j, NULL);
	json_string(j, "kind", eid_fault_name(f->kind));
	switch (f->kind) {
	case EID_FAULT_NO_CHIP:
		break;
	case EID_FAULT_WRONG_CHIP:
		hex_bytes(hex, sizeof(hex), rep->jedec, 3, "");
		json_string(j, "id", hex);
		if (rep->flash_part)
			json_string(j, "name", rep->flash_part);
		break;
	case EID_FAULT_KGD_FAIL:
		hex_bytes(hex, sizeof(hex), rep->eid, 8, "");
		json_string(j, "eid", hex);
		break;
	case EID_FAULT_IO_OPEN:
		json_uint(j, "line", (unsigned)f->line);
		break;
	case EID_FAULT_IO_STUCK:
		json_uint(j, "line", (unsigned)f->line);
		if (f->level >= 0)
			json_uint(j, "level", (unsigned)f->level);
		break;
	case EID_FAULT_UNKNOWN_ID:
		hex_bytes(hex, sizeof(hex), rep->eid, 8, "");
		json_string(j, "id", hex);
		break;
	case EID_FAULT_DENSITY:
		json_uint(j, "density_mbit", rep->density_mbit);
		break;
	}
	json_object_end(j);
}

void eid_check_json(struct json *j, const struct eid_check *c)
{
	const struct eid_report *rep = &c->rep;
	char hex[24];

	json_bool(j, "pass", rep->pass);
	json_string(j, "chip", eid_chip_name(rep->chip));
	json_string(j, "summary", rep->summary);
	if (!rep->pass)
		json_string(j, "problem", rep->problem);
	hex_bytes(hex, sizeof(hex), rep->eid, 8, "");
	json_string(j, "eid", hex);
	hex_bytes(hex, sizeof(hex), rep->jedec, 3, "");
	json_string(j, "jedec", hex);
	if (rep->chip == EID_CHIP_PSRAM) {
		json_hex(j, "maker", rep->eid[0], 2);
		json_string(j, "family", "AP Memory");
		json_array_begin(j, "parts");
		for (int i = 0; i < 4; i++)
			json_string(j, NULL, eid_psram_parts[i]);
		json_array_end(j);
		json_string(j, "kgd", rep->kgd == 1   ? "pass"
				      : rep->kgd == 0 ? "fail"
						      : "unknown");
		json_hex(j, "kgd_byte", rep->eid[1], 2);
		if (rep->density_mbit)
			json_uint(j, "density_mbit", rep->density_mbit);
		json_string(j, "timing",
			    timing_source(c) ? timing_source(c) : "strictest");
	}
	if (rep->chip == EID_CHIP_FLASH) {
		json_object_begin(j, "flash");
		if (rep->flash_part)
			json_string(j, "part", rep->flash_part);
		json_string(j, "maker", rep->flash_maker);
		json_uint(j, "mbit", rep->flash_mbit);
		json_object_end(j);
	}
	if (c->board_chip)
		json_string(j, "board_chip", c->board_chip);
	json_object_begin(j, "lines");
	line_array(j, "stuck_low", rep->stuck_low);
	line_array(j, "stuck_high", rep->stuck_high);
	if (rep->lines_probed) {
		line_array(j, "driven", rep->driven);
		line_array(j, "floating", rep->floating);
	}
	json_object_end(j);
	if (c->run.result.xspi.clock_hz)
		json_uint(j, "clock_hz", c->run.result.xspi.clock_hz);
	json_array_begin(j, "faults");
	for (int i = 0; i < rep->nfaults; i++)
		fault_json(j, rep, &rep->faults[i]);
	json_array_end(j);
}
