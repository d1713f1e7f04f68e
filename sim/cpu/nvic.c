/* Exception priorities and states, and the NVIC registers: ARMv7-M ARM
 * (DDI 0403E) B1.5.2-B1.5.4 (numbers, priorities, preemption), B3.2.4
 * (ICSR), B3.2.10-B3.2.13 (SHPR, SHCSR), B3.4 (NVIC). Facts in
 * docs/psramsim-cpu.md. */
#include "cpu/core_internal.h"

#include <string.h>

#include "cpu/irq.h"
#include "util/log.h"

#define ICSR_NMIPENDSET (1U << 31)
#define ICSR_PENDSVSET (1U << 28)
#define ICSR_PENDSVCLR (1U << 27)
#define ICSR_PENDSTSET (1U << 26)
#define ICSR_PENDSTCLR (1U << 25)
#define ICSR_ISRPENDING (1U << 22)
#define ICSR_RETTOBASE (1U << 11)

/* SHCSR (B3.2.13): active and pended bits mirror exception states. */
static const struct {
	unsigned exc;
	uint32_t bit;
	bool active;
} shcsr_bits[] = {
	{EXC_MEMMANAGE, 1U << 0, true},  {EXC_BUSFAULT, 1U << 1, true},
	{EXC_USAGEFAULT, 1U << 3, true}, {EXC_SVCALL, 1U << 7, true},
	{EXC_DEBUGMON, 1U << 8, true},   {EXC_PENDSV, 1U << 10, true},
	{EXC_SYSTICK, 1U << 11, true},   {EXC_USAGEFAULT, 1U << 12, false},
	{EXC_MEMMANAGE, 1U << 13, false}, {EXC_BUSFAULT, 1U << 14, false},
	{EXC_SVCALL, 1U << 15, false},
};
#define SHCSR_ENABLES 0x00070000U

void nvic_reset(struct core *cpu)
{
	memset(&cpu->nvic, 0, sizeof(cpu->nvic));
	cpu->exc_check = false;
}

/* B1.5.4: Reset, NMI and HardFault have fixed negative priorities; the
 * others come from SHPR1-3 and NVIC_IPR. */
int exc_priority(const struct core *cpu, unsigned exc)
{
	switch (exc) {
	case EXC_RESET:
		return -3;
	case EXC_NMI:
		return -2;
	case EXC_HARDFAULT:
		return -1;
	default:
		break;
	}
	if (exc >= 16)
		return exc - 16 < NVIC_IRQS ? cpu->nvic.prio[exc - 16] : PRIO_THREAD;
	return (int)((cpu->scs.shpr[(exc - 4) / 4] >> (8 * (exc % 4))) & 0xFFU);
}

/* B1.5.4: AIRCR.PRIGROUP splits a priority into group priority
 * (bits [7:PRIGROUP+1]) and subpriority; only the group preempts. */
int exc_group_priority(const struct core *cpu, int prio)
{
	uint32_t sub = (2U << cpu->scs.aircr_prigroup) - 1U;

	if (prio < 0 || prio >= PRIO_THREAD)
		return prio;
	return (int)((uint32_t)prio & ~sub);
}

bool exc_is_active(const struct core *cpu, unsigned exc)
{
	if (exc < 16)
		return cpu->nvic.sys_active >> exc & 1U;
	exc -= 16;
	return exc < NVIC_IRQS && (cpu->nvic.active[exc / 32] >> (exc % 32) & 1U);
}

bool exc_is_pending(const struct core *cpu, unsigned exc)
{
	if (exc < 16)
		return cpu->nvic.sys_pending >> exc & 1U;
	exc -= 16;
	return exc < NVIC_IRQS && (cpu->nvic.pending[exc / 32] >> (exc % 32) & 1U);
}

static void set_bit(uint32_t *words, unsigned n, bool on)
{
	if (on)
		words[n / 32] |= 1U << (n % 32);
	else
		words[n / 32] &= ~(1U << (n % 32));
}

void exc_set_active(struct core *cpu, unsigned exc, bool on)
{
	if (exc < 16) {
		if (on)
			cpu->nvic.sys_active |= (uint16_t)(1U << exc);
		else
			cpu->nvic.sys_active &= (uint16_t)~(1U << exc);
	} else if (exc - 16 < NVIC_IRQS) {
		set_bit(cpu->nvic.active, exc - 16, on);
	}
	cpu->exc_check = true;
}

