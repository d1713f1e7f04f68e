/* bench's results: medians over the repeats, efficiency against the wire
 * limit, and the table, CSV, JSON and SVG made from them. */
#include <math.h>
#include <stdlib.h>

#include "report/bench_report.h"
#include "stub_abi.h"
#include "unit.h"

#define MHZ 1000000u
#define CPU_HZ (400 * MHZ)

static const uint32_t sizes[] = {4, 1024, 8192};

static struct bench_setup setup(unsigned ops, unsigned repeat)
{
	struct bench_setup s;

	memset(&s, 0, sizeof(s));
	s.board = "devebox-h750";
	s.chip = "ESP-PSRAM64H";
	s.stub_chip = STUB_CHIP_ESP_PSRAM64H;
	s.mode = WIRE_QPI;
	s.ops = ops;
	s.clock_hz = 50 * MHZ;
	s.asked_hz = 50 * MHZ;
	s.kernel_hz = 200 * MHZ;
	s.prescaler = 3;
	s.cs_high_cycles = 3;
	s.cpu_hz = CPU_HZ;
	s.repeat = repeat;
	s.simulated = 1;
	return s;
}

/* Cycles for `bytes` at `mb_s`. */
static uint32_t cycles_for(uint32_t bytes, double mb_s)
{
	return (uint32_t)llround(bytes * (double)CPU_HZ / (mb_s * 1e6));
}

static const struct bench_row *add(struct bench_table *t, unsigned op,
				   uint32_t size, double mb_s)
{
	uint32_t bytes = size * 100;

	return bench_table_add(t, op, size, cycles_for(bytes, mb_s), bytes);
}

static void medians_and_limits(void)
{
	struct bench_setup s = setup(1u << BENCH_READ | 1u << BENCH_WRITE, 3);
	struct bench_table t;
	const struct bench_row *row;
	struct wire_limit lim;

	bench_table_init(&t, &s, sizes, 3);
	CHECK(!add(&t, BENCH_WRITE, 1024, 20.0));
	CHECK(!add(&t, BENCH_READ, 1024, 22.0));
	CHECK(!add(&t, BENCH_WRITE, 1024, 23.0));
	CHECK(!add(&t, BENCH_READ, 1024, 21.0));
	CHECK(!add(&t, BENCH_WRITE, 1024, 21.0));
	/* A size that is not in the table, an op that was not asked for. */
	CHECK(!add(&t, BENCH_READ, 999, 1.0));
	row = add(&t, BENCH_READ, 1024, 30.0);
	CHECK(row);
	CHECK_EQ(row->size, 1024);
	CHECK(fabs(row->op[BENCH_READ].median - 22.0) < 1e-3);
	CHECK(fabs(row->op[BENCH_WRITE].median - 21.0) < 1e-3);
	CHECK_EQ(row->op[BENCH_READ].n, 3);
	/* The sample kept is the one nearest the median. */
	CHECK_EQ(row->op[BENCH_READ].cycles, cycles_for(102400, 22.0));
	CHECK_EQ(wire_limit(WIRE_QPI, WIRE_READ, 50 * MHZ, 1024,
			    wire_chip_of(STUB_CHIP_ESP_PSRAM64H), &lim),
		 0);
	CHECK(fabs(row->op[BENCH_READ].limit - lim.bytes_per_s / 1e6) < 1e-9);
	CHECK(fabs(row->op[BENCH_READ].efficiency -
		   row->op[BENCH_READ].median / row->op[BENCH_READ].limit) <
	      1e-12);
	/* A fourth sample is one too many. */
	CHECK(!add(&t, BENCH_READ, 1024, 5.0));
	CHECK(fabs(t.rows[1].op[BENCH_READ].median - 22.0) < 1e-3);
	bench_table_free(&t);
}

static void even_repeat_and_one_op(void)
{
	struct bench_setup s = setup(1u << BENCH_WRITE, 2);
	struct bench_table t;
	const struct bench_row *row;

	bench_table_init(&t, &s, sizes, 3);
	CHECK(!add(&t, BENCH_READ, 4, 1.0));
	CHECK(!add(&t, BENCH_WRITE, 4, 2.0));
	row = add(&t, BENCH_WRITE, 4, 3.0);
	CHECK(row);
	CHECK(fabs(row->op[BENCH_WRITE].median - 2.5) < 1e-3);
	CHECK(isnan(row->op[BENCH_READ].median));
	bench_table_free(&t);
}

/* Runs print into a string. */
static char *capture(void (*fn)(FILE *, const struct bench_table *),
		     const struct bench_table *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fn(f, t);
	fclose(f);
	return buf;
}

