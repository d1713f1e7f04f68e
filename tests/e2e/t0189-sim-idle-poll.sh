#!/bin/bash
# A wait loop that polls FLASH_SR and a tick variable the SysTick interrupt
# advances (the HAL's FLASH_WaitForLastOperation, MicroPython's first boot)
# is idle between events: FLASH_SR changes only by a write or when the
# operation ends, an event (bus_region.read_stable, cpu/idle.c). psramsim
# jumps its clock from tick to tick instead of executing the loop, and the
# program sees the same erase time as when the loop runs
# (tests/progs/flash_poll.c).
. "$(dirname "$0")/lib.sh"

stat() { sed -nE "s/.* $1=([0-9.]+).*/\1/p" "$WORK/sim.log"; }

start_sim --stats || exit 1
start_openocd || exit 1
t0=$(date +%s%N)
rc=$(run_prog flash_poll 20000)
t1=$(date +%s%N)
check erase-completes [ "$rc" = "0x00000000" ] || echo "  failed at step $rc"
ms=$(($(read_word "$(prog_symbol flash_poll erase_ms)")))
echo "  erase seen as $ms ticks of 1 ms; wall $(((t1 - t0) / 1000000)) ms"
# RM0433 §4.3.10 with DS12110's 1 s sector erase at x64.
check erase-takes-1s [ "$ms" -ge 1000 ] && [ "$ms" -le 1001 ]
stop_board
# Executed, the loop would be about 1 000 000 polls of 1 us of 7
# instructions; skipped, a few probe passes and the handler per tick.
echo "  instructions executed: $(stat instructions)"
check loop-not-executed [ "$(stat instructions)" -lt 1000000 ]
