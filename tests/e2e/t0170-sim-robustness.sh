#!/bin/bash
# psramsim survives what arrives on its socket and reports bad arguments in
# one line with exit status 2.
. "$(dirname "$0")/lib.sh"

# The sanitizer build of psramsim, so that anything the socket does to it
# that is not a clean error shows up.
[ -x "$BUILD/psramsim-san" ] && PSRAMSIM=$BUILD/psramsim-san
# Garbage on the socket is what this test sends: psramsim reports it.
expect_guest_errors
start_sim --board devebox-h750 --stats || exit 1
# Garbage, then a clean disconnect: psramsim logs it and keeps serving.
printf 'xyz\001\377Z0123RRRR' | timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$SIM_PORT; cat >&3; sleep 0.3; exec 3>&-" 2>/dev/null
sleep 0.2
check garbage-logged grep -q "unexpected\|unknown\|0x78" "$WORK/sim.log"
check survives-garbage kill -0 "$SIM_PID"
# An abrupt disconnect in the middle of a scan.
timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$SIM_PORT; printf '0101010R' >&3; exec 3>&-" 2>/dev/null
sleep 0.2
check survives-disconnect kill -0 "$SIM_PID"
# OpenOCD still works afterwards.
start_openocd || exit 1
check openocd-after-garbage [ "$(read_word 0xe000ed00)" = "0x411fc271" ]
ocd "shutdown" >/dev/null 2>&1
wait "$OCD_PID" 2>/dev/null
kill -INT "$SIM_PID"
wait "$SIM_PID"
check clean-exit-on-sigint [ $? -eq 0 ]
check stats-printed grep -q "psramsim: stats: .*dap_transactions=[1-9]" "$WORK/sim.log"
check sanitizers-silent bash -c "! grep -q 'ERROR: [A-Za-z]*Sanitizer\|runtime error' '$WORK/sim.log'"

expect_exit 2 unknown-board "$PSRAMSIM" --board nonesuch --port 0
check unknown-board-lists-known grep -q "known boards: .*devebox-h750" "$WORK/out"
expect_exit 2 bad-port "$PSRAMSIM" --port 70000
check bad-port-message grep -q "\-\-port '70000'" "$WORK/out"
expect_exit 2 unknown-option "$PSRAMSIM" --frobnicate
expect_exit 0 help "$PSRAMSIM" --help
expect_exit 0 list-boards "$PSRAMSIM" --list-boards
check list-boards-h743 grep -q "devebox-h743" "$WORK/out"
# A port that is already taken is an error, not a hang.
start_sim --board devebox-h750 || exit 1
expect_exit 1 port-in-use timeout 5 "$PSRAMSIM" --port "$SIM_PORT"
check port-in-use-message grep -q "cannot listen on 127.0.0.1:$SIM_PORT" "$WORK/out"
