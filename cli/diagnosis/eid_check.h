/* The eid check as `psramctl eid` and `psramctl info` run it: the stub's
 * eid command (reset the chip, both ID framings, which lines the chip
 * drives) and the verdict (eid_decode.h), printed as table rows or as
 * JSON members. */
#ifndef CLI_EID_CHECK_H
#define CLI_EID_CHECK_H

#include "diagnosis/eid_decode.h"
#include "report/json.h"
#include "stub/stub_run.h"

struct session;

/* The stub's eid takes a few hundred microseconds of target time; the
 * rest is the debug link. */
#define EID_TIMEOUT_MS 5000

struct eid_check {
	struct stub_run_result run;
	struct eid_lines lines;
	struct eid_report rep;
	const char *board_chip; /* PSRAM_CHIP as the board file says */
};

/* Runs the eid stub command and decodes it. Returns 0 with c->rep filled
 * (whatever chip answered), or the stub runner's error (printed). */
int eid_check_run(struct session *s, int timeout_ms, struct eid_check *c);

/* "name  value" rows for a table; indent before each name. */
void eid_check_print(const struct eid_check *c, const char *indent);
/* The verdict's members inside the JSON object being written. */
void eid_check_json(struct json *j, const struct eid_check *c);

#endif
