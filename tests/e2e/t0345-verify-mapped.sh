#!/bin/bash
# verify's mapped stage on the H7A3 catches what only memory-mapped access
# shows, with the setup mapcheck recommends. The board's NCS net rises
# slowly (psramsim cs=slow:40: CE# reaches the chip's high level 40 ns
# after NCS rises, docs/psramsim-faults.md), so the chip sees each CE#
# high 40 ns shorter than the MCU makes it. Between indirect commands the
# stub keeps NCS high about 130 ns (modelled), over the chip's 50 ns tCPH
# even so, and every indirect stage passes; the window restarts a burst
# after only CSHT + 1 = 4 CLK cycles of NCS high (a REFRESH, a read after
# a write), 64 ns at 46.667 MHz (the board's 70 MHz brought within
# tCHD), 24 ns at the chip: it takes no command and
# the mapped stage loses data. verify names the mapped fault, in the
# configuration's words, and no joint or cell. The stage runs the
# recommended timeout and REFRESH (t0320 shows it passing on a sound
# board).
. "$(dirname "$0")/lib-verify.sh"

SIM_ARGS="--sim-board devebox-h7a3" verify_with cs=slow:40
expect_verdict mapped-fault-only fail 1 \
	'\{"kind":"mapped","words":"CPU access through the memory-mapped window loses data \([0-9]+ wrong units\) while the same chip passes in indirect mode"' \
	'"check":"the controller or cache setup, not the joints'
check indirect-device-ok out_has '"stage":"device","result":"pass"'
check indirect-page-ok out_has '"stage":"page","result":"pass"'
check mapped-stage-fails out_has '"stage":"mapped","result":"fail",.*with the recommended setup \(DQS on writes, timeout 1 cycles, REFRESH 327, CSBOUND 10 at 46\.7 MHz\): [1-9][0-9]* wrong units'

