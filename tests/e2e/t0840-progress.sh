#!/bin/bash
# Progress bars on a terminal (a pty from script(1)): verify's long stages
# get one redrawn in place; under NO_COLOR (and TERM=dumb) a plain line
# every 10 % with no escape sequence.
. "$(dirname "$0")/lib-stub.sh"

ESC=$(printf '\033')
if ! command -v script >/dev/null; then
	fail script "script(1) not installed (util-linux)"
	exit 0
fi
run_tty() { # run_tty OUT ENV...: psramctl --sim verify on a pty
	local out=$1
	shift
	timeout 180 script -qfec "env $* '$PSRAMCTL' --sim verify --range 0:2M" "$out" \
		</dev/null >/dev/null 2>&1
}
run_tty "$WORK/xterm.out" TERM=xterm
check bar-drawn grep -qaE "(device|patterns) \[[#.]*\] *[0-9]*%" "$WORK/xterm.out"
check bar-in-place grep -qa "${ESC}\[K" "$WORK/xterm.out"
check bar-verdict grep -qa 'PASS' "$WORK/xterm.out"
run_tty "$WORK/nocolor.out" TERM=xterm NO_COLOR=1
check no-color-lines grep -qaE '^(device|patterns) +[0-9]+%' "$WORK/nocolor.out"
check no-color-no-escape bash -c "! grep -qa '$ESC' '$WORK/nocolor.out'"
