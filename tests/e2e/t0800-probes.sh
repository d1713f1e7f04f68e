#!/bin/bash
# psramctl probes and the choice of probe, through the real libusb: umockdev
# presents recorded USB devices (tests/e2e/lib-usb.sh writes their
# descriptors and strings) to libusb as the kernel would. Each command
# that needs a real board picks the only probe and says which, refuses
# with one line and a list when there are none or several, and names
# the udev rule when the device node may not be opened.
. "$(dirname "$0")/lib-stub.sh"
. "$(dirname "$0")/lib-usb.sh"

if ! umockdev_ok; then
	fail umockdev "umockdev-run not installed (scripts/install-deps)"
	exit 0
fi

ST_SERIAL=066DFF555052836687031633
V3_SERIAL=002F00283137510233333639

# A bench with one of each kind, and a mouse that is no probe.
all=$WORK/all.umockdev
usb_root_hub "$all" 1
usb_device "$all" 1-2 5 0483 374b 0100 STMicroelectronics "STM32 STLink" $ST_SERIAL \
	"ff/ff/ff/81b,01b,82b/ST-Link Debug" "08/06/50/83b,03b/ST-Link mass storage"
usb_device "$all" 1-3 6 0483 374f 0100 STMicroelectronics "STLINK-V3" $V3_SERIAL \
	"ff/ff/ff/81b,01b,82b/ST-Link Debug"
usb_device "$all" 1-4 7 0d28 0204 1000 ARM "DAPLink CMSIS-DAP" 0240000034544e45 \
	"03/00/00/81i,01i/"
usb_device "$all" 1-5 8 2e8a 000c 0201 "Raspberry Pi" "Debugprobe on Pico" E6614103E7176A23 \
	"ff/00/00/04b,85b/CMSIS-DAP v2 Interface" "02/02/01/81i/"
usb_device "$all" 1-6 9 1366 0105 0100 SEGGER "J-Link" 000123456789 "ff/ff/ff/81b,02b/"
usb_device "$all" 1-7 10 046d c077 7200 Logitech "USB Optical Mouse" "" "03/01/02/81i/"
usb_root_hub "$all" 2
usb_device "$all" 2-1 3 0483 3752 0100 STMicroelectronics "STM32 STLink" 0672FF48 \
	"ff/ff/ff/81b,01b,82b/ST-Link Debug"

# mock FILE CMD...: runs psramctl in a umockdev testbed holding FILE's
# devices (output in ctl.out/ctl.err, status in CTL_RC, as ctl does).
mock() {
	local file=$1 t0 t1
	shift
	t0=$(date +%s%N)
	timeout -k 5 30 umockdev-run -d "$file" -- "$PSRAMCTL" -v "$@" \
		>"$WORK/ctl.out" 2>"$WORK/ctl.err"
	CTL_RC=$?
	t1=$(date +%s%N)
	CTL_SECS=$(echo "scale=2; ($t1 - $t0) / 1000000000" | bc)
}
# ctl passes -v: for the listing, without it.
probes() {
	timeout 20 umockdev-run -d "$1" -- "$PSRAMCTL" "${@:2}" probes \
		>"$WORK/ctl.out" 2>"$WORK/ctl.err"
	CTL_RC=$?
}

probes "$all"
check list-status [ "$CTL_RC" -eq 0 ]
check list-stlink-v21 grep -qE "^ST-Link V2-1 +$ST_SERIAL +1-2 +1.00 +--interface stlink" "$WORK/ctl.out"
check list-stlink-v3 grep -qE "^ST-Link V3 +$V3_SERIAL +1-3 .*--interface stlink" "$WORK/ctl.out"
check list-stlink-nomsd grep -qE "^ST-Link V2-1 +0672FF48 +2-1 " "$WORK/ctl.out"
check list-cmsis-dap-v1 grep -qE "^CMSIS-DAP v1 +0240000034544e45 +1-4 +10.00 +--interface cmsis-dap" "$WORK/ctl.out"
check list-cmsis-dap-v2 grep -qE "^CMSIS-DAP v2 +E6614103E7176A23 +1-5 +2.01 +--interface cmsis-dap" "$WORK/ctl.out"
check list-jlink grep -qE "^J-Link +000123456789 +1-6 .*--interface jlink" "$WORK/ctl.out"
check list-no-mouse bash -c "! grep -q -i mouse '$WORK/ctl.out' && [ \$(wc -l <'$WORK/ctl.out') -eq 7 ]"
check list-sorted bash -c "awk '{print \$0}' '$WORK/ctl.out' | grep -o ' [12]-[0-9]* ' | tr -d ' ' | tr '\n' , | grep -qx '1-2,1-3,1-4,1-5,1-6,2-1,'"

probes "$all" --json
check json-lines bash -c "[ \$(grep -c '\"type\":\"probe\"' '$WORK/ctl.out') -eq 6 ] && grep -q '\"type\":\"probes\",\"count\":6' '$WORK/ctl.out'"
check json-fields grep -q "\"name\":\"CMSIS-DAP v2\",\"vid\":\"0x2e8a\",\"pid\":\"0x000c\",\"release\":\"2.01\",\"serial\":\"E6614103E7176A23\",\"manufacturer\":\"Raspberry Pi\",\"product\":\"Debugprobe on Pico\",\"usb_path\":\"1-5\",\"bus\":1,\"address\":8,\"interface\":\"cmsis-dap\",\"usable\":true,\"access\":\"ok\"" "$WORK/ctl.out"

