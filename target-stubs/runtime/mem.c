/*
 * memset and memcpy: GCC may emit calls to them even in freestanding code
 * (struct initialisation and copies), and the stub links no C library.
 * Loop-pattern distribution is off here so that these loops do not turn
 * into calls to themselves. `used`: the calls appear only as code is
 * generated, after link-time optimisation would have dropped them.
 */
#include <stddef.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);

__attribute__((used, optimize("no-tree-loop-distribute-patterns")))
void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

__attribute__((used, optimize("no-tree-loop-distribute-patterns")))
void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}
