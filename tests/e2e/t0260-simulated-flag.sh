#!/bin/bash
# One way to tell a simulated target: every command's final JSON object
# says "simulated", and the text labels modelled times, whether psramctl
# started psramsim (--sim) or found it behind an OpenOCD at --connect.
. "$(dirname "$0")/lib-stub.sh"

# final_simulated: the "simulated" member of the last stdout line.
final_simulated() {
	tail -n 1 "$WORK/ctl.out" | grep -oE '"simulated":(true|false)' | tail -n 1
}

start_board || exit 1
c=(--connect "127.0.0.1:$TCL_PORT")
for cmd in info eid "memtest --range 0:4K --tests device" \
	"bench --sizes 1024" "margin --min 40 --max 50"; do
	name=${cmd%% *}
	# shellcheck disable=SC2086
	ctl "${c[@]}" --json $cmd
	check "connect-$name-exit-0" [ "$CTL_RC" = 0 ]
	check "connect-$name-simulated" [ "$(final_simulated)" = '"simulated":true' ]
	# shellcheck disable=SC2086
	ctl --sim --json $cmd
	check "sim-$name-simulated" [ "$(final_simulated)" = '"simulated":true' ]
done
ctl "${c[@]}" memtest --range 0:4K --tests device
check connect-memtest-modelled out_has '^memtest: pass: .* s on the target at 50 MHz \(modelled\)$'
ctl "${c[@]}" bench --sizes 1024
check connect-bench-modelled out_has 'modelled by psramsim'
