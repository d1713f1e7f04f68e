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

static void powers_of_two(void)
{
	CHECK_EQ(parse("4..8192"), 0);
	CHECK_EQ(s.n, 12);
	CHECK_EQ(s.v[0], 4);
	CHECK_EQ(s.v[11], 8192);
	for (size_t i = 1; i < s.n; i++)
		CHECK_EQ(s.v[i], 2 * s.v[i - 1]);
	/* Bounds that are not powers of two: the powers between them. */
	CHECK_EQ(parse("3..100"), 0);
	CHECK_EQ(s.n, 5);
	CHECK_EQ(s.v[0], 4);
	CHECK_EQ(s.v[4], 64);
	CHECK_EQ(parse("1K..4K"), 0);
	CHECK_EQ(s.n, 3);
	CHECK_EQ(s.v[2], 4096);
	CHECK_EQ(parse("16..16"), 0);
	CHECK_EQ(s.n, 1);
}

static void lists_and_numbers(void)
{
	CHECK_EQ(parse("4,16,1024"), 0);
	CHECK_EQ(s.n, 3);
	CHECK_EQ(s.v[1], 16);
	/* Sorted, each once; hex and suffixes. */
	CHECK_EQ(parse("1k,0x10,16,4,1024,64K"), 0);
	CHECK_EQ(s.n, 4);
	CHECK_EQ(s.v[0], 4);
	CHECK_EQ(s.v[1], 16);
	CHECK_EQ(s.v[2], 1024);
	CHECK_EQ(s.v[3], 65536);
	CHECK_EQ(parse("4..16,1000"), 0);
	CHECK_EQ(s.n, 4);
	CHECK_EQ(s.v[3], 1000);
}

static void steps_and_factors(void)
{
	CHECK_EQ(parse("4..64:4"), 0);
	CHECK_EQ(s.n, 16);
	CHECK_EQ(s.v[15], 64);
	CHECK_EQ(parse("100..350:100"), 0);
	CHECK_EQ(s.n, 3);
	CHECK_EQ(s.v[2], 300);
	CHECK_EQ(parse("4..8192:x4"), 0);
	CHECK_EQ(s.n, 6);
	CHECK_EQ(s.v[5], 4096);
	CHECK_EQ(parse("3..100:*3"), 0);
	CHECK_EQ(s.n, 4);
	CHECK_EQ(s.v[3], 81);
	/* A factor series near the top does not overflow. */
	CHECK_EQ(sizes_parse("1..4294967295:x65536", 1, 0xFFFFFFFFu, &s, err,
			     sizeof(err)),
		 0);
	CHECK_EQ(s.n, 2);
}

static void errors(void)
{
	CHECK_EQ(parse("4..2"), -1);
	CHECK_STR(err, "'4..2': the end is below the start");
	CHECK_EQ(parse("abc"), -1);
	CHECK(strstr(err, "'abc' is not a size"));
	CHECK_EQ(parse("4,,8"), -1);
	CHECK_STR(err, "empty item in the list (items are separated by single commas)");
	CHECK_EQ(parse(""), -1);
	CHECK_EQ(parse("0"), -1);
	CHECK_STR(err, "'0': sizes must lie in 1..65536");
	CHECK_EQ(parse("128K"), -1);
	CHECK(strstr(err, "'128K'"));
	CHECK_EQ(parse("4..8:0"), -1);
	CHECK(strstr(err, "a step"));
	CHECK_EQ(parse("4..8:x1"), -1);
	CHECK(strstr(err, "a factor"));
	CHECK_EQ(parse("4..8q"), -1);
	CHECK(strstr(err, "after the end"));
	CHECK_EQ(parse("4.."), -1);
	CHECK(strstr(err, "after '..'"));
	CHECK_EQ(parse("5..7"), -1);
	CHECK_STR(err, "'5..7': no power of two in that range");
	CHECK_EQ(parse("1..65536:1"), -1);
	CHECK(strstr(err, "more than 256 sizes"));
	CHECK_EQ(parse("99999999999999999999"), -1);
	CHECK_EQ(parse("4 ,8"), -1);
	CHECK_EQ(parse("\x01\x7f"), -1);
	CHECK_STR(err, "'?" "?' is not a size (like 4096, 0x1000, 4K) or a series "
		       "(like 4..8192)");
	/* Every error is one line, and a failed parse leaves no sizes. */
	CHECK(!strchr(err, '\n'));
	CHECK_EQ(s.n, 0);
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

static void ranges(void)
{
	uint64_t off = 0, len = 0;
	const uint64_t chip = 8u << 20;

	CHECK_EQ(range_parse("0x100000:64K", chip, &off, &len, err,
				   sizeof(err)),
		 0);
	CHECK_EQ(off, 0x100000);
	CHECK_EQ(len, 65536);
	CHECK_EQ(range_parse("0..4M", chip, &off, &len, err,
				   sizeof(err)),
		 0);
	CHECK_EQ(off, 0);
	CHECK_EQ(len, 4u << 20);
	CHECK_EQ(range_parse("0:8M", chip, &off, &len, err, sizeof(err)),
		 0);
	CHECK_EQ(len, chip);
	CHECK_EQ(range_parse("4M:5M", chip, &off, &len, err,
				   sizeof(err)),
		 -1);
	CHECK(strstr(err, "beyond the chip's 8388608 bytes"));
	CHECK_EQ(range_parse("8..8", chip, &off, &len, err, sizeof(err)),
		 -1);
	CHECK(strstr(err, "not above the start"));
	CHECK_EQ(range_parse("8:0", chip, &off, &len, err, sizeof(err)),
		 -1);
	CHECK(strstr(err, "empty"));
	CHECK_EQ(range_parse("8", chip, &off, &len, err, sizeof(err)),
		 -1);
	CHECK(strstr(err, "is not a range"));
	CHECK_EQ(range_parse("1:2:3", chip, &off, &len, err,
				   sizeof(err)),
		 -1);
}

static void numbers(void)
{
	uint64_t v = 0;

	const char *end;
	struct sizes s;

	CHECK_EQ(number_prefix("4K", &v, &end), 0);
	CHECK_EQ(v, 4096);
	CHECK(*end == '\0');
	CHECK_EQ(number_prefix("0x20M", &v, &end), 0);
	CHECK_EQ(v, 32u << 20);
	CHECK_EQ(number_prefix("4KB", &v, &end), 0);
	CHECK_STR(end, "B");
	CHECK_EQ(sizes_parse("4KB", 1, 1u << 20, &s, err, sizeof(err)), -1);
	CHECK_STR(err, "'4KB' is not a size (like 4096, 0x1000, 4K) or a "
		       "series (like 4..8192)");
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

UNIT_MAIN("cli_sizes", UNIT_TEST(powers_of_two), UNIT_TEST(lists_and_numbers),
	  UNIT_TEST(steps_and_factors), UNIT_TEST(errors),
	  UNIT_TEST(long_input), UNIT_TEST(ranges), UNIT_TEST(numbers),
	  UNIT_TEST(one_list_grammar), UNIT_TEST(patterns))
