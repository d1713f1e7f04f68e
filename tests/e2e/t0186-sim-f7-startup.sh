#!/bin/bash
# What an STM32F7 firmware runs before main, on the f746g-disco and the
# f769i-disco fresh from power-on (tests/progs/sysinit_f7.c, from RM0385):
# reset flags read and cleared, CMSIS SystemInit's RCC clean-up, the HAL's
# order to 216 MHz with over-drive, LSI and the LSE crystal behind the
# backup-domain lock. It completes with no guest error; HSERDY is not set
# at the moment HSEON is; RCC_CSR tells the power-on from OpenOCD's reset
# (SYSRESETREQ: SFTRSTF with PINRSTF); the backup domain and its running
# LSE survive that reset, and a second run after it completes too. An
# unmodelled peripheral reads as an idle block, reserved space faults.
. "$(dirname "$0")/lib.sh"

run_sysinit() {
	run_prog sysinit_f7 20000
}

for board in f746g-disco f769i-disco; do
	SIM_BOARD_CFG=$TOP/cfg/boards/sim-$board.cfg
	start_board --board "$board" || exit 1
	res=$(prog_symbol sysinit_f7 f7_result)
	check "$board-completes" [ "$(run_sysinit)" = "0x00000000" ]
	read -r -a r <<<"$(ocd "read_memory $res 32 7")"
	# RCC_CSR at entry: the power-on flags PORRSTF PINRSTF BORRSTF, and
	# SFTRSTF PINRSTF of OpenOCD's reset if it made one.
	check "$board-csr-power-on" [ "$((r[0] & 0x0E000000))" = "$((0x0E000000))" ]
	check "$board-hserdy-not-at-once" [ "$((r[1] & 0x00030000))" = "$((0x00010000))" ]
	# HSEON HSERDY PLLON PLLRDY; SWS = PLL; ODRDY ODSWRDY VOSRDY; LSEON
	# LSERDY; LSION LSIRDY and no reset flag left.
	check "$board-pll-locked" [ "$((r[2] & 0x03030000))" = "$((0x03030000))" ]
	check "$board-sysclk-pll" [ "$((r[3] & 0xC))" = 8 ]
	check "$board-overdrive" [ "$((r[4] & 0x34000))" = "$((0x34000))" ]
	check "$board-lse" [ "$((r[5] & 3))" = 3 ]
	check "$board-lsi-no-flags" [ "$((r[6]))" = 3 ]
	ocd "reset halt" >/dev/null
	check "$board-csr-software-reset" [ "$(($(read_word 0x40023874)))" = "$((0x14000000))" ]
	check "$board-bdcr-survives" [ "$(($(read_word 0x40023870) & 3))" = 3 ]
	check "$board-back-on-hsi" [ "$(($(read_word 0x40023808)))" = 0 ]
	# The backup domain is write-protected again (PWR_CR1.DBP reset).
	expect_guest_errors
	ocd "mww 0x40023870 0" >/dev/null
	check "$board-bdcr-needs-dbp" [ "$(($(read_word 0x40023870) & 3))" = 3 ]
	end_guest_errors
	check "$board-second-run" [ "$(run_sysinit)" = "0x00000000" ]
	check "$board-nothing-unmodelled" [ -z "$(grep -E 'not modelled: (RCC|PWR|FLASH|SYSCFG|peripheral)' "$WORK/sim.log")" ]
	# A peripheral psramsim does not model (USART1, RM0385 Table 1)
	# answers as an idle block and is logged once; reserved space is a
	# bus error.
	check "$board-usart1-idle" [ "$(($(read_word 0x4001101c)))" = 0 ]
	check "$board-usart1-logged" grep -q 'not modelled: USART1 register 0x01c' "$WORK/sim.log"
	check "$board-reserved-faults" contains "$(ocd 'catch {read_memory 0x40008000 32 1} e; set e')" 'failed to read memory'

	stop_board
done
