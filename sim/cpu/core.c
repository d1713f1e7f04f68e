/* Cortex-M7 execution on Unicorn, with the parts of the ARMv7-M exception
 * model that Unicorn 2 leaves out: it stops emulation on UDF, unmapped
 * accesses and exception return instead of vectoring, so entry, return,
 * escalation and lockup are done here (ARMv7-M ARM B1.5).
 *
 * A code hook runs before every instruction. It gives exact instruction
 * counts (deterministic slices, the virtual clock), the exact address of a
 * faulting instruction (Unicorn reports the start of the translation block),
 * FPB breakpoint matching, and the point at which writes into model-owned
 * memory are re-synced. Stopping from the hook leaves PC at the instruction
 * that was not executed. */
#include "cpu/core_internal.h"
#include "cpu/mpu.h"
#include "cpu/uc_page_locks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"
#include "util/stats.h"

#define UNTIL_NEVER 0xFFFFFFFEULL
#define LOCKUP_PC 0xFFFFFFFEU
/* The FPB in the PPB (ARMv7-M C1.11, Table B3-1). */
#define FPB_BASE 0xE0002000ULL
#define FPB_SIZE 0x1000ULL
/* MPU_TYPE..MPU_RASR_A3 (B3.5.4, Table B3-12). */
#define MPU_REGS_BASE 0xE000ED90ULL
#define MPU_REGS_SIZE 0x30ULL

struct mmio_thunk {
	struct core *cpu;
	struct bus_region *region;
};

static struct mmio_thunk thunks[BUS_MAX_REGIONS];

static uint32_t reg_get(struct core *cpu, int reg)
{
	uint32_t v = 0;

	uc_reg_read(cpu->uc, reg, &v);
	return v;
}

static void reg_set(struct core *cpu, int reg, uint32_t v)
{
	uc_reg_write(cpu->uc, reg, &v);
}

/* Unicorn reads MSP, PSP, PRIMASK, BASEPRI and FAULTMASK through QEMU's
 * MRS, which gives 0 to unprivileged Thread mode, and writes them through
 * MSR, which ignores it (ARMv7-M B5.2.3: those are privileged). psramsim
 * is the hardware, not the program: it borrows Handler mode for the
 * access. In Handler mode QEMU takes R13 to be MSP, so while Thread mode
 * is on PSP (CONTROL.SPSEL) the names swap for the borrowed access. */
static int borrow_handler_mode(struct core *cpu, int reg, uint32_t *xpsr)
{
	uint32_t control;

	*xpsr = reg_get(cpu, UC_ARM_REG_XPSR);
	if (*xpsr & 0x1FFU)
		return -1;
	control = reg_get(cpu, UC_ARM_REG_CONTROL);
	if (!(control & 1U))
		return -1;
	if (control & 2U) {
		if (reg == UC_ARM_REG_MSP)
			reg = UC_ARM_REG_PSP;
		else if (reg == UC_ARM_REG_PSP)
			reg = UC_ARM_REG_MSP;
	}
	reg_set(cpu, UC_ARM_REG_XPSR, *xpsr | 1U);
	return reg;
}

uint32_t core_sysreg_get(struct core *cpu, int reg)
{
	uint32_t xpsr, v;
	int r = borrow_handler_mode(cpu, reg, &xpsr);

	if (r < 0)
		return reg_get(cpu, reg);
	v = reg_get(cpu, r);
	reg_set(cpu, UC_ARM_REG_XPSR, xpsr);
	return v;
}

void core_sysreg_set(struct core *cpu, int reg, uint32_t v)
{
	uint32_t xpsr;
	int r = borrow_handler_mode(cpu, reg, &xpsr);

	if (r < 0) {
		reg_set(cpu, reg, v);
		return;
	}
	reg_set(cpu, r, v);
	reg_set(cpu, UC_ARM_REG_XPSR, xpsr);
}

/* CONTROL from any state. In Thread mode nPRIV is first cleared from
 * Handler mode, so that the write (with its SPSEL stack swap) is
 * privileged; in Handler mode SPSEL is not written (ARMv7-M B1.4.4: it is
 * 0 there). */
static void set_control(struct core *cpu, uint32_t v)
{
	uint32_t x = reg_get(cpu, UC_ARM_REG_XPSR);
	uint32_t c = reg_get(cpu, UC_ARM_REG_CONTROL);

	if (!(x & 0x1FFU) && (c & 1U)) {
		reg_set(cpu, UC_ARM_REG_XPSR, x | 1U);
		reg_set(cpu, UC_ARM_REG_CONTROL, c & ~1U);
		reg_set(cpu, UC_ARM_REG_XPSR, x);
	}
	reg_set(cpu, UC_ARM_REG_CONTROL, v);
}

static void set_pc(struct core *cpu, uint32_t pc)
{
	/* Unicorn takes bit 0 as the Thumb state; the architectural T bit is
	 * tracked in epsr_t instead. */
	reg_set(cpu, UC_ARM_REG_PC, pc | 1U);
}

static uint32_t get_pc(struct core *cpu)
{
	return reg_get(cpu, UC_ARM_REG_PC) & ~1U;
}

static void apply_fixups(struct core *cpu)
{
	for (unsigned i = 0; i < cpu->nfixups; i++) {
		struct bus_region *r = cpu->fixups[i].region;
		uint32_t off = cpu->fixups[i].offset;
		uint8_t bytes[8];

		for (uint32_t b = 0; b < cpu->fixups[i].size; b++) {
			uint32_t v = 0;

			r->ops->read(r->dev, off + b, 1, &v, BUS_MASTER_CPU);
			bytes[b] = (uint8_t)v;
		}
		memcpy(r->mem + off, bytes, cpu->fixups[i].size);
		uc_ctl_remove_cache(cpu->uc, r->base + off,
				    r->base + off + cpu->fixups[i].size);
	}
	cpu->nfixups = 0;
}

/* Whether any FPB comparator can match: worked out before each run of
 * instructions and after every store the core makes to the FPB, so that
 * the code hook skips the comparators when none is armed (OpenOCD enables
 * the FPB whether or not it sets breakpoints). */
static void fpb_refresh(struct core *cpu)
{
	bool armed = false;

	if (cpu->scs.fp_ctrl_enable && (cpu->scs.dhcsr_ctrl & DHCSR_C_DEBUGEN))
		for (unsigned i = 0; i < FPB_COMPARATORS; i++)
			armed |= (cpu->scs.fp_comp[i] & 1U) != 0;
	cpu->fpb_armed = armed;
}

static bool fpb_match(struct core *cpu, uint32_t addr)
{
	/* ARMv7-M C1.11 (FPB version 2 on Cortex-M7): FP_COMPn holds
	 * BPADDR[31:1] and ENABLE in bit 0. */
	if (!cpu->fpb_armed)
		return false;
	for (unsigned i = 0; i < FPB_COMPARATORS; i++) {
		uint32_t c = cpu->scs.fp_comp[i];

		if ((c & 1U) && (c & ~1U) == (addr & ~1U))
			return true;
	}
	return false;
}

static bool exception_ready(struct core *cpu);


/* The memory region the core runs from at `addr`, remembered for the
 * next look, or NULL when the address is not in memory. */
static __attribute__((noinline)) const struct bus_region *
code_region_find(struct core *cpu, uint32_t addr)
{
	const struct bus_region *r = bus_find(cpu->bus, addr, 2);

	if (!r || !r->mem)
		return NULL;
	cpu->code_region = r;
	cpu->trap_code_base = r->base;
	cpu->trap_code_last = r->size - 2;
	cpu->trap_code_mem = r->mem;
	return r;
}

/* The first halfword of the instruction at `addr`, read straight from the
 * memory the core runs from; false when that is not memory. */
static inline bool insn_hw1(struct core *cpu, uint32_t addr, uint16_t *hw1)
{
	const struct bus_region *r = cpu->code_region;

	if (!r || addr - r->base > r->size - 2) {
		r = code_region_find(cpu, addr);
		if (!r)
			return false;
	}
	memcpy(hw1, r->mem + (addr - r->base), 2);
	return true;
}

/* Whether the 32-bit instruction at `addr` is an MSR (A7.7.83, encoding
 * T1: 0xF38x). Within a run of instructions privilege changes only
 * through MSR to CONTROL (B1.4.4: exception entry and return end a run),
 * so the MPU keeps the privilege it read until one executes (mpu.c). True
 * when unsure. */
static inline bool insn_is_msr(struct core *cpu, uint32_t addr)
{
	uint16_t hw1;

	return !insn_hw1(cpu, addr, &hw1) || (hw1 & 0xFFF0U) == 0xF380U;
}

/* Whether the instruction at `addr` is a CPS (A7.7.24, T1: 0xB66x/0xB67x)
 * or an MSR (A7.7.83, T1: 0xF38x), the only instructions that change
 * PRIMASK, BASEPRI or FAULTMASK. True when unsure. */
static inline bool insn_changes_masks(struct core *cpu, uint32_t addr,
				      uint32_t size)
{
	uint16_t hw1;

	if (!insn_hw1(cpu, addr, &hw1))
		return true;
	if (size == 2)
		return (hw1 & 0xFFE0U) == 0xB660U;
	return (hw1 & 0xFFF0U) == 0xF380U;
}

/* Whether the instruction at `addr` is one insn_trap must look at, from
 * its first halfword (True when unsure):
 * - an LDM/STM (16-bit 1100 xxxx; 32-bit 1110 100x x0xx), LDRD/STRD
 *   (1110 100x x1xx) or FP load/store (1110 110x), whose base register
 *   must be word aligned (align.c). SP and PC bases are (SP bits [1:0]
 *   are zero, B1.4.1; PC-relative forms align the PC), so PUSH, POP and
 *   the literal forms are left out; so are the exclusives and TBB/TBH
 *   (1110 1000 x1xx with op1 and op2 clear of bit 1), Unicorn's own.
 *   This look makes no call, which keeps the hook's short path cheap;
 * - while CPACR denies the FPU, or FPCCR.LSPACT is set: a 32-bit
 *   instruction in coprocessor space (A5.3.18, A6.4: 111x 11xx, which
 *   holds every FP instruction);
 * - while CCR.DIV_0_TRP is set: SDIV/UDIV (A7.7.127, A7.7.204: 1111 1011
 *   10x1);
 * - while CCR.UNALIGN_TRP is set: the single loads and stores (A5.2.4:
 *   0101-1001; A5.3.7-A5.3.10: 1111 100x). */
