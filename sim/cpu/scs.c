/* The Cortex-M7 Private Peripheral Bus, 0xE0000000-0xE00FFFFF: ITM, DWT,
 * FPB, the System Control Space (SCB, NVIC, SysTick, MPU, debug registers)
 * and the ROM tables. Register layouts and reset values: ARMv7-M ARM
 * (DDI 0403E) B3 and C1, Cortex-M7 TRM (DDI 0489) ch. 3 and 10. */
#include "cpu/core_internal.h"

#include <string.h>

#include "cpu/dcache.h"
#include "util/log.h"

#define PPB_ITM 0x00000U
#define PPB_DWT 0x01000U
#define PPB_FPB 0x02000U
#define PPB_SCS 0x0E000U
#define PPB_ROM_MCU 0xFE000U	/* STM32H7 top-level ROM table */
#define PPB_ROM_M7 0xFF000U	/* Cortex-M7 PPB ROM table */

/* FPv5 on the Cortex-M7, double or single precision (Cortex-M7 TRM,
 * "FPU programmers model": MVFR0-2). */
#define MVFR0_FPV5_DP 0x10110221U
#define MVFR0_FPV5_SP 0x10110021U
#define MVFR1_FPV5_DP 0x12000011U
#define MVFR1_FPV5_SP 0x11000011U
#define MVFR2_M7 0x00000040U
/* ACTLR bits the Cortex-M7 defines (TRM "Auxiliary Control Register"):
 * DISFOLD [2], FPEXCODIS [10], DISRAMODE [11], DISITMATBFLUSH [12],
 * DISBTACREAD [13], DISBTACALLOC [14], DISCRITAXIRUR [15], DISDI
 * [20:16], DISISSCH1 [25:21], DISDYNADD [26], DISCRITAXIRUW [27],
 * DISFPUISSOPT [28]. Reset value 0. */
#define ACTLR_BITS 0x1FFFFC04U
/* ITCMCR/DTCMCR (TRM "Instruction and Data Tightly-Coupled Memory
 * Control Registers"): EN [0], RMW [1], RETEN [2] writable, SZ [6:3]
 * read-only; AHBPCR (TRM "AHBP Control Register"): EN [0] writable, SZ
 * [3:1] read-only. */
#define TCMCR_WRITABLE 0x7U
#define AHBPCR_SZ_512MB (4U << 1)

/* TCMCR.SZ: 0b0011 is 4 KiB, each step doubles; 0 is no TCM. */
static uint32_t tcm_size_field(uint32_t bytes)
{
	uint32_t sz = 3;

	if (bytes < 4096)
		return 0;
	while (sz < 15 && (4096U << (sz - 3)) < bytes)
		sz++;
	return sz << 3;
}
#define DWT_CTRL_NUMCOMP_4 0x40000000U
#define DWT_CTRL_CYCCNTENA 1U
#define DWT_LAR_KEY 0xC5ACCE55U
/* FPB version 2 (REV = 1), 8 instruction comparators. */
#define FP_CTRL_FIXED 0x10000080U

static bool cyccnt_running(const struct core *cpu)
{
	return (cpu->scs.demcr & DEMCR_TRCENA) &&
	       (cpu->scs.dwt_ctrl & DWT_CTRL_CYCCNTENA);
}

uint32_t scs_cyccnt(struct core *cpu)
{
	if (cyccnt_running(cpu))
		return (uint32_t)(core_time(cpu) - cpu->scs.cyccnt_base);
	return cpu->scs.cyccnt_frozen;
}

/* CYCCNT keeps its value across enable changes: freeze it when it stops,
 * rebase it when it starts. */
static void cyccnt_update(struct core *cpu, bool was_running)
{
	bool now_running = cyccnt_running(cpu);

	if (was_running && !now_running)
		cpu->scs.cyccnt_frozen =
			(uint32_t)(core_time(cpu) - cpu->scs.cyccnt_base);
	else if (!was_running && now_running)
		cpu->scs.cyccnt_base =
			core_time(cpu) - cpu->scs.cyccnt_frozen;
}

