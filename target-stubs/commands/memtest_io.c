/* Moving data for the memory tests within the chip's limits, and
 * reporting what they find: progress, wrong units, test ends. */
#include "commands/memtest.h"

#include "regs/mmio.h"
#include "regs/regs_scb.h"
#include "runtime/core.h"

#define MT_PROGRESS_STEP 65536U

uint32_t mt_wbuf[MT_CHUNK / 4U];
uint32_t mt_rbuf[MT_CHUNK / 4U];

uint32_t mt_unit_mask(uint32_t width)
{
	return width == 4U ? 0xFFFFFFFFU : (1U << (8U * width)) - 1U;
}

static uint32_t bit_number(uint32_t test_bit)
{
	uint32_t n = 0;

	while (test_bit > 1U) {
		test_bit >>= 1;
		n++;
	}
	return n;
}

int mt_stopped(const struct memtest *m)
{
	return stub_stop_requested(m->ctx) ? STUB_STATUS_STOPPED
					    : STUB_STATUS_OK;
}

int mt_progress(struct memtest *m, uint32_t bytes)
{
	int st;

	m->done += bytes;
	if (m->done < m->next_progress && m->done < m->total)
		return mt_stopped(m);
	m->next_progress = m->done + MT_PROGRESS_STEP;
	st = ring_progress(m->ctx, m->test, (uint32_t)(m->done >> m->shift),
			   (uint32_t)(m->total >> m->shift), m->pass);
	return st == STUB_STATUS_OK ? mt_stopped(m) : st;
}

/* ---- tCEM with the CPU in the loop -------------------------------------
 * With byte or halfword DR accesses the CPU can be slower than the wire:
 * every burst is cut from the FIFO service time measured
 * (chip/psram_pace.h), per direction, in units of the access width. */

static int chip_xfer(struct memtest *m, uint32_t dir, uint32_t off,
		     uint8_t *in, const uint8_t *out, uint32_t len)
{
	int st = dir == MT_READ
			 ? psram_read_paced(m->p, &m->pace[MT_READ],
					    m->read_cmd, off, in, len,
					    m->width)
			 : psram_write_paced(m->p, &m->pace[MT_WRITE],
					     m->write_cmd, off, out, len,
					     m->width);

	return st == STUB_STATUS_OK ? st : bus_status(m->ctx, st);
}

void mt_pace_reset(struct memtest *m)
{
	psram_pace_reset(&m->pace[MT_READ]);
	psram_pace_reset(&m->pace[MT_WRITE]);
}

/* ---- memory-mapped moves ------------------------------------------------
 * CPU loads and stores of the unit width through the window (with
 * STUB_WIDTH_64, LDRD/STRD of two 32-bit units); a part not aligned to
 * the width moves in bytes (an unaligned access to Device
 * memory faults, ARMv7-M ARM A3.2.1). With a cacheable MPU attribute the
 * lines are cleaned after the stores and invalidated before the loads, so
 * that what is compared is what the chip holds. */

/* Bytes per load or store: 8 in the 64-bit pass, else the unit. */
static uint32_t move_of(const struct memtest *m)
{
	return m->move ? m->move : m->width;
}

static uint32_t unit_for(uint32_t addr, uint32_t left, uint32_t width)
{
	return left >= width && (addr & (width - 1U)) == 0U ? width : 1U;
}

static int mapped_load(struct memtest *m, uint32_t win, uint8_t *dst,
		       uint32_t n, uint32_t width)
{
	while (n != 0U) {
		uint32_t u = unit_for(win, n, width), v;
		int st = mt_map_run(m, win, u);

		if (st != STUB_STATUS_OK)
			return st;
		if (u == 8U) {
			uint64_t d = *(volatile uint64_t *)win;

			for (uint32_t i = 0; i < 8U; i++)
				dst[i] = (uint8_t)(d >> (8U * i));
			dst += 8U;
			win += 8U;
			n -= 8U;
			continue;
		}
		if (u == 4U)
			v = *(volatile uint32_t *)win;
		else if (u == 2U)
			v = *(volatile uint16_t *)win;
		else
			v = *(volatile uint8_t *)win;
		for (uint32_t i = 0; i < u; i++)
			dst[i] = (uint8_t)(v >> (8U * i));
		dst += u;
		win += u;
		n -= u;
	}
	return STUB_STATUS_OK;
}

