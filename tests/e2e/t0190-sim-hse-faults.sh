#!/bin/bash
# The crystal faults psramctl's clock check is proven against: hse=absent
# (HSERDY never sets, so the board's reset-init stops at its HSE wait) and
# hse=8 on a board file that says 25 MHz (the same PLL settings then give
# 8 / 5 * 160 / 2 = 128 MHz; the RCC registers read as on a good board).
. "$(dirname "$0")/lib.sh"

start_board --board devebox-h750 --fault hse=absent || exit 1
check absent-listed grep -q '^hse=absent$' "$WORK/sim.log"
ocd "reset init" >/dev/null 2>&1
check absent-reset-init-fails grep -q "HSE did not become ready" "$WORK/openocd.log"
check absent-hserdy-clear [ "$(($(read_word 0x58024400) & 0x20000))" = 0 ]
check absent-sysclk-still-hsi [ "$(($(read_word 0x58024410) & 0x38))" = 0 ]
ocd "shutdown" >/dev/null 2>&1
kill "$SIM_PID" 2>/dev/null
wait "$OCD_PID" "$SIM_PID" 2>/dev/null

start_board --board devebox-h750 --fault hse=8 || exit 1
check other-listed grep -q '^hse=8$' "$WORK/sim.log"
ocd "reset init" >/dev/null
check other-sysclk-pll1 [ "$(read_word 0x58024410)" = "0x1b" ]
check other-pll1-ready [ "$(($(read_word 0x58024400) & 0x2000000))" != 0 ]
check other-no-complaints [ -z "$(openocd_complaints)" ]
