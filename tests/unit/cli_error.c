/* Every error code has a message, a --json name and the exit status of
 * docs/architecture.md §4 (0 pass, 1 test failed, 2 usage, 3 cannot reach
 * target). */
#include <string.h>

#include "util/error.h"
#include "unit.h"

static void every_code_is_described(void)
{
	for (int c = PSR_ERR_LAST; c <= 0; c++) {
		CHECK(strncmp(psr_strerror(c), "unknown error", 13) != 0);
		CHECK(strcmp(psr_errname(c), "unknown") != 0);
		CHECK(psr_exit_status(c) >= 0);
	}
}

static void names_are_unique(void)
{
	for (int a = PSR_ERR_LAST; a <= 0; a++)
		for (int b = a + 1; b <= 0; b++)
			CHECK(strcmp(psr_errname(a), psr_errname(b)) != 0);
}

static void exit_statuses(void)
{
	CHECK_EQ(psr_exit_status(PSR_OK), 0);
	CHECK_EQ(psr_exit_status(PSR_ERR_TEST_FAILED), 1);
	CHECK_EQ(psr_exit_status(PSR_ERR_USAGE), 2);
	CHECK_EQ(psr_exit_status(PSR_ERR_UNKNOWN_BOARD), 2);
	CHECK_EQ(psr_exit_status(PSR_ERR_NO_OPENOCD), 3);
	CHECK_EQ(psr_exit_status(PSR_ERR_OPENOCD_EXITED), 3);
	CHECK_EQ(psr_exit_status(PSR_ERR_PSRAMSIM_START), 3);
	CHECK_EQ(psr_exit_status(PSR_ERR_TIMEOUT), 3);
	CHECK_EQ(psr_exit_status(PSR_ERR_NOT_HALTED), 3);
	CHECK_EQ(psr_exit_status(PSR_ERR_INTERRUPTED), 130);
	CHECK_EQ(psr_exit_status(PSR_ERR_OUTPUT), 4);
	CHECK_EQ(psr_exit_status(PSR_ERR_IMAGE), 2);
	for (int c = PSR_ERR_LAST; c <= 0; c++) {
		int s = psr_exit_status(c);

		CHECK(s == 0 || s == 1 || s == 2 || s == 3 || s == 4 || s == 130);
	}
}

static void unknown_codes(void)
{
	CHECK_EQ(psr_exit_status(PSR_ERR_LAST - 1), -1);
	CHECK_EQ(psr_exit_status(5), -1);
	CHECK(strstr(psr_strerror(-999), "-999") != NULL);
}

UNIT_MAIN("cli_error", UNIT_TEST(every_code_is_described),
	  UNIT_TEST(names_are_unique), UNIT_TEST(exit_statuses),
	  UNIT_TEST(unknown_codes))
