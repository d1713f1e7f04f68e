/* Probes: what each USB device is (usb_probe_classify), which one a command
 * picks (probe_choose), and the OpenOCD commands generated for every
 * --interface (ocd_adapter_cmds) — checked line by line, then fed to the
 * real OpenOCD with the real board file up to the end of its configuration
 * stage (`shutdown` before `init`, so no probe is needed), which must accept
 * them and end up with the transport and reset configuration asked for. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link/openocd_cmdline.h"
#include "link/probe_select.h"
#include "link/tcl_quote.h"
#include "link/usb_probes.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "unit.h"

static struct usb_device_info dev(uint16_t vid, uint16_t pid,
				  const char *product)
{
	struct usb_device_info d;

	memset(&d, 0, sizeof(d));
	d.vid = vid;
	d.pid = pid;
	d.release = 0x0100;
	d.product = product;
	return d;
}

static void add_iface(struct usb_device_info *d, uint8_t cls, int bulk_pair,
		      const char *name)
{
	struct usb_iface_info *f = &d->ifaces[d->n_ifaces];

	f->number = (uint8_t)d->n_ifaces;
	f->cls = cls;
	f->num_endpoints = 2;
	f->ep0_bulk_out = bulk_pair;
	f->ep1_bulk_in = bulk_pair;
	f->name = name;
	d->n_ifaces++;
}

static void test_stlink_pids(void)
{
	static const struct {
		uint16_t pid;
		enum probe_kind kind;
		int usable;
	} cases[] = {
		{0x3744, PROBE_STLINK_V1, 0},  {0x3748, PROBE_STLINK_V2, 1},
		{0x374b, PROBE_STLINK_V21, 1}, {0x3752, PROBE_STLINK_V21, 1},
		{0x374d, PROBE_STLINK_V3_LOADER, 0},
		{0x374e, PROBE_STLINK_V3, 1},  {0x374f, PROBE_STLINK_V3, 1},
		{0x3753, PROBE_STLINK_V3, 1},  {0x3754, PROBE_STLINK_V3, 1},
		{0x3755, PROBE_STLINK_V3_LOADER, 0},
		{0x3757, PROBE_STLINK_V3, 0},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct usb_device_info d = dev(0x0483, cases[i].pid, "STM32 STLink");
		struct probe_class c = usb_probe_classify(&d);

		CHECK_EQ(c.kind, cases[i].kind);
		CHECK_EQ(c.problem == NULL, cases[i].usable);
		if (cases[i].usable)
			CHECK_STR(c.interface, "stlink");
	}
	/* another ST product ID (a Nucleo's VCP-only bridge, a DFU loader) */
	{
		struct usb_device_info d = dev(0x0483, 0xdf11, "DFU");

		CHECK_EQ(usb_probe_classify(&d).kind, PROBE_NONE);
	}
}

static void test_cmsis_dap(void)
{
	struct usb_device_info d;
	struct probe_class c;

	/* v2: the interface string names it, whatever the product says
	 * (cmsis_dap_usb_bulk.c), with bulk OUT then bulk IN */
	d = dev(0x2e8a, 0x000c, "Debugprobe on Pico");
	add_iface(&d, 0xff, 1, "CMSIS-DAP v2 Interface");
	add_iface(&d, 0x02, 0, NULL);
	c = usb_probe_classify(&d);
	CHECK_EQ(c.kind, PROBE_CMSIS_DAP_V2);
	CHECK_STR(c.interface, "cmsis-dap");
	/* the product string names it: any interface with the bulk pair */
	d = dev(0xc251, 0xf00a, "LPC-Link CMSIS-DAP");
	add_iface(&d, 0xff, 1, NULL);
	CHECK_EQ(usb_probe_classify(&d).kind, PROBE_CMSIS_DAP_V2);
	/* v1: HID, product string names it (cmsis_dap_usb_hid.c) */
	d = dev(0x0d28, 0x0204, "DAPLink CMSIS-DAP");
	add_iface(&d, 0x03, 0, NULL);
	c = usb_probe_classify(&d);
	CHECK_EQ(c.kind, PROBE_CMSIS_DAP_V1);
	CHECK_STR(c.name, "CMSIS-DAP v1");
	/* both: OpenOCD tries the bulk backend first */
	add_iface(&d, 0xff, 1, "CMSIS-DAP v2");
	CHECK_EQ(usb_probe_classify(&d).kind, PROBE_CMSIS_DAP_V2);
	/* a HID device whose product does not say CMSIS-DAP: a keyboard */
	d = dev(0x046d, 0xc31c, "USB Keyboard");
	add_iface(&d, 0x03, 0, "CMSIS-DAP v1");
	CHECK_EQ(usb_probe_classify(&d).kind, PROBE_NONE);
	/* the name without the endpoints OpenOCD needs */
	d = dev(0x1234, 0x5678, "gadget");
	add_iface(&d, 0xff, 0, "CMSIS-DAP v2");
	CHECK_EQ(usb_probe_classify(&d).kind, PROBE_NONE);
}

