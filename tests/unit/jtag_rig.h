/* The TAP chain the JTAG tests share (sim_jtag.c, sim_adi.c), driven bit
 * by bit the way OpenOCD 0.12's bitbang driver drives it
 * (src/jtag/drivers/bitbang.c): per bit write(TCK=0), an optional TDO
 * read, write(TCK=1); one more TCK=0 write after every state move. The
 * file that includes this header owns the chain below. */
#ifndef TESTS_UNIT_JTAG_RIG_H
#define TESTS_UNIT_JTAG_RIG_H

#include <stdbool.h>
#include <stdint.h>

#include "debug/jtag.h"

static struct jtag_chain chain;

/* bitbang_execute_tms: TMS bits LSB first from a string of '0'/'1'. */
static inline void tms(const char *bits)
{
	bool t = false;

	for (; *bits; bits++) {
		t = *bits == '1';
		jtag_pins(&chain, false, t, false);
		jtag_pins(&chain, true, t, false);
	}
	jtag_pins(&chain, false, t, false);
}

/* bitbang_scan from Run-Test/Idle back to Run-Test/Idle: `n` bits of
 * `in` (LSB first), TDO sampled into `out` (when given) before each
 * rising edge. */
static inline void scan(bool ir, const uint8_t *in, uint8_t *out,
			unsigned n)
{
	tms(ir ? "1100" : "100");
	for (unsigned i = 0; i < n; i++) {
		bool last = i == n - 1;
		bool tdi = in[i / 8] >> (i % 8) & 1;

		jtag_pins(&chain, false, last, tdi);
		if (out) {
			if (jtag_tdo(&chain))
				out[i / 8] |= (uint8_t)(1U << (i % 8));
			else
				out[i / 8] &= (uint8_t)~(1U << (i % 8));
		}
		jtag_pins(&chain, true, last, tdi);
	}
	tms("10"); /* Exit1 -> Update -> Idle */
}

/* scan of up to 64 bits held in an integer. */
static inline uint64_t scan64(bool ir, uint64_t in, unsigned n)
{
	uint8_t ib[8], ob[8] = {0};
	uint64_t out = 0;

	for (int i = 0; i < 8; i++)
		ib[i] = (uint8_t)(in >> (8 * i));
	scan(ir, ib, ob, n);
	for (int i = 0; i < 8; i++)
		out |= (uint64_t)ob[i] << (8 * i);
	return out;
}

#endif