static void mapped_store(uint32_t win, const uint8_t *src, uint32_t n,
			 uint32_t width)
{
	while (n != 0U) {
		uint32_t u = unit_for(win, n, width), v = 0U;

		if (u == 8U) {
			uint64_t d = 0U;

			for (uint32_t i = 0; i < 8U; i++)
				d |= (uint64_t)src[i] << (8U * i);
			*(volatile uint64_t *)win = d;
			src += 8U;
			win += 8U;
			n -= 8U;
			continue;
		}
		for (uint32_t i = 0; i < u; i++)
			v |= (uint32_t)src[i] << (8U * i);
		if (u == 4U)
			*(volatile uint32_t *)win = v;
		else if (u == 2U)
			*(volatile uint16_t *)win = (uint16_t)v;
		else
			*(volatile uint8_t *)win = (uint8_t)v;
		src += u;
		win += u;
		n -= u;
	}
}

int mt_map(struct memtest *m)
{
	const volatile struct stub_params *prm = &m->ctx->mb->params;
	struct stub_map cfg = {
		prm->map.mpu,	  prm->map.flags,   prm->map.timeout,
		prm->map.csbound, prm->map.refresh, prm->map.maxtran,
		prm->map.mtyp,	  0U,
	};
	uint32_t size_log2 = 0U;
	int st;

	st = bus_status(m->ctx, psram_map(m->p, m->read_cmd, m->write_cmd,
					  &cfg));
	if (st != STUB_STATUS_OK)
		return st;
	while ((1U << size_log2) < m->p->size)
		size_log2++;
	core_mpu_map_window(m->window, size_log2, cfg.mpu);
	m->mapped = true;
	m->run_limit = m->p->bus->map_writes ? 0U : prm->map.run_bytes;
	m->run_open = false;
	return STUB_STATUS_OK;
}

/* A QUADSPI has no REFRESH and no CSBOUND: a run of sequential mapped
 * reads that the core takes faster than the wire is one burst with CE#
 * low (RM0433 §23.3.13), however long. The host sizes the runs to tCEM
 * (cli/stub/map_recommend.c); between them the transport lets NCS rise
 * through the timeout counter. With a cacheable window each miss is a
 * whole 32-byte line fill, so a run is counted in lines. */
int mt_map_run(struct memtest *m, uint32_t addr, uint32_t size)
{
	uint32_t mpu = m->ctx->mb->params.map.mpu;
	uint32_t align = mpu == STUB_MPU_WT || mpu == STUB_MPU_WB
				 ? CACHE_LINE_BYTES : 1U;
	uint32_t lo = addr & ~(align - 1U);
	uint32_t hi = (addr + size + align - 1U) & ~(align - 1U);
	struct xspi *x = m->p->bus;
	int st;

	if (m->run_limit == 0U || x->ops->map_release == NULL)
		return STUB_STATUS_OK;
	if (m->run_open && lo >= m->run_start &&
	    hi - m->run_start <= m->run_limit)
		return STUB_STATUS_OK;
	if (m->run_open) {
		st = bus_status(m->ctx, x->ops->map_release(x));
		if (st != STUB_STATUS_OK)
			return st;
	}
	m->run_start = lo;
	m->run_open = true;
	return STUB_STATUS_OK;
}

int mt_unmap(struct memtest *m)
{
	int st;

	if (!m->mapped)
		return STUB_STATUS_OK;
	m->mapped = false;
	/* The controller first: leaving memory-mapped mode reads the window
	 * (octospi_unmap), which the MPU then blocks again. The stores
	 * already cleaned their lines; that read must also miss in the data
	 * cache to reach the controller and wait for the writes it holds
	 * (a cached line at the window's start would answer it). */
	core_dcache_flush(m->window, CACHE_LINE_BYTES);
	st = bus_status(m->ctx, psram_unmap(m->p));
	core_mpu_unmap_window(m->window);
	return st;
}

