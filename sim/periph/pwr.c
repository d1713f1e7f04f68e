#include "periph/pwr.h"

#include <stdlib.h>
#include <string.h>

#include "util/log.h"

#define CR1 0x00U
#define CSR1 0x04U
#define CR2 0x08U
#define CR3 0x0CU
#define CPUCR 0x10U
#define D3CR 0x18U
#define WKUPCR 0x20U
#define WKUPFR 0x24U
#define WKUPEPR 0x28U

#define CR3_BYPASS (1U << 0)
#define CR3_LDOEN (1U << 1)
#define CR3_SCUEN (1U << 2)
#define CR3_SUPPLY (CR3_BYPASS | CR3_LDOEN)
#define CSR1_ACTVOSRDY (1U << 13)
#define D3CR_VOSRDY (1U << 13)
#define D3CR_VOS_SHIFT 14U
#define CR2_BREN (1U << 0)
#define CR2_BRRDY (1U << 16)
#define CR1_DBP (1U << 8)
#define CR3_USB33DEN (1U << 24)
#define CR3_USB33RDY (1U << 26)

/* The bits software can write (RM0433 §6.8): CR1 LPDS, PVDE, PLS, DBP,
 * FLPS, SVOS, AVDEN, ALS; CPUCR PDDS_D1/D2/D3, RUN_D3 (its flags are
 * read-only, CSSF clears them); WKUPEPR WKUPEN, WKUPP, WKUPPUPD. */
#define CR1_WRITABLE 0x0007C3F1U
#define CPUCR_WRITABLE 0x00000807U
#define WKUPEPR_WRITABLE 0x0FFF3F3FU

struct pwr {
	bool rev_v;
	uint32_t cr1, cr2, cr3, cpucr, d3cr, wkupcr, wkupepr;
	/* The supply configuration was written (CR3's lower byte is locked)
	 * and is the one this board's power design allows. */
	bool supply_ok;
	bool oden;
	pwr_change_fn on_change;
	void *change_ctx;
};

struct pwr *pwr_new(bool rev_v)
{
	struct pwr *pwr = calloc(1, sizeof(*pwr));

	if (!pwr)
		abort();
	pwr->rev_v = rev_v;
	pwr_power_on(pwr);
	return pwr;
}

void pwr_free(struct pwr *pwr)
{
	free(pwr);
}

void pwr_system_reset(struct pwr *pwr)
{
	/* RM0433 §6.8: reset values; VOS returns to scale 3, ODEN (SYSCFG)
	 * is cleared by the same reset. PWR_CR2 (backup regulator) is in
	 * the backup domain: only a power-on resets it (§6.8.3). */
	pwr->cr1 = 0xF000C000U;
	pwr->cpucr = 0;
	pwr->d3cr = 1U << D3CR_VOS_SHIFT;
	if (pwr->supply_ok)
		pwr->d3cr |= D3CR_VOSRDY;
	pwr->wkupcr = 0;
	pwr->wkupepr = 0;
	pwr->oden = false;
}

void pwr_backup_reset(void *ctx)
{
	struct pwr *pwr = ctx;

	pwr->cr2 = 0;
}

void pwr_power_on(struct pwr *pwr)
{
	/* CR3 after power-on: SCUEN and LDOEN (RM0433 §6.8.4); the supply
	 * configuration is still to be written, so ACTVOSRDY reads 0. */
	pwr->cr3 = CR3_SCUEN | CR3_LDOEN;
	pwr_backup_reset(pwr);
	pwr->supply_ok = false;
	pwr_system_reset(pwr);
}

static unsigned vos_field(const struct pwr *pwr)
{
	return (pwr->d3cr >> D3CR_VOS_SHIFT) & 3U;
}

enum vos pwr_vos(const struct pwr *pwr)
{
	/* VOS 11 scale 1, 10 scale 2, 01 scale 3; 00 is reserved and
	 * selects scale 3 (RM0433 §6.8.6). */
	switch (vos_field(pwr)) {
	case 3:
		return pwr->oden ? VOS0 : VOS1;
	case 2:
		return VOS2;
	default:
		return VOS3;
	}
}

