/* Which probe a command uses on a real board: --interface, --serial and
 * --usb-path narrow down the probes attached (usb_probes.h); exactly one
 * must remain. None or several: one line saying so, the probes attached
 * listed below it, exit 3, before OpenOCD is started (so none of its
 * "open failed" lines). A probe the user may not open: the udev rule to
 * install. */
#ifndef CLI_PROBE_SELECT_H
#define CLI_PROBE_SELECT_H

#include "link/usb_probes.h"
#include "util/strbuf.h"

struct probe_request {
	const char *interface; /* --interface; NULL: from the probe */
	const char *serial;    /* --serial; NULL: any */
	const char *usb_path;  /* --usb-path; NULL: any */
};

struct probe_choice {
	char *interface;    /* psramctl's --interface name, or FILE.cfg */
	char *serial;       /* for `adapter serial`; NULL: none */
	char *usb_location; /* for `adapter usb location`; NULL: none */
	char *described;    /* "ST-Link V2-1 (serial X) at USB 1-2"; NULL */
};

/* Chooses among the probes in list (already enumerated; NULL when they
 * could not be, enum_error saying why). Errors are printed:
 * PSR_ERR_NO_PROBE, PSR_ERR_USAGE for a malformed --usb-path. */
int probe_choose(const struct probe_request *req,
		 const struct usb_probe_list *list, const char *enum_error,
		 struct probe_choice *out);
/* Enumerates, then probe_choose. */
int probe_select(const struct probe_request *req, struct probe_choice *out);
void probe_choice_free(struct probe_choice *c);

/* True when p can be driven with --interface iface (a psramctl name). */
int probe_fits_interface(const struct usb_probe *p, const char *iface);
/* One line: "ST-Link V2-1  serial 0669FF...  usb 1-2  --interface stlink". */
void probe_describe(const struct usb_probe *p, struct strbuf *sb);
/* What to do about a device node the user may not open: the udev rule
 * OpenOCD's package ships (or where it is missing the probe's ID). */
void probe_udev_hint(const struct usb_probe *p, struct strbuf *sb);

#endif
