/* The embedded stub's function symbols, generated from stub.elf at build
 * time, so that a report can say in which function a stub stopped. */
#ifndef CLI_STUB_SYMBOLS_H
#define CLI_STUB_SYMBOLS_H

#include <stdint.h>

struct stub_symbol {
	uint32_t addr;	/* Thumb bit clear */
	uint32_t size;
	const char *name;
};

extern const struct stub_symbol stub_symbols[];
extern const unsigned int stub_symbol_count;

/* The function of the embedded stub that contains pc, or NULL. */
const struct stub_symbol *stub_symbol_find(uint32_t pc);

#endif
