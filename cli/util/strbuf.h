/* A growable, always NUL-terminated byte string. */
#ifndef CLI_STRBUF_H
#define CLI_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#include "util/alloc.h"

struct strbuf {
	char *buf; /* buf[len] == '\0'; NULL only after sb_detach/release */
	size_t len;
	size_t alloc;
};

#define SB_PRINTF(a, b) __attribute__((format(printf, a, b)))

void sb_init(struct strbuf *sb);
void sb_release(struct strbuf *sb);
/* Hands the string over to the caller (free() it); sb is left empty,
 * usable again, and needs no sb_release. */
char *sb_detach(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_grow(struct strbuf *sb, size_t extra);
void sb_add(struct strbuf *sb, const void *data, size_t len);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) SB_PRINTF(2, 3);
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* Removes the first n bytes. */
void sb_consume(struct strbuf *sb, size_t n);

#endif
