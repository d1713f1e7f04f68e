#include "util/error.h"

#include <stdio.h>

enum { EXIT_PASS = 0, EXIT_FAIL = 1, EXIT_USAGE = 2, EXIT_NO_TARGET = 3,
       EXIT_OUTPUT = 4, EXIT_SIGINT = 130 };

struct err_info {
	const char *name;
	const char *message;
	int exit_status;
};

/* Indexed by -code. */
static const struct err_info errors[] = {
	[0] = {"ok", "success", EXIT_PASS},
	[-PSR_ERR_TEST_FAILED] = {"test-failed", "test failed", EXIT_FAIL},
	[-PSR_ERR_USAGE] = {"usage", "invalid usage", EXIT_USAGE},
	[-PSR_ERR_UNKNOWN_BOARD] = {"unknown-board", "unknown board",
				    EXIT_USAGE},
	[-PSR_ERR_BOARD_FILE] = {"board-file", "malformed board file",
				 EXIT_USAGE},
	[-PSR_ERR_NO_OPENOCD] = {"no-openocd", "openocd not found",
				 EXIT_NO_TARGET},
	[-PSR_ERR_OPENOCD_START] = {"openocd-start", "openocd did not start",
				    EXIT_NO_TARGET},
	[-PSR_ERR_OPENOCD_EXITED] = {"openocd-exited", "OpenOCD exited",
				     EXIT_NO_TARGET},
	[-PSR_ERR_NO_PSRAMSIM] = {"no-psramsim", "psramsim not found",
				  EXIT_NO_TARGET},
	[-PSR_ERR_PSRAMSIM_START] = {"psramsim", "psramsim is not running",
				     EXIT_NO_TARGET},
	[-PSR_ERR_CONNECT] = {"connect", "cannot connect to OpenOCD",
			      EXIT_NO_TARGET},
	[-PSR_ERR_LINK_CLOSED] = {"connection-closed",
				  "connection to OpenOCD closed",
				  EXIT_NO_TARGET},
	[-PSR_ERR_TIMEOUT] = {"timeout", "no reply from OpenOCD in time",
			      EXIT_NO_TARGET},
	[-PSR_ERR_PROTOCOL] = {"protocol", "unexpected reply from OpenOCD",
			       EXIT_NO_TARGET},
	[-PSR_ERR_TCL] = {"tcl", "OpenOCD command failed", EXIT_NO_TARGET},
	[-PSR_ERR_TARGET] = {"target", "target access failed",
			     EXIT_NO_TARGET},
	[-PSR_ERR_NOT_HALTED] = {"not-halted", "target did not halt",
				 EXIT_NO_TARGET},
	[-PSR_ERR_INTERRUPTED] = {"interrupted", "interrupted", EXIT_SIGINT},
	[-PSR_ERR_SYSTEM] = {"system", "system error", EXIT_NO_TARGET},
	[-PSR_ERR_TOO_LONG] = {"too-long", "command too long for OpenOCD",
			       EXIT_NO_TARGET},
	[-PSR_ERR_VERIFY] = {"verify", "memory read back differs",
			     EXIT_NO_TARGET},
	[-PSR_ERR_STUB_IMAGE] = {"stub-image", "not a usable stub image",
				 EXIT_USAGE},
	[-PSR_ERR_STUB_ABI] = {"stub-abi", "stub ABI version mismatch",
			       EXIT_NO_TARGET},
	[-PSR_ERR_STUB_FAULT] = {"stub-fault", "the stub took a fault",
				 EXIT_NO_TARGET},
	[-PSR_ERR_STUB_TIMEOUT] = {"stub-timeout",
				   "the stub did not finish in time",
				   EXIT_NO_TARGET},
	[-PSR_ERR_STUB_HALTED] = {"stub-halted",
				  "the core halted outside the stub's exit",
				  EXIT_NO_TARGET},
	[-PSR_ERR_STUB_FAILED] = {"stub-failed", "the stub reported a failure",
				  EXIT_NO_TARGET},
	[-PSR_ERR_RESET_INIT] = {"reset-init",
				 "the board's reset-init failed",
				 EXIT_NO_TARGET},
	[-PSR_ERR_CLOCKS] = {"clocks",
			     "the MCU's clocks are not what the board file "
			     "says",
			     EXIT_NO_TARGET},
	[-PSR_ERR_NO_PROBE] = {"no-probe", "no usable debug probe",
			       EXIT_NO_TARGET},
	[-PSR_ERR_OUTPUT] = {"output", "cannot write the results",
			     EXIT_OUTPUT},
	[-PSR_ERR_IMAGE] = {"bad-image", "firmware image refused", EXIT_USAGE},
};

static const struct err_info *lookup(int code)
{
	if (code > 0 || -code >= (int)(sizeof(errors) / sizeof(errors[0])))
		return NULL;
	if (!errors[-code].message)
		return NULL;
	return &errors[-code];
}

const char *psr_strerror(int code)
{
	static char unknown[32];
	const struct err_info *e = lookup(code);

	if (e)
		return e->message;
	snprintf(unknown, sizeof(unknown), "unknown error %d", code);
	return unknown;
}

int psr_exit_status(int code)
{
	const struct err_info *e = lookup(code);

	return e ? e->exit_status : -1;
}

const char *psr_errname(int code)
{
	const struct err_info *e = lookup(code);

	return e ? e->name : "unknown";
}
