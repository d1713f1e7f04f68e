#!/bin/bash
# psramctl bench options: --clock takes the fastest prescaler not above it
# and reports the clock it got; --repeat, --ops, --range; more sizes than
# one stub run holds; and every bad option is a one-line usage error
# (exit 2) before the stub runs.
. "$(dirname "$0")/lib-stub.sh"

# 33 MHz from a 200 MHz kernel clock: /6 would be 33.3, above it, so /7.
ctl --sim --json bench --clock 33 --sizes 1024
check clock-exit-0 [ "$CTL_RC" = 0 ]
check clock-nearest-below out_has '"clock_hz":28571428,"asked_hz":33000000,"kernel_hz":200000000,"prescaler":6'
ctl --sim bench --clock 33 --sizes 1024
check clock-table out_has '^Clock: 28\.571 MHz \(asked 33\.000 MHz; kernel 200\.000 MHz / 7\)'
# 25 MHz SPI: 0x03, no wait clocks, below its 33 MHz limit.
ctl --sim --json bench --mode spi --clock 25 --sizes 64
check spi-25-read-0x03 out_has '"read_cmd":"0x03","write_cmd":"0x02","clock_hz":25000000'

# --repeat: that many samples per size and op, the median reported.
ctl --sim --json bench --repeat 3 --sizes 256,512
check repeat-exit-0 [ "$CTL_RC" = 0 ]
check repeat-samples [ "$(grep -o '"samples":3' "$WORK/ctl.out" | wc -l)" = 4 ]
check repeat-in-summary out_has '"repeat":3'

# --ops read: no write figures.
ctl --sim --json bench --ops read --sizes 64
check ops-read out_has '"read":\{"mb_s"'
check ops-read-only bash -c "! grep -q '\"write\":' '$WORK/ctl.out'"

# 32 sizes: two stub runs of 16, every size reported once.
ctl --sim --json bench --sizes 4..128:4 --ops write
check many-sizes-exit-0 [ "$CTL_RC" = 0 ]
check many-sizes-32-rows [ "$(grep -c '"type":"bench-size"' "$WORK/ctl.out")" = 32 ]
check many-sizes-last out_has '"size":128,'
check many-sizes-odd out_has '"size":52,'

# --range: a small area still holds the transfers.
ctl --sim --json bench --range 0x10000:8K --sizes 16,4096
check range-exit-0 [ "$CTL_RC" = 0 ]
check range-rows [ "$(grep -c '"type":"bench-size"' "$WORK/ctl.out")" = 2 ]

# Sizes that are not multiples of a word, and larger than the stub's
# 8 KiB buffer.
ctl --sim --json bench --sizes 3,1001,65536 --ops read,write
check odd-sizes-exit-0 [ "$CTL_RC" = 0 ]
check odd-sizes-rows [ "$(grep -c '"type":"bench-size"' "$WORK/ctl.out")" = 3 ]

# Usage errors: exit 2, one line naming the input, no stub run.
usage() { # usage NAME REGEX ARGS...
	local name=$1 re=$2
	shift 2
	ctl --sim bench "$@"
	expect_ctl "$name" 2 "$re"
	check "$name-no-stub" bash -c "! grep -q '^stub: ' '$WORK/ctl.err'"
}
usage sizes-reversed "invalid value '[^']*' for --sizes: '4\.\.2': the end is below the start" --sizes 4..2
usage sizes-garbage "invalid value '[^']*' for --sizes: 'lots' is not a size" --sizes lots
usage sizes-too-big "invalid value '[^']*' for --sizes: '128K': sizes must lie in 1\.\.65536" --sizes 128K
usage sizes-zero "invalid value '[^']*' for --sizes: '0': sizes must lie in" --sizes 0,4
usage ops-bad "invalid value 'erase' for --ops" --ops erase
usage mode-bad "invalid value 'mapped' for --mode \(expected qpi or spi\)" --mode mapped
usage clock-bad "invalid value 'fast' for --clock" --clock fast
usage clock-zero "invalid value '0' for --clock" --clock 0
usage range-beyond "invalid value '[^']*' for --range: '7M:2M': beyond the chip's 8388608 bytes" --range 7M:2M
usage range-small "--range: 1024 bytes leave no room for transfers of 2048 bytes" --range 0:1K --sizes 2048
usage repeat-zero "invalid value '0' for --repeat" --repeat 0
usage csv-and-json "--csv and --json are two different outputs" --csv --json
usage argument "'bench' takes no arguments" now
usage plot-unwritable "cannot write --plot '$WORK/no/such/dir.svg'" --plot "$WORK/no/such/dir.svg"

ctl bench --help
check help-exit-0 [ "$CTL_RC" = 0 ]
check help-usage out_has '^usage: psramctl \[options\] bench'
check help-sizes out_has '^ +--sizes LIST'
check help-plot out_has '^ +--plot FILE'
expect_no_leftovers no-leftovers
