/* stub.bin: every command and both transports (psramctl's default
 * image). */
#include "runtime/command_table.h"
#include "runtime/stub.h"
#include "transport/octospi_driver.h"
#include "transport/quadspi_driver.h"

const struct stub_command_entry stub_commands[] = {
	{STUB_CMD_PING, cmd_ping},
	{STUB_CMD_EID, cmd_eid},
	{STUB_CMD_MEMTEST, cmd_memtest},
	{STUB_CMD_PINS, cmd_pins},
	{STUB_CMD_BENCH, cmd_bench},
	{STUB_CMD_MARGIN, cmd_margin},
	{STUB_CMD_READ, cmd_read},
	{STUB_CMD_WRITE, cmd_write},
};

const uint32_t stub_command_count =
	sizeof(stub_commands) / sizeof(stub_commands[0]);

const struct xspi_ops *const stub_xspi_drivers[STUB_XSPI_SLOTS] = {
	[STUB_XSPI_QUADSPI] = &quadspi_ops,
	[STUB_XSPI_OCTOSPI] = &octospi_ops,
};
