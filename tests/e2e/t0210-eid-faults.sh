#!/bin/bash
# psramctl eid on boards that are not right: a failed die, the W25Q64 flash
# still fitted, no chip, open and stuck data lines. Each is exit 1 with the
# verdict as the one error line, and a broken line is never taken for a
# wrong chip: io0=open and io1=open name no chip at all.
. "$(dirname "$0")/lib-stub.sh"

psram_named='PSRAM of the AP Memory family|W25Q64|flash chip'

# kgd=fail: the die is marked failed.
ctl --sim --sim-fault kgd=fail eid
expect_ctl kgd-fail 1 'marked as a failed die \(KGD 0x55\)'
check kgd-fail-row out_has '^KGD +FAIL \(0x55\)$'
check kgd-fail-eid out_has '^EID +0d 55 '
ctl --sim --sim-fault kgd=fail --json eid
check kgd-fail-json out_has '"pass":false,"chip":"psram"'
check kgd-fail-json-kgd out_has '"kgd":"fail","kgd_byte":"0x55"'
check kgd-fail-json-fault out_has '"faults":\[\{"kind":"kgd-fail","eid":"0d55[0-9a-f]{12}"\}\]'
check kgd-fail-json-error out_has '^\{"type":"error","error":"test-failed",.*"exit":1\}$'

# The W25Q64 that was there before: EF 40 17 without the address.
ctl --sim --sim-chip w25q64 eid
expect_ctl w25q64 1 'a flash chip \(W25Q64, EF 40 17\) is still fitted$'
check w25q64-chip-row out_has '^Chip +a flash chip \(W25Q64, EF 40 17\) is still fitted$'
check w25q64-flash-id out_has '^Flash ID +ef 40 17 \(0x9F without address\): Winbond W25Q64$'
check w25q64-not-psram bash -c "! grep -q 'AP Memory' '$WORK/ctl.out'"
ctl --sim --sim-chip w25q64 --json eid
check w25q64-json out_has '"chip":"flash"'
check w25q64-json-flash out_has '"flash":\{"part":"W25Q64","maker":"Winbond","mbit":64\}'
check w25q64-json-fault out_has '\{"kind":"wrong-chip","id":"ef4017","name":"W25Q64"\}'

# Nothing fitted: every line only follows the MCU's pull.
ctl --sim --sim-chip absent eid
expect_ctl absent 1 '^psramctl: error: no chip answers \(bus reads all 1s\)'
check absent-eid-ones out_has '^EID +ff ff ff ff ff ff ff ff '
check absent-nothing-drives out_has '0xEB read: nothing drives IO0-IO3$'
ctl --sim --sim-chip absent --json eid
check absent-json out_has '"chip":"none".*"faults":\[\{"kind":"no-chip"\}\]'

# io1=open: the chip answers, but its SO never reaches the MCU; the other
# three lines show it is there.
ctl --sim --sim-fault io1=open eid
expect_ctl io1-open 1 '^psramctl: error: bus fault: .*IO1 only follows the MCU.s pull'
check io1-open-no-chip-name bash -c "! grep -qE '$psram_named' '$WORK/ctl.out' '$WORK/ctl.err'"
check io1-open-lines out_has 'the chip drives IO0, IO2, IO3; IO1 only follows the pull'
ctl --sim --sim-fault io1=open --json eid
check io1-open-json out_has '"chip":"bus-fault".*"floating":\[1\].*"faults":\[\{"kind":"io-open","line":1\}\]'

# io0=open: the chip hears noise instead of commands and never answers;
# that is "no chip answers", not a chip name.
ctl --sim --sim-fault io0=open eid
expect_ctl io0-open 1 '^psramctl: error: no chip answers \(bus reads all 1s\): .*IO0 not connected'
check io0-open-no-chip-name bash -c "! grep -qE '$psram_named' '$WORK/ctl.out' '$WORK/ctl.err'"
for seed in 2 3 4; do
	ctl --sim --sim-seed "$seed" --sim-fault io0=open --json eid
	check "io0-open-seed-$seed-not-named" bash -c "[ $CTL_RC = 1 ] && grep -q '\"chip\":\"none\"' '$WORK/ctl.out'"
done

# A PSRAM that identifies itself, on a board with a broken line.
ctl --sim --sim-fault io2=open eid
expect_ctl io2-open 1 'the PSRAM answers its ID, but IO2 is open'
ctl --sim --sim-fault io2=open --json eid
check io2-open-json out_has '"chip":"psram".*"faults":\[\{"kind":"io-open","line":2\}\]'
ctl --sim --sim-fault io3=stuck1 --json eid
check io3-stuck1-json out_has '"stuck_high":\[3\].*\{"kind":"io-stuck","line":3,"level":1\}'
ctl --sim --sim-fault io1=stuck0 eid
expect_ctl io1-stuck0 1 'bus fault: IO1 \(the chip.s SO\) is stuck low'
check io1-stuck0-no-chip-name bash -c "! grep -qE '$psram_named' '$WORK/ctl.out'"

# CE# or CLK not reaching the chip: nothing answers.
for f in cs=open clk=open; do
	ctl --sim --sim-fault "$f" eid
	expect_ctl "$f" 1 'no chip answers \(bus reads all 1s\)'
done
