/* The embedded stub images' function symbols, generated from their ELF
 * files at build time (scripts/embed-symbols), so that a report can say in
 * which function a stub stopped. */
#ifndef CLI_STUB_SYMBOLS_H
#define CLI_STUB_SYMBOLS_H

#include <stdint.h>

struct stub_symbol {
	uint32_t addr;	/* Thumb bit clear */
	uint32_t size;
	const char *name;
};

/* stub.elf (everything) and the images with part of it. */
extern const struct stub_symbol stub_symbols[];
extern const unsigned int stub_symbols_count;
extern const struct stub_symbol stub_eid_quadspi_symbols[];
extern const unsigned int stub_eid_quadspi_symbols_count;
extern const struct stub_symbol stub_eid_octospi_symbols[];
extern const unsigned int stub_eid_octospi_symbols_count;

/* The function of table[0..n) that contains pc, or NULL. */
const struct stub_symbol *stub_symbol_find(const struct stub_symbol *table,
					   unsigned int n, uint32_t pc);

#endif
