/* The clock search verify and margin share (clock_search.h). */
#include <string.h>

#include "diagnosis/clock_search.h"
#include "stub/stub_params.h"
#include "stub/stub_run.h"

struct probe_ctx {
	const struct clock_probe *ask;
	struct clock_probe_result *out;
};

static int on_margin(void *ctx, const struct stub_record *rec)
{
	struct clock_probe_result *o = ((struct probe_ctx *)ctx)->out;

	if (rec->type != STUB_REC_MARGIN)
		return 0;
	if (rec->code == STUB_MARGIN_DATA) {
		o->got_data = 1;
		o->data_checked = rec->a;
		o->data_wrong = rec->b;
		o->data_first = rec->c;
	} else if (rec->code == STUB_MARGIN_PAGE_CROSS) {
		o->page_checked = rec->a;
		o->page_wrong = rec->b;
		o->page_first = rec->c;
	}
	return 0;
}

static void margin_params(void *ctx, struct stub_params *p)
{
	const struct clock_probe *a = ((struct probe_ctx *)ctx)->ask;

	p->clock_hz = a->hz;
	p->mode = a->mode;
	p->sample_shift = a->sample_shift;
	if (a->len) {
		p->range_start = a->start;
		p->range_len = a->len;
	}
	p->seed = a->seed;
}

int clock_probe_run(struct session *s, const struct clock_probe *ask,
		    struct clock_probe_result *out)
{
	struct probe_ctx ctx = {ask, out};
	struct stub_run_result res;
	struct stub_run_spec spec;
	int r;

	memset(out, 0, sizeof(*out));
	memset(&res, 0, sizeof(res));
	memset(&spec, 0, sizeof(spec));
	spec.command = STUB_CMD_MARGIN;
	spec.name = "margin";
	spec.timeout_ms = ask->timeout_ms;
	spec.params = margin_params;
	spec.record = on_margin;
	spec.ctx = &ctx;
	r = stub_run_loaded(s, &spec, &res);
	if (r)
		return r;
	out->clock_hz = res.result.xspi.clock_hz;
	out->prescaler = res.result.xspi.prescaler;
	return 0;
}

int clock_search_point(struct clock_search *cs, uint32_t hz,
		       const struct diag_clock_point **out)
{
	struct diag_clock *ck = cs->ck;
	struct clock_probe ask;
	struct clock_probe_result got;
	struct diag_clock_point *pt;
	int r;

	*out = NULL;
	memset(&ask, 0, sizeof(ask));
	ask.hz = hz;
	ask.mode = cs->mode;
	ask.sample_shift = STUB_SSHIFT_AUTO;
	ask.start = cs->start;
	ask.len = cs->len;
	ask.seed = cs->seed ^ hz;
	ask.timeout_ms = cs->timeout_ms;
	r = clock_probe_run(cs->s, &ask, &got);
	if (r)
		return r;
	for (size_t i = 0; i < ck->n; i++)
		if (ck->pt[i].clock_hz == got.clock_hz) {
			*out = &ck->pt[i];
			return 0;
		}
	if (!got.got_data || ck->n == DIAG_MAX_CLOCKS)
		return 0;
	pt = &ck->pt[ck->n++];
	pt->clock_hz = got.clock_hz;
	pt->data_checked = got.data_checked;
	pt->data_wrong = got.data_wrong;
	pt->page_checked = got.page_checked;
	pt->page_wrong = got.page_wrong;
	*out = pt;
	return 0;
}

static int point_ok(const struct diag_clock_point *p)
{
	return diag_clock_data_ok(p) && diag_clock_page_ok(p);
}

int clock_search_slower(struct clock_search *cs, const uint32_t *hz, size_t n,
			uint32_t below_hz, unsigned max_down, uint32_t *safe)
{
	const struct diag_clock_point *p;
	unsigned tried = 0;
	int r;

	*safe = 0;
	for (size_t i = n; i-- > 0;) {
		if (hz[i] >= below_hz)
			continue;
		r = clock_search_point(cs, hz[i], &p);
		if (r)
			return r;
		if (p && diag_clock_data_ok(p)) {
			*safe = p->clock_hz;
			break;
		}
		if (cs->ck->n == DIAG_MAX_CLOCKS || ++tried == max_down)
			break;
	}
	return 0;
}

int clock_search_limit(struct clock_search *cs, const uint32_t *hz, size_t n,
		       size_t at, unsigned max_down, uint32_t *best,
		       uint32_t *worst)
{
	const struct diag_clock_point *p;
	unsigned tried = 0;
	int r;

	*best = *worst = 0;
	for (size_t i = at; i < n && !*worst; i++) {
		r = clock_search_point(cs, hz[i], &p);
		if (r)
			return r;
		if (!p)
			continue;
		if (point_ok(p))
			*best = p->clock_hz;
		else
			*worst = p->clock_hz;
		if (cs->ck->n == DIAG_MAX_CLOCKS)
			break;
	}
	for (size_t i = at; i-- > 0 && *worst && !*best &&
			    tried++ < max_down;) {
		r = clock_search_point(cs, hz[i], &p);
		if (r)
			return r;
		if (p && point_ok(p))
			*best = p->clock_hz;
		if (cs->ck->n == DIAG_MAX_CLOCKS)
			break;
	}
	return 0;
}
