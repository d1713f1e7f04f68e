# Helpers for the psramctl stub tests (t02xx), on top of lib.sh: run
# psramctl with a time limit, check its one-line error and that it left no
# process behind, and make broken stub images from the real stub.bin.
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STUB_BIN=$BUILD/stub/stub.bin
STUB_ELF=$BUILD/stub/stub.elf
STUB_ABI=$(sed -nE 's/^#define STUB_ABI_VERSION ([0-9]+)U.*/\1/p' "$TOP/target-stubs/include/stub_abi.h")

# image_crc FILE: its CRC-32 (as the stub checks it, image_crc.h), from the
# gzip trailer, which holds exactly that CRC, little-endian.
image_crc() {
	local h
	h=$(gzip -c "$1" | tail -c 8 | head -c 4 | od -An -tx4 | tr -d ' ')
	printf '0x%x\n' "$((16#$h))"
}

# ctl [-t SECONDS] ARGS...: runs psramctl ARGS with -v, killed after
# SECONDS (default 60); stdout in $WORK/ctl.out, stderr in $WORK/ctl.err.
# Sets CTL_RC (124: it had to be killed) and CTL_SECS (wall time). CTL
# names another psramctl, CTL_PATH another PATH for it.
# A wire fault (--sim-fault io..., clk=, cs=) garbles what the chip
# receives, and psramsim reports the garbled commands: during such a run
# guest errors are expected (lib.sh).
ctl() {
	local limit=60 t0 t1 a wire=0
	if [ "$1" = -t ]; then
		limit=$2
		shift 2
	fi
	for a in "$@"; do
		case $a in io[0-3]=* | io[0-3]+io[0-3]=* | clk=* | cs=*) wire=1 ;; esac
	done
	if [ $wire = 1 ] && [ -z "$GUEST_FROM" ]; then expect_guest_errors; else wire=0; fi
	t0=$(date +%s%N)
	timeout -k 5 "$limit" env PATH="${CTL_PATH:-$PATH}" \
		"${CTL:-$PSRAMCTL}" -v "$@" >"$WORK/ctl.out" 2>"$WORK/ctl.err"
	CTL_RC=$?
	if [ $wire = 1 ]; then end_guest_errors; fi
	t1=$(date +%s%N)
	CTL_SECS=$(echo "scale=2; ($t1 - $t0) / 1000000000" | bc)
}

# The stderr lines that are not -v chatter.
ctl_messages() {
	grep -v -E '^(tcl [<>] |starting |psramsim \(pid|openocd \(pid|stub: )' "$WORK/ctl.err" || true
}

# expect_ctl NAME STATUS REGEX [MAX_SECONDS]: the last ctl ended with STATUS
# (not killed), within MAX_SECONDS (default 30), printing exactly one
# "psramctl: error:" line, which matches REGEX.
expect_ctl() {
	local name=$1 status=$2 re=$3 max=${4:-30} n line
	n=$(grep -c '^psramctl: error: ' "$WORK/ctl.err")
	line=$(grep '^psramctl: error: ' "$WORK/ctl.err" | head -n 1)
	if [ "$CTL_RC" -ne "$status" ]; then
		fail "$name" "exit $CTL_RC, expected $status: $(ctl_messages | head -n 3 | tr '\n' ' ')"
	elif [ "$n" -ne 1 ]; then
		fail "$name" "$n error lines: $(ctl_messages | head -n 4 | tr '\n' ' ')"
	elif ! grep -qE -- "$re" <<<"$line"; then
		fail "$name" "message '$line' does not match /$re/"
	elif [ "$(echo "$CTL_SECS > $max" | bc)" = 1 ]; then
		fail "$name" "took $CTL_SECS s, more than $max s"
	else
		pass "$name"
	fi
}

# expect_no_leftovers NAME: every process the last ctl started (its -v
# "(pid N)" lines) is gone.
expect_no_leftovers() {
	local left="" p
	for p in $(sed -nE 's/^(psramsim|openocd) \(pid ([0-9]+)\).*/\2/p' "$WORK/ctl.err"); do
		kill -0 "$p" 2>/dev/null && left="$left $p"
	done
	if [ -n "$left" ]; then
		fail "$1" "still running:$left"
		kill $left 2>/dev/null
	else
		pass "$1"
	fi
}

# out_has REGEX / err_has REGEX: the last ctl's stdout / stderr matches.
out_has() { grep -qE -- "$1" "$WORK/ctl.out"; }
err_has() { grep -qE -- "$1" "$WORK/ctl.err"; }

# The address of a symbol of the stub.
stub_symbol() {
	arm-none-eabi-nm "$STUB_ELF" | awk -v s="$1" '$3 == s { print "0x" $1 }'
}

# stub_patch OUT OFFSET BYTES...: a copy of stub.bin with BYTES (hex, e.g.
# fe e7) written at OFFSET.
stub_patch() {
	local out=$1 off=$2 esc="" b
	shift 2
	for b in "$@"; do esc="$esc\\x$b"; done
	cp "$STUB_BIN" "$out"
	# shellcheck disable=SC2059
	printf "$esc" | dd of="$out" bs=1 seek=$((off)) conv=notrunc status=none
}

# stub_patch_asm OUT OFFSET FILE.S: a copy of stub.bin with FILE.S,
# assembled for the Cortex-M7, written at OFFSET.
stub_patch_asm() {
	arm-none-eabi-as -mcpu=cortex-m7 -mthumb -o "$WORK/patch.o" "$3" &&
		arm-none-eabi-objcopy -O binary "$WORK/patch.o" "$WORK/patch.bin" &&
		cp "$STUB_BIN" "$1" &&
		dd if="$WORK/patch.bin" of="$1" bs=1 seek=$(($2)) conv=notrunc status=none
}

# private_tree: a copy of psramctl, psramsim and cfg/ in $WORK/tree whose
# board files a test may change; sets CTL to that psramctl.
private_tree() {
	mkdir -p "$WORK/tree/bin"
	cp "$PSRAMCTL" "$PSRAMSIM" "$WORK/tree/bin/"
	cp -r "$TOP/cfg" "$WORK/tree/cfg"
	CTL=$WORK/tree/bin/psramctl
}

# A TCP port held open by a listener that is not OpenOCD; sets BUSY_PORT
# and BUSY_PID.
hold_port() {
	: >"$WORK/busy.log"
	tclsh <(printf '%s\n' \
		'set s [socket -server {apply {{c a p} {}}} -myaddr 127.0.0.1 0]' \
		'puts [lindex [fconfigure $s -sockname] 2]' 'flush stdout' \
		'vwait forever') >"$WORK/busy.log" &
	BUSY_PID=$!
	PIDS+=("$BUSY_PID")
	BUSY_PORT=$(wait_log "$WORK/busy.log" '^([0-9]+)$')
}
