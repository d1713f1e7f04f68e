/* Finding board files, in a build tree and in an installed layout; unknown
 * and malformed names refused with the known ones listed; interfaces. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "link/boards.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "unit.h"

static char top[64];

static void touch(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void make_trees(void)
{
	static const char *const dirs[] = {
		"build", "cfg", "cfg/boards", "inst", "inst/bin", "inst/share",
		"inst/share/psramctl", "inst/share/psramctl/boards", "empty",
	};
	char path[256];

	snprintf(top, sizeof(top), "/tmp/psramctl-unit-boards-XXXXXX");
	CHECK(mkdtemp(top));
	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
		snprintf(path, sizeof(path), "%s/%s", top, dirs[i]);
		CHECK(mkdir(path, 0700) == 0);
	}
	touch("cfg/boards/zeta.cfg", "set PSRAM_BOARD zeta\n");
	touch("cfg/boards/alpha-h750.cfg", "# a board\nset  PSRAM_BOARD alpha\n");
	touch("cfg/boards/sim-alpha-h750.cfg", "source [find sim.cfg]\n");
	touch("cfg/boards/shared-common.cfg", "set PSRAM_FAMILY stm32h7\n");
	touch("cfg/boards/notes.txt", "set PSRAM_BOARD no\n");
	touch("inst/share/psramctl/boards/installed.cfg", "set PSRAM_BOARD i\n");
}

static char *dir_for(const char *exe)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", top, exe);
	return boards_cfg_dir(path);
}

static void cfg_dir_from_binary(void)
{
	char want[256], *d;

	d = dir_for("build/psramctl");
	snprintf(want, sizeof(want), "%s/cfg", top);
	CHECK_STR(d, want);
	free(d);
	d = dir_for("inst/bin/psramctl");
	snprintf(want, sizeof(want), "%s/inst/share/psramctl", top);
	CHECK_STR(d, want);
	free(d);
	CHECK(dir_for("empty/sub/psramctl") == NULL);
}

static void listing(void)
{
	char cfg[256], **names;
	int n;

	snprintf(cfg, sizeof(cfg), "%s/cfg", top);
	n = boards_list(cfg, 0, &names);
	CHECK_EQ(n, 2);
	CHECK_STR(names[0], "alpha-h750");
	CHECK_STR(names[1], "zeta");
	boards_free(names, n);
	n = boards_list(cfg, 1, &names);
	CHECK_EQ(n, 1);
	CHECK_STR(names[0], "alpha-h750");
	boards_free(names, n);
}

static void finding(void)
{
	static const char *const bad[] = {
		"nope", "", "../cfg/boards/zeta", "zeta.cfg", "shared-common",
		"a;b", "[exec true]", "$x", "a b", "{", "\"", ".hidden",
		"-dash", "notes", "sim-alpha-h750",
	};
	char cfg[256], want[300], *path = NULL;

	snprintf(cfg, sizeof(cfg), "%s/cfg", top);
	CHECK_EQ(boards_find(cfg, "zeta", 0, &path), 0);
	snprintf(want, sizeof(want), "%s/boards/zeta.cfg", cfg);
	CHECK_STR(path, want);
	free(path);
	CHECK_EQ(boards_find(cfg, "alpha-h750", 1, &path), 0);
	snprintf(want, sizeof(want), "%s/boards/sim-alpha-h750.cfg", cfg);
	CHECK_STR(path, want);
	free(path);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		path = NULL;
		CHECK_EQ(boards_find(cfg, bad[i], 0, &path),
			 PSR_ERR_UNKNOWN_BOARD);
		CHECK(path == NULL);
	}
	CHECK_EQ(boards_find(cfg, "zeta", 1, &path), PSR_ERR_UNKNOWN_BOARD);
}

static void interfaces(void)
{
	/* --interface NAME and the file OpenOCD is given; NULL: refused. */
	static const char *const cases[][2] = {
		{"stlink", "interface/stlink.cfg"},
		{"cmsis-dap", "interface/cmsis-dap.cfg"},
		{"jlink", "interface/jlink.cfg"},
		{"ftdi/olimex-arm-usb-ocd-h",
		 "interface/ftdi/olimex-arm-usb-ocd-h.cfg"},
		{"/home/me/my probe[1].cfg", "/home/me/my probe[1].cfg"},
		{"usb-blaster", NULL},
		{"ftdi/../../x", NULL},
		{"", NULL},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = boards_interface_cfg(cases[i][0]);
		int ok = cases[i][1] ? s && !strcmp(s, cases[i][1]) : !s;

		if (!ok)
			printf("  '%s' gives %s\n", cases[i][0],
			       s ? s : "(refused)");
		free(s);
		CHECK(ok);
	}
}

static void cleanup_trees(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", top);
	CHECK(system(cmd) == 0);
}

UNIT_MAIN("cli_boards", UNIT_TEST(make_trees), UNIT_TEST(cfg_dir_from_binary),
	  UNIT_TEST(listing), UNIT_TEST(finding), UNIT_TEST(interfaces),
	  UNIT_TEST(cleanup_trees))
