#!/bin/bash
# Everything between psramctl and the core that can go wrong, made to go
# wrong for real: openocd missing, a port in use, OpenOCD exiting during
# the run, psramsim not running or dying, a target that does not answer
# the halt, an unknown board, and board and stub file names full of Tcl
# and shell syntax. Each ends within its deadline with one error line and
# the exit status of docs/architecture.md §4, and leaves no process behind.
. "$(dirname "$0")/lib-stub.sh"

entry=0x64
stub_patch "$WORK/loop.bin" $entry fe e7

# openocd not installed.
ctl --sim --openocd /nonexistent/openocd eid
expect_ctl no-openocd-path 3 "openocd not found at '/nonexistent/openocd'" 5
expect_no_leftovers no-openocd-path-no-leftovers
mkdir -p "$WORK/nopath"
CTL_PATH=$WORK/nopath ctl --sim eid
expect_ctl no-openocd-in-path 3 'openocd not found in PATH' 5
expect_no_leftovers no-openocd-in-path-no-leftovers

# A port in use: OpenOCD told to serve Tcl on a port something else holds
# (an openocd wrapper, as --openocd allows) cannot bind and exits.
hold_port
cat >"$WORK/openocd-busy" <<EOF
#!/bin/sh
exec openocd "\$@" -c "tcl_port $BUSY_PORT"
EOF
chmod +x "$WORK/openocd-busy"
ctl --sim --openocd "$WORK/openocd-busy" eid
expect_ctl port-in-use-openocd 3 "openocd did not start: .*port $BUSY_PORT: Address already in use" 10
expect_no_leftovers port-in-use-openocd-no-leftovers
# --connect to a port whose listener is not OpenOCD: no answer in time.
ctl --connect "127.0.0.1:$BUSY_PORT" eid
expect_ctl port-in-use-connect 3 "no reply from OpenOCD at 127.0.0.1:$BUSY_PORT" 15
# psramsim itself on a port that is taken.
"$PSRAMSIM" --port "$BUSY_PORT" >"$WORK/sim-busy.log" 2>&1
rc=$?
check port-in-use-psramsim bash -c "[ $rc -ne 0 ] && grep -qi 'in use' '$WORK/sim-busy.log'"

# psramsim not running: --connect to a port where nothing listens, and a
# board file pointing OpenOCD at one.
dead=$(free_port)
ctl --connect "127.0.0.1:$dead" eid
expect_ctl connect-refused 3 "cannot connect to OpenOCD at 127.0.0.1:$dead" 10
private_tree
cat >"$WORK/tree/cfg/boards/sim-devebox-h750.cfg" <<EOF
set PSRAMSIM_PORT $dead
source [find sim.cfg]
source [find boards/devebox-h750.cfg]
EOF
ctl --sim eid
expect_ctl sim-port-dead 3 'OpenOCD exited: .*(connect|Connect)' 30
expect_no_leftovers sim-port-dead-no-leftovers

# OpenOCD exits during the run: its reset-init handler shuts it down...
cat >"$WORK/tree/cfg/boards/sim-devebox-h750.cfg" <<'EOF'
source [find sim.cfg]
source [find boards/devebox-h750.cfg]
stm32h7x.cpu0 configure -event reset-init { shutdown }
EOF
ctl --sim eid
expect_ctl openocd-shutdown 3 'OpenOCD exited' 15
expect_no_leftovers openocd-shutdown-no-leftovers
unset CTL

# ...or it is killed while psramctl waits for the stub; the same for
# psramsim.
run_and_kill() { # run_and_kill openocd|psramsim
	local victim=$1 pid t0
	: >"$WORK/ctl.err" # before the child starts: no old "started" line
	"$PSRAMCTL" -v --sim --stub "$WORK/loop.bin" eid --timeout 30000 \
		>"$WORK/ctl.out" 2>"$WORK/ctl.err" &
	CTL_PID=$!
	for _ in $(seq 1 200); do
		grep -q '^stub: eid started' "$WORK/ctl.err" && break
		sleep 0.05
	done
	pid=$(sed -nE "s/^$victim \\(pid ([0-9]+)\\).*/\\1/p" "$WORK/ctl.err")
	t0=$(date +%s%N)
	kill "$pid"
	wait "$CTL_PID"
	CTL_RC=$?
	CTL_SECS=$(echo "scale=2; ($(date +%s%N) - $t0) / 1000000000" | bc)
}
run_and_kill openocd
expect_ctl openocd-killed 3 'OpenOCD exited \(killed by signal 15, Terminated\)' 10
expect_no_leftovers openocd-killed-no-leftovers
run_and_kill psramsim
# (OpenOCD aborts when its adapter connection drops, but the cause is
# named: psramsim)
expect_ctl psramsim-killed 3 'psramsim exited' 10
expect_no_leftovers psramsim-killed-no-leftovers

# A target that does not answer the halt: psramsim frozen (SIGSTOP) under an
# OpenOCD of our own that does not poll, so OpenOCD still answers Tcl but
# the reset and halt never complete.
start_sim || exit 1
start_openocd -c init -c "poll off" || exit 1
kill -STOP "$SIM_PID"
ctl --connect "127.0.0.1:$TCL_PORT" eid
expect_ctl target-does-not-halt 3 "no reply from OpenOCD at .* to '(capture \\{)?reset init" 15
kill -CONT "$SIM_PID"

# Unknown boards and malicious names: refused before anything starts, the
# name shown as given.
evil='x [exit 7] $HOME; {y} "q" z'
ctl --sim --sim-board nosuch eid
expect_ctl unknown-sim-board 2 "unknown simulated board 'nosuch' \\(known: devebox-h743, devebox-h750, devebox-h7a3, f746g-disco, f769i-disco, weact-h750\\)" 5
ctl --board nosuch eid
expect_ctl unknown-board 2 "unknown board 'nosuch'" 5
ctl --board "$evil" eid
expect_ctl evil-board 2 "unknown board 'x \\[exit 7\\] \\\$HOME; \\{y\\} \"q\" z'" 5
check evil-board-nothing-started bash -c "! grep -qE '^starting ' '$WORK/ctl.err'"
ctl --sim --sim-board "$evil" eid
expect_ctl evil-sim-board 2 "unknown simulated board 'x \\[exit 7\\]" 5
ctl --sim --stub "$WORK/$evil.bin" eid
expect_ctl evil-stub-missing 2 "--stub '.*/x \\[exit 7\\] \\\$HOME; \\{y\\} \"q\" z.bin': cannot open it: No such file or directory" 5
check evil-stub-missing-nothing-started bash -c "! grep -qE '^starting ' '$WORK/ctl.err'"
# The same name on a good stub: it runs (psramctl writes the image itself,
# the name never reaches Tcl).
cp "$STUB_BIN" "$WORK/$evil.bin"
ctl --sim --stub "$WORK/$evil.bin" eid
check evil-stub-runs [ "$CTL_RC" = 0 ]
check evil-stub-named err_has "^stub: reset .*loaded [0-9]+ bytes \\(.*x \\[exit 7\\] \\\$HOME; \\{y\\} \"q\" z.bin\\)"
# Not a stub at all.
head -c 4096 /dev/zero >"$WORK/zeros.bin"
ctl --sim --stub "$WORK/zeros.bin" eid
expect_ctl not-a-stub 2 "'.*zeros.bin' is not a psramctl stub: no image header at 0x20000040" 5
