#!/bin/bash
# Faults while a command runs, each made to happen for real: psramsim or
# OpenOCD killed (SIGKILL) or stopped (SIGSTOP: alive, silent), the stub
# hung or faulted, the TCL connection dropped in the middle of a reply,
# two psramctl on one OpenOCD, Ctrl-C once and twice during flash. Each
# ends within its deadline with one error line naming what died, the
# exit status of docs/architecture.md §4, no process left behind and
# nothing left in TMPDIR.
. "$(dirname "$0")/lib-stub.sh"

export TMPDIR=$WORK/tmp
mkdir -p "$TMPDIR"
tmp_clean() { # tmp_clean NAME: nothing left in TMPDIR
	local left
	left=$(ls -A "$TMPDIR")
	if [ -z "$left" ]; then pass "$1"; else
		fail "$1" "left in TMPDIR: $left"
		rm -rf "${TMPDIR:?}"/*
	fi
}

# run_and_signal VICTIM SIGNAL ARGS...: psramctl -v ARGS in the
# background; once its stub runs, VICTIM (psramsim or openocd) gets
# SIGNAL. Sets CTL_RC and CTL_SECS (from the signal to the exit).
run_and_signal() {
	local victim=$1 sig=$2 pid t0
	shift 2
	: >"$WORK/ctl.err"
	"$PSRAMCTL" -v "$@" >"$WORK/ctl.out" 2>"$WORK/ctl.err" &
	CTL_PID=$!
	for _ in $(seq 1 400); do
		grep -q '^stub: .* started' "$WORK/ctl.err" && break
		sleep 0.05
	done
	pid=$(sed -nE "s/^$victim \\(pid ([0-9]+)\\).*/\\1/p" "$WORK/ctl.err")
	t0=$(date +%s%N)
	kill -"$sig" "$pid"
	wait "$CTL_PID"
	CTL_RC=$?
	CTL_SECS=$(echo "scale=2; ($(date +%s%N) - $t0) / 1000000000" | bc)
	kill -CONT "$pid" 2>/dev/null
}

long_memtest=(--sim memtest --range 0:4M --passes 50)

run_and_signal psramsim KILL "${long_memtest[@]}"
expect_ctl psramsim-killed 3 'psramsim exited \(killed by signal 9, Killed\)' 10
expect_no_leftovers psramsim-killed-no-leftovers
tmp_clean psramsim-killed-tmp-clean

run_and_signal openocd KILL "${long_memtest[@]}"
expect_ctl openocd-killed 3 'OpenOCD exited \(killed by signal 9, Killed\)' 10
expect_no_leftovers openocd-killed-no-leftovers
tmp_clean openocd-killed-tmp-clean

# Stopped: it holds its sockets open and never answers. psramctl looks at
# the process while it waits, and names it at once.
run_and_signal openocd STOP "${long_memtest[@]}"
expect_ctl openocd-stopped 3 'OpenOCD \(pid [0-9]+\) is stopped and does not answer' 15
expect_no_leftovers openocd-stopped-no-leftovers
tmp_clean openocd-stopped-tmp-clean

run_and_signal psramsim STOP "${long_memtest[@]}"
expect_ctl psramsim-stopped 3 'psramsim \(pid [0-9]+\) is stopped and does not answer' 15
expect_no_leftovers psramsim-stopped-no-leftovers
tmp_clean psramsim-stopped-tmp-clean

# The stub hung (`b .` at its entry) and faulted (UDF in its eid command).
stub_patch "$WORK/loop.bin" 0x64 fe e7
ctl --sim --stub "$WORK/loop.bin" eid --timeout 1000
expect_ctl stub-hung 3 'eid: the stub did not finish within 1.0 s' 10
expect_no_leftovers stub-hung-no-leftovers
tmp_clean stub-hung-tmp-clean
eid_at=$(stub_symbol cmd_eid)
stub_patch "$WORK/udf.bin" $((eid_at - 0x20000000)) 00 de
ctl --sim --stub "$WORK/udf.bin" eid
expect_ctl stub-faulted 3 'eid: the stub crashed: UsageFault' 15
expect_no_leftovers stub-faulted-no-leftovers
tmp_clean stub-faulted-tmp-clean

