# Helpers for the benchmark sections: the end-to-end test library (psramsim
# and OpenOCD on free ports) plus timing.
# shellcheck source=../../tests/e2e/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../tests/e2e/lib.sh"
pass() { :; }
fail() { echo "benchmark step failed: $*" >&2; }

now_ns() { date +%s%N; }

# run_prog PROG [write_memory args...]: loads PROG into DTCM, runs it from
# _start to its BKPT; prints the wall time in seconds.
run_prog() {
	local prog=$1 t0 t1
	shift
	ocd "halt" "load_image $BUILD/progs/$prog.elf 0 elf" "$@" \
		"reg sp 0x20010000" "reg xPSR 0x01000000" >/dev/null
	t0=$(now_ns)
	ocd "resume $(prog_symbol "$prog" _start)" "wait_halt 600000" >/dev/null
	t1=$(now_ns)
	echo "scale=3; ($t1 - $t0) / 1000000000" | bc
}

# sim_stat NAME: a counter from psramsim's --stats line (psramsim must have
# exited).
sim_stat() {
	sed -nE "s/.* $1=([0-9.]+).*/\1/p" "$WORK/sim.log" | tail -n 1
}

stop_board() {
	ocd "shutdown" >/dev/null 2>&1
	wait "$OCD_PID" 2>/dev/null
	kill -INT "$SIM_PID" 2>/dev/null
	wait "$SIM_PID" 2>/dev/null
}

# free_timing_psramctl: prints the path of a psramctl whose psramsim runs
# with an empty bus cost table (--bus-costs /dev/null: every register
# access free, the timing psramsim had before docs/psramsim-cpu.md "Bus
# access costs"), for the figures beside the modelled ones.
free_timing_psramctl() {
	local d=$WORK/free-timing
	mkdir -p "$d/bin"
	ln -sfn "$TOP/cfg" "$d/cfg"
	cp "$PSRAMCTL" "$d/bin/psramctl"
	printf '#!/bin/bash\nexec %q --bus-costs /dev/null "$@"\n' \
		"$PSRAMSIM" >"$d/bin/psramsim"
	chmod +x "$d/bin/psramsim"
	echo "$d/bin/psramctl"
}