void pwr_on_change(struct pwr *pwr, pwr_change_fn fn, void *ctx)
{
	pwr->on_change = fn;
	pwr->change_ctx = ctx;
}

static void changed(struct pwr *pwr)
{
	if (pwr->on_change)
		pwr->on_change(pwr->change_ctx);
}

void pwr_set_oden(struct pwr *pwr, bool on)
{
	if (on == pwr->oden)
		return;
	if (on && !pwr->rev_v) {
		sim_log(LOG_GUEST_ERROR,
			"SYSCFG_PWRCR.ODEN set on a revision Y part: VOS0 "
			"exists on revision V only (RM0433 §6.6.2); ignored");
		return;
	}
	/* RM0433 §6.6.2: VOS0 is entered from scale 1 once VOSRDY is set. */
	if (on && (vos_field(pwr) != 3 || !(pwr->d3cr & D3CR_VOSRDY))) {
		sim_log(LOG_GUEST_ERROR,
			"SYSCFG_PWRCR.ODEN set while PWR_D3CR is not at scale 1 "
			"with VOSRDY (RM0433 §6.6.2); ignored");
		return;
	}
	pwr->oden = on;
	changed(pwr);
}

static uint32_t csr1(const struct pwr *pwr)
{
	/* ACTVOS mirrors the scale in force; ACTVOSRDY says the supply
	 * configuration is valid and the scale reached (RM0433 §6.8.2). */
	uint32_t v = ((pwr->d3cr >> D3CR_VOS_SHIFT) & 3U) << 14;

	if (pwr->supply_ok && (pwr->d3cr & D3CR_VOSRDY))
		v |= CSR1_ACTVOSRDY;
	return v;
}

bool pwr_backup_writable(const struct pwr *pwr)
{
	return pwr->cr1 & (1U << 8);
}

static uint32_t *reg_of(struct pwr *pwr, uint32_t off)
{
	switch (off) {
	case CR1:
		return &pwr->cr1;
	case CR2:
		return &pwr->cr2;
	case CR3:
		return &pwr->cr3;
	case CPUCR:
		return &pwr->cpucr;
	case D3CR:
		return &pwr->d3cr;
	case WKUPCR:
		return &pwr->wkupcr;
	case WKUPEPR:
		return &pwr->wkupepr;
	default:
		return NULL;
	}
}

static bool pwr_read(void *dev, uint32_t off, unsigned size, uint32_t *value,
		     enum bus_master master)
{
	struct pwr *pwr = dev;
	uint32_t word = off & ~3U, v;
	uint32_t *r = reg_of(pwr, word);

	(void)master;
	if (word == CSR1)
		v = csr1(pwr);
	else if (word == WKUPFR || word == WKUPCR)
		v = 0; /* no wake-up event; WKUPCR reads 0 (§6.8.7) */
	else if (r)
		v = *r;
	else
		v = 0; /* reserved offsets read 0 */
	v >>= 8 * (off & 3U);
	*value = size < 4 ? v & ((1U << (8 * size)) - 1U) : v;
	return true;
}

static void write_cr3(struct pwr *pwr, uint32_t v)
{
	/* The lower byte is written once after power-on; later writes to it
	 * are ignored (RM0433 §6.8.4). USB and VBAT bits stay writable. */
	uint32_t upper = v & 0x03000300U;

	if (!(pwr->cr3 & CR3_SCUEN)) {
		if ((v ^ pwr->cr3) & CR3_SUPPLY)
			sim_log(LOG_GUEST_ERROR,
				"PWR_CR3: supply configuration written again "
				"(0x%02x, locked at 0x%02x): ignored "
				"(RM0433 §6.8.4)",
				v & 0xFFU, pwr->cr3 & 0xFFU);
		pwr->cr3 = (pwr->cr3 & ~(0x03000300U | CR3_USB33RDY)) | upper;
		/* USB33RDY: the boards feed VDD33USB from 3.3 V, so the
		 * detector reports it at once (§6.8.4). */
		if (pwr->cr3 & CR3_USB33DEN)
			pwr->cr3 |= CR3_USB33RDY;
		return;
	}
	pwr->cr3 = (v & CR3_SUPPLY) | upper;
	if (pwr->cr3 & CR3_USB33DEN)
		pwr->cr3 |= CR3_USB33RDY;
	/* The board powers VCORE from the internal LDO (its VCAP pins carry
	 * only capacitors): LDOEN=1 BYPASS=0 is the one valid choice here;
	 * any other combination locks the register and ACTVOSRDY stays 0
	 * (RM0433 §6.4, Table 33). */
	pwr->supply_ok = (v & CR3_SUPPLY) == CR3_LDOEN;
	if (!pwr->supply_ok)
		sim_log(LOG_GUEST_ERROR,
			"PWR_CR3: supply configuration 0x%02x (LDOEN=%u "
			"BYPASS=%u) does not match the board's LDO supply; "
			"ACTVOSRDY stays 0 until power-off (RM0433 §6.4)",
			v & 0xFFU, (v >> 1) & 1U, v & 1U);
	else
		pwr->d3cr |= D3CR_VOSRDY;
}

