/* psramsim's --bus-costs FILE parser (sim/cpu/bus_cost.c): every input
 * is either a table that psramsim can charge from, whose text form reads
 * back as the same table, or refused with one line that names the file. */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/bus_cost.h"

static void same_table(const struct bus_cost_table *a,
		       const struct bus_cost_table *b)
{
	if (a->count != b->count)
		abort();
	for (unsigned i = 0; i < a->count; i++)
		if (a->row[i].base != b->row[i].base ||
		    a->row[i].last != b->row[i].last ||
		    a->row[i].flags != b->row[i].flags ||
		    memcmp(a->row[i].rd, b->row[i].rd, BUS_CLOCKS) ||
		    memcmp(a->row[i].wr, b->row[i].wr, BUS_CLOCKS))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bus_cost_table t, back;
	char err[300], *text = NULL;
	size_t len = 0;
	FILE *f = fmemopen((void *)data, size ? size : 1, "r");
	struct bus_cost *bc;
	struct vclock clk = {.cycles = 0, .cpu_hz = 400000000U};

	if (!f || size == 0) {
		if (f)
			fclose(f);
		return 0;
	}
	err[0] = '\0';
	if (bus_cost_load_stream(f, "in", &t, err, sizeof(err)) != 0) {
		fclose(f);
		if (strncmp(err, "in", 2) != 0 || strchr(err, '\n'))
			abort();
		return 0;
	}
	fclose(f);
	bc = bus_cost_new(&t);
	if (!bc)
		abort();
	for (unsigned i = 0; i < t.count; i++) {
		uint64_t before = clk.cycles;

		bus_cost_charge(bc, &clk, t.row[i].base, false);
		bus_cost_charge(bc, &clk, t.row[i].last, true);
		if (bus_cost_row_of(bc, t.row[i].base) != i + 1 ||
		    bus_cost_row_of(bc, t.row[i].last) != i + 1 ||
		    clk.cycles < before)
			abort();
	}
	bus_cost_free(bc);
	f = open_memstream(&text, &len);
	if (!f)
		abort();
	bus_cost_write(f, &t);
	fclose(f);
	f = fmemopen(text, len ? len : 1, "r");
	if (!f || bus_cost_load_stream(f, "back", &back, err, sizeof(err)))
		abort();
	fclose(f);
	free(text);
	same_table(&t, &back);
	return 0;
}
