#!/bin/bash
# verify on several boards at once: simulated boards with different faults
# (each its own psramsim and OpenOCD), a live line per board, one JSON
# stream and one JUnit file per board, a summary table, the worst status;
# Ctrl-C stops every board; real probes through umockdev (--all-probes,
# --serial A,B) get a psramctl each, pinned to its probe.
. "$(dirname "$0")/lib-stub.sh"
. "$(dirname "$0")/lib-usb.sh"

mkdir -p "$WORK/out"
ctl -t 120 --sim-set ok --sim-set 'cell@0x000100:bit3=stuck0' --sim-set kgd=fail \
	--batch-dir "$WORK/out" verify --range 0:16K
check sims-status [ "$CTL_RC" -eq 1 ]
for n in 1 2 3; do
	check sim$n-files bash -c "[ -s '$WORK/out/verify-sim$n.json' ] && [ -s '$WORK/out/verify-sim$n.xml' ]"
done
check sim1-pass grep -q '"type":"verdict","verdict":"pass"' "$WORK/out/verify-sim1.json"
check sim2-cell grep -q '"type":"verdict","verdict":"fail".*"kind":"cell"' "$WORK/out/verify-sim2.json"
check sim3-kgd grep -q '"type":"verdict","verdict":"fail".*"kind":"kgd-fail"' "$WORK/out/verify-sim3.json"
check junit-failure grep -q '<failure' "$WORK/out/verify-sim2.xml"
check live-lines bash -c "[ \$(grep -c '^verify: sim[123] ' '$WORK/ctl.out') -eq 3 ]"
check table-sim1 grep -qE '^sim1 +- +PASS +[0-9.]+ s +no fault$' "$WORK/ctl.out"
check table-sim2 grep -qE '^sim2 +cell@0x000100:bit3=stuck0 +FAIL +[0-9.]+ s +cell$' "$WORK/ctl.out"
check table-sim3 grep -qE '^sim3 +kgd=fail +FAIL .*kgd-fail' "$WORK/ctl.out"
check table-total grep -qE '^verify: 1 of 3 boards pass in [0-9.]+ s' "$WORK/ctl.out"
check one-error-line grep -qx 'psramctl: error: a board failed verify' "$WORK/ctl.err"

# Bad requests, refused before anything starts.
ctl --sim-count 2 --sim-set ok verify
expect_ctl count-and-set 2 '--sim-count and --sim-set exclude each other' 5
ctl --sim-count 2 --batch-dir /nonexistent verify
expect_ctl bad-dir 2 "--batch-dir '/nonexistent' is not a directory" 5
ctl --sim-count 2 verify --junit x.xml
expect_ctl junit-in-batch 2 'a batch writes one JUnit file per board' 5
ctl --sim-count 2 eid
expect_ctl batch-not-verify 2 'only with verify' 5
ctl --sim --serial A,B verify
expect_ctl serials-and-sim 2 'no --sim or --connect' 5

# Ctrl-C: every board stops, exit 130, nothing left running. What this run
# starts (the boards' psramctl, psramsim and OpenOCD) carries a mark in its
# environment, so that the tests running beside this one, with their own
# psramsim and OpenOCD, are not taken for its leftovers.
mark="PSRAMCTL_T0830_RUN=$$.$RANDOM"
own_processes() {
	local f pid
	for f in $(grep -lzx -- "$mark" /proc/[0-9]*/environ 2>/dev/null); do
		pid=${f#/proc/}
		pid=${pid%/environ}
		echo "$pid $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
	done
}
env "$mark" "$PSRAMCTL" --sim-count 2 --batch-dir "$WORK/out" verify >"$WORK/ctl.out" 2>"$WORK/ctl.err" &
pid=$!
(sleep 120; kill -KILL $pid 2>/dev/null) &
dog=$!
sleep 3
kill -INT $pid
wait $pid
rc=$?
kill $dog 2>/dev/null
check ctrl-c-status [ $rc -eq 130 ]
check ctrl-c-stopped bash -c "[ \$(grep -cE '^sim[12] .* STOPPED ' '$WORK/ctl.out') -eq 2 ]"
check ctrl-c-json grep -q '"type":"error","error":"interrupted"' "$WORK/out/verify-sim1.json"
# psramctl reaps what it starts before it exits: anything still there
# after a bounded wait (10 s, for a loaded machine) is a leftover.
left=$(own_processes)
for _ in $(seq 1 100); do
	[ -z "$left" ] && break
	sleep 0.1
	left=$(own_processes)
done
check ctrl-c-no-leftovers test -z "$left"

# Real probes: two ST-Links through umockdev, one psramctl each, pinned by
# serial (OpenOCD cannot talk to a recorded device: each ends in exit 3).
if umockdev_ok; then
	two=$WORK/two.umockdev
	usb_root_hub "$two" 1
	for port in 2 3; do
		usb_device "$two" 1-$port $((port + 3)) 0483 374e 0100 STMicroelectronics "STLINK-V3" \
			"003A0028331351033033383$port" "ff/ff/ff/81b,01b,82b/ST-Link Debug"
	done
	(cd "$WORK/out" && timeout 60 umockdev-run -d "$two" -- "$PSRAMCTL" --board devebox-h750 \
		--all-probes --json verify >"$WORK/ctl.out" 2>"$WORK/ctl.err")
	rc=$?
	check probes-status [ $rc -eq 3 ]
	check probes-boards bash -c "[ \$(grep -c '\"type\":\"batch-board\"' '$WORK/ctl.out') -eq 2 ]"
	check probes-pinned grep -q '"type":"batch-board","name":"003A00283313510330333833","board":"ST-Link V3E 003A00283313510330333833","result":"ERROR","exit":3' "$WORK/ctl.out"
	check probes-summary grep -q '"type":"batch","boards":2,"pass":0,.*"exit":3' "$WORK/ctl.out"
	check probes-files grep -q '"type":"error"' "$WORK/out/verify-003A00283313510330333832.json"
	(cd "$WORK/out" && timeout 60 umockdev-run -d "$two" -- "$PSRAMCTL" --board devebox-h750 \
		--serial 003A00283313510330333832,NOPE --json verify >"$WORK/ctl.out" 2>"$WORK/ctl.err")
	rc=$?
	check serial-list-status [ $rc -eq 3 ]
	check serial-list grep -q '"name":"NOPE".*"error":"no debug probe with serial .NOPE.' "$WORK/ctl.out"
	check serial-list-attached grep -q '"name":"NOPE".*attached: ST-Link V3E 003A00283313510330333832, ST-Link V3E 003A00283313510330333833' "$WORK/ctl.out"
	check serial-list-pinned grep -q '"name":"003A00283313510330333832","board":"ST-Link V3E 003A00283313510330333832","result":"ERROR","exit":3' "$WORK/ctl.out"
	check serial-list-file grep -q '"type":"error","error":"no-probe","message":"no debug probe with serial .NOPE.' "$WORK/out/verify-NOPE.json"
	if ! grep -q '"name":"NOPE".*"error":"no debug probe with serial .NOPE.' "$WORK/ctl.out"; then
		show_file "$WORK/ctl.out"
		show_file "$WORK/ctl.err"
		show_file "$WORK/out/verify-NOPE.json"
	fi
fi
