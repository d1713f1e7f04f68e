#!/bin/bash
# Every libFuzzer harness replays its regression inputs and fuzzes for two
# seconds from its seed corpus (fuzz/run); `make fuzz` runs them longer.
. "$(dirname "$0")/lib.sh"

for c in "$TOP"/fuzz/*.c; do
	n=$(basename "$c" .c)
	out=$(FUZZ_WORK="$WORK/fuzz" BUILD="$BUILD" "$TOP/fuzz/run" 2 "$n" 2>&1)
	if contains "$out" "^fuzz $n: ok"; then pass "$n"; else fail "$n" "$out"; fi
done
