/* Bus access costs (sim/cpu/bus_cost.h, docs/psramsim-cpu.md): the cost
 * expressions, the --bus-costs text form and its refusals, the address
 * lookup, the conversion to CPU cycles with the clock ratios, the write
 * buffer, and every built-in table. */
#include "unit.h"

#include <stdlib.h>

#include "cpu/bus_cost.h"

static struct bus_clock_hz test_hz;

static void test_clocks(void *ctx, struct bus_clock_hz *out)
{
	(void)ctx;
	*out = test_hz;
}

static int load_text(const char *text, struct bus_cost_table *t, char *err,
		     size_t errlen)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int r;

	if (!f)
		return -2;
	r = bus_cost_load_stream(f, "costs.txt", t, err, errlen);
	fclose(f);
	return r;
}

static void expr_terms(void)
{
	uint8_t c[BUS_CLOCKS];
	char err[160];

	CHECK_EQ(bus_cost_parse_expr("3ahb+2apb1", c, err, sizeof(err)), 0);
	CHECK_EQ(c[BUS_CLK_AHB], 3);
	CHECK_EQ(c[BUS_CLK_APB1], 2);
	CHECK_EQ(c[BUS_CLK_CPU], 0);
	CHECK_EQ(bus_cost_parse_expr("7", c, err, sizeof(err)), 0);
	CHECK_EQ(c[BUS_CLK_CPU], 7);
	CHECK_EQ(bus_cost_parse_expr("1ahb+1ahb+2ws+1", c, err, sizeof(err)),
		 0);
	CHECK_EQ(c[BUS_CLK_AHB], 2);
	CHECK_EQ(c[BUS_CLK_WS], 2);
	CHECK_EQ(c[BUS_CLK_CPU], 1);
}

static void expr_refused(void)
{
	static const char *const bad[] = {
		"", "ahb", "3xyz", "3+", "+3", "256", "200ahb+100ahb", "3 ahb",
		"-1", "3apb5",
	};
	uint8_t c[BUS_CLOCKS];
	char err[160];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		CHECK_EQ(bus_cost_parse_expr(bad[i], c, err, sizeof(err)), -1);
		CHECK(err[0] != '\0');
	}
}

static void file_rows(void)
{
	struct bus_cost_table t;
	char err[300];

	CHECK_EQ(load_text("# comment\n\n"
			   "0x52005000 0x52005fff 4ahb 3ahb QUADSPI regs\n"
			   "  0x58024400\t0x580247FF 5ahb 4ahb clocks RCC # x\n",
			   &t, err, sizeof(err)),
		 0);
	CHECK_EQ(t.count, 2);
	CHECK_EQ(t.row[0].base, 0x52005000U);
	CHECK_EQ(t.row[0].last, 0x52005FFFU);
	CHECK_STR(t.row[0].name, "QUADSPI regs");
	CHECK_EQ(t.row[0].flags, 0);
	CHECK_EQ(t.row[1].flags, BUS_COST_CLOCKS);
	CHECK_STR(t.row[1].name, "RCC");
	CHECK_EQ(load_text("", &t, err, sizeof(err)), 0);
	CHECK_EQ(t.count, 0);
}

static void file_refusals(void)
{
	static const struct {
		const char *text, *says;
	} bad[] = {
		{"0x40000000 0x400003ff 3 1\n", "costs.txt:1: row"},
		{"x 0x400003ff 3 1 A\n", "costs.txt:1: 'x 0x400003ff'"},
		{"0x40000001 0x400003ff 3 1 A\n", "costs.txt:1: range"},
		{"0x40000000 0x400003fe 3 1 A\n", "costs.txt:1: range"},
		{"0x40000400 0x400003ff 3 1 A\n", "costs.txt:1: range"},
		{"0x40000000 0x400003ff 3q 1 A\n", "costs.txt:1: cost term"},
		{"# ok\n0x40000000 0x400007ff 3 1 A\n"
		 "0x40000400 0x40000bff 3 1 B\n",
		 "costs.txt:3: 'B' overlaps 'A'"},
		{"0x100000000 0x1000003ff 3 1 A\n", "costs.txt:1:"},
		{"0x40000000 0x400003ff 3 1 clocks\n", "costs.txt:1: row"},
		/* A form feed is blank to the reader's trim but not a field
		 * separator: refused, not read as a name that vanishes. */
		{"0x40000000 0x400003ff 3 1 \f\f\n",
		 "costs.txt:1: control character 0x0c"},
		{"0x40000000 0x400003ff 3 1 A\vB\n",
		 "costs.txt:1: control character 0x0b"},
	};
	struct bus_cost_table t;
	char err[300];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		CHECK_EQ(load_text(bad[i].text, &t, err, sizeof(err)), -1);
		if (strncmp(err, bad[i].says, strlen(bad[i].says)) != 0) {
			printf("  case %zu: '%s'\n", i, err);
			CHECK(0);
		}
		CHECK(strchr(err, '\n') == NULL);
	}
}

