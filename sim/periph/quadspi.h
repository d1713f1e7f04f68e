/* The QUADSPI controller of STM32H742/743/750/753 (registers at 0x52005000)
 * and STM32F7 (0xA0001000), RM0399 chapter 24 (the same block as RM0433):
 * every register and field, the 32-byte FIFO, indirect, automatic
 * status-polling and memory-mapped modes with the 256 MiB window at
 * 0x90000000, the global interrupt, and the wire time of every command on
 * the virtual clock.
 *
 * Time: a command started by a register write runs in virtual time; BUSY,
 * TCF, FLEVEL and the bytes moved are worked out from vclock_now() at each
 * access. A DR access that must wait for the FIFO stalls the core (the
 * virtual clock jumps); a full FIFO on a read or an empty one on a write
 * stops CLK with NCS still low (RM0399 §24.3.16), and that time counts in
 * the chip's CE#-low time. */
#ifndef SIM_QUADSPI_H
#define SIM_QUADSPI_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "cpu/irq.h"
#include "util/vclock.h"
#include "wire/xspi_wire.h"

#define QUADSPI_H7_BASE 0x52005000U
#define QUADSPI_F7_BASE 0xA0001000U
#define QUADSPI_REG_SIZE 0x400U
#define QUADSPI_MEM_BASE 0x90000000U
#define QUADSPI_MEM_SIZE 0x10000000U

/* Register offsets and fields, RM0399 §24.5. */
#define QUADSPI_CR 0x00U
#define QUADSPI_DCR 0x04U
#define QUADSPI_SR 0x08U
#define QUADSPI_FCR 0x0CU
#define QUADSPI_DLR 0x10U
#define QUADSPI_CCR 0x14U
#define QUADSPI_AR 0x18U
#define QUADSPI_ABR 0x1CU
#define QUADSPI_DR 0x20U
#define QUADSPI_PSMKR 0x24U
#define QUADSPI_PSMAR 0x28U
#define QUADSPI_PIR 0x2CU
#define QUADSPI_LPTR 0x30U

#define QUADSPI_CR_EN (1U << 0)
#define QUADSPI_CR_ABORT (1U << 1)
#define QUADSPI_CR_DMAEN (1U << 2)	/* F7 only; reserved on H7 */
#define QUADSPI_CR_TCEN (1U << 3)
#define QUADSPI_CR_SSHIFT (1U << 4)
#define QUADSPI_CR_DFM (1U << 6)
#define QUADSPI_CR_FSEL (1U << 7)
#define QUADSPI_CR_FTHRES_SHIFT 8U
#define QUADSPI_CR_FTHRES_MASK (0x1FU << 8)
#define QUADSPI_CR_TEIE (1U << 16)
#define QUADSPI_CR_TCIE (1U << 17)
#define QUADSPI_CR_FTIE (1U << 18)
#define QUADSPI_CR_SMIE (1U << 19)
#define QUADSPI_CR_TOIE (1U << 20)
#define QUADSPI_CR_APMS (1U << 22)
#define QUADSPI_CR_PMM (1U << 23)
#define QUADSPI_CR_PRESCALER_SHIFT 24U

#define QUADSPI_DCR_CKMODE (1U << 0)
#define QUADSPI_DCR_CSHT_SHIFT 8U
#define QUADSPI_DCR_FSIZE_SHIFT 16U

#define QUADSPI_SR_TEF (1U << 0)
#define QUADSPI_SR_TCF (1U << 1)
#define QUADSPI_SR_FTF (1U << 2)
#define QUADSPI_SR_SMF (1U << 3)
#define QUADSPI_SR_TOF (1U << 4)
#define QUADSPI_SR_BUSY (1U << 5)
#define QUADSPI_SR_FLEVEL_SHIFT 8U

#define QUADSPI_CCR_IMODE_SHIFT 8U
#define QUADSPI_CCR_ADMODE_SHIFT 10U
#define QUADSPI_CCR_ADSIZE_SHIFT 12U
#define QUADSPI_CCR_ABMODE_SHIFT 14U
#define QUADSPI_CCR_ABSIZE_SHIFT 16U
#define QUADSPI_CCR_DCYC_SHIFT 18U
#define QUADSPI_CCR_DMODE_SHIFT 24U
#define QUADSPI_CCR_FMODE_SHIFT 26U
#define QUADSPI_CCR_SIOO (1U << 28)
#define QUADSPI_CCR_FRCM (1U << 29)	/* H7 only */
#define QUADSPI_CCR_DHHC (1U << 30)
#define QUADSPI_CCR_DDRM (1U << 31)

#define QUADSPI_FIFO_SIZE 32U
#define QUADSPI_IRQN 92U	/* RM0433 Table 147; RM0385 vector table */

enum quadspi_family {
	QUADSPI_FAMILY_H7,	/* CR bit 2 reserved, CCR.FRCM, ES0396 errata */
	QUADSPI_FAMILY_F7,	/* CR bit 2 = DMAEN */
};

/* Kernel clock of the block in Hz (RCC model); 0 = not running. */
typedef uint32_t (*quadspi_kernel_hz_fn)(void *ctx);

struct quadspi;

/* `base` is the register block's address (for messages); the CPU clock
 * comes from clk->cpu_hz, the xSPI clock is kernel/(PRESCALER+1); `wire`
 * holds the chip and is not owned. */
struct quadspi *quadspi_new(uint32_t base, enum quadspi_family family,
			    struct vclock *clk, quadspi_kernel_hz_fn kernel_hz,
			    void *kernel_ctx, struct xspi_wire *wire);
void quadspi_free(struct quadspi *q);
/* Every CPU access to the registers waits `cycles` more core cycles (the
 * xspi-wait fault, docs/psramsim-faults.md). */
void quadspi_set_bus_wait(struct quadspi *q, uint32_t cycles);
/* quadspi_it (RM0399 §24.4): high while a flag of SR is set with its
 * enable bit in CR; the board wires it to NVIC position 92 (RM0433 Table
 * 147, RM0385's vector table). */
void quadspi_set_irq(struct quadspi *q, struct irq_line line);
/* An STM32H742/743/750/753 of revision Y (REV_ID 0x1003): ES0396 §2.6.1,
 * an indirect write with dummy cycles losing its first data nibble,
 * applies. */
void quadspi_set_rev_y(struct quadspi *q, bool rev_y);
/* RCC QSPIRST: every register back to its reset value 0, command dropped. */
void quadspi_reset(struct quadspi *q);

/* The register block (QUADSPI_REG_SIZE bytes) and the memory-mapped window
 * (QUADSPI_MEM_SIZE bytes at QUADSPI_MEM_BASE); dev = the struct quadspi. */
extern const struct mmio_ops quadspi_reg_ops;
extern const struct mmio_ops quadspi_mem_ops;

/* Longest time NCS stayed low in one command so far (ns, virtual). */
uint64_t quadspi_max_cs_low_ns(const struct quadspi *q);

#endif
