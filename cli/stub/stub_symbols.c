#include "stub/stub_symbols.h"

const struct stub_symbol *stub_symbol_find(uint32_t pc)
{
	pc &= ~1U;
	for (unsigned int i = 0; i < stub_symbol_count; i++) {
		const struct stub_symbol *s = &stub_symbols[i];
		uint32_t start = s->addr & ~1U;

		if (pc >= start && pc - start < s->size)
			return s;
	}
	return 0;
}
