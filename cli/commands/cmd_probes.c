/* psramctl probes: the debug probes attached over USB (link/usb_probes.h),
 * with what psramctl would pass as --interface, and whether the user may
 * open each. Needs no target and starts no OpenOCD.
 *
 * --json prints one object per probe, then a summary:
 *   {"type":"probe","name","vid","pid","release","serial","manufacturer",
 *    "product","usb_path","bus","address","interface","usable","problem",
 *    "access":"ok"|"denied"|"unknown","udev_hint"}
 *   {"type":"probes","count":N,"simulated":false}
 * vid and pid are "0x...." strings; release is the device descriptor's
 * bcdDevice ("1.00"); a key whose value is not known is left out.
 * Exit status 0 (also with no probe attached), 3 when USB cannot be
 * listed. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "link/probe_select.h"
#include "link/session.h"
#include "link/usb_probes.h"
#include "report/json.h"
#include "report/output.h"
#include "util/error.h"

static const char *access_name(enum probe_access a)
{
	return a == PROBE_ACCESS_OK       ? "ok"
	       : a == PROBE_ACCESS_DENIED ? "denied"
					  : "unknown";
}

static void print_json(struct session *s, const struct usb_probe_list *l)
{
	struct json j;
	char text[16];

	json_init(&j);
	for (size_t i = 0; i < l->n; i++) {
		const struct usb_probe *p = &l->v[i];

		json_object_begin(&j, NULL);
		json_string(&j, "type", "probe");
		json_string(&j, "name", p->cls.name);
		json_hex(&j, "vid", p->vid, 4);
		json_hex(&j, "pid", p->pid, 4);
		usb_release_text(p->release, text, sizeof(text));
		json_string(&j, "release", text);
		if (p->serial)
			json_string(&j, "serial", p->serial);
		if (p->manufacturer)
			json_string(&j, "manufacturer", p->manufacturer);
		if (p->product)
			json_string(&j, "product", p->product);
		json_string(&j, "usb_path", p->path);
		json_uint(&j, "bus", p->bus);
		json_uint(&j, "address", p->address);
		if (p->cls.interface)
			json_string(&j, "interface", p->cls.interface);
		json_bool(&j, "usable",
			  !p->cls.problem && p->access != PROBE_ACCESS_DENIED);
		if (p->cls.problem)
			json_string(&j, "problem", p->cls.problem);
		json_string(&j, "access", access_name(p->access));
		if (p->access == PROBE_ACCESS_DENIED) {
			struct strbuf hint;

			sb_init(&hint);
			probe_udev_hint(p, &hint);
			json_string(&j, "udev_hint", hint.buf);
			sb_release(&hint);
		}
		json_object_end(&j);
		json_emit(&j);
	}
	json_object_begin(&j, NULL);
	json_string(&j, "type", "probes");
	json_uint(&j, "count", l->n);
	/* Like every command's final object; USB probes are real hardware,
	 * and the session has no simulator behind it. */
	json_bool(&j, "simulated", session_simulated(s));
	json_object_end(&j);
	json_emit(&j);
	json_release(&j);
}

static void print_table(const struct usb_probe_list *l)
{
	struct strbuf sb;
	int denied = 0;

	if (!l->n) {
		printf("no debug probe found on USB (looked for ST-Link, "
		       "CMSIS-DAP, J-Link and FTDI adapters)\n");
		return;
	}
	printf("%-20s %-26s %-8s %-7s %s\n", "PROBE", "SERIAL", "USB",
	       "RELEASE", "USE");
	sb_init(&sb);
	for (size_t i = 0; i < l->n; i++) {
		const struct usb_probe *p = &l->v[i];
		char rel[16], shown[128];

		usb_release_text(p->release, rel, sizeof(rel));
		sb_reset(&sb);
		if (p->cls.problem)
			sb_adds(&sb, p->cls.problem);
		else if (p->cls.kind == PROBE_FTDI_CHIP)
			sb_addf(&sb, "--interface %s (if wired for SWD)",
				p->cls.interface);
		else
			sb_addf(&sb, "--interface %s", p->cls.interface);
		if (p->access == PROBE_ACCESS_DENIED) {
			sb_adds(&sb, "; no permission");
			denied = 1;
		}
		printf("%-20s %-26s %-8s %-7s %s\n", p->cls.name,
		       p->serial ? out_printable(p->serial, shown,
						 sizeof(shown))
				 : "-",
		       p->path, rel, sb.buf);
	}
	if (denied) {
		/* one hint per probe kind would repeat itself: the first */
		for (size_t i = 0; i < l->n; i++)
			if (l->v[i].access == PROBE_ACCESS_DENIED) {
				sb_reset(&sb);
				probe_udev_hint(&l->v[i], &sb);
				printf("no permission: %s\n", sb.buf);
				break;
			}
	}
	sb_release(&sb);
}

static int run(struct session *s, void *options, int argc, char **argv)
{
	struct usb_probe_list l;
	char msg[160], shown[128];
	int r;

	(void)options;
	if (argc > 0)
		return out_error(PSR_ERR_USAGE,
				 "probes takes no arguments (got '%s')",
				 out_printable(argv[0], shown, sizeof(shown)));
	r = usb_probes_list(&l, msg, sizeof(msg));
	if (r)
		return out_error(r, "%s", msg);
	if (out_json())
		print_json(s, &l);
	else
		print_table(&l);
	usb_probes_free(&l);
	return 0;
}

const struct command cmd_probes = {
	.name = "probes",
	.summary = "list the debug probes attached over USB",
	.usage = "",
	.description =
		"Lists the ST-Link, CMSIS-DAP, J-Link and FTDI probes attached "
		"over USB:\nserial number, USB path, device release, the "
		"--interface psramctl uses for\nit, and whether you may open "
		"it (if not, the udev rule to install). With\none probe "
		"attached every command picks it; with several, choose with "
		"--serial\nSN or --usb-path PATH. Starts no OpenOCD.",
	.options = NULL,
	.options_size = 0,
	.flags = 0,
	.run = run,
};
