/* Alignment faults Unicorn 2.0.1 does not raise (ARMv7-M ARM A3.2.1; M7
 * Devices Generic User Guide DUI 0646 §3.3.5 and §4.3.7; Cortex-M7 TRM
 * §2.4.2): only LDR, LDRT, LDRH, LDRHT, LDRSH, LDRSHT, STR, STRT, STRH
 * and STRHT may be unaligned, and only to Normal memory with
 * CCR.UNALIGN_TRP clear; LDM, STM, PUSH, POP, LDRD, STRD, VLDR, VSTR,
 * VLDM, VSTM must be word aligned whatever CCR says. Unicorn (QEMU 5)
 * performs all of them, so the core decodes the instruction before it
 * executes (core.c, insn_trap) or, for a peripheral, when the access
 * reaches the model (core.c, mmio_read and mmio_write). The Thumb
 * encodings: A5.2.3-A5.2.5 (16-bit), A5.3.5-A5.3.10 (32-bit). */
#include "cpu/core_internal.h"

uint32_t align_reg(struct core *cpu, unsigned n)
{
	uint32_t v = 0;

	/* Unicorn numbers R0-R12 in a row, SP and LR apart. */
	if (n == 15)
		return cpu->insn_pc;
	uc_reg_read(cpu->uc, n == 13 ? UC_ARM_REG_SP :
			     n == 14 ? UC_ARM_REG_LR : UC_ARM_REG_R0 + (int)n,
		    &v);
	return v;
}

#define reg align_reg

bool align_multiple_misaligned(struct core *cpu, uint16_t hw1, uint16_t hw2,
			       unsigned size)
{
	unsigned rn;

	if (size == 2) {
		/* STM/LDM (T1): 1100 x Rn list. */
		if ((hw1 & 0xF000U) != 0xC000U)
			return false;
		rn = hw1 >> 8 & 7U;
	} else if ((hw1 & 0xFE40U) == 0xE800U) {
		/* LDM/STM (T2), PUSH.W, POP.W: 1110 100x x0xx Rn. */
		rn = hw1 & 0xFU;
	} else if ((hw1 & 0xFE40U) == 0xE840U) {
		/* Dual, exclusive and table branch (A5.3.6): LDRD/STRD when
		 * op1<1> (hw1 bit 8) or op2<1> (bit 5) is set; the
		 * exclusives fault in Unicorn itself; TBB/TBH have op1 01
		 * and op2 01. Rn 15 is LDRD (literal), word aligned. */
		if (!(hw1 & 0x0100U) && !(hw1 & 0x0020U))
			return false;
		rn = hw1 & 0xFU;
		if (rn == 15)
			return false;
	} else if ((hw1 & 0xFE00U) == 0xEC00U && (hw2 & 0x0E00U) == 0x0A00U &&
		   (hw1 & 0xFFE0U) != 0xEC40U) {
		/* VLDR, VSTR, VLDM, VSTM, VPUSH, VPOP (A6.5): Rn plus or minus
		 * a multiple of 4; VMOV to two core registers (1110 1100 010x)
		 * is no memory access. */
		rn = hw1 & 0xFU;
		if (rn == 15)
			return false;
	} else {
		return false;
	}
	/* SP's bits [1:0] are zero (B1.4.1). */
	return rn != 13 && (reg(cpu, rn) & 3U) != 0;
}

unsigned align_single_access(struct core *cpu, uint16_t hw1, uint16_t hw2,
			     unsigned size, uint32_t *addr)
{
	unsigned rn, rm, bytes;

	if (size == 2) {
		if ((hw1 & 0xF000U) == 0x5000U) {
			/* Register offset: STR STRH STRB LDRSB LDR LDRH LDRB
			 * LDRSH by opB = hw1[11:9]. */
			static const unsigned by_op[8] = {4, 2, 0, 0, 4, 2, 0, 2};

			bytes = by_op[hw1 >> 9 & 7U];
			rm = hw1 >> 6 & 7U;
			rn = hw1 >> 3 & 7U;
			*addr = reg(cpu, rn) + reg(cpu, rm);
			return bytes;
		}
		if ((hw1 & 0xF000U) == 0x6000U) {	/* STR/LDR imm5 * 4 */
			*addr = reg(cpu, hw1 >> 3 & 7U) + (hw1 >> 6 & 0x1FU) * 4U;
			return 4;
		}
		if ((hw1 & 0xF000U) == 0x8000U) {	/* STRH/LDRH imm5 * 2 */
			*addr = reg(cpu, hw1 >> 3 & 7U) + (hw1 >> 6 & 0x1FU) * 2U;
			return 2;
		}
		return 0; /* SP- and PC-relative forms are word aligned */
	}
	if ((hw1 & 0xFE00U) != 0xF800U)
		return 0;
	/* 1111 100 S x size L Rn: size 01 halfword, 10 word. */
	switch (hw1 >> 5 & 3U) {
	case 1: bytes = 2; break;
	case 2: bytes = 4; break;
	default: return 0;
	}
	if ((hw1 & 0x0100U) && !(hw1 & 0x0010U))
		return 0; /* no signed stores */
	if ((hw1 & 0x0010U) && (hw2 >> 12) == 15U && bytes == 2)
		return 0; /* preload hints */
	rn = hw1 & 0xFU;
	if (rn == 15) {
		/* Literal: Align(PC, 4) plus or minus imm12 (hw1 bit 7 U). */
		uint32_t base = (cpu->insn_pc + 4U) & ~3U, imm = hw2 & 0xFFFU;

		*addr = (hw1 & 0x0080U) ? base + imm : base - imm;
	} else if (hw1 & 0x0080U) {
		*addr = reg(cpu, rn) + (hw2 & 0xFFFU);		/* imm12 */
	} else if (hw2 & 0x0800U) {
		/* imm8 with P (hw2 bit 10) and U (bit 9); T forms alike. */
		uint32_t base = reg(cpu, rn), imm = hw2 & 0xFFU;
		uint32_t offset = (hw2 & 0x0200U) ? base + imm : base - imm;

		*addr = (hw2 & 0x0400U) ? offset : base;
	} else if ((hw2 & 0x0FC0U) == 0) {
		/* Register, LSL #imm2. */
		*addr = reg(cpu, rn) + (reg(cpu, hw2 & 0xFU) << (hw2 >> 4 & 3U));
	} else {
		return 0;
	}
	return bytes;
}
