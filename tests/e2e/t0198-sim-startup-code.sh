#!/bin/bash
# What every STM32H7 firmware runs before main, on a board fresh from
# power-on: CMSIS SystemInit's clean-up (FMC bank 1, the AXI GPV on rev Y)
# and the HAL's supply, voltage-scale, HSE, PLL1 and clock-switch order to
# 400 MHz (tests/progs/sysinit.c). It completes with no guest error and no
# "not modelled" line; the supply configuration is then locked until
# power-off, and a second run (after a system reset) takes the HAL's
# already-configured path. RCC_RSR tells the power-on from OpenOCD's
# reset (SYSRESETREQ) and accumulates until RMVF.
. "$(dirname "$0")/lib.sh"

run_sysinit() {
	run_prog sysinit 5000
}

for board in devebox-h750 weact-h750; do
	SIM_BOARD_CFG=$TOP/cfg/boards/sim-$board.cfg
	start_board --board "$board" || exit 1
	res=$(prog_symbol sysinit sysinit_result)
	# RCC_RSR after power-on: PORRSTF PINRSTF BORRSTF D2RSTF D1RSTF
	# CPURSTF (RM0433 Table 55).
	check "$board-rsr-power-on" [ "$(($(read_word 0x580244d0)))" = "$((0x00fa0000))" ]
	check "$board-completes" [ "$(run_sysinit)" = "0x00000000" ]
	read -r -a r <<<"$(ocd "read_memory $res 32 4")"
	# HSEON HSERDY PLL1ON PLL1RDY with HSI kept on; SWS = PLL1.
	check "$board-pll1-locked" [ "$((r[0] & 0x03030000))" = "$((0x03030000))" ]
	check "$board-sysclk-pll1" [ "$((r[1] & 0x38))" = 24 ]
	# PWR_CSR1: ACTVOS scale 1, ACTVOSRDY.
	check "$board-actvosrdy" [ "$((r[2] & 0xE000))" = "$((0xE000))" ]
	check "$board-pwr-cr3-locked" [ "$(($(read_word 0x5802480c)))" = "$((0x00000002))" ]
	# FMC bank 1 disabled (read with its clock back on).
	ocd "mww 0x580244d4 0x1000" >/dev/null
	check "$board-fmc-bank1-off" [ "$(($(read_word 0x52004000)))" = "$((0x000030d2))" ]
	if [ "$board" = weact-h750 ]; then
		check rev-y-axi-targ7 [ "$(($(read_word 0x51008108)))" = "$((0x00000001))" ]
	else
		check rev-v-axi-untouched [ "$(($(read_word 0x51008108)))" = "$((0x00000000))" ]
	fi
	# After a system reset, the supply stays configured and locked.
	ocd "reset halt" >/dev/null
	check "$board-cr3-survives-reset" [ "$(($(read_word 0x5802480c)))" = "$((0x00000002))" ]
	# OpenOCD resets through SYSRESETREQ: RSR adds SFTRSTF, PINRSTF,
	# CPURSTF to the power-on flags; RMVF clears them, and the next
	# reset sets only its own.
	check "$board-rsr-software-reset" [ "$(($(read_word 0x580244d0)))" = "$((0x01fa0000))" ]
	ocd "mww 0x580244d0 0x00010000" "reset halt" >/dev/null
	check "$board-rsr-after-rmvf" [ "$(($(read_word 0x580244d0)))" = "$((0x01420000))" ]
	# RCC_BDCR takes writes only with PWR_CR1.DBP (cleared by reset).
	expect_guest_errors
	ocd "mww 0x58024470 0x00000004" >/dev/null
	check "$board-bdcr-needs-dbp" [ "$(($(read_word 0x58024470)))" = 0 ]
	end_guest_errors
	ocd "mww 0x58024800 [expr {[read_memory 0x58024800 32 1] | 0x100}]" \
		"mww 0x58024470 0x00000004" >/dev/null
	check "$board-bdcr-with-dbp" [ "$(($(read_word 0x58024470)))" = 4 ]
	# PWR_CR2 (backup regulator) is in the backup domain: kept by a
	# system reset, cleared by RCC_BDCR.BDRST.
	ocd "mww 0x58024808 1" "reset halt" >/dev/null
	check "$board-pwr-cr2-survives-reset" [ "$(($(read_word 0x58024808)))" = "$((0x00010001))" ]
	ocd "mww 0x58024800 [expr {[read_memory 0x58024800 32 1] | 0x100}]" \
		"mww 0x58024470 0x00010000" "mww 0x58024470 0" >/dev/null
	check "$board-bdrst-clears-pwr-cr2" [ "$(($(read_word 0x58024808)))" = 0 ]
	ocd "reset halt" >/dev/null
	check "$board-second-run" [ "$(run_sysinit)" = "0x00000000" ]
	check "$board-nothing-unmodelled" [ -z "$(grep -E 'not modelled: (RCC|PWR|SYSCFG|FMC|AXI|FLASH|peripheral)' "$WORK/sim.log")" ]
	stop_board
done
