#!/bin/bash
# Faults vector as ARMv7-M says (psramsim performs exception entry and
# return itself): a program records what its fault handler saw.
. "$(dirname "$0")/lib.sh"

start_board --board devebox-h750 || exit 1
rec=$(prog_symbol faults records)
rc=$(run_prog faults 5000)
check all-faults-returned [ "$rc" = "0x00000007" ]
check ran-past-faults [ "$(read_word "$(prog_symbol faults after_faults)")" = "0xa5a5a5a5" ]
read -r -a f <<<"$(ocd "read_memory $rec 32 35")"
# 1: BusFault disabled -> HardFault (3), HFSR.FORCED, PRECISERR|BFARVALID.
check forced-hardfault-number [ "$((f[0]))" = 3 ]
check forced-hardfault-cfsr [ "${f[1]}" = "0x8200" ]
check forced-hardfault-hfsr [ "${f[2]}" = "0x40000000" ]
check forced-hardfault-bfar [ "${f[3]}" = "0x60000000" ]
# 2: BusFault enabled -> BusFault (5).
check busfault-number [ "$((f[5]))" = 5 ]
check busfault-bfar [ "${f[8]}" = "0x60000010" ]
# 3: UDF -> UsageFault (6), UNDEFINSTR, stacked PC at the UDF.
check usagefault-number [ "$((f[10]))" = 6 ]
check usagefault-undefinstr [ "${f[11]}" = "0x10000" ]
udf_pc=${f[14]}
insn=$(ocd "read_memory $udf_pc 16 1")
check usagefault-stacked-pc [ "$insn" = "0xde00" ]
# 4: an FP instruction with CPACR at reset (B3.2.20): UsageFault NOCP, the
# stacked PC at the instruction.
check nocp-number [ "$((f[15]))" = 6 ]
check nocp-cfsr [ "${f[16]}" = "0x80000" ]
check nocp-stacked-pc [ "$(ocd "read_memory ${f[19]} 16 2")" = "0xee00 0xa10" ]
# 5: SDIV by zero with CCR.DIV_0_TRP (B3.2.8): DIVBYZERO.
check divbyzero-number [ "$((f[20]))" = 6 ]
check divbyzero-cfsr [ "${f[21]}" = "0x2000000" ]
# 6: LDRD not word aligned (A3.2.1): UNALIGNED, CCR.UNALIGN_TRP clear.
check ldrd-unaligned-number [ "$((f[25]))" = 6 ]
check ldrd-unaligned-cfsr [ "${f[26]}" = "0x1000000" ]
# 7: an unaligned LDR from GPIOA (Device memory): UNALIGNED.
check device-unaligned-number [ "$((f[30]))" = 6 ]
check device-unaligned-cfsr [ "${f[31]}" = "0x1000000" ]

# A core that faults with no usable handler locks up; halting clears it.
# psramsim reports the lockup as the guest error it is.
expect_guest_errors
ocd "halt" "reg pc 0x60000000" "reg xPSR 0x01000000" "write_memory 0x2000000c 32 {0x60000001}" >/dev/null
ocd "mww 0xe000ed08 0x20000000" "resume" >/dev/null
sleep 0.3
out=$(ocd "halt" "reg pc")
check lockup-pc bash -c "grep -q 'pc (/32): 0xfffffffe' <<<'$out'"
