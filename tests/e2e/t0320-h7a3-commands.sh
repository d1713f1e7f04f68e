#!/bin/bash
# Every psramctl command on the simulated DEVEBOX with an STM32H7A3: the
# stub's OCTOSPI transport behind the same operations as the QUADSPI one.
# info, eid, memtest, verify (clean and with a diagnosed wire fault),
# bench, margin and flash; ranges kept small.
. "$(dirname "$0")/lib-stub.sh"

# The board file's 70 MHz is above what the ESP-PSRAM64H's 20 ns tCHD
# allows against the OCTOSPI's one clock of nCS hold (RM0455 "NCS
# behavior", ESPDS Table 10-5): psramctl runs the board at 46.667 MHz
# (280 / 6), the fastest in spec.

B=(--sim --sim-board devebox-h7a3)

ctl "${B[@]}" --json info
check info-exit-0 [ "$CTL_RC" = 0 ]
check info-psram-checked out_has '"psram":\{"checked":true,"pass":true,"chip":"psram"'

ctl "${B[@]}" eid
check eid-exit-0 [ "$CTL_RC" = 0 ]
check eid-maker out_has '^Maker +0x0d'
check eid-kgd out_has '^KGD +pass \(0x5d\)'

ctl "${B[@]}" --json memtest --range 0x3ff000:8K --width 8,16,32
check memtest-exit-0 [ "$CTL_RC" = 0 ]
check memtest-pass out_has '"verdict":"pass","board":"devebox-h7a3"'
check memtest-octospi-clock out_has '"clock_hz":46666666'

ctl "${B[@]}" verify --range 0:16K
check verify-exit-0 [ "$CTL_RC" = 0 ]
check verify-pass out_has '^verdict: PASS'
# On the OCTOSPI board verify also goes through the window with the
# recommended memory-mapped settings.
check verify-mapped-stage out_has '^  mapped +ok +CPU loads and stores through the window at 0x90000000'
ctl "${B[@]}" --sim-fault io2=open verify --range 0:4K
check verify-io2-fails [ "$CTL_RC" = 1 ]
check verify-io2-named out_has 'IO2'

ctl "${B[@]}" --json bench --sizes 64,1024
check bench-exit-0 [ "$CTL_RC" = 0 ]
check bench-octospi out_has '"clock_hz":46666666'

# Up to 70 MHz only when asked, out of spec: psramsim reports the tCHD
# those clocks break, and in strict timing (tests/e2e/lib.sh) the chip
# loses the last byte of each write there.
expect_guest_errors
ctl "${B[@]}" margin --min 40 --max 70
end_guest_errors
check margin-exit-1 [ "$CTL_RC" = 1 ]
check margin-70-fail out_has '^ +70\.000 MHz +4 +FAIL data'
check margin-in-spec-passes out_has '^Highest clock passing: 46\.667 MHz\.$'

"$TOP/tests/progs/fw/build" "$WORK/fw" 0x3a >/dev/null ||
	{ fail build-firmware "tests/progs/fw/build failed"; exit 1; }
ctl "${B[@]}" flash "$WORK/fw/fw.elf"
check flash-exit-0 [ "$CTL_RC" = 0 ]
check no-leftovers-after-flash expect_no_leftovers flash-no-leftovers
