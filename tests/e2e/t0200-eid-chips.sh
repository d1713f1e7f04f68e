#!/bin/bash
# psramctl eid through real OpenOCD and psramsim, for each of the four
# PSRAM variants: the family named and never a vendor, KGD pass, 64 Mbit,
# the timing limits from the board file's chip, the ID clock capped at
# 25 MHz, exit 0; text and --json.
. "$(dirname "$0")/lib-stub.sh"

family='64 Mbit PSRAM of the AP Memory family: ESP-PSRAM64H, LY68L6400, APS6404L or IPS6404L — the ID does not tell them apart'

for chip in esp-psram64h ly68l6400 aps6404l ips6404l; do
	ctl --sim --sim-chip "$chip" eid
	check "$chip-exit-0" [ "$CTL_RC" = 0 ]
	check "$chip-family" out_has "^Chip +$family\$"
	check "$chip-maker" out_has '^Maker +0x0d: AP Memory family$'
	check "$chip-kgd-pass" out_has '^KGD +pass \(0x5d\)$'
	check "$chip-density" out_has '^Density +64 Mbit \(EID\[47:45\] = 010\)$'
	check "$chip-eid-bytes" out_has '^EID +0d 5d [0-9a-f]{2}( [0-9a-f]{2}){5} \(0x9F with address, SPI\)$'
	check "$chip-no-flash-id" out_has '^Flash ID +ff ff ff '
	check "$chip-lines-driven" out_has '0xEB read: the chip drives IO0-IO3$'
	check "$chip-pass" out_has '^Result +PASS$'
	check "$chip-no-error" [ -z "$(ctl_messages)" ]

	ctl --sim --sim-chip "$chip" --json eid
	check "$chip-json-exit-0" [ "$CTL_RC" = 0 ]
	check "$chip-json-one-line" [ "$(wc -l <"$WORK/ctl.out")" = 1 ]
	for member in '"type":"eid"' '"pass":true' '"chip":"psram"' \
		'"maker":"0x0d"' '"family":"AP Memory"' \
		'"parts":\["ESP-PSRAM64H","LY68L6400","APS6404L","IPS6404L"\]' \
		'"kgd":"pass"' '"kgd_byte":"0x5d"' '"density_mbit":64' \
		'"eid":"0d5d[0-9a-f]{12}"' '"jedec":"ffffff"' \
		'"driven":\[0,1,2,3\]' '"faults":\[\]'; do
		check "$chip-json-$member" out_has "$member"
	done
	# The vendor is never claimed from the ID.
	check "$chip-json-no-vendor" bash -c "! grep -qi '\"part\"' '$WORK/ctl.out'"
done

# The board file's PSRAM_CHIP picks the timing limits: esp-psram64h on the
# DEVEBOX, ly68l6400 on the WeAct.
ctl --sim eid
check timing-devebox out_has '^Timing +esp-psram64h limits'
ctl --sim --sim-board weact-h750 eid
check timing-weact out_has '^Timing +ly68l6400 limits'
ctl --sim --sim-board weact-h750 --json eid
check timing-weact-json out_has '"timing":"ly68l6400","board_chip":"ly68l6400"'

# The ID is read at no more than 25 MHz (STUB_EID_MAX_HZ) although the
# board asks for 50.
ctl --sim --json eid
hz=$(sed -nE 's/.*"clock_hz":([0-9]+).*/\1/p' "$WORK/ctl.out")
check clock-capped-25mhz [ "${hz:-0}" -gt 0 -a "${hz:-0}" -le 25000000 ]

# eid leaves the core halted at the stub's exit, and no process behind.
expect_no_leftovers no-leftovers
ctl eid --help
check help-exit-0 [ "$CTL_RC" = 0 ]
check help-usage out_has '^usage: psramctl \[options\] eid'
