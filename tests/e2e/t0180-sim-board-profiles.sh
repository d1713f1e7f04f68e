#!/bin/bash
# Each simulated board profile identifies itself as its MCU does: DEV_ID,
# REV_ID, flash size; OpenOCD's stm32h7x flash driver probes it.
. "$(dirname "$0")/lib.sh"

for spec in devebox-h750:0x20036450:0x80:0x00020000 devebox-h743:0x20036450:0x800:0x00100000 weact-h750:0x10036450:0x80:0x00020000; do
	IFS=: read -r board idcode kib bank_size <<<"$spec"
	SIM_BOARD_CFG=$TOP/cfg/boards/sim-$board.cfg
	start_board --board "$board" || exit 1
	check "$board-idcode" [ "$(read_word 0x5c001000)" = "$idcode" ]
	check "$board-flash-size" [ "$(ocd 'read_memory 0x1ff1e880 16 1')" = "$kib" ]
	out=$(ocd "halt" "flash probe 0")
	check "$board-flash-probe" contains "$out" "flash 'stm32h7x' found at 0x08000000"
	out=$(ocd "capture {flash info 0}")
	check "$board-bank-size" contains "$out" "stm32h7x at 0x08000000, size $bank_size"
	check "$board-rev" contains "$out" "STM32H74x/75x - Rev: [VY]"
	# reset-init brings SYSCLK up on PLL1 (RCC_CFGR.SWS = 3), HSE and
	# PLL1 ready, flash at 2 wait states.
	ocd "reset init" >/dev/null
	check "$board-reset-init-sysclk-pll1" [ "$(read_word 0x58024410)" = "0x1b" ]
	check "$board-reset-init-flash-latency" [ "$(read_word 0x52002000)" = "0x22" ]
	check "$board-no-complaints" [ -z "$(openocd_complaints)" ]
	stop_board
done
