/* The board's side of the bus access costs (cpu/bus_cost.h): the built-in
 * table of its MCU line and the bus clocks from its clock tree model. */
#ifndef SIM_BUS_CLOCKS_H
#define SIM_BUS_CLOCKS_H

struct sim;

/* Gives the board's core its MCU line's cost table and clock source.
 * Returns 0, or -1 if out of memory. */
int sim_bus_costs_attach(struct sim *sim);

#endif