static void test_jlink_ftdi(void)
{
	struct usb_device_info d;
	struct probe_class c;

	d = dev(0x1366, 0x0105, "J-Link");
	c = usb_probe_classify(&d);
	CHECK_EQ(c.kind, PROBE_JLINK);
	CHECK_STR(c.interface, "jlink");
	d = dev(0x1366, 0x1015, "J-Link");
	CHECK_EQ(usb_probe_classify(&d).kind, PROBE_JLINK);
	d = dev(0x1366, 0x0200, "something else");
	CHECK_EQ(usb_probe_classify(&d).kind, PROBE_NONE);
	d = dev(0x15ba, 0x002a, "Olimex OpenOCD JTAG ARM-USB-TINY-H");
	c = usb_probe_classify(&d);
	CHECK_EQ(c.kind, PROBE_FTDI_ADAPTER);
	CHECK_STR(c.interface, "ftdi/olimex-arm-usb-tiny-h");
	d = dev(0x0403, 0x6014, "Single RS232-HS");
	c = usb_probe_classify(&d);
	CHECK_EQ(c.kind, PROBE_FTDI_CHIP);
	CHECK_STR(c.interface, "ftdi/ft232h-module-swd");
	/* FT232R: a serial bridge with no MPSSE */
	d = dev(0x0403, 0x6001, "FT232R USB UART");
	CHECK_EQ(usb_probe_classify(&d).kind, PROBE_NONE);
}

static void test_release_text(void)
{
	char buf[16];

	usb_release_text(0x0100, buf, sizeof(buf));
	CHECK_STR(buf, "1.00");
	usb_release_text(0x0201, buf, sizeof(buf));
	CHECK_STR(buf, "2.01");
}

/* ---- choosing ---------------------------------------------------------- */

static struct usb_probe probe(enum probe_kind kind, const char *name,
			      const char *iface, const char *serial,
			      const char *path)
{
	struct usb_probe p;

	memset(&p, 0, sizeof(p));
	p.cls.kind = kind;
	p.cls.name = name;
	p.cls.interface = iface;
	p.serial = (char *)serial;
	snprintf(p.path, sizeof(p.path), "%s", path);
	p.bus = 1;
	p.address = 5;
	return p;
}

