#!/bin/bash
# psramsim: a clean chip passes at every clock up to the fastest the
# ESP-PSRAM64H's timing allows (its 20 ns tCHD against the QUADSPI's one
# clock of nCS hold: 50 MHz of the 200 MHz kernel clock), and beyond it
# up to --max when asked; fmax=MHZ and pagecross-max=MHZ faults are found
# within one prescaler step and named clock-limit and page-cross; the map
# and --json.
. "$(dirname "$0")/lib-stub.sh"

KERNEL=200000000

# summary KEY: a number from the --json summary line.
summary() {
	sed -nE "s/^\{\"type\":\"margin\".*\"$1\":([0-9.]+).*/\1/p" "$WORK/ctl.out"
}

# next_step HZ: the next faster clock of the kernel clock's prescalers.
next_step() {
	local d=$((KERNEL / $1))
	echo $((KERNEL / (d - 1)))
}

within_step() { # within_step NAME FOUND_HZ FAULT_MHZ
	local next
	next=$(next_step "$2")
	if [ "$2" -le $(($3 * 1000000)) ] && [ "$next" -gt $(($3 * 1000000)) ]; then
		pass "$1"
	else
		fail "$1" "found $2 Hz, next step $next Hz, fault at $3 MHz"
	fi
}

ctl --sim --json margin
check clean-exit-0 [ "$CTL_RC" = 0 ]
check clean-no-error [ -z "$(ctl_messages)" ]
check clean-pass out_has '"pass":true,"max_pass_hz":50000000'
check clean-range out_has '"min_hz":8000000,"max_hz":50000000'
# The sweep itself stays within the datasheet: the recommended clock, and
# why it is the limit.
check clean-recommended [ "$(summary recommended_hz)" = 50000000 ]
check clean-spec out_has '"spec_max_hz":50000000,"spec_limit":"tCHD 20.0 ns: the QUADSPI holds nCS one clock after the last edge"'
check clean-no-faults out_has '"faults":\[\]\}$'
# 22 clocks (8 to 50 MHz), each with the sample shift off and on.
check clean-44-points [ "$(grep -c '"type":"margin-point"' "$WORK/ctl.out")" = 44 ]
check clean-page-at-50 out_has '"clock_hz":50000000,"prescaler":3,"sample_shift":false,"data":\{"checked":2048,"wrong":0\},"page":\{"checked":[0-9]+,"wrong":0\},"pass":true'

ctl --sim margin
check map-exit-0 [ "$CTL_RC" = 0 ]
check map-heading out_has '^ +CLOCK +DIV +SAMPLE SHIFT OFF +SAMPLE SHIFT ON$'
check map-row-8 out_has '^ +8\.000 MHz +25 +pass +pass$'
check map-verdict out_has '^Passes at every clock up to 50\.000 MHz, the highest tested\.$'
check map-recommended out_has '^Recommended: 50\.000 MHz \(sample shift off\)\.$'
check map-spec out_has '^In spec up to 50\.000 MHz \(tCHD 20\.0 ns: the QUADSPI holds nCS one clock after the last edge\)\.$'

# Beyond the datasheet only when asked (--max), and said so; psramsim
# reports the tCHD those clocks break, as a scope would show it: a clock
# the test asks for out of spec. In strict timing (tests/e2e/lib.sh) the
# chip loses the last byte of each write there, as the datasheet permits.
expect_guest_errors
ctl --sim margin --max 100
end_guest_errors
check beyond-exit-1 [ "$CTL_RC" = 1 ]
check beyond-warns err_has 'warning: --max 100\.000 MHz: the points above 50\.000 MHz are outside the ESP-PSRAM64H.s datasheet \(tCHD 20\.0 ns'
check beyond-row-66 out_has '^ +66\.667 MHz +3 +FAIL data [0-9]+/2048 +FAIL data'
check beyond-row-100 out_has '^ +100\.000 MHz +2 +FAIL data [0-9]+/2048 +FAIL data'
check beyond-verdict out_has '^Data fail above 50\.000 MHz \(clock-limit\)\.$'
check beyond-highest out_has '^Highest clock passing: 50\.000 MHz\.$'
check beyond-recommended out_has '^Recommended, one prescaler step below: 40\.000 MHz \(sample shift off\)\.$'
check beyond-spec out_has '^In spec up to 50\.000 MHz \(tCHD 20\.0 ns: the QUADSPI holds nCS one clock after the last edge\)\.$'

# Every transfer above 45 MHz corrupts: found within one prescaler step.
ctl --sim --sim-fault fmax=45 --json margin
check fmax-exit-1 [ "$CTL_RC" = 1 ]
check fmax-clock-limit out_has '"faults":\[\{"kind":"clock-limit","max_mhz":[0-9.]+\}\]'
within_step fmax-within-one-step "$(summary data_max_hz)" 45
check fmax-max-pass [ "$(summary max_pass_hz)" = "$(summary data_max_hz)" ]
# One step below the highest passing clock.
check fmax-recommended [ "$(summary recommended_hz)" = $((KERNEL / (KERNEL / $(summary max_pass_hz) + 1))) ]
ctl --sim --sim-fault fmax=45 margin
check fmax-map-fail out_has '^ +50\.000 MHz +4 +FAIL data [0-9]+/2048 +FAIL data'
check fmax-map-verdict out_has '^Data fail above 40\.000 MHz \(clock-limit\)\.$'
expect_ctl fmax-error 1 'margin: fails above 40\.000 MHz'

# Bursts across a page corrupt above 30 MHz; everything else is fine.
ctl --sim --sim-fault pagecross-max=30 --json margin
check page-exit-1 [ "$CTL_RC" = 1 ]
check page-fault out_has '"faults":\[\{"kind":"page-cross","max_mhz":[0-9.]+\}\]'
within_step page-within-one-step "$(summary page_cross_max_hz)" 30
check page-data-fine [ "$(summary data_max_hz)" = 50000000 ]

# Both at once, in SPI mode.
ctl --sim --sim-fault fmax=25 --sim-fault pagecross-max=15 --json margin --mode spi
check both-exit-1 [ "$CTL_RC" = 1 ]
within_step both-fmax "$(summary data_max_hz)" 25
within_step both-page "$(summary page_cross_max_hz)" 15
check both-mode out_has '"mode":"spi"'

# --min/--max/--sample-shift narrow the sweep.
ctl --sim --json margin --min 20 --max 50 --sample-shift on
check narrow-exit-0 [ "$CTL_RC" = 0 ]
check narrow-points [ "$(grep -c '"type":"margin-point"' "$WORK/ctl.out")" = 7 ]
check narrow-shift-on bash -c "! grep -q '\"sample_shift\":false' '$WORK/ctl.out'"
check narrow-range out_has '"min_hz":20000000,"max_hz":50000000'

ctl --sim margin --min 60 --max 50
expect_ctl bad-range 2 '--max is below --min'
ctl --sim margin --sample-shift sideways
expect_ctl bad-shift 2 "invalid value 'sideways' for --sample-shift"
ctl --sim margin --min 101 --max 120 --mode spi
expect_ctl no-prescaler 2 'no prescaler of the 200\.000 MHz kernel clock gives a clock from 101\.000 to 120\.000 MHz'
expect_no_leftovers no-leftovers
