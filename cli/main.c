/* psramctl: checks and benchmarks an SPI/QPI PSRAM on STM32H7/F7 boards
 * through OpenOCD. The subcommands, in the order --help lists them. */
#include <stddef.h>

#include "cli.h"

static const struct command *const commands[] = {
	&cmd_info,
	&cmd_eid,
	&cmd_bench,
	&cmd_margin,
	&cmd_memtest,
	&cmd_verify,
	&cmd_mapcheck,
	&cmd_watch,
	&cmd_flash,
	&cmd_shell,
	&cmd_probes,
	NULL,
};

int main(int argc, char **argv)
{
	return cli_main(argc, argv, commands);
}