static void test_choose(void)
{
	struct usb_probe v[4];
	struct usb_probe_list l = {v, 0};
	struct probe_request req = {NULL, NULL, NULL};
	struct probe_choice c;

	/* none attached */
	CHECK_EQ(probe_choose(&req, &l, NULL, &c), PSR_ERR_NO_PROBE);
	/* one: picked, serial passed on */
	v[0] = probe(PROBE_STLINK_V21, "ST-Link V2-1", "stlink", "066DFF55",
		     "1-2");
	l.n = 1;
	CHECK_EQ(probe_choose(&req, &l, NULL, &c), 0);
	CHECK_STR(c.interface, "stlink");
	CHECK_STR(c.serial, "066DFF55");
	CHECK(c.usb_location == NULL);
	CHECK(strstr(c.described, "ST-Link V2-1") != NULL);
	probe_choice_free(&c);
	/* two: refused, then told apart by serial and by path */
	v[1] = probe(PROBE_STLINK_V21, "ST-Link V2-1", "stlink", "066DFF66",
		     "1-3");
	l.n = 2;
	CHECK_EQ(probe_choose(&req, &l, NULL, &c), PSR_ERR_NO_PROBE);
	req.serial = "066DFF66";
	CHECK_EQ(probe_choose(&req, &l, NULL, &c), 0);
	CHECK_STR(c.serial, "066DFF66");
	probe_choice_free(&c);
	req.serial = NULL;
	req.usb_path = "1-2";
	CHECK_EQ(probe_choose(&req, &l, NULL, &c), 0);
	CHECK_STR(c.serial, "066DFF55");
	probe_choice_free(&c);
	req.usb_path = "1-2:1.0";
	CHECK_EQ(probe_choose(&req, &l, NULL, &c), PSR_ERR_USAGE);
	req.usb_path = NULL;
	/* --interface narrows: no J-Link here */
	req.interface = "jlink";
	CHECK_EQ(probe_choose(&req, &l, NULL, &c), PSR_ERR_NO_PROBE);
	/* a bare FTDI chip is never picked on its own ... */
	req.interface = NULL;
	v[0] = probe(PROBE_FTDI_CHIP, "FTDI FT232H", "ftdi/ft232h-module-swd",
		     NULL, "1-4");
	l.n = 1;
	CHECK_EQ(probe_choose(&req, &l, NULL, &c), PSR_ERR_NO_PROBE);
	/* ... but is when named; no serial: told by its USB path */
	req.interface = "ftdi/ft232h-module-swd";
	CHECK_EQ(probe_choose(&req, &l, NULL, &c), 0);
	CHECK(c.serial == NULL);
	CHECK_STR(c.usb_location, "1-4");
	probe_choice_free(&c);
	req.interface = NULL;
	/* a serial OpenOCD cannot match (old ST-Link V2 firmware) */
	v[0] = probe(PROBE_STLINK_V2, "ST-Link V2", "stlink", "?U?\x7f", "2-1");
	CHECK_EQ(probe_choose(&req, &l, NULL, &c), 0);
	CHECK(c.serial == NULL);
	CHECK_STR(c.usb_location, "2-1");
	probe_choice_free(&c);
	/* no permission */
	v[0].access = PROBE_ACCESS_DENIED;
	CHECK_EQ(probe_choose(&req, &l, NULL, &c), PSR_ERR_NO_PROBE);
	/* a loader */
	v[0] = probe(PROBE_STLINK_V3_LOADER, "ST-Link V3 (loader)", NULL,
		     "X", "1-2");
	v[0].cls.problem = "in its USB loader";
	CHECK_EQ(probe_choose(&req, &l, NULL, &c), PSR_ERR_NO_PROBE);
	/* USB not listable: fine with --interface, not without */
	CHECK_EQ(probe_choose(&req, NULL, "no usbfs", &c), PSR_ERR_NO_PROBE);
	req.interface = "cmsis-dap";
	CHECK_EQ(probe_choose(&req, NULL, "no usbfs", &c), 0);
	CHECK_STR(c.interface, "cmsis-dap");
	probe_choice_free(&c);
	/* a FILE.cfg: nothing is enumerated, serial passed through */
	req.interface = "/home/me/probe.cfg";
	req.serial = "S1";
	CHECK_EQ(probe_choose(&req, NULL, NULL, &c), 0);
	CHECK_STR(c.interface, "/home/me/probe.cfg");
	CHECK_STR(c.serial, "S1");
	probe_choice_free(&c);
}

/* ---- OpenOCD commands per interface ------------------------------------ */

static int has_line(char **v, const char *line)
{
	for (; v && *v; v++)
		if (!strcmp(*v, line))
			return 1;
	return 0;
}

