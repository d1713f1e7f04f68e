#include "link/usb_probes.h"

#include <errno.h>
#include <libusb-1.0/libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"

#define ST_VID 0x0483u
#define SEGGER_VID 0x1366u
#define FTDI_VID 0x0403u
#define OLIMEX_VID 0x15bau

/* ST-Link product IDs: OpenOCD's stlink_usb.c (STLINK_*_PID) and the list
 * in its interface/stlink.cfg (hla_vid_pid). The V3PWR IDs are newer than
 * OpenOCD 0.12, whose stlink.cfg does not list them. */
static const struct {
	uint16_t pid;
	enum probe_kind kind;
	const char *name;
	const char *problem;
} stlinks[] = {
	{0x3744, PROBE_STLINK_V1, "ST-Link V1",
	 "ST-Link V1 speaks SCSI and has no SWD for the H7 (replace it)"},
	{0x3748, PROBE_STLINK_V2, "ST-Link V2", NULL},
	{0x374b, PROBE_STLINK_V21, "ST-Link V2-1", NULL},
	{0x3752, PROBE_STLINK_V21, "ST-Link V2-1", NULL},
	{0x374d, PROBE_STLINK_V3_LOADER, "ST-Link V3 (loader)",
	 "in its USB loader (firmware update) mode: replug it"},
	{0x374e, PROBE_STLINK_V3, "ST-Link V3E", NULL},
	{0x374f, PROBE_STLINK_V3, "ST-Link V3", NULL},
	{0x3753, PROBE_STLINK_V3, "ST-Link V3", NULL},
	{0x3754, PROBE_STLINK_V3, "ST-Link V3", NULL},
	{0x3755, PROBE_STLINK_V3_LOADER, "ST-Link V3PWR (loader)",
	 "in its USB loader (firmware update) mode: replug it"},
	{0x3757, PROBE_STLINK_V3, "ST-Link V3PWR",
	 "OpenOCD 0.12's interface/stlink.cfg does not list product ID "
	 "0x3757"},
};

/* FTDI adapters. The Olimex ones have an OpenOCD script of their own (and
 * SWD through interface/ftdi/olimex-arm-jtag-swd.cfg); a bare FT232H or
 * FT2232H is also sold as a USB-serial bridge, so it is listed with the
 * SWD script of the module OpenOCD knows, and never picked on its own. */
static const struct {
	uint16_t vid, pid;
	enum probe_kind kind;
	const char *name;
	const char *interface;
} ftdis[] = {
	{OLIMEX_VID, 0x002a, PROBE_FTDI_ADAPTER, "Olimex ARM-USB-TINY-H",
	 "ftdi/olimex-arm-usb-tiny-h"},
	{OLIMEX_VID, 0x002b, PROBE_FTDI_ADAPTER, "Olimex ARM-USB-OCD-H",
	 "ftdi/olimex-arm-usb-ocd-h"},
	{OLIMEX_VID, 0x0003, PROBE_FTDI_ADAPTER, "Olimex ARM-USB-OCD",
	 "ftdi/olimex-arm-usb-ocd"},
	{OLIMEX_VID, 0x0004, PROBE_FTDI_ADAPTER, "Olimex ARM-USB-TINY",
	 "ftdi/olimex-jtag-tiny"},
	{FTDI_VID, 0x6014, PROBE_FTDI_CHIP, "FTDI FT232H",
	 "ftdi/ft232h-module-swd"},
	{FTDI_VID, 0x6010, PROBE_FTDI_CHIP, "FTDI FT2232H",
	 "ftdi/minimodule-swd"},
};

static int contains_cmsis_dap(const char *s)
{
	return s && strstr(s, "CMSIS-DAP") != NULL;
}

/* OpenOCD's cmsis_dap_usb_bulk.c: an interface whose string names
 * CMSIS-DAP (or any interface of a device whose product string does), with
 * endpoint 0 bulk OUT and endpoint 1 bulk IN. cmsis_dap_usb_hid.c: a HID
 * interface of a device whose product string names CMSIS-DAP. OpenOCD tries
 * the bulk backend first, so a device with both is v2. */
static enum probe_kind cmsis_dap_kind(const struct usb_device_info *d)
{
	int in_product = contains_cmsis_dap(d->product), hid = 0;

	for (size_t i = 0; i < d->n_ifaces; i++) {
		const struct usb_iface_info *f = &d->ifaces[i];

		if ((in_product || contains_cmsis_dap(f->name)) &&
		    f->num_endpoints >= 2 && f->ep0_bulk_out && f->ep1_bulk_in)
			return PROBE_CMSIS_DAP_V2;
		if (f->cls == LIBUSB_CLASS_HID)
			hid = 1;
	}
	return in_product && hid ? PROBE_CMSIS_DAP_V1 : PROBE_NONE;
}

