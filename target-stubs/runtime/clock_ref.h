/* The core clock against an independent reference: the board file's
 * PSRAM_CPU_HZ (params.cpu_hz) times everything, and the RCC registers
 * cannot tell a 25 MHz crystal from an 8 MHz one. The LSI, an RC
 * oscillator inside the MCU, can: docs/clocks.md §3. */
#ifndef TARGET_STUBS_CLOCK_REF_H
#define TARGET_STUBS_CLOCK_REF_H

#include "runtime/stub.h"

/* Measures the core clock against the LSI where the family routes it to a
 * timer (H7: TIM16 channel 1), writes it to result.cpu_hz_measured and
 * returns STUB_STATUS_CLOCK_CHECK when it differs from params.cpu_hz by
 * more than the LSI's tolerance. STUB_STATUS_OK, with nothing measured,
 * for other families. Leaves the LSI and TIM16 as it found them. */
int clock_ref_check(struct stub_ctx *ctx);

#endif