static inline bool insn_may_trap(struct core *cpu, uint32_t addr,
				 uint32_t size)
{
	uint16_t hw1;
	unsigned traps = cpu->insn_traps, rn;

	if (addr - cpu->trap_code_base > cpu->trap_code_last)
		return true;
	memcpy(&hw1, cpu->trap_code_mem + (addr - cpu->trap_code_base), 2);
	if (size == 2) {
		if ((hw1 & 0xF000U) == 0xC000U)
			return true;
		return (traps & INSN_TRAP_UNALIGN) &&
		       (uint16_t)(hw1 - 0x5000U) < 0x5000U;
	}
	if ((traps & (INSN_TRAP_COPROC | INSN_TRAP_LAZYFP)) &&
	    (hw1 & 0xEC00U) == 0xEC00U)
		return true;
	if ((hw1 & 0xFA00U) == 0xE800U) {
		rn = hw1 & 0xFU;
		return rn != 13 && rn != 15 &&
		       ((hw1 & 0xFE40U) != 0xE840U || (hw1 & 0x0120U));
	}
	return ((traps & INSN_TRAP_DIV0) && (hw1 & 0xFFD0U) == 0xFB90U) ||
	       ((traps & INSN_TRAP_UNALIGN) && (hw1 & 0xFE00U) == 0xF800U);
}

/* Whether CPACR lets the code running use CP10/CP11 (B3.2.20: 0b00 no
 * access, 0b01 privileged only, 0b10 reserved, 0b11 full access). */
static bool fpu_allowed(struct core *cpu)
{
	uint32_t field = cpu->scs.cpacr >> 20 & 3U;

	if (field == 1)
		return !(reg_get(cpu, UC_ARM_REG_CONTROL) & 1U) ||
		       (reg_get(cpu, UC_ARM_REG_XPSR) & 0x1FFU);
	return field == 3;
}

/* The fault the instruction at `addr` takes before it executes, for what
 * Unicorn does not check, or FAULT_NONE:
 * - B1.5.14 (fault behaviour), B3.2.20: a coprocessor instruction while
 *   CPACR denies CP10 and CP11 to the current privilege is a UsageFault
 *   NOCP; so is one naming any other coprocessor, as the Cortex-M7 has
 *   only the FPU (Cortex-M7 TRM, "Coprocessor access control").
 * - A3.2.1: LDM, STM, LDRD, STRD and the FP loads and stores that are not
 *   word aligned are a UsageFault UNALIGNED; with CCR.UNALIGN_TRP so are
 *   halfword and word LDR/STR that are not aligned to their size.
 * - B3.2.8, A7.7.127, A7.7.204: SDIV or UDIV by zero with CCR.DIV_0_TRP
 *   set is a UsageFault DIVBYZERO.
 * An instruction in an IT block whose condition fails reaches none of
 * this: Unicorn skips it before the code hook (A7.3.3; sim_core_scs
 * failing_condition_in_it_block_does_not_fault). */
static enum pending_fault insn_trap(struct core *cpu, uint32_t addr,
				    uint32_t size)
{
	uint32_t at = 0;
	uint16_t hw1, hw2 = 0;
	unsigned bytes;

	/* Code in memory only: the translator reads code elsewhere through
	 * the models, which a second read here would disturb. */
	if (!insn_hw1(cpu, addr, &hw1) ||
	    (size == 4 && !insn_hw1(cpu, addr + 2, &hw2)))
		return FAULT_NONE;
	cpu->insn_pc = addr;	/* align.c reads PC-relative addresses */
	if (size == 4 && (cpu->insn_traps & INSN_TRAP_COPROC) &&
	    (hw1 & 0xEC00U) == 0xEC00U) {
		unsigned coproc = hw2 >> 8 & 0xFU;

		if ((coproc != 10 && coproc != 11) || !fpu_allowed(cpu))
			return FAULT_COPROC;
	}
	if (align_multiple_misaligned(cpu, hw1, hw2, size))
		return FAULT_MISALIGNED;
	/* B1.5.7: the first FP instruction after an entry that left the FP
	 * area to lazy preservation saves it (done at entry here) and
	 * clears FPCCR.LSPACT. */
	if (size == 4 && (cpu->insn_traps & INSN_TRAP_LAZYFP) &&
	    (hw1 & 0xEC00U) == 0xEC00U && (hw2 & 0x0E00U) == 0x0A00U) {
		cpu->scs.fpccr &= ~1U;
		scs_traps_update(cpu);
	}
	if ((cpu->insn_traps & INSN_TRAP_UNALIGN) &&
	    (bytes = align_single_access(cpu, hw1, hw2, size, &at)) != 0 &&
	    (at & (bytes - 1U)))
		return FAULT_MISALIGNED;
	if (size == 4 && (cpu->insn_traps & INSN_TRAP_DIV0) &&
	    (hw1 & 0xFFD0U) == 0xFB90U && (hw2 & 0xF0F0U) == 0xF0F0U &&
	    align_reg(cpu, hw2 & 0xFU) == 0)
		return FAULT_DIVBYZERO;
	return FAULT_NONE;
}

/* Before an instruction, when something may need more than counting it
 * (see hook_code): every check, in the order they take effect. */
static __attribute__((noinline)) void
hook_code_slow(uc_engine *uc, uint64_t addr, uint32_t size, struct core *cpu)
{
	const struct vclock *clk = cpu->clk;

	if (cpu->nfixups)
		apply_fixups(cpu);
	if (cpu->fault_kind != FAULT_NONE || cpu->executed >= cpu->budget ||
	    cpu->mpu_resync) {
		uc_emu_stop(uc);
		return;
	}
	/* Between two instructions: an event is due, or an exception can
	 * preempt (core_run fires and takes them). */
	if (cpu->exc_masked && (cpu->exc_rearm_next ||
				cpu->mmio_accesses != cpu->exc_masked_mmio)) {
		cpu->exc_masked = false;
		cpu->exc_rearm_next = false;
		cpu->exc_check = true;
	}
	if ((clk->events && clk->events->when <= clk->cycles) ||
	    (cpu->exc_check && exception_ready(cpu))) {
		uc_emu_stop(uc);
		return;
	}
	if (cpu->exc_check) {
		/* Pending but masked: look again only after what could
		 * release it (struct core, exc_masked). */
		cpu->exc_check = false;
		cpu->exc_masked = true;
		cpu->exc_masked_mmio = cpu->mmio_accesses;
	}
	if (cpu->exc_masked && insn_changes_masks(cpu, (uint32_t)addr, size))
		cpu->exc_rearm_next = true;
	/* C1.11: a comparator matching the next instruction halts before it
	 * executes, also right after a resume; the debugger steps over its own
	 * breakpoints. */
	if (fpb_match(cpu, (uint32_t)addr)) {
		cpu->stop_for_bkpt = true;
		uc_emu_stop(uc);
		return;
	}
	/* B3.5: an instruction fetch the MPU refuses (no read access, or
	 * XN) is a MemManage IACCVIOL when it would execute. */
	if (cpu->mpu_on && ((uint32_t)addr >> 5) != cpu->mpu_fetch_block &&
	    !mpu_allows(cpu, (uint32_t)addr, size, MPU_FETCH)) {
		cpu->fault_kind = FAULT_IACCVIOL;
		cpu->fault_addr = (uint32_t)addr;
		uc_emu_stop(uc);
		return;
	}
	if (insn_may_trap(cpu, (uint32_t)addr, size)) {
		enum pending_fault trap = insn_trap(cpu, (uint32_t)addr, size);

		if (trap != FAULT_NONE) {
			cpu->fault_kind = trap;
			cpu->fault_addr = (uint32_t)addr;
			uc_emu_stop(uc);
			return;
		}
	}
	/* Checked once per 32-byte block and run of instructions: a
	 * privilege change (exception entry or return) ends the run. */
	if (cpu->mpu_on)
		cpu->mpu_fetch_block = (uint32_t)addr >> 5;
	/* After an MSR the privilege is read again, and the next fetch is
	 * checked under it; without the data hook the run ends there, as
	 * less privilege may need it. */
	if (cpu->mpu_on && size == 4 && insn_is_msr(cpu, (uint32_t)addr)) {
		cpu->priv_known = false;
		cpu->mpu_fetch_block = UINT32_MAX;
		cpu->mpu_resync = !cpu->mpu_hooked;
	}
	if (cpu->idle.probing && idle_probe_step(cpu, (uint32_t)addr, size)) {
		uc_emu_stop(uc);
		return;
	}
	cpu->insn_pc = (uint32_t)addr;
	cpu->executed++;
	cpu->clk->cycles++;
}

/* The first halfword of the instruction at `pc` from the memory region
 * of the last look (insn_hw1), false if it is elsewhere. Makes no call,
 * so that hook_code stays short. */
static inline bool hw1_cached(const struct core *cpu, uint32_t pc,
			      uint16_t *hw1)
{
	const struct bus_region *r = cpu->code_region;

	if (!r || pc - r->base > r->size - 2)
		return false;
	memcpy(hw1, r->mem + (pc - r->base), 2);
	return true;
}

/* What hook_code_slow would find for a masked pending exception: nothing
 * to do before this instruction (it cannot release the exception, and no
 * peripheral was accessed since the exception was found). */
static inline bool masked_stays(const struct core *cpu, uint32_t pc,
				uint32_t size)
{
	uint16_t hw1;

	if (cpu->exc_rearm_next || cpu->mmio_accesses != cpu->exc_masked_mmio ||
	    !hw1_cached(cpu, pc, &hw1))
		return false;
	if (size == 2)
		return (hw1 & 0xFFE0U) != 0xB660U;
	return (hw1 & 0xFFF0U) != 0xF380U;
}

/* With the MPU on: whether this fetch is from the 32-byte block already
 * checked in this run and is not an MSR. */
static inline bool fetch_checked(const struct core *cpu, uint32_t pc,
				 uint32_t size)
{
	uint16_t hw1;

	if ((pc >> 5) != cpu->mpu_fetch_block)
		return false;
	if (size == 2)
		return true;
	return hw1_cached(cpu, pc, &hw1) && (hw1 & 0xFFF0U) != 0xF380U;
}

/* Runs before every instruction (Unicorn syncs PC first, and checks for a
 * stop request after), so it is kept short, with no call: when the checks
 * below hold, hook_code_slow would do nothing but count the instruction,
 * so it is counted here; otherwise hook_code_slow does what it always
 * did (and remembers the memory region the instruction is in, which the
 * checks here only read). */
static void hook_code(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	struct core *cpu = user;
	struct vclock *clk = cpu->clk;
	uint32_t pc = (uint32_t)addr;

	if (__builtin_expect(!cpu->nfixups && cpu->fault_kind == FAULT_NONE &&
				     cpu->executed < cpu->budget &&
				     !cpu->mpu_resync && !cpu->exc_check &&
				     !cpu->fpb_armed && !cpu->idle.probing &&
				     !(clk->events &&
				       clk->events->when <= clk->cycles) &&
				     (!cpu->exc_masked ||
				      masked_stays(cpu, pc, size)) &&
				     (!cpu->mpu_on ||
				      fetch_checked(cpu, pc, size)) &&
				     !insn_may_trap(cpu, pc, size),
			     1)) {
		cpu->insn_pc = pc;
		cpu->executed++;
		clk->cycles++;
		return;
	}
	hook_code_slow(uc, addr, size, cpu);
}

