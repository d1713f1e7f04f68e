/* The --sizes and --range grammar: every form, and a one-line error naming
 * the input for every kind of mistake. */
#include "util/list.h"
#include "util/number.h"
#include "util/pattern.h"
#include "util/range.h"
#include "util/sizes.h"
#include "unit.h"

static struct sizes s;
static char err[200];

static int parse(const char *spec)
{
	err[0] = '\0';
	return sizes_parse(spec, 1, 65536, &s, err, sizeof(err));
}

/* A good spec: how many sizes it gives, the first and the last; each
 * must come out ascending and distinct. */
static const struct {
	const char *spec;
	size_t n;
	uint32_t first, last;
} good[] = {
	{"4..8192", 12, 4, 8192},
	/* Bounds that are not powers of two: the powers between them. */
	{"3..100", 5, 4, 64},
	{"1K..4K", 3, 1024, 4096},
	{"16..16", 1, 16, 16},
	{"4,16,1024", 3, 4, 1024},
	/* Sorted, each once; hex and suffixes. */
	{"1k,0x10,16,4,1024,64K", 4, 4, 65536},
	{"4..16,1000", 4, 4, 1000},
	{"4..64:4", 16, 4, 64},
	{"100..350:100", 3, 100, 300},
	{"4..8192:x4", 6, 4, 4096},
	{"3..100:*3", 4, 3, 81},
};

static void good_specs(void)
{
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		int r = parse(good[i].spec);

		if (r || s.n != good[i].n || s.v[0] != good[i].first ||
		    s.v[s.n - 1] != good[i].last)
			printf("  '%s': %s, %zu sizes %u..%u\n", good[i].spec,
			       r ? err : "parsed", s.n, s.n ? s.v[0] : 0,
			       s.n ? s.v[s.n - 1] : 0);
		CHECK(!r && s.n == good[i].n && s.v[0] == good[i].first &&
		      s.v[s.n - 1] == good[i].last);
		for (size_t k = 1; k < s.n; k++)
			CHECK(s.v[k] > s.v[k - 1]);
	}
	CHECK_EQ(parse("4..8192"), 0);
	for (size_t i = 1; i < s.n; i++)
		CHECK_EQ(s.v[i], 2 * s.v[i - 1]);
	CHECK_EQ(parse("1k,0x10,16,4,1024,64K"), 0);
	CHECK_EQ(s.v[1], 16);
	CHECK_EQ(s.v[2], 1024);
	/* A factor series near the top does not overflow. */
	CHECK_EQ(sizes_parse("1..4294967295:x65536", 1, 0xFFFFFFFFu, &s, err,
			     sizeof(err)),
		 0);
	CHECK_EQ(s.n, 2);
}

/* A bad spec and its one line: the whole line, or words of it (NULL:
 * any line). */
static const struct {
	const char *spec;
	const char *line, *words;
} bad[] = {
	{"4..2", "'4..2': the end is below the start", NULL},
	{"abc", NULL, "'abc' is not a size"},
	{"4,,8", "empty item in the list (items are separated by single "
		 "commas)", NULL},
	{"", NULL, NULL},
	{"0", "'0': sizes must lie in 1..65536", NULL},
	{"128K", NULL, "'128K'"},
	{"4..8:0", NULL, "a step"},
	{"4..8:x1", NULL, "a factor"},
	{"4..8q", NULL, "after the end"},
	{"4..", NULL, "after '..'"},
	{"5..7", "'5..7': no power of two in that range", NULL},
	{"1..65536:1", NULL, "more than 256 sizes"},
	{"99999999999999999999", NULL, NULL},
	{"4 ,8", NULL, NULL},
	{"\x01\x7f", "'?" "?' is not a size (like 4096, 0x1000, 4K) or a "
		     "series (like 4..8192)", NULL},
	{"4KB", "'4KB' is not a size (like 4096, 0x1000, 4K) or a series "
		"(like 4..8192)", NULL},
};

static void bad_specs(void)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r = parse(bad[i].spec);
		int ok = r == -1 && err[0] && !strchr(err, '\n') &&
			 (!bad[i].line || !strcmp(err, bad[i].line)) &&
			 (!bad[i].words || strstr(err, bad[i].words));

		if (!ok)
			printf("  case %zu: %d \"%s\"\n", i, r, err);
		CHECK(ok);
		/* A failed parse leaves no sizes. */
		CHECK_EQ(s.n, 0);
	}
}

static void long_input(void)
{
	char spec[300];

	memset(spec, '1', sizeof(spec) - 1);
	spec[sizeof(spec) - 1] = '\0';
	CHECK_EQ(parse(spec), -1);
	CHECK(strstr(err, "...' is too long"));
	CHECK(strlen(err) < 100);
}

/* --range on an 8 MiB chip: the offset and length a good spec gives, or
 * words of a bad one's line. */
