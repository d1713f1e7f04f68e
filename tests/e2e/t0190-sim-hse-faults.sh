#!/bin/bash
# The crystal faults psramctl's clock check is proven against: hse=absent
# (HSERDY never sets, so the board's reset-init stops at its HSE wait) and
# hse=8 on a board file that says 25 MHz: DIVM1 = 5 gives a 1.6 MHz PLL
# reference, outside the 4-8 MHz PLL1RGE declares (psramsim reports it)
# but within the PLL's input range, so PLL1 locks and the core runs at
# 8 / 5 * 160 / 2 = 128 MHz while the RCC registers read as on a good
# board.
. "$(dirname "$0")/lib.sh"

start_board --board devebox-h750 --fault hse=absent || exit 1
check absent-listed grep -q '^hse=absent$' "$WORK/sim.log"
ocd "reset init" >/dev/null 2>&1
check absent-reset-init-fails grep -q "HSE did not become ready" "$WORK/openocd.log"
check absent-hserdy-clear [ "$(($(read_word 0x58024400) & 0x20000))" = 0 ]
check absent-sysclk-still-hsi [ "$(($(read_word 0x58024410) & 0x38))" = 0 ]
stop_board

# The PLL reference rule psramsim enforces fires here on purpose.
expect_guest_errors
start_board --board devebox-h750 --fault hse=8 || exit 1
check hse8-listed grep -q '^hse=8$' "$WORK/sim.log"
ocd "reset init" >/dev/null 2>&1
check hse8-sysclk-pll1 [ "$(read_word 0x58024410)" = "0x1b" ]
check hse8-range-logged grep -q "PLL1 reference 1.600 MHz outside the 4-8 MHz" "$WORK/sim.log"
