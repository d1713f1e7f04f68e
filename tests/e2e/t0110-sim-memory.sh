#!/bin/bash
# Memory access through OpenOCD at every width, over every kind of region,
# and load_image/verify_image of a 64 KiB image.
. "$(dirname "$0")/lib.sh"

start_board --board devebox-h750 || exit 1
ocd "halt" >/dev/null

for region in 0x20004000:DTCM 0x24001000:AXI 0x30000100:SRAM1 0x38000000:SRAM4 0x00000400:ITCM 0x38800000:backup; do
	addr=${region%%:*}
	name=${region##*:}
	ocd "write_memory $addr 32 {0x11223344 0x55667788}" >/dev/null
	check "rw32-$name" [ "$(ocd "read_memory $addr 32 2")" = "0x11223344 0x55667788" ]
	check "read8-$name" [ "$(ocd "read_memory $addr 8 4")" = "0x44 0x33 0x22 0x11" ]
	check "read16-$name" [ "$(ocd "read_memory $addr 16 2")" = "0x3344 0x1122" ]
	ocd "write_memory [expr {$addr + 1}] 8 {0xaa 0xbb}" >/dev/null
	check "write8-unaligned-$name" [ "$(read_word $addr)" = "0x11bbaa44" ]
	ocd "write_memory [expr {$addr + 2}] 16 {0xcdef}" >/dev/null
	check "write16-$name" [ "$(read_word $addr)" = "0xcdefaa44" ]
done

out=$(ocd "mww 0x24000010 0xdeadbeef" "mwh 0x24000014 0x1234" "mwb 0x24000016 0x56" "mdw 0x24000010 2" "mdh 0x24000014 1" "mdb 0x24000016 1")
check md-mw-commands bash -c "grep -q '0x24000010: deadbeef 00561234' <<<'$out' && grep -q '0x24000014: 1234' <<<'$out' && grep -q '0x24000016: 56' <<<'$out'"

check flash-reads [ "$(read_word 0x08000000)" = "0x20020000" ]
expect_guest_errors # a plain write to flash is refused (PGSERR)
check flash-not-writable-by-debugger bash -c "! tclsh $TOP/tests/e2e/ocd-rpc.tcl $TCL_PORT 'write_memory 0x08000000 32 {0}' >/dev/null 2>&1"
end_guest_errors
check unmapped-read-fails bash -c "tclsh $TOP/tests/e2e/ocd-rpc.tcl $TCL_PORT 'read_memory 0x60000000 32 1' | grep -q 'ERROR'"
# After the bus error the DAP is usable again (STICKYERR was cleared).
check access-after-error [ "$(read_word 0x24000010)" = "0xdeadbeef" ]
check peripheral-read [ "$(read_word 0x52002000)" = "0x37" ]

head -c 65536 /dev/urandom > "$WORK/img.bin"
out=$(ocd "load_image $WORK/img.bin 0x24010000 bin")
check load-image-64k bash -c "grep -q '65536 bytes written at address 0x24010000' <<<'$out'"
out=$(ocd "verify_image $WORK/img.bin 0x24010000 bin")
check verify-image-64k bash -c "grep -q 'verified 65536 bytes' <<<'$out'"
ocd "dump_image $WORK/back.bin 0x24010000 65536" >/dev/null
check dump-image-identical cmp -s "$WORK/img.bin" "$WORK/back.bin"
# A corrupted word must be noticed by verify_image.
ocd "write_memory 0x24018000 32 {0}" >/dev/null
check verify-image-detects-change bash -c "tclsh $TOP/tests/e2e/ocd-rpc.tcl $TCL_PORT 'verify_image $WORK/img.bin 0x24010000 bin' | grep -qi 'diff\|mismatch\|ERROR'"
