/* psramctl eid: which chip answers on the memory pins, and is it a good
 * PSRAM? Resets the MCU (held halted), runs the stub's eid command at no
 * more than 25 MHz and decodes what it read (eid_decode.h).
 *
 * Exit status: 0 a good 64 Mbit PSRAM on a sound bus; 1 anything else it
 * could read (no chip, a flash, a failed die, an unknown ID, a broken
 * line); 3 when the stub could not run.
 *
 * --json prints one object:
 *   {"type":"eid","pass","chip","summary","eid","jedec",
 *    PSRAM: "maker","family","parts":[...],"kgd","kgd_byte",
 *           "density_mbit","timing",
 *    flash: "flash":{"part","maker","mbit"},
 *    "board_chip",
 *    "lines":{"stuck_low":[],"stuck_high":[],"driven":[],"floating":[]},
 *    "clock_hz","faults":[{"kind",...}]}
 * (README.md describes each member.) */
#include <stdio.h>
#include <stddef.h>

#include "cli.h"
#include "diagnosis/eid_check.h"
#include "util/error.h"
#include "report/json.h"
#include "report/output.h"
#include "link/session.h"

struct eid_options {
	unsigned long long timeout_ms;
};

static const struct opt eid_options[] = {
	{"timeout", 0, OPT_UINT, offsetof(struct eid_options, timeout_ms), "MS",
	 "give the stub this long to finish (default 5000)", 100, 600000},
	OPT_END,
};

static void print_json(struct session *s, const struct eid_check *c)
{
	struct json j;

	json_init(&j);
	json_object_begin(&j, NULL);
	json_string(&j, "type", "eid");
	eid_check_json(&j, c);
	json_bool(&j, "simulated", session_simulated(s));
	json_object_end(&j);
	json_emit(&j);
	json_release(&j);
}

static int run_eid(struct session *s, void *options, int argc, char **argv)
{
	const struct eid_options *o = options;
	struct eid_check c;
	int r;

	(void)argv;
	if (argc)
		return out_error(PSR_ERR_USAGE, "'eid' takes no arguments");
	r = eid_check_run(s, o->timeout_ms ? (int)o->timeout_ms
					   : EID_TIMEOUT_MS,
			  &c);
	if (r)
		return r;
	if (c.rep.chip == EID_CHIP_UNKNOWN)
		out_warn("the ID matches no chip psramctl knows; shown raw");
	if (out_json()) {
		print_json(s, &c);
	} else {
		eid_check_print(&c, "");
		if (c.rep.pass)
			printf("%-13s PASS\n", "Result");
		else
			printf("%-13s FAIL: %s\n", "Result", c.rep.problem);
	}
	fflush(stdout);
	if (!c.rep.pass)
		return out_error(PSR_ERR_TEST_FAILED, "%s", c.rep.problem);
	return 0;
}

const struct command cmd_eid = {
	.name = "eid",
	.summary = "which chip answers: EID, maker, KGD, density",
	.usage = "",
	.description =
		"Resets the MCU (it stays halted), runs the stub's eid command "
		"at no more than\n25 MHz and reads the 8-byte ID in SPI mode "
		"(0x9F with address) and the\nflash-style ID (0x9F without). "
		"Decodes maker, known-good-die byte and density;\nthe four "
		"PSRAM vendors share one ID, so the family is named, not the "
		"part.\nSays when a flash chip is still fitted, when no chip "
		"answers, and which data\nlines are stuck or open.\n"
		"Exit status 0 for a good 64 Mbit PSRAM, 1 for anything else.",
	.options = eid_options,
	.options_size = sizeof(struct eid_options),
	.flags = CMD_NEEDS_TARGET,
	.run = run_eid,
};