static void table_all(FILE *f, const struct bench_table *t)
{
	bench_print_header(f, &t->setup);
	for (size_t i = 0; i < t->nrows; i++)
		bench_print_row(f, &t->setup, &t->rows[i]);
	bench_print_footer(f, t);
}

static void csv_all(FILE *f, const struct bench_table *t)
{
	bench_csv_header(f, &t->setup);
	for (size_t i = 0; i < t->nrows; i++)
		bench_csv_row(f, &t->setup, &t->rows[i]);
}

static void fill(struct bench_table *t)
{
	for (size_t i = 0; i < 3; i++) {
		add(t, BENCH_WRITE, sizes[i], 2.0 + 10 * (double)i);
		add(t, BENCH_READ, sizes[i], 1.5 + 10 * (double)i);
	}
}

static void table_text(void)
{
	struct bench_setup s = setup(1u << BENCH_READ | 1u << BENCH_WRITE, 1);
	struct bench_table t;
	char *out;

	bench_table_init(&t, &s, sizes, 3);
	fill(&t);
	out = capture(table_all, &t);
	CHECK(strstr(out, "Bench: devebox-h750 with ESP-PSRAM64H, QPI 4-4-4 "
			  "(read 0xEB, write 0x38)"));
	CHECK(strstr(out, "Clock: 50.000 MHz (asked 50.000 MHz; kernel "
			  "200.000 MHz / 4), CE# high 3 clocks"));
	CHECK(strstr(out, "modelled by psramsim"));
	CHECK(strstr(out, "SIZE       READ   LIMIT    EFF      WRITE   LIMIT"));
	CHECK(strstr(out, "\n    1024      11.50 "));
	CHECK(strstr(out, "Efficiency from 1 KiB up: read "));
	free(out);
	t.setup.simulated = 0;
	out = capture(table_all, &t);
	CHECK(!strstr(out, "psramsim"));
	CHECK(strstr(out, "DWT cycle counter"));
	free(out);
	bench_table_free(&t);
}

static void csv_text(void)
{
	struct bench_setup s = setup(1u << BENCH_READ | 1u << BENCH_WRITE, 1);
	struct bench_table t;
	char *out, first[200];

	bench_table_init(&t, &s, sizes, 3);
	fill(&t);
	out = capture(csv_all, &t);
	sscanf(out, "%199[^\n]", first);
	CHECK_STR(first, "size,read_mb_s,read_limit_mb_s,read_efficiency,"
			 "write_mb_s,write_limit_mb_s,write_efficiency");
	CHECK(strstr(out, "\n4,1.500,"));
	CHECK(strstr(out, "\n8192,21.500,"));
	/* Four lines, seven fields each. */
	for (char *p = out; *p;) {
		int commas = 0;

		for (; *p && *p != '\n'; p++)
			commas += *p == ',';
		CHECK_EQ(commas, 6);
		if (*p)
			p++;
	}
	free(out);
	/* One op: its columns only; a missing value is an empty field. */
	bench_table_free(&t);
	s = setup(1u << BENCH_READ, 1);
	bench_table_init(&t, &s, sizes, 3);
	out = capture(csv_all, &t);
	CHECK(strstr(out, "size,read_mb_s,read_limit_mb_s,read_efficiency\n"
			  "4,,,\n"));
	free(out);
	bench_table_free(&t);
}

