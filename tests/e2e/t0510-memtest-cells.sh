#!/bin/bash
# psramctl memtest finds injected bad cells at their exact address and bit,
# at each access width and in each mode, with nothing else reported; random
# flips are reported as transient (right on a second read); exit 1.
. "$(dirname "$0")/lib-verify.sh"

cells=(--sim-fault 'cell@0x000123:bit5=stuck0' --sim-fault 'cell@0x000abc:bit0=stuck1'
	--sim-fault 'cell@0x000ffd:bit7=stuck1')

for mode in qpi spi; do
	for w in 8 16 32; do
		n=$mode-$w
		ctl --sim "${cells[@]}" --json memtest --range 0:4K --mode "$mode" \
			--width "$w" --tests device,patterns --max-errors 1000
		check "$n-exit-1" [ "$CTL_RC" = 1 ]
		check "$n-cell-1" out_has '"cells":\[[^]]*\{"address":"0x000123","bit":5,"level":0\}'
		check "$n-cell-2" out_has '"cells":\[[^]]*\{"address":"0x000abc","bit":0,"level":1\}'
		check "$n-cell-3" out_has '"cells":\[[^]]*\{"address":"0x000ffd","bit":7,"level":1\}'
		others=$(grep -o '{"address":"0x[0-9a-f]*","bit":[0-9],"level":[01]}' "$WORK/ctl.out" |
			grep -vE '"0x000123","bit":5,"level":0|"0x000abc","bit":0,"level":1|"0x000ffd","bit":7,"level":1' | head -n 3)
		check "$n-nothing-else" [ -z "$others" ]
		check "$n-width" out_has "\"type\":\"mismatch\",\"test\":\"(device|patterns)\",\"pass\":1,\"width\":$w,"
		check "$n-lasting" bash -c "! grep '\"type\":\"mismatch\"' '$WORK/ctl.out' | grep -q '\"transient\":true'"
		check "$n-verdict" bash -c "tail -n 1 '$WORK/ctl.out' | grep -q '^{\"type\":\"memtest\",\"verdict\":\"fail\",.*\"mode\":\"$mode\"'"
	done
done

# The text form names the cells too.
ctl --sim "${cells[@]}" memtest --range 0:4K --tests device
check text-exit-1 [ "$CTL_RC" = 1 ]
check text-cell out_has '^  device +32-bit at 0x000120: wrote 0x[0-9a-f]{8}, read 0x[0-9a-f]{8}, bad bits 0x000123\.5 \(wrong again\)$'
expect_ctl text-one-error 1 '^psramctl: error: memtest: [0-9]+ wrong units?$'

# Random flips come and go: a second read is right.
ctl --sim --sim-fault flips=0.0005 --json memtest --range 0:16K --tests patterns
check flips-exit-1 [ "$CTL_RC" = 1 ]
check flips-transient out_has '"type":"mismatch",.*"transient":true\}$'
