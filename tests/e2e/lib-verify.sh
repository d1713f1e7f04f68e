# Helpers for the memtest and verify tests (t05xx), on top of lib-stub.sh:
# run `psramctl --sim --json verify` with psramsim faults and check the
# verdict, its last line.
# shellcheck source=lib-stub.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib-stub.sh"

# Where the full chip is not the point, a small range keeps runs short;
# the address-bus test covers the whole chip whatever the range.
VERIFY_RANGE=${VERIFY_RANGE:-0:16K}

# verify_with FAULT...: verify --json with those --sim-fault specs (none:
# a sound board); SIM_ARGS adds other psramctl options before the command.
verify_with() {
	local args=() f
	for f in "$@"; do args+=(--sim-fault "$f"); done
	# shellcheck disable=SC2086
	ctl -t 180 --sim ${SIM_ARGS:-} "${args[@]}" --json verify \
		--range "$VERIFY_RANGE" ${VERIFY_ARGS:-}
}

verdict_line() { tail -n 1 "$WORK/ctl.out"; }

# How many faults the verdict lists.
fault_count() { verdict_line | grep -o '{"kind":' | wc -l; }

# expect_verdict NAME pass|fail COUNT REGEX...: the last verify exited 0
# (pass) or 1 (fail), its last line is the verdict with COUNT faults, and
# every REGEX matches that line.
expect_verdict() {
	local name=$1 want=$2 count=$3 status=1 line re
	shift 3
	[ "$want" = pass ] && status=0
	line=$(verdict_line)
	if [ "$CTL_RC" -ne "$status" ]; then
		fail "$name" "exit $CTL_RC, expected $status: $(ctl_messages | head -n 3 | tr '\n' ' ')"
		return
	fi
	if ! grep -qE "^\{\"type\":\"verdict\",\"verdict\":\"$want\"," <<<"$line"; then
		fail "$name" "last line is not a $want verdict: $line"
		return
	fi
	if [ "$(fault_count)" -ne "$count" ]; then
		fail "$name" "$(fault_count) faults, expected $count: $line"
		return
	fi
	for re in "$@"; do
		if ! grep -qE -- "$re" <<<"$line"; then
			fail "$name" "verdict does not match /$re/: $line"
			return
		fi
	done
	pass "$name"
}
