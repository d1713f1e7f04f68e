/* The firmware the flash tests write: its own vector table at 0x08000000,
 * a reset handler that sets up .data and .bss as a C runtime does, then
 * leaves a signature in SRAM4 that the tests read through OpenOCD, and
 * waits. Every word of the signature proves one thing: the magic that the
 * image ran after a reset, the .data word that its load image was written
 * at its flash address, the .bss word that start-up ran, the tag which
 * build it is, the handler address that it runs from flash. */
#include <stdint.h>

#ifndef FW_TAG
#define FW_TAG 0x00000001u
#endif

/* FW_MODE 0: runs. 1: takes a HardFault in its start-up (an undefined
 * instruction, escalated because UsageFault is not enabled: ARMv7-M ARM
 * B1.5.8) and stays in its handler. 2: resets itself at once, again and
 * again (AIRCR.SYSRESETREQ, B3.2.6), as a firmware whose watchdog or
 * fault handler resets does. psramctl flash must tell the three apart.
 * 3: at every boot copies a routine into AXI SRAM 256 times, as firmware
 * copies its RAM functions, calls each copy, counts the boot in
 * SIGNATURE[5], then resets: the reset loop of such firmware, for
 * psramsim's memory bound (docs/psramsim-cpu.md). */
#ifndef FW_MODE
#define FW_MODE 0
#endif

#define AIRCR ((volatile uint32_t *)0xE000ED0Cu)
#define RAM_CODE ((volatile uint16_t *)0x24000000u)
#define RAM_COPIES 256u

/* SRAM4 on the H7; the F7 tests build with SRAM1 (FW_SIGNATURE). */
#ifndef FW_SIGNATURE
#define FW_SIGNATURE 0x38000000u
#endif
#define SIGNATURE ((volatile uint32_t *)FW_SIGNATURE)
#define MAGIC 0x464c5348u	/* "FLSH" */

extern uint32_t _sidata[], _sdata[], _edata[], _sbss[], _ebss[];
extern uint32_t _estack[];

void fw_reset(void);

uint32_t fw_data = 0x600dda7au;
uint32_t fw_bss;

static void fw_idle(void)
{
	for (;;) {
	}
}

static void fw_hardfault(void)
{
	for (;;) {
	}
}

__attribute__((section(".vectors"), used))
static void (*const vectors[16])(void) = {
	(void (*)(void))_estack,
	fw_reset,
	fw_idle,	/* NMI */
	fw_hardfault,	/* HardFault */
	fw_idle, fw_idle, fw_idle, 0, 0, 0, 0,
	fw_idle,	/* SVCall */
	fw_idle, 0,
	fw_idle,	/* PendSV */
	fw_idle,	/* SysTick */
};

void fw_reset(void)
{
	uint32_t *src = _sidata, *dst = _sdata;

	if (FW_MODE == 2)
		*AIRCR = 0x05FA0004u; /* VECTKEY, SYSRESETREQ */
	while (dst < _edata)
		*dst++ = *src++;
	for (dst = _sbss; dst < _ebss; dst++)
		*dst = 0;
	SIGNATURE[1] = fw_data;
	SIGNATURE[2] = fw_bss;
	SIGNATURE[3] = FW_TAG;
	SIGNATURE[4] = (uint32_t)(uintptr_t)&fw_reset;
	SIGNATURE[0] = MAGIC;
	if (FW_MODE == 1)
		__asm volatile("udf #0");
	if (FW_MODE == 3) {
		/* movs r1,#8; 1: adds r0,r0,#1; subs r1,#1; bne 1b; bx lr */
		static const uint16_t routine[6] = {0x2108u, 0x1c40u, 0x3901u,
						    0xd1fcu, 0x4770u, 0xbf00u};

		for (uint32_t c = 0; c < RAM_COPIES; c++)
			for (uint32_t i = 0; i < 6; i++)
				RAM_CODE[c * 32u + i] = routine[i];
		/* B2.2.9: new code is executed after DSB and ISB. */
		__asm volatile("dsb\n\tisb" ::: "memory");
		for (uint32_t c = 0; c < RAM_COPIES; c++)
			((void (*)(void))((uintptr_t)&RAM_CODE[c * 32u] | 1u))();
		SIGNATURE[5]++;
		*AIRCR = 0x05FA0004u;
	}
	fw_idle();
}
