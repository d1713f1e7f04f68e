#!/bin/bash
# psramctl verify inside the chip: internal address bits stuck (a spread
# of them, at 0 and at 1: both make the same addresses alias, so the level
# is not claimed) and tied, and bad cells, each at its address and bit.
. "$(dirname "$0")/lib-verify.sh"

for bit in 0 9 17 22; do
	for level in 0 1; do
		verify_with "addr$bit=stuck$level"
		expect_verdict "addr$bit-stuck$level" fail 1 \
			"\"faults\":\\[\\{\"kind\":\"addr-stuck\",\"bit\":$bit,\"words\":\"address bit $bit is stuck"
	done
done
check addr-stuck-words out_has 'and 0x400000 alias'

for pair in 2+5 11+20; do
	a=${pair%+*}
	b=${pair#*+}
	verify_with "addr$a+addr$b=short"
	expect_verdict "addr$a-addr$b-short" fail 1 "\"faults\":\\[\\{\"kind\":\"addr-short\",\"bits\":\\[$a,$b\\],"
done

verify_with 'cell@0x000000:bit0=stuck1'
expect_verdict cell-at-0 fail 1 '"faults":\[\{"kind":"cell","address":"0x000000","bit":0,"level":1,'
verify_with 'cell@0x001234:bit3=stuck0'
expect_verdict cell-in-range fail 1 '"faults":\[\{"kind":"cell","address":"0x001234","bit":3,"level":0,'
# At a power-of-two offset the address test sees a bad bit, not an alias.
verify_with 'cell@0x002000:bit6=stuck1'
expect_verdict cell-at-power-of-two fail 1 '"faults":\[\{"kind":"cell","address":"0x002000","bit":6,"level":1,'
