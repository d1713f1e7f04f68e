#include "report/json.h"

#include <math.h>
#include <stdio.h>

void json_init(struct json *j)
{
	sb_init(&j->sb);
	j->depth = 0;
	j->count[0] = 0;
	j->overflow = 0;
}

void json_release(struct json *j)
{
	sb_release(&j->sb);
}

void json_quote(struct strbuf *sb, const char *s)
{
	sb_addc(sb, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '"':
			sb_adds(sb, "\\\"");
			break;
		case '\\':
			sb_adds(sb, "\\\\");
			break;
		case '\n':
			sb_adds(sb, "\\n");
			break;
		case '\r':
			sb_adds(sb, "\\r");
			break;
		case '\t':
			sb_adds(sb, "\\t");
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				sb_addf(sb, "\\u%04x", c);
			else
				sb_addc(sb, (char)c);
		}
	}
	sb_addc(sb, '"');
}

static void member(struct json *j, const char *key)
{
	if (j->count[j->depth]++)
		sb_addc(&j->sb, ',');
	if (key) {
		json_quote(&j->sb, key);
		sb_addc(&j->sb, ':');
	}
}

static void open(struct json *j, const char *key, char c, char closer)
{
	if (j->depth + 1 >= JSON_MAX_DEPTH) {
		j->overflow++;
		return;
	}
	if (j->depth > 0)
		member(j, key);
	sb_addc(&j->sb, c);
	j->depth++;
	j->count[j->depth] = 0;
	j->closer[j->depth] = closer;
}

static void close_level(struct json *j)
{
	if (j->overflow) {
		j->overflow--;
		return;
	}
	if (j->depth == 0)
		return;
	sb_addc(&j->sb, j->closer[j->depth]);
	j->depth--;
}

void json_object_begin(struct json *j, const char *key)
{
	open(j, key, '{', '}');
}

void json_object_end(struct json *j)
{
	close_level(j);
}

void json_array_begin(struct json *j, const char *key)
{
	open(j, key, '[', ']');
}

void json_array_end(struct json *j)
{
	close_level(j);
}

void json_string(struct json *j, const char *key, const char *value)
{
	member(j, key);
	json_quote(&j->sb, value ? value : "");
}

void json_uint(struct json *j, const char *key, unsigned long long value)
{
	member(j, key);
	sb_addf(&j->sb, "%llu", value);
}

void json_int(struct json *j, const char *key, long long value)
{
	member(j, key);
	sb_addf(&j->sb, "%lld", value);
}

void json_hex(struct json *j, const char *key, uint32_t value, int digits)
{
	member(j, key);
	sb_addf(&j->sb, "\"0x%0*x\"", digits, (unsigned)value);
}

void json_bool(struct json *j, const char *key, int value)
{
	member(j, key);
	sb_adds(&j->sb, value ? "true" : "false");
}

void json_emit(struct json *j)
{
	j->overflow = 0;
	while (j->depth > 0)
		close_level(j);
	fwrite(j->sb.buf, 1, j->sb.len, stdout);
	fputc('\n', stdout);
	fflush(stdout);
	sb_reset(&j->sb);
	j->count[0] = 0;
}

void json_double(struct json *j, const char *key, double value, int decimals)
{
	member(j, key);
	if (!isfinite(value)) {
		sb_adds(&j->sb, "null");
		return;
	}
	if (decimals < 0)
		decimals = 0;
	if (decimals > 9)
		decimals = 9;
	/* "%.*f" never writes an exponent; the C locale gives a point. */
	sb_addf(&j->sb, "%.*f", decimals, value);
}
