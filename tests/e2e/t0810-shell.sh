#!/bin/bash
# psramctl shell against psramsim, typed at a real pseudo-terminal (tmux):
# memory commands, psramctl commands with their options over one OpenOCD
# and one stub load, tab completion of commands, options and file names,
# Ctrl-C at the prompt and during a command (core halted, session kept),
# history in $XDG_STATE_HOME; then the same shell scripted from a pipe.
. "$(dirname "$0")/lib-stub.sh"

if ! command -v tmux >/dev/null; then
	fail tmux "tmux not installed (scripts/install-deps)"
	exit 0
fi

TMUX_SOCK=$WORK/tmux.sock
tm() { tmux -S "$TMUX_SOCK" "$@"; }
screen() { tm capture-pane -p -J -S -200 -t shell; }
# wait_screen REGEX [SECONDS]: the pane shows a line matching REGEX.
wait_screen() {
	local i
	for i in $(seq 1 $((${2:-20} * 10))); do
		screen | grep -qE -- "$1" && return 0
		sleep 0.1
	done
	return 1
}
# the prompt count: a new prompt after a command
prompts() { screen | grep -c '^psramctl devebox-h750> '; }
wait_prompts() {
	local i
	for i in $(seq 1 $((${2:-30} * 10))); do
		[ "$(prompts)" -ge "$1" ] && return 0
		sleep 0.1
	done
	return 1
}
cleanup_tmux() { tm kill-server 2>/dev/null; }
trap 'cleanup_tmux; cleanup' EXIT

mkdir -p "$WORK/state" "$WORK/files"
printf '\x11\x22\x33\x44\x55\x66\x77\x88' >"$WORK/files/pattern.bin"
tm new-session -d -s shell -x 160 -y 60 \
	"cd '$WORK/files' && XDG_STATE_HOME='$WORK/state' '$PSRAMCTL' -v --sim shell 2>'$WORK/shell.err'; echo \"EXIT=\$?\" >'$WORK/shell.exit'; sleep 60"
check prompt wait_screen '^psramctl devebox-h750> $' 30
check banner wait_screen '^psramctl shell on devebox-h750 \(simulated\)'

n=$(prompts)
tm send-keys -t shell 'wr 0x24000000 de ad be ef' Enter
wait_prompts $((n + 1))
tm send-keys -t shell 'rd 0x24000000' Enter
check rd-after-wr wait_screen '^24000000: de ad be ef +\|\.\.\.\.\|'

# load and dump through files, completed with Tab.
n=$(prompts)
tm send-keys -t shell 'load pat' Tab
check complete-file wait_screen '> load pattern\.bin $' 5
tm send-keys -t shell '0x24000100' Enter
check load wait_screen '^8 bytes loaded at 0x24000100$'
wait_prompts $((n + 1))
tm send-keys -t shell 'dump 0x24000100 8 out.bin' Enter
check dump wait_screen '^8 bytes from 0x24000100 written to out.bin$'
check dump-bytes cmp "$WORK/files/pattern.bin" "$WORK/files/out.bin"

# Commands and options completed.
tm send-keys -t shell 'memt' Tab
check complete-command wait_screen '> memtest $' 5
tm send-keys -t shell -l -- '--ran'
tm send-keys -t shell Tab
check complete-option wait_screen '> memtest --range $' 5
tm send-keys -t shell C-u

# eid twice: one stub load for both.
n=$(prompts)
tm send-keys -t shell 'eid' Enter
wait_prompts $((n + 1)) 30
tm send-keys -t shell 'eid --timeout 4000' Enter
wait_prompts $((n + 2)) 30
check eid-result bash -c "[ \$(tmux -S '$TMUX_SOCK' capture-pane -p -S -400 -t shell | grep -c '^Result        PASS') -eq 2 ]"
check eid-one-load bash -c "[ \$(grep -c 'loaded [0-9]* bytes' '$WORK/shell.err') -eq 1 ] && grep -q 'stub: still loaded, not reset' '$WORK/shell.err'"
check one-openocd bash -c "[ \$(grep -c '^openocd (pid' '$WORK/shell.err') -eq 1 ]"

# Ctrl-C at the prompt drops the line.
n=$(prompts)
tm send-keys -t shell 'this is never run' C-c
wait_prompts $((n + 1)) 5
tm send-keys -t shell 'rd 0x24000000 2' Enter
check ctrl-c-prompt wait_screen '^24000000: de ad '
check ctrl-c-prompt-not-run bash -c "! grep -q \"unknown command 'this'\" '$WORK/shell.err'"

# Ctrl-C during a long command: stopped, core halted, prompt back.
n=$(prompts)
tm send-keys -t shell 'memtest --passes 100 --tests patterns' Enter
wait_screen 'memtest: devebox-h750' 20
sleep 1.5
tm send-keys -t shell C-c
check ctrl-c-command wait_log "$WORK/shell.err" '^psramctl: (interrupted); the core is halted$' 100
check ctrl-c-prompt-back wait_prompts $((n + 1)) 10
n=$(prompts)
tm send-keys -t shell 'info --no-eid' Enter
wait_prompts $((n + 1)) 20
check ctrl-c-halted bash -c "tmux -S '$TMUX_SOCK' capture-pane -p -S -60 -t shell | grep -qE 'halted'"
check ctrl-c-same-openocd bash -c "[ \$(grep -c '^openocd (pid' '$WORK/shell.err') -eq 1 ]"
n=$(prompts)
tm send-keys -t shell 'memtest --range 0:4K --tests data-bus' Enter
wait_prompts $((n + 1)) 30
check after-ctrl-c-memtest wait_screen 'memtest: pass' 5

tm send-keys -t shell 'quit' Enter
check quit wait_log "$WORK/shell.exit" '^EXIT=([0-9]+)' 200 >/dev/null
check quit-status grep -qx 'EXIT=0' "$WORK/shell.exit"
check history grep -qx 'rd 0x24000000' "$WORK/state/psramctl/history"
check history-no-cancelled bash -c "! grep -q 'never run' '$WORK/state/psramctl/history'"
cp "$WORK/shell.err" "$WORK/ctl.err"
expect_no_leftovers leftovers-interactive

# Scripted from a pipe: no prompt, the worst status.
printf 'wr 0x24000000 01 02\nrd 0x24000000 2\n# a comment\nmemtest --range 0:4K --tests data-bus\nquit\n' |
	timeout 60 "$PSRAMCTL" -v --sim shell >"$WORK/ctl.out" 2>"$WORK/ctl.err"
rc=$?
check script-status [ $rc -eq 0 ]
check script-output bash -c "grep -q '^24000000: 01 02 ' '$WORK/ctl.out' && grep -q 'memtest: pass' '$WORK/ctl.out' && ! grep -q 'psramctl devebox' '$WORK/ctl.out'"
expect_no_leftovers leftovers-script
printf 'rd 0x24000000 zz\nrd 0x24000000 1\n' |
	timeout 60 "$PSRAMCTL" -v --sim shell >"$WORK/ctl.out" 2>"$WORK/ctl.err"
rc=$?
check script-usage-status [ $rc -eq 2 ]
check script-usage-message grep -q "^psramctl: error: invalid length 'zz'" "$WORK/ctl.err"
check script-goes-on grep -q '^24000000: [0-9a-f][0-9a-f] ' "$WORK/ctl.out"
printf 'wr 0x24000000 "unterminated\n' |
	timeout 60 "$PSRAMCTL" --sim shell >"$WORK/ctl.out" 2>"$WORK/ctl.err"
check script-quote grep -q '^psramctl: error: unterminated " quote$' "$WORK/ctl.err"