static void hook_intr(uc_engine *uc, uint32_t intno, void *user)
{
	struct core *cpu = user;

	/* Unicorn's exception numbers are QEMU's EXCP_* values. */
	switch (intno) {
	case 7: /* EXCP_BKPT: PC is the BKPT instruction */
		cpu->stop_for_bkpt = true;
		break;
	case 8: /* EXCP_EXCEPTION_EXIT: PC holds EXC_RETURN */
		cpu->stop_for_exc_return = true;
		break;
	case 3: /* EXCP_PREFETCH_ABORT: fetch from an XN region of the
		 * default memory map (B3.1.1: 0xE0000000 and up) */
		cpu->fault_kind = FAULT_IACCVIOL;
		cpu->fault_addr = get_pc(cpu);
		break;
	case 1: /* EXCP_UDEF */
		cpu->fault_kind = FAULT_UNDEF;
		break;
	case 17: /* EXCP_NOCP: FPU used while CPACR denies it */
		cpu->fault_kind = FAULT_NOCP;
		break;
	case 18: /* EXCP_INVSTATE */
		cpu->fault_kind = FAULT_INVSTATE;
		break;
	case 22: /* EXCP_UNALIGNED */
		cpu->fault_kind = FAULT_UNALIGNED;
		break;
	case 2: /* EXCP_SWI: SVC, PC is the next instruction */
		cpu->stop_for_svc = true;
		break;
	default:
		sim_log(LOG_UNIMP, "core exception %u at 0x%08x", intno,
			cpu->insn_pc);
		cpu->fault_kind = FAULT_UNDEF;
		break;
	}
	uc_emu_stop(uc);
}

static bool model_write(struct core *cpu, struct bus_region *r,
			uint64_t addr, int size, int64_t value);

static bool hook_unmapped(uc_engine *uc, uc_mem_type type, uint64_t addr,
			  int size, int64_t value, void *user)
{
	struct core *cpu = user;

	(void)uc;
	/* Memory the models own (flash) is mapped read-only: the core's
	 * stores to it come here and go to the model. */
	if (type == UC_MEM_WRITE_PROT) {
		struct bus_region *r =
			bus_find(cpu->bus, (uint32_t)addr, (uint32_t)size);

		if (r && (r->flags & REGION_WRITE_BY_MODEL))
			return model_write(cpu, r, addr, size, value);
	}
	cpu->fault_addr = (uint32_t)addr;
	switch (type) {
	case UC_MEM_WRITE_UNMAPPED:
	case UC_MEM_WRITE_PROT:
		cpu->fault_kind = FAULT_WRITE;
		break;
	case UC_MEM_FETCH_UNMAPPED:
	case UC_MEM_FETCH_PROT:
		cpu->fault_kind = FAULT_FETCH;
		break;
	default:
		cpu->fault_kind = FAULT_READ;
		break;
	}
	return false;
}

/* A data access refused before it reaches memory or a model (the MPU,
 * an unaligned Device access): the first fault of the instruction is the
 * one taken, and the callbacks skip the access. */
static void refuse_access(struct core *cpu, enum pending_fault kind,
			  uint32_t addr)
{
	if (cpu->fault_kind == FAULT_NONE) {
		cpu->fault_kind = kind;
		cpu->fault_addr = addr;
	}
	cpu->mpu_blocked = true;
}

/* B3.5: loads and stores checked against the MPU (hook installed only
 * while it is enabled). Unicorn cannot cancel an access from a hook: the
 * MMIO callbacks skip a refused one, and a refused store to memory is
 * undone before the fault is taken. */
static void hook_mpu_data(uc_engine *uc, uc_mem_type type, uint64_t addr,
			  int size, int64_t value, void *user)
{
	struct core *cpu = user;
	bool write = type == UC_MEM_WRITE;
	struct bus_region *r;

	(void)value;
	if (mpu_allows(cpu, (uint32_t)addr, (unsigned)size,
		       write ? MPU_WRITE : MPU_READ))
		return;
	refuse_access(cpu, FAULT_MPU_DATA, (uint32_t)addr);
	r = bus_find(cpu->bus, (uint32_t)addr, (uint32_t)size);
	if (write && r && r->mem && size <= 8 &&
	    cpu->nmpu_undo < sizeof(cpu->mpu_undo) / sizeof(cpu->mpu_undo[0])) {
		uint8_t *at = r->mem + ((uint32_t)addr - r->base);

		cpu->mpu_undo[cpu->nmpu_undo].at = at;
		cpu->mpu_undo[cpu->nmpu_undo].len = (unsigned)size;
		memcpy(cpu->mpu_undo[cpu->nmpu_undo].old, at, (size_t)size);
		cpu->nmpu_undo++;
	}
	uc_emu_stop(uc);
}

static void mpu_undo_stores(struct core *cpu)
{
	while (cpu->nmpu_undo) {
		cpu->nmpu_undo--;
		memcpy(cpu->mpu_undo[cpu->nmpu_undo].at,
		       cpu->mpu_undo[cpu->nmpu_undo].old,
		       cpu->mpu_undo[cpu->nmpu_undo].len);
	}
	cpu->mpu_blocked = false;
}

/* Installs Unicorn's data hook the first time the MPU can refuse an access
 * to memory, and drops the translated code of the memories code runs
 * from, so that it is translated again with the hook calls. The hook then
 * stays: with the MPU off, mpu_allows() answers at once, and while it is on
 * the hook reports what it refuses. Removing and re-adding it at every
 * change made QEMU translate everything again each time without reclaiming
 * its translation buffer (removal frees nothing; only a whole flush does,
 * and UC_CTL_TB_FLUSH makes QEMU touch all of its 1 GiB buffer), so
 * firmware that reconfigures the MPU at each boot (MicroPython disables it
 * around every region change) grew psramsim by megabytes per reset until
 * Unicorn crashed with the buffer full. */
static void mpu_sync(struct core *cpu)
{
	bool want = false;

	cpu->mpu_on = core_mpu_enabled(cpu);
	cpu->mpu_resync = false;
	if (cpu->mpu_on) {
		bool priv = mpu_privileged(cpu);

		/* Worked out again only when the MPU or the privilege
		 * changed. */
		if (!cpu->mpu_sync_valid || cpu->mpu_sync_gen != cpu->mpu_gen ||
		    cpu->mpu_sync_ctrl != cpu->scs.mpu_ctrl ||
		    cpu->mpu_sync_priv != priv) {
			cpu->mpu_sync_valid = true;
			cpu->mpu_sync_gen = cpu->mpu_gen;
			cpu->mpu_sync_ctrl = cpu->scs.mpu_ctrl;
			cpu->mpu_sync_priv = priv;
			cpu->mpu_sync_want = mpu_refuses_memory(cpu, priv);
		}
		want = cpu->mpu_sync_want;
	}
	if (!want || cpu->mpu_hooked)
		return;
	uc_hook_add(cpu->uc, &cpu->mpu_hook,
		    UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, hook_mpu_data, cpu, 1,
		    0);
	cpu->mpu_hooked = true;
	for (unsigned i = 0; i < cpu->bus->count; i++) {
		const struct bus_region *r = &cpu->bus->regions[i];

		if (r->mem)
			uc_ctl_remove_cache(cpu->uc, r->base,
					    (uint64_t)r->base + r->size);
	}
}

/* B3.5: an access the MPU refuses, found by a peripheral's callback
 * while Unicorn's data hook is not installed: reported as hook_mpu_data
 * does, and the peripheral does not see it. */
static bool mpu_refused(struct core *cpu, uint32_t addr, unsigned size,
			enum mpu_access access)
{
	if (cpu->mpu_blocked)
		return true;
	if (!cpu->mpu_on)
		return false;
	if (mpu_allows(cpu, addr, size, access))
		return false;
	if (cpu->mpu_hooked)
		return true;	/* hook_mpu_data reports it */
	refuse_access(cpu, FAULT_MPU_DATA, addr);
	uc_emu_stop(cpu->uc);
	return true;
}

/* A3.2.1, M7 Devices Generic User Guide §3.3.5: a halfword or word
 * LDR/STR that reaches a peripheral unaligned is a UsageFault UNALIGNED
 * (Device and Strongly-ordered memory take no unaligned access; the
 * Cortex-M7 TRM §2.4.2 says so of the PPB). QEMU splits such an access
 * into aligned pieces before the callbacks see it: a store into bytes,
 * a load into two accesses of its size. So the instruction (cpu->insn_pc,
 * in memory) is decoded for its address at a byte store, which the model
 * then does not see, and at the second piece of a load: the first piece
 * of an unaligned load has reached the model by then. Reported as the
 * MPU's refusals are. */
static bool device_misaligned(struct core *cpu, bool write, unsigned piece)
{
	uint16_t hw1, hw2 = 0;
	uint32_t at = 0;
	unsigned bytes, size;
	struct mem_attr a;

	if (write ? piece != 1
		  : cpu->mmio_piece_pc != cpu->insn_pc ||
			    cpu->mmio_piece_at != cpu->executed) {
		cpu->mmio_piece_pc = cpu->insn_pc;
		cpu->mmio_piece_at = cpu->executed;
		return false;
	}
	if (!insn_hw1(cpu, cpu->insn_pc, &hw1))
		return false;
	size = hw1 >= 0xE800U ? 4 : 2;	/* A6.1: 32-bit if 111x1, 1111x */
	if (size == 4 && !insn_hw1(cpu, cpu->insn_pc + 2, &hw2))
		return false;
	bytes = align_single_access(cpu, hw1, hw2, size, &at);
	if (!bytes || !(at & (bytes - 1U)))
		return false;
	core_mem_attr(cpu, at, true, &a);
	if (a.type == MEM_NORMAL)
		return false;
	refuse_access(cpu, FAULT_UNALIGNED, at);
	uc_emu_stop(cpu->uc);
	return true;
}