/* Unicorn 2.0.1 keeps no CPACR or CCR of its own (its FPU is always on
 * and it never traps a division by zero), so the core checks the
 * instructions these registers control before they execute (core.c,
 * insn_trap). */
void scs_traps_update(struct core *cpu)
{
	unsigned traps = 0;

	/* B3.2.20: CP10 and CP11 (bits [23:20]) both 0b11 is full access;
	 * anything else denies some or all code. */
	if ((cpu->scs.cpacr & 0x00F00000U) != 0x00F00000U)
		traps |= INSN_TRAP_COPROC;
	if (cpu->scs.ccr & (1U << 4))
		traps |= INSN_TRAP_DIV0;
	if (cpu->scs.ccr & (1U << 3))
		traps |= INSN_TRAP_UNALIGN;
	if (cpu->scs.fpccr & 1U)
		traps |= INSN_TRAP_LAZYFP;
	cpu->insn_traps = traps;
}

void scs_reset(struct core *cpu, bool power_on)
{
	struct scs_state *s = &cpu->scs;
	struct scs_state keep = *s;

	memset(s, 0, sizeof(*s));
	s->vtor = cpu->boot_address;
	/* Cortex-M7 TRM 3.2: CCR resets with STKALIGN and BP set. */
	s->ccr = (1U << 9) | (1U << 18);
	s->dwt_lock = 1;
	s->fpccr = 0xC0000000U;
	/* The STM32s enable both TCMs and the AHBP at reset (their
	 * INITTCMEN and INITAHBPEN inputs: the TCMs and the peripherals
	 * answer from the first instruction, RM0433 §2.3). */
	s->itcmcr = 1U;
	s->dtcmcr = 1U;
	s->ahbpcr = 1U;
	if (!power_on) {
		/* ARMv7-M C1.4.1: a system (local) reset leaves the debug
		 * logic alone: DHCSR control bits, DEMCR, the FPB and the DWT
		 * comparators keep their values. */
		s->dhcsr_ctrl = keep.dhcsr_ctrl;
		s->demcr = keep.demcr;
		s->dfsr = keep.dfsr;
		s->fp_ctrl_enable = keep.fp_ctrl_enable;
		memcpy(s->fp_comp, keep.fp_comp, sizeof(s->fp_comp));
		memcpy(s->dwt_comp, keep.dwt_comp, sizeof(s->dwt_comp));
		memcpy(s->dwt_mask, keep.dwt_mask, sizeof(s->dwt_mask));
		memcpy(s->dwt_function, keep.dwt_function,
		       sizeof(s->dwt_function));
		s->dcrdr = keep.dcrdr;
	}
	s->cyccnt_base = core_time(cpu);
	scs_traps_update(cpu);
	/* Cortex-M7 TRM "Level 1 memory system": the caches are invalid
	 * after reset; dirty lines are never written back. */
	if (cpu->dcache)
		dcache_reset(cpu->dcache);
	nvic_reset(cpu);
	systick_reset(cpu);
}

/* CoreSight component identification (PIDR4..7, PIDR0..3, CIDR0..3 at
 * 0xFD0-0xFFC). */
static bool read_component_id(uint32_t off, const uint8_t pid[8], uint8_t cls,
			      uint32_t *v)
{
	static const uint8_t cid[4] = {0x0D, 0x00, 0x05, 0xB1};

	if (off < 0xFD0 || off > 0xFFC)
		return false;
	if (off < 0xFE0)
		*v = pid[4 + (off - 0xFD0) / 4];
	else if (off < 0xFF0)
		*v = pid[(off - 0xFE0) / 4];
	else
		*v = (off == 0xFF4) ? (uint32_t)(cls << 4) : cid[(off - 0xFF0) / 4];
	return true;
}