static size_t count(char **v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

static void test_cmds_per_interface(void)
{
	static const struct {
		const char *iface, *script, *transport;
	} cases[] = {
		{"stlink", "script interface/stlink.cfg", "hla_swd"},
		{"stlink-dap", "script interface/stlink-dap.cfg", "dapdirect_swd"},
		{"cmsis-dap", "script interface/cmsis-dap.cfg", "swd"},
		{"jlink", "script interface/jlink.cfg", "swd"},
		{"ftdi/ft232h-module-swd",
		 "script interface/ftdi/ft232h-module-swd.cfg", "swd"},
	};
	struct adapter_setup a;
	struct ocd_cmds c;
	char line[96];

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		memset(&a, 0, sizeof(a));
		a.interface = cases[i].iface;
		CHECK_EQ(ocd_adapter_cmds(&a, &c), 0);
		CHECK_STR(c.pre[0], cases[i].script);
		snprintf(line, sizeof(line), "transport select %s",
			 cases[i].transport);
		CHECK_STR(c.pre[1], line);
		CHECK_EQ(count(c.pre), 2);
		CHECK_EQ(count(c.post), 0);
		CHECK(c.note == NULL);
		ocd_cmds_free(&c);
	}
	/* Olimex: the adapter, then its SWD adapter board */
	memset(&a, 0, sizeof(a));
	a.interface = "ftdi/olimex-arm-usb-tiny-h";
	CHECK_EQ(ocd_adapter_cmds(&a, &c), 0);
	CHECK_STR(c.pre[0], "script interface/ftdi/olimex-arm-usb-tiny-h.cfg");
	CHECK_STR(c.pre[1], "script interface/ftdi/olimex-arm-jtag-swd.cfg");
	CHECK_STR(c.pre[2], "transport select swd");
	ocd_cmds_free(&c);
	/* a script of the user's own: transport left to it */
	a.interface = "/home/me/my probe.cfg";
	CHECK_EQ(ocd_adapter_cmds(&a, &c), 0);
	{
		char *q = tcl_quote_dup("/home/me/my probe.cfg");
		char want[128];

		snprintf(want, sizeof(want), "script %s", q);
		free(q);
		CHECK_STR(c.pre[0], want);
	}
	CHECK_EQ(count(c.pre), 1);
	ocd_cmds_free(&c);
	a.interface = "usb-blaster";
	CHECK_EQ(ocd_adapter_cmds(&a, &c), PSR_ERR_USAGE);
}

static void test_cmds_options(void)
{
	struct adapter_setup a;
	struct ocd_cmds c;
	char *q;

	memset(&a, 0, sizeof(a));
	a.interface = "jlink";
	a.serial = "12 [exit] $x";
	a.speed_khz = 1000;
	CHECK_EQ(ocd_adapter_cmds(&a, &c), 0);
	q = tcl_quote_dup("12 [exit] $x");
	{
		char line[128];

		snprintf(line, sizeof(line), "adapter serial %s", q);
		CHECK(has_line(c.pre, line));
	}
	free(q);
	CHECK(has_line(c.pre, "set PSRAM_ADAPTER_KHZ 1000"));
	CHECK(has_line(c.post, "adapter speed 1000"));
	CHECK(!has_line(c.post, "reset_config srst_only srst_nogate "
				"connect_assert_srst"));
	ocd_cmds_free(&c);
	/* connect under reset: NRST held while attaching; an ST-Link moves
	 * to the DAP driver, which reaches DBGMCU through AP2 */
	memset(&a, 0, sizeof(a));
	a.interface = "stlink";
	a.connect_under_reset = 1;
	a.usb_location = "1-2.3";
	CHECK_EQ(ocd_adapter_cmds(&a, &c), 0);
	CHECK_STR(c.pre[0], "script interface/stlink-dap.cfg");
	CHECK_STR(c.pre[1], "transport select dapdirect_swd");
	CHECK(has_line(c.pre, "adapter usb location 1-2.3"));
	CHECK(has_line(c.post, "reset_config srst_only srst_nogate "
			       "connect_assert_srst"));
	CHECK(c.note != NULL);
	ocd_cmds_free(&c);
	a.interface = "cmsis-dap";
	CHECK_EQ(ocd_adapter_cmds(&a, &c), 0);
	CHECK_STR(c.pre[0], "script interface/cmsis-dap.cfg");
	CHECK(c.note == NULL);
	ocd_cmds_free(&c);
}