static bool model_write(struct core *cpu, struct bus_region *r,
			uint64_t addr, int size, int64_t value)
{
	uint32_t off = (uint32_t)addr - r->base;

	cpu->mmio_accesses++;
	if (mpu_refused(cpu, (uint32_t)addr, (unsigned)size, MPU_WRITE))
		return true;
	bus_cost_charge(cpu->bus_cost, cpu->clk, (uint32_t)addr, true);
	for (int done = 0; done < size; done += 4) {
		unsigned part = size - done > 4 ? 4 : (unsigned)(size - done);
		uint32_t v = (uint32_t)((uint64_t)value >> (8 * done));

		if (!r->ops->write(r->dev, off + done, part, v,
				   BUS_MASTER_CPU)) {
			cpu->fault_kind = FAULT_WRITE;
			cpu->fault_addr = (uint32_t)addr;
		}
	}
	if (cpu->nfixups < sizeof(cpu->fixups) / sizeof(cpu->fixups[0])) {
		cpu->fixups[cpu->nfixups].region = r;
		cpu->fixups[cpu->nfixups].offset = off;
		cpu->fixups[cpu->nfixups].size = (uint32_t)size;
		cpu->nfixups++;
	}
	return true;
}

static uint64_t mmio_read(uc_engine *uc, uint64_t offset, unsigned size,
			  void *user)
{
	struct mmio_thunk *t = user;
	struct bus_region *r = t->region;
	uint64_t result = 0;

	(void)uc;
	/* A read of an event-stable register leaves an idle loop idle
	 * (cpu/idle.c); an unclocked block reads 0 until RCC is written. */
	if (!(r->clocked && !r->clocked(r->gate_ctx)) &&
	    !bus_read_stable(r, r->base + (uint32_t)offset))
		t->cpu->mmio_accesses++;
	if (mpu_refused(t->cpu, r->base + (uint32_t)offset, size, MPU_READ) ||
	    device_misaligned(t->cpu, false, size))
		return 0;
	/* Behind the data cache, the cache model charges what reaches the
	 * bus (docs/psramsim-cpu.md, "Bus access costs"). */
	if (!(r->flags & REGION_DCACHE))
		bus_cost_charge(t->cpu->bus_cost, t->cpu->clk,
				r->base + (uint32_t)offset, false);
	if (r->clocked && !r->clocked(r->gate_ctx))
		return 0;
	for (unsigned done = 0; done < size; done += 4) {
		unsigned part = size - done > 4 ? 4 : size - done;
		uint32_t v = 0;

		if (!r->ops->read(r->dev, (uint32_t)offset + done, part, &v,
				  BUS_MASTER_CPU)) {
			t->cpu->fault_kind = FAULT_READ;
			t->cpu->fault_addr = r->base + (uint32_t)offset;
			return 0;
		}
		result |= (uint64_t)v << (8 * done);
	}
	return result;
}

static void mmio_write(uc_engine *uc, uint64_t offset, unsigned size,
		       uint64_t value, void *user)
{
	struct mmio_thunk *t = user;
	struct bus_region *r = t->region;

	(void)uc;
	t->cpu->mmio_accesses++;
	if (mpu_refused(t->cpu, r->base + (uint32_t)offset, size, MPU_WRITE) ||
	    device_misaligned(t->cpu, true, size))
		return;
	if (!(r->flags & REGION_DCACHE))
		bus_cost_charge(t->cpu->bus_cost, t->cpu->clk,
				r->base + (uint32_t)offset, true);
	if (r->clocked && !r->clocked(r->gate_ctx)) {
		sim_log(LOG_GUEST_ERROR,
			"write to %s at 0x%08x while its clock is off is ignored",
			r->name, r->base + (uint32_t)offset);
		return;
	}
	for (unsigned done = 0; done < size; done += 4) {
		unsigned part = size - done > 4 ? 4 : size - done;

		if (!r->ops->write(r->dev, (uint32_t)offset + done, part,
				   (uint32_t)(value >> (8 * done)),
				   BUS_MASTER_CPU)) {
			t->cpu->fault_kind = FAULT_WRITE;
			t->cpu->fault_addr = r->base + (uint32_t)offset;
			return;
		}
	}
	if (r->base + (uint64_t)offset - FPB_BASE < FPB_SIZE)
		fpb_refresh(t->cpu);
	/* An MPU register written: decided again from the next
	 * instruction (mpu_sync). */
	if (r->base + (uint64_t)offset - MPU_REGS_BASE < MPU_REGS_SIZE)
		t->cpu->mpu_resync = true;
}

/* A Unicorn engine with psramsim's hooks on it; 0 on success. */
static int open_engine(struct core *cpu)
{
	uc_hook h;

	if (uc_open(UC_ARCH_ARM, UC_MODE_THUMB | UC_MODE_MCLASS, &cpu->uc) !=
	    UC_ERR_OK)
		return -1;
	uc_ctl_set_cpu_model(cpu->uc, UC_CPU_ARM_CORTEX_M7);
	uc_hook_add(cpu->uc, &h, UC_HOOK_CODE, hook_code, cpu, 1, 0);
	uc_hook_add(cpu->uc, &h, UC_HOOK_INTR, hook_intr, cpu, 1, 0);
	uc_hook_add(cpu->uc, &h, UC_HOOK_MEM_UNMAPPED | UC_HOOK_MEM_PROT,
		    hook_unmapped, cpu, 1, 0);
	return 0;
}

struct core *core_create(struct bus *bus, struct vclock *clk,
		       uint32_t boot_address)
{
	struct core *cpu = calloc(1, sizeof(*cpu));

	if (!cpu)
		return NULL;
	uc_page_locks_init();
	cpu->bus = bus;
	cpu->clk = clk;
	cpu->boot_address = boot_address;
	/* The STM32H7's Cortex-M7 r1p1 (docs/openocd.md, CPUID), FPv5
	 * double precision, ITCM 64 KiB and DTCM 128 KiB (RM0433 §2.3.2),
	 * interrupts at vector positions 0-149 (RM0433 Table 147). */
	cpu->identity = (struct core_identity){0x411FC271U, true, 64U << 10,
					       128U << 10, 150};
	/* No code region yet: an odd base matches no instruction address. */
	cpu->trap_code_base = 1;
	if (open_engine(cpu) != 0) {
		free(cpu);
		return NULL;
	}
	cpu->bus_cost = bus_cost_new(&(struct bus_cost_table){.count = 0});
	if (!cpu->bus_cost) {
		uc_close(cpu->uc);
		free(cpu);
		return NULL;
	}
	systick_init(cpu);
	return cpu;
}

/* Unicorn 2.0 (QEMU) never gives back the space of translations it drops:
 * its translation buffer (1 GiB) only grows until full, and a whole flush
 * touches all of it. Firmware that copies code to RAM at every boot
 * (MicroPython's RAM functions) has it translated again at every boot, so
 * a reset loop grew psramsim without bound, and Unicorn crashed when the
 * buffer filled. At a reset, at most every RENEW_CHECK_NS of host time,
 * psramsim looks at its resident size; above RENEW_RSS the engine is
 * replaced by a fresh one mapped onto the same memories: the old buffer
 * goes back to the system. Nothing the guest can see changes: a reset sets
 * every register the engine holds, and the models keep their state. */
#define RENEW_CHECK_NS 50000000LL
#define RENEW_RSS (96UL << 20)

static bool renew_check_due(struct core *cpu)
{
	struct timespec ts;
	long long now;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
	if (now - cpu->renew_checked_ns < RENEW_CHECK_NS)
		return false;
	cpu->renew_checked_ns = now;
	return true;
}

static unsigned long resident_bytes(void)
{
	unsigned long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return 0;
	if (fscanf(f, "%lu %lu", &size, &resident) != 2)
		resident = 0;
	fclose(f);
	return resident * (unsigned long)sysconf(_SC_PAGESIZE);
}

static void renew_engine(struct core *cpu)
{
	uc_engine *old = cpu->uc;

	if (open_engine(cpu) != 0) {
		cpu->uc = old; /* keep going on the old one */
		return;
	}
	uc_close(old);
	cpu->mpu_hooked = false; /* mpu_sync() adds it again if enabled */
	if (core_map_bus(cpu) != 0)
		sim_log(LOG_INFO, "core: the renewed engine could not map the "
				  "bus");
}

void core_destroy(struct core *cpu)
{
	if (!cpu)
		return;
	vclock_cancel(cpu->clk, &cpu->systick.zero);
	uc_close(cpu->uc);
	bus_cost_free(cpu->bus_cost);
	free(cpu);
}

int core_set_bus_costs(struct core *cpu, const struct bus_cost_table *t)
{
	return bus_cost_set_table(cpu->bus_cost, t);
}

void core_set_bus_clocks(struct core *cpu, bus_clock_fn fn, void *ctx)
{
	bus_cost_set_clocks(cpu->bus_cost, fn, ctx);
}

void core_set_identity(struct core *cpu, const struct core_identity *id)
{
	cpu->identity = *id;
	if (cpu->identity.irq_lines > NVIC_IRQS)
		cpu->identity.irq_lines = NVIC_IRQS;
	/* Lines the MCU does not wire hold nothing. */
	for (unsigned w = 0; w < NVIC_WORDS; w++) {
		unsigned first = w * 32, lines = cpu->identity.irq_lines;
		uint32_t keep = first >= lines	      ? 0
				: lines - first >= 32 ? 0xFFFFFFFFU
						      : (1U << (lines - first)) - 1U;

		cpu->nvic.enabled[w] &= keep;
		cpu->nvic.pending[w] &= keep;
		cpu->nvic.active[w] &= keep;
		cpu->nvic.level[w] &= keep;
	}
	for (unsigned n = cpu->identity.irq_lines; n < NVIC_IRQS; n++)
		cpu->nvic.prio[n] = 0;
}

void core_set_sysreset_handler(struct core *cpu, core_sysreset_fn fn, void *ctx)
{
	cpu->sysreset = fn;
	cpu->sysreset_ctx = ctx;
}

static void on_code_changed(void *ctx, uint32_t addr, uint32_t len)
{
	core_code_changed(ctx, addr, len);
}

int core_map_bus(struct core *cpu)
{
	struct bus *bus = cpu->bus;

	for (unsigned i = 0; i < bus->count; i++) {
		struct bus_region *r = &bus->regions[i];
		struct mmio_thunk *t = &thunks[i];
		uc_err err;

		t->cpu = cpu;
		t->region = r;
		if (r->mem) {
			uint32_t perms = UC_PROT_READ | UC_PROT_EXEC;

			/* Memory the models write (REGION_WRITE_BY_MODEL)
			 * stays read-only to Unicorn: the core's stores to
			 * it reach hook_unmapped, and no memory hook is
			 * needed, which would send every access of the core
			 * through Unicorn's slow path. */
			if (r->flags & REGION_WRITE)
				perms |= UC_PROT_WRITE;
			err = uc_mem_map_ptr(cpu->uc, r->base, r->size, perms,
					     r->mem);
		} else {
			err = uc_mmio_map(cpu->uc, r->base, r->size, mmio_read,
					  t, mmio_write, t);
		}
		if (err != UC_ERR_OK) {
			sim_log(LOG_INFO, "cannot map %s at 0x%08x: %s",
				r->name, r->base, uc_strerror(err));
			return -1;
		}
	}
	bus->code_changed = on_code_changed;
	bus->code_changed_ctx = cpu;
	return 0;
}