static uint32_t rom_read(uint32_t base, uint32_t off)
{
	/* ROM table entries: signed offset to the component | present | 32-bit
	 * format. The STM32H7 MCU table points at the M7 table; the M7 table
	 * lists SCS, DWT, FPB and ITM (Cortex-M7 TRM 10.2). */
	static const uint8_t rom_pid[8] = {0x00, 0xB4, 0x0B, 0x00, 0x04};
	static const uint32_t mcu_entries[] = {0x00001003U, 0};
	static const uint32_t m7_entries[] = {
		(uint32_t)(0xE000E000U - 0xE00FF000U) | 3U,
		(uint32_t)(0xE0001000U - 0xE00FF000U) | 3U,
		(uint32_t)(0xE0002000U - 0xE00FF000U) | 3U,
		(uint32_t)(0xE0000000U - 0xE00FF000U) | 3U,
		0,
	};
	const uint32_t *entries = base == PPB_ROM_MCU ? mcu_entries : m7_entries;
	size_t n = base == PPB_ROM_MCU ? 2 : 5;
	uint32_t v = 0;

	if (off / 4 < n)
		return entries[off / 4];
	if (off == 0xFCC)
		return 1; /* MEMTYPE.SYSMEM */
	read_component_id(off, rom_pid, 0x1, &v);
	return v;
}

static uint32_t dhcsr_read(struct core *cpu, bool debugger)
{
	uint32_t v = (cpu->scs.dhcsr_ctrl & 0x2FU) | DHCSR_S_REGRDY;

	if (cpu->halted)
		v |= DHCSR_S_HALT;
	if (cpu->sleeping)
		v |= DHCSR_S_SLEEP;
	if (cpu->lockup && !cpu->halted)
		v |= DHCSR_S_LOCKUP;
	if (cpu->retire_st)
		v |= DHCSR_S_RETIRE_ST;
	if (cpu->reset_st)
		v |= DHCSR_S_RESET_ST;
	/* C1.6.2: S_RETIRE_ST and S_RESET_ST clear on read. */
	if (debugger) {
		cpu->retire_st = false;
		cpu->reset_st = false;
	}
	return v;
}

static void dhcsr_write(struct core *cpu, uint32_t v, bool debugger)
{
	uint32_t ctrl;

	/* C1.6.2: writes without the debug key are ignored; software cannot
	 * set C_DEBUGEN. */
	if ((v & 0xFFFF0000U) != DHCSR_DBGKEY)
		return;
	if (!debugger) {
		sim_log(LOG_GUEST_ERROR, "software write to DHCSR ignored");
		return;
	}
	ctrl = v & 0x2FU;
	cpu->scs.dhcsr_ctrl = ctrl;
	cpu->halt_from_entry = false;
	if (!(ctrl & DHCSR_C_DEBUGEN)) {
		cpu->scs.dhcsr_ctrl = 0;
		if (cpu->halted)
			core_debug_resume(cpu);
		return;
	}
	if (ctrl & DHCSR_C_HALT)
		core_request_halt(cpu, DFSR_HALTED);
	else if (cpu->halted)
		core_debug_resume(cpu);
}

static void dcrsr_write(struct core *cpu, uint32_t v)
{
	unsigned regsel = v & 0x7FU;
	bool ok = true;

	if (!cpu->halted)
		sim_log(LOG_GUEST_ERROR,
			"DCRSR written while the core runs (C1.6.3: "
			"unpredictable); transfer done anyway");
	if (v & (1U << 16))
		ok = core_write_regsel(cpu, regsel, cpu->scs.dcrdr);
	else
		cpu->scs.dcrdr = core_read_regsel(cpu, regsel, &ok);
	if (!ok)
		sim_log(LOG_GUEST_ERROR, "DCRSR: REGSEL 0x%02x is reserved",
			regsel);
}

