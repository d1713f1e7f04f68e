/* The OpenOCD commands that set up a real probe, around the board file:
 *
 *   before: script interface/X.cfg   the adapter
 *           transport select swd     SWD wherever the adapter has both:
 *                                    the DEVEBOX and WeAct headers carry
 *                                    SWDIO/SWCLK only, and the stock
 *                                    target/swj-dp.tcl would otherwise take
 *                                    the adapter's first transport (JTAG
 *                                    for J-Link and FTDI)
 *           adapter serial SN        one probe among several
 *           set PSRAM_ADAPTER_KHZ N  --speed, which the board's reset-init
 *                                    then keeps (the board files)
 *   board:  script boards/NAME.cfg
 *   after:  adapter speed N
 *           reset_config srst_only srst_nogate connect_assert_srst
 *                                    --connect-under-reset: NRST held while
 *                                    OpenOCD attaches (after the board file,
 *                                    whose target script sets reset_config)
 *
 * With --connect-under-reset an ST-Link is driven through OpenOCD's st-link
 * DAP driver (interface/stlink-dap.cfg) rather than HLA: the stock
 * target/stm32h7x.cfg reads DBGMCU at examine through AP2, which works under
 * reset, only when the adapter is not HLA (its own comment on reset_config).
 * docs/probes.md lists the combinations and how each was exercised. */
#ifndef CLI_OPENOCD_CMDLINE_H
#define CLI_OPENOCD_CMDLINE_H

#include <stddef.h>

struct adapter_setup {
	const char *interface;    /* psramctl's name or FILE.cfg */
	const char *serial;       /* NULL: any */
	const char *usb_location; /* NULL: any; "1-2.3" */
	unsigned speed_khz;       /* 0: the board file's */
	int connect_under_reset;
};

struct ocd_cmds {
	char **pre;  /* NULL-terminated Tcl lines before the board file */
	char **post; /* NULL-terminated Tcl lines after it */
	/* what psramctl changed on its own, for the user; NULL if nothing */
	const char *note;
};

/* Builds the commands. An unknown interface is PSR_ERR_USAGE (printed). */
int ocd_adapter_cmds(const struct adapter_setup *a, struct ocd_cmds *out);
void ocd_cmds_free(struct ocd_cmds *c);

/* The transport psramctl selects for an interface name; NULL when it
 * leaves the choice to the script (a FILE.cfg of the user's own). */
const char *ocd_interface_transport(const char *interface);

#endif
