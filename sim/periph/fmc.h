/* STM32H7 flexible memory controller, control registers only (RM0433 §22):
 * no memory is attached on the supported boards, so the banks' address
 * windows stay unmapped; the registers hold what start-up code writes
 * (CMSIS SystemInit clears MBKEN of bank 1, which is set after reset). */
#ifndef SIM_FMC_H
#define SIM_FMC_H

#include "periph/regfile.h"

#define FMC_H7_BASE 0x52004000U
#define FMC_REG_SIZE 0x1000U
#define RCC_AHB3_FMC 12U

struct regfile *fmc_new(void);

#endif