void core_code_changed(struct core *cpu, uint32_t addr, uint32_t len)
{
	uc_ctl_remove_cache(cpu->uc, addr, (uint64_t)addr + len);
}

static bool read_word(struct core *cpu, uint32_t addr, uint32_t *v)
{
	return bus_read(cpu->bus, addr, 4, v, BUS_MASTER_CPU);
}

static bool write_word(struct core *cpu, uint32_t addr, uint32_t v)
{
	return bus_write(cpu->bus, addr, 4, v, BUS_MASTER_CPU);
}

static void enter_lockup(struct core *cpu)
{
	/* B1.5.15: the core stops executing and PC reads 0xFFFFFFFE. */
	cpu->lockup = true;
	set_pc(cpu, LOCKUP_PC);
	sim_log(LOG_GUEST_ERROR,
		"core locked up (fault while in HardFault or NMI, or "
		"unusable vector table)");
}

static uint32_t current_xpsr(struct core *cpu)
{
	uint32_t x = reg_get(cpu, UC_ARM_REG_XPSR) & ~(1U << 24);

	return x | (cpu->epsr_t ? 1U << 24 : 0);
}

uint64_t core_time(const struct core *cpu)
{
	uint64_t halted = cpu->halted_cycles;

	if (cpu->halted)
		halted += cpu->clk->cycles - cpu->halt_start;
	return cpu->clk->cycles - halted;
}

/* Every change of `halted` goes through here: time spent in Debug state
 * is kept apart so that CYCCNT and SysTick stop meanwhile (ARMv7-M C1.8.4
 * and B3.3: they count processor clock cycles, and the clock of a halted
 * core is stopped). */
static void set_halted(struct core *cpu, bool halted)
{
	if (halted == cpu->halted)
		return;
	if (halted) {
		cpu->halt_start = cpu->clk->cycles;
		cpu->halted = true;
		systick_halted(cpu, true);
	} else {
		cpu->halted_cycles += cpu->clk->cycles - cpu->halt_start;
		cpu->halted = false;
		systick_halted(cpu, false);
	}
}

#define CONTROL_NPRIV (1U << 0)
#define CONTROL_SPSEL (1U << 1)
#define CONTROL_FPCA (1U << 2)
#define EXC_RETURN_BASIC_FRAME (1U << 4)

/* B1.5.7 UpdateFPCCR(): an entry that pushes an extended frame with
 * FPCCR.LSPEN set records where the FP area is (FPCAR: the frame + 0x20)
 * and what may run when it is preserved lazily (LSPACT, USER, THREAD,
 * HFRDY, BFRDY, MMRDY, MONRDY), all from the state before the entry.
 * The FP registers are saved at entry all the same (see take_exception);
 * LSPACT clears at the handler's first FP instruction (insn_trap) or at
 * the return. */
static void update_fpccr(struct core *cpu, uint32_t frame, bool handler_mode,
			 uint32_t control)
{
	struct scs_state *s = &cpu->scs;
	int exec = execution_priority(cpu);
	uint32_t f = s->fpccr & ~0x17BU;

	if (!(s->fpccr & (1U << 30)))
		return;
	s->fpcar = (frame + 0x20U) & ~7U;
	f |= 1U;					/* LSPACT */
	if (!handler_mode && (control & 1U))
		f |= 1U << 1;				/* USER */
	if (!handler_mode)
		f |= 1U << 3;				/* THREAD */
	if (exec > -1)
		f |= 1U << 4;				/* HFRDY */
	if ((s->shcsr & (1U << 16)) &&
	    exec > exc_group_priority(cpu, exc_priority(cpu, EXC_MEMMANAGE)))
		f |= 1U << 5;				/* MMRDY */
	if ((s->shcsr & (1U << 17)) &&
	    exec > exc_group_priority(cpu, exc_priority(cpu, EXC_BUSFAULT)))
		f |= 1U << 6;				/* BFRDY */
	if ((s->demcr & (1U << 16)) &&
	    exec > exc_group_priority(cpu, exc_priority(cpu, EXC_DEBUGMON)))
		f |= 1U << 8;				/* MONRDY */
	s->fpccr = f;
	scs_traps_update(cpu);
}

static void take_sync(struct core *cpu, unsigned exc, bool enabled,
		      uint32_t cfsr_bits, uint32_t pc);

/* B1.5.6 exception entry: push the frame on the current stack (the
 * extended frame with S0-S15 and FPSCR when CONTROL.FPCA says the thread
 * has FP context, B1.5.7), select MSP, load the handler address from the
 * vector table, mark the exception active. FP state is saved at once
 * rather than lazily: the memory image is what lazy stacking produces once
 * the handler touches the FPU. */
static bool take_exception(struct core *cpu, unsigned exc, uint32_t return_pc)
{
	uint32_t xpsr = current_xpsr(cpu);
	uint32_t control = reg_get(cpu, UC_ARM_REG_CONTROL);
	bool handler_mode = (xpsr & 0x1FFU) != 0;
	bool on_psp = !handler_mode && (control & CONTROL_SPSEL);
	bool fp = control & CONTROL_FPCA;
	uint32_t sp = reg_get(cpu, UC_ARM_REG_SP);	/* the current stack */
	uint32_t frame[26], vector;
	unsigned words = fp ? 26 : 8;
	uint32_t exc_return;
	bool stacking_error = false, mpu_stacking_error = false;

	frame[0] = reg_get(cpu, UC_ARM_REG_R0);
	frame[1] = reg_get(cpu, UC_ARM_REG_R1);
	frame[2] = reg_get(cpu, UC_ARM_REG_R2);
	frame[3] = reg_get(cpu, UC_ARM_REG_R3);
	frame[4] = reg_get(cpu, UC_ARM_REG_R12);
	frame[5] = reg_get(cpu, UC_ARM_REG_LR);
	frame[6] = return_pc & ~1U;
	if (fp) {
		for (unsigned i = 0; i < 16; i++)
			frame[8 + i] = reg_get(cpu, UC_ARM_REG_S0 + (int)i);
		frame[24] = reg_get(cpu, UC_ARM_REG_FPSCR);
		frame[25] = 0;
	}
	sp -= 4 * words;
	/* CCR.STKALIGN is 1 on Cortex-M7: the frame is 8-byte aligned and
	 * xPSR bit 9 records the padding. */
	if (sp & 4U) {
		sp -= 4;
		xpsr |= 1U << 9;
	} else {
		xpsr &= ~(1U << 9);
	}
	frame[7] = xpsr;
	/* B3.2.16 HFSR.VECTTBL: a vector that cannot be read makes the
	 * entry a HardFault's (the frame is the same: its return address is
	 * the preempted instruction; the exception stays pending); in
	 * HardFault or NMI already, the core locks up. */
	if (!read_word(cpu, cpu->scs.vtor + 4 * exc, &vector)) {
		cpu->scs.hfsr |= HFSR_VECTTBL;
		if (exc == EXC_HARDFAULT || exc == EXC_NMI ||
		    execution_priority(cpu) < 0 ||
		    !read_word(cpu, cpu->scs.vtor + 4 * EXC_HARDFAULT,
			       &vector)) {
			enter_lockup(cpu);
			return false;
		}
		exc = EXC_HARDFAULT;
	}
	if (fp)
		update_fpccr(cpu, sp, handler_mode, control);
	/* B1.5.6, B3.2.15 BFSR.STKERR: a bus error while stacking does not
	 * stop the entry (SP is adjusted, the frame may be incomplete); it
	 * is a BusFault derived from it, taken once the entry is done. */
	/* The MPU checks the frame as writes of the interrupted code
	 * (B1.5.6 PushStack): a refused word is not written and makes a
	 * MemManage with MMFSR.MSTKERR, MMFAR not valid. */
	for (unsigned i = 0; i < words; i++) {
		if (!mpu_allows(cpu, sp + 4 * i, 4, MPU_WRITE))
			mpu_stacking_error = true;
		else if (!write_word(cpu, sp + 4 * i, frame[i]))
			stacking_error = true;
	}
	cpu->priv_known = false;	/* the handler's privilege is not it */
	if (handler_mode)
		exc_return = 0xFFFFFFF1U;
	else
		exc_return = on_psp ? 0xFFFFFFFDU : 0xFFFFFFF9U;
	if (fp)
		exc_return &= ~EXC_RETURN_BASIC_FRAME;
	/* The frame's stack pointer, then MSP for the handler: clearing
	 * SPSEL in Thread mode swaps the stacks; nPRIV stays as it was. */
	reg_set(cpu, UC_ARM_REG_SP, sp);
	if (!handler_mode)
		set_control(cpu, control & ~(CONTROL_SPSEL | CONTROL_FPCA));
	reg_set(cpu, UC_ARM_REG_XPSR, (1U << 24) | exc);
	reg_set(cpu, UC_ARM_REG_CONTROL, control & ~(CONTROL_SPSEL | CONTROL_FPCA));
	reg_set(cpu, UC_ARM_REG_LR, exc_return);
	exc_set_pending(cpu, exc, false);
	exc_set_active(cpu, exc, true);
	/* B1.5.18: exception entry sets the event register. */
	cpu->event_register = true;
	cpu->epsr_t = vector & 1U;
	set_pc(cpu, vector & ~1U);
	/* Escalates as any fault does (take_sync): a fault that cannot
	 * preempt the new handler is a HardFault, and one in HardFault
	 * locks the core up. */
	if (mpu_stacking_error) {
		cpu->scs.cfsr |= CFSR_MSTKERR;
		take_sync(cpu, EXC_MEMMANAGE, cpu->scs.shcsr & (1U << 16),
			  CFSR_MSTKERR, vector & ~1U);
	} else if (stacking_error) {
		cpu->scs.cfsr |= CFSR_STKERR;
		take_sync(cpu, EXC_BUSFAULT, cpu->scs.shcsr & (1U << 17),
			  CFSR_STKERR, vector & ~1U);
	}
	return true;
}

static void raise_fault(struct core *cpu, enum pending_fault kind,
			uint32_t addr, uint32_t pc);

/* B1.5.8, B3.2.15 BFSR.UNSTKERR: a bus error while unstacking abandons
 * the return (SP and the frame stay as they were) and takes a BusFault
 * chained in its place: no new frame, and LR keeps the EXC_RETURN of the
 * failed return. It escalates as faults do, against the priority left
 * once the returning exception is no longer active. */
