/* The OCTOSPI controllers of the STM32H7A3/B3/B0, RM0455 "Octo-SPI
 * interface (OCTOSPI)" (OCTOSPI1 registers at 0x52005000, window at 0x90000000; OCTOSPI2 at
 * 0x5200A000, window at 0x70000000): every register, the 32-byte FIFO,
 * indirect, automatic status-polling and memory-mapped modes, memory-mapped
 * reads (CCR/TCR/IR/ABR) and writes (WCCR/WTCR/WIR/WABR), and the wire time
 * of every command on the virtual clock, on the wire layer the QUADSPI
 * model uses.
 *
 * Memory-mapped mode keeps NCS low after an access, as the controller
 * does to continue a sequential burst: a prefetch stops with the FIFO full
 * and a write burst with the FIFO empty, CLK stopped and NCS low, until
 * the timeout counter (CR.TCEN, LPTR), a refresh (DCR4.REFRESH), a chip-select
 * boundary (DCR3.CSBOUND) or a non-sequential access releases it. That is
 * the time a PSRAM counts against its tCEM.
 *
 * Which OCTOSPI reaches the board's pins is the I/O manager's decision
 * (octospim.h): a command of an instance that is not routed to port 1
 * runs in time but does not reach the chip. */
#ifndef SIM_OCTOSPI_H
#define SIM_OCTOSPI_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "cpu/irq.h"
#include "util/vclock.h"
#include "wire/xspi_wire.h"

#define OCTOSPI1_BASE 0x52005000U
#define OCTOSPI2_BASE 0x5200A000U
#define OCTOSPI_REG_SIZE 0x400U
#define OCTOSPI1_MEM_BASE 0x90000000U
#define OCTOSPI2_MEM_BASE 0x70000000U
#define OCTOSPI_MEM_SIZE 0x10000000U

/* Register offsets: RM0455 OCTOSPI register map (docs/hardware-stm32h7a3.md
 * §6.2). */
#define OCTOSPI_CR 0x000U
#define OCTOSPI_DCR1 0x008U
#define OCTOSPI_DCR2 0x00CU
#define OCTOSPI_DCR3 0x010U
#define OCTOSPI_DCR4 0x014U
#define OCTOSPI_SR 0x020U
#define OCTOSPI_FCR 0x024U
#define OCTOSPI_DLR 0x040U
#define OCTOSPI_AR 0x048U
#define OCTOSPI_DR 0x050U
#define OCTOSPI_PSMKR 0x080U
#define OCTOSPI_PSMAR 0x088U
#define OCTOSPI_PIR 0x090U
#define OCTOSPI_CCR 0x100U
#define OCTOSPI_TCR 0x108U
#define OCTOSPI_IR 0x110U
#define OCTOSPI_ABR 0x120U
#define OCTOSPI_LPTR 0x130U
#define OCTOSPI_WPCCR 0x140U
#define OCTOSPI_WPTCR 0x148U
#define OCTOSPI_WPIR 0x150U
#define OCTOSPI_WPABR 0x160U
#define OCTOSPI_WCCR 0x180U
#define OCTOSPI_WTCR 0x188U
#define OCTOSPI_WIR 0x190U
#define OCTOSPI_WABR 0x1A0U
#define OCTOSPI_HLCR 0x200U
#define OCTOSPI_HWCFGR 0x3F0U
#define OCTOSPI_VER 0x3F4U
#define OCTOSPI_ID 0x3F8U
#define OCTOSPI_MID 0x3FCU

#define OCTOSPI_CR_EN (1U << 0)
#define OCTOSPI_CR_ABORT (1U << 1)
#define OCTOSPI_CR_DMAEN (1U << 2)
#define OCTOSPI_CR_TCEN (1U << 3)
#define OCTOSPI_CR_DQM (1U << 6)
#define OCTOSPI_CR_FSEL (1U << 7)
#define OCTOSPI_CR_FTHRES_SHIFT 8U
#define OCTOSPI_CR_APMS (1U << 22)
#define OCTOSPI_CR_PMM (1U << 23)
#define OCTOSPI_CR_FMODE_SHIFT 28U

