#!/bin/bash
# OpenOCD's stock stm32h7x.cfg initialises and examines the simulated H750
# with nothing to complain about, and sees the core's run state correctly.
. "$(dirname "$0")/lib.sh"

start_board --board devebox-h750 || exit 1

out=$(ocd "targets")
check init-examined bash -c "grep -q 'stm32h7x.cpu0 *cortex_m' <<<'$out'"
check no-errors-or-warnings [ -z "$(openocd_complaints)" ]
grep -q "Cortex-M7 r1p1 processor detected" "$WORK/openocd.log"
check cortex-m7-detected [ $? -eq 0 ]
grep -q "target has 8 breakpoints, 4 watchpoints" "$WORK/openocd.log"
check fpb-dwt-sizes [ $? -eq 0 ]

ocd "halt" >/dev/null
check halted-state bash -c "tclsh $TOP/tests/e2e/ocd-rpc.tcl $TCL_PORT 'stm32h7x.cpu0 curstate' | grep -qx halted"
ocd "resume" >/dev/null
check running-state bash -c "tclsh $TOP/tests/e2e/ocd-rpc.tcl $TCL_PORT 'stm32h7x.cpu0 curstate' | grep -qx running"

idcode=$(read_word 0x5c001000)
check dbgmcu-idcode-h750-rev-v [ "$idcode" = "0x20036450" ]
idcode_apb=$(ocd "stm32h7x.ap2 read_memory 0xe00e1000 32 1")
check dbgmcu-idcode-via-ap2 [ "$idcode_apb" = "0x20036450" ]
size=$(ocd "read_memory 0x1ff1e880 16 1")
check flash-size-register-128k [ "$size" = "0x80" ]
cpuid=$(read_word 0xe000ed00)
check cpuid-m7-r1p1 [ "$cpuid" = "0x411fc271" ]

# dap info walks the ROM tables: the Cortex-M7 components through AP0 and
# the debug APB components through AP2.
out=$(ocd "capture {stm32h7x.dap info 0}")
check dap-info-ap0-idr contains "$out" "AP ID register 0x84770001"
check dap-info-ap0-scs contains "$out" "Cortex-M7 SCS|SCS"
out=$(ocd "capture {stm32h7x.dap info 2}")
check dap-info-ap2-idr contains "$out" "AP ID register 0x54770002"
check dap-info-ap2-rom contains "$out" "ROM table"
check dap-info-no-complaints [ -z "$(openocd_complaints)" ]

# OpenOCD disconnects and a new OpenOCD attaches to the same psramsim.
ocd "write_memory 0x24000000 32 {0xcafef00d}" >/dev/null
ocd "shutdown" >/dev/null 2>&1
wait "$OCD_PID" 2>/dev/null
start_openocd || exit 1
check reconnect-keeps-memory [ "$(read_word 0x24000000)" = "0xcafef00d" ]
check reconnect-no-complaints [ -z "$(openocd_complaints)" ]
