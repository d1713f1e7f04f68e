#!/bin/bash
# Clock choices honour every timing of the fitted part, not only its
# maximum clock: the QUADSPI lowers nCS one clock before the first edge
# and raises it one clock after the last, so tCSP and tCHD bound the
# clock too. APS6404L (tCHD taken as the family's 20 ns): margin
# recommends 50 MHz and says tCHD limits it, verify's clock stage climbs
# no higher; IPS6404L (tCHD 3 ns): its 104 MHz maximum is the limit and
# 100 MHz is recommended. One psramsim and OpenOCD per part.
. "$(dirname "$0")/lib-stub.sh"

summary() { tail -n 1 "$WORK/ctl.out" | grep -oE "\"$1\":[0-9]+" | cut -d: -f2; }

for part in aps6404l ips6404l; do
	{
		echo 'source [find sim.cfg]'
		echo 'source [find boards/devebox-h750.cfg]'
		echo "set PSRAM_CHIP $part"
	} >"$WORK/$part.cfg"
	if [ -n "${OCD_PID:-}" ]; then
		kill "$OCD_PID" "$SIM_PID" 2>/dev/null
		wait "$OCD_PID" "$SIM_PID" 2>/dev/null
	fi
	start_sim --chip "$part" || exit 1
	SIM_BOARD_CFG=$WORK/$part.cfg start_openocd || exit 1
	c=(--connect "127.0.0.1:$TCL_PORT")
	ctl "${c[@]}" --json margin --min 40
	check "$part-margin-exit-0" [ "$CTL_RC" = 0 ]
	if [ "$part" = aps6404l ]; then
		check aps-margin-spec out_has '"spec_max_hz":50000000,"spec_limit":"tCHD 20.0 ns: the QUADSPI holds nCS one clock after the last edge"'
		check aps-margin-recommended [ "$(summary recommended_hz)" = 50000000 ]
		# 50 MHz: one clock (20 ns) of hold covers tCHD, 18 ns of
		# tCPH fits the CE# high time the stub chose.
		check aps-hold-covers-tchd [ $((1000000000000 / 50000000)) -ge 20000 ]
		ctl "${c[@]}" --json verify --range 0:16K
		check aps-verify-pass [ "$CTL_RC" = 0 ]
		check aps-verify-clock out_has '"stage":"clock","result":"pass",.*"note":"data and page crossing pass up to 50 MHz, the fastest in spec for APS6404L \(tCHD 20\.0 ns'
	else
		check ips-margin-spec out_has '"spec_max_hz":104000000,"spec_limit":"its maximum clock, 104 MHz"'
		check ips-margin-recommended [ "$(summary recommended_hz)" = 100000000 ]
		check ips-hold-covers-tchd [ $((1000000000000 / 100000000)) -ge 3000 ]
	fi
done

# bench says when the clock it runs at is out of spec, and why; psramsim
# reports the tCHD that clock breaks: a clock the test asks for out of
# spec.
expect_guest_errors
ctl --sim bench --clock 67 --sizes 1024
end_guest_errors
check bench-warns-out-of-spec err_has 'warning: bench at 66\.667 MHz is above 50\.000 MHz, the fastest clock in spec for ESP-PSRAM64H \(tCHD 20\.0 ns'
ctl --sim bench --clock 50 --sizes 1024
check bench-quiet-in-spec bash -c "! grep -q 'fastest clock in spec' '$WORK/ctl.err'"