#define OCTOSPI_DCR1_CKMODE (1U << 0)
#define OCTOSPI_DCR1_FRCK (1U << 1)
#define OCTOSPI_DCR1_DLYBYP (1U << 3)
#define OCTOSPI_DCR1_CSHT_SHIFT 8U
#define OCTOSPI_DCR1_DEVSIZE_SHIFT 16U
#define OCTOSPI_DCR1_MTYP_SHIFT 24U
#define OCTOSPI_DCR2_WRAPSIZE_SHIFT 16U
#define OCTOSPI_DCR3_CSBOUND_SHIFT 16U

#define OCTOSPI_SR_TEF (1U << 0)
#define OCTOSPI_SR_TCF (1U << 1)
#define OCTOSPI_SR_FTF (1U << 2)
#define OCTOSPI_SR_SMF (1U << 3)
#define OCTOSPI_SR_TOF (1U << 4)
#define OCTOSPI_SR_BUSY (1U << 5)
#define OCTOSPI_SR_FLEVEL_SHIFT 8U

/* CCR, WCCR, WPCCR fields (RM0455 OCTOSPI_CCR). */
#define OCTOSPI_CCR_IMODE_SHIFT 0U
#define OCTOSPI_CCR_IDTR (1U << 3)
#define OCTOSPI_CCR_ISIZE_SHIFT 4U
#define OCTOSPI_CCR_ADMODE_SHIFT 8U
#define OCTOSPI_CCR_ADDTR (1U << 11)
#define OCTOSPI_CCR_ADSIZE_SHIFT 12U
#define OCTOSPI_CCR_ABMODE_SHIFT 16U
#define OCTOSPI_CCR_ABDTR (1U << 19)
#define OCTOSPI_CCR_ABSIZE_SHIFT 20U
#define OCTOSPI_CCR_DMODE_SHIFT 24U
#define OCTOSPI_CCR_DDTR (1U << 27)
#define OCTOSPI_CCR_DQSE (1U << 29)
#define OCTOSPI_CCR_SIOO (1U << 31)

#define OCTOSPI_TCR_DCYC_MASK 0x1FU
#define OCTOSPI_TCR_DHQC (1U << 28)
#define OCTOSPI_TCR_SSHIFT (1U << 30)

#define OCTOSPI_FIFO_SIZE 32U
/* Global interrupt positions (stm32h7a3xx.h IRQn_Type, RM0455 vector
 * table). */
#define OCTOSPI1_IRQN 92U
#define OCTOSPI2_IRQN 150U

/* Kernel clock of the block in Hz (RCC model); 0 = not running. */
typedef uint32_t (*octospi_kernel_hz_fn)(void *ctx);
/* Whether this instance drives the board's port (I/O manager), the
 * memory on its IO group `io_group` (0 = IO[3:0], 1 = IO[7:4]). */
typedef bool (*octospi_routed_fn)(void *ctx, unsigned instance,
				  unsigned io_group);

struct octospi;

/* Instance 0 = OCTOSPI1, 1 = OCTOSPI2. `wire` holds the chip and is not
 * owned; `routed` (may be NULL: always routed) asks the I/O manager. */
struct octospi *octospi_new(unsigned instance, struct vclock *clk,
			    octospi_kernel_hz_fn kernel_hz, void *kernel_ctx,
			    octospi_routed_fn routed, void *routed_ctx,
			    struct xspi_wire *wire);
void octospi_free(struct octospi *o);
/* Every CPU access to the registers waits `cycles` more core cycles (the
 * xspi-wait fault, docs/psramsim-faults.md). */
void octospi_set_bus_wait(struct octospi *o, uint32_t cycles);
/* The global interrupt: high while a flag of SR (TEF, TCF, FTF, SMF, TOF)
 * is set with its enable bit in CR (TEIE, TCIE, FTIE, SMIE, TOIE). */
void octospi_set_irq(struct octospi *o, struct irq_line line);
/* RCC OCTOSPIxRST: registers to their reset values, command dropped. */
void octospi_reset(struct octospi *o);
bool octospi_enabled(const struct octospi *o);
/* The I/O manager changed the routing: the CLK idle level follows. */
void octospi_route_changed(struct octospi *o);

/* Registers (OCTOSPI_REG_SIZE bytes) and the window (OCTOSPI_MEM_SIZE
 * bytes); dev = the struct octospi. */
extern const struct mmio_ops octospi_reg_ops;
extern const struct mmio_ops octospi_mem_ops;

/* Longest time NCS stayed low in one command so far (ns, virtual). */
uint64_t octospi_max_cs_low_ns(const struct octospi *o);

#endif
