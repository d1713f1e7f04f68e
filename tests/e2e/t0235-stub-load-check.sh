#!/bin/bash
# A stub load the debug link corrupts is refused, never run: psramctl
# reads back only the code below STUB_BOOT_END and the stub checks the
# CRC-32 of the rest before it runs any of it (stub_abi.h entry contract).
# The corruption is a real one on the real link: the OpenOCD at --connect
# has its write_memory wrapped so that one bit of the image is flipped on
# its way to psramsim's RAM.
. "$(dirname "$0")/lib-stub.sh"

# The check runs before anything else in the image is known good, so it
# may reach nothing outside itself: in every image, each branch and
# literal of stub_load_check stays inside stub_load_check.
for elf in "$BUILD"/stub/stub*.elf; do
	refs=$(arm-none-eabi-objdump -d --disassemble=stub_load_check "$elf" |
		grep -oE '<[^>+]+' | tr -d '<' | sort -u | tr '\n' ' ')
	check "$(basename "$elf" .elf)-check-self-contained" [ "$refs" = "stub_load_check " ]
done

start_board || exit 1
c=(--connect "127.0.0.1:$TCL_PORT")

# flip_word N: from now on, word N of every image psramctl writes at
# 0x20000000 reaches the target with bit 8 inverted.
flip_word() {
	ocd "proc write_memory {addr width data} {
		if {\$addr == 0x20000000 && \$width == 32 && [llength \$data] > $1} {
			lset data $1 [expr {[lindex \$data $1] ^ 0x100}]
		}
		psram_write_memory \$addr \$width \$data
	}" >/dev/null
}
step wrap ocd "rename write_memory psram_write_memory" || exit 1

# Beyond STUB_BOOT_END (word 1000 = byte 0xfa0): the stub computes the
# CRC, finds it is not the host's, and stops at its exit having run none
# of the eid command (status image-crc, ring empty).
flip_word 1000
ctl "${c[@]}" eid
expect_ctl crc-refused 3 "^psramctl: error: eid: the stub image did not arrive intact, the stub refused to run it: the image in the target's RAM has CRC-32 0x[0-9a-f]{8}, the one psramctl loaded 0x[0-9a-f]{8} \\([0-9]+ bytes at 0x20000000"
check crc-no-result [ ! -s "$WORK/ctl.out" ]
check crc-status-word [ "$(read_word 0x20008018)" = 0xe ]
check crc-ring-empty [ "$(read_word 0x2000819c)" = 0x0 ]
check crc-at-exit [ "$(ocd 'dict get [get_reg -force pc] pc')" = 0x20000060 ]
ctl "${c[@]}" --json eid
check crc-json out_has '^\{"type":"error","error":"verify","message":"eid: the stub image did not arrive intact.*","exit":3\}$'
# The image with every command (memtest) is checked the same way.
ctl "${c[@]}" memtest --range 0:4K --tests device
expect_ctl crc-refused-memtest 3 "memtest: the stub image did not arrive intact"

# Inside STUB_BOOT_END (word 100 = byte 0x190, the image check's own
# code): psramctl's read-back finds it before anything starts.
flip_word 100
ctl "${c[@]}" eid
expect_ctl boot-refused 3 "^psramctl: error: cannot load stub 'built-in eid \\(QUADSPI\\)' at 0x20000000: 0x20000191 reads 0x[0-9a-f]{2} after writing 0x[0-9a-f]{2}$"
check boot-not-started bash -c "! grep -q '^stub: eid started' '$WORK/ctl.err'"

# The link mended, the same board passes: nothing was left half-done.
step unwrap ocd "rename write_memory {}" "rename psram_write_memory write_memory" || exit 1
ctl "${c[@]}" eid
check intact-passes [ "$CTL_RC" = 0 ]
check intact-pass-line out_has '^Result +PASS$'
