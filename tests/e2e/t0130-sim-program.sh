#!/bin/bash
# A program built with arm-none-eabi-gcc runs on the simulated core; its
# results, read back through OpenOCD, match values known independently of
# psramsim.
. "$(dirname "$0")/lib.sh"

start_board --board devebox-h750 || exit 1
results=$(prog_symbol selftest results)
run_prog selftest 5000 >/dev/null
read -r -a r <<<"$(ocd "read_memory $results 32 11")"
check crc32-check-value [ "${r[0]}" = "0xcbf43926" ]
check fibonacci-40 [ "$((r[1]))" = 102334155 ]
check udiv [ "$((r[2]))" = 142857 ]
check sdiv [ "$((r[3]))" = 33 ]
check umull-64bit [ "${r[4]}" = "0x369d0369" ]
check clz [ "$((r[5]))" = 15 ]
check rev [ "${r[6]}" = "0x44332211" ]
check byte-stores-word-load [ "${r[7]}" = "0xa3a2a1a0" ]
check unaligned-halfword [ "${r[8]}" = "0xa7a6" ]
check dwt-cyccnt-counts [ "$((r[9]))" -gt 1000 ]
check finished [ "${r[10]}" = "0x600dc0de" ]
