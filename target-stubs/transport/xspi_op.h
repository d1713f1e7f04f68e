/*
 * xSPI operations as data, executed in one place per controller (the Linux
 * spi-mem shape): the chip layer builds a struct xspi_op, a transport
 * (quadspi_driver.c, octospi_driver.c, both on the indirect-mode engine
 * of xspi_indirect.h) turns it into registers. Transports report failures as enum stub_status values and
 * leave the details in struct xspi for the mailbox.
 */
#ifndef TARGET_STUBS_XSPI_H
#define TARGET_STUBS_XSPI_H

#include <stdbool.h>
#include <stdint.h>

#include "stub_abi.h"
#include "runtime/timer.h"

enum xspi_dir {
	XSPI_DIR_NONE = 0,	/* command (and address) only */
	XSPI_DIR_IN = 1,	/* read data from the chip */
	XSPI_DIR_OUT = 2,	/* write data to the chip */
};

/* One CE# low period. A line count of 0 means the phase is absent. */
struct xspi_op {
	uint8_t opcode;
	uint8_t cmd_lines;	/* 1, 2 or 4 */
	uint8_t addr_lines;	/* 0, 1, 2 or 4 */
	uint8_t addr_bytes;	/* 1..4 when addr_lines != 0 */
	uint8_t dummy_cycles;	/* CLK cycles between address and data */
	uint8_t data_lines;	/* 0, 1, 2 or 4 */
	uint8_t dir;		/* enum xspi_dir */
	uint32_t addr;
	uint32_t len;		/* data bytes */
	/* Data register access size in bytes: 1, 2 or 4, with a tail
	 * shorter than that moved in bytes; 0 = as 4. */
	uint8_t access;
	uint8_t *in;		/* XSPI_DIR_IN */
	const uint8_t *out;	/* XSPI_DIR_OUT */
};

struct xspi_config {
	uint32_t kernel_hz;
	uint32_t clock_hz;	/* upper bound for the bus clock */
	uint32_t cs_high_ns;	/* minimum nCS high time between commands */
	uint32_t clk_high_ps;	/* minimum CLK high time */
	uint32_t size_log2;	/* device size: 2^size_log2 bytes */
	uint32_t sample_shift;	/* enum stub_sample_shift */
};

struct xspi;

/* A transport's operations. init, supports and exec are always there;
 * the rest may be NULL in a table for an image whose commands never call
 * them (quadspi_read_ops, octospi_read_ops: what eid runs), so that the
 * image does not carry their code. */
struct xspi_ops {
	/* Configures a freshly reset controller; fills xspi.setup. */
	int (*init)(struct xspi *x, const struct xspi_config *cfg);
	bool (*supports)(const struct xspi *x, const struct xspi_op *op);
	/* Runs one op in indirect mode; on any failure the controller has
	 * been through the abort path and is idle again. */
	int (*exec)(struct xspi *x, const struct xspi_op *op);
	/* Runs `op` (with an address and data) over [addr, addr + len) as
	 * consecutive bursts, one CE# low period each, of at most `burst`
	 * bytes and none across a multiple of `boundary` (a power of two;
	 * 0 = none): what exec would do burst by burst, with the frame set
	 * up once and the next burst started as soon as the last ends. */
	int (*exec_bursts)(struct xspi *x, const struct xspi_op *op,
			   uint32_t burst, uint32_t boundary);
	/* Memory-mapped mode: CPU reads of the window run `rd` (address and
	 * length from the access), writes run `wr` where the controller maps
	 * writes (it sets map_writes; a QUADSPI maps reads only). The
	 * settings come from cfg. unmap returns to indirect mode. */
	int (*map)(struct xspi *x, const struct xspi_op *rd,
		   const struct xspi_op *wr, const struct stub_map *cfg);
	int (*unmap)(struct xspi *x);
	/* Mapped mode: returns once the controller has let NCS rise after
	 * the last access, so that the next read starts a new burst (for
	 * tCEM). NULL where the controller ends bursts itself (REFRESH). */
	int (*map_release)(struct xspi *x);
};

struct xspi {
	const struct xspi_ops *ops;
	const struct timer *timer;
	uint32_t base;		/* registers */
	uint32_t window;	/* memory-mapped window */
	uint32_t size_log2;
	bool map_writes;	/* mapped mode takes CPU writes too */
	struct stub_xspi_setup setup;
	/* Workarounds the transport applied, for the log. */
	void (*event)(void *arg, uint16_t code, uint32_t a, uint32_t b);
	void *event_arg;
	/* Why the last call failed: enum stub_detail and two values. */
	uint32_t fail_detail;
	uint32_t fail_a;
	uint32_t fail_b;
};

static inline int xspi_fail(struct xspi *x, int status, uint32_t detail,
			    uint32_t a, uint32_t b)
{
	x->fail_detail = detail;
	x->fail_a = a;
	x->fail_b = b;
	return status;
}

/* Deadlines for an op and for a sequence of `bursts` of it, from their
 * wire time (xspi_deadline.c). */
uint32_t xspi_op_timeout_us(const struct xspi *x, const struct xspi_op *op);
uint32_t xspi_bursts_timeout_us(const struct xspi *x,
				const struct xspi_op *op, uint32_t bursts);

static inline void xspi_event(struct xspi *x, uint16_t code, uint32_t a,
			      uint32_t b)
{
	if (x->event)
		x->event(x->event_arg, code, a, b);
}

#endif
