/* Runs on the simulated core: SysTick interrupts while sleeping in WFI, a
 * software-triggered interrupt through STIR and NVIC_ISPR, PRIMASK and
 * BASEPRI masking, preemption by priority, PendSV and SVCall, written from
 * the ARMv7-M ARM (B1.5, B3.3, B3.4). main returns 0 when every step
 * behaved as the manual says, else the number of the first step that did
 * not; the counters stay in memory for the debugger to read. */
#include <stdint.h>

#include "common/dwt.h"

#define REG(a) (*(volatile uint32_t *)(a))
#define SYST_CSR REG(0xE000E010U)
#define SYST_RVR REG(0xE000E014U)
#define SYST_CVR REG(0xE000E018U)
#define NVIC_ISER0 REG(0xE000E100U)
#define NVIC_ICER0 REG(0xE000E180U)
#define NVIC_ISPR0 REG(0xE000E200U)
#define NVIC_IABR0 REG(0xE000E300U)
/* NVIC_IPR is byte-accessible (B3.4.9): one byte per interrupt. */
#define NVIC_IPR(n) (*(volatile uint8_t *)(0xE000E400U + (n)))
#define SCB_ICSR REG(0xE000ED04U)
#define SCB_VTOR REG(0xE000ED08U)
#define SCB_SHPR3 REG(0xE000ED20U)
#define NVIC_STIR REG(0xE000EF00U)

#define SOFT_IRQ 3U	/* lines no model drives on the board */
#define HIGH_IRQ 4U
#define TICK_CYCLES 6400U	/* 100 us at the 64 MHz reset clock */

volatile uint32_t ticks, soft_irqs, high_irqs, pendsvs, svcs, wakes;
volatile uint32_t slept_cycles, seen_ipsr, nested_in_soft;
volatile uint32_t step;

void systick_isr(void);
void soft_isr(void);
void high_isr(void);
void pendsv_isr(void);
void svc_isr(void);
void prog_default_handler(void);
void _start(void);
extern uint32_t __stack_top[];

void systick_isr(void)
{
	ticks++;
}

void soft_isr(void)
{
	uint32_t ipsr;

	__asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
	seen_ipsr = ipsr;
	soft_irqs++;
	/* Raise the higher-priority interrupt from inside: it preempts at
	 * once, before this handler goes on. */
	if (soft_irqs == 3) {
		NVIC_STIR = HIGH_IRQ;
		__asm__ volatile("dsb\n\tisb");
		nested_in_soft = high_irqs;
	}
}

void high_isr(void)
{
	high_irqs++;
}

void pendsv_isr(void)
{
	pendsvs++;
}

void svc_isr(void)
{
	svcs++;
}

/* 16 system entries and 16 interrupts: 128-byte aligned (B3.2.5: VTOR
 * alignment covers the table size rounded up to a power of two). */
__attribute__((aligned(128))) void (*const irq_vectors[32])(void) = {
	(void (*)(void))__stack_top, _start, prog_default_handler,
	prog_default_handler, prog_default_handler, prog_default_handler,
	prog_default_handler, 0, 0, 0, 0, svc_isr, prog_default_handler, 0,
	pendsv_isr, systick_isr,
	[16 + SOFT_IRQ] = soft_isr,
	[16 + HIGH_IRQ] = high_isr,
};

static inline void barrier(void)
{
	__asm__ volatile("dsb\n\tisb" ::: "memory");
}

int main(void)
{
	uint32_t t0;

	SCB_VTOR = (uint32_t)irq_vectors;
	dwt_cycle_counter_on();

	/* 1: SysTick at the core clock, an interrupt every TICK_CYCLES; the
	 * core sleeps in WFI between them. */
	step = 1;
	SYST_RVR = TICK_CYCLES - 1;
	SYST_CVR = 0;
	SYST_CSR = 7;
	t0 = DWT_CYCCNT;
	while (ticks < 5) {
		__asm__ volatile("wfi");
		wakes++;
	}
	slept_cycles = DWT_CYCCNT - t0;
	SYST_CSR = 0;
	if (wakes < 5 || slept_cycles < 4 * TICK_CYCLES ||
	    slept_cycles > 6 * TICK_CYCLES)
		return 1;

	/* 2: STIR pends an enabled interrupt; it is taken at once. */
	step = 2;
	NVIC_IPR(SOFT_IRQ) = 0x80U;
	NVIC_ISER0 = 1U << SOFT_IRQ;
	NVIC_STIR = SOFT_IRQ;
	barrier();
	if (soft_irqs != 1 || seen_ipsr != 16 + SOFT_IRQ)
		return 2;

	/* 3: PRIMASK holds it pending (ISPR reads 1) until cleared. */
	step = 3;
	__asm__ volatile("cpsid i" ::: "memory");
	NVIC_ISPR0 = 1U << SOFT_IRQ;
	barrier();
	if (soft_irqs != 1 || !(NVIC_ISPR0 & (1U << SOFT_IRQ)) ||
	    ((SCB_ICSR >> 12) & 0x1FFU) != 16 + SOFT_IRQ)
		return 3;
	__asm__ volatile("cpsie i" ::: "memory");
	barrier();
	if (soft_irqs != 2 || (NVIC_ISPR0 & (1U << SOFT_IRQ)))
		return 3;

	/* 4: a priority-0x40 interrupt raised inside the 0x80 handler
	 * preempts it. */
	step = 4;
	NVIC_IPR(HIGH_IRQ) = 0x40U;
	NVIC_ISER0 = 1U << HIGH_IRQ;
	NVIC_STIR = SOFT_IRQ;
	barrier();
	if (soft_irqs != 3 || high_irqs != 1 || nested_in_soft != 1)
		return 4;

	/* 5: BASEPRI 0x80 masks priority 0x80 but not 0x40. */
	step = 5;
	__asm__ volatile("msr basepri, %0" ::"r"(0x80U) : "memory");
	NVIC_STIR = SOFT_IRQ;
	NVIC_STIR = HIGH_IRQ;
	barrier();
	if (soft_irqs != 3 || high_irqs != 2)
		return 5;
	__asm__ volatile("msr basepri, %0" ::"r"(0U) : "memory");
	barrier();
	if (soft_irqs != 4)
		return 5;

	/* 6: a disabled interrupt stays pending and is not taken. */
	step = 6;
	NVIC_ICER0 = 1U << SOFT_IRQ;
	NVIC_STIR = SOFT_IRQ;
	barrier();
	if (soft_irqs != 4 || !(NVIC_ISPR0 & (1U << SOFT_IRQ)))
		return 6;
	REG(0xE000E280U) = 1U << SOFT_IRQ; /* ICPR */

	/* 7: PendSV through ICSR, SVCall through SVC. */
	step = 7;
	SCB_SHPR3 = 0xF0F00000U;
	SCB_ICSR = 1U << 28;
	barrier();
	__asm__ volatile("svc #1" ::: "memory");
	if (pendsvs != 1 || svcs != 1)
		return 7;
	return 0;
}
