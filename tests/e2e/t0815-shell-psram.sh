#!/bin/bash
# psramctl shell's memory commands on the PSRAM window, through the stub's
# read and write commands (the xSPI stays in indirect mode): wr then rd,
# fill across a data-buffer boundary, load a file and dump it back, a
# range past the chip's end refused in one line, an address outside the
# window still through OpenOCD; one psramsim per board, on the QUADSPI
# (devebox-h750) and the OCTOSPI (devebox-h7a3). Then Ctrl-C (SIGINT)
# during a long dump: stopped within a second of the piece in flight, no
# file left, the shell goes on. Also psramsim --version.
. "$(dirname "$0")/lib-stub.sh"

v=$("$PSRAMSIM" --version)
check psramsim-version-status [ $? -eq 0 ]
check psramsim-version bash -c "grep -qE '^psramsim [0-9]+\.[0-9]+\.[0-9]+\$' <<<'$v' && grep -qE '^Unicorn [0-9]+\.[0-9]+ ' <<<'$v'"

mkdir -p "$WORK/files"
head -c 12288 /dev/urandom >"$WORK/files/random.bin"
printf '\xde\xad\xbe\xef\x01\x02\x03\x04' >"$WORK/files/wr.bin"
# fill 0x90002000 0x2800 a5 5a 3c: the last 8 bytes start at pattern
# index 0x27f8 % 3 = 2.
printf '\x3c\xa5\x5a\x3c\xa5\x5a\x3c\xa5' >"$WORK/files/fill-tail.bin"

for board in devebox-h750 devebox-h7a3; do
	cd "$WORK/files" || exit 1
	rm -f wr-back.bin fill-back.bin random-back.bin
	printf '%s\n' \
		'wr 0x90000010 de ad be ef 01 02 03 04' \
		'rd 0x90000010 8' \
		'dump 0x90000010 8 wr-back.bin' \
		'fill 0x90002000 0x2800 a5 5a 3c' \
		'rd 0x90002000 4' \
		'dump 0x900047f8 8 fill-back.bin' \
		'load random.bin 0x90100000' \
		'dump 0x90100000 12288 random-back.bin' \
		'rd 0x907ffffc 4' \
		'rd 0x907ffffc 8' \
		'fill 0x8ffffffc 8 00' \
		'wr 0x24000000 12 34' \
		'rd 0x24000000 2' \
		'quit' |
		timeout 120 "$PSRAMCTL" -v --sim --sim-board $board shell \
			>"$WORK/ctl.out" 2>"$WORK/ctl.err"
	rc=$?
	cd "$WORK" || exit 1
	cp "$WORK/ctl.out" "$WORK/$board.out"
	cp "$WORK/ctl.err" "$WORK/$board.err"
	check $board-status [ $rc -eq 2 ]
	check $board-wr-rd grep -q '^90000010: de ad be ef 01 02 03 04  ' "$WORK/ctl.out"
	check $board-wr-dump cmp "$WORK/files/wr.bin" "$WORK/files/wr-back.bin"
	check $board-fill-rd grep -q '^90002000: a5 5a 3c a5  ' "$WORK/ctl.out"
	check $board-fill-dump cmp "$WORK/files/fill-tail.bin" "$WORK/files/fill-back.bin"
	check $board-load grep -qx '12288 bytes loaded at 0x90100000' "$WORK/ctl.out"
	check $board-load-dump cmp "$WORK/files/random.bin" "$WORK/files/random-back.bin"
	check $board-last-bytes grep -q '^907ffffc: ' "$WORK/ctl.out"
	check $board-past-end bash -c "[ \$(grep -c '^psramctl: error: ' '$WORK/ctl.err') -eq 2 ] && grep -qx 'psramctl: error: 0x907ffffc + 0x8 runs past the end of the PSRAM (8 MiB at 0x90000000-0x907fffff)' '$WORK/ctl.err'"
	check $board-into-window grep -qx 'psramctl: error: 0x8ffffffc + 0x8 runs into the PSRAM window at 0x90000000: split it at the window' "$WORK/ctl.err"
	check $board-outside-window grep -q '^24000000: 12 34  ' "$WORK/ctl.out"
	# the stub did the chip's transfers: one load, read and write runs
	check $board-through-stub bash -c "grep -q 'stub: psram write ended' '$WORK/ctl.err' && grep -q 'stub: psram read ended' '$WORK/ctl.err' && [ \$(grep -c 'loaded [0-9]* bytes' '$WORK/ctl.err') -eq 1 ]"
	expect_no_leftovers $board-leftovers
done

# Ctrl-C during a dump of the whole chip: the shell reads its commands
# from a FIFO so that SIGINT reaches psramctl alone.
mkfifo "$WORK/in"
cd "$WORK/files" || exit 1
# Emptied before the child starts: the boards above left a "read
# ended" line in ctl.err that would otherwise be taken as this one's.
: >"$WORK/ctl.err"
: >"$WORK/ctl.out"
timeout 120 "$PSRAMCTL" -v --sim shell <"$WORK/in" >"$WORK/ctl.out" 2>"$WORK/ctl.err" &
pid=$!
exec 3>"$WORK/in"
printf 'wr 0x90000010 de ad be ef\ndump 0x90000000 8M whole.bin\n' >&3
wait_log "$WORK/ctl.err" '^(stub: psram read ended).*' 600 >/dev/null ||
	fail ctrl-c-dump-started "no read ran"
sleep 0.5
t0=$(date +%s%N)
# One SIGINT to psramctl itself, as a terminal's Ctrl-C: timeout(1)
# forwards a signal sent to it to its whole process group as well, which
# would make it a second Ctrl-C (the one that ends the shell).
pkill -INT -P $pid
wait_log "$WORK/ctl.err" '^psramctl: (interrupted); the core is halted$' 400 >/dev/null
t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
# Within a second of the piece in flight ending: on a loaded machine one
# piece (8 KiB through the stub) can itself take that long.
piece=$(sed -nE 's/^stub: psram read ended in ([0-9]+) ms.*/\1/p' "$WORK/ctl.err" | sort -n | tail -n 1)
check ctrl-c-within-a-second [ $ms -le $((1000 + ${piece:-0})) ]
check ctrl-c-no-file [ ! -e "$WORK/files/whole.bin" ]
printf 'rd 0x90000010 4\nquit\n' >&3
exec 3>&-
wait $pid
cd "$WORK" || exit 1
check ctrl-c-goes-on grep -q '^90000010: de ad be ef  ' "$WORK/ctl.out"
expect_no_leftovers ctrl-c-leftovers
echo "ctrl-c stopped the dump in $ms ms (a piece took up to ${piece:-?} ms)"
