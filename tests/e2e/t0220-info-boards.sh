#!/bin/bash
# psramctl info on each simulated board profile: the MCU, its flash, the
# board, and whether a PSRAM answers (the stub's eid check); --no-eid
# touches nothing. info describes: whatever is fitted it exits 0, and 3
# only when the check could not run.
. "$(dirname "$0")/lib-stub.sh"

family='64 Mbit PSRAM of the AP Memory family'

board_flash() { # KiB and as info prints it
	case $1 in
	devebox-h743) echo "2048 2 MiB" ;;
	*) echo "128 128 KiB" ;;
	esac
}

# The QUADSPI boards (the H7A3 board's OCTOSPI is checked below).
# The STM32H742/743/750/753 profiles; the STM32F7 ones are t0187's.
for board in $("$PSRAMSIM" --list-boards | awk '/STM32H7[45]/ {print $1}'); do
	read -r kib shown <<<"$(board_flash "$board")"
	ctl --sim --sim-board "$board" info
	check "$board-exit-0" [ "$CTL_RC" = 0 ]
	check "$board-mcu" out_has '^MCU +STM32H742/743/750/753 rev [A-Z] \(DEV_ID 0x450'
	check "$board-flash" out_has "^Flash +$shown at 0x08000000\$"
	check "$board-board" out_has "^Board +$board: "
	check "$board-wiring" out_has '^PSRAM wiring +QUADSPI at 0x52005000, mapped at 0x90000000$'
	check "$board-psram" out_has "^PSRAM +$family"
	check "$board-psram-eid" out_has '^ +0d 5d [0-9a-f]{2}( [0-9a-f]{2}){5} \(psramctl eid tells more\)$'
	check "$board-no-error" [ -z "$(ctl_messages)" ]
	ctl --sim --sim-board "$board" --json info
	check "$board-json-exit-0" [ "$CTL_RC" = 0 ]
	check "$board-json-one-line" [ "$(wc -l <"$WORK/ctl.out")" = 1 ]
	check "$board-json-psram" out_has '"psram":\{"checked":true,"pass":true,"chip":"psram",.*"density_mbit":64'
	check "$board-json-board" out_has "\"board\":\\{\"name\":\"$board\""
	check "$board-json-flash" out_has "\"flash\":\\{\"address\":\"0x08000000\",\"size\":$((kib * 1024))\\}"
done

# The H7A3 board: its MCU line, flash, OCTOSPI wiring and 280 MHz clocks.
ctl --sim --sim-board devebox-h7a3 info --no-eid
check h7a3-exit-0 [ "$CTL_RC" = 0 ]
check h7a3-mcu out_has '^MCU +STM32H7A3/B3/B0 rev A \(DEV_ID 0x480, REV_ID 0x1000\)'
check h7a3-flash out_has '^Flash +2 MiB at 0x08000000$'
check h7a3-wiring out_has '^PSRAM wiring +OCTOSPI at 0x52005000, mapped at 0x90000000$'
check h7a3-clocks out_has '^Clocks +CPU 280 MHz, OCTOSPI kernel 280 MHz, test clock 70 MHz'
check h7a3-no-error [ -z "$(ctl_messages)" ]

# What is fitted is reported, not judged: a flash still fitted or no chip
# is exit 0 for info.
ctl --sim --sim-chip w25q64 info
check w25q64-exit-0 [ "$CTL_RC" = 0 ]
check w25q64-psram-row out_has '^PSRAM +a flash chip \(W25Q64, EF 40 17\) is still fitted$'
ctl --sim --sim-chip absent --json info
check absent-exit-0 [ "$CTL_RC" = 0 ]
check absent-json out_has '"psram":\{"checked":true,"pass":false,"chip":"none"'

# --no-eid only reads: on an OpenOCD of our own, the firmware keeps running
# and the stub's RAM is not written.
start_board --board devebox-h750 || exit 1
ocd "write_memory 0x20000040 32 {0x12345678}" >/dev/null
ctl --connect "127.0.0.1:$TCL_PORT" --json info --no-eid
check no-eid-exit-0 [ "$CTL_RC" = 0 ]
check no-eid-json out_has '"psram":\{"checked":false\}'
check no-eid-state-as-found out_has '"target":\{"name":"stm32h7x.cpu0","state":"running"\}'
check no-eid-still-running [ "$(ocd 'stm32h7x.cpu0 curstate')" = running ]
check no-eid-ram-untouched [ "$(read_word 0x20000040)" = 0x12345678 ]
check no-eid-no-reset bash -c "! grep -q 'reset init' '$WORK/ctl.err'"
# Without it the check resets the MCU and leaves it halted at the stub's
# exit.
ctl --connect "127.0.0.1:$TCL_PORT" info
check eid-exit-0 [ "$CTL_RC" = 0 ]
check eid-halted [ "$(ocd 'stm32h7x.cpu0 curstate')" = halted ]
check eid-at-stub-exit [ "$(ocd 'dict get [get_reg -force pc] pc')" = 0x20000060 ]

# A stub that cannot run: info still says everything else, exits 3.
stub_patch "$WORK/udf.bin" $(($(stub_symbol cmd_eid) - 0x20000000)) 00 de
ctl --sim --stub "$WORK/udf.bin" info
expect_ctl stub-fault-exit-3 3 'eid: the stub crashed: UsageFault'
check stub-fault-info-shown out_has '^MCU +STM32H742/743/750/753'
check stub-fault-psram-row out_has '^PSRAM +not checked: the stub could not run \(stub-fault\)$'
expect_no_leftovers stub-fault-no-leftovers
ctl --sim --stub "$WORK/udf.bin" --json info
check stub-fault-json out_has '"psram":\{"checked":false,"error":"stub-fault"\}'