static void write_d3cr(struct pwr *pwr, uint32_t v)
{
	uint32_t before = vos_field(pwr);
	enum vos old = pwr_vos(pwr);

	pwr->d3cr = (pwr->d3cr & ~(3U << D3CR_VOS_SHIFT)) |
		    (v & (3U << D3CR_VOS_SHIFT));
	if (!pwr->supply_ok) {
		/* RM0433 §6.8.4: the supply configuration comes first. */
		if (vos_field(pwr) != before)
			sim_log(LOG_GUEST_ERROR,
				"PWR_D3CR.VOS changed before the supply "
				"configuration (PWR_CR3) was written: the "
				"scale is not reached (RM0433 §6.8.4)");
		pwr->d3cr &= ~D3CR_VOSRDY;
	} else {
		pwr->d3cr |= D3CR_VOSRDY;
	}
	if (pwr->oden && vos_field(pwr) != 3) {
		/* RM0433 §6.6.2: VOS0 is left by clearing ODEN first. */
		sim_log(LOG_GUEST_ERROR,
			"PWR_D3CR.VOS lowered while SYSCFG_PWRCR.ODEN is set "
			"(RM0433 §6.6.2)");
		pwr->oden = false;
	}
	if (pwr_vos(pwr) != old)
		changed(pwr);
}

static bool pwr_write(void *dev, uint32_t off, unsigned size, uint32_t value,
		      enum bus_master master)
{
	struct pwr *pwr = dev;
	uint32_t word = off & ~3U, shift = 8 * (off & 3U);
	uint32_t mask = (size == 4 ? 0xFFFFFFFFU : (1U << (8 * size)) - 1U)
			<< shift;
	uint32_t *r = reg_of(pwr, word);
	uint32_t v;

	(void)master;
	if (!r)
		return true; /* CSR1, WKUPFR and reserved words: read-only */
	v = (*r & ~mask) | ((value << shift) & mask);
	switch (word) {
	case CR3:
		write_cr3(pwr, v);
		break;
	case D3CR:
		write_d3cr(pwr, v);
		break;
	case CR1:
		pwr->cr1 = (pwr->cr1 & ~CR1_WRITABLE) | (v & CR1_WRITABLE);
		break;
	case CR2:
		/* Backup domain: written only with DBP (§6.4.4). The backup
		 * regulator is ready as soon as it is on. */
		if (!(pwr->cr1 & CR1_DBP)) {
			sim_log(LOG_GUEST_ERROR,
				"PWR_CR2 written while PWR_CR1.DBP is 0: "
				"ignored (RM0433 §6.4.4)");
			break;
		}
		pwr->cr2 = (v & 0x11U) | ((v & CR2_BREN) ? CR2_BRRDY : 0);
		break;
	case CPUCR:
		pwr->cpucr = v & CPUCR_WRITABLE;
		break;
	case WKUPCR:
		break; /* write 1 to clear a WKUPFR flag: none is set */
	case WKUPEPR:
		pwr->wkupepr = v & WKUPEPR_WRITABLE;
		break;
	default:
		*r = v;
		break;
	}
	return true;
}

const struct mmio_ops pwr_ops = {pwr_read, pwr_write};
