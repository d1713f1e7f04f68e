#!/bin/bash
# A flash latency too low for the AXI clock (RM0433 §4.3.8, Table 17) is a
# guest error and the flash stops returning its cells: data reads return
# all ones and code fetched from it faults (tests/progs/flash_latency.c);
# with the latency raised, and after a reset, it reads right again.
. "$(dirname "$0")/lib.sh"

start_board || exit 1
expect_guest_errors
rc=$(run_prog flash_latency 5000)
end_guest_errors
check completes [ "$rc" = "0x00000000" ] || echo "  failed at step $rc"
read -r -a w <<<"$(ocd "read_memory $(prog_symbol flash_latency lat_words) 32 3")"
check slow-read-all-ones [ "${w[1]}" = 0xffffffff ]
check right-again [ "${w[2]}" = "${w[0]}" ]
cfsr=$(read_word "$(prog_symbol flash_latency lat_cfsr)")
# UsageFault: UNDEFINSTR (bit 16) or NOCP (bit 19) from the 0xFFFF fetch.
check fetch-faults [ "$((cfsr & 0x90000))" != 0 ]
echo "  CFSR after the fetch: $cfsr"
check logged grep -q 'FLASH_ACR.LATENCY 0 is too low for an AXI clock of 64.0 MHz at VOS3' "$WORK/sim.log"
# Low again, seen by the debugger; a reset brings LATENCY 7 back.
expect_guest_errors
ocd "mww 0x52002000 0" >/dev/null
check debugger-sees-ones [ "$(read_word 0x08000000)" = 0xffffffff ]
end_guest_errors
ocd "reset halt" >/dev/null
check reset-restores [ "$(read_word 0x08000000)" = "${w[0]}" ]