static void unstack_error(struct core *cpu, uint32_t exc_return)
{
	unsigned exc = EXC_BUSFAULT;
	int exec = execution_priority(cpu);
	uint32_t vector;

	cpu->scs.cfsr |= 1U << 11;	/* UNSTKERR */
	if (!(cpu->scs.shcsr & (1U << 17)) ||
	    exc_group_priority(cpu, exc_priority(cpu, EXC_BUSFAULT)) >= exec) {
		if (exec < 0) {
			enter_lockup(cpu);
			return;
		}
		exc = EXC_HARDFAULT;
		cpu->scs.hfsr |= HFSR_FORCED;
	}
	if (!read_word(cpu, cpu->scs.vtor + 4 * exc, &vector)) {
		cpu->scs.hfsr |= HFSR_VECTTBL;
		enter_lockup(cpu);
		return;
	}
	reg_set(cpu, UC_ARM_REG_XPSR, (1U << 24) | exc);
	reg_set(cpu, UC_ARM_REG_LR, exc_return);
	exc_set_pending(cpu, exc, false);
	exc_set_active(cpu, exc, true);
	cpu->event_register = true;
	cpu->epsr_t = vector & 1U;
	set_pc(cpu, vector & ~1U);
}

/* B1.5.8 exception return, with its integrity checks. */
static void exception_return(struct core *cpu, uint32_t exc_return,
			     uint32_t insn_pc)
{
	bool to_thread = exc_return & 8U;
	bool use_psp = exc_return & 4U;
	bool basic = exc_return & EXC_RETURN_BASIC_FRAME;
	unsigned words = basic ? 8 : 26;
	unsigned returning = core_ipsr(cpu);
	uint32_t sp, frame[26];
	uint32_t control;

	if ((exc_return & 0x0FFFFFE0U) != 0x0FFFFFE0U ||
	    ((exc_return & 0xFU) != 1 && (exc_return & 0xFU) != 9 &&
	     (exc_return & 0xFU) != 0xD) ||
	    !exc_is_active(cpu, returning) ||
	    (to_thread && exc_others_active(cpu, returning) &&
	     !(cpu->scs.ccr & 1U))) {
		/* Not a valid EXC_RETURN, not returning from an active
		 * exception, or to Thread mode with others still active and
		 * CCR.NONBASETHRDENA clear: INVPC UsageFault. */
		cpu->scs.cfsr |= CFSR_INVPC;
		set_pc(cpu, insn_pc);
		raise_fault(cpu, FAULT_INVPC, 0, insn_pc);
		return;
	}
	exc_set_active(cpu, returning, false);
	/* B1.5.8: returning from anything but NMI clears FAULTMASK. */
	if (returning != EXC_NMI)
		reg_set(cpu, UC_ARM_REG_FAULTMASK, 0);
	/* Handler mode: privileged, and R13 is MSP. */
	sp = reg_get(cpu, use_psp ? UC_ARM_REG_PSP : UC_ARM_REG_MSP);
	for (unsigned i = 0; i < words; i++) {
		if (!read_word(cpu, sp + 4 * i, &frame[i])) {
			unstack_error(cpu, exc_return);
			return;
		}
	}
	sp += 4 * words;
	if (frame[7] & (1U << 9))
		sp += 4;
	reg_set(cpu, UC_ARM_REG_R0, frame[0]);
	reg_set(cpu, UC_ARM_REG_R1, frame[1]);
	reg_set(cpu, UC_ARM_REG_R2, frame[2]);
	reg_set(cpu, UC_ARM_REG_R3, frame[3]);
	reg_set(cpu, UC_ARM_REG_R12, frame[4]);
	reg_set(cpu, UC_ARM_REG_LR, frame[5]);
	if (!basic) {
		/* B1.5.8 PopStack(): with LSPACT still set the FP registers
		 * were never used by the handler; the frame holds what they
		 * hold (saved at entry), and LSPACT clears. */
		for (unsigned i = 0; i < 16; i++)
			reg_set(cpu, UC_ARM_REG_S0 + (int)i, frame[8 + i]);
		reg_set(cpu, UC_ARM_REG_FPSCR, frame[24]);
		if (cpu->scs.fpccr & 1U) {
			cpu->scs.fpccr &= ~1U;
			scs_traps_update(cpu);
		}
	}
	reg_set(cpu, use_psp ? UC_ARM_REG_PSP : UC_ARM_REG_MSP, sp);
	control = reg_get(cpu, UC_ARM_REG_CONTROL) & ~(CONTROL_FPCA | CONTROL_SPSEL);
	if (!basic)
		control |= CONTROL_FPCA;
	/* Leave Handler mode privileged, then write CONTROL in Thread mode:
	 * setting SPSEL there swaps to PSP, and nPRIV comes back. */
	reg_set(cpu, UC_ARM_REG_CONTROL, control & ~1U);
	reg_set(cpu, UC_ARM_REG_XPSR,
		(frame[7] & ~((1U << 9) | (1U << 24))) | (1U << 24));
	cpu->epsr_t = frame[7] & (1U << 24);
	if (to_thread)
		reg_set(cpu, UC_ARM_REG_CONTROL,
			control | (use_psp ? CONTROL_SPSEL : 0));
	else
		reg_set(cpu, UC_ARM_REG_CONTROL, control);
	set_pc(cpu, frame[6]);
	nvic_after_return(cpu, returning);
	cpu->event_register = true;
	/* B1.5.19: SCR.SLEEPONEXIT sleeps on the return to Thread mode. */
	if (to_thread && (cpu->scs.scr & 2U))
		cpu->sleeping = true;
}

/* C1.5: entering Debug state stops the core and sets DHCSR.C_HALT, so a
 * debugger that writes back the control bits it read keeps it halted. */
static void enter_debug_state(struct core *cpu, uint32_t dfsr_bits)
{
	set_halted(cpu, true);
	cpu->sleeping = false;
	if (!(cpu->scs.dhcsr_ctrl & DHCSR_C_HALT))
		cpu->halt_from_entry = true;
	cpu->scs.dhcsr_ctrl |= DHCSR_C_HALT;
	cpu->scs.dfsr |= dfsr_bits;
}

static bool vector_caught(struct core *cpu, unsigned exc, uint32_t cfsr_bits)
{
	uint32_t demcr = cpu->scs.demcr;

	if (!(cpu->scs.dhcsr_ctrl & DHCSR_C_DEBUGEN))
		return false;
	switch (exc) {
	case EXC_HARDFAULT:
		return demcr & DEMCR_VC_HARDERR;
	case EXC_BUSFAULT:
		return demcr & DEMCR_VC_BUSERR;
	case EXC_MEMMANAGE:
		return demcr & DEMCR_VC_MMERR;
	case EXC_USAGEFAULT:
		if (cfsr_bits & CFSR_NOCP)
			return demcr & DEMCR_VC_NOCPERR;
		if (cfsr_bits & (CFSR_INVSTATE | CFSR_INVPC))
			return demcr & DEMCR_VC_STATERR;
		if (cfsr_bits & (CFSR_UNALIGNED | CFSR_DIVBYZERO))
			return demcr & DEMCR_VC_CHKERR;
		return false;
	default:
		/* VC_INTERR: an exception entry or return fault; the other
		 * exceptions are not caught. */
		return false;
	}
}

/* Takes a synchronous exception `exc` (a fault or SVCall) now, or the
 * HardFault it escalates to (B1.5.4): when it is disabled or cannot
 * preempt the current execution priority. A fault that HardFault itself
 * cannot preempt (in HardFault, NMI or with FAULTMASK) locks the core up
 * (B1.5.15). */
static void take_sync(struct core *cpu, unsigned exc, bool enabled,
		      uint32_t cfsr_bits, uint32_t pc)
{
	int exec = execution_priority(cpu);

	if (!enabled ||
	    exc_group_priority(cpu, exc_priority(cpu, exc)) >= exec) {
		if (exec < 0) {
			enter_lockup(cpu);
			return;
		}
		exc = EXC_HARDFAULT;
		cpu->scs.hfsr |= HFSR_FORCED;
	}
	if (!take_exception(cpu, exc, pc))
		return;
	if (vector_caught(cpu, exc, cfsr_bits))
		enter_debug_state(cpu, DFSR_VCATCH);
}

static void raise_fault(struct core *cpu, enum pending_fault kind,
			uint32_t addr, uint32_t pc)
{
	unsigned exc;
	uint32_t bits = 0, enable_bit;

	switch (kind) {
	case FAULT_READ:
		exc = EXC_BUSFAULT;
		bits = CFSR_PRECISERR | CFSR_BFARVALID;
		cpu->scs.bfar = addr;
		break;
	case FAULT_WRITE:
		/* Cortex-M7 TRM 3.3: stores are buffered, so a bus error on a
		 * write is imprecise and BFAR is not valid. */
		exc = EXC_BUSFAULT;
		bits = CFSR_IMPRECISERR;
		break;
	case FAULT_FETCH:
		exc = EXC_BUSFAULT;
		bits = CFSR_IBUSERR;
		break;
	case FAULT_UNDEF:
		exc = EXC_USAGEFAULT;
		bits = CFSR_UNDEFINSTR;
		break;
	case FAULT_INVSTATE:
		exc = EXC_USAGEFAULT;
		bits = CFSR_INVSTATE;
		break;
	case FAULT_UNALIGNED:
		exc = EXC_USAGEFAULT;
		bits = CFSR_UNALIGNED;
		break;
	case FAULT_NOCP:
	case FAULT_COPROC:
		exc = EXC_USAGEFAULT;
		bits = CFSR_NOCP;
		break;
	case FAULT_DIVBYZERO:
		exc = EXC_USAGEFAULT;
		bits = CFSR_DIVBYZERO;
		break;
	case FAULT_MISALIGNED:
		exc = EXC_USAGEFAULT;
		bits = CFSR_UNALIGNED;
		break;
	case FAULT_IACCVIOL:
		exc = EXC_MEMMANAGE;
		bits = CFSR_IACCVIOL;
		break;
	case FAULT_MPU_DATA:
		exc = EXC_MEMMANAGE;
		bits = CFSR_DACCVIOL | CFSR_MMARVALID;
		cpu->scs.mmfar = addr;
		break;
	case FAULT_INVPC:
	default:
		exc = EXC_USAGEFAULT;
		bits = CFSR_INVPC;
		break;
	}
	cpu->scs.cfsr |= bits;
	enable_bit = exc == EXC_BUSFAULT ? 1U << 17 :
		     exc == EXC_MEMMANAGE ? 1U << 16 : 1U << 18;
	take_sync(cpu, exc, cpu->scs.shcsr & enable_bit, bits, pc);
}

static void bkpt_hit(struct core *cpu)
{
	if (cpu->scs.dhcsr_ctrl & DHCSR_C_DEBUGEN) {
		enter_debug_state(cpu, DFSR_BKPT);
		return;
	}
	/* C1.7: with halting debug off and no DebugMonitor, BKPT escalates
	 * to HardFault with HFSR.DEBUGEVT. */
	cpu->scs.hfsr |= 1U << 31;
	take_sync(cpu, EXC_HARDFAULT, true, 0, get_pc(cpu));
}

