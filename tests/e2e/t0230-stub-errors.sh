#!/bin/bash
# The stub runner's failures, each from a deliberately broken stub image
# (--stub FILE, patched from the real stub.bin): a fault, a stub that never
# reaches its BKPT, a halt somewhere else, an ABI mismatch seen by the host
# and one seen by the stub, and Ctrl-C. Each ends within its deadline with
# one error line and exit 3 (130 for Ctrl-C), leaves the core halted, and
# leaves no process behind.
. "$(dirname "$0")/lib-stub.sh"

entry=0x64 # STUB_ENTRY_ADDR - STUB_LOAD_ADDR

# A fault in the stub's eid command: UDF (0xDE00) over its first
# instruction. The stub's own handler reports it in the mailbox.
eid_at=$(stub_symbol cmd_eid)
stub_patch "$WORK/udf.bin" $((eid_at - 0x20000000)) 00 de
ctl --sim --stub "$WORK/udf.bin" eid
expect_ctl fault 3 "eid: the stub crashed: UsageFault at $eid_at \\(in the stub, cmd_eid\\+0x0\\): undefined instruction \\(UNDEFINSTR\\); CFSR 0x00010000" 15
expect_no_leftovers fault-no-leftovers
ctl --sim --stub "$WORK/udf.bin" --json eid
check fault-json out_has '^\{"type":"error","error":"stub-fault","message":"eid: the stub crashed: UsageFault.*","exit":3\}$'

# Never reaches its BKPT: `b .` (0xE7FE) at the entry. psramctl halts it
# at the deadline and says where.
stub_patch "$WORK/loop.bin" $entry fe e7
ctl --sim --stub "$WORK/loop.bin" eid --timeout 1000
expect_ctl never-bkpt 3 'eid: the stub did not finish within 1.0 s \(it never reached its C code\); halted it at 0x20000064 \(the stub.s entry\)' 10
expect_no_leftovers never-bkpt-no-leftovers
check never-bkpt-json-name bash -c "'$PSRAMCTL' --sim --stub '$WORK/loop.bin' --json eid --timeout 500 2>/dev/null | grep -q '\"error\":\"stub-timeout\"'"

# Halted elsewhere: BKPT #1 (0xBE01) at the entry instead of the exit.
stub_patch "$WORK/bkpt.bin" $entry 01 be
ctl --sim --stub "$WORK/bkpt.bin" eid
expect_ctl halted-elsewhere 3 'eid: the core halted at 0x20000064 \(the stub.s entry\) before the stub reported a result' 15
expect_no_leftovers halted-elsewhere-no-leftovers

# ABI mismatch in the image header: refused before anything starts.
next=$((STUB_ABI + 1))
stub_patch "$WORK/abi-next-header.bin" 0x44 "$(printf %02x $next)"
ctl --sim --stub "$WORK/abi-next-header.bin" eid
expect_ctl abi-header 3 "stub '.*abi-next-header.bin' speaks stub ABI version $next, psramctl speaks version $STUB_ABI" 2
check abi-header-nothing-started bash -c "! grep -qE '^starting ' '$WORK/ctl.err'"

