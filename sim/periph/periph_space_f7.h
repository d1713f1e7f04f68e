/* The STM32F74x/75x (RM0385 §2.2.2, Table 1) and STM32F76x/77x (RM0410
 * §2.2.2, Table 1) peripheral address spaces, for periph_space_attach():
 * a peripheral psramsim does not model answers as an idle block and is
 * logged as not modelled; a reserved address is a bus error. */
#ifndef SIM_PERIPH_SPACE_F7_H
#define SIM_PERIPH_SPACE_F7_H

#include "periph/periph_space.h"

extern const struct periph_space_entry periph_space_f74x[];
extern const unsigned periph_space_f74x_count;
extern const struct periph_space_entry periph_space_f76x[];
extern const unsigned periph_space_f76x_count;

#endif
