#include "fault.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const struct fault_kind fault_kinds[] = {
	{"chip=absent|w25q64|esp-psram64h|ly68l6400|aps6404l|ips6404l",
	 "what is soldered"},
	{"kgd=fail", "EID carries the failed-die byte"},
	{"io<N>=open", "line N (0-3) broken: MCU reads its pull, chip reads noise"},
	{"io<N>=stuck0|stuck1", "line tied low/high"},
	{"io<N>=intermittent:RATE",
	 "line N open for a whole transfer with probability RATE"},
	{"io<A>+io<B>=short", "two lines bridged (wired-AND)"},
	{"clk=open", "no clock reaches the chip"},
	{"cs=open", "chip select does not reach the chip"},
	{"cs=slow:NS",
	 "CE# reaches its high level NS ns (1-10000) after NCS rises"},
	{"addr<N>=stuck0|stuck1", "internal address bit N (0-22) stuck"},
	{"addr<A>+addr<B>=short", "two address bits tied"},
	{"cell@0xADDR:bit<N>=stuck0|stuck1", "one bad cell"},
	{"flips=RATE", "random bit flips on read, probability per bit"},
	{"fmax=MHZ", "every transfer corrupts above this SPI clock"},
	{"pagecross-max=MHZ", "bursts crossing a 1 KB page corrupt above this clock"},
	{"tcem=strict", "bursts holding CS low longer than tCEM lose data"},
	{"timing=strict",
	 "every PSRAM timing violation costs data (tCEM, tCSP, tCHD)"},
	{"hse=absent", "the HSE crystal never starts: HSERDY never sets"},
	{"hse=MHZ",
	 "the HSE crystal runs at MHZ (4-50), not the board's frequency"},
	{"flash-fail=<N>",
	 "programming internal-flash sector N fails (operation error)"},
	{"xspi-wait=CYCLES",
	 "every CPU access to the xSPI registers waits CYCLES more (busy bus)"},
};
const size_t fault_kind_count = sizeof(fault_kinds) / sizeof(fault_kinds[0]);

const char *const fault_chip_names[CHIP_KINDS] = {
	[CHIP_ABSENT] = "absent",
	[CHIP_W25Q64] = "w25q64",
	[CHIP_ESP_PSRAM64H] = "esp-psram64h",
	[CHIP_LY68L6400] = "ly68l6400",
	[CHIP_APS6404L] = "aps6404l",
	[CHIP_IPS6404L] = "ips6404l",
};

void fault_set_init(struct fault_set *fs)
{
	memset(fs, 0, sizeof(*fs));
	fs->chip = CHIP_ESP_PSRAM64H;
}

