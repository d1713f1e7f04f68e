#!/bin/bash
# psramsim --unix PATH run by hand: Debian's OpenOCD 0.12 connects with
# cfg/sim.cfg's PSRAMSIM_SOCKET (remote_bitbang host PATH, port 0); the
# socket is 0600, refused paths get one line and exit 2, and the socket
# goes at exit, on SIGTERM as on SIGINT. psramctl --sim leaves nothing in
# its temporary directory.
. "$(dirname "$0")/lib.sh"

SIM_UNIX=1 start_sim --board devebox-h750 && start_openocd || exit 1
check socket-path [ "$SIM_SOCKET" = "$WORK/rbb.sock" ]
check socket-0600 [ "$(stat -c '%F %a' "$SIM_SOCKET")" = "socket 600" ]
check openocd-connects-to-socket grep -q "Connecting to unix socket $SIM_SOCKET" "$WORK/openocd.log"
check openocd-examines-over-socket wait_log "$WORK/openocd.log" '.*(Cortex-M7 r1p1 processor detected).*'
check no-openocd-complaints [ -z "$(openocd_complaints)" ]
idcode=$(read_word 0x5c001000)
check dbgmcu-idcode [ "$idcode" = "0x20036450" ]
head -c 4096 /dev/urandom >"$WORK/blk.bin"
# (verify_image runs its checksum code in the work area, at 0x24000000.)
ocd "halt" "load_image $WORK/blk.bin 0x24010000 bin" >/dev/null
out=$(ocd "verify_image $WORK/blk.bin 0x24010000 bin" 2>&1)
check load-verify-over-socket contains "$out" "verified 4096 bytes"

# A second psramsim on a socket that is being listened on is refused.
expect_exit 2 live-socket-refused "$PSRAMSIM" --unix "$SIM_SOCKET"
check live-socket-one-line [ "$(cat "$WORK/out")" = "psramsim: --unix '$SIM_SOCKET': a socket something else listens on" ]
check live-socket-kept [ -S "$SIM_SOCKET" ]

stop_board
check removed-on-sigterm [ ! -e "$SIM_SOCKET" ]

# SIGINT, as Ctrl-C.
SIM_UNIX=1 start_sim || exit 1
kill -INT "$SIM_PID"
wait "$SIM_PID"
check sigint-exit-0 [ $? -eq 0 ]
check removed-on-sigint [ ! -e "$SIM_SOCKET" ]

# A socket whose psramsim was killed outright is stale: the next one
# takes its place.
SIM_UNIX=1 start_sim || exit 1
kill -KILL "$SIM_PID"
wait "$SIM_PID" 2>/dev/null
check sigkill-leaves-stale [ -S "$WORK/rbb.sock" ]
SIM_UNIX=1 start_sim
check stale-socket-replaced [ -S "$SIM_SOCKET" ]
kill "$SIM_PID"
wait "$SIM_PID"
check removed-after-stale [ ! -e "$SIM_SOCKET" ]

echo keep >"$WORK/file"
expect_exit 2 not-a-socket-refused "$PSRAMSIM" --unix "$WORK/file"
check not-a-socket-one-line [ "$(cat "$WORK/out")" = "psramsim: --unix '$WORK/file': exists and is not a socket" ]
check not-a-socket-kept [ "$(cat "$WORK/file")" = keep ]
long=$WORK/$(printf 'a%.0s' $(seq 1 120))
expect_exit 2 too-long-refused "$PSRAMSIM" --unix "$long"
check too-long-one-line [ "$(wc -l <"$WORK/out")" -eq 1 ]
check too-long-names-it contains "$(cat "$WORK/out")" "^psramsim: --unix '.*a': empty, or longer than a UNIX socket address holds \(107 bytes\)$"
expect_exit 1 no-such-directory "$PSRAMSIM" --unix "$WORK/none/rbb.sock"
check no-such-directory-one-line [ "$(cat "$WORK/out")" = "psramsim: --unix '$WORK/none/rbb.sock': cannot listen there: No such file or directory" ]

# psramctl --sim runs psramsim on a socket in a directory of its own under
# $TMPDIR, and removes it: after a run, and after a Ctrl-C.
mkdir "$WORK/tmp"
TMPDIR=$WORK/tmp "$PSRAMCTL" -v --sim eid >"$WORK/eid.out" 2>&1
check psramctl-sim-eid [ $? -eq 0 ]
check psramctl-sim-used-socket contains "$(cat "$WORK/eid.out")" "'--unix' '$WORK/tmp/psramctl-[A-Za-z0-9]{6}/rbb.sock'"
check psramctl-sim-leaves-nothing [ -z "$(ls -A "$WORK/tmp")" ]
TMPDIR=$WORK/tmp "$PSRAMCTL" --sim memtest >/dev/null 2>&1 &
ctl=$!
for _ in $(seq 1 100); do
	[ -n "$(ls -A "$WORK/tmp")" ] && break
	sleep 0.05
done
sleep 0.5
kill -INT "$ctl"
wait "$ctl"
check psramctl-sigint-130 [ $? -eq 130 ]
check psramctl-sigint-leaves-nothing [ -z "$(ls -A "$WORK/tmp")" ]
