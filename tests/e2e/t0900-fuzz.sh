#!/bin/bash
# Every libFuzzer harness replays its regression inputs and fuzzes for two
# seconds from its seed corpus (fuzz/run); `make fuzz` runs them longer.
# The seed is fixed here, so that what make check tries is the same on
# every machine (checked far longer than two seconds before it lands);
# finding new inputs is the work of `make fuzz`, with a fresh seed each run.
. "$(dirname "$0")/lib.sh"

for c in "$TOP"/fuzz/*.c; do
	n=$(basename "$c" .c)
	out=$(FUZZ_SEED=1 FUZZ_WORK="$WORK/fuzz" BUILD="$BUILD" "$TOP/fuzz/run" 2 "$n" 2>&1)
	if contains "$out" "^fuzz $n: ok"; then pass "$n"; else fail "$n" "$out"; fi
done
