#include "link/probe_select.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/output.h"
#include "util/alloc.h"
#include "util/error.h"

/* Where Debian's openocd package puts its udev rule (dpkg -L openocd), and
 * where an administrator's copy overrides it (udev(7): /etc first). */
static const char *const udev_rules[] = {
	"/etc/udev/rules.d/60-openocd.rules",
	"/lib/udev/rules.d/60-openocd.rules",
	"/usr/lib/udev/rules.d/60-openocd.rules",
};

static int is_cfg_file(const char *iface)
{
	size_t len = strlen(iface);

	return len > 4 && !strcmp(iface + len - 4, ".cfg");
}

int probe_fits_interface(const struct usb_probe *p, const char *iface)
{
	switch (p->cls.kind) {
	case PROBE_STLINK_V1:
	case PROBE_STLINK_V2:
	case PROBE_STLINK_V21:
	case PROBE_STLINK_V3:
	case PROBE_STLINK_V3_LOADER:
		return !strcmp(iface, "stlink") || !strcmp(iface, "stlink-dap");
	case PROBE_CMSIS_DAP_V1:
	case PROBE_CMSIS_DAP_V2:
		return !strcmp(iface, "cmsis-dap");
	case PROBE_JLINK:
		return !strcmp(iface, "jlink");
	case PROBE_FTDI_ADAPTER:
	case PROBE_FTDI_CHIP:
		return !strncmp(iface, "ftdi/", 5);
	case PROBE_NONE:
		break;
	}
	return 0;
}

/* A serial OpenOCD can match: printable ASCII. Early ST-Link V2 firmware
 * reports raw bytes (OpenOCD's interface/stlink.cfg says so); those are
 * told apart by their USB path instead. */
static int usable_serial(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s < 0x21 || (unsigned char)*s > 0x7e ||
		    *s == '?')
			return 0;
	return 1;
}

void probe_describe(const struct usb_probe *p, struct strbuf *sb)
{
	char shown[128];

	sb_addf(sb, "%-20s serial %-26s usb %-8s", p->cls.name,
		p->serial ? out_printable(p->serial, shown, sizeof(shown))
			  : "(none)",
		p->path);
	if (p->cls.problem)
		sb_addf(sb, " %s", p->cls.problem);
	else if (p->cls.kind == PROBE_FTDI_CHIP)
		sb_addf(sb, " --interface %s if wired for SWD",
			p->cls.interface);
	else
		sb_addf(sb, " --interface %s", p->cls.interface);
	if (p->access == PROBE_ACCESS_DENIED)
		sb_adds(sb, " (no permission)");
}

static int rule_lists(const char *path, const struct usb_probe *p,
		      int *exists)
{
	char want[96], line[512];
	int found = 0;
	FILE *f = fopen(path, "re");

	*exists = f != NULL;
	if (!f)
		return 0;
	snprintf(want, sizeof(want),
		 "ATTRS{idVendor}==\"%04x\", ATTRS{idProduct}==\"%04x\"",
		 (unsigned)p->vid, (unsigned)p->pid);
	while (!found && fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			continue;
		if (strstr(line, want))
			found = 1;
		/* its catch-all for CMSIS-DAP: ATTRS{product}=="*CMSIS-DAP*" */
		if (strstr(line, "ATTRS{product}==\"*CMSIS-DAP*\"") &&
		    p->product && strstr(p->product, "CMSIS-DAP"))
			found = 1;
	}
	fclose(f);
	return found;
}

void probe_udev_hint(const struct usb_probe *p, struct strbuf *sb)
{
	for (size_t i = 0; i < sizeof(udev_rules) / sizeof(*udev_rules);
	     i++) {
		int exists;

		if (rule_lists(udev_rules[i], p, &exists)) {
			sb_addf(sb,
				"OpenOCD's udev rule %s gives this probe to "
				"group plugdev: run 'sudo usermod -aG plugdev "
				"$USER', log in again and replug the probe",
				udev_rules[i]);
			return;
		}
		if (exists) {
			sb_addf(sb,
				"OpenOCD's udev rule %s does not list "
				"%04x:%04x: copy it to /etc/udev/rules.d/, "
				"add a line for that ID, run 'sudo udevadm "
				"control --reload' and replug the probe",
				udev_rules[i], (unsigned)p->vid,
				(unsigned)p->pid);
			return;
		}
	}
	sb_adds(sb, "install OpenOCD's udev rule 60-openocd.rules (Debian: "
		    "'sudo apt install openocd', which puts it in "
		    "/lib/udev/rules.d/), then replug the probe");
}

static void list_probes(const struct usb_probe_list *list)
{
	struct strbuf sb;

	sb_init(&sb);
	for (size_t i = 0; i < list->n; i++) {
		sb_reset(&sb);
		probe_describe(&list->v[i], &sb);
		fprintf(stderr, "  %s\n", sb.buf);
	}
	fflush(stderr);
	sb_release(&sb);
}

/* "1-2", "3-1.4.2": a bus, a dash, ports separated by dots. */
static int valid_usb_path(const char *s)
{
	static const char digits[] = "0123456789";
	size_t n = strspn(s, digits);

	if (n < 1 || n > 3 || s[n] != '-')
		return 0;
	s += n + 1;
	for (;;) {
		n = strspn(s, digits);
		if (n < 1 || n > 3)
			return 0;
		s += n;
		if (!*s)
			return 1;
		if (*s++ != '.')
			return 0;
	}
}

