#!/bin/bash
# The bad-input table (tests/bad-input.tsv): every case is one line of
# data, run here the same way, curl style. A case passes when psramctl
#   - exits with the expected status (never by a signal, within 30 s),
#   - prints the expected message (an extended regex over stdout+stderr),
#     on at most two lines of stderr (the error and one hint),
#   - leaves no process behind (every process it started carries a marker
#     in its environment; none may survive it) and no file in TMPDIR.
#
# Columns (tab-separated, "-" for none):
#   name  env  io  exit  regex  arguments
# env: VAR=VALUE ... set for psramctl. io: how it is started: "-" (stdin
# /dev/null, outputs captured), stdout-closed, stderr-closed,
# stdin-closed, all-closed, full (stdout is /dev/full). arguments: shell
# words after psramctl. Placeholders in env and arguments: @FIX@ (the
# fixtures folder), @FIFO@ (a FIFO in it), @CONNECT@ (HOST:PORT of the
# one shared psramsim+OpenOCD, for the few cases that need a live
# target), @DEAD@ (a HOST:PORT nobody listens on).
. "$(dirname "$0")/lib.sh"

TABLE=$TOP/tests/bad-input.tsv
FIX=$WORK/fix
mkdir -p "$FIX" "$FIX/ro"
mkfifo "$FIX/fifo"
"$TOP/tests/progs/fw/build" "$FIX/fw" >/dev/null || { fail fixtures "fw build"; exit 1; }
# Intel HEX: one record of 4 bytes at 0x90000000 (the QSPI window), one at
# 0x20000000 (RAM), one with a bad checksum.
printf ':020000049000 6A\n:0400000001020304F2\n:00000001FF\n' | tr -d ' ' >"$FIX/qspi.hex"
printf ':020000042000DA\n:0400000001020304F2\n:00000001FF\n' >"$FIX/ram.hex"
printf ':020000040800F2\n:0400000001020304F3\n:00000001FF\n' >"$FIX/badsum.hex"
head -c 40 "$FIX/fw/fw.elf" >"$FIX/trunc.elf"
cp "$FIX/fw/fw.hex" "$FIX/hex-named.elf"
: >"$FIX/empty.bin"
truncate -s 65M "$FIX/huge.bin"
head -c 300 "$FIX/fw/fw.dfu" >"$FIX/trunc.dfu"
head -c 1024 /dev/zero >"$FIX/zero-stub.bin"
truncate -s 1M "$FIX/big-stub.bin"
echo 'not a board' >"$FIX/notdir"
chmod 555 "$FIX/ro"
printf '\x7fELF' >"$FIX/magic-only.elf"

start_board || exit 1
CONNECT=127.0.0.1:$TCL_PORT
DEAD=127.0.0.1:$(free_port)

subst() {
	local s=$1
	s=${s//@FIX@/$FIX}
	s=${s//@FIFO@/$FIX/fifo}
	s=${s//@CONNECT@/$CONNECT}
	s=${s//@DEAD@/$DEAD}
	printf '%s' "$s"
}

# Processes still carrying the case's marker.
survivors() {
	grep -lsa "PSRAMCTL_CASE=$1" /proc/[0-9]*/environ 2>/dev/null |
		sed 's|/proc/\([0-9]*\)/environ|\1|' | grep -vx "$$" || true
}

n=0
while IFS=$'\t' read -r name env io code regex args; do
	[ -z "$name" ] || [ "${name:0:1}" = "#" ] && continue
	n=$((n + 1))
	dir=$WORK/case/$name
	mkdir -p "$dir/tmp"
	mark=$name-$$
	envs=(PSRAMCTL_CASE="$mark" TMPDIR="$dir/tmp")
	if [ "$env" != - ]; then
		for e in $(subst "$env"); do envs+=("$e"); done
	fi
	argv=()
	[ "$args" = - ] || eval "argv=($(subst "$args"))"
	cmd=(timeout -k 2 30 env "${envs[@]}" "$PSRAMCTL" "${argv[@]}")
	: >"$dir/out"
	: >"$dir/err"
	case $io in
	-) "${cmd[@]}" >"$dir/out" 2>"$dir/err" </dev/null ;;
	stdout-closed) "${cmd[@]}" >&- 2>"$dir/err" </dev/null ;;
	stderr-closed) "${cmd[@]}" >"$dir/out" 2>&- </dev/null ;;
	stdin-closed) "${cmd[@]}" >"$dir/out" 2>"$dir/err" <&- ;;
	all-closed) "${cmd[@]}" >&- 2>&- <&- ;;
	full) "${cmd[@]}" >/dev/full 2>"$dir/err" </dev/null ;;
	*) fail "$name" "unknown io '$io'"; continue ;;
	esac
	rc=$?
	why=""
	[ "$rc" -eq "$code" ] || why="exit $rc, expected $code"
	if [ -z "$why" ] && [ "$regex" != - ] &&
		! cat "$dir/out" "$dir/err" | grep -qE -- "$regex"; then
		why="no line matches /$regex/"
	fi
	lines=$(tr '\r' '\n' <"$dir/err" | grep -c .)
	[ -z "$why" ] && [ "$lines" -gt 2 ] && why="$lines lines on stderr"
	left=$(survivors "$mark")
	[ -z "$why" ] && [ -n "$left" ] && why="processes left: $left"
	[ -z "$why" ] && [ -n "$(ls -A "$dir/tmp")" ] &&
		why="files left in TMPDIR: $(ls -A "$dir/tmp" | tr '\n' ' ')"
	if [ -z "$why" ]; then
		pass "$name"
	else
		fail "$name" "$why: psramctl ${argv[*]} ($(tr '\r' '\n' <"$dir/err" | grep . | tail -n 3 | tr '\n' ' '))"
		for p in $left; do kill -9 "$p" 2>/dev/null; done
	fi
done <"$TABLE"
check at-least-150-cases [ "$n" -ge 150 ]
chmod 755 "$FIX/ro"
