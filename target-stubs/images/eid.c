/* stub-eid.bin: ping and eid only, what `psramctl eid` and `psramctl info`
 * run; a third the size of stub.bin, so the load costs a third of the
 * debug link's time. */
#include "runtime/command_table.h"
#include "runtime/stub.h"

const struct stub_command_entry stub_commands[] = {
	{STUB_CMD_PING, cmd_ping},
	{STUB_CMD_EID, cmd_eid},
};

const uint32_t stub_command_count =
	sizeof(stub_commands) / sizeof(stub_commands[0]);
