#include "link/openocd_cmdline.h"

#include <stdlib.h>
#include <string.h>

#include "link/boards.h"
#include "link/openocd_proc.h"
#include "link/tcl_quote.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/strbuf.h"

/* Olimex's FTDI adapters reach SWD through their ARM-JTAG-SWD adapter
 * board, which OpenOCD describes in a second script. */
static const char *const olimex_swd[] = {
	"ftdi/olimex-arm-usb-tiny-h",
	"ftdi/olimex-arm-usb-ocd-h",
	"ftdi/olimex-arm-usb-ocd",
	"ftdi/olimex-jtag-tiny",
};

const char *ocd_interface_transport(const char *interface)
{
	size_t len = strlen(interface);

	if (len > 4 && !strcmp(interface + len - 4, ".cfg"))
		return NULL;
	/* OpenOCD 0.12 transport names: the HLA driver has its own, the
	 * st-link DAP driver ("dapdirect"), the rest plain "swd". */
	if (!strcmp(interface, "stlink"))
		return "hla_swd";
	if (!strcmp(interface, "stlink-dap"))
		return "dapdirect_swd";
	return "swd";
}

struct lines {
	char **v;
	size_t n;
};

static void add_line(struct lines *l, char *line)
{
	l->v = psr_realloc(l->v, (l->n + 2) * sizeof(*l->v));
	l->v[l->n++] = line;
	l->v[l->n] = NULL;
}

static void add_fmt(struct lines *l, const char *fmt, const char *word)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_adds(&sb, fmt);
	if (word)
		tcl_quote(&sb, word);
	add_line(l, sb_detach(&sb));
}

int ocd_adapter_cmds(const struct adapter_setup *a, struct ocd_cmds *out)
{
	struct lines pre = {NULL, 0}, post = {NULL, 0};
	const char *iface = a->interface ? a->interface : "stlink";
	const char *transport;
	struct strbuf sb;
	char *script;

	memset(out, 0, sizeof(*out));
	if (a->connect_under_reset && !strcmp(iface, "stlink")) {
		iface = "stlink-dap";
		out->note = "--connect-under-reset: ST-Link driven through "
			    "OpenOCD's st-link DAP driver (interface/"
			    "stlink-dap.cfg), which reaches DBGMCU under reset";
	}
	script = boards_interface_cfg(iface);
	if (!script)
		return PSR_ERR_USAGE;
	add_line(&pre, ocd_script_command(script));
	free(script);
	for (size_t i = 0; i < sizeof(olimex_swd) / sizeof(*olimex_swd); i++)
		if (!strcmp(iface, olimex_swd[i]))
			add_line(&pre, ocd_script_command(
					       "interface/ftdi/"
					       "olimex-arm-jtag-swd.cfg"));
	transport = ocd_interface_transport(iface);
	if (transport)
		add_fmt(&pre, "transport select ", transport);
	if (a->serial)
		add_fmt(&pre, "adapter serial ", a->serial);
	if (a->usb_location)
		add_fmt(&pre, "adapter usb location ", a->usb_location);
	if (a->speed_khz) {
		sb_init(&sb);
		sb_addf(&sb, "set PSRAM_ADAPTER_KHZ %u", a->speed_khz);
		add_line(&pre, sb_detach(&sb));
		sb_init(&sb);
		sb_addf(&sb, "adapter speed %u", a->speed_khz);
		add_line(&post, sb_detach(&sb));
	}
	if (a->connect_under_reset)
		add_line(&post, psr_strdup("reset_config srst_only srst_nogate "
					   "connect_assert_srst"));
	if (!post.v)
		post.v = psr_calloc(1, sizeof(*post.v));
	out->pre = pre.v;
	out->post = post.v;
	return 0;
}

void ocd_cmds_free(struct ocd_cmds *c)
{
	for (char **p = c->pre; p && *p; p++)
		free(*p);
	for (char **p = c->post; p && *p; p++)
		free(*p);
	free(c->pre);
	free(c->post);
	memset(c, 0, sizeof(*c));
}
