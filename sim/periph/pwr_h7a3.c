/* RM0455 §6.8 PWR registers of the STM32H7A3/B3/B0.
 *
 * Supply configuration (RM0455 §6.4, §6.8.4 PWR_CR3): the low byte of CR3
 * (BYPASS, LDOEN, SMPSEN, SMPSEXTHP, SMPSLEVEL) is written once after a
 * power-on reset and then locked. The LQFP100 package has no step-down
 * converter pins (DS13195 pinout), so only the LDO keeps VCORE in
 * regulation: a configuration that turns the LDO off (SMPS alone, or
 * bypass with no external VCORE on this board) leaves CSR1.ACTVOSRDY at 0,
 * as the register description says for an unusable configuration.
 *
 * Voltage scaling (§6.8.7 PWR_SRDCR): VOS[15:14] 00 = VOS3 ... 11 = VOS0;
 * VOSRDY (bit 13) and CSR1.ACTVOS/ACTVOSRDY follow the request at once
 * while the supply is in regulation: the settling time passes while
 * software polls, and the virtual clock gains nothing from modelling it. */
#include "periph/pwr_h7a3.h"

#include <stdlib.h>

#include "util/log.h"

#define CR3_BYPASS (1U << 0)
#define CR3_LDOEN (1U << 1)
#define CR3_SMPSEN (1U << 2)
#define CR3_SUPPLY_BYTE 0x000000FFU
#define CR3_SUPPLY_BITS 0x0000003FU
/* Upper bytes: VBE, VBRS, USB33DEN, USBREGEN (writable at any time). */
#define CR3_UPPER_WRITABLE 0x03000300U
#define CR3_USB33RDY (1U << 26)
#define CSR1_ACTVOSRDY (1U << 13)
#define CSR1_ACTVOS_SHIFT 14U
#define SRDCR_VOSRDY (1U << 13)
#define SRDCR_VOS_SHIFT 14U
#define SRDCR_VOS_MASK (3U << SRDCR_VOS_SHIFT)

struct pwr_h7a3 {
	uint32_t cr1, cr2, cr3, cpucr, srdcr;
	uint32_t wkupepr;
	bool cr3_locked;	/* the supply byte was written since POR */
	bool regulated;		/* VCORE is supplied */
	void (*on_change)(void *ctx);
	void *change_ctx;
};

void pwr_h7a3_on_change(struct pwr_h7a3 *p, void (*fn)(void *ctx), void *ctx)
{
	p->on_change = fn;
	p->change_ctx = ctx;
}

struct pwr_h7a3 *pwr_h7a3_new(void)
{
	struct pwr_h7a3 *p = calloc(1, sizeof(*p));

	if (!p)
		abort();
	pwr_h7a3_power_on(p);
	return p;
}

void pwr_h7a3_free(struct pwr_h7a3 *p)
{
	free(p);
}

void pwr_h7a3_reset(struct pwr_h7a3 *p)
{
	/* PWR_CR2 (backup regulator, monitoring) is in the backup domain:
	 * a system reset keeps it (RM0455 §6.8.3). */
	p->cr1 = 0xF000C000U;
	p->cpucr = 0;
	/* VOS3 after reset; ready while the supply is in regulation. */
	p->srdcr = p->regulated ? SRDCR_VOSRDY : 0;
	p->wkupepr = 0;
}

void pwr_h7a3_backup_reset(void *ctx)
{
	struct pwr_h7a3 *p = ctx;

	p->cr2 = 0;
}

void pwr_h7a3_power_on(struct pwr_h7a3 *p)
{
	/* RM0455 §6.8.4: CR3 reset value, LDO and step-down converter
	 * enabled; the LDO alone supplies VCORE on this package. */
	p->cr3 = CR3_SMPSEN | CR3_LDOEN;
	pwr_h7a3_backup_reset(p);
	p->cr3_locked = false;
	p->regulated = true;
	pwr_h7a3_reset(p);
}

unsigned pwr_h7a3_vos(const struct pwr_h7a3 *p)
{
	return 3U - ((p->srdcr >> SRDCR_VOS_SHIFT) & 3U);
}

bool pwr_h7a3_backup_writable(const struct pwr_h7a3 *p)
{
	return p->cr1 & (1U << 8);
}

bool pwr_h7a3_supply_ok(const struct pwr_h7a3 *p)
{
	return p->regulated;
}

