#!/bin/bash
# psramctl watch against psramsim with an intermittent joint
# (io1=intermittent:RATE): a sound board counts nothing; a flaky joint
# makes some passes fail and others not, the counts move from record to
# record; Ctrl-C ends with a summary; on a terminal the block is redrawn
# in place, under NO_COLOR it is plain lines with no escape sequence.
. "$(dirname "$0")/lib-stub.sh"

ESC=$(printf '\033')

# A sound board.
ctl --sim watch --passes 2 --range 0:4K
check clean-status [ "$CTL_RC" -eq 0 ]
check clean-summary grep -q '^watch: done after 2 passes: no error$' "$WORK/ctl.out"
check clean-counts grep -qE '^wrong units +0 ' "$WORK/ctl.out"
check clean-plain bash -c "! grep -q '$ESC' '$WORK/ctl.out'"
expect_no_leftovers clean-leftovers

# A flaky joint on IO1: some passes fail, some do not.
ctl --sim --sim-fault io1=intermittent:0.0001 --sim-seed 2 --json watch --passes 8 --interval 50
bad=$(sed -nE 's/.*"type":"watch-summary".*"bad_passes":([0-9]+).*/\1/p' "$WORK/ctl.out")
check flaky-status [ "$CTL_RC" -eq 1 ]
check flaky-some-passes bash -c "[ -n '$bad' ] && [ '$bad' -ge 1 ] && [ '$bad' -le 7 ]"
check flaky-summary grep -q '"type":"watch-summary".*"passes":8,.*"stopped":"passes"' "$WORK/ctl.out"
check flaky-records bash -c "[ \$(grep -c '\"type\":\"watch\"' '$WORK/ctl.out') -ge 2 ]"
# the error count moves between records
check flaky-counts-move bash -c "grep '\"type\":\"watch\"' '$WORK/ctl.out' | grep -o '\"errors\":[0-9]*' | sort -u | wc -l | grep -qv '^1\$'"
check flaky-fields grep -qE '"type":"watch".*"io":\[[0-9]+,[0-9]+,[0-9]+,[0-9]+\],"io_only":\[[0-9,]+\],"bit":\[([0-9]+,){31}[0-9]+\],"addr_bit":\[([0-9]+,){22}[0-9]+\],"last":\[' "$WORK/ctl.out"
check flaky-error-line grep -qE '^psramctl: error: [0-9]+ wrong units in [1-7] of 8 passes$' "$WORK/ctl.err"

# The same joint open all the time: every pass fails.
ctl --sim --sim-fault io1=intermittent:1 --json watch --passes 1 --range 0:4K
check always-open grep -q '"type":"watch-summary".*"passes":1,"bad_passes":1' "$WORK/ctl.out"

# A rate that is no probability is refused.
ctl --sim --sim-fault io1=intermittent:1.5 watch
expect_ctl bad-rate 2 "fault 'io1=intermittent:1.5': rate must be a probability in \(0, 1\]" 10
check list-faults bash -c "'$PSRAMSIM' --list-faults | grep -q '^io<N>=intermittent:RATE '"

# Ctrl-C: the summary, the core halted, nothing left running.
# (not under timeout(1): it would pass the SIGINT on to its whole process
# group, a second Ctrl-C)
: >"$WORK/ctl.out" # before the child starts: no old watch line
"$PSRAMCTL" -v --sim --sim-fault io1=intermittent:0.001 watch \
	>"$WORK/ctl.out" 2>"$WORK/ctl.err" &
pid=$!
(sleep 120; kill -KILL $pid 2>/dev/null) &
dog=$!
wait_log "$WORK/ctl.out" '^watch: ([0-9.]+) s: [1-9]' 1200 >/dev/null
kill -INT $pid
wait $pid
rc=$?
kill $dog 2>/dev/null
check ctrl-c-status [ $rc -eq 1 ]
check ctrl-c-summary grep -qE '^watch: stopped by the user after [0-9]+ passes: errors seen' "$WORK/ctl.out"
expect_no_leftovers ctrl-c-leftovers

# On a terminal (a pty from script(1)): one block, redrawn in place;
# NO_COLOR and TERM=dumb: plain lines.
if command -v script >/dev/null; then
	for mode in fancy no-color dumb; do
		case $mode in
		fancy) env="TERM=xterm" ;;
		no-color) env="TERM=xterm NO_COLOR=1" ;;
		dumb) env="TERM=dumb" ;;
		esac
		timeout 120 script -qfec "env $env '$PSRAMCTL' --sim --sim-fault io1=intermittent:0.001 watch --passes 2 --range 0:4K --interval 100" \
			"$WORK/tty-$mode.out" </dev/null >/dev/null 2>&1
	done
	# in place: the cursor moved up over the previous block
	check tty-in-place grep -q "${ESC}\[[0-9]*A" "$WORK/tty-fancy.out"
	check tty-block grep -q 'line alone  ' "$WORK/tty-fancy.out"
	for mode in no-color dumb; do
		check tty-$mode-plain bash -c "! grep -q '$ESC' '$WORK/tty-$mode.out' && grep -q '^watch: [0-9.]* s: ' '$WORK/tty-$mode.out'"
	done
else
	fail tty "script(1) not installed (util-linux)"
fi
