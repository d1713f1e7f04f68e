/* Runs on the simulated STM32H7A3: checks the Cortex-M7 L1 data cache in
 * front of the OCTOSPI window, written from the ARMv7-M ARM (DDI 0403E:
 * B3.5.9 memory attributes, the cache maintenance registers of the SCB,
 * CLIDR/CCSIDR/CSSELR) and the Cortex-M7 TRM (DDI 0489: L1 caches, CACR),
 * independent of the stub and of psramsim's model. The chip is reached
 * two ways: CPU loads and stores through the memory-mapped window, and
 * indirect-mode commands, which go past the cache; comparing the two
 * shows what the cache holds back. The OCTOSPI set-up follows RM0455 as
 * ospi_probe.c does.
 *
 * Each check sets one bit of probe.passed when the cache behaved as the
 * manuals say (see the CHK_ names); probe.failed has the ones that did
 * not. With F_NO_DQSE the window's writes have no DQS (ES0478): a store
 * to a write-back line does not reach the controller, so it does not
 * fault; the clean that writes the line back does, as an imprecise
 * BusFault. */
#include "common/h7a3_octospi.h"

/* RM0455 OCTOSPI1 and its window, set up as in ospi_probe.c. */
#define OSPI OSPI1
#define WINDOW 0x90000000U
#define QPI (IMODE(3) | ADMODE(3) | ADSIZE_24 | DMODE(3))	/* 4-4-4, 24-bit */

/* ARMv7-M ARM B3.2 (SCB), B3.5 (MPU), the cache maintenance operations
 * of the SCB (0xE000EF50-0xE000EF78) and the cache identification
 * registers CLIDR, CCSIDR, CSSELR; Cortex-M7 TRM for CACR. */
#define SCB_CCR REG(0xE000ED14U)
#define CCR_DC (1U << 16)
#define SCB_SHCSR REG(0xE000ED24U)
#define SCB_CLIDR REG(0xE000ED78U)
#define SCB_CCSIDR REG(0xE000ED80U)
#define SCB_CSSELR REG(0xE000ED84U)
#define DCIMVAC 0xE000EF5CU
#define DCISW 0xE000EF60U
#define DCCMVAC 0xE000EF68U
#define DCCSW 0xE000EF6CU
#define DCCIMVAC 0xE000EF70U
#define DCCISW 0xE000EF74U
#define CACR REG(0xE000EF9CU)
#define CACR_FORCEWT (1U << 2)
#define MPU_CTRL REG(0xE000ED94U)
#define MPU_RNR REG(0xE000ED98U)
#define MPU_RBAR REG(0xE000ED9CU)
#define MPU_RASR REG(0xE000EDA0U)
/* RASR: XN, AP = full access, TEX/S/C/B, SIZE = 2^(n+1), ENABLE. */
#define RASR_XN (1U << 28)
#define RASR_AP_FULL (3U << 24)
#define RASR_TEX(n) ((uint32_t)(n) << 19)
#define RASR_S (1U << 18)
#define RASR_C (1U << 17)
#define RASR_B (1U << 16)
#define RASR_SIZE_8M (22U << 1)
#define ATTR_WB (RASR_TEX(1) | RASR_C | RASR_B)	/* WB, read/write alloc */
#define ATTR_WT RASR_C				/* WT, no write alloc */

#define F_NO_DQSE (1U << 0)
#define F_LEAVE_DIRTY (1U << 1)	/* end with a dirty line, no clean */
#define F_READ_CHIP (1U << 2)	/* only read that word of the chip */
#define DIRTY_OFF 0x7100U

enum check {
	CHK_GEOMETRY,		/* CLIDR: separate I/D at L1, LoC 1; CCSIDR:
				 * 4 ways, 8-word lines, 128 sets */
	CHK_WB_STORE_STAYS,	/* a WB store is not in the chip */
	CHK_WB_CLEAN,		/* DCCMVAC writes it to the chip */
	CHK_STALE_READ,		/* a line outlives an indirect write */
	CHK_INVALIDATE_REFETCH,	/* DCIMVAC: the next load reads the chip */
	CHK_INVALIDATE_DROPS,	/* DCIMVAC of a dirty line loses the store */
	CHK_EVICTION,		/* a 5th line in a 4-way set writes 1 back */
	CHK_SETWAY_CLEAN,	/* DCCSW writes every dirty line */
	CHK_SETWAY_INVALIDATE,	/* DCISW drops every dirty line */
	CHK_WT_STORE,		/* a WT store reaches the chip */
	CHK_WT_NO_ALLOCATE,	/* a WT store miss leaves no line */
	CHK_DC_OFF,		/* CCR.DC = 0: stores reach the chip */
	CHK_SHAREABLE,		/* WB + S: not cached (CACR.SIWT = 0) */
	CHK_FORCEWT,		/* CACR.FORCEWT: WB acts as WT */
	CHK_COUNT
};