static int matches(const struct probe_request *req, const struct usb_probe *p)
{
	if (req->interface && !probe_fits_interface(p, req->interface))
		return 0;
	/* A bare FTDI chip is as likely a serial bridge: only when asked. */
	if (!req->interface && !req->serial && !req->usb_path &&
	    p->cls.kind == PROBE_FTDI_CHIP)
		return 0;
	if (req->serial && (!p->serial || strcmp(req->serial, p->serial)))
		return 0;
	if (req->usb_path && strcmp(req->usb_path, p->path))
		return 0;
	return 1;
}

static void describe_request(const struct probe_request *req,
			     struct strbuf *sb)
{
	char shown[128];

	if (req->interface)
		sb_addf(sb, " for --interface %s",
			out_printable(req->interface, shown, sizeof(shown)));
	if (req->serial)
		sb_addf(sb, " with serial '%s'",
			out_printable(req->serial, shown, sizeof(shown)));
	if (req->usb_path)
		sb_addf(sb, " at USB path %s",
			out_printable(req->usb_path, shown, sizeof(shown)));
}

static int none_found(const struct probe_request *req,
		      const struct usb_probe_list *list)
{
	struct strbuf sb;
	int r;

	sb_init(&sb);
	if (!list->n) {
		r = out_error(PSR_ERR_NO_PROBE,
			      "no debug probe found on USB (looked for "
			      "ST-Link, CMSIS-DAP, J-Link and FTDI adapters): "
			      "connect one, or use --sim");
	} else {
		describe_request(req, &sb);
		r = out_error(PSR_ERR_NO_PROBE,
			      "no debug probe%s; attached:", sb.buf);
		list_probes(list);
	}
	sb_release(&sb);
	return r;
}

static void fill_choice(const struct probe_request *req,
			const struct usb_probe *p, struct probe_choice *out)
{
	struct strbuf sb;
	char shown[128];

	out->interface = psr_strdup(req->interface ? req->interface
						   : p->cls.interface);
	if (usable_serial(p->serial))
		out->serial = psr_strdup(p->serial);
	else
		out->usb_location = psr_strdup(p->path);
	sb_init(&sb);
	sb_adds(&sb, p->cls.name);
	if (p->serial)
		sb_addf(&sb, " (serial %s)",
			out_printable(p->serial, shown, sizeof(shown)));
	sb_addf(&sb, " at USB %s", p->path);
	out->described = sb_detach(&sb);
}

int probe_choose(const struct probe_request *req,
		 const struct usb_probe_list *list, const char *enum_error,
		 struct probe_choice *out)
{
	const struct usb_probe *only = NULL;
	struct strbuf sb;
	size_t n = 0;
	char shown[128];
	int r;

	memset(out, 0, sizeof(*out));
	if (req->usb_path && !valid_usb_path(req->usb_path))
		return out_error(PSR_ERR_USAGE,
				 "invalid value '%s' for --usb-path (expected "
				 "BUS-PORT[.PORT]..., as 'psramctl probes' "
				 "shows)",
				 out_printable(req->usb_path, shown,
					       sizeof(shown)));
	if (req->interface && is_cfg_file(req->interface)) {
		/* A script of the user's own: its driver is unknown here. */
		out->interface = psr_strdup(req->interface);
		out->serial = req->serial ? psr_strdup(req->serial) : NULL;
		out->usb_location =
			req->usb_path ? psr_strdup(req->usb_path) : NULL;
		return 0;
	}
	if (!list) {
		if (!req->interface)
			return out_error(PSR_ERR_NO_PROBE,
					 "cannot look for debug probes (%s): "
					 "name one with --interface",
					 enum_error);
		out_debug("cannot look for debug probes (%s); leaving the "
			  "choice to OpenOCD",
			  enum_error);
		out->interface = psr_strdup(req->interface);
		out->serial = req->serial ? psr_strdup(req->serial) : NULL;
		out->usb_location =
			req->usb_path ? psr_strdup(req->usb_path) : NULL;
		return 0;
	}
	for (size_t i = 0; i < list->n; i++)
		if (matches(req, &list->v[i])) {
			only = &list->v[i];
			n++;
		}
	if (n == 0)
		return none_found(req, list);
	if (n > 1) {
		sb_init(&sb);
		describe_request(req, &sb);
		r = out_error(PSR_ERR_NO_PROBE,
			      "%zu debug probes%s: choose one with --serial "
			      "SN or --usb-path PATH:",
			      n, sb.buf);
		sb_release(&sb);
		list_probes(list);
		return r;
	}
	if (only->cls.problem && !req->interface)
		return out_error(PSR_ERR_NO_PROBE,
				 "the %s at USB %s cannot be used: %s",
				 only->cls.name, only->path,
				 only->cls.problem);
	if (only->access == PROBE_ACCESS_DENIED) {
		r = out_error(PSR_ERR_NO_PROBE,
			      "no permission to open the %s at USB %s "
			      "(/dev/bus/usb/%03u/%03u)",
			      only->cls.name, only->path, only->bus,
			      only->address);
		sb_init(&sb);
		probe_udev_hint(only, &sb);
		fprintf(stderr, "  %s\n", sb.buf);
		fflush(stderr);
		sb_release(&sb);
		return r;
	}
	fill_choice(req, only, out);
	return 0;
}

int probe_select(const struct probe_request *req, struct probe_choice *out)
{
	struct usb_probe_list list;
	char msg[160];
	int r;

	if (req->interface && is_cfg_file(req->interface))
		return probe_choose(req, NULL, NULL, out);
	if (usb_probes_list(&list, msg, sizeof(msg)))
		return probe_choose(req, NULL, msg, out);
	r = probe_choose(req, &list, NULL, out);
	usb_probes_free(&list);
	return r;
}

void probe_choice_free(struct probe_choice *c)
{
	free(c->interface);
	free(c->serial);
	free(c->usb_location);
	free(c->described);
	memset(c, 0, sizeof(*c));
}
