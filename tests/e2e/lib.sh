# Shared helpers for the end-to-end tests: start psramsim and a real OpenOCD
# on free loopback ports, talk to OpenOCD's TCL port, record results.
# Each check prints "PASS: name" or "FAIL: name: why"; tests/run counts them.
# A step that is not a test (set-up, tear-down, a precondition of later
# checks) prints only when it fails, so it is not counted when it works.

set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
TEST_NAME=$(basename "$0" .sh)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/psramtest.XXXXXX")
PSRAMSIM=$BUILD/psramsim
PSRAMCTL=$BUILD/psramctl
PIDS=()

# psramsim logs every rule of a reference manual or datasheet the target
# broke as a guest error; with PSRAMSIM_LOG set, every psramsim of the test
# (those started here and those psramctl --sim runs) appends those lines
# to one file. At teardown the check NAME.no-guest-errors fails on any line
# logged outside a stretch the test marked with expect_guest_errors ...
# end_guest_errors (a fault it injects on purpose, a rule it breaks to
# see psramsim catch it).
export PSRAMSIM_LOG=$WORK/guest-errors.log
: >"$PSRAMSIM_LOG"
GUEST_SKIP=()	# "first last" line ranges not held against the test
GUEST_FROM=

guest_lines() { wc -l <"$PSRAMSIM_LOG"; }

# Every psramsim holds the target to the PSRAM's timing as silicon does
# (docs/psramsim-faults.md, timing=strict): a rule broken loses data. A
# test that needs the lenient model sets PSRAMSIM_TIMING= for a command.
export PSRAMSIM_TIMING=${PSRAMSIM_TIMING-strict}

# expect_guest_errors: guest errors from now until end_guest_errors (or the
# end of the test) are expected.
expect_guest_errors() { GUEST_FROM=$(($(guest_lines) + 1)); }

end_guest_errors() {
	[ -n "$GUEST_FROM" ] && GUEST_SKIP+=("$GUEST_FROM $(guest_lines)")
	GUEST_FROM=
}

check_guest_errors() {
	local n=0 bad= line r lo hi skip
	[ -f "$PSRAMSIM_LOG" ] || return 0
	end_guest_errors
	while IFS= read -r line; do
		n=$((n + 1))
		skip=0
		for r in "${GUEST_SKIP[@]}"; do
			read -r lo hi <<<"$r"
			[ "$n" -ge "$lo" ] && [ "$n" -le "$hi" ] && skip=1
		done
		[ $skip = 0 ] && [ -z "$bad" ] && bad=$line
	done <"$PSRAMSIM_LOG"
	if [ -z "$bad" ]; then pass no-guest-errors; else
		fail no-guest-errors "$bad"
	fi
}

cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	check_guest_errors
	rm -rf "$WORK"
}
trap cleanup EXIT

pass() { echo "PASS: $TEST_NAME.$1"; }
fail() { echo "FAIL: $TEST_NAME.$1: ${2:-}"; }

# step NAME CMD... : a set-up or tear-down step, or a precondition of the
# checks that follow: silent when CMD succeeds, a FAIL (and status 1) when
# it does not.
step() {
	local name=$1; shift
	"$@" >"$WORK/out" 2>&1 && return 0
	fail "$name" "$* failed ($(tail -n 3 "$WORK/out" | tr '\n' ' '))"
	return 1
}

# expect_exit CODE NAME CMD... : CMD must exit with CODE (not by a signal).
expect_exit() {
	local code=$1 name=$2 rc; shift 2
	"$@" >"$WORK/out" 2>&1
	rc=$?
	if [ $rc -eq "$code" ]; then pass "$name"; else
		fail "$name" "exit $rc, expected $code: $* ($(tail -n 3 "$WORK/out" | tr '\n' ' '))"
	fi
}

# check NAME CONDITION-COMMAND... : record the outcome of a test command.
check() {
	local name=$1; shift
	if "$@"; then pass "$name"; else fail "$name" "$*"; fi
}

# show_file FILE: a file's first lines in the log, to explain a failure.
show_file() {
	echo "--- $1:"
	head -n 40 "$1" 2>&1 | sed 's/^/  | /'
}

