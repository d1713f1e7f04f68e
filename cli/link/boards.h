/* Finding board files. cfg/boards/NAME.cfg describes a real board,
 * cfg/boards/sim-NAME.cfg the same board simulated by psramsim. They are
 * installed to $(PREFIX)/share/psramctl/boards (with sim.cfg one level up)
 * and found relative to the binary: $(PREFIX)/bin/psramctl looks in
 * ../share/psramctl, build/psramctl in the build tree looks in ../cfg. */
#ifndef CLI_BOARDS_H
#define CLI_BOARDS_H

/* The cfg directory (holding sim.cfg and boards/) for a psramctl binary at
 * exe_path; NULL (exe_path) means this process's binary. Returns a new
 * string, or NULL with an error printed. */
char *boards_cfg_dir(const char *exe_path);

/* The path of the board file for name (sim: sim-NAME.cfg) in cfg_dir.
 * Names are letters, digits and ._+- only (no path, nothing for Tcl); an
 * unknown or malformed name is PSR_ERR_UNKNOWN_BOARD with a message that
 * lists the known boards. */
int boards_find(const char *cfg_dir, const char *name, int sim, char **path);

/* The known board names (sim: without the sim- prefix), sorted. Returns
 * their number; free with boards_free. */
int boards_list(const char *cfg_dir, int sim, char ***names);
void boards_free(char **names, int n);

/* The OpenOCD interface script for --interface NAME: stlink, stlink-dap,
 * cmsis-dap, jlink, ftdi/NAME (an OpenOCD interface/ftdi/ script) or a
 * path ending in .cfg. NULL (name unknown, error printed) otherwise. */
char *boards_interface_cfg(const char *name);

#endif