/* C1.6.2: DHCSR.C_MASKINTS keeps PendSV, SysTick and external interrupts
 * from being taken while the debugger steps. */
static bool masked_by_debugger(const struct core *cpu, unsigned exc)
{
	return (cpu->scs.dhcsr_ctrl & (DHCSR_C_DEBUGEN | DHCSR_C_MASKINTS)) ==
		       (DHCSR_C_DEBUGEN | DHCSR_C_MASKINTS) &&
	       exc >= EXC_PENDSV;
}

/* A pending exception whose group priority is above the execution
 * priority preempts (B1.5.4). With nothing pending there is nothing more
 * to check until something is pended; with something masked the check
 * stays armed, as any MSR/CPS may release it. */
static bool exception_ready(struct core *cpu)
{
	int prio;
	unsigned exc = exc_pending_best(cpu, &prio);

	if (!exc) {
		cpu->exc_check = false;
		return false;
	}
	if (masked_by_debugger(cpu, exc))
		return false;
	return exc_group_priority(cpu, prio) < execution_priority(cpu);
}

/* B1.5.19: WFI wakes on any pending exception that would preempt were
 * PRIMASK clear; it is then taken if PRIMASK allows. */
static bool wakes_sleeper(struct core *cpu)
{
	int prio;
	unsigned exc = exc_pending_best(cpu, &prio);

	if (!exc || masked_by_debugger(cpu, exc))
		return false;
	return exc_group_priority(cpu, prio) < execution_priority_ex(cpu, true);
}

static void take_ready_exception(struct core *cpu)
{
	unsigned exc;

	if (!exception_ready(cpu))
		return;
	exc = exc_pending_best(cpu, NULL);
	cpu->sleeping = false;
	take_exception(cpu, exc, get_pc(cpu));
}

/* The 16-bit or 32-bit hint at `pc`: 0xBF30 WFI, 0xBF20 WFE, 0xBF40 SEV
 * (A7.7.261, A7.7.260, A7.7.129), or 0. */
static uint32_t hint_at(struct core *cpu, uint32_t pc)
{
	uint32_t h = 0, h2 = 0;

	if (!bus_read(cpu->bus, pc, 2, &h, BUS_MASTER_CPU))
		return 0;
	if (h == 0xF3AFU && bus_read(cpu->bus, pc + 2, 2, &h2, BUS_MASTER_CPU))
		return (h2 & 0xFF00U) == 0x8000U ? 0xBF00U | (h2 & 0xFU) << 4
						  : 0;
	return (h & 0xFF0FU) == 0xBF00U ? h : 0;
}

/* The core executed WFI or WFE and stands after it. */
static void enter_sleep(struct core *cpu, bool wfe)
{
	if (wfe) {
		uint32_t before = hint_at(cpu, cpu->insn_pc - 2);

		/* The event register: set by SEV (the instruction just
		 * before, which Unicorn executes as a no-op: the common
		 * __SEV(); __WFE() idiom), by exception entry and return.
		 * A set register makes WFE clear it and go on. */
		if (before == 0xBF40U)
			cpu->event_register = true;
		if (cpu->event_register) {
			cpu->event_register = false;
			return;
		}
	}
	if (wakes_sleeper(cpu))
		return;
	cpu->sleeping = true;
	cpu->sleep_wfe = wfe;
}

/* A sleeping core lets time pass to the next event, at most `cycles`. */
static void sleep_for(struct core *cpu, uint64_t cycles)
{
	uint64_t limit = cpu->clk->cycles + cycles;
	uint64_t next = vclock_next_event(cpu->clk);

	/* A wake-up that came while the core was not running (a line the
	 * debugger or a model raised between slices) ends the sleep now. */
	if (!(cpu->sleep_wfe && cpu->event_register) && !wakes_sleeper(cpu))
		vclock_advance_to(cpu->clk, next < limit ? next : limit);
	if (wakes_sleeper(cpu) ||
	    (cpu->sleep_wfe && cpu->event_register)) {
		cpu->sleeping = false;
		cpu->event_register = false;
	}
}

/* The core stands at a loop proven idle: let time pass to the next event,
 * at most `cycles`, as if the loop ran meanwhile (one cycle per
 * instruction). Returns the cycles that passed. */
static uint64_t idle_for(struct core *cpu, uint64_t cycles)
{
	uint64_t now = cpu->clk->cycles, limit = now + cycles;
	uint64_t next = vclock_next_event(cpu->clk);
	uint64_t until = next < limit ? next : limit;

	cpu->idle.idle_now = true;
	if (until > now)
		cpu->clk->cycles = until;
	return until > now ? until - now : 0;
}

void core_idle(struct core *cpu, uint64_t cycles)
{
	vclock_advance_to(cpu->clk, cpu->clk->cycles + cycles);
}

/* B3.2.8 CCR.BFHFNMIGN: code at a negative execution priority (HardFault,
 * NMI, FAULTMASK set) ignores the data BusFaults of its loads and stores:
 * no exception, no status; a load's result is UNKNOWN. A load the bus
 * refused stopped with PC on it (Unicorn did not complete it): it is
 * stepped over, its destination left as it was. */
static bool bus_fault_ignored(struct core *cpu)
{
	uint16_t hw1;
	uint32_t pc;

	if (!(cpu->scs.ccr & (1U << 8)) || execution_priority(cpu) >= 0)
		return false;
	pc = reg_get(cpu, UC_ARM_REG_PC) & ~1U;
	if (pc == cpu->insn_pc && insn_hw1(cpu, pc, &hw1))
		reg_set(cpu, UC_ARM_REG_PC, (pc + (hw1 >= 0xE800U ? 4U : 2U)) | 1U);
	return true;
}

uint64_t core_run(struct core *cpu, uint64_t budget)
{
	uint64_t total = 0, skipped = 0, slept = 0;

	/* The debugger may have changed the clocks since the last run. */
	cpu->bus_cost->stale = true;
	/* C1.6.2: with C_STEP the core executes one instruction and halts. */
	if (cpu->step_pending && budget > 1)
		budget = 1;
	for (;;) {
		uint32_t pc, hint;
		uc_err err;

		vclock_fire_due(cpu->clk);
		if (cpu->halted || cpu->lockup)
			break;
		/* A new run: exception entry or return, an event or the
		 * debugger may have changed what is masked. */
		if (cpu->exc_masked) {
			cpu->exc_masked = false;
			cpu->exc_rearm_next = false;
			cpu->exc_check = true;
		}
		if (cpu->exc_check)
			take_ready_exception(cpu);
		/* Time asleep counts against the budget as cycles, so that a
		 * guest that wakes, handles a tick and sleeps again does not
		 * run through many ticks in one slice. */
		if (total + slept >= budget || cpu->halted || cpu->lockup)
			break;
		if (cpu->sleeping) {
			uint64_t before = cpu->clk->cycles;

			sleep_for(cpu, budget - total - slept);
			slept += cpu->clk->cycles - before;
			if (cpu->sleeping)
				break;
			continue;
		}
		pc = get_pc(cpu);
		if (!cpu->epsr_t) {
			/* B1.4.2: executing with EPSR.T = 0 is an INVSTATE
			 * UsageFault. */
			raise_fault(cpu, FAULT_INVSTATE, 0, pc);
			continue;
		}
		cpu->budget = budget - total - slept;
		cpu->executed = 0;
		cpu->fault_kind = FAULT_NONE;
		cpu->stop_for_bkpt = false;
		cpu->stop_for_exc_return = false;
		cpu->stop_for_svc = false;
		mpu_sync(cpu);
		fpb_refresh(cpu);
		cpu->mpu_fetch_block = UINT32_MAX;
		/* Every run starts by watching for a wait loop (idle.c): the
		 * first IDLE_MAX_LOOP instructions cost a little more. */
		idle_probe_start(cpu, pc);
		cpu->priv_known = false;
		cpu->in_engine = true;
		err = uc_emu_start(cpu->uc, pc | 1U, UNTIL_NEVER, 0, 0);
		cpu->in_engine = false;
		cpu->priv_known = false;
		cpu->idle.probing = false;
		cpu->idle.idle_now = false;
		if (cpu->nfixups)
			apply_fixups(cpu);
		if (cpu->mpu_blocked)
			mpu_undo_stores(cpu);
		if (cpu->idle.found) {
			cpu->idle.found = false;
			uint64_t idle = idle_for(cpu, budget - total - slept -
							cpu->executed);

			skipped += idle;
			total += idle;
		}
		total += cpu->executed;
		if (cpu->executed)
			cpu->retire_st = true;
		/* Unicorn stops after WFI (halted) and WFE (EXCP_YIELD, which
		 * Unicorn 2.0.1 reports as UC_ERR_INSN_INVALID) with PC on
		 * the next instruction; an undefined instruction stops with
		 * PC on itself. */
		hint = cpu->executed && cpu->fault_kind == FAULT_NONE &&
				       get_pc(cpu) != cpu->insn_pc
			       ? hint_at(cpu, cpu->insn_pc)
			       : 0;
		if (hint != 0xBF30U && hint != 0xBF20U)
			hint = 0;
		if (err == UC_ERR_INSN_INVALID && !hint) {
			cpu->fault_kind = FAULT_UNDEF;
			cpu->insn_pc = get_pc(cpu);
		}
		if (cpu->fault_kind != FAULT_NONE) {
			enum pending_fault kind = cpu->fault_kind;
			/* Found before the instruction was counted. */
			bool before = kind == FAULT_FETCH ||
				      kind == FAULT_IACCVIOL ||
				      kind == FAULT_COPROC ||
				      kind == FAULT_DIVBYZERO ||
				      kind == FAULT_MISALIGNED;
			uint32_t at = before ? cpu->fault_addr : cpu->insn_pc;

			cpu->fault_kind = FAULT_NONE;
			if (kind == FAULT_WRITE)
				at = get_pc(cpu);
			if ((kind == FAULT_READ || kind == FAULT_WRITE) &&
			    bus_fault_ignored(cpu)) {
				/* B3.2.8 BFHFNMIGN: nothing to take. */
			} else {
				/* The faulting instruction did not complete. */
				if (kind != FAULT_WRITE && !before &&
				    cpu->executed) {
					total--;
					cpu->clk->cycles--;
				}
				raise_fault(cpu, kind, cpu->fault_addr, at);
			}
		} else if (cpu->stop_for_bkpt) {
			bkpt_hit(cpu);
		} else if (cpu->stop_for_exc_return) {
			exception_return(cpu, get_pc(cpu) | 1U, cpu->insn_pc);
		} else if (cpu->stop_for_svc) {
			/* B1.5.4: an SVC that cannot be taken at once (its
			 * priority is not above the current one) escalates
			 * to HardFault. */
			take_sync(cpu, EXC_SVCALL, true, 0, get_pc(cpu));
		} else if (hint && (err == UC_ERR_OK ||
				    err == UC_ERR_EXCEPTION ||
				    err == UC_ERR_INSN_INVALID)) {
			enter_sleep(cpu, hint == 0xBF20U);
		} else if (err != UC_ERR_OK) {
			sim_log(LOG_UNIMP, "core stopped at 0x%08x: %s",
				get_pc(cpu), uc_strerror(err));
			raise_fault(cpu, FAULT_UNDEF, 0, get_pc(cpu));
		}
		if (cpu->step_pending && total > 0 && !cpu->halted) {
			cpu->step_pending = false;
			enter_debug_state(cpu, DFSR_HALTED);
		}
		if (cpu->pending_sysreset) {
			cpu->pending_sysreset = false;
			if (cpu->sysreset)
				cpu->sysreset(cpu->sysreset_ctx);
			else
				core_reset(cpu, false);
			/* A system reset ends the slice: on silicon it takes
			 * time (RM0433 §8.4.2: NRST is held low for at least
			 * 20 us), so a firmware that resets itself again and
			 * again must not go through thousands of resets per
			 * debugger transaction, and the debugger is served
			 * between any two resets. */
			break;
		}
	}
	cpu->instructions += total;
	/* --stats counts what the host executed, not skipped idle passes. */
	sim_stats.instructions += total - skipped;
	return total;
}

