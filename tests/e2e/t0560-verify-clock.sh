#!/bin/bash
# psramctl verify and the clock: a chip that corrupts every transfer above
# some clock (below the board's 50 MHz, and between it and the fastest the
# family is rated for), one whose bursts across a 1 KB page fail above
# some clock, and random bit flips with no pattern.
. "$(dirname "$0")/lib-verify.sh"

verify_with fmax=20
expect_verdict fmax-below-board-clock fail 1 '"faults":\[\{"kind":"clock-limit","max_mhz":20\.000,"fail_mhz":22\.222,'
check fmax-tested-slower out_has '"stage":"slower clock","result":"fail",.*"note":"no mode carries data at 50 MHz; data pass at 20 MHz"'
check fmax-array-tested out_has '"stage":"device","result":"pass"'

verify_with fmax=60
expect_verdict fmax-above-board-clock fail 1 '"faults":\[\{"kind":"clock-limit","max_mhz":50\.000,"fail_mhz":66\.667,'

verify_with pagecross-max=40
expect_verdict page-cross fail 1 '"faults":\[\{"kind":"page-cross","max_mhz":40\.000,"fail_mhz":50\.000,'

verify_with flips=0.0001
expect_verdict flips fail 1 '"faults":\[\{"kind":"random-errors","rate":0\.0000[0-9]+,'
