#!/bin/bash
# Run control as OpenOCD does it: halt, registers, step, resume ADDR,
# wait_halt after BKPT (and the BKPT skip), hardware breakpoints, resets.
. "$(dirname "$0")/lib.sh"

ELF=$BUILD/progs/selftest.elf
start=$(prog_symbol selftest _start)
main=$(prog_symbol selftest main)
bkpt=$(prog_symbol selftest prog_bkpt)
start_board --board devebox-h750 || exit 1
ocd "halt" >/dev/null

# Every core register OpenOCD knows, written then read back.
regs="r0 r1 r2 r3 r4 r5 r6 r7 r8 r9 r10 r11 r12 lr"
# OpenOCD writes cached registers to the core at resume: run the factory
# idle loop (it touches no register) and halt again.
ocd "reset halt" >/dev/null
i=1
for r in $regs; do
	ocd "reg $r [format 0x%08x [expr {0x10101010 * $i}]]" >/dev/null
	i=$((i % 15 + 1))
done
ocd "reg msp 0x20008000" "reg psp 0x20007000" "reg primask 1" "reg basepri 0x40" "reg faultmask 1" "reg fpscr 0x03c00000" "reg d3 0x1122334455667788" >/dev/null
ocd "resume" >/dev/null
ocd "halt" >/dev/null
i=1
ok=1
for r in $regs; do
	want=$(printf '0x%08x' $((0x10101010 * i & 0xffffffff)))
	got=$(ocd "dict get [get_reg -force $r] $r")
	[ "$got" = "$want" ] || { ok=0; echo "  $r: $got, expected $want"; }
	i=$((i % 15 + 1))
done
check core-registers-roundtrip [ $ok = 1 ]
out=$(ocd "get_reg -force {msp psp primask basepri faultmask fpscr d3}")
check special-registers-roundtrip bash -c "grep -q 'msp 0x20008000' <<<'$out' && grep -q 'psp 0x20007000' <<<'$out' && grep -q 'primask 0x01' <<<'$out' && grep -q 'basepri 0x40' <<<'$out' && grep -q 'faultmask 0x01' <<<'$out' && grep -q 'fpscr 0x03c00000' <<<'$out' && grep -q 'd3 0x1122334455667788' <<<'$out'"
ocd "reg primask 0" "reg faultmask 0" "reg basepri 0" >/dev/null

# Load the program, run it from _start to its BKPT.
ocd "load_image $ELF 0 elf" >/dev/null
ocd "reg sp 0x20010000" "reg xPSR 0x01000000" >/dev/null
ocd "resume $start" >/dev/null
ocd "wait_halt 5000" >/dev/null
check bkpt-halts-at-bkpt [ "$(ocd 'dict get [get_reg -force pc] pc')" = "$(printf '0x%08x' "$bkpt")" ]
check program-result-r0 [ "$(ocd 'dict get [get_reg -force r0] r0')" = "0x0000002a" ]
out=$(ocd "capture {targets}")
check halted-after-bkpt bash -c "grep -q 'cortex_m.*halted' <<<'$out'"

# A later resume without an address skips the BKPT (DFSR.BKPT was set).
ocd "resume" >/dev/null
sleep 0.2
ocd "halt" >/dev/null
pc=$(ocd 'dict get [get_reg -force pc] pc')
check resume-skips-bkpt [ "$((pc))" -gt "$((bkpt))" ]

# Hardware breakpoint at main.
ocd "bp $main 2 hw" >/dev/null
ocd "reg xPSR 0x01000000" "reg sp 0x20010000" >/dev/null
ocd "resume $start" >/dev/null
ocd "wait_halt 5000" >/dev/null
check hw-breakpoint-at-main [ "$(ocd 'dict get [get_reg -force pc] pc')" = "$(printf '0x%08x' "$main")" ]
ocd "rbp $main" >/dev/null

# Single step: the PC moves forward by one instruction.
before=$(ocd 'dict get [get_reg -force pc] pc')
ocd "step" >/dev/null
after=$(ocd 'dict get [get_reg -force pc] pc')
delta=$((after - before))
check step-one-instruction bash -c "[ $delta -eq 2 ] || [ $delta -eq 4 ]"
# After stepping, the program still runs to completion.
ocd "resume" >/dev/null
ocd "wait_halt 5000" >/dev/null
check resume-after-step-completes [ "$(ocd 'dict get [get_reg -force pc] pc')" = "$(printf '0x%08x' "$bkpt")" ]

# Resets: reset halt stops at the reset vector; reset run runs.
ocd "reset halt" >/dev/null
check reset-halt-at-reset-vector [ "$(ocd 'dict get [get_reg -force pc] pc')" = "0x08000008" ]
check reset-halt-msp [ "$(ocd 'dict get [get_reg -force msp] msp')" = "0x20020000" ]
ocd "reset run" >/dev/null
out=$(ocd "capture {targets}")
check reset-run-running bash -c "grep -q 'cortex_m.*running' <<<'$out'"
check no-complaints [ -z "$(openocd_complaints)" ]
