/* Runs on the simulated core: provokes faults and records what the fault
 * handler saw (exception number, CFSR, BFAR, stacked PC), then returns from
 * the handler past the faulting instruction. Checks exception entry and
 * return as ARMv7-M B1.5 describes them, and the UsageFaults CPACR and
 * CCR control (B3.2.20, B3.2.8) and alignment (A3.2.1). */
#include <stdint.h>

#define SCB_SHCSR (*(volatile uint32_t *)0xE000ED24U)
#define SCB_CFSR (*(volatile uint32_t *)0xE000ED28U)
#define SCB_HFSR (*(volatile uint32_t *)0xE000ED2CU)
#define SCB_BFAR (*(volatile uint32_t *)0xE000ED38U)
#define SCB_CCR (*(volatile uint32_t *)0xE000ED14U)
#define GPIOA_IDR 0x58020010U	/* RM0433 §11.4: Device memory */

#define NRECORDS 8

struct fault_record {
	uint32_t exception, cfsr, hfsr, bfar, stacked_pc;
};

volatile struct fault_record records[NRECORDS];
volatile uint32_t nrecords;
volatile uint32_t after_faults;

void prog_fault_handler(void) __attribute__((naked));
void fault_record(uint32_t *frame, uint32_t ipsr);

void fault_record(uint32_t *frame, uint32_t ipsr)
{
	uint32_t pc = frame[6];
	uint16_t insn = *(uint16_t *)pc;

	if (nrecords < NRECORDS) {
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
	/* 4: an FP instruction (vmov s0, r0) with CPACR at its reset value,
	 * CP10/CP11 no access: UsageFault NOCP. */
	__asm__ volatile(".inst.w 0xEE000A10" ::: "memory");
	/* 5: SDIV by zero with CCR.DIV_0_TRP: UsageFault DIVBYZERO. */
	SCB_CCR |= 1U << 4;
	{
		register uint32_t n __asm__("r0") = 7, d __asm__("r1") = 0;

		__asm__ volatile("sdiv r2, r0, r1" : : "r"(n), "r"(d) : "r2");
	}
	SCB_CCR &= ~(1U << 4);
	/* 6: LDRD from an address that is not word aligned: UsageFault
	 * UNALIGNED whatever CCR.UNALIGN_TRP says. */
	{
		static uint32_t words[4];
		register uint32_t at __asm__("r0") = (uint32_t)&words[1] + 2;

		__asm__ volatile("ldrd r2, r3, [r0]" : : "r"(at) : "r2", "r3");
	}
	/* 7: an unaligned word load from a peripheral (Device memory):
	 * UsageFault UNALIGNED. */
	{
		register uint32_t at __asm__("r0") = GPIOA_IDR + 1;

		__asm__ volatile("ldr.w r2, [r0]" : : "r"(at) : "r2");
	}
	(void)sink;
	after_faults = 0xA5A5A5A5U;
	return (int)nrecords;
}