/* Segger's J-Link product IDs (libjaylink, which OpenOCD's jlink driver
 * uses): 0x0101-0x0108 and, with the WinUSB firmware, 0x1001-0x10ff. */
static int is_jlink(const struct usb_device_info *d)
{
	return d->vid == SEGGER_VID &&
	       ((d->pid >= 0x0101 && d->pid <= 0x0108) ||
		(d->pid >= 0x1001 && d->pid <= 0x10ff));
}

struct probe_class usb_probe_classify(const struct usb_device_info *d)
{
	struct probe_class c = {PROBE_NONE, NULL, NULL, NULL};
	enum probe_kind k;

	if (d->vid == ST_VID) {
		for (size_t i = 0; i < sizeof(stlinks) / sizeof(*stlinks); i++)
			if (stlinks[i].pid == d->pid) {
				c.kind = stlinks[i].kind;
				c.name = stlinks[i].name;
				c.problem = stlinks[i].problem;
				c.interface = c.problem ? NULL : "stlink";
				return c;
			}
	}
	/* CMSIS-DAP before the vendor tables: many are made from parts
	 * whose IDs say nothing (an STM32 with a generic ID, an FTDI-less
	 * RP2040, ...); the string is what counts, as for OpenOCD. */
	k = cmsis_dap_kind(d);
	if (k != PROBE_NONE) {
		c.kind = k;
		c.name = k == PROBE_CMSIS_DAP_V2 ? "CMSIS-DAP v2"
						 : "CMSIS-DAP v1";
		c.interface = "cmsis-dap";
		return c;
	}
	if (is_jlink(d)) {
		c.kind = PROBE_JLINK;
		c.name = "J-Link";
		c.interface = "jlink";
		return c;
	}
	for (size_t i = 0; i < sizeof(ftdis) / sizeof(*ftdis); i++)
		if (ftdis[i].vid == d->vid && ftdis[i].pid == d->pid) {
			c.kind = ftdis[i].kind;
			c.name = ftdis[i].name;
			c.interface = ftdis[i].interface;
			return c;
		}
	return c;
}

void usb_release_text(uint16_t bcd, char *buf, size_t size)
{
	/* bcdDevice: JJ.MN in binary-coded decimal (USB 2.0 §9.6.1) */
	snprintf(buf, size, "%x.%02x", (unsigned)(bcd >> 8),
		 (unsigned)(bcd & 0xff));
}

/* A sysfs attribute of the device (or of "NAME:C.I" for an interface), its
 * trailing newline removed; NULL if absent or empty. */
static char *sysfs_attr(const char *name, const char *attr)
{
	char path[256], buf[256];
	size_t len;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/usb/devices/%s/%s", name,
		 attr);
	f = fopen(path, "re");
	if (!f)
		return NULL;
	len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[len] = '\0';
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = '?';
	return len ? psr_strdup(buf) : NULL;
}

