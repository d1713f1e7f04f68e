#!/bin/bash
# psramctl flash refuses what it cannot or must not write, each time with
# one error line, exit status 2, and without a single write to FLASH_CR
# (psramsim --stats counts them): too large, outside the flash, data for
# the QSPI window, truncated or damaged HEX/ELF/DfuSe, empty images,
# unreadable files, file names with Tcl metacharacters.
. "$(dirname "$0")/lib.sh"

FW=$WORK/fw
"$TOP/tests/progs/fw/build" "$FW" 7 >/dev/null || { fail build-firmware "tests/progs/fw/build failed"; exit 1; }
CROSS=${CROSS:-arm-none-eabi-}
D=$WORK/bad
mkdir -p "$D"

# Too large, outside the flash.
head -c $((129 * 1024)) /dev/urandom >"$D/too-large.bin"
"${CROSS}objcopy" -I binary -O ihex --change-addresses 0x20000000 "$FW/fw.bin" "$D/in-ram.hex"
# Data for the QSPI window: a DfuSe file as MicroPython's XIP builds make
# (flash part and QSPI part), the same as Intel HEX, an ELF with a QSPI
# section.
head -c 4096 /dev/urandom >"$D/qspi-part.bin"
"$TOP/scripts/mkdfu" -o "$D/xip.dfu" "0x08000000:$FW/fw.bin" "0x90000000:$D/qspi-part.bin"
"${CROSS}objcopy" -I binary -O ihex --change-addresses 0x90000000 "$D/qspi-part.bin" "$D/qspi.hex"
printf '\t.section .qspi,"a"\n\t.word 1, 2, 3, 4\n' >"$D/qspi.s"
"${CROSS}gcc" -mcpu=cortex-m7 -mthumb -nostdlib -nostartfiles -T "$TOP/tests/progs/fw/fw.ld" \
	"$TOP/tests/progs/fw/fw.c" "$D/qspi.s" -Wl,--section-start=.qspi=0x90000000 -o "$D/xip.elf"
# Truncated and damaged files.
head -n 3 "$FW/fw.hex" >"$D/truncated.hex"
awk 'NR == 2 { c = substr($0, 10, 1); $0 = substr($0, 1, 9) (c == "0" ? "1" : "0") substr($0, 11) } { print }' \
	"$FW/fw.hex" >"$D/bad-checksum.hex"
head -c 300 "$FW/fw.elf" >"$D/truncated.elf"
cp "$FW/fw.elf" "$D/not-arm.elf"
printf '\076\000' | dd of="$D/not-arm.elf" bs=1 seek=18 conv=notrunc status=none
size=$(stat -c %s "$FW/fw.dfu")
head -c $((size - 20)) "$FW/fw.dfu" >"$D/truncated.dfu"
cp "$FW/fw.dfu" "$D/bad-crc.dfu"
printf '\252' | dd of="$D/bad-crc.dfu" bs=1 seek=300 conv=notrunc status=none
# Empty images, unreadable files, a hostile name.
: >"$D/empty.bin"
echo ":00000001FF" >"$D/eof-only.hex"
cp "$FW/fw.bin" "$D/fw[exit].bin"
cp "$FW/fw.bin" "$D/fw\$x.bin"

start_sim --board devebox-h750 --stats || exit 1
start_openocd || exit 1
flash() { "$PSRAMCTL" --connect "127.0.0.1:$TCL_PORT" flash "$@"; }

# refused NAME REGEX ARGS...: exit 2, one error line matching REGEX.
refused() {
	local name=$1 re=$2
	shift 2
	expect_exit 2 "$name" flash "$@"
	check "$name-one-line" [ "$(grep -c 'psramctl: error:' "$WORK/out")" = 1 ]
	check "$name-says-why" grep -qE "psramctl: error: .*$re" "$WORK/out"
	check "$name-nothing-planned" bash -c "! grep -q '^program ' '$WORK/out'"
}

refused too-large "does not fit: its data for 0x08000000-0x080203ff runs past the internal flash" "$D/too-large.bin"
refused outside-flash-bin "0x24000000-0x240000af, outside the internal flash of every MCU" --address 0x24000000 "$FW/fw.bin"
refused outside-flash-hex "0x20000000-0x200000af, outside the internal flash" "$D/in-ram.hex"
refused qspi-dfu "QSPI memory window: on this board the QSPI chip is a PSRAM" "$D/xip.dfu"
refused qspi-hex "0x90000000-0x90000fff, in the QSPI memory window" "$D/qspi.hex"
refused qspi-elf "0x90000000-0x9000000f, in the QSPI memory window" "$D/xip.elf"
refused truncated-hex "no end-of-file record .*truncated" "$D/truncated.hex"
refused bad-checksum-hex "line 2: bad checksum" "$D/bad-checksum.hex"
refused truncated-elf "truncated" "$D/truncated.elf"
refused not-arm-elf "not ARM" "$D/not-arm.elf"
refused truncated-dfu "no DFU suffix .*truncated" "$D/truncated.dfu"
refused bad-crc-dfu "bad CRC" "$D/bad-crc.dfu"
refused empty-file "empty" "$D/empty.bin"
refused eof-only-hex "no data" "$D/eof-only.hex"
refused missing-file "cannot open it: No such file" "$D/nonesuch.bin"
refused directory "not a regular file" "$D"
refused tcl-brackets "Tcl metacharacters" "$D/fw[exit].bin"
refused tcl-dollar "Tcl metacharacters" "$D/fw\$x.bin"
refused address-on-hex "carries its own addresses" --address 0x08000000 "$FW/fw.hex"
refused bad-address "invalid value '0x1zz' for --address" --address 0x1zz "$FW/fw.bin"
refused no-file "takes one FILE"
refused two-files "takes one FILE" "$FW/fw.bin" "$FW/fw.hex"
# A dry run plans and touches nothing.
expect_exit 0 dry-run flash --dry-run "$FW/fw.elf"
check dry-run-plan grep -q "^erase .*sector 0" "$WORK/out"
check dry-run-says-so grep -q "dry run: nothing was written" "$WORK/out"

check factory-program-intact [ "$(read_word 0x08000000)" = "0x20020000" ]
stop_board
check no-flash-cr-write grep -q "flash_cr_writes=0 " "$WORK/sim.log"
