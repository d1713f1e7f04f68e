/* What psramctl --version says: its own version, the stub ABI it speaks
 * (stub_abi.h), and the OpenOCD it would run — the path found and what
 * that program says its version is (`openocd --version`, first line). */
#ifndef CLI_VERSION_INFO_H
#define CLI_VERSION_INFO_H

#include <stdio.h>

#define PSRAMCTL_VERSION "0.1.0"

/* program: --openocd PATH, or NULL for openocd in PATH. */
void version_info_print(FILE *f, const char *program);

#endif
