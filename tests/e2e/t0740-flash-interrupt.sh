#!/bin/bash
# Ctrl-C while psramctl programs: it lets OpenOCD finish the command in
# flight, says which sectors are erased, written or in doubt, exits 130
# without claiming success; a re-run recovers and the flash then holds
# exactly the image.
. "$(dirname "$0")/lib.sh"

head -c 131072 /dev/urandom >"$WORK/big.bin"
flash() { "$PSRAMCTL" --connect "127.0.0.1:$TCL_PORT" flash "$@"; }

start_sim --board devebox-h750 || exit 1
start_openocd || exit 1
: >"$WORK/int.out"
# psramctl itself in the background (a shell function would be a subshell
# that ignores SIGINT).
"$PSRAMCTL" --connect "127.0.0.1:$TCL_PORT" flash --no-reset "$WORK/big.bin" >"$WORK/int.out" 2>&1 &
pid=$!
# The erase phase reports when it is done; then programming runs for
# several seconds.
for _ in $(seq 1 200); do
	grep -q "^erase .*KiB/s" "$WORK/int.out" && break
	sleep 0.05
done
sleep 1
kill -INT $pid
wait $pid
rc=$?
check exit-130 [ $rc -eq 130 ]
check reports-interrupted grep -q "^board state (interrupted):" "$WORK/int.out"
check sector-in-doubt grep -qE "^  sector 0 .*(interrupted while programming|programming did not complete)" "$WORK/int.out"
check never-claims-success bash -c "! grep -q '^flashed' '$WORK/int.out'"
check openocd-still-serves [ "$(read_word 0x5c001000)" = "0x20036450" ]
expect_exit 0 rerun-recovers flash --no-reset "$WORK/big.bin"
ocd "dump_image $WORK/back.bin 0x08000000 131072" >/dev/null
check flash-holds-image cmp -s "$WORK/big.bin" "$WORK/back.bin"
