/* Startup for the test programs: a vector table whose fault entries go to
 * prog_fault_handler (weak: programs that test faults provide their own),
 * .bss cleared, main called, and BKPT at prog_exit with main's result in r0
 * so that a debugger sees where and how the program ended. */
#include <stdint.h>

extern uint32_t __bss_start[], __bss_end[], __stack_top[];
int main(void);
void _start(void);
void prog_default_handler(void);
void prog_fault_handler(void) __attribute__((weak, alias("prog_default_handler")));
void prog_exit(int code) __attribute__((noreturn));

__attribute__((section(".vectors"), used))
void (*const prog_vectors[16])(void) = {
	(void (*)(void))__stack_top,
	_start,
	prog_default_handler,	/* NMI */
	prog_fault_handler,	/* HardFault */
	prog_fault_handler,	/* MemManage */
	prog_fault_handler,	/* BusFault */
	prog_fault_handler,	/* UsageFault */
};

void prog_default_handler(void)
{
	__asm__ volatile("bkpt #0xEE");
	for (;;)
		;
}

void prog_exit(int code)
{
	register int r0 __asm__("r0") = code;

	__asm__ volatile("prog_bkpt: .global prog_bkpt\n\tbkpt #0" : : "r"(r0));
	for (;;)
		;
}

__attribute__((section(".text.start"), naked)) void _start(void)
{
	__asm__ volatile("ldr sp, =__stack_top\n\t"
			 "b prog_cstart");
}

void prog_cstart(void);
void prog_cstart(void)
{
	volatile uint32_t *vtor = (volatile uint32_t *)0xE000ED08U;

	*vtor = (uint32_t)prog_vectors;
	for (uint32_t *p = __bss_start; p < __bss_end; p++)
		*p = 0;
	prog_exit(main());
}
