/* The Cortex-M7 core: Thumb-2 execution on the Unicorn engine, exception
 * entry/return and fault reporting done here (Unicorn does neither for
 * M-profile), halting debug as seen through DHCSR/DCRSR/DCRDR/DEMCR/DFSR, the
 * FPB, the DWT cycle counter, and the rest of the System Control Space. */
#ifndef SIM_CORE_H
#define SIM_CORE_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "cpu/bus_cost.h"
#include "cpu/irq.h"
#include "util/vclock.h"

struct core;

/* Called when the core requests a system reset (AIRCR.SYSRESETREQ): the
 * board resets its peripherals and then calls core_reset(cpu, false). */
typedef void (*core_sysreset_fn)(void *ctx);

struct core *core_create(struct bus *bus, struct vclock *clk,
		       uint32_t boot_address);
void core_destroy(struct core *cpu);
void core_set_sysreset_handler(struct core *cpu, core_sysreset_fn fn, void *ctx);

/* Where Cortex-M7 implementations differ, as software reads it (CPUID,
 * MVFR0/1, ITCMCR/DTCMCR.SZ, ICTR): the revision the MCU carries, its
 * FPU's precision, its TCM sizes and the external interrupts it wires
 * (1-160). core_create gives the STM32H74x's: r1p1 (0x411FC271), double
 * precision, 64 KiB ITCM, 128 KiB DTCM, 150 interrupts. Takes effect at
 * once; TCM enables come back at the next reset. */
struct core_identity {
	uint32_t cpuid;
	bool fpu_double;
	uint32_t itcm_bytes, dtcm_bytes;
	unsigned irq_lines;
};
void core_set_identity(struct core *cpu, const struct core_identity *id);

/* What the core's data accesses cost (cpu/bus_cost.h): the table
 * replaces the present one (none at creation: accesses are free), and
 * fn tells the bus clocks of the moment. */
int core_set_bus_costs(struct core *cpu, const struct bus_cost_table *t);
void core_set_bus_clocks(struct core *cpu, bus_clock_fn fn, void *ctx);

/* Maps the bus regions into the core. Call once, after every region has
 * been added to the bus, and before running. */
int core_map_bus(struct core *cpu);

/* Power-on reset resets everything; a system reset keeps the debug state
 * (DHCSR.C_DEBUGEN, DEMCR, FPB, DWT comparators) as the ARMv7-M ARM C1.4
 * says a local/system reset does not reset the debug logic. */
void core_reset(struct core *cpu, bool power_on);

/* Runs at most `budget` instructions if the core is running. Returns the
 * number executed. */
uint64_t core_run(struct core *cpu, uint64_t budget);

/* True while the core executes (not halted, locked up or sleeping). */
bool core_is_running(const struct core *cpu);

/* True while the core spins on a branch to itself (`b .`): it runs, but
 * nothing changes until the debugger steps in, so the event loop may wait
 * on the socket instead of burning host time. */
bool core_is_spinning(struct core *cpu);

/* True after a run that ended asleep (WFI/WFE) or in a wait loop proven to
 * repeat without effect: the guest's time passed without execution. */
bool core_is_idle(const struct core *cpu);

/* The MMIO ops of the Private Peripheral Bus 0xE0000000-0xE00FFFFF, which the
 * board maps so that the debugger reaches it through AP0. */
const struct mmio_ops *core_ppb_ops(void);

/* The NVIC input for external interrupt `irqn` (0-149 on the STM32H7,
 * RM0433 Table 147), for a peripheral model to drive (cpu/irq.h). */
struct irq_line core_irq_line(struct core *cpu, unsigned irqn);
/* The same as irq_set() on that line. */
void core_set_irq(struct core *cpu, unsigned irqn, bool level);

/* Lets the board's time pass while the core does not execute (halted, or
 * held in reset): the clock moves `cycles` forward and due events fire.
 * Time spent halted does not count for CYCCNT or SysTick. */
void core_idle(struct core *cpu, uint64_t cycles);

/* Drop translated code for [addr, addr+len): memory was rewritten. */
void core_code_changed(struct core *cpu, uint32_t addr, uint32_t len);

/* For tests and --stats. */
uint64_t core_instructions(const struct core *cpu);
uint32_t core_reg(struct core *cpu, unsigned regsel);

#endif