static void file_too_many_rows(void)
{
	char *text = malloc(80 * (BUS_COST_MAX_ROWS + 1) + 1);
	struct bus_cost_table t;
	char err[300];
	size_t n = 0;

	CHECK(text != NULL);
	for (unsigned i = 0; i <= BUS_COST_MAX_ROWS; i++)
		n += (size_t)sprintf(text + n, "0x%08x 0x%08x 1 1 r%u\n",
				     i * 0x400U, i * 0x400U + 0x3FFU, i);
	CHECK_EQ(load_text(text, &t, err, sizeof(err)), -1);
	free(text);
	CHECK(strstr(err, "more than") != NULL);
}

static void file_missing(void)
{
	struct bus_cost_table t;
	char err[300];

	CHECK_EQ(bus_cost_load("/nonexistent/costs", &t, err, sizeof(err)),
		 -1);
	CHECK(strstr(err, "/nonexistent/costs: ") == err);
}

/* The text form written back reads as the same table. */
static void round_trip(void)
{
	struct bus_cost_table a, b;
	char *buf = NULL, err[300];
	size_t len = 0;
	FILE *f;

	bus_cost_builtin(MCU_STM32H74X, &a);
	f = open_memstream(&buf, &len);
	CHECK(f != NULL);
	bus_cost_write(f, &a);
	fclose(f);
	CHECK_EQ(load_text(buf, &b, err, sizeof(err)), 0);
	free(buf);
	CHECK_EQ(b.count, a.count);
	for (unsigned i = 0; i < a.count; i++) {
		CHECK_EQ(b.row[i].base, a.row[i].base);
		CHECK_EQ(b.row[i].last, a.row[i].last);
		CHECK_EQ(b.row[i].flags, a.row[i].flags);
		CHECK(memcmp(b.row[i].rd, a.row[i].rd, BUS_CLOCKS) == 0);
		CHECK(memcmp(b.row[i].wr, a.row[i].wr, BUS_CLOCKS) == 0);
		CHECK_STR(b.row[i].name, a.row[i].name);
	}
}

/* Each built-in table: rows in order, no overlap, 1 KiB aligned, a source
 * for every row, the TCMs free and the QUADSPI registers charged. */
static void builtin_tables(void)
{
	static const enum mcu_line lines[] = {MCU_STM32H74X, MCU_STM32H7A3,
					      MCU_STM32F74X, MCU_STM32F76X};

	for (size_t l = 0; l < 4; l++) {
		struct bus_cost_table t;
		struct bus_cost *bc;
		uint32_t qspi = lines[l] >= MCU_STM32F74X ? 0xA0001000U
							  : 0x52005000U;
		unsigned row;

		bus_cost_builtin(lines[l], &t);
		CHECK(t.count > 10);
		for (unsigned i = 0; i < t.count; i++) {
			CHECK(bus_cost_builtin_source(lines[l], t.row[i].base));
			CHECK_EQ(t.row[i].base % BUS_COST_ALIGN, 0);
			CHECK_EQ((t.row[i].last + 1U) % BUS_COST_ALIGN, 0);
			if (i)
				CHECK(t.row[i].base > t.row[i - 1].last);
		}
		bc = bus_cost_new(&t);
		CHECK(bc != NULL);
		bus_cost_refresh(bc, 64000000U);
		row = bus_cost_row_of(bc, 0x20000000U);
		CHECK(row != 0);
		CHECK_EQ(bc->rd_cycles[row], 0);
		row = bus_cost_row_of(bc, qspi + 8);
		CHECK(row != 0);
		CHECK(bc->rd_cycles[row] > 0);
		CHECK(bus_cost_row_of(bc, 0xE000E010U) == 0);
		bus_cost_free(bc);
	}
}

