/* The debug probes attached over USB, found with libusb-1.0, and what each
 * is: the ST-Link generations by product ID, CMSIS-DAP by its product or
 * interface string as OpenOCD's cmsis_dap_usb_bulk.c and
 * cmsis_dap_usb_hid.c recognise it, J-Link by Segger's vendor ID, FTDI
 * adapters by ID (docs/probes.md).
 *
 * Strings (serial, product, interface names) are read from sysfs, where the
 * kernel keeps the string descriptors it fetched at enumeration: they can
 * be listed even for a probe the user may not open. Opening the device node
 * only tells whether the user may use it. */
#ifndef CLI_USB_PROBES_H
#define CLI_USB_PROBES_H

#include <stddef.h>
#include <stdint.h>

enum probe_kind {
	PROBE_NONE = 0,
	PROBE_STLINK_V1,
	PROBE_STLINK_V2,
	PROBE_STLINK_V21,
	PROBE_STLINK_V3,
	PROBE_STLINK_V3_LOADER,
	PROBE_CMSIS_DAP_V1,
	PROBE_CMSIS_DAP_V2,
	PROBE_JLINK,
	PROBE_FTDI_ADAPTER, /* an adapter with a known OpenOCD script */
	PROBE_FTDI_CHIP,    /* a bare FTDI MPSSE chip: also a serial bridge */
};

#define USB_PROBE_MAX_IFACES 16

/* What classification looks at: the descriptors and strings of a device. */
struct usb_iface_info {
	uint8_t number, cls, subclass, protocol;
	uint8_t num_endpoints;
	int ep0_bulk_out; /* endpoint[0] is a bulk OUT endpoint */
	int ep1_bulk_in;  /* endpoint[1] is a bulk IN endpoint */
	const char *name; /* the interface string; NULL if none */
};

struct usb_device_info {
	uint16_t vid, pid, release; /* release: bcdDevice */
	const char *product;        /* NULL if none */
	size_t n_ifaces;
	struct usb_iface_info ifaces[USB_PROBE_MAX_IFACES];
};

struct probe_class {
	enum probe_kind kind;
	const char *name;      /* "ST-Link V2-1", "CMSIS-DAP v2", ... */
	const char *interface; /* psramctl's --interface; NULL if none fits */
	/* why it cannot be used as it is, e.g. a loader; NULL if it can */
	const char *problem;
};

/* Classifies a device; kind PROBE_NONE for anything that is not a probe. */
struct probe_class usb_probe_classify(const struct usb_device_info *d);

enum probe_access {
	PROBE_ACCESS_OK,
	PROBE_ACCESS_DENIED, /* the device node cannot be opened: udev rule */
	PROBE_ACCESS_UNKNOWN,
};

struct usb_probe {
	struct probe_class cls;
	uint16_t vid, pid, release;
	char *serial;       /* NULL when the device has none */
	char *manufacturer; /* NULL when the device has none */
	char *product;      /* NULL when the device has none */
	char path[32];      /* "1-2.3": bus, then ports, as sysfs names it */
	unsigned bus, address;
	enum probe_access access;
	char *access_error; /* libusb's word when access is not OK */
};

struct usb_probe_list {
	struct usb_probe *v;
	size_t n;
};

/* Lists the probes attached, sorted by USB path. Returns 0, or
 * PSR_ERR_SYSTEM with msg set (libusb cannot start). */
int usb_probes_list(struct usb_probe_list *out, char *msg, size_t msg_size);
void usb_probes_free(struct usb_probe_list *l);

/* "0.01" style bcdDevice as text: "1.00". */
void usb_release_text(uint16_t bcd, char *buf, size_t size);

#endif
