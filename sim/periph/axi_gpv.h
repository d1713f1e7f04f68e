/* The AXI interconnect matrix's global programmer view (GPV, RM0433
 * §2.2.3, register map Table 6): per-target issuing and QoS controls that
 * start-up code may write (CMSIS SystemInit sets TARG7_FN_MOD's
 * READ_ISS_OVERRIDE on revision Y parts, errata ES0392 §2.2.9). The
 * matrix's arbitration itself is not modelled: the registers hold what is
 * written, other offsets (identification registers included) read 0. */
#ifndef SIM_AXI_GPV_H
#define SIM_AXI_GPV_H

#include "bus.h"

#define AXI_GPV_BASE 0x51000000U
#define AXI_GPV_SIZE 0x100000U

struct axi_gpv;

struct axi_gpv *axi_gpv_new(void);
void axi_gpv_free(struct axi_gpv *g);
void axi_gpv_reset(struct axi_gpv *g);

extern const struct mmio_ops axi_gpv_ops;

#endif
