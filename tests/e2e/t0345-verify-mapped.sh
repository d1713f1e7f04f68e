#!/bin/bash
# verify's mapped stage on the H7A3 catches what only memory-mapped access
# shows. A chip strict about its timings (psramsim timing=strict: a CE#
# that rises within tCHD of the last SCLK edge costs the data, ESPDS Table
# 10-5) passes every indirect stage, whose commands end after the hold
# time, but loses the writes of the window's bursts, which the timeout
# counter ends one CLK (14 ns at 70 MHz) after the last edge: verify names
# the mapped fault, in the configuration's words, and no joint or cell.
. "$(dirname "$0")/lib-verify.sh"

# The mapped bursts' short tCHD is what this test is about.
expect_guest_errors

SIM_ARGS="--sim-board devebox-h7a3" verify_with timing=strict
expect_verdict mapped-fault-only fail 1 \
	'\{"kind":"mapped","words":"CPU access through the memory-mapped window loses data \([0-9]+ wrong units\) while the same chip passes in indirect mode"' \
	'"check":"the controller or cache setup, not the joints'
check indirect-device-ok out_has '"stage":"device","result":"pass"'
check indirect-page-ok out_has '"stage":"page","result":"pass"'
check mapped-stage-fails out_has '"stage":"mapped","result":"fail"'
