#!/bin/bash
# gdb-multiarch through OpenOCD's gdb port: load an ELF, stop at a
# breakpoint in main, step, print a variable.
. "$(dirname "$0")/lib.sh"

GDB_PORT=0
start_board --board devebox-h750 || exit 1
line=$(grep -n 'results\[1\] = fib(40);' "$TOP/tests/progs/selftest.c" | cut -d: -f1)
timeout 120 gdb-multiarch -nx -batch \
	-ex "set confirm off" -ex "set pagination off" \
	-ex "target extended-remote 127.0.0.1:$GDB_PORT" \
	-ex "monitor reset halt" \
	-ex "load" \
	-ex "break main" -ex "continue" \
	-ex "info registers pc" \
	-ex "break selftest.c:$line" -ex "continue" \
	-ex "print/x results[0]" \
	-ex "next" \
	-ex "print \$pc" \
	-ex "delete" -ex "continue" \
	-ex "print results[1]" \
	"$BUILD/progs/selftest.elf" >"$WORK/gdb.log" 2>&1
cat "$WORK/gdb.log"
check gdb-loaded grep -q 'Transfer rate' "$WORK/gdb.log"
check gdb-break-main grep -qE 'Breakpoint 1, (0x[0-9a-f]+ in )?main' "$WORK/gdb.log"
# -Os inlines fib() into main, so gdb reports the breakpoint inside it.
check gdb-break-line grep -qE "Breakpoint 2, .* at tests/progs/selftest.c:[0-9]+" "$WORK/gdb.log"
check gdb-next-moves grep -qE "^27[[:space:]]" "$WORK/gdb.log"
check gdb-print-crc grep -q '= 0xcbf43926' "$WORK/gdb.log"
# The program then runs to its BKPT, and gdb sees the final result.
check gdb-continue-to-end grep -q '= 102334155' "$WORK/gdb.log"