struct probe_params {
	uint32_t flags;		/* bit 31 set until the debugger writes */
};

struct probe_result {
	uint32_t done;
	uint32_t passed, failed;	/* bit n: enum check n */
	uint32_t clidr, ccsidr;
	uint32_t stage;
	uint32_t fault_cfsr, fault_hfsr;
	uint32_t chip_word;		/* F_READ_CHIP: the word at DIRTY_OFF */
};

/* In .data: the debugger writes it after loading, before _start. */
volatile struct probe_params params = {0x80000000U};
volatile struct probe_result probe;

static uint32_t sets;

/* Waits uncounted, TEF left alone. */
static const struct xspi_probe ctl = {OSPI + SR, OSPI + FCR, NULL, NULL};

void prog_fault_handler(void);
void prog_exit(int code) __attribute__((noreturn));

void prog_fault_handler(void)
{
	xspi_probe_fault(&probe.fault_cfsr, &probe.fault_hfsr, &probe.done);
}

static void dsb(void)
{
	__asm__ volatile("dsb\n\tisb" ::: "memory");
}

static void result(enum check c, int ok)
{
	if (ok)
		probe.passed |= 1U << c;
	else
		probe.failed |= 1U << c;
}

/* ---- OCTOSPI: indirect commands and memory-mapped mode ---------------- */

static void wait_idle(void)
{
	xspi_wait_sr(&ctl, SR_BUSY, 0);
}

static void indirect(uint32_t fmode, uint32_t ccr, uint32_t dcyc, uint32_t n)
{
	wait_idle();
	REG(OSPI + FCR) = 0x1BU;
	REG(OSPI + CR) = CR_FTHRES(3) | CR_FMODE(fmode) | CR_EN;
	REG(OSPI + CCR) = ccr;
	REG(OSPI + TCR) = dcyc;
	REG(OSPI + DLR) = n - 1U;
}

static void command(uint32_t imode, uint8_t op)
{
	indirect(0, imode, 0, 1);
	REG(OSPI + IR) = op;
	xspi_finish(&ctl);
}

/* One word at `off` in the chip, in QPI indirect mode (0x38 / 0xEB). */
static void chip_write(uint32_t off, uint32_t v)
{
	indirect(0, QPI, 0, 4);
	REG(OSPI + IR) = 0x38U;
	REG(OSPI + AR) = off;
	REG(OSPI + DR) = v;
	xspi_finish(&ctl);
}

static uint32_t chip_read(uint32_t off)
{
	uint32_t v;

	indirect(1, QPI, 6, 4);
	REG(OSPI + IR) = 0xEBU;
	REG(OSPI + AR) = off;
	xspi_wait_fifo_at_least(&ctl, 4);
	v = REG(OSPI + DR);
	xspi_finish(&ctl);
	return v;
}

static void map(void)
{
	wait_idle();
	REG(OSPI + CR) = CR_FTHRES(3) | CR_EN;
	REG(OSPI + LPTR) = 16;
	REG(OSPI + CCR) = QPI;
	REG(OSPI + TCR) = 6;
	REG(OSPI + IR) = 0xEBU;
	REG(OSPI + WCCR) = QPI | ((params.flags & F_NO_DQSE) ? 0U : DQSE);
	REG(OSPI + WTCR) = 0;
	REG(OSPI + WIR) = 0x38U;
	REG(OSPI + CR) = CR_FTHRES(3) | CR_TCEN | CR_FMODE(3) | CR_EN;
}

/* Leaving memory-mapped mode does not touch the cache. An abort drops
 * the writes the OCTOSPI still holds, so a load through the window that
 * cannot hit in the cache (its line just invalidated) comes first: the
 * controller answers it only after the writes before it. */
#define DRAIN_OFF 0x7FFFE0U

static void by_address(uint32_t reg, uint32_t addr);

static void unmap(void)
{
	by_address(DCCIMVAC, WINDOW + DRAIN_OFF);
	(void)REG(WINDOW + DRAIN_OFF);
	dsb();
	REG(OSPI + CR) |= CR_ABORT;
	wait_idle();
	REG(OSPI + CR) = CR_FTHRES(3) | CR_EN;
}

/* ---- the cache ---------------------------------------------------------*/

static void by_set_way(uint32_t reg)
{
	for (uint32_t s = 0; s < sets; s++)
		for (uint32_t w = 0; w < 4U; w++)
			REG(reg) = w << 30 | s << 5;
	dsb();
}