void exc_set_pending(struct core *cpu, unsigned exc, bool on)
{
	if (exc < 16) {
		if (on)
			cpu->nvic.sys_pending |= (uint16_t)(1U << exc);
		else
			cpu->nvic.sys_pending &= (uint16_t)~(1U << exc);
	} else if (exc - 16 < NVIC_IRQS) {
		/* B3.2.7 SCR.SEVONPEND: an interrupt going from inactive to
		 * pending is a WFE wake-up event, even disabled or masked. */
		if (on && !exc_is_pending(cpu, exc) && !exc_is_active(cpu, exc) &&
		    (cpu->scs.scr & 0x10U))
			cpu->event_register = true;
		set_bit(cpu->nvic.pending, exc - 16, on);
	}
	if (on) {
		cpu->exc_check = true;
		/* Stop the current run of instructions so the exception is
		 * taken before the next one (a write to STIR, ISPR or ICSR,
		 * or a peripheral raising its line during an access). */
		cpu->budget = 0;
	}
}

bool exc_others_active(const struct core *cpu, unsigned exc)
{
	uint16_t sys = cpu->nvic.sys_active;

	if (exc < 16)
		sys &= (uint16_t)~(1U << exc);
	if (sys)
		return true;
	for (unsigned w = 0; w < NVIC_WORDS; w++) {
		uint32_t a = cpu->nvic.active[w];

		if (exc >= 16 && (exc - 16) / 32 == w)
			a &= ~(1U << ((exc - 16) % 32));
		if (a)
			return true;
	}
	return false;
}

/* B1.5.4 ExecutionPriority(): the highest group priority among the active
 * exceptions, boosted by BASEPRI, PRIMASK and FAULTMASK. */
int execution_priority(struct core *cpu)
{
	return execution_priority_ex(cpu, false);
}

int execution_priority_ex(struct core *cpu, bool ignore_primask)
{
	int highest = PRIO_THREAD, boosted = PRIO_THREAD;
	uint32_t basepri = 0, primask = 0, faultmask = 0;

	for (unsigned exc = 1; exc < 16; exc++)
		if (cpu->nvic.sys_active >> exc & 1U) {
			int p = exc_group_priority(cpu, exc_priority(cpu, exc));

			if (p < highest)
				highest = p;
		}
	for (unsigned w = 0; w < NVIC_WORDS; w++) {
		uint32_t a = cpu->nvic.active[w];

		while (a) {
			unsigned n = w * 32 + (unsigned)__builtin_ctz(a);
			int p = exc_group_priority(cpu, cpu->nvic.prio[n]);

			a &= a - 1;
			if (p < highest)
				highest = p;
		}
	}
	basepri = core_sysreg_get(cpu, UC_ARM_REG_BASEPRI);
	primask = ignore_primask ? 0 : core_sysreg_get(cpu, UC_ARM_REG_PRIMASK);
	faultmask = core_sysreg_get(cpu, UC_ARM_REG_FAULTMASK);
	basepri &= PRIO_MASK;
	if (basepri)
		boosted = exc_group_priority(cpu, (int)basepri);
	if (primask & 1U)
		boosted = 0;
	if (faultmask & 1U)
		boosted = -1;
	return boosted < highest ? boosted : highest;
}

/* B1.5.4: among pending exceptions the lowest priority value wins, and
 * equal priorities go to the lowest exception number. Disabled interrupts
 * stay pending but are not candidates. */
unsigned exc_pending_best(const struct core *cpu, int *prio)
{
	unsigned best = 0;
	int best_prio = PRIO_THREAD + 1;

	for (unsigned exc = 2; exc < 16; exc++)
		if (cpu->nvic.sys_pending >> exc & 1U) {
			int p = exc_priority(cpu, exc);

			if (p < best_prio) {
				best = exc;
				best_prio = p;
			}
		}
	for (unsigned w = 0; w < NVIC_WORDS; w++) {
		uint32_t c = cpu->nvic.pending[w] & cpu->nvic.enabled[w];

		while (c) {
			unsigned n = w * 32 + (unsigned)__builtin_ctz(c);
			int p = cpu->nvic.prio[n];

			c &= c - 1;
			if (p < best_prio) {
				best = 16 + n;
				best_prio = p;
			}
		}
	}
	if (prio)
		*prio = best_prio;
	return best;
}

static bool line_high(const struct core *cpu, unsigned irq)
{
	return cpu->nvic.level[irq / 32] >> (irq % 32) & 1U;
}

/* B3.4.1: a level-sensitive line still asserted when its handler returns
 * makes the interrupt pending again. */
void nvic_after_return(struct core *cpu, unsigned exc)
{
	if (exc >= 16 && exc - 16 < NVIC_IRQS && line_high(cpu, exc - 16))
		exc_set_pending(cpu, exc, true);
}

