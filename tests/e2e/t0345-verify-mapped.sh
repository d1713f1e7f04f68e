#!/bin/bash
# verify's mapped stage on the H7A3 catches what only memory-mapped access
# shows. At 20 MHz the core's stores come faster than QPI carries them, so
# the window's write bursts never pause: with the stage's settings (DQS on
# writes, timeout counter, CSBOUND 10, no REFRESH) nCS rises only at the
# 1 KiB page boundary, about 100 us later, far past the chip's 8 us tCEM.
# A chip that then loses data (psramsim tcem=strict) passes every indirect
# stage, whose bursts the stub cuts within tCEM, and fails the mapped one:
# verify names the mapped fault, in the configuration's words, and no joint
# or cell.
. "$(dirname "$0")/lib-verify.sh"

# The mapped bursts past tCEM are what this test is about.
expect_guest_errors

SIM_ARGS="--sim-board devebox-h7a3" VERIFY_ARGS="--clock 20" \
	verify_with tcem=strict
expect_verdict mapped-fault-only fail 1 \
	'\{"kind":"mapped","words":"CPU access through the memory-mapped window loses data \([0-9]+ wrong units\) while the same chip passes in indirect mode"' \
	'"check":"the controller or cache setup, not the joints'
check indirect-device-ok out_has '"stage":"device","result":"pass"'
check indirect-page-ok out_has '"stage":"page","result":"pass"'
check mapped-stage-fails out_has '"stage":"mapped","result":"fail"'