static void by_address(uint32_t reg, uint32_t addr)
{
	dsb();
	REG(reg) = addr;
	dsb();
}

/* Region 0 over the first 8 MiB of the window with `attr`; the rest of
 * memory keeps the default map (PRIVDEFENA). The cache is emptied first:
 * lines must not outlive a change of attributes. */
static void mpu_window(uint32_t attr)
{
	by_set_way(DCCISW);
	MPU_CTRL = 0;
	dsb();
	MPU_RNR = 0;
	MPU_RBAR = WINDOW;
	MPU_RASR = RASR_XN | RASR_AP_FULL | attr | RASR_SIZE_8M | 1U;
	MPU_CTRL = 1U | 4U;
	dsb();
}

static volatile uint32_t *win(uint32_t off)
{
	return (volatile uint32_t *)(WINDOW + off);
}

/* ---- the checks ----------------------------------------------------------*/

static void check_geometry(void)
{
	uint32_t c;

	SCB_CSSELR = 0;	/* level 1, data */
	dsb();
	c = SCB_CCSIDR;
	probe.clidr = SCB_CLIDR;
	probe.ccsidr = c;
	sets = ((c >> 13) & 0x7FFFU) + 1U;
	result(CHK_GEOMETRY, (probe.clidr & 7U) == 3U &&
				     ((probe.clidr >> 24) & 7U) == 1U &&
				     (c & 7U) == 1U && ((c >> 3) & 0x3FFU) == 3U &&
				     sets == 128U);
}

static void check_write_back(void)
{
	uint32_t off = 0x1040U;

	mpu_window(ATTR_WB);
	chip_write(off, 0x11111111U);
	map();
	*win(off) = 0xA1A1A1A1U;
	unmap();
	result(CHK_WB_STORE_STAYS, chip_read(off) == 0x11111111U);
	map();
	by_address(DCCMVAC, WINDOW + off);
	unmap();
	result(CHK_WB_CLEAN, chip_read(off) == 0xA1A1A1A1U);
}

static void check_stale_and_invalidate(void)
{
	uint32_t off = 0x2080U, first;

	mpu_window(ATTR_WB);
	chip_write(off, 0x22222222U);
	map();
	first = *win(off);
	unmap();
	chip_write(off, 0x33333333U);
	map();
	result(CHK_STALE_READ, first == 0x22222222U &&
				       *win(off) == 0x22222222U);
	by_address(DCIMVAC, WINDOW + off);
	result(CHK_INVALIDATE_REFETCH, *win(off) == 0x33333333U);
	unmap();

	off = 0x30C0U;
	chip_write(off, 0x44444444U);
	map();
	*win(off) = 0xB4B4B4B4U;
	by_address(DCIMVAC, WINDOW + off);
	result(CHK_INVALIDATE_DROPS, *win(off) == 0x44444444U);
	unmap();
	result(CHK_INVALIDATE_DROPS, chip_read(off) == 0x44444444U);
}

/* Five lines of one set (a set's lines are sets * 32 bytes apart). */
static uint32_t same_set(uint32_t k)
{
	return 0x10000U + k * sets * 32U;
}

static void check_eviction(void)
{
	uint32_t reached = 0;

	mpu_window(ATTR_WB);
	for (uint32_t k = 0; k < 5U; k++)
		chip_write(same_set(k), 0x55555555U);
	map();
	for (uint32_t k = 0; k < 5U; k++)
		*win(same_set(k)) = 0xC5C50000U | k;
	unmap();
	for (uint32_t k = 0; k < 5U; k++)
		reached += chip_read(same_set(k)) == (0xC5C50000U | k);
	result(CHK_EVICTION, reached == 1U);

	map();
	by_set_way(DCCSW);
	unmap();
	reached = 0;
	for (uint32_t k = 0; k < 5U; k++)
		reached += chip_read(same_set(k)) == (0xC5C50000U | k);
	result(CHK_SETWAY_CLEAN, reached == 5U);

	/* From an empty cache, so that the four stores fill the set's four
	 * ways whatever the replacement policy. */
	by_set_way(DCCISW);
	map();
	for (uint32_t k = 0; k < 4U; k++)
		*win(same_set(k)) = 0xD6D60000U | k;
	by_set_way(DCISW);
	reached = 0;
	for (uint32_t k = 0; k < 4U; k++)
		reached += *win(same_set(k)) == (0xC5C50000U | k);
	unmap();
	for (uint32_t k = 0; k < 4U; k++)
		reached += chip_read(same_set(k)) == (0xC5C50000U | k);
	result(CHK_SETWAY_INVALIDATE, reached == 8U);
}