static void aircr_write(struct core *cpu, uint32_t v, bool debugger)
{
	/* B3.2.6: writes need VECTKEY 0x05FA. */
	if ((v >> 16) != 0x05FAU)
		return;
	cpu->scs.aircr_prigroup = (v >> 8) & 7U;
	if (v & (1U << 2)) {
		if (debugger) {
			if (cpu->sysreset)
				cpu->sysreset(cpu->sysreset_ctx);
			else
				core_reset(cpu, false);
		} else {
			cpu->pending_sysreset = true;
			cpu->budget = 0;
		}
	} else if (v & 1U) {
		sim_log(LOG_UNIMP, "AIRCR.VECTRESET (local reset)");
	}
}

/* Cache maintenance (ARMv7-M B2.2.7 Table B2-1): ICIALLU 0xF50, ICIMVAU
 * 0xF58 and BPIALL 0xF78 have nothing to act on (instructions are not
 * fetched through a cache in the model); the data-cache operations act on
 * the cache model and complete before the write returns, which is all a
 * DSB after them waits for. A line written back with a bus error
 * is an imprecise BusFault. */
static void cache_maintenance(struct core *cpu, uint32_t off, uint32_t v,
			      bool debugger)
{
	enum dcache_op op;
	bool set_way;

	switch (off) {
	case 0xF5C: op = DCACHE_INVALIDATE; set_way = false; break;
	case 0xF60: op = DCACHE_INVALIDATE; set_way = true; break;
	case 0xF64: /* DCCMVAU: to the point of unification, which on the
		     * M7 (no level 2) is the memory */
	case 0xF68: op = DCACHE_CLEAN; set_way = false; break;
	case 0xF6C: op = DCACHE_CLEAN; set_way = true; break;
	case 0xF70: op = DCACHE_CLEAN_INVALIDATE; set_way = false; break;
	case 0xF74: op = DCACHE_CLEAN_INVALIDATE; set_way = true; break;
	default: return;
	}
	if (!cpu->dcache || dcache_maintain(cpu->dcache, op, set_way, v) ||
	    debugger)
		return;
	if (cpu->fault_kind == FAULT_NONE) {
		cpu->fault_kind = FAULT_WRITE;
		cpu->fault_addr = v;
	}
}

