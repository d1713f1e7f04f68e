#include "stub/stub_symbols.h"

const struct stub_symbol *stub_symbol_find(const struct stub_symbol *table,
					   unsigned int n, uint32_t pc)
{
	pc &= ~1U;
	for (unsigned int i = 0; i < n; i++) {
		const struct stub_symbol *s = &table[i];
		uint32_t start = s->addr & ~1U;

		if (pc >= start && pc - start < s->size)
			return s;
	}
	return 0;
}
