/* Fault SPEC parsing (docs/psramsim-faults.md), the accepted-kind and
 * chip-name tables, and the seeded generator. */
#include <stdlib.h>

#include "fault.h"
#include "util/rng.h"
#include "unit.h"

#define FAULT_DOC "docs/psramsim-faults.md"

static int parse1(struct fault_set *fs, const char *spec, char *err)
{
	fault_set_init(fs);
	return fault_parse(fs, spec, err, 200);
}

static void every_kind_parses(void)
{
	struct fault_set fs;
	char err[200] = "";

	CHECK_EQ(parse1(&fs, "chip=absent", err), 0);
	CHECK_EQ(fs.chip, CHIP_ABSENT);
	CHECK_EQ(parse1(&fs, "chip=w25q64", err), 0);
	CHECK_EQ(fs.chip, CHIP_W25Q64);
	CHECK_EQ(parse1(&fs, "chip=aps6404l", err), 0);
	CHECK_EQ(fs.chip, CHIP_APS6404L);
	CHECK_EQ(parse1(&fs, "kgd=fail", err), 0);
	CHECK(fs.kgd_fail);
	CHECK_EQ(parse1(&fs, "io2=open", err), 0);
	CHECK_EQ(fs.io[2], FAULT_LINE_OPEN);
	CHECK_EQ(parse1(&fs, "io3=stuck1", err), 0);
	CHECK_EQ(fs.io[3], FAULT_LINE_STUCK1);
	CHECK_EQ(parse1(&fs, "io0=stuck0", err), 0);
	CHECK_EQ(fs.io[0], FAULT_LINE_STUCK0);
	CHECK_EQ(parse1(&fs, "io1=intermittent:0.25", err), 0);
	CHECK_EQ(fs.io[1], FAULT_LINE_OK);
	CHECK(fs.io_intermittent[1] == 0.25);
	CHECK_EQ(parse1(&fs, "io1+io3=short", err), 0);
	CHECK_EQ(fs.io_shorts, 1);
	CHECK_EQ(fs.io_short[0].a, 1);
	CHECK_EQ(fs.io_short[0].b, 3);
	CHECK_EQ(parse1(&fs, "clk=open", err), 0);
	CHECK(fs.clk_open);
	CHECK_EQ(parse1(&fs, "cs=open", err), 0);
	CHECK(fs.cs_open);
	CHECK_EQ(parse1(&fs, "addr22=stuck1", err), 0);
	CHECK_EQ(fs.addr_stuck1, 1U << 22);
	CHECK_EQ(parse1(&fs, "addr0=stuck0", err), 0);
	CHECK_EQ(fs.addr_stuck0, 1U);
	CHECK_EQ(parse1(&fs, "addr10+addr11=short", err), 0);
	CHECK_EQ(fs.addr_shorts, 1);
	CHECK_EQ(parse1(&fs, "cell@0x7FFFFF:bit7=stuck1", err), 0);
	CHECK_EQ(fs.cells, 1);
	CHECK_EQ(fs.cell[0].addr, 0x7FFFFF);
	CHECK_EQ(fs.cell[0].bit, 7);
	CHECK_EQ(fs.cell[0].level, 1);
	CHECK_EQ(parse1(&fs, "flips=1e-6", err), 0);
	CHECK(fs.flip_rate > 0.9e-6 && fs.flip_rate < 1.1e-6);
	CHECK_EQ(parse1(&fs, "fmax=66.5", err), 0);
	CHECK_EQ(fs.fmax_hz, 66500000);
	CHECK_EQ(parse1(&fs, "pagecross-max=84", err), 0);
	CHECK_EQ(fs.pagecross_max_hz, 84000000);
	CHECK_EQ(parse1(&fs, "tcem=strict", err), 0);
	CHECK(fs.tcem_strict);
	CHECK_EQ(parse1(&fs, "hse=absent", err), 0);
	CHECK(fs.hse_absent);
	CHECK_EQ(fault_hse_hz(&fs, 25000000), 0);
	CHECK(fault_any(&fs));
	CHECK_EQ(parse1(&fs, "hse=8", err), 0);
	CHECK(!fs.hse_absent);
	CHECK_EQ(fs.hse_hz, 8000000);
	CHECK_EQ(fault_hse_hz(&fs, 25000000), 8000000);
	CHECK(fault_any(&fs));
	CHECK_EQ(parse1(&fs, "hse=24.576", err), 0);
	CHECK_EQ(fs.hse_hz, 24576000);
	CHECK_EQ(parse1(&fs, "xspi-wait=120", err), 0);
	CHECK_EQ(fs.xspi_wait, 120);
	fault_set_init(&fs);
	CHECK_EQ(fault_hse_hz(&fs, 25000000), 25000000);
	/* The last hse= wins. */
	CHECK_EQ(fault_parse(&fs, "hse=absent", err, 200), 0);
	CHECK_EQ(fault_parse(&fs, "hse=12", err, 200), 0);
	CHECK_EQ(fault_hse_hz(&fs, 25000000), 12000000);
	/* Repeatable: specs accumulate. */
	fault_set_init(&fs);
	CHECK_EQ(fault_parse(&fs, "io0+io1=short", err, 200), 0);
	CHECK_EQ(fault_parse(&fs, "io2+io3=short", err, 200), 0);
	CHECK_EQ(fault_parse(&fs, "cell@0x10:bit0=stuck0", err, 200), 0);
	CHECK_EQ(fault_parse(&fs, "cell@0x20:bit1=stuck1", err, 200), 0);
	CHECK_EQ(fs.io_shorts, 2);
	CHECK_EQ(fs.cells, 2);
	CHECK(fault_any(&fs));
	fault_set_init(&fs);
	CHECK(!fault_any(&fs));
	CHECK_EQ(fs.chip, CHIP_ESP_PSRAM64H);
}

