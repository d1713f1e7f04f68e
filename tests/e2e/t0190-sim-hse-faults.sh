#!/bin/bash
# The crystal faults psramctl's clock check is proven against: hse=absent
# (HSERDY never sets, so the board's reset-init stops at its HSE wait),
# hse=8 on a board file that says 25 MHz (DIVM1 = 5 gives a 1.6 MHz PLL
# reference, below the wide VCO's 2 MHz minimum: PLL1 never locks) and
# hse=12 (2.4 MHz: PLL1 locks, SYSCLK 12 / 5 * 160 / 2 = 192 MHz while the
# RCC registers read as on a good board).
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

# The PLL reference and VCO rules psramsim enforces fire here on purpose.
expect_guest_errors
for mhz in 8 12; do
	start_board --board devebox-h750 --fault "hse=$mhz" || exit 1
	check "hse$mhz-listed" grep -q "^hse=$mhz\$" "$WORK/sim.log"
	ocd "reset init" >/dev/null 2>&1
	if [ "$mhz" = 8 ]; then
		check hse8-pll1-never-locks grep -q "PLL1 did not become ready" "$WORK/openocd.log"
		check hse8-vco-input-logged grep -q "PLL1 reference 1.600 MHz outside what the wide VCO accepts" "$WORK/sim.log"
	else
		check hse12-sysclk-pll1 [ "$(read_word 0x58024410)" = "0x1b" ]
		check hse12-range-logged grep -q "PLL1 reference 2.400 MHz outside the 4-8 MHz" "$WORK/sim.log"
	fi
	ocd "shutdown" >/dev/null 2>&1
	kill "$SIM_PID" 2>/dev/null
	wait "$OCD_PID" "$SIM_PID" 2>/dev/null
done
