#!/bin/bash
# psramctl mapcheck: after the indirect tests clear the chip and its
# joints, each memory-mapped setup is tried; the words keep the chip and
# the configuration apart. On the H7A3: DQS off faults (ES0478); with a
# chip that needs its refresh, no timeout counter loses data; the
# recommended setup works and is printed as registers and HAL fields;
# with a write-back cache and no clean the stores stay in the cache.
. "$(dirname "$0")/lib-stub.sh"

# mapcheck's trials break rules on purpose (DQS off: ES0478; no timeout
# counter, no REFRESH: CE# past tCEM), and psramsim reports each; above
# 50 MHz every command also ends under tCHD (t0330).
expect_guest_errors

ctl --sim --sim-board devebox-h7a3 --sim-fault tcem=strict mapcheck
check exit-0 [ "$CTL_RC" = 0 ]
check chip-cleared out_has '^  indirect +ok +the chip and every joint pass in indirect mode'
check recommended-works out_has '^  recommended +works'
check dqs-off-es0478 out_has '^  dqs=off +faults +mapped writes with DQS disabled fault: ES0478'
check timeout-off-loses out_has '^  timeout=off +loses data +[0-9]+ wrong units: NCS stays low .* enable the timeout counter'
check mpu-nc-works out_has '^  mpu=nc +works'
check mpu-wb-works out_has '^  mpu=wb +works +with the data cache on and each line cleaned'
# Caching, really modelled: write-back stores left uncleaned never reach
# the chip; write-through ones do.
check wb-no-clean-depends-on-caching out_has '^  wb no clean +loses data +[0-9]+ wrong units, which depend on caching: write-back stores stay in the data cache'
check wt-no-clean-works out_has '^  wt no clean +works +write-through stores reach the chip'
# Line write-backs stream: without REFRESH, CE# outlasts tCEM in a page.
check wb-no-refresh-depends-on-caching out_has '^  wb refresh=0 +loses data +[0-9]+ wrong units, which depend on caching: line write-backs'
# 7/8 of tCEM at 46.667 MHz, the board's 70 MHz brought within tCHD.
check recommended-refresh out_has 'DCR4 0x00000147$'
check hal-refresh out_has 'Refresh = 327;'
check words-two-worlds out_has '^The chip and every joint are good'
check registers out_has '^  WCCR 0x23002303 +WTCR 0x00000000 +WIR +0x00000038'
check hal-dqs out_has 'DQSMode = HAL_OSPI_DQS_ENABLE \(ES0478\)'
check hal-timeout out_has 'TimeOutActivation = HAL_OSPI_TIMEOUT_COUNTER_ENABLE; TimeOutPeriod = 1'
check lptr-spans-tchd out_has '^  LPTR 0x00000001 '
check no-error-line [ -z "$(ctl_messages)" ]

# The QUADSPI boards: the OCTOSPI-only settings do not apply. With
# strict tCEM every trial but timeout=off keeps its data: the stub reads
# the window in runs within tCEM and lets NCS rise between them. Only
# timeout=off holds CE# past tCEM, the one guest error psramsim logs.
for board in devebox-h750 f746g-disco; do
	from=$(($(guest_lines) + 1))
	ctl --sim --sim-board "$board" --sim-fault tcem=strict --json mapcheck --range 0:16K
	check "$board-exit-0" [ "$CTL_RC" = 0 ]
	check "$board-dqs-na" out_has '"setup":"dqs=off","result":"not applicable"'
	check "$board-no-mapped-writes-to-cache" out_has '"setup":"wb no clean","result":"not applicable"'
	for setup in recommended mpu=device mpu=nc mpu=wt mpu=wb; do
		check "$board-$setup-works" out_has "\"setup\":\"$setup\",\"result\":\"works\""
	done
	check "$board-timeout-off-loses" out_has '"setup":"timeout=off","result":"loses data"'
	check "$board-verdict" out_has '^\{"type":"mapcheck","verdict":"pass"'
	check "$board-only-timeout-off-breaks-tcem" [ -z "$(tail -n +"$from" "$PSRAMSIM_LOG" | grep -v 'longer than tCEM')" ]
	# With no REFRESH or CSBOUND a sequential run of mapped reads
	# outlasts tCEM after (400 - 14) / 2 bytes at 50 MHz.
	[ "$board" = devebox-h750 ] &&
		check h750-read-run-limit out_has '"lptr":1,"refresh":0,"read_run_bytes":193'
done

# A broken joint is the chip's business, not the configuration's.
ctl --sim --sim-board devebox-h7a3 --sim-fault io2=open mapcheck --range 0:4K
expect_ctl io2-open-says-verify 1 'lose data in indirect mode .* run psramctl verify first'
ctl --sim mapcheck extra
expect_ctl no-arguments 2 "'mapcheck' takes no arguments"
