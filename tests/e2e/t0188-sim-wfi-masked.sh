#!/bin/bash
# WFI with PRIMASK set wakes on a SysTick that would preempt were PRIMASK
# clear, and leaves it pending (ARMv7-M ARM B1.5.19): the rule the stub's
# sleep (target-stubs/runtime/sleep.c) relies on (tests/progs/wfi_masked.c).
. "$(dirname "$0")/lib.sh"

start_board || exit 1
rc=$(run_prog wfi_masked 5000)
check masked-wfi-rules [ "$rc" = "0x00000000" ] || echo "  failed at step $rc"
echo "  slept $(($(read_word "$(prog_symbol wfi_masked slept_cycles)"))) cycles for a 64000-cycle period"