void core_set_irq(struct core *cpu, unsigned irq, bool level)
{
	if (irq >= cpu->identity.irq_lines) {
		sim_log(LOG_UNIMP, "interrupt line %u does not exist", irq);
		return;
	}
	if (line_high(cpu, irq) == level)
		return;
	set_bit(cpu->nvic.level, irq, level);
	/* A rising line pends the interrupt unless it is active; then it
	 * pends again at the handler's return (nvic_after_return). */
	if (level && !exc_is_active(cpu, 16 + irq))
		exc_set_pending(cpu, 16 + irq, true);
}

static void irq_line_set(void *nvic, unsigned irqn, bool level)
{
	core_set_irq(nvic, irqn, level);
}

struct irq_line core_irq_line(struct core *cpu, unsigned irqn)
{
	struct irq_line line = {irq_line_set, cpu, irqn};

	return line;
}

/* Interrupt-pending bits of lines that are still asserted come back at
 * once after a clear (B3.4.1: the NVIC samples the level). */
static void repend_high_lines(struct core *cpu, unsigned word)
{
	uint32_t again = cpu->nvic.level[word] & ~cpu->nvic.active[word] &
			 ~cpu->nvic.pending[word];

	for (unsigned b = 0; b < 32; b++)
		if (again >> b & 1U)
			exc_set_pending(cpu, 16 + word * 32 + b, true);
}

/* The bits of NVIC word `word` that stand for a wired line. */
static uint32_t implemented(const struct core *cpu, unsigned word)
{
	unsigned first = word * 32, lines = cpu->identity.irq_lines;

	if (first >= lines)
		return 0;
	if (lines - first >= 32)
		return 0xFFFFFFFFU;
	return (1U << (lines - first)) - 1U;
}

static uint32_t icsr_read(struct core *cpu)
{
	uint32_t v = core_ipsr(cpu);
	unsigned pend = exc_pending_best(cpu, NULL);

	/* RETTOBASE: no active exception other than the one running. */
	if (v && !exc_others_active(cpu, v))
		v |= ICSR_RETTOBASE;
	v |= (uint32_t)pend << 12;
	for (unsigned w = 0; w < NVIC_WORDS; w++)
		if (cpu->nvic.pending[w])
			v |= ICSR_ISRPENDING;
	if (exc_is_pending(cpu, EXC_NMI))
		v |= ICSR_NMIPENDSET;
	if (exc_is_pending(cpu, EXC_PENDSV))
		v |= 1U << 28;
	if (exc_is_pending(cpu, EXC_SYSTICK))
		v |= 1U << 26;
	return v;
}

static void icsr_write(struct core *cpu, uint32_t v)
{
	if (v & ICSR_NMIPENDSET)
		exc_set_pending(cpu, EXC_NMI, true);
	/* B3.2.4: writing both SET and CLR of a pair is unpredictable. */
	if ((v & ICSR_PENDSVSET) && (v & ICSR_PENDSVCLR))
		sim_log(LOG_GUEST_ERROR, "ICSR: PENDSVSET and PENDSVCLR both "
					 "written (B3.2.4: unpredictable)");
	else if (v & ICSR_PENDSVSET)
		exc_set_pending(cpu, EXC_PENDSV, true);
	else if (v & ICSR_PENDSVCLR)
		exc_set_pending(cpu, EXC_PENDSV, false);
	if ((v & ICSR_PENDSTSET) && (v & ICSR_PENDSTCLR))
		sim_log(LOG_GUEST_ERROR, "ICSR: PENDSTSET and PENDSTCLR both "
					 "written (B3.2.4: unpredictable)");
	else if (v & ICSR_PENDSTSET)
		exc_set_pending(cpu, EXC_SYSTICK, true);
	else if (v & ICSR_PENDSTCLR)
		exc_set_pending(cpu, EXC_SYSTICK, false);
}

static uint32_t shcsr_read(const struct core *cpu)
{
	uint32_t v = cpu->scs.shcsr & SHCSR_ENABLES;

	for (size_t i = 0; i < sizeof(shcsr_bits) / sizeof(shcsr_bits[0]); i++) {
		bool on = shcsr_bits[i].active
				  ? exc_is_active(cpu, shcsr_bits[i].exc)
				  : exc_is_pending(cpu, shcsr_bits[i].exc);

		if (on)
			v |= shcsr_bits[i].bit;
	}
	return v;
}

/* B3.2.13: the active and pended bits are writable (a context switch
 * restores them); the architecture leaves the effect of changing the
 * active bit of a running exception unpredictable. */
