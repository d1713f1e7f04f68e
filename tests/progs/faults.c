/* Runs on the simulated core: provokes faults and records what the fault
 * handler saw (exception number, CFSR, BFAR, stacked PC), then returns from
 * the handler past the faulting instruction. Checks exception entry and
 * return as ARMv7-M B1.5 describes them. */
#include <stdint.h>

#define SCB_SHCSR (*(volatile uint32_t *)0xE000ED24U)
#define SCB_CFSR (*(volatile uint32_t *)0xE000ED28U)
#define SCB_HFSR (*(volatile uint32_t *)0xE000ED2CU)
#define SCB_BFAR (*(volatile uint32_t *)0xE000ED38U)

struct fault_record {
	uint32_t exception, cfsr, hfsr, bfar, stacked_pc;
};

volatile struct fault_record records[4];
volatile uint32_t nrecords;
volatile uint32_t after_faults;

void prog_fault_handler(void) __attribute__((naked));
void fault_record(uint32_t *frame, uint32_t ipsr);

void fault_record(uint32_t *frame, uint32_t ipsr)
{
	uint32_t pc = frame[6];
	uint16_t insn = *(uint16_t *)pc;

	if (nrecords < 4) {
		records[nrecords].exception = ipsr;
		records[nrecords].cfsr = SCB_CFSR;
		records[nrecords].hfsr = SCB_HFSR;
		records[nrecords].bfar = SCB_BFAR;
		records[nrecords].stacked_pc = pc;
		nrecords++;
	}
	SCB_CFSR = SCB_CFSR;	/* write-one-to-clear */
	SCB_HFSR = SCB_HFSR;
	/* Resume after the faulting instruction (16 or 32 bits). */
	frame[6] = pc + (((insn & 0xF800U) >= 0xE800U) ? 4 : 2);
}

void prog_fault_handler(void)
{
	__asm__ volatile("mov r0, sp\n\t"
			 "mrs r1, ipsr\n\t"
			 "push {lr}\n\t"
			 "sub sp, #4\n\t"
			 "bl fault_record\n\t"
			 "add sp, #4\n\t"
			 "pop {pc}");
}

int main(void)
{
	volatile uint32_t sink;

	/* 1: a read from unmapped space with BusFault disabled: HardFault
	 * (forced) with BFSR.PRECISERR and BFAR. */
	sink = *(volatile uint32_t *)0x60000000U;
	/* 2: the same with BusFault enabled. */
	SCB_SHCSR |= (1U << 17) | (1U << 18);
	sink = *(volatile uint32_t *)0x60000010U;
	/* 3: an undefined instruction: UsageFault UNDEFINSTR. */
	__asm__ volatile(".short 0xDE00");
	(void)sink;
	after_faults = 0xA5A5A5A5U;
	return (int)nrecords;
}
