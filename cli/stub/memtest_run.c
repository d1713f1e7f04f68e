#include "stub/memtest_run.h"

#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"
#include "report/output.h"
#include "link/session.h"
#include "util/range.h"
#include "stub/map_recommend.h"
#include "psram_parts.h"

static const char *const test_names[] = {
	"data-bus", "address-bus", "device", "patterns",
	"page",     "retention",   "lines",    "access",
};

const char *memtest_test_name(uint32_t bit)
{
	return bit < sizeof(test_names) / sizeof(test_names[0])
		       ? test_names[bit]
		       : NULL;
}

uint32_t memtest_test_bit(const char *name)
{
	for (uint32_t i = 0; i < sizeof(test_names) / sizeof(test_names[0]);
	     i++)
		if (!strcmp(name, test_names[i]))
			return 1u << i;
	return 0;
}

struct run {
	const struct memtest_spec *spec;
	const struct memtest_view *view;
	struct memtest_obs *o;
	/* a caller with no progress view of its own (verify's stages) gets
	 * a progress bar per test (report/output.h) */
	int bar;
	uint32_t bar_test;
};

static void default_progress(struct run *r, const struct stub_record *rec)
{
	if (!r->bar || r->bar_test != rec->code) {
		const char *name = memtest_test_name(rec->code);

		out_progress_end();
		out_progress_begin(name ? name : "memtest", rec->b);
		r->bar = 1;
		r->bar_test = rec->code;
	}
	out_progress(rec->a);
}

static void set_params(void *ctx, struct stub_params *p)
{
	const struct memtest_spec *sp = ((struct run *)ctx)->spec;

	if (sp->clock_hz)
		p->clock_hz = sp->clock_hz;
	p->mode = sp->mode;
	p->range_start = sp->start;
	p->range_len = sp->len;
	p->widths = sp->widths;
	memcpy(p->patterns, sp->patterns, sizeof(p->patterns));
	p->pattern_count = sp->npatterns;
	p->passes = sp->passes;
	p->seed = sp->seed;
	p->max_errors = sp->max_errors;
	p->tests = sp->tests;
	p->hold_ms = sp->hold_ms;
	if (sp->mode == STUB_MODE_MAPPED) {
		struct map_settings m = sp->map;
		struct map_recommended rec;
		struct memtest_obs *o = ((struct run *)ctx)->o;

		if (sp->map.prescaler >= 0)
			p->clock_hz = p->kernel_hz / (uint32_t)(sp->map.prescaler + 1);
		if (sp->map.sample_shift >= 0)
			p->sample_shift = (uint32_t)sp->map.sample_shift;
		map_recommend(p->chip,
			      map_xspi_clock_hz(p->kernel_hz, p->clock_hz,
						psram_part(p->chip)->tch_ps),
			      p->xspi == STUB_XSPI_OCTOSPI, &rec);
		map_settings_apply(&m, &rec);
		if (p->xspi != STUB_XSPI_OCTOSPI &&
		    (m.map.flags & STUB_MAP_TIMEOUT))
			m.map.run_bytes = map_quadspi_stub_run_bytes(
				p->chip, rec.clock_hz, m.map.timeout);
		p->map = m.map;
		o->map = m.map;
		o->map_clock_hz = rec.clock_hz;
	}
	if (sp->io_pull != MEMTEST_NO_PULL)
		for (int i = STUB_PIN_IO0; i <= STUB_PIN_IO3; i++)
			p->pins[i].pull = (uint8_t)sp->io_pull;
	((struct run *)ctx)->o->cpu_hz = p->cpu_hz;
}

static void add_mismatch(struct run *r, const struct stub_record *rec)
{
	struct memtest_obs *o = r->o;
	struct diag_mismatch *m;

	if (o->n == o->cap_m) {
		o->cap_m = o->cap_m ? 2 * o->cap_m : 64;
		o->m = psr_realloc(o->m, o->cap_m * sizeof(*o->m));
	}
	m = &o->m[o->n++];
	m->offset = rec->a;
	m->width = rec->width;
	m->test = (uint8_t)(rec->code & STUB_ERR_TEST_MASK);
	m->transient = (rec->code & STUB_ERR_TRANSIENT) != 0;
	m->written = rec->b;
	m->read = rec->c;
	if (rec->code & STUB_ERR_ECHO)
		o->bus.echoes++;
	else if (m->test == memtest_test_number(STUB_TEST_DATA_BUS) &&
		 !m->transient)
		diag_bus_add_spot(&o->bus, m->offset);
	if (r->view && r->view->mismatch)
		r->view->mismatch(r->view->ctx, o, m);
}