# Nothing attached: the listing says so; a command says so in one line,
# before OpenOCD starts (none of its "open failed" lines).
none=$WORK/none.umockdev
usb_root_hub "$none" 1
probes "$none"
check none-listing bash -c "[ $CTL_RC -eq 0 ] && grep -q '^no debug probe found on USB' '$WORK/ctl.out'"
mock "$none" --board devebox-h750 info
expect_ctl none-command 3 'no debug probe found on USB .*connect one, or use --sim' 10
check none-no-openocd bash -c "! grep -qi 'openocd\\|open failed' '$WORK/ctl.err'"

# One probe: picked, named, and pinned by serial on OpenOCD's command line
# (OpenOCD then fails to talk to a recorded device: exit 3).
one=$WORK/one.umockdev
usb_root_hub "$one" 1
usb_device "$one" 1-2 5 0483 374b 0100 STMicroelectronics "STM32 STLink" $ST_SERIAL \
	"ff/ff/ff/81b,01b,82b/ST-Link Debug"
mock "$one" --board devebox-h750 --speed 1000 info
check one-named grep -q "^psramctl: probe: ST-Link V2-1 (serial $ST_SERIAL) at USB 1-2, --interface stlink$" "$WORK/ctl.err"
check one-argv grep -q "'-c' 'script interface/stlink.cfg' '-c' 'transport select hla_swd' '-c' 'adapter serial $ST_SERIAL' '-c' 'set PSRAM_ADAPTER_KHZ 1000' '-c' 'script [^']*/boards/devebox-h750.cfg' '-c' 'adapter speed 1000'" "$WORK/ctl.err"
check one-status [ "$CTL_RC" -eq 3 ]
# --connect-under-reset: the DAP driver and NRST held while attaching.
mock "$one" --board devebox-h750 --connect-under-reset info
check cur-argv grep -q "'-c' 'script interface/stlink-dap.cfg' '-c' 'transport select dapdirect_swd' .* '-c' 'reset_config srst_only srst_nogate connect_assert_srst'" "$WORK/ctl.err"
# --interface that no attached probe fits.
mock "$one" --board devebox-h750 --interface jlink info
expect_ctl wrong-interface 3 'no debug probe for --interface jlink; attached:' 10
check wrong-interface-list grep -q "^  ST-Link V2-1 .*usb 1-2" "$WORK/ctl.err"

# Two identical probes, different serials.
two=$WORK/two.umockdev
usb_root_hub "$two" 1
for port in 2 3; do
	usb_device "$two" 1-$port $((port + 3)) 0483 374e 0100 STMicroelectronics "STLINK-V3" \
		"003A0028331351033033383$port" "ff/ff/ff/81b,01b,82b/ST-Link Debug"
done
mock "$two" --board devebox-h750 eid
expect_ctl two-refused 3 '^psramctl: error: 2 debug probes: choose one with --serial SN or --usb-path PATH:$' 10
check two-listed bash -c "[ \$(grep -c '^  ST-Link V3E ' '$WORK/ctl.err') -eq 2 ] && ! grep -qi 'open failed' '$WORK/ctl.err'"
mock "$two" --board devebox-h750 --serial 003A00283313510330333833 eid
check two-by-serial grep -q "^psramctl: probe: ST-Link V3E (serial 003A00283313510330333833) at USB 1-3," "$WORK/ctl.err"
mock "$two" --board devebox-h750 --usb-path 1-2 eid
check two-by-path grep -q "^psramctl: probe: ST-Link V3E (serial 003A00283313510330333832) at USB 1-2," "$WORK/ctl.err"
mock "$two" --board devebox-h750 --serial NOPE eid
expect_ctl two-unknown-serial 3 "no debug probe with serial 'NOPE'; attached:" 10
mock "$two" --board devebox-h750 --usb-path 'x;y' eid
expect_ctl bad-usb-path 2 "invalid value 'x;y' for --usb-path" 10
ctl --sim --serial 003A eid
expect_ctl serial-with-sim 2 '--serial, --usb-path and --connect-under-reset have no effect with --sim' 10

# A probe whose device node the user may not open: the udev rule to
# install. As root every node opens, so the command runs as nobody.
deny=$WORK/deny.umockdev
usb_root_hub "$deny" 1
usb_device "$deny" 1-4 7 1366 0105 0100 SEGGER "J-Link" 000123456789 "ff/ff/ff/81b,02b/"
as_user=""
if [ "$(id -u)" = 0 ]; then
	as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
	chmod a+rx "$WORK"
fi
timeout 20 umockdev-run -d "$deny" -- sh -c '
	chmod -R a+rwX "$UMOCKDEV_DIR"
	chmod 000 "$UMOCKDEV_DIR/dev/bus/usb/001/007"
	$0 "$1" probes >"$2/deny-list.out" 2>&1
	$0 "$1" --board devebox-h750 info >"$2/deny.out" 2>"$2/deny.err"
	echo $? >"$2/deny.rc"' "$as_user" "$PSRAMCTL" "$WORK"
rule=$(dpkg -L openocd 2>/dev/null | grep '60-openocd.rules$' | head -n 1)
[ -n "$rule" ] && [ ! -e "$rule" ] && rule=/usr$rule
check deny-status grep -qx 3 "$WORK/deny.rc"
check deny-message grep -q '^psramctl: error: no permission to open the J-Link at USB 1-4 (/dev/bus/usb/001/007)$' "$WORK/deny.err"
check deny-rule grep -q "^  OpenOCD's udev rule ${rule:-/lib/udev/rules.d/60-openocd.rules} gives this probe to group plugdev" "$WORK/deny.err"
check deny-listed grep -q "^J-Link .*--interface jlink; no permission" "$WORK/deny-list.out"
