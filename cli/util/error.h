/* Error codes of psramctl. Functions that can fail return 0 or a negative
 * enum psr_err; main alone turns a code into the exit status of
 * docs/architecture.md §4:
 * 0 pass, 1 test failed, 2 usage, 3 cannot reach target, 4 the results
 * could not be written (a full disk; the test itself ran), 130 after
 * Ctrl-C (as shells report a SIGINT). Adding a code means adding its
 * message and exit status in error.c; a unit test checks every code has
 * both. */
#ifndef CLI_ERROR_H
#define CLI_ERROR_H

enum psr_err {
	PSR_OK = 0,
	PSR_ERR_TEST_FAILED = -1,      /* a test ran and found a fault */
	PSR_ERR_USAGE = -2,            /* bad option, value or argument */
	PSR_ERR_UNKNOWN_BOARD = -3,    /* no cfg/boards/NAME.cfg */
	PSR_ERR_BOARD_FILE = -4,       /* board file variables malformed */
	PSR_ERR_NO_OPENOCD = -5,       /* openocd not installed / not found */
	PSR_ERR_OPENOCD_START = -6,    /* openocd did not come up */
	PSR_ERR_OPENOCD_EXITED = -7,   /* openocd died during the run */
	PSR_ERR_NO_PSRAMSIM = -8,      /* psramsim not found */
	PSR_ERR_PSRAMSIM_START = -9,   /* psramsim did not come up or died */
	PSR_ERR_CONNECT = -10,         /* cannot connect to the TCL port */
	PSR_ERR_LINK_CLOSED = -11,     /* the TCL connection closed */
	PSR_ERR_TIMEOUT = -12,         /* no TCL reply within the deadline */
	PSR_ERR_PROTOCOL = -13,        /* the reply is not what OpenOCD sends */
	PSR_ERR_TCL = -14,             /* the Tcl command raised an error */
	PSR_ERR_TARGET = -15,          /* memory or register access failed */
	PSR_ERR_NOT_HALTED = -16,      /* the core did not halt in time */
	PSR_ERR_INTERRUPTED = -17,     /* SIGINT or SIGTERM */
	PSR_ERR_SYSTEM = -18,          /* a system call failed */
	PSR_ERR_TOO_LONG = -19,        /* a command beyond OpenOCD's limits */
	PSR_ERR_VERIFY = -20,          /* memory read back differs */
	PSR_ERR_STUB_IMAGE = -21,      /* --stub FILE unreadable or no stub */
	PSR_ERR_STUB_ABI = -22,        /* stub and psramctl ABI versions differ */
	PSR_ERR_STUB_FAULT = -23,      /* the stub took a fault */
	PSR_ERR_STUB_TIMEOUT = -24,    /* the stub did not finish in time */
	PSR_ERR_STUB_HALTED = -25,     /* the core halted outside the stub's exit */
	PSR_ERR_STUB_FAILED = -26,     /* the stub reported a failure status */
	PSR_ERR_RESET_INIT = -27,      /* the board's reset-init raised an error */
	PSR_ERR_CLOCKS = -28,          /* clocks not as the board file says */
	PSR_ERR_NO_PROBE = -29,        /* no usable debug probe, or several */
	PSR_ERR_OUTPUT = -30,          /* a result file or stdout not written */
	PSR_ERR_IMAGE = -31,           /* a firmware image refused */
};

#define PSR_ERR_FIRST PSR_ERR_TEST_FAILED
#define PSR_ERR_LAST PSR_ERR_IMAGE

/* A short lowercase description; "unknown error N" for codes not listed. */
const char *psr_strerror(int code);
/* The exit status for a result code; -1 for a code that is not listed. */
int psr_exit_status(int code);
/* A stable identifier for --json output, e.g. "openocd-exited". */
const char *psr_errname(int code);

#endif
