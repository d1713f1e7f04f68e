#!/bin/bash
# A data-cache program of its own (tests/progs/dcache_probe.c, written from
# the ARMv7-M ARM and the Cortex-M7 TRM, not the stub) runs through real
# OpenOCD on the simulated H7A3: with an MPU region over the OCTOSPI window
# and the data cache on it compares what CPU loads and stores see with what
# indirect commands find in the chip. Write-back stores stay in the cache
# until cleaned or evicted, a line outlives an indirect write until it is
# invalidated, an invalidate loses a dirty line, write-through stores reach
# the chip, Shareable and FORCEWT memory is not written back. Without DQS on
# writes (ES0478) the store does not fault, the clean that sends it does.
# A dirty line is lost on a system reset.
. "$(dirname "$0")/lib.sh"

PROG=dcache_probe
params=$(prog_symbol $PROG params)
probe=$(prog_symbol $PROG probe)
SIM_BOARD_CFG=$TOP/cfg/boards/sim-devebox-h7a3.cfg

# run_probe NAME FLAGS: leaves done, passed, failed, clidr, ccsidr, stage,
# cfsr, hfsr, chip_word in R[].
run_probe() {
	local name=$1 flags=$2
	R=()
	start_board --board devebox-h7a3 || return 1
	ocd "halt" "load_image $BUILD/progs/$PROG.elf 0 elf" \
		"write_memory $params 32 {$flags}" \
		"reg sp 0x20010000" "reg xPSR 0x01000000" \
		"resume $(prog_symbol $PROG _start)" >/dev/null
	ocd "wait_halt 60000" >/dev/null
	[ -z "${AFTER_RESET:-}" ] || run_again_after_reset "$AFTER_RESET"
	read -r -a R <<<"$(ocd "read_memory $probe 32 9")"
	ocd "shutdown" >/dev/null 2>&1
	kill "$SIM_PID" 2>/dev/null
	wait "$OCD_PID" "$SIM_PID" 2>/dev/null
	[ -n "${R[0]:-}" ] || { fail "$name-finished" "no result"; return 1; }
}
# The program ran; a system reset, then it runs again with FLAGS.
run_again_after_reset() {
	FIRST=$(ocd "read_memory $probe 32 9")
	ocd "reset halt" "load_image $BUILD/progs/$PROG.elf 0 elf" \
		"write_memory $params 32 {$1}" \
		"reg sp 0x20010000" "reg xPSR 0x01000000" \
		"resume $(prog_symbol $PROG _start)" >/dev/null
	ocd "wait_halt 60000" >/dev/null
}
bit() { [ $(( (R[1] >> $1) & 1 )) = 1 ] && [ $(( (R[2] >> $1) & 1 )) = 0 ]; }

# The program's QPI commands use a plain set-up (no CSBOUND, no REFRESH):
# psramsim reports the tCHD/tCEM rules it breaks.
expect_guest_errors
run_probe cached 0
check finished [ "${R[0]}" = 0xd0e1d0e1 ]
check geometry-clidr-ccsidr bit 0
check wb-store-stays-in-cache bit 1
check dccmvac-cleans-to-chip bit 2
check line-outlives-indirect-write bit 3
check dcimvac-refetches bit 4
check dcimvac-drops-dirty bit 5
check fifth-line-evicts-one bit 6
check dccsw-cleans-all bit 7
check dcisw-drops-all bit 8
check wt-store-reaches-chip bit 9
check wt-store-miss-no-allocate bit 10
check ccr-dc-off-uncached bit 11
check shareable-uncached bit 12
check forcewt-writes-through bit 13
check nothing-failed [ "$((R[2]))" = 0 ]

# ES0478 behind a write-back line: the fault comes with the clean, as an
# imprecise BusFault (CFSR.IMPRECISERR).
run_probe no-dqse 1
check no-dqse-faults [ "${R[0]}" = 0xfa17fa17 ]
check no-dqse-fault-at-clean [ "$((R[5]))" = 21 ]
check no-dqse-imprecise [ $(( (R[6] >> 10) & 1 )) = 1 ]

# Data lost on a reset: a write-back store still in the cache when the
# core resets never reaches the chip (the lines are invalid after reset,
# nothing is written back).
AFTER_RESET=4 run_probe reset-loses-dirty 2
read -r -a F <<<"$FIRST"
check dirty-line-seen-before-reset [ "${F[8]}" = 0xd1d1d1d1 ]
check after-reset-finished [ "${R[0]}" = 0xd0e1d0e1 ]
check chip-never-got-the-store [ "${R[8]}" = 0x5eed5eed ]
