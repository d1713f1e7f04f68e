/* malloc and friends that never return NULL: running out of memory ends
 * the program (nothing useful can be reported without memory), so callers
 * never check. */
#ifndef CLI_ALLOC_H
#define CLI_ALLOC_H

#include <stddef.h>

void *psr_malloc(size_t n);
void *psr_calloc(size_t n, size_t size);
void *psr_realloc(void *p, size_t n);
char *psr_strdup(const char *s);

#endif
