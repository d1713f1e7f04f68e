/* Runs on the simulated core: WFI with PRIMASK set, as the stub's
 * sleep_us uses it (ARMv7-M ARM B1.5.19: WFI wakes on an exception that
 * would preempt were PRIMASK clear; with PRIMASK set the exception is not
 * taken and stays pending). main returns 0 when every step behaved so,
 * else the step that did not. */
#include <stdint.h>

#include "common/dwt.h"

#define REG(a) (*(volatile uint32_t *)(a))
#define SYST_CSR REG(0xE000E010U)
#define SYST_RVR REG(0xE000E014U)
#define SYST_CVR REG(0xE000E018U)
#define SCB_ICSR REG(0xE000ED04U)
#define SCB_VTOR REG(0xE000ED08U)
#define ICSR_PENDSTCLR (1U << 25)
#define ICSR_PENDSTSET (1U << 26)

#define PERIOD 64000U		/* 1 ms at the 64 MHz reset clock */

volatile uint32_t ticks, slept_cycles;

void systick_isr(void);
void prog_default_handler(void);
void _start(void);
extern uint32_t __stack_top[];

void systick_isr(void)
{
	ticks++;
}

__attribute__((aligned(128))) void (*const wfi_vectors[16])(void) = {
	(void (*)(void))__stack_top, _start,
	prog_default_handler, prog_default_handler, prog_default_handler,
	prog_default_handler, prog_default_handler, 0, 0, 0, 0,
	prog_default_handler, prog_default_handler, 0,
	prog_default_handler, systick_isr,
};

int main(void)
{
	uint32_t t0;

	SCB_VTOR = (uint32_t)wfi_vectors;
	dwt_cycle_counter_on();

	/* 1: masked, SysTick pends after a period; WFI wakes then, and the
	 * handler does not run. */
	__asm__ volatile("cpsid i" ::: "memory");
	SYST_RVR = PERIOD - 1U;
	SYST_CVR = 0;
	SYST_CSR = 7U;
	t0 = DWT_CYCCNT;
	__asm__ volatile("dsb\n\twfi" ::: "memory");
	slept_cycles = DWT_CYCCNT - t0;
	if (slept_cycles < PERIOD / 2U || slept_cycles > 2U * PERIOD)
		return 1;
	if (ticks != 0U)
		return 2;
	/* 2: it stays pending; PENDSTCLR clears it. */
	if (!(SCB_ICSR & ICSR_PENDSTSET))
		return 3;
	SCB_ICSR = ICSR_PENDSTCLR;
	if (SCB_ICSR & ICSR_PENDSTSET)
		return 4;
	/* 3: the next period wakes it again; unmasked, the pending SysTick
	 * is taken at once, once. */
	__asm__ volatile("dsb\n\twfi" ::: "memory");
	SYST_CSR = 0;
	if (!(SCB_ICSR & ICSR_PENDSTSET) || ticks != 0U)
		return 5;
	__asm__ volatile("cpsie i\n\tisb" ::: "memory");
	if (ticks != 1U || (SCB_ICSR & ICSR_PENDSTSET))
		return 6;
	return 0;
}
