#!/bin/bash
# psramsim's embedded-flash controller against OpenOCD's own stm32h7x
# driver: `program ... verify reset` erases, programs through the RAM
# loader while the core runs, verifies with the CRC algorithm, and after
# the reset the firmware runs from flash. The flash survives resets,
# debugger reconnects and power cycles (--flash-image, written through).
. "$(dirname "$0")/lib.sh"

FW=$WORK/fw
"$TOP/tests/progs/fw/build" "$FW" 0x11 >/dev/null && "$TOP/tests/progs/fw/build" "$WORK/fw2" 0x22 >/dev/null ||
	{ fail build-firmware "tests/progs/fw/build failed"; exit 1; }

signature() { ocd "read_memory 0x38000000 32 5"; }
# OpenOCD's own complaints, less the note every `program` of a partial
# sector prints.
complaints() { openocd_complaints | grep -v "Adding extra erase range" || true; }

start_sim --board devebox-h750 --stats --flash-image "$WORK/h750.img" || exit 1
start_openocd || exit 1
check image-created-at-flash-size [ "$(stat -c %s "$WORK/h750.img")" = 131072 ]
ocd "program $FW/fw.elf verify reset" >/dev/null
check program-verify-reset grep -q "Verified OK" "$WORK/openocd.log"
sleep 0.2
sig=$(signature)
check firmware-runs-after-reset contains "$sig" "^0x464c5348 0x600dda7a 0x0 0x11 0x800"
check no-openocd-complaints [ -z "$(complaints)" ]
# A reset runs it again; the flash kept its contents.
ocd "write_memory 0x38000000 32 {0}" "reset run" >/dev/null
sleep 0.2
check survives-reset contains "$(signature)" "^0x464c5348 .* 0x11 "

# The controller as a halted debugger sees it (RM0433 §4.3.10): keys
# unlock CR, a sector erase keeps QW/BSY up for a while, then EOP.
ocd "reset halt" "mww 0x52002004 0x45670123" "mww 0x52002004 0xcdef89ab" >/dev/null
check unlocked [ "$(read_word 0x5200200c)" = "0x30" ]
ocd "mww 0x5200200c 0x34" "mww 0x5200200c 0xb4" >/dev/null
check erase-busy [ "$(read_word 0x52002010)" = "0x5" ]
polls=$(ocd 'set n 0; while {[read_memory 0x52002010 32 1] != 0x10000 && $n < 20000} {incr n}; set n')
check erase-ends-with-eop [ "$(read_word 0x52002010)" = "0x10000" ]
# 1 s at x64 (DS12110), each poll several DAP transactions of 312 us.
check erase-takes-polls [ "$polls" -gt 100 -a "$polls" -lt 5000 ]
check erased-reads-ff [ "$(read_word 0x08000000)" = "0xffffffff" ]
ocd "mww 0x52002014 0x10000" "mww 0x5200200c 1" >/dev/null
check locked-again [ "$(read_word 0x5200200c)" = "0x35" ]
# Writing flash without PG is refused with a bus error and PGSERR.
expect_guest_errors # a plain write to flash is refused (PGSERR)
check write-without-pg-fails bash -c "tclsh '$TOP/tests/e2e/ocd-rpc.tcl' $TCL_PORT 'write_memory 0x08000000 32 {0}' | grep -q ERROR"
end_guest_errors
check pgserr-set [ "$(read_word 0x52002010)" = "0x40000" ]

# Reprogram, then stop psramsim with SIGTERM: the stats count FLASH_CR.
ocd "program $FW/fw.bin 0x08000000 verify reset" >/dev/null
stop_board
check flash-cr-writes-counted grep -qE "flash_cr_writes=[1-9]" "$WORK/sim.log"

# Power cycle: a new psramsim on the same image boots the firmware with no
# debugger action at all.
start_sim --board devebox-h750 --flash-image "$WORK/h750.img" || exit 1
start_openocd || exit 1
check power-cycle-keeps-firmware contains "$(signature)" "^0x464c5348 .* 0x11 "
# Program another build and kill -9 psramsim: nothing programmed is lost.
ocd "program $WORK/fw2/fw.hex verify reset" >/dev/null
kill -9 "$SIM_PID"
wait "$SIM_PID" 2>/dev/null
ocd "shutdown" >/dev/null 2>&1
wait "$OCD_PID" 2>/dev/null
start_sim --board devebox-h750 --flash-image "$WORK/h750.img" || exit 1
start_openocd || exit 1
check kill-9-loses-nothing contains "$(signature)" "^0x464c5348 .* 0x22 "
stop_board

# H743: two banks; an image across the bank boundary goes through both
# controllers (0x52002000 and 0x52002100).
head -c 32768 /dev/urandom >"$WORK/cross.bin"
SIM_BOARD_CFG=$TOP/cfg/boards/sim-devebox-h743.cfg
start_sim --board devebox-h743 || exit 1
start_openocd || exit 1
ocd "program $WORK/cross.bin 0x080fc000 verify" >/dev/null
check program-across-banks grep -q "Verified OK" "$WORK/openocd.log"
ocd "halt" "dump_image $WORK/back.bin 0x080fc000 32768" >/dev/null
check across-banks-readback cmp -s "$WORK/cross.bin" "$WORK/back.bin"
check bank2-locked-after [ $(($(read_word 0x5200210c) & 1)) = 1 ]
check no-openocd-complaints-h743 [ -z "$(complaints)" ]
stop_board

# Bad --flash-image files are refused in one line.
head -c 1000 /dev/zero >"$WORK/short.img"
expect_exit 2 flash-image-wrong-size "$PSRAMSIM" --board devebox-h750 --port 0 --flash-image "$WORK/short.img"
check flash-image-wrong-size-says-why grep -q "holds 1000 bytes, but this board's flash has 131072" "$WORK/out"
expect_exit 2 flash-image-directory "$PSRAMSIM" --board devebox-h750 --port 0 --flash-image "$WORK"
expect_exit 2 flash-fail-beyond-flash "$PSRAMSIM" --board devebox-h750 --port 0 --fault flash-fail=3
check flash-fail-beyond-flash-says-why grep -q "flash sectors 0-0" "$WORK/out"