/* Sleeping counts as running for the board: time passes and events wake
 * it; only DHCSR tells the two apart (S_SLEEP). */
bool core_is_running(const struct core *cpu)
{
	return !cpu->halted && !cpu->lockup;
}

bool core_is_idle(const struct core *cpu)
{
	return core_is_running(cpu) && (cpu->sleeping || cpu->idle.idle_now);
}

bool core_is_spinning(struct core *cpu)
{
	uint32_t insn = 0;

	if (!core_is_running(cpu))
		return false;
	/* Asleep with nothing to wake it, or on a branch to itself (0xE7FE)
	 * with no event to come: only the debugger can change anything. A
	 * pending interrupt that is masked stays so until software unmasks
	 * it, which a core in either state cannot do. */
	if (cpu->clk->events)
		return false;
	if (cpu->sleeping || cpu->idle.idle_now)
		return true;
	return bus_read(cpu->bus, get_pc(cpu), 2, &insn, BUS_MASTER_CPU) &&
	       insn == 0xE7FEU;
}

void core_reset(struct core *cpu, bool power_on)
{
	uint32_t sp = 0, pc = 0;
	static const int zero_regs[] = {
		UC_ARM_REG_R0,	UC_ARM_REG_R1,	UC_ARM_REG_R2,	UC_ARM_REG_R3,
		UC_ARM_REG_R4,	UC_ARM_REG_R5,	UC_ARM_REG_R6,	UC_ARM_REG_R7,
		UC_ARM_REG_R8,	UC_ARM_REG_R9,	UC_ARM_REG_R10, UC_ARM_REG_R11,
		UC_ARM_REG_R12, UC_ARM_REG_PSP,
		UC_ARM_REG_PRIMASK, UC_ARM_REG_BASEPRI, UC_ARM_REG_FAULTMASK,
	};

	if (!cpu->in_engine && renew_check_due(cpu) &&
	    resident_bytes() > RENEW_RSS)
		renew_engine(cpu);
	scs_reset(cpu, power_on);
	/* Thread mode, privileged, on MSP (B1.5.5), whatever the state the
	 * reset interrupted. */
	reg_set(cpu, UC_ARM_REG_XPSR, (1U << 24) | 1U);
	reg_set(cpu, UC_ARM_REG_CONTROL, 0);
	reg_set(cpu, UC_ARM_REG_XPSR, 1U << 24);
	reg_set(cpu, UC_ARM_REG_CONTROL, 0);
	for (size_t i = 0; i < sizeof(zero_regs) / sizeof(zero_regs[0]); i++)
		reg_set(cpu, zero_regs[i], 0);
	reg_set(cpu, UC_ARM_REG_XPSR, 1U << 24);
	reg_set(cpu, UC_ARM_REG_LR, 0xFFFFFFFFU);
	cpu->lockup = false;
	cpu->sleeping = false;
	cpu->event_register = false;
	cpu->reset_st = true;
	cpu->step_pending = false;
	cpu->nfixups = 0;
	/* B1.5.5 reset behaviour: SP_main from vector 0, PC and T from
	 * vector 1. An unreadable table (e.g. erased flash reads 0xFFFFFFFF)
	 * gives PC 0xFFFFFFFE and the core locks up when it starts. */
	read_word(cpu, cpu->scs.vtor, &sp);
	read_word(cpu, cpu->scs.vtor + 4, &pc);
	reg_set(cpu, UC_ARM_REG_MSP, sp & ~3U);
	reg_set(cpu, UC_ARM_REG_SP, sp & ~3U);
	cpu->epsr_t = pc & 1U;
	/* No translation is dropped: code memory did not change (writes to
	 * it drop their own, bus.c), and the state a translation depends on
	 * (Thumb, privilege, mode) is part of the key QEMU looks it up by. */
	set_pc(cpu, pc & ~1U);
	/* A reset ends Debug state. C_HALT the core set itself on a debug
	 * entry does not hold it in reset, one the debugger wrote does:
	 * OpenOCD's "reset run" after a flash algorithm clears C_HALT, the
	 * core executes again the BKPT it stopped on, then SYSRESETREQ comes,
	 * and on silicon the new firmware runs. */
	if (!power_on && cpu->halt_from_entry)
		cpu->scs.dhcsr_ctrl &= ~DHCSR_C_HALT;
	cpu->halt_from_entry = false;
	/* C1.4.2: reset vector catch halts before the first instruction.
	 * Otherwise the core leaves reset running unless the debugger holds
	 * C_HALT. An erased vector table (0xFFFFFFFF) needs no special case:
	 * the fetch from 0xFFFFFFFE faults, the HardFault vector is just as
	 * unusable, and the core locks up as silicon does. */
	if ((cpu->scs.demcr & DEMCR_VC_CORERESET) &&
	    (cpu->scs.dhcsr_ctrl & DHCSR_C_DEBUGEN)) {
		enter_debug_state(cpu, DFSR_VCATCH);
	} else {
		set_halted(cpu, (cpu->scs.dhcsr_ctrl &
				 (DHCSR_C_DEBUGEN | DHCSR_C_HALT)) ==
					(DHCSR_C_DEBUGEN | DHCSR_C_HALT));
	}
}

uint32_t core_ipsr(struct core *cpu)
{
	return reg_get(cpu, UC_ARM_REG_XPSR) & 0x1FFU;
}

uint64_t core_instructions(const struct core *cpu)
{
	return cpu->instructions;
}

uint32_t core_reg(struct core *cpu, unsigned regsel)
{
	bool ok;

	return core_read_regsel(cpu, regsel, &ok);
}

/* DCRSR REGSEL numbering: ARMv7-M ARM C1.6.3. */
uint32_t core_read_regsel(struct core *cpu, unsigned regsel, bool *ok)
{
	*ok = true;
	if (regsel <= 12)
		return reg_get(cpu, UC_ARM_REG_R0 + (int)regsel);
	switch (regsel) {
	case 13:
		return reg_get(cpu, UC_ARM_REG_SP);
	case 14:
		return reg_get(cpu, UC_ARM_REG_LR);
	case 15:
		return cpu->lockup ? LOCKUP_PC : get_pc(cpu);
	case 16:
		return current_xpsr(cpu);
	case 17:
		return core_sysreg_get(cpu, UC_ARM_REG_MSP);
	case 18:
		return core_sysreg_get(cpu, UC_ARM_REG_PSP);
	case 0x14:
		return (reg_get(cpu, UC_ARM_REG_CONTROL) & 0x7U) << 24 |
		       (core_sysreg_get(cpu, UC_ARM_REG_FAULTMASK) & 1U) << 16 |
		       (core_sysreg_get(cpu, UC_ARM_REG_BASEPRI) & 0xFFU) << 8 |
		       (core_sysreg_get(cpu, UC_ARM_REG_PRIMASK) & 1U);
	case 0x21:
		return reg_get(cpu, UC_ARM_REG_FPSCR);
	default:
		break;
	}
	if (regsel >= 0x40 && regsel <= 0x5F)
		return reg_get(cpu, UC_ARM_REG_S0 + (int)(regsel - 0x40));
	*ok = false;
	return 0;
}

bool core_write_regsel(struct core *cpu, unsigned regsel, uint32_t value)
{
	if (regsel <= 12) {
		reg_set(cpu, UC_ARM_REG_R0 + (int)regsel, value);
		return true;
	}
	switch (regsel) {
	case 13:
		reg_set(cpu, UC_ARM_REG_SP, value);
		return true;
	case 14:
		reg_set(cpu, UC_ARM_REG_LR, value);
		return true;
	case 15:
		set_pc(cpu, value);
		cpu->lockup = false;
		return true;
	case 16:
		cpu->epsr_t = value & (1U << 24);
		reg_set(cpu, UC_ARM_REG_XPSR, value | (1U << 24));
		return true;
	case 17:
		core_sysreg_set(cpu, UC_ARM_REG_MSP, value);
		return true;
	case 18:
		core_sysreg_set(cpu, UC_ARM_REG_PSP, value);
		return true;
	case 0x14:
		core_sysreg_set(cpu, UC_ARM_REG_FAULTMASK, (value >> 16) & 1U);
		core_sysreg_set(cpu, UC_ARM_REG_BASEPRI, (value >> 8) & 0xFFU);
		core_sysreg_set(cpu, UC_ARM_REG_PRIMASK, value & 1U);
		set_control(cpu, (value >> 24) & 0x7U);
		cpu->exc_check = true;
		return true;
	case 0x21:
		reg_set(cpu, UC_ARM_REG_FPSCR, value);
		return true;
	default:
		break;
	}
	if (regsel >= 0x40 && regsel <= 0x5F) {
		reg_set(cpu, UC_ARM_REG_S0 + (int)(regsel - 0x40), value);
		return true;
	}
	return false;
}

void core_request_halt(struct core *cpu, uint32_t dfsr_reason)
{
	if (cpu->halted)
		return;
	/* C1.5: a halt request also stops a locked-up or sleeping core; the
	 * lockup is left by the debugger writing PC or resetting. */
	enter_debug_state(cpu, dfsr_reason);
}

void core_debug_resume(struct core *cpu)
{
	if (!cpu->halted)
		return;
	set_halted(cpu, false);
	cpu->step_pending = (cpu->scs.dhcsr_ctrl & DHCSR_C_STEP) != 0;
}
