#include "link/flash_bank.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "report/output.h"
#include "link/tcl_list.h"
#include "link/tcl_quote.h"

static int ocd(struct tcl_link *link, const char *cmd, char **msg,
	       int timeout_ms)
{
	out_debug("flash: %s", cmd);
	return tcl_link_exec(link, cmd, msg, timeout_ms);
}

/* The index of the bank in banks (`flash list` entries: "name ... base
 * 0x08000000 ...") whose base is `base`, or -1. */
static int bank_at(char **banks, int n, uint32_t base)
{
	for (int i = 0; i < n; i++) {
		char **kv = NULL;
		int m = tcl_list_split(banks[i], &kv), found = 0;

		for (int k = 0; k + 1 < m; k += 2)
			if (!strcmp(kv[k], "base") &&
			    strtoull(kv[k + 1], NULL, 0) == base)
				found = 1;
		tcl_list_free(kv, m);
		if (found)
			return i;
	}
	return -1;
}

int flash_bank_map(struct tcl_link *link, const struct flash_layout *l,
		   const int needed[FLASH_MAX_BANKS],
		   int ocd_bank[FLASH_MAX_BANKS])
{
	char *res = NULL, **banks = NULL;
	int n, r;

	/* A bank declared at base 0 (OpenOCD's stm32f2x driver in the F7
	 * target script) learns its base when probed. */
	r = ocd(link,
		"set i 0; foreach b [flash list] {"
		" if {[dict get $b base] == 0} { catch {flash probe $i} };"
		" incr i }; flash list",
		&res, 0);
	if (r == PSR_ERR_TCL)
		r = out_error(PSR_ERR_TARGET, "OpenOCD has no flash banks: %s",
			      res ? res : "");
	if (r)
		goto out;
	n = tcl_list_split(res, &banks);
	if (n < 0) {
		r = out_error(PSR_ERR_PROTOCOL,
			      "cannot read OpenOCD's list of flash banks");
		goto out;
	}
	for (unsigned b = 0; b < l->nbanks; b++) {
		ocd_bank[b] = bank_at(banks, n, l->bank_base[b]);
		if (ocd_bank[b] < 0 && needed[b]) {
			r = out_error(PSR_ERR_TARGET,
				      "OpenOCD declares no flash bank at "
				      "0x%08x (bank %u of this %s; for STM32H7 "
				      "the board file sets DUAL_BANK 1)",
				      (unsigned)l->bank_base[b], b + 1, l->mcu);
			break;
		}
	}
	tcl_list_free(banks, n);
out:
	free(res);
	return r;
}

int flash_bank_erase(struct tcl_link *link, int bank, unsigned sector,
		     char **msg, int timeout_ms)
{
	char cmd[96];

	snprintf(cmd, sizeof(cmd), "flash erase_sector %d %u %u", bank, sector,
		 sector);
	return ocd(link, cmd, msg, timeout_ms);
}

int flash_bank_write(struct tcl_link *link, int bank, const char *file,
		     uint32_t offset, char **msg, int timeout_ms)
{
	struct strbuf cmd;
	int r;

	/* capture: OpenOCD's log of a failure (FLASH_SR) comes back in the
	 * result instead of going to its own console only. */
	sb_init(&cmd);
	sb_addf(&cmd, "capture {flash write_bank %d ", bank);
	tcl_quote(&cmd, file);
	sb_addf(&cmd, " 0x%x}", (unsigned)offset);
	r = ocd(link, cmd.buf, msg, timeout_ms);
	sb_release(&cmd);
	return r;
}

int flash_bank_verify(struct tcl_link *link, const char *file,
		      uint32_t addr, char **msg, int timeout_ms)
{
	struct strbuf cmd;
	int r;

	sb_init(&cmd);
	sb_adds(&cmd, "capture {verify_image_checksum ");
	tcl_quote(&cmd, file);
	sb_addf(&cmd, " 0x%08x bin}", (unsigned)addr);
	r = ocd(link, cmd.buf, msg, timeout_ms);
	sb_release(&cmd);
	return r;
}

void flash_bank_describe_write_error(const char *log, struct strbuf *sb)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} flags[] = {
		{1u << 17, "WRPERR (write-protected)"},
		{1u << 18, "PGSERR (programming sequence)"},
		{1u << 19, "STRBERR (strobe)"},
		{1u << 21, "INCERR (inconsistency)"},
		{1u << 22, "OPERR (the operation failed in the array)"},
		{1u << 23, "RDPERR"},
		{1u << 24, "RDSERR"},
		{1u << 25, "SNECCERR"},
		{1u << 26, "DBECCERR"},
	};
	/* stm32h7x.c logs "FLASH_SR = 0x..." when a write fails. */
	const char *sr = log ? strstr(log, "FLASH_SR = 0x") : NULL;

	if (sr) {
		unsigned long v = strtoul(sr + 11, NULL, 16);
		const char *sep = "";

		sb_addf(sb, "the flash reported FLASH_SR 0x%08lx: ", v);
		for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
			if (v & flags[i].bit) {
				sb_addf(sb, "%s%s", sep, flags[i].name);
				sep = ", ";
			}
		}
		return;
	}
	/* The last non-empty line is usually OpenOCD's summary. */
	if (log) {
		const char *end = log + strlen(log), *start;

		while (end > log && (end[-1] == '\n' || end[-1] == ' '))
			end--;
		start = end;
		while (start > log && start[-1] != '\n')
			start--;
		if (end > start) {
			sb_add(sb, start, (size_t)(end - start));
			return;
		}
	}
	sb_adds(sb, "OpenOCD gives no reason");
}