# ABI mismatch seen by the stub: an entry that announces the next ABI
# version and refuses, as a stub built from another stub_abi.h would.
sed "s/NEXT/$next/" >"$WORK/abi-next.S" <<'EOF'
	.syntax unified
	.thumb
	ldr r1, =0x584d5350	/* magic "PSMX" */
	str r1, [r0, #0x00]
	movs r1, #NEXT		/* stub_abi_version */
	str r1, [r0, #0x04]
	ldr r1, [r0, #0x08]	/* detail_a = host_abi_version */
	str r1, [r0, #0x20]
	movs r1, #NEXT		/* detail_b = its own version */
	str r1, [r0, #0x24]
	ldr r1, [r0, #0x10]	/* seq_done = seq */
	str r1, [r0, #0x14]
	dmb
	movs r1, #6		/* status = STUB_STATUS_ABI_MISMATCH */
	str r1, [r0, #0x18]
	dmb
	ldr r1, =0x20000061	/* the exit BKPT */
	bx r1
	.ltorg
EOF
stub_patch_asm "$WORK/abi-next-stub.bin" $entry "$WORK/abi-next.S"
ctl --sim --stub "$WORK/abi-next-stub.bin" eid
expect_ctl abi-stub 3 "eid: the stub refused to run: it speaks stub ABI version $next, psramctl speaks version $STUB_ABI" 15
ctl --sim --stub "$WORK/abi-next-stub.bin" --json eid
check abi-stub-json out_has '"error":"stub-abi"'

# The real stub refuses a host of another ABI version: status
# abi-mismatch with both versions, ending at its exit BKPT.
start_board --board devebox-h750 || exit 1
run_raw() { # run_raw R1 R2: the stub with host ABI 99, image size and CRC
	ocd "reset init" "load_image $STUB_BIN 0x20000000 bin" \
		"write_memory 0x20008008 32 {99 1 0x5eed 0 0}" \
		"write_memory 0x20008028 32 {0}" "write_memory 0x20008034 32 {4}" \
		"set_reg {sp 0x20020000 pc 0x20000064 r0 0x20008000 r1 $1 r2 $2 xPSR 0x01000000}" \
		"resume 0x20000064" "wait_halt 2000" >/dev/null
}
stub_size=$(stat -c %s "$STUB_BIN")
stub_crc=$(image_crc "$STUB_BIN")
run_raw "$stub_size" "$stub_crc"
check stub-refuses-at-exit [ "$(ocd 'dict get [get_reg -force pc] pc')" = 0x20000060 ]
# magic, stub ABI, host ABI, command, seq, seq_done, status, detail, a, b
abi_hex=$(printf 0x%x "$STUB_ABI")
check stub-refuses-status [ "$(ocd 'read_memory 0x20008000 32 10')" = "0x584d5350 $abi_hex 0x63 0x1 0x5eed 0x5eed 0x6 0x0 0x63 $abi_hex" ]
# Before that, the image check: the wrong CRC ends in image-crc (14) with
# the CRC it computed and the one it was given, the wrong size in
# bad-params (5) image-size (0x111); neither runs the command.
run_raw "$stub_size" 0x1234
check stub-image-crc [ "$(ocd 'read_memory 0x20008000 32 10')" = "0x584d5350 $abi_hex 0x63 0x1 0x5eed 0x5eed 0xe 0x0 $stub_crc 0x1234" ]
run_raw 0x10 "$stub_crc"
check stub-image-size [ "$(ocd 'read_memory 0x20008000 32 10')" = "0x584d5350 $abi_hex 0x63 0x1 0x5eed 0x5eed 0x5 0x111 0x10 0x0" ]
check stub-image-check-at-exit [ "$(ocd 'dict get [get_reg -force pc] pc')" = 0x20000060 ]

# Ctrl-C while a stub runs: psramctl sets the stop word, waits a moment,
# halts the core, exits 130; the board is left halted.
ctl_bg() {
	: >"$WORK/ctl.err" # before the child starts: no old "started" line
	"$PSRAMCTL" -v "$@" >"$WORK/ctl.out" 2>"$WORK/ctl.err" &
	CTL_PID=$!
	for _ in $(seq 1 200); do
		grep -q '^stub: eid started' "$WORK/ctl.err" && return 0
		sleep 0.05
	done
	return 1
}
ctl_bg --connect "127.0.0.1:$TCL_PORT" --stub "$WORK/loop.bin" eid --timeout 30000
sleep 0.3
t0=$(date +%s%N)
kill -INT "$CTL_PID"
wait "$CTL_PID"
CTL_RC=$?
CTL_SECS=$(echo "scale=2; ($(date +%s%N) - $t0) / 1000000000" | bc)
expect_ctl ctrl-c 130 '^psramctl: error: interrupted$' 3
check ctrl-c-stop-word [ "$(read_word 0x20008028)" = 0x1 ]
check ctrl-c-halted [ "$(ocd 'stm32h7x.cpu0 curstate')" = halted ]
check ctrl-c-said-so err_has '^stub: stopping it'

# With --sim, Ctrl-C also stops psramsim and OpenOCD.
ctl_bg --sim --stub "$WORK/loop.bin" eid --timeout 30000
kill -INT "$CTL_PID"
wait "$CTL_PID"
CTL_RC=$?
check ctrl-c-sim-130 [ "$CTL_RC" = 130 ]
expect_no_leftovers ctrl-c-sim-no-leftovers
