#include "parts/clock_tree.h"

#include <string.h>

static const struct clock_family *const families[] = {
	&clock_family_h7,
	&clock_family_h7a3,
	&clock_family_f7,
};

const struct clock_family *clock_family_find(const char *family)
{
	if (!family)
		return NULL;
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (!strcmp(families[i]->family, family))
			return families[i];
	return NULL;
}