static void set_hz(uint32_t cpu, uint32_t ahb, uint32_t apb, unsigned ws)
{
	memset(&test_hz, 0, sizeof(test_hz));
	test_hz.hz[BUS_CLK_CPU] = cpu;
	test_hz.hz[BUS_CLK_AHB] = ahb;
	for (unsigned k = BUS_CLK_APB1; k <= BUS_CLK_APB4; k++)
		test_hz.hz[k] = apb;
	test_hz.flash_ws = ws;
}

/* The H74x table with every clock at 64 MHz (the reset HSI) and no flash
 * wait state until a test calls set_hz. */
static struct bus_cost *h7_costs(void)
{
	struct bus_cost_table t;
	struct bus_cost *bc;

	set_hz(64000000U, 64000000U, 64000000U, 0);
	bus_cost_builtin(MCU_STM32H74X, &t);
	bc = bus_cost_new(&t);
	if (bc)
		bus_cost_set_clocks(bc, test_clocks, NULL);
	return bc;
}

/* Rows sharing a 64 KiB page (the AHB3 block, 1 KiB sub-pages) and whole
 * pages each find their own row. */
static void lookup_pages(void)
{
	struct bus_cost *bc = h7_costs();

	CHECK(bc != NULL);
	CHECK_STR(bc->table.row[bus_cost_row_of(bc, 0x52005008U) - 1].name,
		  "QUADSPI/OCTOSPI1 registers and FIFO");
	CHECK_STR(bc->table.row[bus_cost_row_of(bc, 0x52004FFCU) - 1].name,
		  "AHB3 (D1): JPEG, FMC");
	CHECK_STR(bc->table.row[bus_cost_row_of(bc, 0x52002000U) - 1].name,
		  "FLASH registers (AHB3)");
	CHECK_STR(bc->table.row[bus_cost_row_of(bc, 0x58024400U) - 1].name,
		  "RCC (AHB4)");
	CHECK_STR(bc->table.row[bus_cost_row_of(bc, 0x580243FCU) - 1].name,
		  "AHB4 (D3): GPIO");
	CHECK_STR(bc->table.row[bus_cost_row_of(bc, 0x40014424U) - 1].name,
		  "APB2 (D2)");
	CHECK_STR(bc->table.row[bus_cost_row_of(bc, 0x9FFFFFFCU) - 1].name,
		  "QUADSPI/OCTOSPI1 memory-mapped window");
	CHECK_EQ(bus_cost_row_of(bc, 0x60000000U), 0);
	CHECK(bc->nsub >= 2);
	bus_cost_free(bc);
}

/* Cycles of the bus clocks become CPU cycles by the clock ratio. */
static void ratios(void)
{
	struct bus_cost *bc = h7_costs();
	struct vclock clk = {.cycles = 1000, .cpu_hz = 64000000U};

	CHECK(bc != NULL);
	bus_cost_charge(bc, &clk, 0x52005008U, false);	/* 4ahb */
	CHECK_EQ(clk.cycles, 1004);
	bus_cost_charge(bc, &clk, 0x40014424U, false);	/* 3ahb+2apb2 */
	CHECK_EQ(clk.cycles, 1009);
	/* 400 MHz core, 200 MHz AHB, 100 MHz APB, 2 flash wait states. */
	set_hz(400000000U, 200000000U, 100000000U, 2);
	clk.cpu_hz = 400000000U;
	bus_cost_charge(bc, &clk, 0x52005008U, false);
	CHECK_EQ(clk.cycles, 1009 + 8);
	bus_cost_charge(bc, &clk, 0x40014424U, false);
	CHECK_EQ(clk.cycles, 1017 + 6 + 8);
	bus_cost_charge(bc, &clk, 0x08000000U, false);	/* 2ahb+1ws */
	CHECK_EQ(clk.cycles, 1031 + 4 + 4);
	/* TCM and the PPB: nothing. */
	bus_cost_charge(bc, &clk, 0x20000000U, false);
	bus_cost_charge(bc, &clk, 0xE0001004U, false);
	CHECK_EQ(clk.cycles, 1039);
	CHECK_EQ(bc->charged, 39);
	bus_cost_free(bc);
}

