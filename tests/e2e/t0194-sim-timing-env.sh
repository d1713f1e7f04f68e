#!/bin/bash
# PSRAMSIM_TIMING=strict holds every psramsim of an environment to the
# PSRAM's timing, those psramctl --sim starts too: at 66.7 MHz the QUADSPI
# raises nCS one clock (15 ns) after the last edge (RM0433 §23.3.16),
# under the ESP-PSRAM64H's 20 ns tCHD, and in strict timing the last byte
# of each write is lost, so margin's data test fails there; without it
# the same point passes. Any other value is refused.
. "$(dirname "$0")/lib-stub.sh"

PSRAMSIM_TIMING=bogus "$PSRAMSIM" --port 0 >"$WORK/bad.log" 2>&1
check bad-value-exit-2 [ $? = 2 ]
check bad-value-named grep -q "^psramsim: PSRAMSIM_TIMING='bogus': the only value is 'strict'$" "$WORK/bad.log"

PSRAMSIM_TIMING=strict start_sim --board devebox-h750 || exit 1
check strict-listed grep -q '^timing=strict$' "$WORK/sim.log"
kill "$SIM_PID" 2>/dev/null
wait "$SIM_PID" 2>/dev/null

# A clock the test asks for out of spec: psramsim reports its tCHD.
expect_guest_errors
PSRAMSIM_TIMING= ctl --sim margin --min 60 --max 67 --sample-shift off
check lenient-passes [ "$CTL_RC" = 0 ]
PSRAMSIM_TIMING=strict ctl --sim margin --min 60 --max 67 --sample-shift off
check strict-fails [ "$CTL_RC" = 1 ]
check strict-data-fail out_has '^ +66\.667 MHz +3 +FAIL data'
expect_no_leftovers no-leftovers