# The TCL connection dropped in the middle of a reply: a listener that
# answers the first command with half a frame and hangs up.
cat >"$WORK/half.tcl" <<'TCL'
proc serve {c addr port} {
	fconfigure $c -translation binary
	read $c 16
	puts -nonewline $c "1 0 \{Open On-Chip"
	close $c
}
set s [socket -server serve -myaddr 127.0.0.1 0]
puts [lindex [fconfigure $s -sockname] 2]
flush stdout
vwait forever
TCL
tclsh "$WORK/half.tcl" >"$WORK/half.log" 2>&1 &
PIDS+=($!)
half_port=$(wait_log "$WORK/half.log" '^([0-9]+)$')
ctl --connect "127.0.0.1:$half_port" info
expect_ctl tcl-dropped-mid-reply 3 "OpenOCD at 127.0.0.1:$half_port closed the connection" 10
tmp_clean tcl-dropped-tmp-clean

# Two psramctl on one OpenOCD: the second is refused at once, naming the
# first; the first is not disturbed.
start_board || exit 1
"$PSRAMCTL" --connect "127.0.0.1:$TCL_PORT" memtest --range 0:256K \
	>"$WORK/first.out" 2>"$WORK/first.err" &
first=$!
for _ in $(seq 1 200); do
	grep -q '%' "$WORK/first.err" && break
	sleep 0.05
done
ctl --connect "127.0.0.1:$TCL_PORT" info
expect_ctl second-refused 3 "OpenOCD at 127.0.0.1:$TCL_PORT is in use by another psramctl \\(pid $first\\)" 5
wait "$first"
check first-undisturbed [ $? -eq 0 ]
ctl --connect "127.0.0.1:$TCL_PORT" info --no-eid
check lock-released [ "$CTL_RC" -eq 0 ]
tmp_clean two-at-once-tmp-clean

# Ctrl-C during flash, once and twice: within a second of the last one
# (the write in flight is short), the state of each sector, exit 130,
# nothing left.
head -c 131072 /dev/urandom >"$WORK/big.bin"
flash_and_interrupt() { # flash_and_interrupt NAME COUNT
	local name=$1 count=$2 t0 rc secs
	# emptied before the child starts: no "erase" line of the last run
	: >"$WORK/int.out"
	"$PSRAMCTL" -v --sim flash --no-reset "$WORK/big.bin" \
		>"$WORK/int.out" 2>"$WORK/ctl.err" &
	pid=$!
	for _ in $(seq 1 400); do
		grep -q '^erase .*KiB/s' "$WORK/int.out" && break
		sleep 0.05
	done
	sleep 1
	t0=$(date +%s%N)
	kill -INT $pid
	[ "$count" -eq 2 ] && sleep 0.1 && kill -INT $pid
	wait $pid
	rc=$?
	secs=$(echo "scale=2; ($(date +%s%N) - $t0) / 1000000000" | bc)
	echo "  Ctrl-C x$count: psramctl exited $secs s after the first"
	check "$name-exit-130" [ $rc -eq 130 ]
	check "$name-within-2s" [ "$(echo "$secs < 2" | bc)" = 1 ]
	check "$name-sector-state" grep -qE '^  sector 0 .*(interrupted while programming|partly written|written)' "$WORK/int.out"
	check "$name-never-claims-success" bash -c "! grep -q '^flashed' '$WORK/int.out'"
	expect_no_leftovers "$name-no-leftovers"
	tmp_clean "$name-tmp-clean"
}
flash_and_interrupt ctrl-c-once 1
flash_and_interrupt ctrl-c-twice 2

# psramsim started with stdout and stderr closed: its listening socket
# must not become descriptor 1 or 2 (its log would go into the
# debugger's connection); /dev/null takes their place.
p=$(free_port)
"$PSRAMSIM" --port "$p" >&- 2>&- &
sim_pid=$!
PIDS+=("$sim_pid")
for _ in $(seq 1 100); do
	(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && break
	sleep 0.05
done
check psramsim-closed-stdout-is-null [ "$(readlink "/proc/$sim_pid/fd/1")" = /dev/null ]
check psramsim-closed-stderr-is-null [ "$(readlink "/proc/$sim_pid/fd/2")" = /dev/null ]
check psramsim-closed-fds-listens bash -c "exec 3<>/dev/tcp/127.0.0.1/$p"
kill "$sim_pid"
