/* Runs on the simulated STM32H7A3: a minimal OCTOSPI driver written from
 * RM0455 (OCTOSPI and OCTOSPIM chapters, RCC register map) and
 * docs/psram-chips.md, independent of the stub and of psramsim's model.
 * It reads the PSRAM ID in SPI mode, switches to QPI, writes a pattern
 * with 0x38 and reads it back with 0xEB in indirect mode, then maps the
 * chip and writes and reads another pattern with CPU stores and loads
 * (32, 16 and 8 bits), and leaves what it saw in `probe` for the
 * end-to-end test. On OCTOSPI1 one command ends through the
 * transfer-complete interrupt (RM0455 OCTOSPI_CR.TCIE) rather than a
 * status poll. A fault ends the program with the fault status. */
#include "common/h7a3_octospi.h"

#define OCTOSPIM_P1CR REG(0x5200B404U)
#define OCTOSPIM_P2CR REG(0x5200B408U)

/* OCTOSPI1 global interrupt: NVIC position 92 (stm32h7a3xx.h IRQn_Type,
 * RM0455 vector table). */
#define OSPI1_IRQN 92U
#define CR_TCIE (1U << 17)
#define NVIC_ISER(n) REG(0xE000E100U + 4U * (n))
#define NVIC_ICER(n) REG(0xE000E180U + 4U * (n))
#define SCB_VTOR REG(0xE000ED08U)

/* flags */
#define F_NO_DQSE (1U << 0)	/* mapped writes without WCCR.DQSE */
#define F_PORT1_TO_OSPI2 (1U << 1)	/* I/O manager: port 1 from OCTOSPI2 */
#define F_USE_OSPI2 (1U << 2)	/* drive OCTOSPI2 (window 0x70000000) */

struct probe_params {
	uint32_t length;	/* bytes of each pattern */
	uint32_t prescaler;	/* CLK = 64 MHz / (prescaler + 1) */
	uint32_t seed;
	uint32_t flags;
};

struct probe_result {
	uint32_t done;
	uint8_t id[8];		/* 0x9F, SPI */
	uint32_t mismatches;	/* indirect QPI pattern */
	uint32_t mm_mismatches;	/* memory-mapped pattern */
	uint32_t mm_first_bad;	/* window offset of the first one */
	uint32_t tef;
	uint32_t timeouts;
	uint32_t fault_cfsr;
	uint32_t fault_hfsr;
	uint32_t stage;		/* 1 indirect, 2 mapped writes, 3 mapped reads */
	uint32_t irqs;		/* OCTOSPI1 interrupts taken */
	uint32_t irq_sr;	/* SR as the interrupt handler read it */
};

volatile struct probe_params params = {2048, 1, 1, 0};
volatile struct probe_result probe;

static uint32_t ospi = OSPI1;
static uint32_t window = 0x90000000U;
/* The waits of the OCTOSPI in use (main sets them for OCTOSPI2). */
static struct xspi_probe ctl = {
	OSPI1 + SR, OSPI1 + FCR, &probe.timeouts, &probe.tef
};

void prog_fault_handler(void);

void prog_fault_handler(void)
{
	xspi_probe_fault(&probe.fault_cfsr, &probe.fault_hfsr, &probe.done);
}

/* A command is configured with FMODE in CR, then CCR, TCR, DLR; the IR
 * write starts it when there is no address, the AR write otherwise. */
static void setup_cmd(uint32_t fmode, uint32_t ccr, uint32_t dcyc,
		      uint32_t n)
{
	xspi_wait_sr(&ctl, SR_BUSY, 0);
	REG(ospi + FCR) = 0x1BU;
	REG(ospi + CR) = (REG(ospi + CR) & ~CR_FMODE(3)) | CR_FMODE(fmode);
	REG(ospi + CCR) = ccr;
	REG(ospi + TCR) = dcyc;
	REG(ospi + DLR) = n - 1;
}

static void command(uint32_t imode, uint8_t op)
{
	setup_cmd(0, IMODE(imode), 0, 1);
	REG(ospi + IR) = op;
	xspi_finish(&ctl);
}

void ospi_isr(void);
extern uint32_t __stack_top[];
void _start(void);
void prog_default_handler(void);

/* 16 system entries and interrupts 0-92, 512-byte aligned (ARMv7-M ARM
 * B3.2.5: the table size rounded up to a power of two). */
