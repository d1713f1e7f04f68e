#!/bin/bash
# psramsim's devebox-h7a3 profile (STM32H7A3VIT6, RM0455) as OpenOCD's
# stock stm32h7x scripts see it: DEV_ID 0x480 rev A, the flash-size word
# at 0x08FFF80C, two 1 MiB banks of 8 KiB sectors that the stm32h7x
# driver erases, programs (16-byte flash words) and verifies; the board
# file's reset-init brings the core to 280 MHz in VOS0.
. "$(dirname "$0")/lib.sh"

lacks() { ! contains "$@"; }

FW=$WORK/fw
"$TOP/tests/progs/fw/build" "$FW" 0x7a >/dev/null ||
	{ fail build-firmware "tests/progs/fw/build failed"; exit 1; }
head -c 20480 /dev/urandom >"$WORK/blob.bin"

SIM_BOARD_CFG=$TOP/cfg/boards/sim-devebox-h7a3.cfg
start_board --board devebox-h7a3 || exit 1
check idcode-dev-480-rev-a [ "$(read_word 0x5c001000)" = "0x10006480" ]
# RCC_RSR at +0x130 (RM0455 §8.4.4): power-on sets PORRSTF, PINRSTF,
# BORRSTF, CDRSTF.
check rsr-power-on [ "$(($(read_word 0x58024530)))" = "$((0x00e80000))" ]
check flash-size-word [ "$(ocd 'read_memory 0x08fff80c 16 1')" = "0x800" ]
ocd "halt" "flash probe 0" "flash probe 1" >/dev/null
out=$(ocd "capture {flash info 0}")
check bank1-size contains "$out" "stm32h7x at 0x08000000, size 0x00100000"
check rev-a contains "$out" "STM32H7Ax/7Bx - Rev: A"
# One write-protection bit per four 8 KiB sectors, all clear from the
# factory (RM0455 §4.9.15; OpenOCD lists the protection groups).
check wps-groups contains "$out" "# 31: 0x000f8000 \(0x8000 32kB\) not protected"
check wps-last-group lacks "$out" "# 32: "
out=$(ocd "capture {flash info 1}")
check bank2-at-1m contains "$out" "stm32h7x at 0x08100000, size 0x00100000"

# reset-init: LDO supply, VOS0 ready, SYSCLK on PLL1, flash 6 wait states.
ocd "reset init" >/dev/null
# OpenOCD's reset is SYSRESETREQ: SFTRSTF and PINRSTF join the flags.
check rsr-software-reset [ "$(($(read_word 0x58024530)))" = "$((0x01e80000))" ]
check supply-ldo [ "$(read_word 0x5802480c)" = "0x2" ]
check vos0-ready [ "$(read_word 0x58024818)" = "0xe000" ]
check actvos0-ready [ "$(read_word 0x58024804)" = "0xe000" ]
check sysclk-pll1 [ "$(read_word 0x58024410)" = "0x1b" ]
check flash-latency-6 [ "$(read_word 0x52002000)" = "0x36" ]
# The supply configuration is written once per power-on (RM0455 §6.8.4).
expect_guest_errors # a second supply configuration is a rule broken
ocd "mww 0x5802480c 0x4" >/dev/null
end_guest_errors
check supply-locked [ "$(read_word 0x5802480c)" = "0x2" ]
# GPIO clock enables moved to AHB4ENR at +0x140 (RM0455 §8.7): a port is
# silent until enabled there.
expect_guest_errors # a write to an unclocked port, on purpose
ocd "mww 0x58020c00 0xffffffff" >/dev/null
end_guest_errors
check gpiod-gated [ "$(read_word 0x58020c00)" = "0x0" ]
ocd "mww 0x58024540 0x8" "mww 0x58020c00 0x5555aaaa" >/dev/null
check gpiod-enabled [ "$(read_word 0x58020c00)" = "0x5555aaaa" ]

# OCTOSPI1 and the I/O manager answer once AHB3ENR (+0x134) clocks them:
# OpenOCD's stmqspi magic ID, the I/O manager's reset mapping.
check octospi1-gated [ "$(read_word 0x520053fc)" = "0x0" ]
ocd "mww 0x58024534 0x00204000" >/dev/null
check octospi1-mid [ "$(read_word 0x520053fc)" = "0xa3c5dd01" ]
check octospim-p1cr [ "$(read_word 0x5200b404)" = "0x3010111" ]
check octospi2-still-gated [ "$(read_word 0x5200a3fc)" = "0x0" ]

# Erase, program and verify across three sectors of bank 1 and one of
# bank 2 with OpenOCD's driver and loader.
ocd "flash write_image erase $WORK/blob.bin 0x08002000 bin" >/dev/null
check program-bank1 contains "$(ocd "capture {verify_image $WORK/blob.bin 0x08002000 bin}")" "verified 20480 bytes"
ocd "flash write_image erase $WORK/blob.bin 0x081fa000 bin" >/dev/null
check program-bank2 contains "$(ocd "capture {verify_image $WORK/blob.bin 0x081fa000 bin}")" "verified 20480 bytes"
ocd "flash erase_sector 0 1 2" >/dev/null
out=$(ocd 'capture {flash erase_check 0}')
check erased-sectors-not-listed lacks "$out" "#  [12]: "
check sector-8k-not-erased contains "$out" "#  3: 0x00006000 \(0x2000 8kB\) not erased"
check bank2-last-sector contains "$(ocd 'capture {flash erase_check 1}')" "#127: 0x000fe000 \(0x2000 8kB\) not erased"
check next-sector-kept [ "$(read_word 0x08006000)" != "0xffffffff" ]

# Firmware programmed to flash runs after a reset.
ocd "program $FW/fw.elf verify reset" >/dev/null
check program-verify grep -q "Verified OK" "$WORK/openocd.log"
sleep 0.2
check firmware-runs contains "$(ocd 'read_memory 0x38000000 32 5')" "^0x464c5348 0x600dda7a 0x0 0x7a "
check no-complaints [ -z "$(openocd_complaints | grep -v 'Adding extra erase range')" ]
# Last, as OpenOCD logs the error: the window of a disabled OCTOSPI
# answers with a bus error (psramsim reports the access).
expect_guest_errors
ocd "mww 0x58024534 0x00204000" >/dev/null
check window-bus-error contains "$(ocd 'catch {read_memory 0x90000000 32 1} e; set e')" "failed to read memory"
