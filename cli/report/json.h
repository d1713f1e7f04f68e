/* A JSON writer for --json output: one object per line on stdout. Keys are
 * the stable names documented in README.md; callers never write commas or
 * escapes themselves. */
#ifndef CLI_JSON_H
#define CLI_JSON_H

#include <stdint.h>

#include "util/strbuf.h"

#define JSON_MAX_DEPTH 16

struct json {
	struct strbuf sb;
	int depth;
	int count[JSON_MAX_DEPTH]; /* members written at each level */
	char closer[JSON_MAX_DEPTH];
	int overflow; /* levels opened beyond JSON_MAX_DEPTH, dropped */
};

void json_init(struct json *j);
void json_release(struct json *j);
/* key is NULL inside arrays and for the outermost object. */
void json_object_begin(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);
void json_string(struct json *j, const char *key, const char *value);
void json_uint(struct json *j, const char *key, unsigned long long value);
void json_int(struct json *j, const char *key, long long value);
/* "0x%0*x" with digits hex digits, as a string (JSON has no hex). */
void json_hex(struct json *j, const char *key, uint32_t value, int digits);
void json_bool(struct json *j, const char *key, int value);
/* A number with `decimals` digits after the point; null when it is not
 * finite (JSON has no NaN or infinity). */
void json_double(struct json *j, const char *key, double value, int decimals);
/* Appends s as a JSON string literal, escaped. */
void json_quote(struct strbuf *sb, const char *s);
/* Writes the finished top-level object as one line to stdout, resets j. */
void json_emit(struct json *j);

#endif
