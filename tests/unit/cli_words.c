/* The shell's word splitting (util/words.h). */
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/words.h"
#include "unit.h"

static int split_is(const char *line, int n, const char *const *want)
{
	struct words w;
	const char *why;
	int ok;

	if (words_split(line, &w, &why)) {
		words_free(&w);
		return 0;
	}
	ok = w.n == n && w.v[n] == NULL;
	for (int i = 0; ok && i < n; i++)
		ok = !strcmp(w.v[i], want[i]);
	words_free(&w);
	return ok;
}

static void test_plain(void)
{
	static const char *const a[] = {"rd", "0x24000000", "16"};

	CHECK(split_is("rd 0x24000000 16", 3, a));
	CHECK(split_is("  rd\t0x24000000   16  \n", 3, a));
	CHECK(split_is("", 0, NULL));
	CHECK(split_is("   ", 0, NULL));
}

static void test_quotes(void)
{
	static const char *const a[] = {"dump", "my file.bin", "a\"b", ""};
	static const char *const b[] = {"load", "it's", "$x[1]"};
	static const char *const c[] = {"x", "a b"};

	CHECK(split_is("dump 'my file.bin' \"a\\\"b\" ''", 4, a));
	CHECK(split_is("load it\\'s '$x[1]'", 3, b));
	CHECK(split_is("x a\\ b", 2, c));
	CHECK(split_is("x \"a\"' b'", 2, c));
}

static void test_comments(void)
{
	static const char *const a[] = {"rd", "1"};
	static const char *const b[] = {"wr", "a#b"};

	CHECK(split_is("# only a comment", 0, NULL));
	CHECK(split_is("rd 1 # the rest", 2, a));
	CHECK(split_is("wr a#b", 2, b));
}

static void test_errors(void)
{
	struct words w;
	const char *why;

	CHECK_EQ(words_split("wr 'open", &w, &why), PSR_ERR_USAGE);
	CHECK_STR(why, "unterminated ' quote");
	CHECK_EQ(w.n, 0);
	words_free(&w);
	CHECK_EQ(words_split("wr \"open", &w, &why), PSR_ERR_USAGE);
	CHECK_STR(why, "unterminated \" quote");
	words_free(&w);
	CHECK_EQ(words_split("wr x\\", &w, &why), PSR_ERR_USAGE);
	words_free(&w);
}

UNIT_MAIN("cli_words", UNIT_TEST(test_plain), UNIT_TEST(test_quotes),
	  UNIT_TEST(test_comments), UNIT_TEST(test_errors))
