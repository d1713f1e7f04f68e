#!/bin/bash
# psramctl verify on sound boards: each of the four PSRAM variants, also
# with psramsim refusing bursts longer than tCEM (the stub keeps every one
# within it), gives PASS with no fault; the text form, the stages, the
# JUnit report and --help.
. "$(dirname "$0")/lib-verify.sh"

for chip in esp-psram64h ly68l6400 aps6404l ips6404l; do
	SIM_ARGS="--sim-chip $chip" verify_with
	expect_verdict "$chip-pass" pass 0 '"faults":\[\],"simulated":true\}$'
done
verify_with tcem=strict
expect_verdict tcem-strict-pass pass 0
for s in pins eid lines 'data-bus SPI up' 'data-bus SPI down' \
	'data-bus QPI up' 'data-bus QPI down' address-bus device patterns \
	page bench clock; do
	check "stage-$s" out_has "^\{\"type\":\"stage\",\"stage\":\"$s\",\"result\":\"pass\","
done
check info-first bash -c "head -n 1 '$WORK/ctl.out' | grep -q '^{\"type\":\"verify-info\",\"board\":\"devebox-h750\"'"
check no-error-line bash -c "! grep -q '\"type\":\"error\"' '$WORK/ctl.out'"
check no-stderr [ -z "$(ctl_messages)" ]

ctl --sim verify --range 0:16K --junit "$WORK/v.xml"
check text-exit-0 [ "$CTL_RC" = 0 ]
check text-header out_has '^verify: devebox-h750 \(DEVEBOX STM32H7XX_M, STM32H750VBT6\), ESP-PSRAM64H, tests at 50 MHz \(asked\), on psramsim: times modelled$'
check text-pins out_has '^  pins +ok '
check text-clock out_has '^  clock +ok +data and page crossing pass up to 50 MHz, the fastest in spec for ESP-PSRAM64H \(tCHD 20\.0 ns'
check text-bench out_has '^  bench +ok +QPI at 50 MHz: write and read back [0-9.]+ MB/s \(modelled\), wire limit [0-9.]+ MB/s$'
check text-verdict bash -c "tail -n 1 '$WORK/ctl.out' | grep -qx 'verdict: PASS'"
expect_no_leftovers no-leftovers
check junit-written [ -s "$WORK/v.xml" ]
check junit-suite grep -qE '^<testsuites name="psramctl verify" tests="1[0-9]" failures="0" errors="0" skipped="0" ' "$WORK/v.xml"
check junit-board grep -q '<property name="board" value="devebox-h750"/>' "$WORK/v.xml"
check junit-verdict grep -qE '<testcase name="verdict" classname="psramctl.verify" time="[0-9.]+"/>' "$WORK/v.xml"
if command -v xmllint >/dev/null; then
	check junit-well-formed xmllint --noout "$WORK/v.xml"
fi

ctl verify --help
check help-exit-0 [ "$CTL_RC" = 0 ]
check help-usage out_has '^usage: psramctl \[options\] verify'
check help-junit out_has '^  +--junit FILE'
ctl --sim verify --range 0:2
expect_ctl usage-range 2 '^psramctl: error: '
