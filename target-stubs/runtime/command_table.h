/*
 * The commands a stub image carries. Each image under images/ defines the
 * table; dispatch.c runs what it finds there, so an image built with a
 * smaller table links only the code that table reaches (--gc-sections):
 * images/full.c has every command, images/eid.c only what `psramctl eid`
 * and `psramctl info` run.
 */
#ifndef TARGET_STUBS_RUNTIME_COMMAND_TABLE_H
#define TARGET_STUBS_RUNTIME_COMMAND_TABLE_H

#include <stdint.h>

struct stub_ctx;

struct stub_command_entry {
	uint32_t id; /* enum stub_command */
	int (*run)(struct stub_ctx *ctx);
};

extern const struct stub_command_entry stub_commands[];
extern const uint32_t stub_command_count;

#endif
