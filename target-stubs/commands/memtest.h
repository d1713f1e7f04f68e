/*
 * The pieces of the memtest command (memtest.c says what the tests
 * are): the state of a run, moving data within tCEM and reporting what
 * is wrong (memtest_io.c), the data of the array tests and those tests
 * (memtest_data.c), the bus tests (memtest_bus.c), page crossing
 * (memtest_page.c) and line activity (memtest_lines.c).
 */
#ifndef TARGET_STUBS_MEMTEST_H
#define TARGET_STUBS_MEMTEST_H

#include <stdbool.h>
#include <stdint.h>

#include "runtime/board_setup.h"
#include "chip/psram_pace.h"
#include "chip/psram_protocol.h"
#include "runtime/ring.h"

/* Data move in page-sized chunks: no burst crosses a page unless the
 * page test makes it. */
#define MT_CHUNK PSRAM_PAGE_BYTES
#define MT_PAGE_HALF 7U		/* odd and not a multiple of 3: see memtest_page.c */
/* mt_report_error: the flags given already tell lasting from transient. */
#define MT_ERR_KNOWN 0x8000U

enum pat_kind {
	PAT_CONST,
	PAT_CHECKER,
	PAT_WALK1,
	PAT_WALK0,
	PAT_RANDOM,
	PAT_COUNT,
	PAT_COUNT_INV,
};

struct pattern {
	uint8_t kind;
	uint32_t value;
};

enum { MT_READ, MT_WRITE };

struct memtest {
	struct stub_ctx *ctx;
	struct psram *p;
	uint32_t read_cmd, write_cmd;
	uint32_t start, end;		/* the range */
	uint32_t width;			/* unit bytes */
	uint32_t move;			/* bytes per mapped load or store:
					 * the width, or 8 (STUB_WIDTH_64) */
	uint32_t mask;			/* unit bits */
	uint32_t pass;
	uint32_t seed;
	uint32_t max_errors, sent;
	uint32_t test_errors;		/* units wrong in the current test */
	uint32_t test_bytes;		/* bytes checked in the current test */
	uint64_t test_start;		/* timer_now64 */
	uint64_t done, total;		/* progress: bytes moved */
	uint64_t next_progress;
	uint32_t shift;			/* total >> shift fits a record */
	uint16_t test;			/* test bit number */
	struct psram_pace pace[2];	/* MT_READ, MT_WRITE */
	/* --mode mapped: data moves by CPU loads and stores of `width`
	 * through the window (writes indirect where the controller maps
	 * reads only). */
	bool mapped;
	uint32_t window;
	/* Sequential mapped reads since NCS last rose, where the controller
	 * keeps one burst going (stub_map.run_bytes; 0 = no limit). */
	uint32_t run_limit;
	uint32_t run_start;		/* window address the run began at */
	bool run_open;
	/* What mt_wbuf holds: position-independent data may be reused. */
	bool wbuf_const;
	uint32_t wbuf_value;
	uint32_t wbuf_width;
};

/* The expected data (written, or compared with) and what was read. */
extern uint32_t mt_wbuf[MT_CHUNK / 4U];
extern uint32_t mt_rbuf[MT_CHUNK / 4U];

/* ---- memtest_io.c ---- */
uint32_t mt_unit_mask(uint32_t width);
/* STUB_STATUS_STOPPED once the host asked, else OK. */
int mt_stopped(const struct memtest *m);
/* Counts bytes moved; a PROGRESS record every 64 KiB. */
int mt_progress(struct memtest *m, uint32_t bytes);
/* Reads and writes in the current mode, cut so that CE# stays low within
 * tCEM however fast the CPU serves the FIFO. */
int mt_chip_write(struct memtest *m, uint32_t off, const void *buf,
		  uint32_t n);
int mt_chip_read(struct memtest *m, uint32_t off, void *buf, uint32_t n);
void mt_pace_reset(struct memtest *m);
int mt_read_again(struct memtest *m, uint32_t off, uint32_t width,
		  uint32_t *again);
/* One wrong unit: counted, and reported (ERROR record) while under
 * max_errors. */
int mt_report_error(struct memtest *m, uint32_t off, uint32_t width,
		    uint32_t written, uint32_t got, uint32_t flags);
void mt_test_begin(struct memtest *m, uint32_t test_bit);
/* The TEST record of the test. */
int mt_test_end(struct memtest *m, uint32_t width, uint32_t checked);
/* The chip in SPI mode, however its lines are (exits repeated). */
int mt_leave_qpi(struct memtest *m);
/* --mode mapped: QPI and the controller's memory-mapped mode with the
 * settings of the mailbox; mt_unmap ends it (the window blocked again). */
int mt_map(struct memtest *m);
/* Before a mapped load of [addr, addr + size): if it would stretch the
 * current burst past stub_map.run_bytes, waits for NCS to rise first. */
int mt_map_run(struct memtest *m, uint32_t addr, uint32_t size);
int mt_unmap(struct memtest *m);

/* ---- memtest_data.c ---- */
uint32_t mt_mix(uint32_t x);
uint32_t mt_unit_value(const struct memtest *m, const struct pattern *pt,
		       uint32_t i);
void mt_put_unit(uint8_t *buf, uint32_t width, uint32_t v);
uint32_t mt_get_unit(const uint8_t *buf, uint32_t width);
/* The expected contents of [off, off + n) into mt_wbuf. */
void mt_generate(struct memtest *m, const struct pattern *pt, uint32_t off,
		 uint32_t n);
int mt_compare(struct memtest *m, uint32_t off, const uint8_t *want,
	       const uint8_t *got, uint32_t n, uint32_t width);
uint32_t mt_chunk_len(const struct memtest *m, uint32_t off);
int mt_fill(struct memtest *m, const struct pattern *pt);
int mt_verify(struct memtest *m, const struct pattern *pt);
int mt_fill_verify(struct memtest *m, const struct pattern *pt);

/* ---- the tests; each ends with its TEST record ---- */
int mt_device(struct memtest *m);
int mt_patterns(struct memtest *m);
int mt_retention(struct memtest *m);
int mt_data_bus(struct memtest *m);
int mt_address_bus(struct memtest *m);
int mt_page(struct memtest *m);
int mt_lines(struct memtest *m);
int mt_access(struct memtest *m);

uint32_t mt_sat16(uint32_t v);

#endif