static bool scs_read(struct core *cpu, uint32_t off, uint32_t *v,
		     bool debugger)
{
	static const uint8_t scs_pid[8] = {0x0C, 0xB0, 0x0B, 0x00, 0x04};
	struct scs_state *s = &cpu->scs;

	switch (off) {
	/* ICTR (B3.4.3): INTLINESNUM n means up to 32(n+1) lines. */
	case 0x004:
		*v = (cpu->identity.irq_lines + 31U) / 32U - 1U;
		return true;
	case 0x008: *v = s->actlr; return true;
	case 0x010: case 0x014: case 0x018: case 0x01C:
		*v = systick_read(cpu, off, debugger); return true;
	case 0xD00: *v = cpu->identity.cpuid; return true;
	case 0xD08: *v = s->vtor; return true;
	case 0xD0C: *v = 0xFA050000U | s->aircr_prigroup << 8; return true;
	case 0xD10: *v = s->scr; return true;
	case 0xD14: *v = s->ccr; return true;
	case 0xD28: *v = s->cfsr; return true;
	case 0xD2C: *v = s->hfsr; return true;
	case 0xD30: *v = s->dfsr; return true;
	case 0xD34: *v = s->mmfar; return true;
	case 0xD38: *v = s->bfar; return true;
	case 0xD3C: *v = 0; return true; /* AFSR */
	case 0xD40: *v = 0x00000030U; return true; /* ID_PFR0 */
	case 0xD44: *v = 0x00000200U; return true; /* ID_PFR1 */
	case 0xD48: *v = 0x00100000U; return true; /* ID_DFR0 */
	/* ID_AFR0 (0xD4C) reads 0. ID_MMFR0-3, ID_ISAR0-4: Cortex-M7 TRM,
	 * "System control registers" (ARMv7-M ARM B4.1.2 for the fields). */
	case 0xD50: *v = 0x00100030U; return true; /* ID_MMFR0 */
	case 0xD58: *v = 0x01000000U; return true; /* ID_MMFR2 */
	case 0xD60: *v = 0x01101110U; return true; /* ID_ISAR0 */
	case 0xD64: *v = 0x02112000U; return true; /* ID_ISAR1 */
	case 0xD68: *v = 0x20232231U; return true; /* ID_ISAR2 */
	case 0xD6C: *v = 0x01111131U; return true; /* ID_ISAR3 */
	case 0xD70: *v = 0x01310132U; return true; /* ID_ISAR4 */
	case 0xD78: *v = 0x09000003U; return true; /* CLIDR */
	case 0xD7C: *v = 0x8303C003U; return true; /* CTR */
	/* CCSIDR, banked by CSSELR.InD (ARMv7-M B4.8.3): the STM32H7 and
	 * F76x have a 16 KiB 4-way D-cache (128 sets) and 16 KiB 2-way
	 * I-cache, the F74x 4 KiB of each (datasheets DS12110, DS13195,
	 * DS11532, DS10916, "Arm Cortex-M7 with FPU");
	 * 32-byte lines (Cortex-M7 TRM, cache sizes). The cache model
	 * (cpu/dcache.c) has the board's geometry. */
	case 0xD80:
		*v = cpu->dcache ? dcache_ccsidr(cpu->dcache, s->csselr & 1U)
		     : (s->csselr & 1U) ? 0xF01FE009U : 0xF00FE019U;
		return true;
	case 0xD84: *v = s->csselr; return true; /* CSSELR */
	case 0xD88: *v = s->cpacr; return true;
	case 0xD90: *v = 0x00001000U; return true; /* MPU_TYPE: 16 regions */
	case 0xD94: *v = s->mpu_ctrl; return true;
	case 0xD98: *v = s->mpu_rnr; return true;
	case 0xD9C: case 0xDA4: case 0xDAC: case 0xDB4:
		*v = s->mpu_rbar[s->mpu_rnr & 15U] | (s->mpu_rnr & 15U);
		return true;
	case 0xDA0: case 0xDA8: case 0xDB0: case 0xDB8:
		*v = s->mpu_rasr[s->mpu_rnr & 15U]; return true;
	case 0xDF0: *v = dhcsr_read(cpu, debugger); return true;
	case 0xDF4: *v = 0; return true; /* DCRSR is write-only */
	case 0xDF8: *v = s->dcrdr; return true;
	case 0xDFC: *v = s->demcr; return true;
	case 0xF34: *v = s->fpccr; return true;
	case 0xF38: *v = s->fpcar; return true;
	case 0xF3C: *v = s->fpdscr; return true;
	case 0xF40:
		*v = cpu->identity.fpu_double ? MVFR0_FPV5_DP : MVFR0_FPV5_SP;
		return true;
	case 0xF44:
		*v = cpu->identity.fpu_double ? MVFR1_FPV5_DP : MVFR1_FPV5_SP;
		return true;
	case 0xF48: *v = MVFR2_M7; return true;
	case 0xF90:
		*v = s->itcmcr | tcm_size_field(cpu->identity.itcm_bytes);
		return true;
	case 0xF94:
		*v = s->dtcmcr | tcm_size_field(cpu->identity.dtcm_bytes);
		return true;
	/* The AHBP covers the peripheral region, 0x40000000-0x5FFFFFFF
	 * (RM0433 §2.1, RM0385 §2.1: 512 MB). */
	case 0xF98: *v = s->ahbpcr | AHBPCR_SZ_512MB; return true;
	case 0xF9C: /* CACR (Cortex-M7 TRM "L1 Cache Control Register") */
		*v = cpu->dcache ? dcache_cacr(cpu->dcache) : 0;
		return true;
	default:
		break;
	}
	if (nvic_read(cpu, off, v))
		return true;
	if (read_component_id(off, scs_pid, 0xE, v))
		return true;
	*v = 0;
	return true;
}

