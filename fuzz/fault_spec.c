/* psramsim's --fault SPEC parser (sim/fault.c): every input either adds
 * its faults or leaves the set unchanged with a one-line error. The
 * input is split at NUL bytes into several SPECs applied in turn, as
 * repeated --fault options are. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "fault.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fault_set fs, before;
	char err[256], *text = malloc(size + 1), *p;

	memcpy(text, data, size);
	text[size] = '\0';
	fault_set_init(&fs);
	for (p = text; p <= text + size; p += strlen(p) + 1) {
		memcpy(&before, &fs, sizeof(fs));
		err[0] = '\0';
		if (fault_parse(&fs, p, err, sizeof(err))) {
			if (memcmp(&before, &fs, sizeof(fs)) || !err[0] ||
			    strchr(err, '\n'))
				abort();
		}
		(void)fault_any(&fs);
	}
	free(text);
	return 0;
}
