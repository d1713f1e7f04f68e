#!/bin/bash
# psramctl believes no clock the MCU does not confirm: with a board file
# whose reset-init errors half-way, or whose clocks are not what it claims
# (another crystal, a system clock left on HSI, a flash latency too low),
# every command that tests stops before the stub runs, names the register,
# the value read and what was expected, and exits 3 — never a PASS, never
# a figure. One psramsim and one OpenOCD per board file, shared by the
# commands.
. "$(dirname "$0")/lib-stub.sh"

# The board files below break clock rules on purpose; psramsim reports
# them as guest errors.
expect_guest_errors

# board NAME TCL: a board file for the simulated DEVEBOX H750 with TCL
# appended (after the real one, so it overrides).
board() {
	{
		echo 'source [find sim.cfg]'
		echo 'source [find boards/devebox-h750.cfg]'
		echo "$2"
	} >"$WORK/$1.cfg"
}

# against NAME: psramsim plus an OpenOCD on board file NAME.
against() {
	if [ -n "${OCD_PID:-}" ]; then
		kill "$OCD_PID" "$SIM_PID" 2>/dev/null
		wait "$OCD_PID" "$SIM_PID" 2>/dev/null
	fi
	SIM_BOARD_CFG=$WORK/$1.cfg start_board || exit 1
}

# refuses NAME REGEX CMD...: psramctl CMD exits 3 with one error matching
# REGEX, and prints no verdict and no figure.
refuses() {
	local name=$1 re=$2
	shift 2
	ctl --connect "127.0.0.1:$TCL_PORT" "$@"
	expect_ctl "$name" 3 "$re" 30
	check "$name-no-result" bash -c "! grep -qE 'PASS|MB/s|%|Result' '$WORK/ctl.out'"
}

board reset-error 'proc psram_h7_reset_init {} {
	psram_h7_clocks
	error "clock setup broke half-way"
}'
against reset-error
for cmd in eid "memtest --range 0:4096" "bench --sizes 64" verify margin; do
	# shellcheck disable=SC2086
	refuses "reset-init-error-${cmd%% *}" \
		"the board.s reset-init failed: clock setup broke half-way" $cmd
done
ctl --connect "127.0.0.1:$TCL_PORT" --json eid
check reset-init-error-json out_has '^\{"type":"error","error":"reset-init","message":"the board.s reset-init failed: clock setup broke half-way.*","exit":3\}$'

# The board file says 8 MHz but the PLL settings are for 25 MHz: the PLL
# input computed from the registers is outside its range.
board hse8 'set PSRAM_HSE_HZ 8000000'
against hse8
refuses hse-claim 'clock check: RCC_PLLCFGR \(0x5802442c\) = 0x[0-9a-f]+: PLL1 input is 1.600 MHz \(HSE / DIVM1 5\) but PLL1RGE says 4-8 MHz' verify

# reset-init that never switches the system clock to the PLL: the core
# runs on HSI at 64 MHz.
board on-hsi 'proc psram_h7_reset_init {} {
	set RCC 0x58024400
	mww [expr {$RCC + 0x00}] 0x00010001
	psram_h7_wait [expr {$RCC + 0x00}] 0x00020000 0x00020000 "HSE"
	mww 0x5802480C 0x00000002
	mww 0x58024818 0x0000C000
}'
against on-hsi
refuses sysclk-hsi 'clock check: the core runs at 64.000 MHz \(SYSCLK from HSI, RM0433\), PSRAM_CPU_HZ says 400.000 MHz' bench --sizes 64

# A flash latency too low for a 200 MHz AXI clock at voltage scale 1.
board latency1 'proc psram_h7_reset_init {} {
	psram_h7_clocks
	mww 0x52002000 0x00000011
}'
against latency1
refuses flash-latency 'clock check: FLASH_ACR \(0x52002000\) = 0x00000011: LATENCY is 1 wait states; an AXI clock of 200.0 MHz at voltage scale 1 needs at least 2' eid

# The claim is checked too: a board file that says 480 MHz.
board claim480 'set PSRAM_CPU_HZ 480000000'
against claim480
refuses cpu-claim 'clock check: the core runs at 400.000 MHz \(SYSCLK from PLL1, RM0433\), PSRAM_CPU_HZ says 480.000 MHz' memtest --range 0:4096

# The genuine board passes the check, and reports the computed clocks.
ctl --sim eid
check genuine-board-passes [ "$CTL_RC" -eq 0 ]
check genuine-clocks-logged err_has 'stub: clocks \(RM0433\): SYSCLK 400000000 Hz from PLL1, core 400000000 Hz, AXI 200000000 Hz, xSPI kernel 200000000 Hz from rcc_hclk3, VOS1, flash 2 WS'

# A board whose crystal never starts (psramsim's hse=absent): the board's
# reset-init times out waiting for HSERDY, and every command says so.
for cmd in eid verify; do
	ctl --sim --sim-fault hse=absent "$cmd"
	expect_ctl "hse-absent-$cmd" 3 "the board.s reset-init failed: reset-init: HSE did not become ready" 30
	check "hse-absent-$cmd-no-verdict" bash -c "! grep -qE 'PASS|MB/s' '$WORK/ctl.out'"
done

# An 8 MHz crystal on a board whose file says 25 MHz (psramsim's hse=8):
# the registers read as the board file wants, the PLL locks, but the core
# runs at 128 MHz. The stub measures it against the LSI before any test,
# over 8 LSI periods, to a few tenths of a percent (docs/clocks.md §3).
mhz128='12(7\.[6-9]|8\.[0-4]) MHz'
for cmd in eid "bench --sizes 1024" verify; do
	# shellcheck disable=SC2086
	ctl --sim --sim-fault hse=8 $cmd
	expect_ctl "hse8-${cmd%% *}" 3 "clock check: the core runs at $mhz128 measured against the LSI \(within 12 %\), PSRAM_CPU_HZ says 400.0 MHz" 30
	check "hse8-${cmd%% *}-no-result" bash -c "! grep -qE 'PASS|MB/s|%' '$WORK/ctl.out'"
done
ctl --sim --sim-fault hse=8 --json eid
check hse8-json out_has '^\{"type":"error","error":"clocks","message":"clock check: the core runs at '"$mhz128"'.*","exit":3\}$'
# On the genuine board the stub measures 400 MHz (within 1 %).
ctl --sim eid
check genuine-lsi err_has 'core clock (39[6-9]|40[0-3])[0-9]{6} Hz against the LSI'
