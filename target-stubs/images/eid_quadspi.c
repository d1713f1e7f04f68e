/* stub-eid_quadspi.bin: ping and eid on a QUADSPI (H742/743/750/753,
 * F7), what `psramctl eid` and `psramctl info` run there; no OCTOSPI
 * driver and no other command, so the fewest bytes on the debug link. */
#include "runtime/command_table.h"
#include "runtime/stub.h"
#include "transport/quadspi_driver.h"

const struct stub_command_entry stub_commands[] = {
	{STUB_CMD_PING, cmd_ping},
	{STUB_CMD_EID, cmd_eid},
};

const uint32_t stub_command_count =
	sizeof(stub_commands) / sizeof(stub_commands[0]);

const struct xspi_ops *const stub_xspi_drivers[STUB_XSPI_SLOTS] = {
	[STUB_XSPI_QUADSPI] = &quadspi_read_ops,
};