static void scs_write(struct core *cpu, uint32_t off, uint32_t v,
		      bool debugger)
{
	struct scs_state *s = &cpu->scs;
	bool was;

	switch (off) {
	case 0x010: case 0x014: case 0x018:
		systick_write(cpu, off, v);
		return;
	case 0x01C: return; /* CALIB is read-only */
	case 0x008: s->actlr = v & ACTLR_BITS; return;
	case 0xD08: s->vtor = v & 0xFFFFFF80U; return;
	case 0xD0C: aircr_write(cpu, v, debugger); return;
	case 0xD10: s->scr = v & 0x16U; return;
	case 0xD14:
		if (cpu->dcache)
			dcache_ccr_written(cpu->dcache, s->ccr, v);
		/* M7 Devices Generic User Guide 4.3.7: STKALIGN [9] and BP
		 * [18] read as one. */
		s->ccr = (v & 0x0003011BU) | (1U << 9) | (1U << 18);
		scs_traps_update(cpu);
		return;
	case 0xD28: s->cfsr &= ~v; return; /* write-one-to-clear */
	case 0xD2C: s->hfsr &= ~v; return;
	case 0xD30: s->dfsr &= ~v; return;
	case 0xD34: s->mmfar = v; return;
	case 0xD38: s->bfar = v; return;
	case 0xD84: s->csselr = v & 1U; return; /* Level is 0 only */
	case 0xD88:
		s->cpacr = v & 0x00F00000U;
		scs_traps_update(cpu);
		return;
	case 0xD94:
		/* Takes effect from the next instruction (core.c installs
		 * the checks between runs). */
		cpu->mpu_gen++;
		s->mpu_ctrl = v & 7U;
		cpu->budget = 0;
		return;
	case 0xD98: s->mpu_rnr = v & 0xFFU; return;
	case 0xD9C: case 0xDA4: case 0xDAC: case 0xDB4:
		if (v & 0x10U)
			s->mpu_rnr = v & 15U;
		cpu->mpu_gen++;
		s->mpu_rbar[s->mpu_rnr & 15U] = v & ~0x1FU;
		return;
	case 0xDA0: case 0xDA8: case 0xDB0: case 0xDB8:
		/* B3.5.9: XN, AP, TEX, S, C, B, SRD, SIZE, ENABLE. */
		cpu->mpu_gen++;
		s->mpu_rasr[s->mpu_rnr & 15U] = v & 0x173FFF3FU; return;
	case 0xDF0: dhcsr_write(cpu, v, debugger); return;
	case 0xDF4:
		if (debugger)
			dcrsr_write(cpu, v);
		return;
	case 0xDF8: s->dcrdr = v; return;
	case 0xDFC:
		was = cyccnt_running(cpu);
		s->demcr = v & 0x010F07F1U;
		cyccnt_update(cpu, was);
		return;
	/* B3.2.23: bits 2 and 7 of FPCCR are reserved. */
	case 0xF34:
		s->fpccr = v & 0xC000017BU;
		scs_traps_update(cpu);
		return;
	case 0xF38: s->fpcar = v & ~7U; return;
	case 0xF3C: s->fpdscr = v & 0x07C00000U; return;
	default:
		break;
	}
	if (off == 0xF90 || off == 0xF94 || off == 0xF98) {
		/* Turning a TCM or the AHBP off is not modelled: the
		 * memories and peripherals stay where they are. */
		uint32_t *reg = off == 0xF90 ? &s->itcmcr :
				off == 0xF94 ? &s->dtcmcr : &s->ahbpcr;
		uint32_t mask = off == 0xF98 ? 1U : TCMCR_WRITABLE;

		if ((*reg & 1U) && !(v & 1U))
			sim_log(LOG_UNIMP, "SCS offset 0x%03x: EN cleared, "
					   "the bus is not switched", off);
		*reg = v & mask;
		return;
	}
	if (off == 0xF9C) {
		if (cpu->dcache)
			dcache_set_cacr(cpu->dcache, v);
		return;
	}
	if (off >= 0xF50 && off <= 0xF78) {
		cache_maintenance(cpu, off, v, debugger);
		return;
	}
	if (nvic_write(cpu, off, v, debugger))
		return;
	sim_log(LOG_UNIMP, "write to SCS offset 0x%03x", off);
}

