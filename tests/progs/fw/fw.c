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
 * fault handler resets does. psramctl flash must tell the three apart. */
#ifndef FW_MODE
#define FW_MODE 0
#endif

#define AIRCR ((volatile uint32_t *)0xE000ED0Cu)

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
	fw_idle();
}