static void bad_specs_say_why(void)
{
	static const struct {
		const char *spec;
		const char *why;
	} bad[] = {
		{"io4=open", "fault 'io4=open': line must be io0-io3"},
		/* Found by fuzz/fault_spec: a control character in the SPEC
		 * made the message two lines. */
		{"\n", "fault '?': expected KIND=VALUE"},
		{"chip=\x1b[2J", "fault 'chip=?[2J': unknown chip '?[2J'"},
		{"io1=floating",
		 "fault 'io1=floating': value must be open, stuck0, stuck1 or "
		 "intermittent:RATE"},
		{"io1=intermittent:0",
		 "fault 'io1=intermittent:0': rate must be a probability in "
		 "(0, 1]"},
		{"io1=intermittent:",
		 "fault 'io1=intermittent:': rate must be a probability in "
		 "(0, 1]"},
		{"io1=intermittent:1.5",
		 "fault 'io1=intermittent:1.5': rate must be a probability in "
		 "(0, 1]"},
		{"chip=psram", "fault 'chip=psram': unknown chip 'psram'"},
		{"xspi-wait=0",
		 "fault 'xspi-wait=0': cycles must be a number in 1-10000"},
		{"xspi-wait=10001",
		 "fault 'xspi-wait=10001': cycles must be a number in 1-10000"},
		{"addr23=stuck0",
		 "fault 'addr23=stuck0': address bit must be addr0-addr22"},
		{"addr1=open",
		 "fault 'addr1=open': value must be stuck0 or stuck1"},
		{"io1+io1=short",
		 "fault 'io1+io1=short': a line cannot be shorted to itself"},
		{"io1+io2=open", "fault 'io1+io2=open': value must be 'short'"},
		{"cell@0x800000:bit0=stuck0",
		 "fault 'cell@0x800000:bit0=stuck0': cell address beyond the "
		 "8 MiB array"},
		{"cell@0x10:bit8=stuck0",
		 "fault 'cell@0x10:bit8=stuck0': expected bit0-bit7 after ':'"},
		{"cell@16:bit0=stuck0",
		 "fault 'cell@16:bit0=stuck0': expected "
		 "cell@0xADDR:bit<N>=stuck0|stuck1"},
		{"flips=2", "fault 'flips=2': rate must be a probability in "
			    "(0, 1]"},
		{"flips=abc", "fault 'flips=abc': rate must be a probability "
			      "in (0, 1]"},
		{"fmax=0", "fault 'fmax=0': clock must be a number of MHz in "
			   "(0, 1000]"},
		{"pagecross-max=", "fault 'pagecross-max=': missing value "
				   "after '='"},
		{"tcem=loose", "fault 'tcem=loose': value must be 'strict'"},
		{"hse=3", "fault 'hse=3': value must be 'absent' or a crystal "
			  "frequency in MHz within 4-50"},
		{"hse=51", "fault 'hse=51': value must be 'absent'"},
		{"hse=dead", "fault 'hse=dead': value must be 'absent'"},
		{"kgd=pass", "fault 'kgd=pass': value must be 'fail'"},
		{"clk=stuck0", "fault 'clk=stuck0': value must be 'open'"},
		{"wp=open", "fault 'wp=open': unknown fault kind 'wp'"},
		{"io0", "fault 'io0': expected KIND=VALUE"},
		{"", "fault '': expected KIND=VALUE"},
	};
	struct fault_set fs, before;
	char err[200];

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fault_set_init(&fs);
		before = fs;
		err[0] = 0;
		CHECK_EQ(fault_parse(&fs, bad[i].spec, err, sizeof(err)), -1);
		if (strncmp(err, bad[i].why, strlen(bad[i].why)) != 0)
			printf("  got \"%s\"\n", err);
		CHECK(strncmp(err, bad[i].why, strlen(bad[i].why)) == 0);
		CHECK(!strchr(err, '\n'));
		CHECK(memcmp(&fs, &before, sizeof(fs)) == 0);
	}
}

