/* The STM32F7 boards' assembly of struct sim (sim.c builds the H7 ones):
 * sim_create() and the reset and destroy entry points hand F7 boards to
 * these. */
#ifndef SIM_SIM_F7_H
#define SIM_SIM_F7_H

#include "sim.h"

int sim_f7_create(struct sim *sim, const struct board_profile *board,
		  const struct fault_set *faults, uint64_t seed);
void sim_f7_power_on(struct sim *sim);
void sim_f7_system_reset(struct sim *sim);
void sim_f7_destroy(struct sim *sim);

#endif