__attribute__((aligned(512))) void (*const ospi_vectors[128])(void) = {
	(void (*)(void))__stack_top, _start, prog_default_handler,
	prog_default_handler, prog_default_handler, prog_default_handler,
	prog_default_handler,
	[16 + OSPI1_IRQN] = ospi_isr,
};

/* TCF with TCIE: note SR and clear the flag, which lowers the line. */
void ospi_isr(void)
{
	probe.irq_sr = REG(OSPI1 + SR);
	REG(OSPI1 + FCR) = 0x2U;
	probe.irqs++;
}

/* An instruction-only command whose end the interrupt reports: the core
 * does not read SR while it waits. */
static void command_by_interrupt(uint32_t imode, uint8_t op)
{
	setup_cmd(0, IMODE(imode), 0, 1);
	REG(ospi + CR) |= CR_TCIE;
	REG(ospi + IR) = op;
	for (uint32_t i = 0; !probe.irqs && i < 1000000; i++)
		__asm__ volatile("nop");
	REG(ospi + CR) &= ~CR_TCIE;
	xspi_wait_sr(&ctl, SR_BUSY, 0);
}

static uint32_t pattern(uint32_t addr)
{
	return xspi_pattern(addr, params.seed);
}

static void read_id(void)
{
	setup_cmd(1, IMODE(1) | ADMODE(1) | ADSIZE_24 | DMODE(1), 0, 8);
	REG(ospi + IR) = 0x9FU;
	REG(ospi + AR) = 0;
	for (unsigned i = 0; i < 8; i++) {
		xspi_wait_fifo_at_least(&ctl, 1);
		probe.id[i] = REG8(ospi + DR);
	}
	xspi_finish(&ctl);
}

static void qpi_write(uint32_t addr, uint32_t n)
{
	setup_cmd(0, IMODE(3) | ADMODE(3) | ADSIZE_24 | DMODE(3), 0, n);
	REG(ospi + IR) = 0x38U;
	REG(ospi + AR) = addr;
	for (uint32_t i = 0; i < n; i += 4) {
		xspi_wait_fifo_at_most(&ctl, 28);
		REG(ospi + DR) = pattern(addr + i);
	}
	xspi_finish(&ctl);
}

static void qpi_read_check(uint32_t addr, uint32_t n)
{
	setup_cmd(1, IMODE(3) | ADMODE(3) | ADSIZE_24 | DMODE(3), 6, n);
	REG(ospi + IR) = 0xEBU;
	REG(ospi + AR) = addr;
	for (uint32_t i = 0; i < n; i += 4) {
		xspi_wait_fifo_at_least(&ctl, 4);
		if (REG(ospi + DR) != pattern(addr + i))
			probe.mismatches++;
	}
	xspi_finish(&ctl);
}

static void mm_bad(uint32_t off)
{
	if (probe.mm_mismatches++ == 0)
		probe.mm_first_bad = off;
}

