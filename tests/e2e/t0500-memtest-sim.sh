#!/bin/bash
# psramctl memtest through real OpenOCD and psramsim on a sound chip: every
# test passes at each width, the text and --json forms, usage errors, the
# whole 8 MB in one pass without the host holding it, and Ctrl-C stopping
# the stub within a second with the core left halted.
. "$(dirname "$0")/lib-verify.sh"

ctl --sim memtest --range 0:16K --width 8,16,32 --hold 5
check text-exit-0 [ "$CTL_RC" = 0 ]
check text-header out_has '^memtest: devebox-h750, QPI at 50 MHz \(asked\), 0x000000\.\.0x003fff, 8,16,32-bit, 1 pass$'
for t in data-bus device patterns page retention; do
	for w in 8 16 32; do
		check "text-$t-$w" out_has "^  $t +$w-bit +[0-9]+ bytes ok "
	done
done
check text-address-bus out_has '^  address-bus +14 address bits +ok '
check text-summary out_has '^memtest: pass: 0 wrong units in [0-9]+ bytes checked, [0-9.]+ s on the target at 50 MHz \(modelled\)$'
check text-no-error [ -z "$(ctl_messages | grep -v '^memtest: ')" ]

ctl --sim --json memtest --range 0x1000:8K --tests device,patterns --mode spi --pattern 0x5a --pattern 0x1234abcd
check json-exit-0 [ "$CTL_RC" = 0 ]
check json-only-json bash -c "! grep -qv '^{' '$WORK/ctl.out'"
check json-test-device out_has '^\{"type":"test","test":"device","width":32,"pass":1,"bytes":16384,"errors":0,"seconds":[0-9.]+,"mb_per_s":[0-9.]+\}$'
check json-test-patterns out_has '^\{"type":"test","test":"patterns","width":32,"pass":1,"bytes":16384,"errors":0,'
check json-summary-last bash -c "tail -n 1 '$WORK/ctl.out' | grep -qE '^\{\"type\":\"memtest\",\"verdict\":\"pass\",\"board\":\"devebox-h750\",\"chip\":\"esp-psram64h\",\"mode\":\"spi\",\"clock_hz\":50000000,\"start\":\"0x001000\",\"length\":8192,\"widths\":\[32\],\"tests\":\[\"device\",\"patterns\"\],\"passes\":1,\"errors\":0,'"

# Usage errors touch nothing (exit 2, one message).
for bad in "--width 12" "--width 8,,64" "--mpu nc" "--mode dual" \
	"--range 0:3" "--range 0x7ffffc:8" "--tests data-bus,nope" \
	"--pattern 0xzz" "--pattern 0x123456789" "--clock 0"; do
	# shellcheck disable=SC2086
	ctl --sim memtest $bad
	expect_ctl "usage$(tr ' ,' '__' <<<"$bad")" 2 '^psramctl: error: '
done
ctl --sim memtest --xspi dqs=off
expect_ctl usage-xspi-says-why 2 'need --mode mapped'
ctl memtest --help
check help-exit-0 [ "$CTL_RC" = 0 ]
check help-usage out_has '^usage: psramctl \[options\] memtest'
check help-options out_has '^  +--width LIST'

# The whole chip, one pattern written and read back, streamed: the figures
# are the stub's (virtual time), the wire limit from the datasheet timing.
ctl -t 300 --sim --json memtest --tests patterns --pattern 0x5a5a
check full-exit-0 [ "$CTL_RC" = 0 ]
check full-8mb out_has '"type":"memtest","verdict":"pass",.*"length":8388608,.*"bytes":8388608,'
check full-progress [ "$(grep -c '"type":"progress"' "$WORK/ctl.out")" -ge 100 ]
ratio=$(sed -nE 's/.*"wire_ratio":([0-9.]+).*/\1/p' "$WORK/ctl.out")
check full-near-wire-limit [ "$(echo "${ratio:-9} < 1.5" | bc)" = 1 ]

# Ctrl-C: the stub sees the stop word and ends; the core stays halted at
# the stub's exit with the status STOPPED, and what was covered is said.
start_board --board devebox-h750 || exit 1
: >"$WORK/int.err" # before the child starts: no old pass line
"$PSRAMCTL" --connect "127.0.0.1:$TCL_PORT" memtest --tests device \
	>"$WORK/int.out" 2>"$WORK/int.err" &
pid=$!
for _ in $(seq 1 100); do
	grep -q 'device pass 1' "$WORK/int.err" && break
	sleep 0.1
done
t0=$(date +%s%N)
kill -INT "$pid"
wait "$pid"
rc=$?
t1=$(date +%s%N)
check sigint-exit-130 [ "$rc" = 130 ]
check sigint-within-a-second [ $(((t1 - t0) / 1000000)) -lt 1000 ]
check sigint-covered grep -qE '^memtest: stopped by the user during device \(pass 1\) at [0-9]+% of the work' "$WORK/int.out"
check sigint-halted [ "$(ocd 'stm32h7x.cpu0 curstate')" = halted ]
check sigint-at-exit [ "$(ocd 'reg pc' | awk '{print $NF}')" = 0x20000060 ]
check sigint-status-stopped [ "$(read_word 0x20008018)" = 0xa ]
