/* The OCTOSPI I/O manager of the STM32H7A3/B3/B0 (RM0455 "OCTOSPI I/O
 * manager (OCTOSPIM)"; docs/hardware-stm32h7a3.md §7): which OCTOSPI drives
 * the CLK, NCS and IO groups of each port. The board wires its memory to
 * port 1 IO[3:0]; an OCTOSPI reaches it when port 1 takes its CLK, its NCS
 * and its IO[3:0] from that OCTOSPI. */
#ifndef SIM_OCTOSPIM_H
#define SIM_OCTOSPIM_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"

#define OCTOSPIM_BASE 0x5200B400U
#define OCTOSPIM_SIZE 0x400U
#define OCTOSPIM_CR 0x00U
#define OCTOSPIM_P1CR 0x04U
#define OCTOSPIM_P2CR 0x08U

struct octospi;
struct octospim;

struct octospim *octospim_new(void);
void octospim_free(struct octospim *m);
/* RCC IOMNGRRST: the reset mapping (port n carries OCTOSPIn). */
void octospim_reset(struct octospim *m);
/* The two controllers it routes (their EN bits, their CLK idle level). */
void octospim_attach(struct octospim *m, struct octospi *ospi1,
		     struct octospi *ospi2);
/* octospi_routed_fn: instance 0/1 drives port 1 NCS, CLK and, from its
 * IO group `io_group` (0 = IO[3:0], 1 = IO[7:4]), port 1 IO[3:0]. */
bool octospim_routes_port1(void *m, unsigned instance, unsigned io_group);

extern const struct mmio_ops octospim_ops;

#endif