static void shcsr_write(struct core *cpu, uint32_t v)
{
	cpu->scs.shcsr = v & SHCSR_ENABLES;
	for (size_t i = 0; i < sizeof(shcsr_bits) / sizeof(shcsr_bits[0]); i++) {
		bool on = v & shcsr_bits[i].bit;

		if (shcsr_bits[i].active)
			exc_set_active(cpu, shcsr_bits[i].exc, on);
		else
			exc_set_pending(cpu, shcsr_bits[i].exc, on);
	}
}

/* The NVIC block (0x100-0x4EF, STIR at 0xF00) and the SCB registers that
 * hold exception state (ICSR, SHPR1-3, SHCSR), as offsets in the SCS. */
bool nvic_read(struct core *cpu, uint32_t off, uint32_t *v)
{
	unsigned w = (off & 0x7FU) / 4;

	if (off == 0xD04) {
		*v = icsr_read(cpu);
	} else if (off >= 0xD18 && off < 0xD24) {
		*v = cpu->scs.shpr[(off - 0xD18) / 4];
	} else if (off == 0xD24) {
		*v = shcsr_read(cpu);
	} else if (off >= 0x100 && off < 0x380 && (off & 0x7FU) < 0x20) {
		const uint32_t *src = off < 0x180   ? cpu->nvic.enabled
				      : off < 0x200 ? cpu->nvic.enabled
				      : off < 0x280 ? cpu->nvic.pending
				      : off < 0x300 ? cpu->nvic.pending
						    : cpu->nvic.active;

		*v = w < NVIC_WORDS ? src[w] : 0;
	} else if (off >= 0x400 && off < 0x4F0) {
		unsigned n = off - 0x400;

		*v = 0;
		for (unsigned b = 0; b < 4 && n + b < cpu->identity.irq_lines; b++)
			*v |= (uint32_t)cpu->nvic.prio[n + b] << (8 * b);
	} else {
		return false;
	}
	return true;
}

bool nvic_write(struct core *cpu, uint32_t off, uint32_t v, bool debugger)
{
	unsigned w = (off & 0x7FU) / 4;

	if (off == 0xD04) {
		icsr_write(cpu, v);
	} else if (off >= 0xD18 && off < 0xD24) {
		/* SHPR1-3; the bytes of reserved exceptions read as zero. */
		static const uint32_t writable[3] = {0x00F0F0F0U, 0xF0000000U,
						     0xF0F000F0U};

		cpu->scs.shpr[(off - 0xD18) / 4] = v & writable[(off - 0xD18) / 4];
		cpu->exc_check = true;
	} else if (off == 0xD24) {
		shcsr_write(cpu, v);
	} else if (off >= 0x100 && off < 0x300 && (off & 0x7FU) < 0x20) {
		if (w >= NVIC_WORDS)
			return true;
		v &= implemented(cpu, w);
		if (off < 0x180) {
			cpu->nvic.enabled[w] |= v;
			cpu->exc_check = true;
			if (v & cpu->nvic.pending[w])
				cpu->budget = 0;
		} else if (off < 0x200) {
			cpu->nvic.enabled[w] &= ~v;
		} else if (off < 0x280) {
			for (unsigned b = 0; b < 32; b++)
				if (v >> b & 1U)
					exc_set_pending(cpu, 16 + w * 32 + b,
							true);
		} else {
			cpu->nvic.pending[w] &= ~v;
			repend_high_lines(cpu, w);
		}
	} else if (off >= 0x300 && off < 0x320) {
		/* IABR is read-only. */
	} else if (off >= 0x400 && off < 0x4F0) {
		unsigned n = off - 0x400;

		for (unsigned b = 0; b < 4 && n + b < cpu->identity.irq_lines; b++)
			cpu->nvic.prio[n + b] = (uint8_t)(v >> (8 * b)) & PRIO_MASK;
		cpu->exc_check = true;
	} else if (off == 0xF00) {
		/* STIR (B3.4.4): unprivileged writes need CCR.USERSETMPEND. */
		uint32_t control = 0;

		uc_reg_read(cpu->uc, UC_ARM_REG_CONTROL, &control);
		if (!debugger && (control & 1U) && core_ipsr(cpu) == 0 &&
		    !(cpu->scs.ccr & 2U)) {
			sim_log(LOG_GUEST_ERROR, "unprivileged write to STIR "
						 "with CCR.USERSETMPEND = 0 "
						 "ignored (B3.4.4)");
			return true;
		}
		if ((v & 0x1FFU) < cpu->identity.irq_lines)
			exc_set_pending(cpu, 16 + (v & 0x1FFU), true);
	} else {
		return false;
	}
	return true;
}