static bool dwt_read(struct core *cpu, uint32_t off, uint32_t *v)
{
	static const uint8_t dwt_pid[8] = {0x02, 0xB0, 0x3B, 0x00, 0x04};
	struct scs_state *s = &cpu->scs;

	if (off == 0x000) {
		*v = DWT_CTRL_NUMCOMP_4 | s->dwt_ctrl;
	} else if (off == 0x004) {
		*v = scs_cyccnt(cpu);
	} else if (off >= 0x020 && off < 0x060) {
		unsigned n = (off - 0x020) / 16;

		switch (off & 0xFU) {
		case 0x0: *v = s->dwt_comp[n]; break;
		case 0x4: *v = s->dwt_mask[n]; break;
		case 0x8: *v = s->dwt_function[n]; break;
		default: *v = 0; break;
		}
	} else if (off == 0xFB4) {
		/* Cortex-M7 TRM 10.4: the DWT has a software lock (LSR.SLI,
		 * LSR.SLK); debugger accesses are not affected. */
		*v = 1U | (s->dwt_lock ? 2U : 0U);
	} else if (!read_component_id(off, dwt_pid, 0xE, v)) {
		*v = 0;
	}
	return true;
}

static void dwt_write(struct core *cpu, uint32_t off, uint32_t v,
		      bool debugger)
{
	struct scs_state *s = &cpu->scs;
	bool was;

	if (off == 0xFB0) {
		s->dwt_lock = v != DWT_LAR_KEY;
		return;
	}
	if (!debugger && s->dwt_lock) {
		sim_log(LOG_GUEST_ERROR,
			"software write to DWT+0x%03x ignored: the DWT is "
			"locked (write 0xC5ACCE55 to DWT_LAR first, Cortex-M7 "
			"TRM 10.4)",
			off);
		return;
	}
	if (off == 0x000) {
		was = cyccnt_running(cpu);
		s->dwt_ctrl = v & 0x0FFFFFFFU & ~0x0F000000U;
		cyccnt_update(cpu, was);
	} else if (off == 0x004) {
		if (cyccnt_running(cpu))
			s->cyccnt_base = core_time(cpu) - v;
		else
			s->cyccnt_frozen = v;
	} else if (off >= 0x020 && off < 0x060) {
		unsigned n = (off - 0x020) / 16;

		switch (off & 0xFU) {
		case 0x0: s->dwt_comp[n] = v; break;
		case 0x4: s->dwt_mask[n] = v & 0x1FU; break;
		case 0x8:
			s->dwt_function[n] = v & 0x000FFDFFU;
			if (v & 0xFU)
				sim_log(LOG_UNIMP, "DWT watchpoint %u", n);
			break;
		default: break;
		}
	}
}

static bool fpb_read(struct core *cpu, uint32_t off, uint32_t *v)
{
	static const uint8_t fpb_pid[8] = {0x0E, 0xB0, 0x0B, 0x00, 0x04};

	if (off == 0x000)
		*v = FP_CTRL_FIXED | cpu->scs.fp_ctrl_enable;
	else if (off >= 0x008 && off < 0x008 + 4 * FPB_COMPARATORS)
		*v = cpu->scs.fp_comp[(off - 0x008) / 4];
	else if (!read_component_id(off, fpb_pid, 0xE, v))
		*v = 0;
	return true;
}

static void fpb_write(struct core *cpu, uint32_t off, uint32_t v)
{
	if (off == 0x000) {
		/* C1.11.3: ENABLE is written only together with KEY. */
		if (v & 2U)
			cpu->scs.fp_ctrl_enable = v & 1U;
	} else if (off >= 0x008 && off < 0x008 + 4 * FPB_COMPARATORS) {
		cpu->scs.fp_comp[(off - 0x008) / 4] = v;
	}
}

