#!/bin/bash
# A bus that makes the CPU serve the FIFO slower than the wire: with
# xspi-wait every QUADSPI register access waits more core cycles, as on a
# bus matrix another master keeps busy. bench and margin cut their bursts
# from the FIFO service time they measure, so CE# never stays low past
# tCEM (psramsim --stats counts no tCEM violation, and in strict timing no
# data is lost: margin finds no clock limit of its own making) and
# bench's figures stay under the wire limit. Slower still, verify's
# memtest stages still pass within tCEM, and its bench stage fails: a
# figure under half the wire limit only a misbehaving bus explains; the
# JUnit file shows it.
. "$(dirname "$0")/lib-stub.sh"

# efficiencies: the bench-size lines' "efficiency" values, one a line.
efficiencies() {
	grep '"type":"bench-size"' "$WORK/ctl.out" |
		grep -oE '"efficiency":[0-9.]+' | cut -d: -f2
}

start_board --board devebox-h750 --fault xspi-wait=120 --fault timing=strict --stats ||
	exit 1
C=(--connect "127.0.0.1:$TCL_PORT")
ctl "${C[@]}" --json bench --sizes 64,1024,4096
check bench-exit-0 [ "$CTL_RC" = 0 ]
check bench-three-sizes [ "$(efficiencies | wc -l)" = 6 ]
check bench-within-wire-limit awk '$1 <= 0 || $1 > 1 { bad = 1 } END { exit bad }' <(efficiencies)
# The CPU, not the wire, sets the pace: well below the wire limit.
check bench-cpu-bound awk '$1 > 0.8 { bad = 1 } END { exit bad }' <(efficiencies)
ctl "${C[@]}" --json margin --min 40
check margin-exit-0 [ "$CTL_RC" = 0 ]
check margin-no-faults out_has '"faults":\[\]\}$'
ocd "shutdown" >/dev/null 2>&1
kill "$SIM_PID" 2>/dev/null
wait "$OCD_PID" "$SIM_PID" 2>/dev/null
check stats-no-tcem grep -qE 'timing rules broken:.* tcem=0\(' "$WORK/sim.log"
check stats-no-tchd grep -qE 'timing rules broken:.* tchd=0\(' "$WORK/sim.log"

ctl --sim --sim-fault xspi-wait=300 verify --range 0:16K --junit "$WORK/v.xml"
check verify-fails-exit-1 [ "$CTL_RC" = 1 ]
check verify-verdict-fail out_has '^verdict: FAIL$'
check verify-bench-fails out_has '^  bench +FAIL +QPI at 50 MHz: write and read back [0-9.]+ MB/s \(modelled\), wire limit [0-9.]+ MB/s: below half of it, which only a misbehaving bus explains$'
check junit-bench-failure bash -c "grep -A1 '<testcase name=\"bench\"' '$WORK/v.xml' | grep -q '<failure message=\"QPI at 50 MHz: .*below half of it'"
check junit-verdict-failure bash -c "grep -A1 '<testcase name=\"verdict\"' '$WORK/v.xml' | grep -q '<failure'"
ctl --json --sim --sim-fault xspi-wait=300 verify --range 0:16K
check verify-json-bus-speed out_has '"kind":"bus-speed","mb_s":[0-9.]+,"wire_mb_s":[0-9.]+,"words":"write and read back ran at [0-9.]+ MB/s, below half the wire limit'
expect_no_leftovers no-leftovers
