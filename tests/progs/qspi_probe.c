/* Runs on the simulated STM32H750: a minimal QUADSPI driver written from
 * RM0399 ch. 24 / docs/hardware-stm32h7.md §6 and docs/psram-chips.md,
 * independent of the stub. It reads the PSRAM ID in SPI mode (and the
 * flash-style JEDEC ID), switches to QPI, writes a pseudo-random pattern with
 * 0x38 and reads it back with 0xEB, and leaves what it saw in `probe` for the
 * end-to-end test. One command ends through the transfer-complete interrupt
 * (RM0399 §24.4) rather than a status poll. */
#include "common/dwt.h"
#include "common/xspi_probe.h"

#define RCC_AHB3ENR REG(0x580244D4U)
#define RCC_AHB4ENR REG(0x580244E0U)

#define QSPI 0x52005000U
#define QSPI_CR REG(QSPI + 0x00)
#define QSPI_SR REG(QSPI + 0x08)
#define QSPI_DCR REG(QSPI + 0x04)
#define QSPI_FCR REG(QSPI + 0x0C)
#define QSPI_DLR REG(QSPI + 0x10)
#define QSPI_CCR REG(QSPI + 0x14)
#define QSPI_AR REG(QSPI + 0x18)
#define QSPI_DR REG(QSPI + 0x20)
#define QSPI_DR8 REG8(QSPI + 0x20)

/* CCR fields (RM0399 §24.5.6). */
#define IMODE(n) ((uint32_t)(n) << 8)
#define ADMODE(n) ((uint32_t)(n) << 10)
#define ADSIZE_24 (2U << 12)
#define DCYC(n) ((uint32_t)(n) << 18)
#define DMODE(n) ((uint32_t)(n) << 24)
#define FMODE_READ (1U << 26)
#define CR_TCIE (1U << 17)

/* QUADSPI global interrupt: NVIC position 92 (RM0433 Table 147). */
#define QSPI_IRQN 92U
#define NVIC_ISER(n) REG(0xE000E100U + 4U * (n))
#define NVIC_ICER(n) REG(0xE000E180U + 4U * (n))
#define SCB_VTOR REG(0xE000ED08U)


struct probe_params {
	uint32_t length;	/* bytes written and read back in QPI */
	uint32_t prescaler;	/* QUADSPI clock = 64 MHz / (prescaler + 1) */
	uint32_t seed;
	uint32_t offset;	/* first chip address of the pattern */
	uint32_t burst;		/* bytes per read command (CS low time grows) */
	uint32_t write_burst;	/* bytes per write command */
};

struct probe_result {
	uint32_t done;
	uint8_t id[8];		/* 0x9F with PSRAM framing, SPI */
	uint8_t jedec[4];	/* 0x9F with flash framing, SPI (3 bytes) */
	uint32_t mismatches;
	uint32_t first_bad_addr;
	uint32_t first_bad_read;
	uint32_t first_bad_expected;
	uint32_t timeouts;
	uint32_t tef;
	uint32_t cycles_write;	/* DWT CYCCNT over the write phase */
	uint32_t cycles_read;	/* ... and over the read-back phase */
	uint32_t irqs;		/* QUADSPI interrupts taken */
	uint32_t irq_sr;	/* SR as the interrupt handler read it */
};

volatile struct probe_params params = {4096, 1, 1, 0, 64, 64};
volatile struct probe_result probe;

static const struct xspi_probe qspi = {
	QSPI + 0x08, QSPI + 0x0C, &probe.timeouts, &probe.tef
};

/* Waits out the previous command and clears every flag FCR clears
 * (docs/hardware-stm32h7.md §6.2). */
static void start_command(void)
{
	xspi_wait_sr(&qspi, SR_BUSY, 0);
	QSPI_FCR = 0x1BU;
}

static void command(uint32_t ccr)
{
	start_command();
	QSPI_CCR = ccr;
	xspi_finish(&qspi);
}

void qspi_isr(void);
extern uint32_t __stack_top[];
void _start(void);
void prog_default_handler(void);

/* 16 system entries and interrupts 0-92, 512-byte aligned (ARMv7-M ARM
 * B3.2.5: the table size rounded up to a power of two). */
__attribute__((aligned(512))) void (*const qspi_vectors[128])(void) = {
	(void (*)(void))__stack_top, _start, prog_default_handler,
	prog_default_handler, prog_default_handler, prog_default_handler,
	prog_default_handler,
	[16 + QSPI_IRQN] = qspi_isr,
};

/* TCF with TCIE: note SR and clear the flag, which lowers the line. */
void qspi_isr(void)
{
	probe.irq_sr = QSPI_SR;
	QSPI_FCR = SR_TCF;
	probe.irqs++;
}

/* An instruction-only command whose end the interrupt reports: the core
 * does not read SR while it waits. */
