#!/bin/bash
# A firmware that sleeps in WFI between SysTick interrupts (1 ms at the
# 64 MHz reset clock) costs the host nothing: psramsim jumps its virtual
# clock from tick to tick instead of executing, and keeps that time from
# running ahead of the wall clock (docs/psramsim-cpu.md, "Sleep").
. "$(dirname "$0")/lib.sh"

# Vectors (SP, reset 0x08000041, SysTick 0x08000055), then: r0 = SysTick;
# RVR = 63999; CVR = 0; CSR = 7; 1: wfi; b 1b. SysTick: adds r7, #1; bx lr.
img=$WORK/flash.bin
head -c 131072 /dev/zero | tr '\0' '\377' >"$img"
{
	printf '\x00\x00\x02\x20\x41\x00\x00\x08'
	head -c 52 /dev/zero
	printf '\x55\x00\x00\x08\x05\x48\x4f\xf6\xff\x11\x41\x60\x00\x21\x81\x60'
	printf '\x07\x21\x01\x60\x30\xbf\xfd\xe7\x01\x37\x70\x47\x10\xe0\x00\xe0'
} | dd of="$img" conv=notrunc status=none
stat() { sed -nE "s/.* $1=([0-9.]+).*/\1/p" "$WORK/sim.log"; }

# On its own for two seconds: about 2000 ticks, a few instructions each.
start_sim --board devebox-h750 --flash-image "$img" --stats || exit 1
sleep 2
kill -INT "$SIM_PID"
wait "$SIM_PID" 2>/dev/null
virt=$(stat virtual_s)
check virtual-time-passes awk -v v="$virt" 'BEGIN { exit !(v >= 1.0) }'
check virtual-time-not-ahead-of-wall \
	awk -v v="$virt" -v w="$(stat wall_s)" 'BEGIN { exit !(v <= w + 0.1) }'
# Executing the sleep would be 64 000 instructions a tick, not 4.
check sleep-not-executed [ "$(stat instructions)" -lt 100000 ]

# With OpenOCD: the ticks counted in r7, the core halted in its WFI loop.
start_sim --board devebox-h750 --flash-image "$img" || exit 1
sleep 1
start_openocd || exit 1
ticks=$(ocd "halt" "reg r7" | sed -nE 's/.*r7 \(\/32\): (0x[0-9a-f]+).*/\1/p')
check systick-wakes-wfi [ "$((ticks))" -ge 500 ]
pc=$(ocd "reg pc" | sed -nE 's/.*: (0x[0-9a-f]+).*/\1/p')
check halted-in-wfi-loop [ "$((pc))" -ge $((0x08000050)) ] && [ "$((pc))" -le $((0x08000056)) ]
