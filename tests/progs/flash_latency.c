/* Reads and executes the internal flash with too few wait states for the
 * AXI clock (RM0433 §4.3.8, Table 17): after reset the core runs from the
 * 64 MHz HSI at voltage scale 3, where one wait state is the least the
 * flash needs; FLASH_ACR.LATENCY = 0 breaks that. The data read then are
 * not the cells' (psramsim returns all ones, docs/psramsim-periph.md §6),
 * and a call into flash code faults instead of running it. With the
 * latency raised again both work. Runs from RAM; the board's factory
 * program (a vector table and an idle loop) is the flash content read.
 * Returns 0 when every step behaved so, else the step that did not. */
#include <stdint.h>

#define REG(a) (*(volatile uint32_t *)(a))
#define FLASH_ACR REG(0x52002000U)
#define SCB_CFSR REG(0xE000ED28U)
#define SCB_SHCSR REG(0xE000ED24U)
#define FLASH_BASE 0x08000000U

/* What the e2e test reads back. */
volatile uint32_t lat_words[3];	/* vector 0: right, slow, right again */
volatile uint32_t lat_cfsr;	/* CFSR of the fault the call took */
volatile uint32_t lat_faults;

void prog_fault_handler(void) __attribute__((naked));
void lat_fault(uint32_t *frame);

/* Records the fault and returns to the caller of the flash code (the LR
 * stacked in the frame), as if the call had returned. */
void lat_fault(uint32_t *frame)
{
	lat_cfsr = SCB_CFSR;
	SCB_CFSR = SCB_CFSR;
	lat_faults++;
	frame[6] = frame[5] & ~1U;
}

void prog_fault_handler(void)
{
	__asm__ volatile("mov r0, sp\n\t"
			 "push {lr}\n\t"
			 "sub sp, #4\n\t"
			 "bl lat_fault\n\t"
			 "add sp, #4\n\t"
			 "pop {pc}");
}

/* Calls into flash: only while the latency is too low, since the factory
 * program's idle loop never returns; its first fetch faults instead. */
static void call_flash(uint32_t addr)
{
	void (*fn)(void) = (void (*)(void))(addr | 1U);

	fn();
}

int main(void)
{
	uint32_t reset_vector;

	SCB_SHCSR |= 7U << 16; /* MemManage, BusFault, UsageFault enabled */
	lat_words[0] = REG(FLASH_BASE);
	reset_vector = REG(FLASH_BASE + 4);
	if ((reset_vector & 0xFF000000U) != FLASH_BASE)
		return 1; /* the factory program is not there */
	FLASH_ACR = (FLASH_ACR & ~0xFU) | 0U;
	lat_words[1] = REG(FLASH_BASE);
	if (lat_words[1] == lat_words[0])
		return 2;
	call_flash(reset_vector);
	if (lat_faults != 1)
		return 3;
	FLASH_ACR = (FLASH_ACR & ~0xFU) | 1U;
	lat_words[2] = REG(FLASH_BASE);
	if (lat_words[2] != lat_words[0])
		return 4;
	return 0;
}
