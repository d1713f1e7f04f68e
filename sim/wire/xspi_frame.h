/* One command on the xSPI bus, described the way the controller sends it:
 * five phases (instruction, address, alternate bytes, dummy cycles, data),
 * each with its own line count and cycle count, SDR. Widths and cycles are
 * kept per phase because QPI, dummy cycles and per-line faults cannot be
 * expressed as bytes (RM0399 §24.3.3). The controller model fills a frame
 * from its registers; the wire layer clocks it out to the chip. */
#ifndef SIM_XSPI_H
#define SIM_XSPI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum xspi_phase_id {
	XSPI_PH_INSTR,
	XSPI_PH_ADDR,
	XSPI_PH_ALT,
	XSPI_PH_DUMMY,
	XSPI_PH_DATA,
	XSPI_PHASES
};

enum xspi_dir {
	XSPI_DIR_NONE,	/* no data phase */
	XSPI_DIR_WRITE,	/* controller → chip */
	XSPI_DIR_READ,	/* chip → controller */
};

/* A data phase with no programmed end (DLR all ones with FSIZE = 31, or a
 * memory-mapped prefetch burst). */
#define XSPI_LEN_UNBOUNDED UINT64_MAX

struct xspi_phase {
	uint8_t lines;		/* 0 = phase absent, else 1, 2 or 4 */
	uint8_t bytes;		/* instruction 1, address/alternate 1–4 */
	uint32_t value;		/* instruction, address or alternate bytes */
	uint32_t cycles;	/* CLK cycles of the phase (data: per byte) */
};

struct xspi_frame {
	struct xspi_phase ph[XSPI_PHASES];
	enum xspi_dir dir;
	uint64_t data_len;	/* bytes; XSPI_LEN_UNBOUNDED for no end */
	uint32_t clk_hz;	/* CLK of this command */
};

/* Sets phase `id` of f: `lines` 0/1/2/4, `bytes` of `value` sent MSB first
 * (dummy: `bytes` unused, `cycles` given; data: per-byte cycles derived). */
static inline void xspi_frame_phase(struct xspi_frame *f,
				    enum xspi_phase_id id, unsigned lines,
				    unsigned bytes, uint32_t value,
				    uint32_t dummy_cycles)
{
	struct xspi_phase *p = &f->ph[id];

	p->lines = (uint8_t)lines;
	p->bytes = (uint8_t)bytes;
	p->value = value;
	if (!lines)
		p->cycles = id == XSPI_PH_DUMMY ? dummy_cycles : 0;
	else if (id == XSPI_PH_DUMMY)
		p->cycles = dummy_cycles;
	else if (id == XSPI_PH_DATA)
		p->cycles = 8 / lines;
	else
		p->cycles = 8U * bytes / lines;
}

/* CLK cycles before the data phase (instruction to dummy). */
static inline uint32_t xspi_frame_header_cycles(const struct xspi_frame *f)
{
	return f->ph[XSPI_PH_INSTR].cycles + f->ph[XSPI_PH_ADDR].cycles +
	       f->ph[XSPI_PH_ALT].cycles + f->ph[XSPI_PH_DUMMY].cycles;
}

/* "1-4-4"-style line counts of instruction, address and data. */
static inline void xspi_frame_modes(const struct xspi_frame *f, char *buf,
				    size_t len)
{
	snprintf(buf, len, "%u-%u-%u", f->ph[XSPI_PH_INSTR].lines,
		 f->ph[XSPI_PH_ADDR].lines, f->ph[XSPI_PH_DATA].lines);
}

#endif