/* A prescaler written through the RCC row is seen at the next access,
 * with the core clock unchanged. */
static void clock_writes_refresh(void)
{
	struct bus_cost *bc = h7_costs();
	struct vclock clk = {.cycles = 0, .cpu_hz = 64000000U};

	CHECK(bc != NULL);
	bus_cost_charge(bc, &clk, 0x52005008U, false);
	CHECK_EQ(clk.cycles, 4);
	set_hz(64000000U, 32000000U, 32000000U, 0);
	bus_cost_charge(bc, &clk, 0x52005008U, false);
	CHECK_EQ(clk.cycles, 8);	/* not yet told */
	bus_cost_charge(bc, &clk, 0x58024418U, true);	/* RCC_D1CFGR */
	clk.cycles = 100;
	bus_cost_charge(bc, &clk, 0x52005008U, false);
	/* The read waits for the RCC write (4ahb at the new ratio 2). */
	CHECK_EQ(clk.cycles, 108);
	bus_cost_free(bc);
}

/* Posted writes: free while the buffer is empty, a wait for the previous
 * one to drain otherwise; a read waits for the buffer to drain. */
static void write_buffer(void)
{
	struct bus_cost *bc = h7_costs();
	struct vclock clk = {.cycles = 0, .cpu_hz = 64000000U};

	CHECK(bc != NULL);
	bus_cost_charge(bc, &clk, 0x5200500CU, true);	/* 3ahb */
	CHECK_EQ(clk.cycles, 0);
	clk.cycles = 1;
	bus_cost_charge(bc, &clk, 0x5200500CU, true);	/* waits to 3 */
	CHECK_EQ(clk.cycles, 3);
	clk.cycles = 4;
	bus_cost_charge(bc, &clk, 0x52005008U, false);	/* drain at 6, +4 */
	CHECK_EQ(clk.cycles, 10);
	clk.cycles = 20;
	bus_cost_charge(bc, &clk, 0x52005008U, false);	/* drained: +4 */
	CHECK_EQ(clk.cycles, 24);
	bus_cost_free(bc);
}

/* Replacing the table drops the old rows. */
static void replace_table(void)
{
	struct bus_cost *bc = h7_costs();
	struct bus_cost_table t;
	struct vclock clk = {.cycles = 0, .cpu_hz = 64000000U};
	char err[200];

	CHECK(bc != NULL);
	CHECK_EQ(load_text("0x52005000 0x520053ff 10 0 QUADSPI\n", &t, err,
			   sizeof(err)),
		 0);
	CHECK_EQ(bus_cost_set_table(bc, &t), 0);
	bus_cost_charge(bc, &clk, 0x52005008U, false);
	CHECK_EQ(clk.cycles, 10);
	bus_cost_charge(bc, &clk, 0x58020010U, false);	/* no row now */
	CHECK_EQ(clk.cycles, 10);
	bus_cost_free(bc);
}

UNIT_MAIN("sim_bus_cost", {"expr_terms", expr_terms},
	  {"expr_refused", expr_refused}, {"file_rows", file_rows},
	  {"file_refusals", file_refusals},
	  {"file_too_many_rows", file_too_many_rows},
	  {"file_missing", file_missing}, {"round_trip", round_trip},
	  {"builtin_tables", builtin_tables}, {"lookup_pages", lookup_pages},
	  {"ratios", ratios}, {"clock_writes_refresh", clock_writes_refresh},
	  {"write_buffer", write_buffer}, {"replace_table", replace_table})
