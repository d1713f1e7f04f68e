/* The STM32H742/743/750/753 peripheral address space as the bus matrix
 * decodes it (RM0433 §2.3.2, Table 8 "Register boundary addresses"): an
 * address inside a peripheral that exists but is not modelled answers as
 * a plain register block (reads 0, writes are dropped) and is logged once
 * per register as "not modelled: PERIPHERAL register 0xOFF"; an address in
 * a reserved range is not decoded and returns a bus error, as on silicon. */
#ifndef SIM_PERIPH_SPACE_H
#define SIM_PERIPH_SPACE_H

#include <stdint.h>

#include "bus.h"

struct periph_space;

/* One row of the memory map: a peripheral's name and its address range. */
struct periph_space_entry {
	const char *name;
	uint32_t base;
	uint32_t size;
};

extern const struct periph_space_entry periph_space_h74x[];
extern const unsigned periph_space_h74x_count;

/* Covers every part of the table's span that `bus` does not already map
 * with regions of its own. Call after every modelled peripheral has been
 * added to the bus. */
struct periph_space *periph_space_attach(struct bus *bus,
					  const struct periph_space_entry *map,
					  unsigned count);
void periph_space_free(struct periph_space *ps);

/* The peripheral at `addr`, or NULL for a reserved address. */
const struct periph_space_entry *
periph_space_lookup(const struct periph_space_entry *map, unsigned count,
		    uint32_t addr);

#endif
