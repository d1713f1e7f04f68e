#!/bin/bash
# After psramctl flash resets into the new firmware it looks at what the
# core does: a good image is reported running; one that HardFaults in its
# start-up is reported faulting at the address of the faulting
# instruction, with CFSR and HFSR; one that resets itself again and again
# is reported stuck in reset. The two that do not start fail the command
# (exit 1) with one line saying so.
. "$(dirname "$0")/lib-stub.sh"

for m in 0 1 2; do
	"$TOP/tests/progs/fw/build" "$WORK/fw$m" 7 $m >/dev/null ||
		{ fail build-fw$m "tests/progs/fw/build failed"; exit 1; }
done
start_board || exit 1
CONN=(--connect "127.0.0.1:$TCL_PORT")

ctl "${CONN[@]}" flash "$WORK/fw0/fw.elf"
check good-exit-0 [ "$CTL_RC" -eq 0 ]
check good-runs out_has 'verified; the firmware runs \(PC 0x080000[0-9a-f]{2}\)$'
check good-signature contains "$(ocd 'read_memory 0x38000000 32 1')" '^0x464c5348$'
ctl "${CONN[@]}" --json flash "$WORK/fw0/fw.elf"
check good-json out_has '"result":"pass",.*"reset":true,"simulated":true,"start":\{"state":"running","pc":"0x080000[0-9a-f]{2}"'

# The UDF instruction of fw.c's mode 1: where the fault must be placed.
udf=$(arm-none-eabi-objdump -d "$WORK/fw1/fw.elf" | sed -nE 's/^ *([0-9a-f]+):.*\tudf.*/\1/p' | head -n 1)
ctl "${CONN[@]}" flash "$WORK/fw1/fw.elf"
expect_ctl hardfault 1 "the firmware does not start: HardFault at 0x0*$udf \\(escalated from UsageFault: undefined instruction \\(UNDEFINSTR\\)\\); CFSR 0x00010000 HFSR 0x40000000" 60
check hardfault-stdout out_has "verified; the firmware does not start: HardFault at 0x0*$udf"
ctl "${CONN[@]}" --json flash "$WORK/fw1/fw.elf"
check hardfault-json out_has "\"result\":\"not-started\",.*\"start\":\\{\"state\":\"faulting\",\"pc\":\"0x[0-9a-f]{8}\",\"xpsr\":\"0x[0-9a-f]{5}003\",\"fault_pc\":\"0x0*$udf\",\"cfsr\":\"0x00010000\",\"hfsr\":\"0x40000000\""
# psramctl resumed it: the core is back in its handler, not halted.
check hardfault-left-running contains "$(ocd 'stm32h7x.cpu0 curstate')" '^running$'

ctl "${CONN[@]}" flash "$WORK/fw2/fw.elf"
expect_ctl reset-loop 1 'the firmware does not start: the core reset on [3-5] of 5 samples over 500 ms' 60
ctl "${CONN[@]}" --json flash "$WORK/fw2/fw.elf"
check reset-loop-json out_has '"result":"not-started",.*"start":\{"state":"reset-loop","resets":[3-5],"samples":5\}'

# Back to a good image: the board recovers.
ctl "${CONN[@]}" flash "$WORK/fw0/fw.elf"
check recovers [ "$CTL_RC" -eq 0 ]
# --no-reset: nothing is started, nothing is judged.
ctl "${CONN[@]}" flash --no-reset "$WORK/fw1/fw.elf"
check no-reset-not-judged bash -c "[ $CTL_RC -eq 0 ] && grep -q 'the core is halted (--no-reset)' '$WORK/ctl.out'"
