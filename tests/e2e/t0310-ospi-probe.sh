#!/bin/bash
# An OCTOSPI program of its own (tests/progs/ospi_probe.c, written from
# RM0455, not the stub) runs through real OpenOCD on the simulated H7A3:
# it reads the PSRAM ID, writes and reads a pattern in QPI indirect mode,
# then maps the chip and stores and loads through the window. A mapped
# write without DQS management faults (ES0478); the I/O manager decides
# which OCTOSPI reaches the pins.
. "$(dirname "$0")/lib.sh"

PROG=ospi_probe
params=$(prog_symbol $PROG params)
probe=$(prog_symbol $PROG probe)
SIM_BOARD_CFG=$TOP/cfg/boards/sim-devebox-h7a3.cfg

# run_probe NAME "psramsim args" [flags length]
# Leaves the result words in R[] (done, id0-3, id4-7, mismatches,
# mm_mismatches, mm_first_bad, tef, timeouts, cfsr, hfsr, stage, irqs,
# irq_sr).
run_probe() {
	local name=$1 args=$2 flags=${3:-0} len=${4:-2048}
	R=()
	# shellcheck disable=SC2086
	start_board --board devebox-h7a3 $args || return 1
	ocd "halt" "load_image $BUILD/progs/$PROG.elf 0 elf" \
		"write_memory $params 32 {$len 1 7 $flags}" \
		"reg sp 0x20010000" "reg xPSR 0x01000000" \
		"resume $(prog_symbol $PROG _start)" >/dev/null
	ocd "wait_halt 60000" >/dev/null
	read -r -a R <<<"$(ocd "read_memory $probe 32 14")"
	ocd "shutdown" >/dev/null 2>&1
	kill "$SIM_PID" 2>/dev/null
	wait "$OCD_PID" "$SIM_PID" 2>/dev/null
	[ -n "${R[0]:-}" ] || { fail "$name-finished" "no result"; return 1; }
}
id_byte() { echo $(( (R[1 + $1 / 4] >> (8 * ($1 % 4))) & 0xff )); }

# The program's mapped pass streams 2048 bytes with DCR4.REFRESH
# releasing nCS within tCEM: no guest error.
run_probe clean ""
check clean-finished [ "${R[0]}" = 0xd0e1d0e1 ]
check clean-mf-0d [ "$(id_byte 0)" = 13 ]
check clean-kgd-5d [ "$(id_byte 1)" = 93 ]
check clean-indirect-pattern [ "$((R[3]))" = 0 ]
check clean-mapped-pattern [ "$((R[4]))" = 0 ]
check clean-no-timeouts [ "$((R[7]))" = 0 ]
# The SPI reset-enable ended through the TCF interrupt (NVIC 92).
check clean-tc-interrupt-once [ "$((R[11]))" = 1 ]
check clean-tc-interrupt-saw-tcf [ $(( R[12] & 2 )) = 2 ]

# From here on the test breaks rules on purpose (a mapped write without
# DQS, port 1 routed away from the OCTOSPI the program drives, an open
# IO2) and psramsim reports each.
expect_guest_errors

# ES0478: WCCR.DQSE = 0 turns the first mapped store into an AXI error:
# a HardFault (FORCED) from a BusFault, in the write stage.
run_probe no-dqse "" 1
check no-dqse-faults [ "${R[0]}" = 0xfa17fa17 ]
check no-dqse-in-mapped-writes [ "$((R[10]))" = 2 ]
check no-dqse-bus-error [ $(( (R[8] >> 8) & 0x6 )) != 0 ]
check no-dqse-forced [ $(( R[9] & (1 << 30) )) != 0 ]
check no-dqse-indirect-fine [ "$((R[3]))" = 0 ]

# Port 1 given to OCTOSPI2: the program's OCTOSPI1 reaches nothing, and
# OCTOSPI2 (window 0x70000000) does the same work.
run_probe port1-ospi2 "" 2
check routed-away-no-id [ "$(id_byte 0)" != 13 ]
check routed-away-fails [ "$((R[3]))" -gt 0 ]
run_probe ospi2 "" 6
check ospi2-finished [ "${R[0]}" = 0xd0e1d0e1 ]
check ospi2-id [ "$(id_byte 0)" = 13 ]
check ospi2-mapped-pattern [ "$((R[4]))" = 0 ]

# A wire fault reaches the mapped path as it does the indirect one.
run_probe io2-open "--fault io2=open"
check io2-open-indirect-fails [ "$((R[3]))" -gt 0 ]
check io2-open-mapped-fails [ "$((R[4]))" -gt 0 ]