static void check_write_through(void)
{
	uint32_t off = 0x4100U;

	mpu_window(ATTR_WT);
	chip_write(off, 0x66666666U);
	map();
	(void)*win(off);		/* allocates the line */
	*win(off) = 0xE7E7E7E7U;
	unmap();
	result(CHK_WT_STORE, chip_read(off) == 0xE7E7E7E7U);

	off = 0x5140U;			/* never loaded: a store miss */
	map();
	*win(off) = 0xE8E8E8E8U;
	unmap();
	chip_write(off, 0x77777777U);
	map();
	result(CHK_WT_NO_ALLOCATE, *win(off) == 0x77777777U);
	unmap();
}

/* A store that reaches the chip at once, without maintenance. */
static int store_reaches_chip(uint32_t off, uint32_t v)
{
	chip_write(off, ~v);
	map();
	*win(off) = v;
	unmap();
	return chip_read(off) == v;
}

static void check_not_cached(void)
{
	mpu_window(ATTR_WB);
	SCB_CCR &= ~CCR_DC;
	dsb();
	result(CHK_DC_OFF, store_reaches_chip(0x6180U, 0xF9F9F9F9U));
	SCB_CCR |= CCR_DC;
	dsb();

	mpu_window(ATTR_WB | RASR_S);
	result(CHK_SHAREABLE, store_reaches_chip(0x61C0U, 0xFAFAFAFAU));

	mpu_window(ATTR_WB);
	CACR |= CACR_FORCEWT;
	dsb();
	result(CHK_FORCEWT, store_reaches_chip(0x6200U, 0xFBFBFBFBU));
	CACR &= ~CACR_FORCEWT;
	dsb();
}

/* ES0478 with a write-back window: the store stays in the cache, the
 * clean sends it and gets the AXI error. */
static void dqs_off_clean_faults(void)
{
	mpu_window(ATTR_WB);
	map();
	probe.stage = 20;
	*win(0x7000U) = 0x12345678U;
	dsb();
	probe.stage = 21;
	by_address(DCCMVAC, WINDOW + 0x7000U);
	probe.stage = 22;
	unmap();
}

int main(void)
{
	RCC_AHB4ENR |= (1U << 1) | (1U << 3) | (1U << 4);
	RCC_AHB3ENR |= AHB3_OCTOSPI1EN | AHB3_IOMNGREN;
	(void)RCC_AHB3ENR;
	xspi_probe_pins();
	REG(OSPI + DCR1) = (2U << 24) | (22U << 16) | (3U << 8);
	REG(OSPI + DCR2) = 1U;
	REG(OSPI + CR) = CR_FTHRES(3) | CR_EN;
	command(3, 0x66U);
	command(3, 0x99U);
	command(1, 0x66U);
	command(1, 0x99U);
	command(1, 0x35U);	/* QPI */

	/* BusFaults taken as such, so that CFSR tells them apart. */
	SCB_SHCSR |= 1U << 17;
	probe.stage = 1;
	check_geometry();
	/* Enable: invalidate every line first (the TRM's order), then
	 * CCR.DC. */
	by_set_way(DCISW);
	SCB_CCR |= CCR_DC;
	dsb();

	/* A write-back store left dirty when the program ends: after a
	 * reset (the cache invalid, nothing written back) the chip must
	 * still hold what was there before (F_READ_CHIP, run after it). */
	if (params.flags & F_LEAVE_DIRTY) {
		mpu_window(ATTR_WB);
		chip_write(DIRTY_OFF, 0x5EED5EEDU);
		map();
		*win(DIRTY_OFF) = 0xD1D1D1D1U;
		probe.chip_word = *win(DIRTY_OFF);	/* the line */
		probe.done = 0xD0E1D0E1U;
		prog_exit(0);
	}
	if (params.flags & F_READ_CHIP) {
		probe.chip_word = chip_read(DIRTY_OFF);
		probe.done = 0xD0E1D0E1U;
		prog_exit(0);
	}
	if (params.flags & F_NO_DQSE) {
		dqs_off_clean_faults();
		probe.done = 0xD0E1D0E1U;
		prog_exit(0);
	}
	probe.stage = 2;
	check_write_back();
	probe.stage = 3;
	check_stale_and_invalidate();
	probe.stage = 4;
	check_eviction();
	probe.stage = 5;
	check_write_through();
	probe.stage = 6;
	check_not_cached();

	probe.stage = 7;
	by_set_way(DCCISW);
	SCB_CCR &= ~CCR_DC;
	dsb();
	command(3, 0xF5U);
	probe.done = 0xD0E1D0E1U;
	return (int)probe.failed;
}