static void json_text(void)
{
	struct bench_setup s = setup(1u << BENCH_READ | 1u << BENCH_WRITE, 1);
	struct bench_table t;
	struct json j;

	bench_table_init(&t, &s, sizes, 3);
	fill(&t);
	json_init(&j);
	json_object_begin(&j, NULL);
	bench_json_row(&j, &t.setup, &t.rows[1]);
	json_object_end(&j);
	CHECK(!strncmp(j.sb.buf, "{\"type\":\"bench-size\",\"size\":1024,"
				 "\"read\":{\"mb_s\":11.500,\"limit_mb_s\":",
		       60));
	CHECK(strstr(j.sb.buf, "\"write\":{\"mb_s\":12.000,"));
	CHECK(strstr(j.sb.buf, "\"samples\":1,\"bytes\":102400,\"cycles\":"));
	/* 1 KiB at 50 MHz: 192-byte read bursts (400 clocks of tCEM less 2 of
	 * nCS and 14 of header, 2 a byte), 195-byte write bursts: 6 each. */
	CHECK(strstr(j.sb.buf, ",\"limit_bursts\":6},\"write\":"));
	CHECK(strstr(j.sb.buf, ",\"limit_bursts\":6}}"));
	json_release(&j);

	json_init(&j);
	json_object_begin(&j, NULL);
	bench_json_summary(&j, &t);
	json_object_end(&j);
	CHECK(strstr(j.sb.buf, "\"type\":\"bench\",\"board\":\"devebox-h750\","
			       "\"chip\":\"ESP-PSRAM64H\",\"mode\":\"qpi\","
			       "\"lines\":\"4-4-4\",\"read_cmd\":\"0xeb\","
			       "\"write_cmd\":\"0x38\",\"clock_hz\":50000000"));
	CHECK(strstr(j.sb.buf, "\"read_header_cycles\":14,"
			       "\"write_header_cycles\":8,\"read_burst_max\":192,"
			       "\"write_burst_max\":195,"));
	CHECK(strstr(j.sb.buf, "\"simulated\":true,\"sizes\":3}"));
	json_release(&j);

	/* json_double: fixed decimals, null for what is not a number. */
	json_init(&j);
	json_object_begin(&j, NULL);
	json_double(&j, "a", 1.23456, 2);
	json_double(&j, "b", NAN, 3);
	json_double(&j, "c", INFINITY, 3);
	json_double(&j, "d", 5, 0);
	json_object_end(&j);
	CHECK_STR(j.sb.buf, "{\"a\":1.23,\"b\":null,\"c\":null,\"d\":5}");
	json_release(&j);
	bench_table_free(&t);
}

static void chart(void)
{
	struct bench_setup s = setup(1u << BENCH_READ | 1u << BENCH_WRITE, 1);
	struct bench_table t;
	struct strbuf sb;
	const char *p;
	int points = 0;

	bench_table_init(&t, &s, sizes, 3);
	sb_init(&sb);
	CHECK_EQ(bench_plot_svg(&t, &sb), -1);
	fill(&t);
	CHECK_EQ(bench_plot_svg(&t, &sb), 0);
	for (p = sb.buf; (p = strstr(p, "class=\"point\"")); p++)
		points++;
	CHECK_EQ(points, 6);
	CHECK(strstr(sb.buf, "data-x=\"8192\" data-y=\"21.5\""));
	CHECK(strstr(sb.buf, "data-x=\"4\" data-y=\"2\""));
	CHECK(strstr(sb.buf, "devebox-h750, ESP-PSRAM64H, QPI 4-4-4 (read "
			     "0xEB, write 0x38), 50.000 MHz"));
	CHECK(strstr(sb.buf, ">wire limit, read</text>"));
	CHECK(strstr(sb.buf, ">wire limit, write</text>"));
	CHECK(strstr(sb.buf, "Times modelled by psramsim"));
	sb_release(&sb);
	bench_table_free(&t);
}

/* Above the wire limit, or no time at all: an error, never a row. */
static void impossible_figures(void)
{
	struct bench_setup s = setup(1u << BENCH_READ | 1u << BENCH_WRITE, 1);
	struct bench_table t;
	const struct bench_row *row;
	struct strbuf why;

	sb_init(&why);
	bench_table_init(&t, &s, sizes, 3);
	CHECK(!add(&t, BENCH_READ, 1024, 10.0));
	row = add(&t, BENCH_WRITE, 1024, 10.0);
	CHECK(row != NULL);
	CHECK_EQ(bench_row_impossible(&s, row, &why), 0);
	CHECK(!add(&t, BENCH_READ, 8192, 30.0)); /* QPI 50 MHz: 25 MB/s raw */
	row = add(&t, BENCH_WRITE, 8192, 10.0);
	CHECK(row != NULL);
	CHECK(row->op[BENCH_READ].efficiency > 1.0);
	CHECK_EQ(bench_row_impossible(&s, row, &why), 1);
	CHECK(strstr(why.buf, "read of 8192 B at 30.00 MB/s is above the wire "
			      "limit") != NULL);
	sb_reset(&why);
	CHECK(!bench_table_add(&t, BENCH_READ, 4, 0, 400));
	row = add(&t, BENCH_WRITE, 4, 1.0);
	CHECK(row != NULL);
	CHECK_EQ(bench_row_impossible(&s, row, &why), 1);
	CHECK(strstr(why.buf, "read of 4 B took no measurable time") != NULL);
	sb_release(&why);
	bench_table_free(&t);
}

UNIT_MAIN("cli_bench_report", UNIT_TEST(impossible_figures),
	  UNIT_TEST(medians_and_limits),
	  UNIT_TEST(even_repeat_and_one_op), UNIT_TEST(table_text),
	  UNIT_TEST(csv_text), UNIT_TEST(json_text), UNIT_TEST(chart))
