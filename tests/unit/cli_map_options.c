/* memtest --xspi KEY=VALUE and the defaults of the memory-mapped
 * settings (cli/stub/map_options.c): each key to its stub_map field, and
 * a usage error for a bad key or value. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "stub/map_options.h"
#include "unit.h"
#include "util/error.h"

/* map_settings_parse with its error line sent away from the test log. */
static int parse(struct map_settings *s, const char *kv)
{
	int saved = dup(STDERR_FILENO), null = open("/dev/null", O_WRONLY), r;

	dup2(null, STDERR_FILENO);
	r = map_settings_parse(s, kv);
	dup2(saved, STDERR_FILENO);
	close(null);
	close(saved);
	return r;
}

static void test_defaults(void)
{
	struct map_settings s;

	map_settings_default(&s);
	CHECK_EQ(s.map.mpu, STUB_MPU_OFF);
	CHECK_EQ(s.map.flags, STUB_MAP_DQS | STUB_MAP_TIMEOUT);
	CHECK_EQ(s.map.timeout, 1);
	CHECK_EQ(s.map.csbound, 10);
	CHECK_EQ(s.map.refresh, 0);
	CHECK_EQ(s.map.mtyp, 2);
	CHECK_EQ(s.prescaler, -1);
	CHECK_EQ(s.sample_shift, -1);
	CHECK_EQ(s.given, 0);
}

static void test_keys(void)
{
	struct map_settings s;

	map_settings_default(&s);
	CHECK_EQ(parse(&s, "dqs=off"), 0);
	CHECK_EQ(s.map.flags & STUB_MAP_DQS, 0);
	CHECK_EQ(parse(&s, "timeout=off"), 0);
	CHECK_EQ(s.map.flags & STUB_MAP_TIMEOUT, 0);
	CHECK_EQ(parse(&s, "timeout=0x20"), 0);
	CHECK_EQ(s.map.flags & STUB_MAP_TIMEOUT, STUB_MAP_TIMEOUT);
	CHECK_EQ(s.map.timeout, 32);
	CHECK_EQ(parse(&s, "csbound=0"), 0);
	CHECK_EQ(s.map.csbound, 0);
	CHECK_EQ(parse(&s, "refresh=400"), 0);
	CHECK_EQ(s.map.refresh, 400);
	CHECK_EQ(s.given, MAP_GIVEN_TIMEOUT | MAP_GIVEN_REFRESH);
	CHECK_EQ(parse(&s, "maxtran=255"), 0);
	CHECK_EQ(s.map.maxtran, 255);
	CHECK_EQ(parse(&s, "mtyp=macronix-ram"), 0);
	CHECK_EQ(s.map.mtyp, 3);
	CHECK_EQ(parse(&s, "prescaler=3"), 0);
	CHECK_EQ(s.prescaler, 3);
	CHECK_EQ(parse(&s, "sshift=on"), 0);
	CHECK_EQ(s.sample_shift, STUB_SSHIFT_ON);
}

static void test_refusals(void)
{
	static const char *const bad[] = {
		"dqs",	       "=on",	       "dqs=maybe",   "timeout=0",
		"timeout=65536", "timeout=-1", "csbound=32",  "maxtran=256",
		"mtyp=hyperbus", "prescaler=x", "sshift=half", "wrap=2",
		"dqsx=on",     "refresh=",
	};
	struct map_settings s, before;

	map_settings_default(&s);
	before = s;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ(parse(&s, bad[i]), PSR_ERR_USAGE);
		CHECK(memcmp(&s, &before, sizeof(s)) == 0);
	}
}

UNIT_MAIN("cli_map_options", UNIT_TEST(test_defaults), UNIT_TEST(test_keys),
	  UNIT_TEST(test_refusals))
