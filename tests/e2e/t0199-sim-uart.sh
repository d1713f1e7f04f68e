#!/bin/bash
# A console you can read: psramsim --uart 3=tcp:0 puts USART3 (the REPL
# UART of MicroPython's NUCLEO_H743ZI) on a TCP port and --uart 1=file:
# USART1 into a file. tests/progs/uart_echo.c prints a banner at 115200
# baud from the 64 MHz reset clock, then echoes what arrives (received in
# its USART3 interrupt) in upper case until 'q'.
. "$(dirname "$0")/lib.sh"

start_sim --board devebox-h750 --uart 3=tcp:0 --uart "1=file:$WORK/usart1.txt" || exit 1
uport=$(wait_log "$WORK/sim.log" '.*USART3 on 127\.0\.0\.1:([0-9]+).*') ||
	{ fail uart-port-announced; exit 1; }
start_openocd || exit 1
start_prog uart_echo

exec 3<>"/dev/tcp/127.0.0.1/$uport"
IFS= read -r -t 10 banner <&3
check banner-over-tcp [ "$banner" = $'psramsim USART3 console\r' ]
printf 'abc q' >&3
IFS= read -r -N 5 -t 10 echo <&3
check echo-upper-case [ "$echo" = "ABC Q" ]
IFS= read -r -t 10 line <&3
IFS= read -r -t 10 line <&3
check bye [ "$line" = $'bye\r' ]
exec 3>&-

ocd "wait_halt 5000" >/dev/null
check five-bytes-received [ "$(ocd 'dict get [get_reg -force r0] r0')" = "0x00000005" ]
check usart1-file [ "$(cat "$WORK/usart1.txt")" = $'USART1 to a file\r' ]
# 25 frames of 10 bits at 64 MHz / 556 = 115108 baud: 5560 CPU cycles
# each, 139000 in all (the TC wait included), within 1 %.
cycles=$(($(read_word "$(prog_symbol uart_echo banner_cycles)")))
check banner-takes-frame-time [ "$cycles" -ge 137610 -a "$cycles" -le 140390 ]
echo "  banner: $cycles cycles"
