/*
 * The commands and xSPI drivers a stub image carries. Each image under
 * images/ defines both tables; dispatch.c and board_setup.c use what they
 * find there, so an image built with smaller tables links only the code
 * they reach (--gc-sections): images/full.c has every command and both
 * drivers, images/eid_quadspi.c and eid_octospi.c only what `psramctl
 * eid` and `psramctl info` run, with one driver each.
 */
#ifndef TARGET_STUBS_RUNTIME_COMMAND_TABLE_H
#define TARGET_STUBS_RUNTIME_COMMAND_TABLE_H

#include <stdint.h>

#include "transport/xspi_op.h"

struct stub_ctx;

struct stub_command_entry {
	uint32_t id; /* enum stub_command */
	int (*run)(struct stub_ctx *ctx);
};

extern const struct stub_command_entry stub_commands[];
extern const uint32_t stub_command_count;

/* Indexed by enum stub_xspi; NULL where the image has no such driver. */
#define STUB_XSPI_SLOTS 3U
extern const struct xspi_ops *const stub_xspi_drivers[STUB_XSPI_SLOTS];

#endif
