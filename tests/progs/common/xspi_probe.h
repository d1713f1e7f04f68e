/* What the xSPI probe programs (qspi_probe.c, ospi_probe.c,
 * dcache_probe.c) share: the six memory pins, the status waits of an
 * indirect command, the test pattern and the fault report. QUADSPI
 * (docs/hardware-stm32h7.md §6.2) and OCTOSPI (docs/hardware-stm32h7a3.md
 * §6.2) place SR and FCR at different offsets but give them the same bits:
 * SR TEF 0, TCF 1, BUSY 5, FLEVEL [13:8]; FCR CTEF 0, CTCF 1. */
#ifndef PROGS_XSPI_PROBE_H
#define PROGS_XSPI_PROBE_H

#include <stddef.h>
#include <stdint.h>

#define REG(a) (*(volatile uint32_t *)(a))
#define REG8(a) (*(volatile uint8_t *)(a))
#define REG16(a) (*(volatile uint16_t *)(a))

#define SR_TEF (1U << 0)
#define SR_TCF (1U << 1)
#define SR_BUSY (1U << 5)
#define SR_FLEVEL(sr) (((sr) >> 8) & 0x3FU)

/* One controller as a probe drives it. */
struct xspi_probe {
	uint32_t sr, fcr;		/* register addresses */
	volatile uint32_t *timeouts;	/* counts waits that gave up; NULL: none */
	volatile uint32_t *tef;		/* counts TEF in xspi_finish; NULL: TEF
					 * neither read nor cleared */
};

/* PB2, PB6, PD11-13 and PE2 in their xSPI alternate functions, very high
 * speed (docs/boards.md §1; the GPIO registers of docs/hardware-stm32h7.md
 * §5). Their ports' clocks must already run. */
void xspi_probe_pins(void);

/* Polls until one of `bits` is set in SR (set = 1) or none is (set = 0);
 * gives up after 1000000 reads, counted in x->timeouts. 0 when seen, -1
 * when not. */
int xspi_wait_sr(const struct xspi_probe *x, uint32_t bits, int set);

/* Polls until the FIFO holds at least (or at most) n bytes; gives up
 * after 1000000 reads, uncounted. */
void xspi_wait_fifo_at_least(const struct xspi_probe *x, uint32_t n);
void xspi_wait_fifo_at_most(const struct xspi_probe *x, uint32_t n);

/* The end of an indirect command: TCF, then the flags cleared, then BUSY
 * low (docs/hardware-stm32h7.md §6.5). */
void xspi_finish(const struct xspi_probe *x);

/* The pseudo-random word the probes write at chip address `addr`. */
uint32_t xspi_pattern(uint32_t addr, uint32_t seed);

/* From a fault handler: the fault status registers (ARMv7-M ARM B3.2.15,
 * B3.2.16) into the probe's result, `done` marked 0xFA17FA17, the program
 * ended with -1. */
void xspi_probe_fault(volatile uint32_t *cfsr, volatile uint32_t *hfsr,
		      volatile uint32_t *done) __attribute__((noreturn));

#endif
