#!/bin/bash
# The MPU enforced (ARMv7-M B3.5): a program from the manual stores to a
# read-only region (MemManage, DACCVIOL, MMFAR), escalates with MemManage
# disabled (HardFault, FORCED), calls into an execute-never region
# (IACCVIOL), and is refused a privileged-only region when unprivileged.
. "$(dirname "$0")/lib.sh"

start_board --board devebox-h750 || exit 1
sym() { prog_symbol mpu "$1"; }
r0=$(run_prog mpu 5000)
check all-steps-as-the-manual-says [ "$r0" = "0x00000000" ] ||
	echo "stopped at step $(read_word "$(sym step)")"
read -r -a f <<<"$(ocd "read_memory $(sym seen) 32 20")"
check memmanage-number [ "$((f[0]))" = 4 ]
check memmanage-mmfar [ "$((f[3]))" = "$(( $(sym guarded) + 8 ))" ]
check escalated-hardfault [ "$((f[5]))" = 3 ] && [ "${f[7]}" = 0x40000000 ]
check xn-iaccviol [ "$((f[11] & 0xff))" = 1 ]
check unprivileged-refused [ "$((f[18]))" = "$(( $(sym priv_only) ))" ]
check guarded-unchanged [ "$(( $(read_word "$(( $(sym guarded) + 8 ))") ))" = 0 ]
# The debugger is not subject to the MPU (its accesses come through the
# AHB-AP): with the MPU on again it still writes the guarded words.
ocd "mww 0xE000ED94 5" "mww $(( $(sym guarded) + 8 )) 0x5a5a5a5a" >/dev/null
check debugger-bypasses-mpu [ "$(read_word "$(( $(sym guarded) + 8 ))")" = 0x5a5a5a5a ]
check no-openocd-complaints [ -z "$(openocd_complaints)" ]