static void chip_names_table(void)
{
	enum chip_kind k;

	for (int i = 0; i < CHIP_KINDS; i++) {
		CHECK(fault_chip_names[i] != NULL);
		CHECK_EQ(fault_chip_by_name(fault_chip_names[i], &k), 0);
		CHECK_EQ(k, i);
	}
	CHECK_EQ(fault_chip_by_name("W25Q64", &k), -1);
	/* The chip= kind lists every name of the table. */
	for (int i = 0; i < CHIP_KINDS; i++)
		CHECK(strstr(fault_kinds[0].syntax, fault_chip_names[i]));
	CHECK(fault_kind_count >= 13);
}

/* Expands one SPEC column entry of the fault table into concrete specs: <N>,
 * <A>, <B>, 0xADDR, RATE, MHZ, NS, CYCLES, and a|b alternatives of the value. */
static int check_doc_spec(const char *pattern, const char *key_hint,
			  unsigned *count)
{
	char spec[200], key[100] = "";
	const char *eq = strchr(pattern, '=');
	const char *vals;
	struct fault_set fs;
	char err[200];

	if (eq) {
		snprintf(key, sizeof(key), "%.*s", (int)(eq - pattern), pattern);
		vals = eq + 1;
	} else {
		snprintf(key, sizeof(key), "%s", key_hint);
		vals = pattern;
	}
	while (*vals) {
		const char *bar = strchr(vals, '|');
		size_t vlen = bar ? (size_t)(bar - vals) : strlen(vals);
		char raw[200], *o = spec;

		snprintf(raw, sizeof(raw), "%s=%.*s", key, (int)vlen, vals);
		for (const char *p = raw; *p && o < spec + sizeof(spec) - 16;) {
			static const struct {
				const char *from, *to;
			} subst[] = {{"<N>", "1"}, {"<A>", "0"}, {"<B>", "2"},
				     {"0xADDR", "0x1234"}, {"RATE", "0.001"},
				     {"MHZ", "48"}, {"NS", "100"}, {"CYCLES", "100"}};
			int done = 0;

			for (unsigned s = 0; s < 8 && !done; s++) {
				size_t l = strlen(subst[s].from);

				if (strncmp(p, subst[s].from, l) == 0) {
					o += sprintf(o, "%s", subst[s].to);
					p += l;
					done = 1;
				}
			}
			if (!done)
				*o++ = *p++;
		}
		*o = 0;
		fault_set_init(&fs);
		if (fault_parse(&fs, spec, err, sizeof(err)) < 0) {
			printf("  %s spec '%s': %s\n", FAULT_DOC, spec, err);
			return -1;
		}
		(*count)++;
		vals += vlen + (bar ? 1 : 0);
	}
	return 0;
}

/* The fault table of docs/psramsim-faults.md ("## Fault SPECs") against
 * fault_kinds[]: every SPEC of the document parses, and every kind psramsim
 * accepts (its syntax string, as --list-faults prints it) is listed. The
 * tests run from the top of the tree (tests/run). */
