#!/bin/bash
# psramctl verify and the clock: a chip that corrupts every transfer above
# some clock (below the board's 50 MHz, between a 40 MHz test clock and
# the fastest in spec, and beyond spec, where verify does not go), one
# whose bursts across a 1 KB page fail above
# some clock, and random bit flips with no pattern.
. "$(dirname "$0")/lib-verify.sh"

verify_with fmax=20
expect_verdict fmax-below-board-clock fail 1 '"faults":\[\{"kind":"clock-limit","max_mhz":20\.000,"fail_mhz":22\.222,'
check fmax-tested-slower out_has '"stage":"slower clock","result":"fail",.*"note":"no mode carries data at 50 MHz; data pass at 20 MHz"'
check fmax-array-tested out_has '"stage":"device","result":"pass"'

# Above the test clock verify climbs only as far as the fitted part's
# datasheet allows with the QUADSPI's nCS framing: ESP-PSRAM64H, 50 MHz
# (tCHD 20 ns). A chip that fails at 66.7 MHz is in spec everywhere.
verify_with fmax=60
expect_verdict fmax-beyond-spec-passes pass 0
check fmax-beyond-spec-stage out_has '"stage":"clock","result":"pass",.*"note":"data and page crossing pass up to 50 MHz, the fastest in spec for ESP-PSRAM64H \(tCHD 20\.0 ns: the QUADSPI holds nCS one clock after the last edge\)"'
VERIFY_ARGS="--clock 40" verify_with fmax=45
expect_verdict fmax-above-test-clock fail 1 '"faults":\[\{"kind":"clock-limit","max_mhz":40\.000,"fail_mhz":50\.000,'

verify_with pagecross-max=40
expect_verdict page-cross fail 1 '"faults":\[\{"kind":"page-cross","max_mhz":40\.000,"fail_mhz":50\.000,'

verify_with flips=0.0001
expect_verdict flips fail 1 '"faults":\[\{"kind":"random-errors","rate":0\.0000[0-9]+,'