# A TCP port nobody listens on right now (for tests that need a dead port;
# servers started here bind port 0 and report the port they got).
free_port() {
	local p
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % 30000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# wait_log FILE REGEX [TRIES]: prints the first capture group of the first
# line matching REGEX (sed -E syntax) once it appears in FILE.
wait_log() {
	local v
	for _ in $(seq 1 "${3:-200}"); do
		v=$(sed -nE "s/$2/\1/p" "$1" 2>/dev/null | head -n 1)
		[ -n "$v" ] && { echo "$v"; return 0; }
		sleep 0.05
	done
	return 1
}

# start_sim [psramsim args...]: starts psramsim on a free port; sets
# SIM_PORT and SIM_PID. With SIM_UNIX=1 it listens on the UNIX socket
# $WORK/rbb.sock instead and sets SIM_SOCKET (start_openocd follows).
start_sim() {
	: >"$WORK/sim.log"
	SIM_SOCKET=
	if [ "${SIM_UNIX:-0}" = 1 ]; then
		"$PSRAMSIM" --unix "$WORK/rbb.sock" "$@" >"$WORK/sim.log" 2>&1 &
	else
		"$PSRAMSIM" --port 0 "$@" >"$WORK/sim.log" 2>&1 &
	fi
	SIM_PID=$!
	PIDS+=("$SIM_PID")
	if [ "${SIM_UNIX:-0}" = 1 ]; then
		SIM_SOCKET=$(wait_log "$WORK/sim.log" '.*listening on unix:(.*)$') ||
			{ echo "psramsim did not start:"; cat "$WORK/sim.log"; return 1; }
		return 0
	fi
	SIM_PORT=$(wait_log "$WORK/sim.log" '.*listening on 127\.0\.0\.1:([0-9]+).*') ||
		{ echo "psramsim did not start:"; cat "$WORK/sim.log"; return 1; }
}

# start_openocd [extra -c commands...]: OpenOCD on the simulated board with
# only the TCL port (and the gdb port if GDB_PORT=0 is set); sets TCL_PORT
# (and GDB_PORT) and OCD_PID.
start_openocd() {
	local board=${SIM_BOARD_CFG:-$TOP/cfg/boards/sim-devebox-h750.cfg}
	: >"$WORK/openocd.log"
	local where
	if [ -n "${SIM_SOCKET:-}" ]; then
		where="set PSRAMSIM_SOCKET {$SIM_SOCKET}"
	else
		where="set PSRAMSIM_PORT $SIM_PORT"
	fi
	openocd -s "$TOP/cfg" -c "$where; list" -f "$board" \
		-c "gdb_port ${GDB_PORT:-disabled}" -c "telnet_port disabled" \
		-c "tcl_port 0" "$@" >"$WORK/openocd.log" 2>&1 &
	OCD_PID=$!
	PIDS+=("$OCD_PID")
	TCL_PORT=$(wait_log "$WORK/openocd.log" '.*Listening on port ([0-9]+) for tcl connections.*' 400) ||
		{ echo "openocd did not start:"; cat "$WORK/openocd.log"; return 1; }
	if [ -n "${GDB_PORT:-}" ]; then
		GDB_PORT=$(wait_log "$WORK/openocd.log" '.*Listening on port ([0-9]+) for gdb connections.*')
	fi
}

# ocd CMD... : run Tcl commands on the running OpenOCD; prints the replies.
ocd() {
	tclsh "$TOP/tests/e2e/ocd-rpc.tcl" "$TCL_PORT" "$@"
}

# start_board [psramsim args...]: psramsim plus an OpenOCD attached to it.
start_board() {
	start_sim "$@" && start_openocd
}

# An ELF symbol's address in a test program.
prog_symbol() { # prog_symbol PROG SYMBOL
	arm-none-eabi-nm "$BUILD/progs/$1.elf" | awk -v s="$2" '$3 == s { print "0x" $1 }'
}

# stop_board: OpenOCD shut down, then psramsim; both reaped.
stop_board() {
	ocd "shutdown" >/dev/null 2>&1
	wait "$OCD_PID" 2>/dev/null
	kill "$SIM_PID" 2>/dev/null
	wait "$SIM_PID" 2>/dev/null
}

# start_prog PROG [TCL...]: halts the core, loads tests/progs/PROG.elf,
# runs the Tcl commands given (a program's parameters), and resumes at
# the program's _start with its stack in DTCM.
start_prog() {
	local prog=$1
	shift
	ocd "halt" "load_image $BUILD/progs/$prog.elf 0 elf" "$@" \
		"reg sp 0x20010000" "reg xPSR 0x01000000" \
		"resume $(prog_symbol "$prog" _start)" >/dev/null
}

# run_prog PROG TIMEOUT_MS [TCL...]: start_prog, then waits up to
# TIMEOUT_MS for the program to halt; prints its r0.
run_prog() {
	local prog=$1 ms=$2
	shift 2
	start_prog "$prog" "$@"
	ocd "wait_halt $ms" >/dev/null
	ocd 'dict get [get_reg -force r0] r0'
}

# read_word ADDR: one 32-bit word through OpenOCD, as 0x-prefixed hex.
read_word() {
	ocd "read_memory $1 32 1"
}

# Lines of the OpenOCD log that a real board would not print.
openocd_complaints() {
	grep -E '^(Error|Warn)' "$WORK/openocd.log" || true
}

# contains TEXT PATTERN: TEXT has a line matching the extended regex.
contains() {
	grep -qE -- "$2" <<<"$1"
}
