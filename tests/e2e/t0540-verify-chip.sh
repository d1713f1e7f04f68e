#!/bin/bash
# psramctl verify on the chip itself: none fitted, the old W25Q64 flash
# still there, a die its maker marked as failed. The JUnit report carries
# the failure.
. "$(dirname "$0")/lib-verify.sh"

verify_with chip=absent
expect_verdict no-chip fail 1 '"faults":\[\{"kind":"no-chip","words":"no chip answers on the bus' \
	'"untested":"nothing else can be tested without a chip that answers"'
check no-chip-no-array out_has '"stage":"mode","result":"skip"'

verify_with chip=w25q64
expect_verdict w25q64 fail 1 '"faults":\[\{"kind":"wrong-chip","id":"ef4017","words":"the old W25Q64 flash is still fitted \(JEDEC ID EF 40 17\)"'
check w25q64-nothing-written bash -c "! grep -q '\"stage\":\"device\"' '$WORK/ctl.out'"

verify_with kgd=fail
expect_verdict kgd-fail fail 1 '"faults":\[\{"kind":"kgd-fail","eid":"0d55[0-9a-f]{12}","words":"the chip reports a failed known-good-die byte \(KGD 0x55'
check kgd-array-tested out_has '"stage":"device","result":"pass"'

ctl --sim --sim-fault chip=w25q64 verify --range 0:16K --junit "$WORK/v.xml"
check text-words out_has '^  - the old W25Q64 flash is still fitted'
check junit-failure grep -q '<failure message="the old W25Q64 flash is still fitted (JEDEC ID EF 40 17)" type="fail">wrong-chip: ' "$WORK/v.xml"
check junit-skipped grep -q '<skipped message="a flash chip answers: nothing is written to it"/>' "$WORK/v.xml"
check junit-counts grep -qE '^<testsuites name="psramctl verify" tests="[0-9]+" failures="2" errors="0" skipped="1" ' "$WORK/v.xml"