static void fault_doc_specs_parse(void)
{
	bool listed[64] = {false};
	FILE *f = fopen(FAULT_DOC, "r");
	char line[512];
	bool in_table = false;
	unsigned count = 0, rows = 0;

	/* The accepted-kind table itself expands to parseable specs. */
	CHECK(fault_kind_count <= sizeof(listed) / sizeof(listed[0]));
	for (size_t i = 0; i < fault_kind_count; i++)
		CHECK_EQ(check_doc_spec(fault_kinds[i].syntax, "", &count), 0);
	if (!f)
		printf("  cannot open %s (run from the top of the tree)\n",
		       FAULT_DOC);
	CHECK(f);
	count = 0;
	while (fgets(line, sizeof(line), f)) {
		char key[100] = "";
		char *p, *end;

		if (strncmp(line, "## ", 3) == 0)
			in_table = strncmp(line, "## Fault SPECs", 14) == 0;
		if (!in_table || line[0] != '|' || !strchr(line + 1, '`'))
			continue;
		rows++;
		/* Each `...` in the first column is a SPEC; one without '='
		 * continues the previous one's kind ("`io<N>=stuck0` /
		 * `stuck1`"). A '|' inside back quotes separates values; the
		 * first one after a closing back quote ends the column. */
		p = strchr(line + 1, '`');
		while (p) {
			char *q = strchr(p + 1, '`');
			char pat[200];

			if (!q)
				break;
			end = strchr(q + 1, '|');
			snprintf(pat, sizeof(pat), "%.*s", (int)(q - p - 1),
				 p + 1);
			for (size_t i = 0; i < fault_kind_count; i++)
				if (strcmp(pat, fault_kinds[i].syntax) == 0)
					listed[i] = true;
			if (strchr(pat, '='))
				snprintf(key, sizeof(key), "%.*s",
					 (int)(strchr(pat, '=') - pat), pat);
			CHECK_EQ(check_doc_spec(pat, key, &count), 0);
			p = strchr(q + 1, '`');
			if (p && end && p > end)
				p = NULL;
		}
	}
	fclose(f);
	CHECK(rows > 0);
	for (size_t i = 0; i < fault_kind_count; i++) {
		if (!listed[i])
			printf("  %s does not list `%s`\n", FAULT_DOC,
			       fault_kinds[i].syntax);
		CHECK(listed[i]);
	}
	CHECK(count >= fault_kind_count);
}

static void rng_reference(void)
{
	struct rng r, s;

	/* xoshiro256** seeded through SplitMix64 (values from an independent
	 * implementation of the published algorithms). */
	rng_seed(&r, 0);
	CHECK_EQ(rng_next(&r), 0x99ec5f36cb75f2b4ULL);
	CHECK_EQ(rng_next(&r), 0xbf6e1f784956452aULL);
	rng_seed(&r, 42);
	CHECK_EQ(rng_next(&r), 0x15780b2e0c2ec716ULL);
	CHECK_EQ(rng_next(&r), 0x6104d9866d113a7eULL);
	CHECK_EQ(rng_next(&r), 0xae17533239e499a1ULL);
	/* Streams: same seed and name agree, other names differ. */
	rng_seed_stream(&r, 9, "wire");
	rng_seed_stream(&s, 9, "wire");
	CHECK_EQ(rng_next(&r), rng_next(&s));
	rng_seed_stream(&s, 9, "psram-array");
	CHECK(rng_next(&r) != rng_next(&s));
	for (int i = 0; i < 1000; i++) {
		double u = rng_unit(&r);

		CHECK(u >= 0.0 && u < 1.0);
		CHECK(rng_below(&r, 7) < 7);
	}
}

static void describe_round_trips(void)
{
	static const char *const specs[] = {
		"chip=ly68l6400", "kgd=fail", "io1=open", "io2=stuck0",
		"io3=intermittent:0.125",
		"io0+io3=short", "clk=open", "addr5=stuck1", "addr1+addr2=short",
		"cell@0x000100:bit3=stuck0", "flips=0.001", "fmax=50",
		"pagecross-max=80", "tcem=strict", "hse=8", "xspi-wait=7",
	};
	struct fault_set fs, again;
	char err[200], line[200];
	FILE *f = tmpfile();

	CHECK(f);
	fault_set_init(&fs);
	for (unsigned i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
		CHECK_EQ(fault_parse(&fs, specs[i], err, sizeof(err)), 0);
	fault_describe(&fs, f);
	rewind(f);
	fault_set_init(&again);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		CHECK_EQ(fault_parse(&again, line, err, sizeof(err)), 0);
	}
	fclose(f);
	CHECK(memcmp(&fs, &again, sizeof(fs)) == 0);
}

UNIT_MAIN("sim_fault", UNIT_TEST(every_kind_parses),
	  UNIT_TEST(bad_specs_say_why), UNIT_TEST(chip_names_table),
	  UNIT_TEST(fault_doc_specs_parse), UNIT_TEST(rng_reference),
	  UNIT_TEST(describe_round_trips))
