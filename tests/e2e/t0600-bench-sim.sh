#!/bin/bash
# psramctl bench on psramsim through real OpenOCD: every size measured;
# from 1 KiB up, read and write within 5 % of the wire limit, which this
# test works out again from docs/psram-chips.md §4 and §7; the shape real
# boards show (small transfers dominated by the command overhead, flat from
# the page up, read and write close); the output says the times are
# modelled; JSON, CSV, the table, and an SVG chart holding every point
# that rsvg-convert renders.
. "$(dirname "$0")/lib-stub.sh"

sizes="4 8 16 32 64 128 256 512 1024 2048 4096 8192"

# op_field SIZE OP: "mb_s limit_mb_s efficiency" of one --json line.
op_field() {
	sed -nE "s/.*\"type\":\"bench-size\",\"size\":$1,.*\"$2\":\{\"mb_s\":([0-9.]+),\"limit_mb_s\":([0-9.]+),\"efficiency\":([0-9.]+).*/\1 \2 \3/p" "$WORK/ctl.out"
}

# wire_mbs MHZ HEADER CLOCKS_PER_BYTE SIZE: the wire limit in MB/s, from
# the documents: bursts of at most (tCEM·f − 2 − header) / clocks-per-byte
# bytes (8 µs; one clock of nCS setup and one of hold, RM0399 §24.3.16),
# each paying the header and ceil(50 ns · f) clocks of CE# high.
wire_mbs() {
	awk -v f="$1" -v h="$2" -v c="$3" -v n="$4" 'BEGIN {
		burst = int((int(8 * f) - 2 - h) / c)
		bursts = int((n + burst - 1) / burst)
		csh = int(50 * f / 1000); if (csh < 50 * f / 1000) csh++
		printf "%.3f", n * f / (bursts * (2 + h + csh) + n * c)
	}'
}

# ge A B / le A B: decimal comparisons.
ge() { [ "$(echo "$1 >= $2" | bc)" = 1 ]; }
le() { [ "$(echo "$1 <= $2" | bc)" = 1 ]; }

