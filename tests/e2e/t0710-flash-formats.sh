#!/bin/bash
# psramctl flash writes the test firmware in each of the four formats
# (ELF, Intel HEX, raw binary, DfuSe); after the reset it runs on the
# simulated core and leaves its signature in SRAM4, with the tag of the
# build that was flashed. With --flash-image the firmware is still there
# after a power cycle.
. "$(dirname "$0")/lib.sh"

for tag in 1 2 3 4 5; do
	"$TOP/tests/progs/fw/build" "$WORK/fw$tag" "$tag" >/dev/null ||
		{ fail build-firmware "tests/progs/fw/build failed"; exit 1; }
done

flash() { "$PSRAMCTL" --connect "127.0.0.1:$TCL_PORT" flash "$@"; }
signature() { ocd "read_memory 0x38000000 32 5"; }

start_sim --board devebox-h750 --flash-image "$WORK/h750.img" || exit 1
start_openocd || exit 1
n=1
for fmt in elf hex bin dfu; do
	expect_exit 0 "flash-$fmt" flash "$WORK/fw$n/fw.$fmt"
	cp "$WORK/out" "$WORK/out.$fmt"
	check "$fmt-detected" grep -q "^image .*: $(case $fmt in elf) echo ELF ;; hex) echo Intel HEX ;; bin) echo binary ;; dfu) echo DfuSe ;; esac)," "$WORK/out.$fmt"
	check "$fmt-phases" bash -c "grep -q '^erase .* KiB/s' '$WORK/out.$fmt' && grep -q '^program ' '$WORK/out.$fmt' && grep -q '^verify ' '$WORK/out.$fmt'"
	check "$fmt-says-verified" grep -qE "verified; the firmware runs \(PC 0x[0-9a-f]{8}\)" "$WORK/out.$fmt"
	sleep 0.2
	check "$fmt-firmware-runs" contains "$(signature)" "^0x464c5348 0x600dda7a 0x0 0x$n 0x800"
	n=$((n + 1))
done
# The format comes from the content: an ELF named .bin is still an ELF
# (its load addresses, not --address, place it).
cp "$WORK/fw5/fw.elf" "$WORK/misnamed.bin"
expect_exit 0 elf-named-bin flash "$WORK/misnamed.bin"
check elf-named-bin-detected grep -q "^image .*: ELF," "$WORK/out"
sleep 0.2
check elf-named-bin-runs contains "$(signature)" "^0x464c5348 .* 0x5 "
# A binary with an explicit --address, and --no-reset: verified, the core
# stays halted until the debugger resets it.
ocd "write_memory 0x38000000 32 {0}" >/dev/null
expect_exit 0 bin-address-no-reset flash --address 0x08000000 --no-reset "$WORK/fw3/fw.bin"
check no-reset-says-halted grep -q "the core is halted (--no-reset)" "$WORK/out"
check no-reset-did-not-run [ "$(read_word 0x38000000)" = "0x0" ]
ocd "reset run" >/dev/null
sleep 0.2
check runs-after-reset contains "$(signature)" "^0x464c5348 .* 0x3 "
# --json: the plan, one object per phase, the result; all parse.
expect_exit 0 json flash "$WORK/fw2/fw.hex" --json
check json-lines-parse bash -c "tclsh <<'EOT'
set f [open $WORK/out]
set types {}
while {[gets \$f line] >= 0} {
	if {![string match {\{*\}} \$line]} { exit 1 }
	regexp {\"type\":\"([a-z-]+)\"} \$line -> t
	lappend types \$t
}
if {\$types ne {flash-plan flash-phase flash-phase flash-phase flash}} { exit 1 }
EOT"
check json-result-pass grep -q '"type":"flash","result":"pass".*"state":"verified".*"reset":true' "$WORK/out"
check json-phase-rate grep -q '"phase":"program","bytes":192,"sectors":1,"ms":[0-9]*,"bytes_per_s":[0-9]*' "$WORK/out"
stop_board
# Power cycle: the last firmware boots from the saved flash.
start_sim --board devebox-h750 --flash-image "$WORK/h750.img" || exit 1
start_openocd || exit 1
check power-cycle-runs-last contains "$(signature)" "^0x464c5348 .* 0x2 "
stop_board

# The 2 MiB H743 (two banks) through psramctl's own --sim.
expect_exit 0 sim-h743-dfu "$PSRAMCTL" --sim --sim-board devebox-h743 flash "$WORK/fw4/fw.dfu"
check sim-h743-plan grep -q "2048 KiB of flash at 0x08000000 (2 banks, 16 sectors)" "$WORK/out"
check sim-h743-one-sector grep -q "^erase .*sector 0 (bank 1 sector 0" "$WORK/out"
check sim-h743-verified grep -qE "verified; the firmware runs \(PC 0x[0-9a-f]{8}\)" "$WORK/out"