static void write_cr3(struct pwr_h7a3 *p, uint32_t v)
{
	uint32_t supply = v & CR3_SUPPLY_BITS;

	p->cr3 = (p->cr3 & ~CR3_UPPER_WRITABLE) | (v & CR3_UPPER_WRITABLE);
	if (p->cr3 & (1U << 24))	/* USB33DEN: detector ready at once */
		p->cr3 |= CR3_USB33RDY;
	else
		p->cr3 &= ~CR3_USB33RDY;
	if ((v & CR3_SUPPLY_BYTE) == (p->cr3 & CR3_SUPPLY_BYTE))
		return;
	if (p->cr3_locked) {
		sim_log(LOG_GUEST_ERROR,
			"PWR_CR3: supply configuration 0x%02x written after "
			"it was set once since power-on: ignored "
			"(RM0455 §6.8.4)",
			supply);
		return;
	}
	p->cr3_locked = true;
	p->cr3 = (p->cr3 & ~CR3_SUPPLY_BYTE) | supply;
	if (!(supply & CR3_LDOEN) || (supply & CR3_BYPASS)) {
		sim_log(LOG_GUEST_ERROR,
			"PWR_CR3: supply configuration 0x%02x turns the LDO "
			"off; the LQFP100 STM32H7A3 has no step-down "
			"converter and the board no external VCORE: the core "
			"supply is out of regulation (ACTVOSRDY = 0)",
			supply);
		p->regulated = false;
		p->srdcr &= ~SRDCR_VOSRDY;
	}
}

static uint32_t csr1(const struct pwr_h7a3 *p)
{
	if (!p->regulated)
		return 0;
	return CSR1_ACTVOSRDY |
	       ((p->srdcr & SRDCR_VOS_MASK) >> SRDCR_VOS_SHIFT)
		       << CSR1_ACTVOS_SHIFT;
}

static bool pwr_read(void *dev, uint32_t off, unsigned size, uint32_t *value,
		     enum bus_master master)
{
	struct pwr_h7a3 *p = dev;
	uint32_t v;

	(void)master;
	switch (off & ~3U) {
	case PWR_H7A3_CR1:
		v = p->cr1;
		break;
	case PWR_H7A3_CSR1:
		v = csr1(p);
		break;
	case PWR_H7A3_CR2:
		v = p->cr2;
		break;
	case PWR_H7A3_CR3:
		v = p->cr3;
		break;
	case PWR_H7A3_CPUCR:
		v = p->cpucr;
		break;
	case PWR_H7A3_SRDCR:
		v = p->srdcr;
		break;
	case 0x028:	/* WKUPEPR */
		v = p->wkupepr;
		break;
	default:
		v = 0;	/* WKUPCR, WKUPFR, reserved */
		break;
	}
	v >>= 8 * (off & 3U);
	if (size < 4)
		v &= (1U << (8 * size)) - 1U;
	*value = v;
	return true;
}

static bool pwr_write(void *dev, uint32_t off, unsigned size, uint32_t value,
		      enum bus_master master)
{
	struct pwr_h7a3 *p = dev;
	uint32_t word = off & ~3U, shift = 8 * (off & 3U);
	uint32_t mask = (size == 4 ? 0xFFFFFFFFU : (1U << (8 * size)) - 1U)
			<< shift;
	uint32_t old = 0, v;

	(void)master;
	pwr_read(p, word, 4, &old, master);
	v = (old & ~mask) | ((value << shift) & mask);
	switch (word) {
	case PWR_H7A3_CR1:
		p->cr1 = v & 0xF00FF3FFU;
		break;
	case PWR_H7A3_CR2:
		/* Written only with PWR_CR1.DBP (RM0455 §6.4.4); BRRDY
		 * follows BREN at once. */
		if (!pwr_h7a3_backup_writable(p)) {
			sim_log(LOG_GUEST_ERROR,
				"PWR_CR2 written while PWR_CR1.DBP is 0: "
				"ignored (RM0455 §6.4.4)");
			break;
		}
		p->cr2 = (v & 0x00000011U) | ((v & 1U) ? 1U << 16 : 0);
		break;
	case PWR_H7A3_CR3:
		write_cr3(p, v);
		break;
	case PWR_H7A3_CPUCR:
		p->cpucr = v & 0x00000A01U;
		break;
	case PWR_H7A3_SRDCR:
		p->srdcr = (v & SRDCR_VOS_MASK) |
			   (p->regulated ? SRDCR_VOSRDY : 0);
		if (p->on_change)
			p->on_change(p->change_ctx);
		break;
	case 0x028:
		p->wkupepr = v & 0x0FFF3F3FU;
		break;
	default:
		break;
	}
	return true;
}

const struct mmio_ops pwr_h7a3_ops = {pwr_read, pwr_write};
