#!/bin/bash
# Bus access costs (docs/psramsim-cpu.md, "Bus access costs"): a program
# of its own (tests/progs/bus_cost.c) times loads and stores with DWT
# CYCCNT, and each figure is what psramsim's table says: the row's cost
# in bus cycles times the clock ratio, plus the loop's own instructions.
# A --bus-costs file replaces the table; a bad one is refused.
. "$(dirname "$0")/lib.sh"

PROG=bus_cost
result=$(prog_symbol $PROG result)
TARGETS="dtcm qspi gpio tim16 syscfg qspi_wr"

# run_prog NAME [psramsim args...]: leaves the figures in R[].
run_prog() {
	local name=$1; shift
	R=()
	start_board --board devebox-h750 "$@" || return 1
	ocd "halt" "load_image $BUILD/progs/$PROG.elf 0 elf" \
		"reg sp 0x20010000" "reg xPSR 0x01000000" \
		"resume $(prog_symbol $PROG _start)" >/dev/null
	ocd "wait_halt 20000" >/dev/null
	read -r -a R <<<"$(ocd "read_memory $result 32 13")"
	ocd "shutdown" >/dev/null 2>&1
	kill "$SIM_PID" 2>/dev/null
	wait "$OCD_PID" "$SIM_PID" 2>/dev/null
	[ "${R[0]:-}" = "0xb05c0057" ] || { fail "$name-finished" "the program did not finish"; return 1; }
}

# cost TABLE ADDR KIND RATIOS: the CPU cycles the table's row for ADDR
# gives a read (KIND 3) or a write (KIND 4), with RATIOS "ahb apb1 apb2
# apb3 apb4 ws" (core clock over each bus clock; ws: flash wait states).
cost() {
	local table=$1 addr=$(($2)) col=$3 base last rd wr term n unit c=0
	local -A k
	read -r k[ahb] k[apb1] k[apb2] k[apb3] k[apb4] k[ws] <<<"$4"
	k[ws]=$((k[ws] * k[ahb]))
	k[cpu]=1
	while read -r base last rd wr _; do
		case "$base" in '#'* | '') continue ;; esac
		[ $((base)) -le "$addr" ] && [ "$addr" -le $((last)) ] || continue
		[ "$col" = 3 ] && terms=$rd || terms=$wr
		for term in ${terms//+/ }; do
			n=${term%%[a-z]*}
			unit=${term#"$n"}
			unit=${unit:-cpu}
			c=$((c + n * k[$unit]))
		done
		echo "$c"
		return
	done <"$table"
	echo 0
}

step list-costs "$PSRAMSIM" --board devebox-h750 --list-bus-costs || exit 1
"$PSRAMSIM" --board devebox-h750 --list-bus-costs >"$WORK/table"

# expect_figures NAME TABLE RATIOS OFFSET: R[OFFSET..] against TABLE.
expect_figures() {
	local name=$1 table=$2 ratios=$3 i=$4 qr qw
	check "$name-dtcm-free" [ "$((R[i]))" = 3 ]
	qr=$(cost "$table" 0x52005008 3 "$ratios")
	qw=$(cost "$table" 0x5200500C 4 "$ratios")
	check "$name-quadspi-read" [ "$((R[i + 1]))" = $((3 + qr)) ]
	check "$name-gpio-read" [ "$((R[i + 2]))" = $((3 + $(cost "$table" 0x58020010 3 "$ratios"))) ]
	check "$name-apb2-read" [ "$((R[i + 3]))" = $((3 + $(cost "$table" 0x40014424 3 "$ratios"))) ]
	check "$name-apb4-read" [ "$((R[i + 4]))" = $((3 + $(cost "$table" 0x58000404 3 "$ratios"))) ]
	# A read waits for the posted write ahead of it to drain.
	check "$name-quadspi-write-then-read" [ "$((R[i + 5]))" = $((3 + qw + qr)) ]
}

run_prog builtin && {
	# At reset every bus runs at the core clock: ratios 1.
	expect_figures reset "$WORK/table" "1 1 1 1 1 0" 1
	# HPRE /2 and D2PPRE2 /2: AHB at half the core clock, APB2 at a
	# quarter, APB4 (D3PPRE /1) at half.
	expect_figures slow-buses "$WORK/table" "2 2 4 2 2 0" 7
	check reset-quadspi-costs-something [ "$((R[2]))" -gt 3 ]
	check slower-bus-costs-more [ "$((R[8]))" -gt "$((R[2]))" ]
	figs=""
	for v in "${R[@]:1:12}"; do figs="$figs $((v))"; done
	echo "bus costs (cycles per iteration, $TARGETS; reset, then slow buses):$figs"
}

# A file of one row: only the QUADSPI registers cost anything.
printf '# the QUADSPI registers only\n0x52005000 0x52005fff 10 2ahb QUADSPI\n' >"$WORK/one"
run_prog file --bus-costs "$WORK/one" && {
	expect_figures file "$WORK/one" "1 1 1 1 1 0" 1
	check file-quadspi-13 [ "$((R[2]))" = 13 ]
	check file-gpio-free [ "$((R[3]))" = 3 ]
}

# An empty table: every access free, as psramsim was before the table.
run_prog empty --bus-costs /dev/null && {
	got=""
	for v in "${R[@]:1:12}"; do got="$got $((v))"; done
	check empty-all-free [ "$got" = " 3 3 3 3 3 4 3 3 3 3 3 4" ]
}

# Bad files: one line naming the file and the fault, exit status 2.
printf '0x52005000 0x52005fff 4xyz 1 QUADSPI\n' >"$WORK/bad-clock"
printf '0x52005001 0x52005fff 4 1 QUADSPI\n' >"$WORK/bad-align"
printf '0x52005000 0x52005fff 4 1 A\n0x52005000 0x520053ff 4 1 B\n' >"$WORK/bad-overlap"
for f in bad-clock bad-align bad-overlap; do
	expect_exit 2 "$f-refused" "$PSRAMSIM" --port 0 --bus-costs "$WORK/$f"
	check "$f-one-line" [ "$(wc -l <"$WORK/out")" = 1 ]
	check "$f-names-file" grep -q "$WORK/$f:[12]:" "$WORK/out"
done
expect_exit 2 missing-file-refused "$PSRAMSIM" --port 0 --bus-costs "$WORK/none"