static void command_by_interrupt(uint32_t ccr)
{
	start_command();
	QSPI_CR |= CR_TCIE;
	QSPI_CCR = ccr;
	for (uint32_t i = 0; !probe.irqs && i < 1000000; i++)
		__asm__ volatile("nop");
	QSPI_CR &= ~CR_TCIE;
	xspi_wait_sr(&qspi, SR_BUSY, 0);
}

static void read_bytes(uint32_t ccr, uint32_t addr, volatile uint8_t *out,
		       uint32_t n)
{
	start_command();
	QSPI_DLR = n - 1;
	QSPI_CCR = ccr;
	/* With no address the CCR write started the read; AR is written
	 * anyway, as HAL_QSPI_Receive does, and ignored while BUSY = 1
	 * (RM0399 §24.5.7). */
	QSPI_AR = addr;
	for (uint32_t i = 0; i < n; i++) {
		xspi_wait_fifo_at_least(&qspi, 1);
		out[i] = QSPI_DR8;
	}
	xspi_finish(&qspi);
}

static void qpi_write(uint32_t addr, uint32_t n)
{
	start_command();
	QSPI_DLR = n - 1;
	QSPI_CCR = IMODE(3) | ADMODE(3) | ADSIZE_24 | DMODE(3) | 0x38U;
	QSPI_AR = addr;
	for (uint32_t i = 0; i < n; i += 4) {
		/* Room for a word: FLEVEL <= 28 (32-byte FIFO). */
		xspi_wait_fifo_at_most(&qspi, 28);
		QSPI_DR = xspi_pattern(addr + i, params.seed);
	}
	xspi_finish(&qspi);
}

static void qpi_read_check(uint32_t addr, uint32_t n)
{
	start_command();
	QSPI_DLR = n - 1;
	QSPI_CCR = FMODE_READ | IMODE(3) | ADMODE(3) | ADSIZE_24 | DCYC(6) |
		   DMODE(3) | 0xEBU;
	QSPI_AR = addr;
	for (uint32_t i = 0; i < n; i += 4) {
		uint32_t got, want = xspi_pattern(addr + i, params.seed);

		xspi_wait_fifo_at_least(&qspi, 4);
		got = QSPI_DR;
		if (got != want) {
			if (probe.mismatches == 0) {
				probe.first_bad_addr = addr + i;
				probe.first_bad_read = got;
				probe.first_bad_expected = want;
			}
			probe.mismatches++;
		}
	}
	xspi_finish(&qspi);
}

int main(void)
{
	uint32_t len = params.length & ~3U;
	uint32_t base = params.offset & ~3U;
	/* 64 bytes by default: well inside tCEM (8 µs) at 32 MHz. */
	uint32_t burst = params.burst & ~3U;
	uint32_t wburst = params.write_burst & ~3U;
	uint32_t t0;

	RCC_AHB4ENR |= (1U << 1) | (1U << 3) | (1U << 4);
	RCC_AHB3ENR |= 1U << 14;
	(void)RCC_AHB3ENR;
	xspi_probe_pins();

	/* 8 MiB (FSIZE 22), nCS high 3 cycles (> 50 ns tCPH at 32 MHz),
	 * mode 0; FIFO threshold 4 bytes. */
	QSPI_DCR = (22U << 16) | (2U << 8);
	QSPI_CR = (params.prescaler << 24) | (3U << 8) | 1U;

	/* The chip's mode after an MCU reset is unknown: reset in QPI form,
	 * then in SPI form (docs/psram-chips.md §5). */
	command(IMODE(3) | 0x66U);
	command(IMODE(3) | 0x99U);
	SCB_VTOR = (uint32_t)qspi_vectors;
	NVIC_ISER(QSPI_IRQN / 32) = 1U << (QSPI_IRQN % 32);
	command_by_interrupt(IMODE(1) | 0x66U);
	NVIC_ICER(QSPI_IRQN / 32) = 1U << (QSPI_IRQN % 32);
	command(IMODE(1) | 0x99U);

	read_bytes(FMODE_READ | IMODE(1) | ADMODE(1) | ADSIZE_24 | DMODE(1) |
			   0x9FU,
		   0, probe.id, 8);
	read_bytes(FMODE_READ | IMODE(1) | DMODE(1) | 0x9FU, 0,
		   probe.jedec, 3);

	dwt_cycle_counter_on();

	command(IMODE(1) | 0x35U);
	t0 = DWT_CYCCNT;
	for (uint32_t a = 0; a < len; a += wburst)
		qpi_write(base + a, len - a < wburst ? len - a : wburst);
	probe.cycles_write = DWT_CYCCNT - t0;
	t0 = DWT_CYCCNT;
	for (uint32_t a = 0; a < len; a += burst)
		qpi_read_check(base + a, len - a < burst ? len - a : burst);
	probe.cycles_read = DWT_CYCCNT - t0;
	command(IMODE(3) | 0xF5U);

	probe.done = 0xD0E1D0E1U;
	return (int)probe.mismatches;
}
