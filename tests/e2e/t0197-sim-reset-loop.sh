#!/bin/bash
# A firmware that resets itself at once, forever (SYSRESETREQ about 160
# instructions after each reset). psramsim keeps translated code across
# resets, so it keeps up, stays small and answers the debugger at once.
# What OpenOCD 0.12 does is what it does with silicon (docs/psramsim-cpu.md,
# "A core in a reset loop"): every poll finds DHCSR.S_RESET_ST set, so it
# takes the target to be held in reset and `halt` writes nothing and times
# out; `reset halt` (reset vector catch) stops it at its reset vector.
. "$(dirname "$0")/lib.sh"

# Vector table (SP, reset at 0x08000009), then: movs r2,#0; ldr r3,=50;
# 1: adds r2,#1; cmp r2,r3; bne 1b; ldr r0,=AIRCR; ldr r1,=VECTKEY|
# SYSRESETREQ; str r1,[r0]; b .
img=$WORK/flash.bin
head -c 131072 /dev/zero | tr '\0' '\377' >"$img"
printf '\x00\x00\x02\x20\x09\x00\x00\x08\x00\x22\x04\x4b\x01\x32\x9a\x42\xfc\xd1\x03\x48\x03\x49\x01\x60\xfe\xe7\x00\xbf\x32\x00\x00\x00\x0c\xed\x00\xe0\x04\x00\xfa\x05' |
	dd of="$img" conv=notrunc status=none
start_sim --board devebox-h750 --flash-image "$img" --stats || exit 1
sleep 1
rss=$(awk '/VmRSS/ {print $2}' "/proc/$SIM_PID/status")
start_openocd || exit 1
dhcsr=$(ocd "mdw 0xE000EDF0" | sed -nE 's/.*: ([0-9a-f]+).*/\1/p')
check dhcsr-answers [ -n "$dhcsr" ]
check s-reset-st-seen [ "$(( 0x${dhcsr:-0} >> 25 & 1 ))" = 1 ]
ocd "halt" >/dev/null 2>&1
check plain-halt-times-out-as-on-silicon \
	grep -q "timed out while waiting for target halted" "$WORK/openocd.log"
ocd "reset halt" >/dev/null
check reset-halt-lands [ "$(ocd "reg pc")" = "pc (/32): 0x08000008" ]
ocd "resume" >/dev/null
sleep 2
rss2=$(awk '/VmRSS/ {print $2}' "/proc/$SIM_PID/status")
check memory-flat [ "$rss2" -le $((rss + 4096)) ]
ocd "shutdown" >/dev/null 2>&1
kill -INT "$SIM_PID"
wait "$SIM_PID" 2>/dev/null
insns=$(sed -nE 's/.* instructions=([0-9]+).*/\1/p' "$WORK/sim.log")
# About 160 instructions a pass: millions of resets, where dropping every
# translation at each reset (about 22 ms) allowed some dozens a second.
check thousands-of-resets [ "${insns:-0}" -gt 5000000 ]
