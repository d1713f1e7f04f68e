#!/bin/bash
# A QUADSPI program of its own (tests/progs/qspi_probe.c, written from the
# reference manual, not the stub) runs through real OpenOCD on psramsim:
# it reads the ID of each chip variant and writes/reads a pattern in QPI;
# each fault of docs/psramsim-faults.md visibly changes what it reads. Its
# JEDEC read writes AR after the CCR write that started it, as the HAL
# does: ignored while BUSY (RM0399 §24.5.7), no guest error.
. "$(dirname "$0")/lib.sh"

PROG=qspi_probe
params=$(prog_symbol $PROG params)
probe=$(prog_symbol $PROG probe)

# run_probe NAME "psramsim args" [length prescaler seed offset burst wburst]
# Leaves the result words in R[] (done, id0-3, id4-7, jedec, mismatches,
# first_bad_addr, first_bad_read, first_bad_expected, timeouts, tef,
# cycles_write, cycles_read, irqs, irq_sr).
run_probe() {
	local name=$1 args=$2 len=${3:-4096} pre=${4:-1} seed=${5:-1} off=${6:-0} burst=${7:-64} wburst=${8:-${7:-64}}
	R=()
	# shellcheck disable=SC2086
	start_board --board devebox-h750 $args || return 1
	run_prog $PROG 60000 \
		"write_memory $params 32 {$len $pre $seed $off $burst $wburst}" \
		>/dev/null
	read -r -a R <<<"$(ocd "read_memory $probe 32 14")"
	stop_board
	[ "${R[0]:-}" = "0xd0e1d0e1" ] || { fail "$name-finished" "the probe program did not finish"; return 1; }
}
# ID bytes in wire order: id[0] is the low byte of the first word.
id_byte() { echo $(( (R[1 + $1 / 4] >> (8 * ($1 % 4))) & 0xff )); }
mism() { echo $((R[4])); }

declare -A eid_tail
for chip in esp-psram64h ly68l6400 aps6404l ips6404l; do
	run_probe "$chip" "--chip $chip --seed 3" || { fail "$chip-runs"; continue; }
	check "$chip-mf-0d" [ "$(id_byte 0)" = 13 ]
	check "$chip-kgd-pass-5d" [ "$(id_byte 1)" = 93 ]
	check "$chip-density-64mbit" [ $(( $(id_byte 2) >> 5 )) = 2 ]
	check "$chip-qpi-pattern-ok" [ "$(mism)" = 0 ]
	# The reset-enable command ended through the TCF interrupt (NVIC 92).
	check "$chip-tc-interrupt-once" [ "$((R[12]))" = 1 ]
	check "$chip-tc-interrupt-saw-tcf" [ $(( R[13] & 2 )) = 2 ]
	eid_tail[$chip]=$(printf '%02x%02x%02x' "$(id_byte 3)" "$(id_byte 4)" "$(id_byte 5)")
done
# The die-specific bytes depend on the instance (seed), not the vendor.
run_probe seed4 "--chip esp-psram64h --seed 4"
tail4=$(printf '%02x%02x%02x' "$(id_byte 3)" "$(id_byte 4)" "$(id_byte 5)")
check eid-tail-differs-per-die [ "$tail4" != "${eid_tail[esp-psram64h]}" ]

run_probe kgd "--fault kgd=fail"
check kgd-fail-55 [ "$(id_byte 1)" = 85 ]

# A flash chip answering the probe's PSRAM commands, and the wire faults
# below, make psramsim report what the wires see (bus contention, garbled
# commands): expected here.
expect_guest_errors
run_probe w25q "--chip w25q64"
check w25q64-jedec-ef4017 [ "$(( R[3] & 0xffffff ))" = $((0x1740ef)) ]
check w25q64-not-psram [ "$(id_byte 0)$(id_byte 1)" != 1393 ]
check w25q64-pattern-fails [ "$(mism)" -gt 0 ]

run_probe absent "--chip absent"
check absent-no-id [ "$(id_byte 0)" != 13 ]
check absent-pattern-fails [ "$(mism)" -gt 0 ]

# Electrical faults: every line, every kind.
for spec in io0=open io1=open io2=open io3=open io0=stuck0 io1=stuck1 io2=stuck0 io3=stuck1 io0+io1=short io2+io3=short clk=open cs=open; do
	run_probe "$spec" "--fault $spec" || { fail "$spec-runs"; continue; }
	check "$spec-visible" [ "$(mism)" -gt 0 ]
done
end_guest_errors
# SPI-mode ID reads only use IO0/IO1: an open IO2 leaves the ID intact.
run_probe io2-id "--fault io2=open"
check io2-open-id-still-read [ "$(id_byte 0)" = 13 ]

# Chip faults.
run_probe addr "--fault addr5=stuck1"
check addr-stuck-visible [ "$(mism)" -gt 0 ]
run_probe addrshort "--fault addr4+addr7=short"
check addr-short-visible [ "$(mism)" -gt 0 ]
run_probe cell "--fault cell@0x100:bit3=stuck0" 4096 1 5
bad=$(( R[6] ^ R[7] ))
check cell-exact-address [ "$(printf '0x%x' $((R[5])))" = 0x100 ]
check cell-exact-bit [ "$bad" = 8 ]
run_probe flips "--fault flips=0.001 --seed 9"
check flips-visible [ "$(mism)" -gt 0 ]
run_probe fmax-fast "--fault fmax=20" 4096 1 &&
	check fmax-above-limit-fails [ "$(mism)" -gt 0 ]
# 16 MHz: bursts of 32 bytes keep CS low within tCEM.
run_probe fmax-slow "--fault fmax=20" 4096 3 1 0 32 &&
	check fmax-below-limit-passes [ "$(mism)" = 0 ]
# Written in 32-byte bursts that stay inside pages, read back in 64-byte
# bursts from 0x3e0 that cross the 1 KiB page boundary at 0x400.
run_probe pagecross "--fault pagecross-max=20" 4096 1 1 0x3e0 64 32 &&
check pagecross-above-limit-fails [ "$(mism)" -gt 0 ]
run_probe pagecross-aligned "--fault pagecross-max=20" 4096 1 1 0 64
check pagecross-within-page-passes [ "$(mism)" = 0 ]
# 512-byte bursts at 32 MHz hold CS low ~32 µs, beyond tCEM (8 µs).
# Bursts longer than tCEM on purpose: psramsim reports each.
expect_guest_errors
run_probe tcem "--fault tcem=strict" 4096 1 1 0 512
check tcem-strict-long-bursts-fail [ "$(mism)" -gt 0 ]
run_probe tcem-short "--fault tcem=strict" 4096 1 1 0 64
check tcem-strict-short-bursts-pass [ "$(mism)" = 0 ]

# Same seed, same board: the same errors at the same modelled time, however
# fast the host ran and whenever OpenOCD polled.
run_probe det1 "--fault flips=0.0005 --seed 11" &&
	first=("${R[4]}" "${R[5]}" "${R[10]}" "${R[11]}")
run_probe det2 "--fault flips=0.0005 --seed 11" &&
	check deterministic-with-seed [ "${first[*]}" = "${R[4]} ${R[5]} ${R[10]} ${R[11]}" ]
run_probe det3 "--fault flips=0.0005 --seed 12" &&
	check seed-changes-errors [ "${first[0]} ${first[1]}" != "${R[4]} ${R[5]}" ]
