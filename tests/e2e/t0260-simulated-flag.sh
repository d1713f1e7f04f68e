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

# mapcheck and watch end with it too. (mapcheck tries setups that hold
# CE# low past tCEM on purpose; psramsim logs them.)
expect_guest_errors
ctl "${c[@]}" --json mapcheck --range 0:4K
end_guest_errors
check connect-mapcheck-exit-0 [ "$CTL_RC" = 0 ]
check connect-mapcheck-simulated [ "$(final_simulated)" = '"simulated":true' ]
ctl "${c[@]}" --json watch --passes 1 --range 0:4K
check connect-watch-exit-0 [ "$CTL_RC" = 0 ]
check connect-watch-summary out_has '"type":"watch-summary"'
check connect-watch-simulated [ "$(final_simulated)" = '"simulated":true' ]

# A verify batch: each board's object and the batch's own, from each
# board's verify (simulated boards here).
mkdir -p "$WORK/batch"
ctl --json --sim-count 1 --batch-dir "$WORK/batch" verify --range 0:4K
check batch-exit-0 [ "$CTL_RC" = 0 ]
check batch-board-simulated out_has '^\{"type":"batch-board",.*"simulated":true\}$'
check batch-simulated [ "$(final_simulated)" = '"simulated":true' ]
# Real boards that never got a probe: false, from how they were started.
ctl --json --serial SN1,SN2 --board devebox-h750 --batch-dir "$WORK/batch" verify
check real-batch-exit-3 [ "$CTL_RC" = 3 ]
check real-batch-simulated out_has '^\{"type":"batch",.*"simulated":false\}$'
check real-batch-board-simulated out_has '^\{"type":"batch-board","name":"SN1",.*"simulated":false\}$'

# probes, through the real libusb on a umockdev testbed with one ST-Link:
# USB probes are real hardware.
. "$TOP/tests/e2e/lib-usb.sh"
if umockdev_ok; then
	usb_root_hub "$WORK/one.umockdev" 1
	usb_device "$WORK/one.umockdev" 1-2 5 0483 374b 0100 STMicroelectronics \
		"STM32 STLink" 066DFF555052836687031633 "ff/ff/ff/81b,01b,82b/ST-Link Debug"
	timeout 20 umockdev-run -d "$WORK/one.umockdev" -- "$PSRAMCTL" --json probes \
		>"$WORK/ctl.out" 2>"$WORK/ctl.err"
	check probes-exit-0 [ $? = 0 ]
	check probes-final out_has '^\{"type":"probes","count":1,"simulated":false\}$'
else
	fail probes-umockdev "umockdev-run not installed (scripts/install-deps)"
fi
