# A minimal client for OpenOCD's TCL RPC port (commands and replies are
# terminated by byte 0x1a), used by the end-to-end tests.
#   tclsh ocd-rpc.tcl PORT CMD...   sends each CMD, prints each reply.
# Each command is wrapped in catch so that a failing command prints
# "ERROR: message" and the script exits with status 1.
set port [lindex $argv 0]
set sock [socket 127.0.0.1 $port]
fconfigure $sock -translation binary -buffering none -blocking 1
proc rpc {sock cmd} {
	puts -nonewline $sock "$cmd\x1a"
	flush $sock
	set reply ""
	while {1} {
		set c [read $sock 1]
		if {$c eq ""} { error "connection closed" }
		if {$c eq "\x1a"} { break }
		append reply $c
	}
	return $reply
}
set status 0
foreach cmd [lrange $argv 1 end] {
	set r [rpc $sock "set rc_ \[catch {$cmd} res_\]; list \$rc_ \$res_"]
	if {[lindex $r 0] != 0} {
		puts "ERROR: [lindex $r 1]"
		set status 1
		break
	}
	puts [lindex $r 1]
}
close $sock
exit $status
