#!/bin/bash
# memtest --mode mapped: CPU loads and stores through the memory-mapped
# window. On the H7A3 both go through the OCTOSPI window; on the H750 the
# QUADSPI maps reads and writes stay indirect. --xspi reproduces a
# firmware's settings: without DQS on writes the first store is a bus
# fault (ES0478); without the timeout counter and REFRESH NCS stays low
# past tCEM and a chip that needs its refresh loses data; the defaults,
# the setup mapcheck recommends, pass.
. "$(dirname "$0")/lib-stub.sh"

# The QUADSPI has no REFRESH and no CSBOUND: the stub reads the window
# in runs within tCEM and lets NCS rise between them (the timeout
# counter), so strict tCEM keeps the data and psramsim sees no rule
# broken, on the H750 and the F746G-DISCO.
for board in devebox-h750 f746g-disco; do
	ctl --sim --sim-board "$board" --sim-fault tcem=strict --json memtest --mode mapped --range 0:8K --width 8,32
	check "$board-strict-tcem-pass" out_has '"verdict":"pass",.*"mode":"mapped"'
	ctl --sim --sim-board "$board" --sim-fault tcem=strict --json memtest --mode mapped --mpu wb --range 0x2000:4K --tests device,access
	check "$board-strict-tcem-cached-pass" out_has '"verdict":"pass",.*"mode":"mapped"'
done

# psramsim reports rules broken by runs that keep their data: above 50
# MHz every command ends with nCS one CLK after the last edge, under the
# ESP-PSRAM64H's 20 ns tCHD (ESPDS Table 10-5), indirect commands as well
# as mapped ones (the stub's transports). Expected from here.
expect_guest_errors

H7A3=(--sim --sim-board devebox-h7a3)

ctl "${H7A3[@]}" --json memtest --mode mapped --range 0x10000:16K --width 8,16,32
check h7a3-exit-0 [ "$CTL_RC" = 0 ]
check h7a3-pass out_has '"verdict":"pass",.*"mode":"mapped"'

ctl --sim --json memtest --mode mapped --range 0:8K --width 8,32
check h750-reads-mapped-exit-0 [ "$CTL_RC" = 0 ]
check h750-pass out_has '"verdict":"pass",.*"mode":"mapped"'

# 64 bits: 32-bit units moved by LDRD/STRD, through the data cache too.
ctl "${H7A3[@]}" --json memtest --mode mapped --mpu wb --range 0x4000:4K --width 64 --tests device
check width-64-pass out_has '"type":"test","test":"device","width":64,"pass":1,"bytes":8192,"errors":0'
ctl --sim memtest --width 64
expect_ctl width-64-needs-mapped 2 '--width 64 .* it needs --mode mapped'

for mpu in device nc wt wb; do
	ctl "${H7A3[@]}" memtest --mode mapped --mpu "$mpu" --range 0:4K --tests device,patterns
	check "mpu-$mpu-pass" [ "$CTL_RC" = 0 ]
done

ctl "${H7A3[@]}" memtest --mode mapped --range 0:4K --xspi dqs=off
expect_ctl dqs-off-bus-fault 3 'the stub crashed: BusFault.*mt_chip_write'

ctl "${H7A3[@]}" --sim-fault tcem=strict memtest --mode mapped --range 0:64K --tests device --xspi timeout=off --xspi refresh=0
check no-timeout-loses-data [ "$CTL_RC" = 1 ]
check no-timeout-wrong-units out_has 'fail: [0-9]+ wrong units'
ctl "${H7A3[@]}" --sim-fault tcem=strict memtest --mode mapped --range 0:64K --tests device
check recommended-keeps-data [ "$CTL_RC" = 0 ]
ctl "${H7A3[@]}" --sim-fault tcem=strict memtest --mode mapped --range 0:64K --tests device --xspi timeout=off
check refresh-alone-keeps-data [ "$CTL_RC" = 0 ]

# The access test: 64-bit, unaligned and sub-word accesses and a store
# right after a load (loads only where the QUADSPI maps reads only).
ctl "${H7A3[@]}" --json memtest --mode mapped --range 0x2000:4K --tests access
check access-h7a3-pass out_has '"test":"access","width":32,"pass":1,"bytes":1536,"errors":0'
ctl --sim --json memtest --mode mapped --range 0x2000:4K --tests access
check access-h750-loads-pass out_has '"test":"access","width":32,"pass":1,"bytes":512,"errors":0'
ctl --sim memtest --tests access
expect_ctl access-needs-mapped 2 'it needs --mode mapped'

ctl "${H7A3[@]}" memtest --mode mapped --xspi csbound=40
expect_ctl bad-csbound 2 "--xspi 'csbound=40': csbound is 0"
ctl --sim memtest --mpu wb
expect_ctl mpu-needs-mapped 2 'need --mode mapped'