static void add_result(struct run *r, const struct stub_record *rec)
{
	struct memtest_obs *o = r->o;
	struct memtest_result *t;

	if (o->nresults == o->cap_results) {
		o->cap_results = o->cap_results ? 2 * o->cap_results : 16;
		o->results = psr_realloc(o->results,
					 o->cap_results * sizeof(*o->results));
	}
	t = &o->results[o->nresults++];
	/* code: the test number, then cycles bits 32-39 (stub_abi.h) */
	t->test = rec->code & 0xffu;
	t->width = rec->width;
	t->pass = o->pass;
	t->checked = rec->a;
	t->errors = rec->b;
	t->cycles = (uint64_t)(rec->code >> 8) << 32 | rec->c;
	if (1u << t->test & (STUB_TEST_DEVICE | STUB_TEST_PATTERNS |
			     STUB_TEST_PAGE | STUB_TEST_RETENTION |
			     STUB_TEST_ACCESS)) {
		o->bytes += t->checked;
		o->cycles += t->cycles;
	}
	o->errors += t->errors;
	/* address-bus: a = the address bits covered */
	if (t->test == memtest_test_number(STUB_TEST_ADDRESS_BUS) && t->checked)
		o->addr.covered = t->checked, o->addr.have = 1;
	if (r->view && r->view->result)
		r->view->result(r->view->ctx, o, t);
}

static void add_lines(struct memtest_obs *o, const struct stub_record *rec)
{
	int pu = rec->code == STUB_PULL_UP ? DIAG_UP : DIAG_DOWN;

	if (rec->code != STUB_PULL_UP && rec->code != STUB_PULL_DOWN)
		return;
	o->lines.have[pu] = 1;
	o->lines.bits = rec->a;
	o->lines.against[pu][0] = rec->b & 0xffffu;
	o->lines.against[pu][1] = rec->b >> 16;
	o->lines.against[pu][2] = rec->c & 0xffffu;
	o->lines.against[pu][3] = rec->c >> 16;
}

static int on_record(void *ctx, const struct stub_record *rec)
{
	struct run *r = ctx;
	struct memtest_obs *o = r->o;

	switch (rec->type) {
	case STUB_REC_PROGRESS:
		o->test = rec->code;
		o->done = rec->a;
		o->total = rec->b;
		o->pass = rec->c;
		o->have_progress = 1;
		if (r->view && r->view->progress)
			r->view->progress(r->view->ctx, o);
		else
			default_progress(r, rec);
		break;
	case STUB_REC_ERROR:
		add_mismatch(r, rec);
		break;
	case STUB_REC_TEST:
		add_result(r, rec);
		break;
	case STUB_REC_BITS:
		diag_bus_add_bits(&o->bus, rec->code, rec->a, rec->b, rec->c);
		break;
	case STUB_REC_ALIAS:
		diag_addr_add(&o->addr, rec->a, rec->b, rec->c);
		break;
	case STUB_REC_LINES:
		add_lines(o, rec);
		break;
	default:
		break;
	}
	return 0;
}

int memtest_run(struct session *s, const struct memtest_spec *spec,
		const struct memtest_view *view, struct memtest_obs *o)
{
	struct stub_run_spec rs;
	struct run r = {spec, view, o, 0, 0};
	int ret;

	memset(o, 0, sizeof(*o));
	memset(&rs, 0, sizeof(rs));
	rs.command = STUB_CMD_MEMTEST;
	rs.name = "memtest";
	rs.timeout_ms = spec->timeout_ms;
	rs.params = set_params;
	rs.record = on_record;
	rs.ctx = &r;
	rs.fault_expected = spec->fault_expected;
	o->run.outcome = STUB_OUTCOME_HALTED;
	ret = spec->loaded ? stub_run_loaded(s, &rs, &o->run)
			   : stub_run(s, &rs, &o->run);
	if (r.bar)
		out_progress_end();
	/* The recommended timeout and REFRESH hold only at the clock they
	 * were computed for: a stub that chose another one makes them
	 * wrong, which is an error, never a result. */
	if (!ret && spec->mode == STUB_MODE_MAPPED &&
	    o->run.result.xspi.clock_hz != o->map_clock_hz)
		ret = out_error(PSR_ERR_STUB_FAILED,
				"memtest: the stub ran the xSPI at %.3f MHz, "
				"the memory-mapped timeout and REFRESH were "
				"computed for %.3f MHz",
				o->run.result.xspi.clock_hz / 1e6,
				o->map_clock_hz / 1e6);
	return ret;
}

const struct memtest_result *memtest_result_of(const struct memtest_obs *o,
					       uint32_t test_bit)
{
	uint32_t test = memtest_test_number(test_bit);

	for (size_t i = 0; i < o->nresults; i++)
		if (o->results[i].test == test)
			return &o->results[i];
	return NULL;
}

void memtest_obs_free(struct memtest_obs *o)
{
	free(o->results);
	free(o->m);
	o->results = NULL;
	o->m = NULL;
	o->n = o->nresults = o->cap_m = o->cap_results = 0;
}

int memtest_parse_range(const char *range, uint32_t *start, uint32_t *len)
{
	uint64_t s = 0, n = MEMTEST_CHIP_BYTES;
	char err[160], shown[96];

	if (range &&
	    range_parse(range, MEMTEST_CHIP_BYTES, &s, &n, err, sizeof(err)))
		return out_error(PSR_ERR_USAGE,
				 "invalid value '%s' for --range: %s",
				 out_printable(range, shown, sizeof(shown)), err);
	if ((s | n) & 3 || n < 8)
		return out_error(PSR_ERR_USAGE,
				 "--range must start and end on a 4-byte "
				 "boundary and cover at least 8 bytes");
	*start = (uint32_t)s;
	*len = (uint32_t)n;
	return 0;
}