/* The kernel's name of the device: "BUS-P1.P2..." (0 ports: a root hub). */
static int sysfs_name(libusb_device *dev, char *name, size_t size)
{
	uint8_t ports[8];
	int n = libusb_get_port_numbers(dev, ports, (int)sizeof(ports));
	size_t len;

	if (n <= 0)
		return -1;
	len = (size_t)snprintf(name, size, "%u-",
			       (unsigned)libusb_get_bus_number(dev));
	for (int i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(name + len, size - len, "%s%u",
					i ? "." : "", (unsigned)ports[i]);
	return len < size ? 0 : -1;
}

static void fill_ifaces(libusb_device *dev, const char *name,
			struct usb_device_info *info, char **names)
{
	struct libusb_config_descriptor *cfg = NULL;

	if (libusb_get_active_config_descriptor(dev, &cfg) != 0 &&
	    libusb_get_config_descriptor(dev, 0, &cfg) != 0)
		return;
	for (int i = 0; i < cfg->bNumInterfaces &&
			info->n_ifaces < USB_PROBE_MAX_IFACES;
	     i++) {
		const struct libusb_interface_descriptor *d;
		struct usb_iface_info *f;
		char iname[64];

		if (cfg->interface[i].num_altsetting < 1)
			continue;
		d = &cfg->interface[i].altsetting[0];
		f = &info->ifaces[info->n_ifaces];
		f->number = d->bInterfaceNumber;
		f->cls = d->bInterfaceClass;
		f->subclass = d->bInterfaceSubClass;
		f->protocol = d->bInterfaceProtocol;
		f->num_endpoints = d->bNumEndpoints;
		if (d->bNumEndpoints >= 2) {
			const struct libusb_endpoint_descriptor *e = d->endpoint;

			f->ep0_bulk_out =
				(e[0].bmAttributes & 3) ==
					LIBUSB_TRANSFER_TYPE_BULK &&
				!(e[0].bEndpointAddress & LIBUSB_ENDPOINT_IN);
			f->ep1_bulk_in =
				(e[1].bmAttributes & 3) ==
					LIBUSB_TRANSFER_TYPE_BULK &&
				(e[1].bEndpointAddress & LIBUSB_ENDPOINT_IN);
		}
		snprintf(iname, sizeof(iname), "%s:%u.%u", name,
			 (unsigned)cfg->bConfigurationValue,
			 (unsigned)d->bInterfaceNumber);
		names[info->n_ifaces] = sysfs_attr(iname, "interface");
		f->name = names[info->n_ifaces];
		info->n_ifaces++;
	}
	libusb_free_config_descriptor(cfg);
}

static void check_access(libusb_device *dev, struct usb_probe *p)
{
	libusb_device_handle *h = NULL;
	int r = libusb_open(dev, &h);

	if (r == 0) {
		p->access = PROBE_ACCESS_OK;
		libusb_close(h);
		return;
	}
	p->access = r == LIBUSB_ERROR_ACCESS ? PROBE_ACCESS_DENIED
					     : PROBE_ACCESS_UNKNOWN;
	p->access_error = psr_strdup(libusb_strerror(r));
}

/* Fills p from dev if it is a probe; returns 1 then, else 0. */
static int examine(libusb_device *dev, struct usb_probe *p)
{
	struct libusb_device_descriptor dd;
	struct usb_device_info info;
	char *names[USB_PROBE_MAX_IFACES] = {NULL};
	char name[32];

	if (libusb_get_device_descriptor(dev, &dd) != 0 ||
	    sysfs_name(dev, name, sizeof(name)) != 0)
		return 0;
	memset(&info, 0, sizeof(info));
	info.vid = dd.idVendor;
	info.pid = dd.idProduct;
	info.release = dd.bcdDevice;
	memset(p, 0, sizeof(*p));
	p->product = sysfs_attr(name, "product");
	info.product = p->product;
	fill_ifaces(dev, name, &info, names);
	p->cls = usb_probe_classify(&info);
	for (size_t i = 0; i < info.n_ifaces; i++)
		free(names[i]);
	if (p->cls.kind == PROBE_NONE) {
		free(p->product);
		p->product = NULL;
		return 0;
	}
	p->vid = dd.idVendor;
	p->pid = dd.idProduct;
	p->release = dd.bcdDevice;
	p->serial = sysfs_attr(name, "serial");
	p->manufacturer = sysfs_attr(name, "manufacturer");
	snprintf(p->path, sizeof(p->path), "%s", name);
	p->bus = libusb_get_bus_number(dev);
	p->address = libusb_get_device_address(dev);
	check_access(dev, p);
	return 1;
}

/* Sorted by path, numerically per component: "1-2" < "1-10" < "2-1". */
static int path_cmp(const void *a, const void *b)
{
	const char *x = ((const struct usb_probe *)a)->path;
	const char *y = ((const struct usb_probe *)b)->path;

	while (*x && *y) {
		if (*x >= '0' && *x <= '9' && *y >= '0' && *y <= '9') {
			unsigned long u = strtoul(x, (char **)&x, 10);
			unsigned long v = strtoul(y, (char **)&y, 10);

			if (u != v)
				return u < v ? -1 : 1;
			continue;
		}
		if (*x != *y)
			return (unsigned char)*x - (unsigned char)*y;
		x++;
		y++;
	}
	return (unsigned char)*x - (unsigned char)*y;
}

int usb_probes_list(struct usb_probe_list *out, char *msg, size_t msg_size)
{
	libusb_context *ctx = NULL;
	libusb_device **devs = NULL;
	ssize_t n;
	int r;

	out->v = NULL;
	out->n = 0;
	r = libusb_init(&ctx);
	if (r) {
		snprintf(msg, msg_size, "libusb cannot start: %s",
			 libusb_strerror(r));
		return PSR_ERR_SYSTEM;
	}
	n = libusb_get_device_list(ctx, &devs);
	if (n < 0) {
		snprintf(msg, msg_size, "cannot list USB devices: %s",
			 libusb_strerror((int)n));
		libusb_exit(ctx);
		return PSR_ERR_SYSTEM;
	}
	for (ssize_t i = 0; i < n; i++) {
		struct usb_probe p;

		if (!examine(devs[i], &p))
			continue;
		out->v = psr_realloc(out->v, (out->n + 1) * sizeof(*out->v));
		out->v[out->n++] = p;
	}
	libusb_free_device_list(devs, 1);
	libusb_exit(ctx);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), path_cmp);
	return 0;
}

void usb_probes_free(struct usb_probe_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].serial);
		free(l->v[i].manufacturer);
		free(l->v[i].product);
		free(l->v[i].access_error);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
