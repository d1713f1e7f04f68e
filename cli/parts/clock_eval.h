/* What every family's clock-tree evaluation shares (parts/clock_tree.h):
 * the register values read, the board file's crystal, the one problem to
 * report, and the checks that read the same in every reference manual
 * (an oscillator's ready bit, the AHB prescaler code). */
#ifndef CLI_CLOCK_EVAL_H
#define CLI_CLOCK_EVAL_H

#include <stdint.h>

#include "parts/clock_tree.h"

struct clock_eval {
	const struct clock_reg *regs; /* the family's register table */
	const uint32_t *v;            /* v[i] is regs[i] as read */
	uint64_t hse_hz;              /* PSRAM_HSE_HZ, 0 when none */
	struct clock_problem *p;
};

/* Fills e->p with register reg, its value and the message; returns -1. */
int clock_problem_at(const struct clock_eval *e, int reg, const char *fmt,
		     ...) __attribute__((format(printf, 3, 4)));

/* An internal RC oscillator (HSI, CSI) whose ready flag is rdy_bit of
 * register cr: *hz = its_hz, or -1 with the problem when it is off. */
int clock_rc_oscillator(const struct clock_eval *e, int cr, uint32_t rdy_bit,
			const char *name, uint64_t its_hz, uint64_t *hz);

/* The HSE crystal (HSERDY is rdy_bit of register cr) at the board file's
 * PSRAM_HSE_HZ, or -1 with the problem when it is off or unnamed. */
int clock_hse(const struct clock_eval *e, int cr, uint32_t rdy_bit,
	      uint64_t *hz);

/* An AHB prescaler code (HPRE, D1CPRE, CDCPRE): 0xxx /1, 1000 /2 ...
 * 1111 /512, no /32 (RM0433 §8.7.7, RM0455 RCC_CDCFGR1, RM0385 RCC_CFGR). */
unsigned clock_ahb_div(uint32_t code);

#endif