int mt_chip_write(struct memtest *m, uint32_t off, const void *buf,
		      uint32_t n)
{
	int st;

	if (!m->mapped)
		return chip_xfer(m, MT_WRITE, off, NULL, buf, n);
	if (m->p->bus->map_writes) {
		mapped_store(m->window + off, buf, n, move_of(m));
		if (!(m->ctx->mb->params.map.flags & STUB_MAP_NO_CLEAN))
			core_dcache_flush(m->window + off, n);
		barrier_sync();
		return STUB_STATUS_OK;
	}
	/* Reads mapped, writes indirect (a QUADSPI maps reads only). */
	st = mt_unmap(m);
	if (st == STUB_STATUS_OK)
		st = chip_xfer(m, MT_WRITE, off, NULL, buf, n);
	if (st == STUB_STATUS_OK)
		st = mt_map(m);
	return st;
}

int mt_chip_read(struct memtest *m, uint32_t off, void *buf, uint32_t n)
{
	if (!m->mapped)
		return chip_xfer(m, MT_READ, off, buf, NULL, n);
	core_dcache_discard(m->window + off, n);
	return mapped_load(m, m->window + off, buf, n, move_of(m));
}

/* A second read of a unit that read wrong. */
int mt_read_again(struct memtest *m, uint32_t off, uint32_t width,
		      uint32_t *again)
{
	uint8_t buf[4];
	int st = mt_chip_read(m, off, buf, width);

	*again = mt_get_unit(buf, width);
	return st;
}

/* One wrong unit: counted always, reported while under max_errors after
 * a second read tells a lasting fault (the same wrong value again) from a
 * transient one (unless flags already say, MT_ERR_KNOWN). */
int mt_report_error(struct memtest *m, uint32_t off, uint32_t width,
			uint32_t written, uint32_t got, uint32_t flags)
{
	struct stub_record rec = {
		.type = STUB_REC_ERROR,
		.width = (uint8_t)width,
		.a = off,
		.b = written,
		.c = got,
	};
	uint32_t again;
	int st;

	m->test_errors++;
	m->ctx->mb->result.errors++;
	if (m->sent >= m->max_errors)
		return STUB_STATUS_OK;
	m->sent++;
	if (!(flags & MT_ERR_KNOWN)) {
		st = mt_read_again(m, off, width, &again);
		if (st != STUB_STATUS_OK)
			return st;
		if (again != got)
			flags |= STUB_ERR_TRANSIENT;
	}
	rec.code = (uint16_t)(m->test | (flags & ~MT_ERR_KNOWN));
	return ring_put(m->ctx, &rec);
}

void mt_test_begin(struct memtest *m, uint32_t test_bit)
{
	m->test = (uint16_t)bit_number(test_bit);
	m->test_errors = 0U;
	m->test_bytes = 0U;
	m->test_start = timer_now64();
}

int mt_test_end(struct memtest *m, uint32_t width, uint32_t checked)
{
	uint64_t cycles = timer_now64() - m->test_start;
	struct stub_record rec = {
		.type = STUB_REC_TEST,
		/* the 64-bit pass moves 32-bit units by LDRD/STRD */
		.width = (uint8_t)(m->move > width ? m->move : width),
		/* cycles bits 32-39 above the test number (stub_abi.h) */
		.code = (uint16_t)(m->test | (uint32_t)(cycles >> 32 & 0xFFU) << 8),
		.a = checked,
		.b = m->test_errors,
		.c = (uint32_t)cycles,
	};

	return ring_put(m->ctx, &rec);
}

/* ---- back to SPI mode ---------------------------------------------------
 * The chip keeps QPI mode until it understands an exit (0xF5) or a reset
 * in QPI form (docs/psram-chips.md §5). With IO0..IO3 sound one exit does;
 * with one of them open or tied the chip mishears the nibble on it, so an
 * exit gets through only now and then, and one that did not would leave
 * every later SPI command unheard. Hence the exits are repeated: to a chip
 * already in SPI mode a 4-line command is two clocks, too short to be
 * anything, and is dropped. A reset in both forms follows. */

#define MT_QPI_EXITS 64U

int mt_leave_qpi(struct memtest *m)
{
	int st0 = mt_unmap(m);

	if (st0 != STUB_STATUS_OK)
		return st0;
	for (uint32_t i = 0; i < MT_QPI_EXITS; i++) {
		int st;

		m->p->qpi = true;
		st = bus_status(m->ctx, psram_exit_qpi(m->p));
		if (st != STUB_STATUS_OK)
			return st;
	}
	return bus_status(m->ctx, psram_reset(m->p));
}