/* ARMv7-M ARM B3.2: the System Control Space is for privileged code; an
 * unprivileged access is a BusFault, except a write to STIR when
 * CCR.USERSETMPEND allows it (B3.4.4). The debugger is not subject to it. */
static bool unprivileged_scs(struct core *cpu, uint32_t base, bool write,
			     enum bus_master master)
{
	uint32_t control = 0;

	if (master == BUS_MASTER_DEBUG || base < PPB_SCS ||
	    base >= PPB_SCS + 0x1000 || core_ipsr(cpu) != 0)
		return false;
	uc_reg_read(cpu->uc, UC_ARM_REG_CONTROL, &control);
	if (!(control & 1U))
		return false;
	if (write && base == PPB_SCS + 0xF00 && (cpu->scs.ccr & 2U))
		return false;
	sim_log(LOG_GUEST_ERROR,
		"unprivileged %s of SCS offset 0x%03x: BusFault (B3.2)",
		write ? "write" : "read", base - PPB_SCS);
	return true;
}

static bool ppb_read(void *dev, uint32_t off, unsigned size, uint32_t *value,
		     enum bus_master master)
{
	struct core *cpu = dev;
	uint32_t word = 0, base = off & ~3U;
	bool debugger = master == BUS_MASTER_DEBUG;

	if (unprivileged_scs(cpu, base, false, master))
		return false;

	if (base >= PPB_SCS && base < PPB_SCS + 0x1000)
		scs_read(cpu, base - PPB_SCS, &word, debugger);
	else if (base >= PPB_DWT && base < PPB_DWT + 0x1000)
		dwt_read(cpu, base - PPB_DWT, &word);
	else if (base >= PPB_FPB && base < PPB_FPB + 0x1000)
		fpb_read(cpu, base - PPB_FPB, &word);
	else if (base >= PPB_ROM_MCU)
		word = rom_read(base & ~0xFFFU, base & 0xFFFU);
	else
		word = 0; /* ITM, TPIU, ETM and reserved space: RAZ */
	*value = (word >> (8 * (off & 3U))) &
		 (size == 4 ? 0xFFFFFFFFU : (1U << (8 * size)) - 1U);
	return true;
}

static bool ppb_write(void *dev, uint32_t off, unsigned size, uint32_t value,
		      enum bus_master master)
{
	struct core *cpu = dev;
	uint32_t base = off & ~3U;
	bool debugger = master == BUS_MASTER_DEBUG;

	if (unprivileged_scs(cpu, base, true, master))
		return false;
	if (size != 4) {
		/* B3.1: SCS registers are word accessed unless stated; the
		 * byte-accessible ones (SHPR, NVIC_IPR) are merged here. */
		uint32_t old = 0, shift = 8 * (off & 3U);
		uint32_t mask = ((1U << (8 * size)) - 1U) << shift;

		/* The write-one-to-clear status registers (CFSR, HFSR,
		 * DFSR: B3.2.15-B3.2.17, C1.6.1) take zeros in the bytes not
		 * written, so that a byte write to MMFSR clears nothing in
		 * BFSR or UFSR. */
		if (base < PPB_SCS + 0xD28 || base > PPB_SCS + 0xD30)
			ppb_read(dev, base, 4, &old, master);
		value = (old & ~mask) | ((value << shift) & mask);
	}
	if (base >= PPB_SCS && base < PPB_SCS + 0x1000)
		scs_write(cpu, base - PPB_SCS, value, debugger);
	else if (base >= PPB_DWT && base < PPB_DWT + 0x1000)
		dwt_write(cpu, base - PPB_DWT, value, debugger);
	else if (base >= PPB_FPB && base < PPB_FPB + 0x1000)
		fpb_write(cpu, base - PPB_FPB, value);
	return true;
}

const struct mmio_ops *core_ppb_ops(void)
{
	static const struct mmio_ops ops = {ppb_read, ppb_write};

	return &ops;
}
