#include "stub/map_options.h"

#include <stdlib.h>
#include <string.h>

#include "report/output.h"
#include "util/error.h"

void map_settings_default(struct map_settings *s)
{
	memset(s, 0, sizeof(*s));
	s->map.mpu = STUB_MPU_OFF;
	s->map.flags = STUB_MAP_DQS | STUB_MAP_TIMEOUT;
	s->map.timeout = 1;
	s->map.csbound = 10;
	s->map.mtyp = 2;
	s->prescaler = -1;
	s->sample_shift = -1;
}

/* An unsigned decimal (or 0x hex) in [lo, hi]; -1 when not one. */
static long number(const char *v, long lo, long hi)
{
	char *end;
	long n;

	if (!*v || *v == '-' || *v == '+')
		return -1;
	n = strtol(v, &end, 0);
	if (*end || n < lo || n > hi)
		return -1;
	return n;
}

static int bad(const char *kv, const char *want)
{
	return out_error(PSR_ERR_USAGE, "--xspi '%s': %s", kv, want);
}

int map_settings_parse(struct map_settings *s, const char *kv)
{
	static const char *const mtyps[] = {"micron", "macronix", "standard",
					    "macronix-ram"};
	const char *eq = strchr(kv, '=');
	size_t klen;
	const char *v;
	long n;

	if (!eq || eq == kv)
		return bad(kv, "expected KEY=VALUE (dqs, timeout, csbound, "
			       "refresh, maxtran, mtyp, prescaler, sshift)");
	klen = (size_t)(eq - kv);
	v = eq + 1;
#define KEY(name) (klen == strlen(name) && !strncmp(kv, name, klen))
	if (KEY("dqs")) {
		if (!strcmp(v, "on"))
			s->map.flags |= STUB_MAP_DQS;
		else if (!strcmp(v, "off"))
			s->map.flags &= ~STUB_MAP_DQS;
		else
			return bad(kv, "dqs is on or off");
	} else if (KEY("timeout")) {
		if (!strcmp(v, "off")) {
			s->map.flags &= ~STUB_MAP_TIMEOUT;
			s->given |= MAP_GIVEN_TIMEOUT;
		} else if ((n = number(v, 1, 65535)) >= 0) {
			s->map.flags |= STUB_MAP_TIMEOUT;
			s->map.timeout = (uint32_t)n;
			s->given |= MAP_GIVEN_TIMEOUT;
		} else {
			return bad(kv, "timeout is off or 1-65535 clock cycles");
		}
	} else if (KEY("csbound")) {
		if ((n = number(v, 0, 31)) < 0)
			return bad(kv, "csbound is 0 (none) to 31 (2^N bytes)");
		s->map.csbound = (uint32_t)n;
	} else if (KEY("refresh")) {
		if ((n = number(v, 0, 0x7fffffffL)) < 0)
			return bad(kv, "refresh is 0 (none) or clock cycles");
		s->map.refresh = (uint32_t)n;
		s->given |= MAP_GIVEN_REFRESH;
	} else if (KEY("maxtran")) {
		if ((n = number(v, 0, 255)) < 0)
			return bad(kv, "maxtran is 0-255");
		s->map.maxtran = (uint32_t)n;
	} else if (KEY("mtyp")) {
		for (n = 0; n < 4 && strcmp(v, mtyps[n]); n++)
			;
		if (n == 4)
			return bad(kv, "mtyp is micron, macronix, standard or "
				       "macronix-ram");
		s->map.mtyp = (uint32_t)n;
	} else if (KEY("prescaler")) {
		if ((n = number(v, 0, 255)) < 0)
			return bad(kv, "prescaler is 0-255");
		s->prescaler = (int)n;
	} else if (KEY("sshift")) {
		if (!strcmp(v, "auto"))
			s->sample_shift = STUB_SSHIFT_AUTO;
		else if (!strcmp(v, "off"))
			s->sample_shift = STUB_SSHIFT_OFF;
		else if (!strcmp(v, "on"))
			s->sample_shift = STUB_SSHIFT_ON;
		else
			return bad(kv, "sshift is on, off or auto");
	} else {
		return bad(kv, "unknown key (dqs, timeout, csbound, refresh, "
			       "maxtran, mtyp, prescaler, sshift)");
	}
#undef KEY
	return 0;
}