int main(void)
{
	uint32_t len = params.length & ~63U;
	uint32_t qpi_read = IMODE(3) | ADMODE(3) | ADSIZE_24 | DMODE(3);
	uint32_t base;

	if (params.flags & F_USE_OSPI2) {
		ospi = OSPI2;
		window = 0x70000000U;
	}
	ctl.sr = ospi + SR;
	ctl.fcr = ospi + FCR;
	RCC_AHB4ENR |= (1U << 1) | (1U << 3) | (1U << 4);
	RCC_AHB3ENR |= AHB3_OCTOSPI1EN | AHB3_OCTOSPI2EN | AHB3_IOMNGREN;
	(void)RCC_AHB3ENR;
	xspi_probe_pins();
	/* OCTOSPIM PnCR: CLK, DQS, NCS, IO[3:0] and IO[7:4] of one OCTOSPI;
	 * swapping the ports gives port 1 to OCTOSPI2. Both OCTOSPIs are
	 * disabled here, as the I/O manager requires. */
	if (params.flags & F_PORT1_TO_OSPI2) {
		OCTOSPIM_P1CR = 0x07050333U;
		OCTOSPIM_P2CR = 0x03010111U;
	}

	/* Standard memory type, 8 MiB (DEVSIZE 22), NCS high 4 cycles,
	 * mode 0; FIFO threshold 4 bytes. */
	REG(ospi + DCR1) = (2U << 24) | (22U << 16) | (3U << 8);
	REG(ospi + DCR2) = params.prescaler & 0xFFU;
	REG(ospi + CR) = CR_FTHRES(3) | CR_EN;

	probe.stage = 1;
	command(3, 0x66U);
	command(3, 0x99U);
	if (ospi == OSPI1) {
		/* The start-up table's fault entries come back after. */
		uint32_t vtor = SCB_VTOR;

		SCB_VTOR = (uint32_t)ospi_vectors;
		NVIC_ISER(OSPI1_IRQN / 32) = 1U << (OSPI1_IRQN % 32);
		command_by_interrupt(1, 0x66U);
		NVIC_ICER(OSPI1_IRQN / 32) = 1U << (OSPI1_IRQN % 32);
		SCB_VTOR = vtor;
	} else {
		command(1, 0x66U);
	}
	command(1, 0x99U);
	read_id();
	command(1, 0x35U);
	for (uint32_t a = 0; a < len; a += 64)
		qpi_write(a, 64);
	for (uint32_t a = 0; a < len; a += 64)
		qpi_read_check(a, 64);

	/* Memory-mapped: 0xEB reads with 6 dummy cycles, 0x38 writes with
	 * DQS management on (ES0478), NCS released 16 CLK after an access
	 * (timeout counter) and, within a stream of accesses, every REFRESH
	 * + 1 CLK of a write (+ 4 of a read, RM0455 OCTOSPI_DCR4): the 8 us
	 * tCEM (docs/psram-chips.md §4) is 512 / (prescaler + 1) CLK at
	 * 64 MHz / (prescaler + 1), less 32 for the command, the byte under
	 * way and nCS setup and hold. */
	xspi_wait_sr(&ctl, SR_BUSY, 0);
	REG(ospi + DCR4) = 512U / ((params.prescaler & 0xFFU) + 1U) > 33U
				   ? 512U / ((params.prescaler & 0xFFU) + 1U) - 32U
				   : 1U;
	REG(ospi + LPTR) = 16;
	REG(ospi + CCR) = qpi_read;
	REG(ospi + TCR) = 6;
	REG(ospi + IR) = 0xEBU;
	REG(ospi + WCCR) = qpi_read | ((params.flags & F_NO_DQSE) ? 0 : DQSE);
	REG(ospi + WTCR) = 0;
	REG(ospi + WIR) = 0x38U;
	REG(ospi + CR) = CR_FTHRES(3) | CR_TCEN | CR_FMODE(3) | CR_EN;

	base = window + len;
	probe.stage = 2;
	for (uint32_t a = 0; a < len; a += 4)
		REG(base + a) = pattern(len + a) ^ 0x5A5A5A5AU;
	/* Sub-word stores: halfwords then bytes over the last 64 bytes. */
	for (uint32_t a = len - 64; a < len - 32; a += 2)
		REG16(base + a) = (uint16_t)(a * 0x0101U);
	for (uint32_t a = len - 32; a < len; a++)
		REG8(base + a) = (uint8_t)(a ^ 0xA5U);
	__asm__ volatile("dsb" ::: "memory");

	probe.stage = 3;
	for (uint32_t a = 0; a < len - 64; a += 4)
		if (REG(base + a) != (pattern(len + a) ^ 0x5A5A5A5AU))
			mm_bad(a);
	for (uint32_t a = len - 64; a < len - 32; a += 2)
		if (REG16(base + a) != (uint16_t)(a * 0x0101U))
			mm_bad(a);
	for (uint32_t a = len - 32; a < len; a++)
		if (REG8(base + a) != (uint8_t)(a ^ 0xA5U))
			mm_bad(a);
	/* The indirect pattern, seen through the window. */
	for (uint32_t a = 0; a < len; a += 4)
		if (REG(window + a) != pattern(a))
			mm_bad(a);

	/* Back to indirect mode: abort the mapped mode, leave QPI. */
	REG(ospi + CR) |= CR_ABORT;
	xspi_wait_sr(&ctl, SR_BUSY, 0);
	REG(ospi + CR) = CR_FTHRES(3) | CR_EN;
	command(3, 0xF5U);

	probe.done = 0xD0E1D0E1U;
	return (int)(probe.mismatches + probe.mm_mismatches);
}
