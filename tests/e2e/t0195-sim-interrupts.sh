#!/bin/bash
# Interrupts as on a Cortex-M7 (psramsim's NVIC and SysTick, ARMv7-M B1.5,
# B3.3, B3.4): a program written from the manual takes SysTick while
# sleeping in WFI, a software-triggered interrupt, PRIMASK/BASEPRI masking,
# preemption by priority, PendSV and SVCall; OpenOCD halts it and reads
# what it recorded.
. "$(dirname "$0")/lib.sh"

start_board --board devebox-h750 || exit 1
sym() { prog_symbol irq "$1"; }
r0=$(run_prog irq 5000)
step=$(read_word "$(sym step)")
check all-steps-as-the-manual-says [ "$r0" = "0x00000000" ] || echo "stopped at step $step"
check systick-ticks [ "$(($(read_word "$(sym ticks)")))" -ge 5 ]
check wfi-woke-per-tick [ "$(($(read_word "$(sym wakes)")))" -ge 5 ]
slept=$(($(read_word "$(sym slept_cycles)")))
check wfi-slept-virtual-time [ "$slept" -ge 25600 ] && [ "$slept" -le 38400 ]
check soft-irq-count [ "$(($(read_word "$(sym soft_irqs)")))" = 4 ]
check preempted-by-higher [ "$(($(read_word "$(sym nested_in_soft)")))" = 1 ]
check pendsv-and-svc [ "$(($(read_word "$(sym pendsvs)")))$(($(read_word "$(sym svcs)")))" = 11 ]

# The debugger sees the NVIC as software does: pend a line by hand, then
# a disabled line stays pending in ISPR.
ocd "mww 0xE000E200 0x8" >/dev/null
check ispr-from-debugger [ "$(( $(read_word 0xE000E200) ))" = 8 ]
check icsr-isrpending [ "$(( $(read_word 0xE000ED04) >> 22 & 1 ))" = 1 ]
check no-openocd-complaints [ -z "$(openocd_complaints)" ]
