#!/bin/bash
# psramsim's memory stays bounded under firmware that copies code to RAM at
# every boot and resets again (tests/progs/fw MODE 3: 256 copies of a
# routine, as MicroPython copies its RAM functions). Each boot has Unicorn
# translate that code again, which it never gives back; psramsim renews
# its engine at a reset once it is above 96 MB (docs/psramsim-cpu.md, "A
# core in a reset loop"), and the firmware goes on booting.
. "$(dirname "$0")/lib.sh"

"$TOP/tests/progs/fw/build" "$WORK/fw" 0x33 3 >/dev/null ||
	{ fail build-firmware "tests/progs/fw/build failed"; exit 1; }
img=$WORK/flash.bin
head -c 131072 /dev/zero | tr '\0' '\377' >"$img"
dd if="$WORK/fw/fw.bin" of="$img" conv=notrunc status=none
start_sim --board devebox-h750 --flash-image "$img" || exit 1
rss() { awk '/VmRSS/ {print $2}' "/proc/$SIM_PID/status"; }
# How fast the firmware boots depends on the host's load, not on psramsim:
# every wait here is for something psramsim does (grow, renew its engine,
# grow again), polled, with a bound far beyond what an idle host needs
# (about 10 s to the renewal, a fraction of a second to grow again).
max=0 drop=0 prev=0
for _ in $(seq 1 180); do
	sleep 0.5
	now=$(rss)
	[ -n "$now" ] || break
	[ "$now" -gt "$max" ] && max=$now
	[ $((prev - now)) -gt "$drop" ] && drop=$((prev - now))
	prev=$now
	[ "$drop" -gt $((30 * 1024)) ] && break
done
# The firmware goes on booting on the new engine: its code is translated
# again, boot after boot, and psramsim grows again, by more than 2 MB
# (some hundreds of boots) from the lowest it fell to (the old engine's
# memory may still be going back to the system when the drop is seen).
low=$prev after=$(rss)
for _ in $(seq 1 150); do
	[ -n "$after" ] || break
	[ "$after" -lt "$low" ] && low=$after
	[ "$after" -gt $((low + 2048)) ] && break
	sleep 0.2
	after=$(rss)
done
echo "  RSS: peak $((max / 1024)) MB, largest drop $((drop / 1024)) MB, then $((low / 1024)) -> $((${after:-0} / 1024)) MB"
check still-running kill -0 "$SIM_PID"
check rss-bounded [ "$max" -lt $((140 * 1024)) ]
check engine-renewed [ "$drop" -gt $((30 * 1024)) ]
check still-booting [ "${after:-0}" -gt $((low + 2048)) ]