run_mode() { # run_mode MODE
	local mode=$1 s op r w
	ctl --sim --json bench --mode "$mode" --plot "$WORK/$mode.svg"
	check "$mode-exit-0" [ "$CTL_RC" = 0 ]
	check "$mode-no-error" [ -z "$(ctl_messages)" ]
	check "$mode-13-lines" [ "$(wc -l <"$WORK/ctl.out")" = 13 ]
	check "$mode-summary" out_has "^\{\"type\":\"bench\",\"board\":\"devebox-h750\",\"chip\":\"ESP-PSRAM64H\",\"mode\":\"$mode\""
	check "$mode-modelled" out_has '"simulated":true'
	# The board's 50 MHz from its 200 MHz kernel clock: prescaler 3.
	check "$mode-clock" out_has '"clock_hz":50000000,"asked_hz":50000000,"kernel_hz":200000000,"prescaler":3'
	for s in $sizes; do
		for op in read write; do
			set -- $(op_field "$s" "$op")
			# A precondition of the checks below, not a test.
			if [ $# != 3 ]; then
				fail "$mode-$s-$op-present" "no $op figures for $s bytes"
				continue
			fi
			if [ "$s" -ge 1024 ]; then
				check "$mode-$s-$op-within-5pct" ge "$3" 0.95
				check "$mode-$s-$op-below-limit" le "$1" "$2"
			fi
		done
		# Read and write close from 64 bytes up (within 10 %).
		r=$(op_field "$s" read | cut -d' ' -f1)
		w=$(op_field "$s" write | cut -d' ' -f1)
		if [ "$s" -ge 64 ]; then
			check "$mode-$s-read-write-close" ge "$r" "$(echo "$w * 0.9" | bc)"
			check "$mode-$s-write-read-close" ge "$w" "$(echo "$r * 0.9" | bc)"
		fi
	done
}

run_mode qpi
# The limit psramctl reports is the documents': QPI 0xEB 2+6+6 clocks,
# 0x38 2+6, two clocks per byte (docs/psram-chips.md §7).
for s in 1024 8192; do
	check "qpi-$s-read-limit" [ "$(op_field $s read | cut -d' ' -f2)" = "$(wire_mbs 50 14 2 $s)" ]
	check "qpi-$s-write-limit" [ "$(op_field $s write | cut -d' ' -f2)" = "$(wire_mbs 50 8 2 $s)" ]
done
# Small transfers are all overhead; from the page up it is flat.
e4=$(op_field 4 read | cut -d' ' -f3)
e1k=$(op_field 1024 read | cut -d' ' -f3)
check qpi-small-blocks-overhead le "$e4" "$(echo "$e1k / 2" | bc -l)"
m1k=$(op_field 1024 read | cut -d' ' -f1)
m8k=$(op_field 8192 read | cut -d' ' -f1)
check qpi-flat-from-1k le "$m8k" "$(echo "$m1k * 1.05" | bc -l)"
check qpi-grows le "$m1k" "$m8k"
m4=$(op_field 4 read | cut -d' ' -f1)
check qpi-4-bytes-slowest le "$m4" "$(op_field 64 read | cut -d' ' -f1)"

# The chart: valid (rsvg-convert parses it), every measured point in it.
svg=$WORK/qpi.svg
step svg-written test -s "$svg"
check svg-24-points [ "$(grep -c 'class="point"' "$svg")" = 24 ]
for s in $sizes; do
	check "svg-point-$s" [ "$(grep -c "class=\"point\" data-series=\"[02]\" data-x=\"$s\"" "$svg")" = 2 ]
done
check svg-labels grep -q 'devebox-h750, ESP-PSRAM64H, QPI 4-4-4 (read 0xEB, write 0x38), 50.000 MHz' "$svg"
check svg-wire-limit grep -q '>wire limit, read</text>' "$svg"
check svg-modelled grep -q 'Times modelled by psramsim' "$svg"
if rsvg-convert -o "$WORK/qpi.png" "$svg" 2>"$WORK/rsvg.err"; then
	pass svg-renders
else
	fail svg-renders "$(head -n 2 "$WORK/rsvg.err")"
fi
check png-signature [ "$(head -c 8 "$WORK/qpi.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]
# IHDR: 900 x 540.
check png-size [ "$(dd if="$WORK/qpi.png" bs=1 skip=16 count=8 status=none | od -An -tx1 | tr -d ' \n')" = 000003840000021c ]

run_mode spi
# SPI 1-1-1 at 50 MHz: 0x0B with 8 wait clocks (above 0x03's 33 MHz),
# 0x02 write: 8 clocks per byte.
check spi-read-cmd out_has '"lines":"1-1-1","read_cmd":"0x0b","write_cmd":"0x02"'
check spi-1k-read-limit [ "$(op_field 1024 read | cut -d' ' -f2)" = "$(wire_mbs 50 40 8 1024)" ]

# The table says where the times come from.
ctl --sim bench --sizes 4,1024
check table-exit-0 [ "$CTL_RC" = 0 ]
check table-modelled out_has '^Times: modelled by psramsim'
check table-heading out_has '^ +SIZE +READ +LIMIT +EFF +WRITE +LIMIT +EFF'
check table-row-4 out_has '^ +4 +[0-9]+\.[0-9]{2} +[0-9]+\.[0-9]{2} +[0-9]+\.[0-9]%'
check table-row-1024 out_has '^ +1024 +[0-9]+\.[0-9]{2} +[0-9]+\.[0-9]{2} +[0-9]+\.[0-9]%'
check table-footer out_has '^Efficiency from 1 KiB up: read [0-9.]+-[0-9.]+%, write'

ctl --sim bench --csv --sizes 4,16,1024 --ops write
check csv-exit-0 [ "$CTL_RC" = 0 ]
check csv-header [ "$(head -n 1 "$WORK/ctl.out")" = "size,write_mb_s,write_limit_mb_s,write_efficiency" ]
check csv-rows [ "$(grep -cE '^(4|16|1024),[0-9.]+,[0-9.]+,[0-9.]+$' "$WORK/ctl.out")" = 3 ]
check csv-only-rows [ "$(wc -l <"$WORK/ctl.out")" = 4 ]
expect_no_leftovers no-leftovers