static const struct {
	const char *spec;
	uint64_t off, len;
	const char *words; /* NULL: the spec is good */
} range_cases[] = {
	{"0x100000:64K", 0x100000, 65536, NULL},
	{"0..4M", 0, 4u << 20, NULL},
	{"0:8M", 0, 8u << 20, NULL},
	{"4M:5M", 0, 0, "beyond the chip's 8388608 bytes"},
	{"8..8", 0, 0, "not above the start"},
	{"8:0", 0, 0, "empty"},
	{"8", 0, 0, "is not a range"},
	{"1:2:3", 0, 0, "is not a range"},
};

static void ranges(void)
{
	for (size_t i = 0; i < sizeof(range_cases) / sizeof(range_cases[0]);
	     i++) {
		uint64_t off = 0, len = 0;
		int r = range_parse(range_cases[i].spec, 8u << 20, &off, &len,
				    err, sizeof(err));

		if (!range_cases[i].words) {
			CHECK_EQ(r, 0);
			CHECK_EQ(off, range_cases[i].off);
			CHECK_EQ(len, range_cases[i].len);
		} else {
			CHECK_EQ(r, -1);
			CHECK(strstr(err, range_cases[i].words));
		}
	}
}

static void numbers(void)
{
	uint64_t v = 0;
	const char *end;

	CHECK_EQ(number_prefix("4K", &v, &end), 0);
	CHECK_EQ(v, 4096);
	CHECK(*end == '\0');
	CHECK_EQ(number_prefix("0x20M", &v, &end), 0);
	CHECK_EQ(v, 32u << 20);
	CHECK_EQ(number_prefix("4KB", &v, &end), 0);
	CHECK_STR(end, "B");
	CHECK_EQ(number_prefix("0x", &v, &end), -1);
}

/* One list grammar for every option: --width 8,,16 fails as --sizes
 * 4,,8 does, and so does a leading or trailing comma. */
static void one_list_grammar(void)
{
	static const struct list_word w[] = {
		{"8", 8}, {"16", 16}, {"32", 32}, {NULL, 0}};
	const char *empty = "empty item in the list (items are separated by "
			    "single commas)";
	uint32_t bits;

	CHECK_EQ(list_parse_words("8,16", w, &bits, err, sizeof(err)), 0);
	CHECK_EQ(bits, 24);
	CHECK_EQ(list_parse_words("32,32", w, &bits, err, sizeof(err)), 0);
	CHECK_EQ(bits, 32);
	CHECK_EQ(list_parse_words("8,,16", w, &bits, err, sizeof(err)), -1);
	CHECK_STR(err, empty);
	CHECK_EQ(parse("4,,8"), -1);
	CHECK_STR(err, empty);
	CHECK_EQ(list_parse_words(",8", w, &bits, err, sizeof(err)), -1);
	CHECK_STR(err, empty);
	CHECK_EQ(list_parse_words("8,", w, &bits, err, sizeof(err)), -1);
	CHECK_STR(err, empty);
	CHECK_EQ(parse("4,"), -1);
	CHECK_STR(err, empty);
	CHECK_EQ(list_parse_words("", w, &bits, err, sizeof(err)), -1);
	CHECK_EQ(bits, 0);
	CHECK_EQ(list_parse_words("8,64", w, &bits, err, sizeof(err)), -1);
	CHECK_STR(err, "'64' is not one of 8, 16, 32");
}

/* --pattern: its width is its digits', and it must fit every --width. */
static void patterns(void)
{
	uint32_t v;
	unsigned bits, narrow = 0;

	CHECK_EQ(pattern_parse("0x5a", &v, &bits, err, sizeof(err)), 0);
	CHECK_EQ(v, 0x5a5a5a5au);
	CHECK_EQ(bits, 8);
	CHECK_EQ(pattern_parse("1234", &v, &bits, err, sizeof(err)), 0);
	CHECK_EQ(v, 0x12341234u);
	CHECK_EQ(bits, 16);
	CHECK_EQ(pattern_parse("0xDEADbeef", &v, &bits, err, sizeof(err)), 0);
	CHECK_EQ(v, 0xdeadbeefu);
	CHECK_EQ(bits, 32);
	CHECK_EQ(pattern_parse("0x123456789", &v, &bits, err, sizeof(err)),
		 -1);
	CHECK_STR(err, "'0x123456789' is not up to 8 hex digits (like 0x5a5a)");
	CHECK_EQ(pattern_parse("-1", &v, &bits, err, sizeof(err)), -1);
	CHECK_EQ(pattern_parse("0x", &v, &bits, err, sizeof(err)), -1);
	CHECK_EQ(pattern_fits(8, 8 | 16 | 32, &narrow), 0);
	CHECK_EQ(pattern_fits(32, 32, &narrow), 0);
	CHECK_EQ(pattern_fits(16, 8 | 32, &narrow), -1);
	CHECK_EQ(narrow, 8);
	CHECK_EQ(pattern_fits(32, 16 | 32, &narrow), -1);
	CHECK_EQ(narrow, 16);
}

UNIT_MAIN("cli_sizes", UNIT_TEST(good_specs), UNIT_TEST(bad_specs),
	  UNIT_TEST(long_input), UNIT_TEST(ranges), UNIT_TEST(numbers),
	  UNIT_TEST(one_list_grammar), UNIT_TEST(patterns))
