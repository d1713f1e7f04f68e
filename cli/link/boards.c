#include "link/boards.h"

#include <dirent.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/error.h"
#include "report/output.h"
#include "util/strbuf.h"

#define SIM_PREFIX "sim-"
#define CFG_SUFFIX ".cfg"

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *boards_cfg_dir(const char *exe_path)
{
	/* Relative to the binary's directory, the build tree first. */
	static const char *const candidates[] = {"../cfg", "../share/psramctl"};
	char exe[PATH_MAX];
	struct strbuf dir, tried;
	const char *slash;

	if (!exe_path) {
		ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

		if (n <= 0) {
			out_error(PSR_ERR_BOARD_FILE,
				  "cannot find the psramctl binary to locate "
				  "board files");
			return NULL;
		}
		exe[n] = '\0';
		exe_path = exe;
	}
	slash = strrchr(exe_path, '/');
	sb_init(&dir);
	sb_init(&tried);
	for (size_t i = 0; i < sizeof(candidates) / sizeof(*candidates); i++) {
		char real[PATH_MAX];

		sb_reset(&dir);
		if (slash)
			sb_add(&dir, exe_path, (size_t)(slash - exe_path) + 1);
		else
			sb_adds(&dir, "./");
		sb_adds(&dir, candidates[i]);
		sb_adds(&dir, "/boards");
		if (is_dir(dir.buf)) {
			dir.len -= strlen("/boards");
			dir.buf[dir.len] = '\0';
			if (realpath(dir.buf, real)) {
				sb_release(&tried);
				sb_release(&dir);
				return psr_strdup(real);
			}
			sb_release(&tried);
			return sb_detach(&dir);
		}
		sb_addf(&tried, "%s%s", i ? ", " : "", dir.buf);
	}
	out_error(PSR_ERR_BOARD_FILE, "cannot find the board files (looked in %s)",
		  tried.buf);
	sb_release(&tried);
	sb_release(&dir);
	return NULL;
}

static int valid_name(const char *name)
{
	if (!*name || *name == '.' || *name == '-')
		return 0;
	for (const char *p = name; *p; p++) {
		char c = *p;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '+' || c == '-'))
			return 0;
	}
	return !strstr(name, "..");
}

/* boards/ also holds files the board files share (sourced, never loaded
 * alone). A real board file is one that names its board: it sets
 * PSRAM_BOARD. Simulated boards are the sim-*.cfg files. */
static int declares_board(const char *path)
{
	char buf[65536];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (char *p = buf; (p = strstr(p, "PSRAM_BOARD")) != NULL; p++) {
		const char *q = p;

		/* "set PSRAM_BOARD NAME" at the start of a line */
		while (q > buf && (q[-1] == ' ' || q[-1] == '\t'))
			q--;
		if (q - buf >= 3 && !strncmp(q - 3, "set", 3) &&
		    (q - 3 == buf || q[-4] == '\n' || q[-4] == ' ' ||
		     q[-4] == '\t') &&
		    (p[11] == ' ' || p[11] == '\t'))
			return 1;
	}
	return 0;
}

static int is_board(const char *dir, const char *file, int sim)
{
	struct strbuf path;
	int r;

	if (sim)
		return 1;
	sb_init(&path);
	sb_addf(&path, "%s/%s", dir, file);
	r = declares_board(path.buf);
	sb_release(&path);
	return r;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int boards_list(const char *cfg_dir, int sim, char ***names)
{
	struct strbuf path;
	DIR *d;
	struct dirent *e;
	char **v = NULL;
	int n = 0, alloc = 0;

	*names = NULL;
	sb_init(&path);
	sb_addf(&path, "%s/boards", cfg_dir);
	d = opendir(path.buf);
	if (!d) {
		sb_release(&path);
		return 0;
	}
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name), sl = strlen(CFG_SUFFIX);
		int is_sim = !strncmp(e->d_name, SIM_PREFIX, strlen(SIM_PREFIX));
		const char *base = e->d_name;

		if (len <= sl || strcmp(e->d_name + len - sl, CFG_SUFFIX))
			continue;
		if (is_sim != !!sim || !is_board(path.buf, e->d_name, sim))
			continue;
		if (sim) {
			base += strlen(SIM_PREFIX);
			len -= strlen(SIM_PREFIX);
		}
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 16;
			v = psr_realloc(v, (size_t)alloc * sizeof(*v));
		}
		v[n] = psr_malloc(len - sl + 1);
		memcpy(v[n], base, len - sl);
		v[n][len - sl] = '\0';
		n++;
	}
	closedir(d);
	sb_release(&path);
	if (n)
		qsort(v, (size_t)n, sizeof(*v), cmp_names);
	*names = v;
	return n;
}

void boards_free(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int boards_find(const char *cfg_dir, const char *name, int sim, char **path)
{
	struct strbuf p, known;
	char **names;
	char shown[128];
	int n;

	*path = NULL;
	if (valid_name(name)) {
		sb_init(&p);
		sb_addf(&p, "%s/boards/%s%s%s", cfg_dir, sim ? SIM_PREFIX : "",
			name, CFG_SUFFIX);
		if (is_file(p.buf) && (sim || declares_board(p.buf))) {
			*path = sb_detach(&p);
			sb_release(&p);
			return 0;
		}
		sb_release(&p);
	}
	n = boards_list(cfg_dir, sim, &names);
	sb_init(&known);
	for (int i = 0; i < n; i++)
		sb_addf(&known, "%s%s", i ? ", " : "", names[i]);
	boards_free(names, n);
	out_error(PSR_ERR_UNKNOWN_BOARD, "unknown %sboard '%s' (known: %s)",
		  sim ? "simulated " : "", out_printable(name, shown,
							sizeof(shown)),
		  n ? known.buf : "none");
	sb_release(&known);
	return PSR_ERR_UNKNOWN_BOARD;
}

char *boards_interface_cfg(const char *name)
{
	static const char *const known[] = {"stlink", "stlink-dap", "cmsis-dap",
					    "jlink"};
	size_t len = strlen(name);
	char shown[128];
	struct strbuf sb;

	for (size_t i = 0; i < sizeof(known) / sizeof(*known); i++) {
		if (!strcmp(name, known[i])) {
			sb_init(&sb);
			sb_addf(&sb, "interface/%s.cfg", name);
			return sb_detach(&sb);
		}
	}
	if (!strncmp(name, "ftdi/", 5) && valid_name(name + 5)) {
		sb_init(&sb);
		sb_addf(&sb, "interface/%s.cfg", name);
		return sb_detach(&sb);
	}
	/* A script of the user's own: passed to OpenOCD quoted. */
	if (len > 4 && !strcmp(name + len - 4, ".cfg"))
		return psr_strdup(name);
	out_error(PSR_ERR_USAGE,
		  "unknown interface '%s' (known: stlink, stlink-dap, "
		  "cmsis-dap, jlink, ftdi/NAME, or a FILE.cfg)",
		  out_printable(name, shown, sizeof(shown)));
	return NULL;
}
