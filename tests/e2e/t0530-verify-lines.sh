#!/bin/bash
# psramctl verify names every data-line fault of docs/psramsim-faults.md
# on every line: open (it follows the MCU's pulls), stuck at 0 and at 1,
# each pair bridged, and a CLK or CE# that never reaches the chip (nothing
# answers). The diagnosis comes from what the stub measured: the pins as
# GPIOs, the ID, which lines carry the chip's drive in QPI reads, and the
# data bus in SPI and QPI with each pull.
VERIFY_RANGE=0:4K
. "$(dirname "$0")/lib-verify.sh"

# Each run's output is kept: the checks further down read the same
# runs again rather than repeat them.
for n in 0 1 2 3; do
	verify_with "io$n=open"
	cp "$WORK/ctl.out" "$WORK/io$n-open.out"
	expect_verdict "io$n-open" fail 1 "\"faults\":\\[\\{\"kind\":\"io-open\",\"line\":$n,\"words\":\"IO$n \\(chip pin [0-9] [^\"]*\\) is open: it follows the MCU's pull-up and pull-down"
	for level in 0 1; do
		verify_with "io$n=stuck$level"
		cp "$WORK/ctl.out" "$WORK/io$n-stuck$level.out"
		expect_verdict "io$n-stuck$level" fail 1 "\"faults\":\\[\\{\"kind\":\"io-stuck\",\"line\":$n,\"level\":$level,"
	done
done

for pair in 0+1 0+2 0+3 1+2 1+3 2+3; do
	a=${pair%+*}
	b=${pair#*+}
	verify_with "io$a+io$b=short"
	expect_verdict "io$a-io$b-short" fail 1 "\"faults\":\\[\\{\"kind\":\"io-short\",\"lines\":\\[$a,$b\\],"
done

for sig in clk cs; do
	verify_with "$sig=open"
	expect_verdict "$sig-open-nothing-answers" fail 1 '"faults":\[\{"kind":"no-chip",'
done

# With IO2 or IO3 broken, SPI mode still reaches the whole array (the
# io2=open and io3=stuck1 runs above).
cp "$WORK/io2-open.out" "$WORK/ctl.out"
check io2-array-in-spi out_has '^\{"type":"stage","stage":"device","result":"pass",'
# The lines stage itself fails: IO2 never read against either pull.
check io2-lines-stage-fails out_has '^\{"type":"stage","stage":"lines","result":"fail",.*"note":"IO2 never carries the chip.s drive: against the pulls: .*IO2 0/0'
cp "$WORK/io3-stuck1.out" "$WORK/ctl.out"
check io3-array-in-spi out_has '^\{"type":"stage","stage":"device","result":"pass",'
# With IO1 stuck nothing can be read: said, not guessed (the io1=stuck0
# run above).
cp "$WORK/io1-stuck0.out" "$WORK/ctl.out"
check io1-untested out_has '"untested":"the chip cannot be read reliably'

# The text form says it in words, with what to check.
ctl --sim --sim-fault io2=open verify --range 0:4K --junit "$WORK/io2.xml"
check text-lines-fail out_has '^  lines +FAIL +IO2 never carries the chip.s drive'
check junit-lines-failure bash -c "grep -A1 '<testcase name=\"lines\"' '$WORK/io2.xml' | grep -q '<failure message=\"IO2 never carries the chip&apos;s drive'"
check text-words out_has '^  - IO2 \(chip pin 3 SIO2, MCU PE2\) is open: it follows the MCU'"'"'s pull-up and pull-down'
check text-check out_has '^    check: reflow chip pin 3 \(SIO2\) and the MCU pin PE2'
check text-fail bash -c "grep -qx 'verdict: FAIL' '$WORK/ctl.out'"
expect_ctl text-one-error 1 '^psramctl: error: verify: FAIL: IO2 '
