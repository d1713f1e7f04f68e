#!/bin/bash
# What board start-up code touches after the clocks (tests/progs/
# boot_periph.c, from RM0433): PLL3 set up under a running PLL1, a
# USART's interrupt enables changed while it runs, the RNG (four-word
# buffer, clock error) and the RTC (DBP, key, initialisation, a calendar
# running over a year's end, backup registers that survive a system reset
# but not a power-on).
. "$(dirname "$0")/lib.sh"

SIM_BOARD_CFG=$TOP/cfg/boards/sim-devebox-h743.cfg
start_board --board devebox-h743 || exit 1
expect_guest_errors
rc=$(run_prog boot_periph 10000)
end_guest_errors
check completes [ "$rc" = "0x00000000" ] || echo "  failed at step $rc"

read -r -a w <<<"$(ocd "read_memory $(prog_symbol boot_periph boot_rng) 32 5")"
distinct=$(printf '%s\n' "${w[@]}" | sort -u | wc -l)
check rng-five-distinct-words [ "$distinct" = 5 ]
check rng-clock-error-logged grep -q 'RNG: clock error: rng_clk 0.032 MHz' "$WORK/sim.log"
check pll1-divm1-kept grep -q 'RCC+0x028 bits 0x000000c0 written while their PLL runs' "$WORK/sim.log"
check usart-ovrdis-refused grep -q 'USART3: bits 0x00001000 of register +0x08 written while CR1.UE' "$WORK/sim.log"
check rtc-locked-write-logged grep -q 'RTC: ISR.INIT written while the registers are write protected' "$WORK/sim.log"
check rtc-dbp-logged grep -q 'RTC: register +0x50 written with PWR_CR1.DBP clear' "$WORK/sim.log"

read -r -a t <<<"$(ocd "read_memory $(prog_symbol boot_periph boot_rtc) 32 2")"
check rtc-time-00:00:01 [ "$((t[0]))" = "$((0x000001))" ]
check rtc-date-fri-2016-01-01 [ "$((t[1]))" = "$((0x16a101))" ]

# The backup domain survives a system reset; the RTC's register clock
# (RCC_APB4ENR.RTCAPBEN) is on after reset.
ocd "reset halt" >/dev/null
check rtcapben-reset-value [ "$(($(read_word 0x580244f4)))" = "$((0x10000))" ]
check bkp0r-survives-reset [ "$(read_word 0x58004050)" = "0xb00751a7" ]
check rtc-runs-after-reset [ "$(($(read_word 0x58004004) & 0xffffff))" = "$((0x16a101))" ]
check nothing-unmodelled [ -z "$(grep -E 'not modelled: (RNG|RTC)' "$WORK/sim.log")" ]