int fault_chip_by_name(const char *name, enum chip_kind *kind)
{
	for (int k = 0; k < CHIP_KINDS; k++) {
		if (strcmp(name, fault_chip_names[k]) == 0) {
			*kind = (enum chip_kind)k;
			return 0;
		}
	}
	return -1;
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int fail(char *err, size_t errlen, const char *spec, const char *fmt,
		...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (err && errlen) {
		snprintf(err, errlen, "fault '%s': %s", spec, why);
		/* One line whatever the SPEC holds: control characters
		 * quoted back as '?'. */
		for (char *c = err; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = '?';
	}
	return -1;
}

/* A decimal number filling [s, end) exactly. */
static int parse_dec(const char *s, const char *end, unsigned long *out)
{
	unsigned long v = 0;

	if (s == end || end - s > 9)
		return -1;
	for (const char *p = s; p < end; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (unsigned long)(*p - '0');
	}
	*out = v;
	return 0;
}

/* "<prefix><N>" for the whole of [s, end), N <= max. */
static int parse_numbered(const char *s, const char *end, const char *prefix,
			  unsigned long max, unsigned long *n)
{
	size_t len = strlen(prefix);

	if ((size_t)(end - s) <= len || strncmp(s, prefix, len) != 0)
		return -1;
	if (parse_dec(s + len, end, n) < 0)
		return -2;
	return *n <= max ? 0 : -3;
}

static int parse_level(const char *val, enum fault_line *line)
{
	if (strcmp(val, "stuck0") == 0)
		*line = FAULT_LINE_STUCK0;
	else if (strcmp(val, "stuck1") == 0)
		*line = FAULT_LINE_STUCK1;
	else
		return -1;
	return 0;
}

static int parse_mhz(const char *val, uint32_t *hz)
{
	char *end;
	double mhz;

	errno = 0;
	mhz = strtod(val, &end);
	if (errno || end == val || *end || !(mhz > 0.0) || mhz > 1000.0)
		return -1;
	*hz = (uint32_t)(mhz * 1e6 + 0.5);
	return 0;
}

static int parse_pair(struct fault_set *fs, const char *spec, const char *key,
		      const char *key_end, const char *val, char *err,
		      size_t errlen)
{
	const char *plus = memchr(key, '+', (size_t)(key_end - key));
	bool io = strncmp(key, "io", 2) == 0;
	const char *prefix = io ? "io" : "addr";
	unsigned long max = io ? 3 : FAULT_ADDR_BITS - 1;
	unsigned long a, b;
	struct fault_pair *list = io ? fs->io_short : fs->addr_short;
	unsigned *count = io ? &fs->io_shorts : &fs->addr_shorts;

	if (!io && strncmp(key, "addr", 4) != 0)
		return fail(err, errlen, spec, "unknown fault kind '%.*s'",
			    (int)(key_end - key), key);
	if (parse_numbered(key, plus, prefix, max, &a) < 0 ||
	    parse_numbered(plus + 1, key_end, prefix, max, &b) < 0)
		return fail(err, errlen, spec,
			    "expected %s<A>+%s<B> with A and B in 0-%lu",
			    prefix, prefix, max);
	if (a == b)
		return fail(err, errlen, spec, "a %s cannot be shorted to itself",
			    io ? "line" : "bit");
	if (strcmp(val, "short") != 0)
		return fail(err, errlen, spec, "value must be 'short'");
	if (*count >= FAULT_MAX_SHORTS)
		return fail(err, errlen, spec, "more than %d shorts",
			    FAULT_MAX_SHORTS);
	list[*count].a = (uint8_t)a;
	list[*count].b = (uint8_t)b;
	(*count)++;
	return 0;
}

static int parse_cell(struct fault_set *fs, const char *spec, const char *key,
		      const char *key_end, const char *val, char *err,
		      size_t errlen)
{
	const char *colon = memchr(key, ':', (size_t)(key_end - key));
	const char *a = key + 5;	/* after "cell@" */
	unsigned long addr = 0, bit;
	enum fault_line level;

	if (!colon || colon - a < 3 || a[0] != '0' || (a[1] | 0x20) != 'x' ||
	    colon - a > 10)
		return fail(err, errlen, spec,
			    "expected cell@0xADDR:bit<N>=stuck0|stuck1");
	for (const char *p = a + 2; p < colon; p++) {
		int c = *p | 0x20;
		int d = (*p >= '0' && *p <= '9') ? *p - '0'
			: (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;

		if (d < 0)
			return fail(err, errlen, spec,
				    "cell address is not hexadecimal");
		addr = addr * 16 + (unsigned long)d;
	}
	if (addr >= (1UL << FAULT_ADDR_BITS))
		return fail(err, errlen, spec,
			    "cell address beyond the 8 MiB array");
	if (parse_numbered(colon + 1, key_end, "bit", 7, &bit) < 0)
		return fail(err, errlen, spec, "expected bit0-bit7 after ':'");
	if (parse_level(val, &level) < 0)
		return fail(err, errlen, spec, "value must be stuck0 or stuck1");
	if (fs->cells >= FAULT_MAX_CELLS)
		return fail(err, errlen, spec, "more than %d cell faults",
			    FAULT_MAX_CELLS);
	fs->cell[fs->cells].addr = (uint32_t)addr;
	fs->cell[fs->cells].bit = (uint8_t)bit;
	fs->cell[fs->cells].level = level == FAULT_LINE_STUCK1;
	fs->cells++;
	return 0;
}

static int parse_into(struct fault_set *fs, const char *spec, char *err,
		      size_t errlen)
{
	const char *eq = strchr(spec, '=');
	const char *key = spec, *val;
	size_t klen;
	unsigned long n;
	enum fault_line level;

	if (!eq || eq == spec)
		return fail(err, errlen, spec, "expected KIND=VALUE");
	val = eq + 1;
	klen = (size_t)(eq - key);
	if (!*val)
		return fail(err, errlen, spec, "missing value after '='");
#define KEY_IS(s) (klen == sizeof(s) - 1 && strncmp(key, s, klen) == 0)
	if (KEY_IS("chip")) {
		if (fault_chip_by_name(val, &fs->chip) < 0)
			return fail(err, errlen, spec,
				    "unknown chip '%s' (absent, w25q64, "
				    "esp-psram64h, ly68l6400, aps6404l, "
				    "ips6404l)", val);
		return 0;
	}
	if (KEY_IS("kgd")) {
		if (strcmp(val, "fail") != 0)
			return fail(err, errlen, spec, "value must be 'fail'");
		fs->kgd_fail = true;
		return 0;
	}
	if (KEY_IS("cs") && strncmp(val, "slow:", 5) == 0) {
		if (parse_dec(val + 5, val + strlen(val), &n) < 0 || n < 1 ||
		    n > 10000)
			return fail(err, errlen, spec,
				    "cs=slow takes the rise time in ns, "
				    "1-10000");
		fs->cs_rise_ps = (uint32_t)n * 1000U;
		return 0;
	}
	if (KEY_IS("clk") || KEY_IS("cs")) {
		if (strcmp(val, "open") != 0)
			return fail(err, errlen, spec, "value must be 'open'");
		if (KEY_IS("clk"))
			fs->clk_open = true;
		else
			fs->cs_open = true;
		return 0;
	}
	if (KEY_IS("tcem")) {
		if (strcmp(val, "strict") != 0)
			return fail(err, errlen, spec, "value must be 'strict'");
		fs->tcem_strict = true;
		return 0;
	}
	if (KEY_IS("timing")) {
		if (strcmp(val, "strict") != 0)
			return fail(err, errlen, spec, "value must be 'strict'");
		fs->timing_strict = true;
		fs->tcem_strict = true;
		return 0;
	}
	if (KEY_IS("hse")) {
		uint32_t hz;

		if (strcmp(val, "absent") == 0) {
			fs->hse_absent = true;
			fs->hse_hz = 0;
			return 0;
		}
		/* RM0433 §8.5.2 and the H743 datasheet: a 4 to 48 MHz crystal,
		 * up to 50 MHz from an external clock in bypass mode. */
		if (parse_mhz(val, &hz) < 0 || hz < 4000000U || hz > 50000000U)
			return fail(err, errlen, spec,
				    "value must be 'absent' or a crystal "
				    "frequency in MHz within 4-50");
		fs->hse_absent = false;
		fs->hse_hz = hz;
		return 0;
	}
	if (KEY_IS("flips")) {
		char *end;
		double rate;

		errno = 0;
		rate = strtod(val, &end);
		if (errno || end == val || *end || !(rate > 0.0) || rate > 1.0)
			return fail(err, errlen, spec,
				    "rate must be a probability in (0, 1]");
		fs->flip_rate = rate;
		return 0;
	}
	if (KEY_IS("fmax") || KEY_IS("pagecross-max")) {
		uint32_t hz;

		if (parse_mhz(val, &hz) < 0)
			return fail(err, errlen, spec,
				    "clock must be a number of MHz in (0, 1000]");
		if (KEY_IS("fmax"))
			fs->fmax_hz = hz;
		else
			fs->pagecross_max_hz = hz;
		return 0;
	}
	if (KEY_IS("xspi-wait")) {
		if (parse_dec(val, val + strlen(val), &n) < 0 || n < 1 ||
		    n > FAULT_XSPI_WAIT_MAX)
			return fail(err, errlen, spec,
				    "cycles must be a number in 1-%d",
				    FAULT_XSPI_WAIT_MAX);
		fs->xspi_wait = (uint32_t)n;
		return 0;
	}
	if (KEY_IS("flash-fail")) {
		if (parse_dec(val, val + strlen(val), &n) < 0 ||
		    n >= FAULT_FLASH_SECTORS)
			return fail(err, errlen, spec,
				    "sector must be a number in 0-%d",
				    FAULT_FLASH_SECTORS - 1);
		fs->flash_fail[n / 64] |= 1ULL << (n % 64);
		return 0;
	}
#undef KEY_IS
	if (klen > 5 && strncmp(key, "cell@", 5) == 0)
		return parse_cell(fs, spec, key, eq, val, err, errlen);
	if (memchr(key, '+', klen))
		return parse_pair(fs, spec, key, eq, val, err, errlen);
	switch (parse_numbered(key, eq, "io", 3, &n)) {
	case 0:
		if (strncmp(val, "intermittent:", 13) == 0) {
			char *end;
			double rate;

			errno = 0;
			rate = strtod(val + 13, &end);
			if (errno || end == val + 13 || *end || !(rate > 0.0) ||
			    rate > 1.0)
				return fail(err, errlen, spec,
					    "rate must be a probability in "
					    "(0, 1]");
			fs->io[n] = FAULT_LINE_OK;
			fs->io_intermittent[n] = rate;
			return 0;
		}
		if (strcmp(val, "open") == 0)
			fs->io[n] = FAULT_LINE_OPEN;
		else if (parse_level(val, &level) == 0)
			fs->io[n] = level;
		else
			return fail(err, errlen, spec,
				    "value must be open, stuck0, stuck1 or "
				    "intermittent:RATE");
		fs->io_intermittent[n] = 0.0;
		return 0;
	case -2:
	case -3:
		return fail(err, errlen, spec, "line must be io0-io3");
	}
	switch (parse_numbered(key, eq, "addr", FAULT_ADDR_BITS - 1, &n)) {
	case 0:
		if (parse_level(val, &level) < 0)
			return fail(err, errlen, spec,
				    "value must be stuck0 or stuck1");
		fs->addr_stuck0 &= ~(1U << n);
		fs->addr_stuck1 &= ~(1U << n);
		if (level == FAULT_LINE_STUCK0)
			fs->addr_stuck0 |= 1U << n;
		else
			fs->addr_stuck1 |= 1U << n;
		return 0;
	case -2:
	case -3:
		return fail(err, errlen, spec, "address bit must be addr0-addr%d",
			    FAULT_ADDR_BITS - 1);
	}
	return fail(err, errlen, spec, "unknown fault kind '%.*s'", (int)klen,
		    key);
}

int fault_parse(struct fault_set *fs, const char *spec, char *err,
		size_t errlen)
{
	struct fault_set tmp = *fs;

	if (!spec)
		return fail(err, errlen, "", "empty fault spec");
	if (parse_into(&tmp, spec, err, errlen) < 0)
		return -1;
	*fs = tmp;
	return 0;
}

bool fault_any(const struct fault_set *fs)
{
	for (int i = 0; i < 4; i++)
		if (fs->io[i] != FAULT_LINE_OK || fs->io_intermittent[i] > 0.0)
			return true;
	for (int i = 0; i < FAULT_FLASH_SECTORS / 64; i++)
		if (fs->flash_fail[i])
			return true;
	return fs->kgd_fail || fs->io_shorts || fs->clk_open || fs->cs_open ||
	       fs->cs_rise_ps ||
	       fs->addr_stuck0 || fs->addr_stuck1 || fs->addr_shorts ||
	       fs->cells || fs->flip_rate > 0.0 || fs->fmax_hz ||
	       fs->pagecross_max_hz || fs->tcem_strict || fs->timing_strict ||
	       fs->hse_absent ||
	       fs->hse_hz || fs->xspi_wait;
}

uint32_t fault_hse_hz(const struct fault_set *fs, uint32_t board_hz)
{
	if (fs->hse_absent)
		return 0;
	return fs->hse_hz ? fs->hse_hz : board_hz;
}

void fault_describe(const struct fault_set *fs, FILE *out)
{
	static const char *const line_names[] = {
		[FAULT_LINE_OK] = "ok",
		[FAULT_LINE_OPEN] = "open",
		[FAULT_LINE_STUCK0] = "stuck0",
		[FAULT_LINE_STUCK1] = "stuck1",
	};

	fprintf(out, "chip=%s\n", fault_chip_names[fs->chip]);
	if (fs->kgd_fail)
		fprintf(out, "kgd=fail\n");
	for (int i = 0; i < 4; i++)
		if (fs->io[i] != FAULT_LINE_OK)
			fprintf(out, "io%d=%s\n", i, line_names[fs->io[i]]);
		else if (fs->io_intermittent[i] > 0.0)
			fprintf(out, "io%d=intermittent:%g\n", i,
				fs->io_intermittent[i]);
	for (unsigned i = 0; i < fs->io_shorts; i++)
		fprintf(out, "io%u+io%u=short\n", fs->io_short[i].a,
			fs->io_short[i].b);
	if (fs->clk_open)
		fprintf(out, "clk=open\n");
	if (fs->cs_open)
		fprintf(out, "cs=open\n");
	if (fs->cs_rise_ps)
		fprintf(out, "cs=slow:%u\n", (unsigned)(fs->cs_rise_ps / 1000));
	for (int b = 0; b < FAULT_ADDR_BITS; b++) {
		if (fs->addr_stuck0 & (1U << b))
			fprintf(out, "addr%d=stuck0\n", b);
		if (fs->addr_stuck1 & (1U << b))
			fprintf(out, "addr%d=stuck1\n", b);
	}
	for (unsigned i = 0; i < fs->addr_shorts; i++)
		fprintf(out, "addr%u+addr%u=short\n", fs->addr_short[i].a,
			fs->addr_short[i].b);
	for (unsigned i = 0; i < fs->cells; i++)
		fprintf(out, "cell@0x%06x:bit%u=stuck%u\n",
			(unsigned)fs->cell[i].addr, fs->cell[i].bit,
			fs->cell[i].level);
	if (fs->flip_rate > 0.0)
		fprintf(out, "flips=%g\n", fs->flip_rate);
	if (fs->fmax_hz)
		fprintf(out, "fmax=%g\n", fs->fmax_hz / 1e6);
	if (fs->pagecross_max_hz)
		fprintf(out, "pagecross-max=%g\n", fs->pagecross_max_hz / 1e6);
	if (fs->timing_strict)
		fprintf(out, "timing=strict\n");
	else if (fs->tcem_strict)
		fprintf(out, "tcem=strict\n");
	if (fs->hse_absent)
		fprintf(out, "hse=absent\n");
	if (fs->hse_hz)
		fprintf(out, "hse=%g\n", fs->hse_hz / 1e6);
	if (fs->xspi_wait)
		fprintf(out, "xspi-wait=%u\n", (unsigned)fs->xspi_wait);
	for (int n = 0; n < FAULT_FLASH_SECTORS; n++)
		if (fs->flash_fail[n / 64] >> (n % 64) & 1U)
			fprintf(out, "flash-fail=%d\n", n);
}
