#!/bin/bash
# OpenOCD's own tools/memtest.tcl (data bus, address bus, device tests:
# code nobody here wrote) passes on simulated SRAM, and fails where memory
# cannot be written.
. "$(dirname "$0")/lib.sh"

start_board --board devebox-h750 || exit 1
ocd "halt" "source [find tools/memtest.tcl]" >/dev/null
check data-bus-dtcm [ -z "$(ocd 'memTestDataBus 0x20010000')" ]
check address-bus-dtcm [ -z "$(ocd 'memTestAddressBus 0x20010000 0x10000')" ]
check device-sram4 [ -z "$(ocd 'memTestDevice 0x38000000 0x1000')" ]
check data-bus-axi [ -z "$(ocd 'memTestDataBus 0x24000000')" ]
check address-bus-axi [ -z "$(ocd 'memTestAddressBus 0x24000000 0x80000')" ]
# Flash refuses plain writes (PGSERR): psramsim says so, on purpose here.
expect_guest_errors
out=$(ocd 'memTestDataBus 0x08010000')
end_guest_errors
check data-bus-flash-fails bash -c "[ -n '$out' ]"
