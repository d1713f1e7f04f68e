/* Idle-loop detection: a guest loop that only reads memory and computes
 * (the flash loader waiting for the debugger to fill its FIFO, firmware
 * polling a flag an interrupt sets) repeats the same state until memory
 * changes or an event comes. Executing it instruction by instruction costs
 * host time and tells the guest nothing, so the core recognises it and lets
 * the virtual clock run to the next event (or the end of the slice)
 * instead, as if the iterations had been executed.
 *
 * The test is exact, not a guess: from some instruction the core comes back
 * to the same instruction with every core register (R0-R12, SP, LR, xPSR)
 * equal, having executed only instructions that write no memory and change
 * no system state (a fixed list of Thumb encodings: ALU, compares,
 * branches, loads, IT, NOP, barriers) and having made no access to a
 * peripheral other than reads of event-stable registers (bus.h,
 * bus_region.read_stable: the read changes nothing and the value changes
 * only when written or at an event; core.c counts every other access).
 * What such a loop does next depends only on registers, memory and those
 * registers, which nothing but the debugger or an event can change. */
#include "cpu/core_internal.h"

static const int state_regs[IDLE_REGS] = {
	UC_ARM_REG_R0,	UC_ARM_REG_R1,	UC_ARM_REG_R2,	UC_ARM_REG_R3,
	UC_ARM_REG_R4,	UC_ARM_REG_R5,	UC_ARM_REG_R6,	UC_ARM_REG_R7,
	UC_ARM_REG_R8,	UC_ARM_REG_R9,	UC_ARM_REG_R10, UC_ARM_REG_R11,
	UC_ARM_REG_R12, UC_ARM_REG_SP,	UC_ARM_REG_LR,	UC_ARM_REG_XPSR,
};

static void read_state(struct core *cpu, uint32_t *v)
{
	void *ptrs[IDLE_REGS];

	for (unsigned i = 0; i < IDLE_REGS; i++)
		ptrs[i] = &v[i];
	uc_reg_read_batch(cpu->uc, (int *)state_regs, ptrs, IDLE_REGS);
}

/* Thumb encodings (ARMv7-M ARM A5.2, A5.3) that only read memory or
 * registers and write registers. Everything else (stores, PUSH, STM,
 * exclusive stores, CPS, MSR, SVC, BKPT, UDF, WFI/WFE/SEV, coprocessor and
 * FP instructions) ends the search. */
static bool pure_insn(uint32_t hw1, uint32_t hw2, unsigned size)
{
	if (size == 2) {
		if (hw1 < 0x5000U)
			return true;	/* shifts, ALU, hi-reg ops, BX, LDR lit */
		if (hw1 < 0x6000U)
			return hw1 >= 0x5600U; /* LDRSB/LDR/LDRH/LDRB/LDRSH reg */
		if (hw1 < 0xA000U)
			return hw1 & 0x0800U; /* LDR/LDRB/LDRH/LDR SP imm */
		if (hw1 < 0xB000U)
			return true;	/* ADR, ADD SP */
		if (hw1 < 0xC000U) {
			if ((hw1 & 0xFE00U) == 0xB400U)
				return false;	/* PUSH */
			if ((hw1 & 0xFFE0U) == 0xB660U)
				return false;	/* CPS */
			if ((hw1 & 0xFF00U) == 0xBE00U)
				return false;	/* BKPT */
			if ((hw1 & 0xFF00U) == 0xBF00U)
				/* IT (mask != 0), NOP, YIELD */
				return (hw1 & 0xFU) || (hw1 & 0xF0U) <= 0x10U;
			return true;	/* SP adjust, CBZ/CBNZ, extend, REV, POP */
		}
		if (hw1 < 0xD000U)
			return hw1 & 0x0800U;	/* LDM, not STM */
		if (hw1 < 0xDE00U)
			return true;	/* B<cond> */
		if (hw1 < 0xE000U)
			return false;	/* UDF, SVC */
		return true;		/* B */
	}
	if ((hw1 & 0xFE00U) == 0xE800U)
		return hw1 & 0x0010U;	/* LDM, LDRD, LDREX, TBB/TBH; no stores */
	if ((hw1 & 0xFE00U) == 0xEA00U)
		return true;		/* data processing, shifted register */
	if ((hw1 & 0xF800U) == 0xF000U) {
		if (!(hw2 & 0x8000U))
			return true;	/* data processing, immediate */
		if ((hw1 & 0xFFE0U) == 0xF380U && (hw2 & 0xD000U) == 0x8000U)
			return false;	/* MSR */
		if ((hw1 & 0xFFF0U) == 0xF3A0U && (hw2 & 0xD000U) == 0x8000U)
			/* CPS.W and hints: only NOP.W and YIELD.W */
			return hw1 == 0xF3AFU && (hw2 & 0x07FFU) <= 1U;
		if ((hw1 & 0xFFF0U) == 0xF7F0U && (hw2 & 0xF000U) == 0xA000U)
			return false;	/* UDF.W */
		return true;		/* branches, MRS, barriers */
	}
	if ((hw1 & 0xFE00U) == 0xF800U)
		return hw1 & 0x0010U;	/* loads and PLD/PLI; no stores */
	if ((hw1 & 0xFE00U) == 0xFA00U || (hw1 & 0xFF00U) == 0xFB00U)
		return true;		/* data processing, multiply, divide */
	return false;			/* coprocessor, FP, undefined */
}

void idle_probe_start(struct core *cpu, uint32_t pc)
{
	struct idle_probe *p = &cpu->idle;

	p->probing = true;
	p->found = false;
	p->pc0 = pc;
	p->steps = 0;
	p->passes = 0;
	p->mmio0 = cpu->mmio_accesses;
	read_state(cpu, p->state0);
}

/* Called from the code hook before each instruction while probing.
 * Returns true when the loop is proven idle: stop here. */
bool idle_probe_step(struct core *cpu, uint32_t addr, uint32_t size)
{
	struct idle_probe *p = &cpu->idle;
	uint16_t hw[2] = {0, 0};
	uint32_t now[IDLE_REGS];

	if (addr == p->pc0 && p->steps > 0) {
		if (cpu->mmio_accesses != p->mmio0) {
			p->probing = false;
			return false;
		}
		read_state(cpu, now);
		if (memcmp(now, p->state0, sizeof(now)) == 0) {
			p->probing = false;
			p->found = true;
			return true;
		}
		/* The first pass may differ (flags set by the compare the
		 * loop ends with): compare the next pass with this one. */
		if (++p->passes > 1) {
			p->probing = false;
			return false;
		}
		memcpy(p->state0, now, sizeof(now));
		p->steps = 0;
	}
	if (++p->steps > IDLE_MAX_LOOP ||
	    uc_mem_read(cpu->uc, addr, hw, size) != UC_ERR_OK ||
	    !pure_insn(hw[0], hw[1], size))
		p->probing = false;
	return false;
}