/* Runs the real OpenOCD through its configuration stage with the commands
 * and the board file, then asks it what it ended up with. */
static int openocd_accepts(const struct adapter_setup *a, const char *board,
			   struct strbuf *out)
{
	struct ocd_cmds c;
	struct strbuf cmd;
	char buf[512];
	FILE *p;
	int status;

	if (ocd_adapter_cmds(a, &c))
		return -1;
	sb_init(&cmd);
	sb_adds(&cmd, "openocd -s cfg");
	for (char **l = c.pre; *l; l++) {
		sb_adds(&cmd, " -c ");
		/* shell single quotes: the lines hold none */
		sb_addf(&cmd, "'%s'", *l);
	}
	sb_addf(&cmd, " -c 'script boards/%s.cfg'", board);
	for (char **l = c.post; *l; l++)
		sb_addf(&cmd, " -c '%s'", *l);
	sb_adds(&cmd, " -c 'echo \"TRANSPORT=[transport select]\"'"
		      " -c 'echo \"RESET=[reset_config]\"'"
		      " -c 'echo \"SPEED=[adapter speed]\"'"
		      " -c shutdown 2>&1");
	ocd_cmds_free(&c);
	p = popen(cmd.buf, "r");
	sb_release(&cmd);
	if (!p)
		return -1;
	while (fgets(buf, sizeof(buf), p))
		sb_adds(out, buf);
	status = pclose(p);
	return status;
}

static void test_openocd_accepts_each(void)
{
	static const struct {
		const char *iface, *transport;
	} cases[] = {
		{"stlink", "TRANSPORT=hla_swd"},
		{"stlink-dap", "TRANSPORT=dapdirect_swd"},
		{"cmsis-dap", "TRANSPORT=swd"},
		{"jlink", "TRANSPORT=swd"},
		{"ftdi/ft232h-module-swd", "TRANSPORT=swd"},
		{"ftdi/olimex-arm-usb-tiny-h", "TRANSPORT=swd"},
	};
	static const char *const boards[] = {"devebox-h750", "f746g-disco"};

	for (size_t b = 0; b < 2; b++)
		for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
			struct adapter_setup a;
			struct strbuf out;
			int st;

			memset(&a, 0, sizeof(a));
			a.interface = cases[i].iface;
			a.serial = "SN 1";
			a.speed_khz = 950;
			a.connect_under_reset = (int)(i & 1);
			sb_init(&out);
			st = openocd_accepts(&a, boards[b], &out);
			if (st != 0 || !strstr(out.buf, cases[i].transport) ||
			    !strstr(out.buf, "SPEED=adapter speed: 950 kHz") ||
			    (a.connect_under_reset &&
			     !strstr(out.buf, "connect_assert_srst")) ||
			    strstr(out.buf, "Error")) {
				printf("  %s on %s: status %d:\n%s\n",
				       cases[i].iface, boards[b], st, out.buf);
				sb_release(&out);
				CHECK(0);
			}
			sb_release(&out);
		}
}

UNIT_MAIN("cli_probes", UNIT_TEST(test_stlink_pids),
	  UNIT_TEST(test_cmsis_dap), UNIT_TEST(test_jlink_ftdi),
	  UNIT_TEST(test_release_text), UNIT_TEST(test_choose),
	  UNIT_TEST(test_cmds_per_interface), UNIT_TEST(test_cmds_options),
	  UNIT_TEST(test_openocd_accepts_each))
