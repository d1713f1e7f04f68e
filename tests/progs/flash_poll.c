/* Runs on the simulated core: a flash sector erase waited for as ST's HAL
 * does it (FLASH_WaitForLastOperation: poll FLASH_SR1.QW and compare
 * HAL_GetTick() with a timeout), with the tick a variable in RAM that the
 * SysTick interrupt advances every millisecond (HAL_IncTick). This is the
 * wait MicroPython's first boot spends its time in while it erases its
 * filesystem sectors. Sector erase: RM0433 §4.3.10; registers §4.9.4,
 * §4.9.5; SysTick: ARMv7-M ARM B3.3.
 *
 * main returns 0 when the erase ended with EOP and no error within the
 * timeout, else the number of the step that failed. erase_ms holds the
 * ticks the wait saw (a 1 s erase at PSIZE x64 reads 1000 or 1001). */
#include <stdint.h>

#define REG(a) (*(volatile uint32_t *)(a))
#define SYST_CSR REG(0xE000E010U)
#define SYST_RVR REG(0xE000E014U)
#define SYST_CVR REG(0xE000E018U)
#define SCB_VTOR REG(0xE000ED08U)
#define FLASH_KEYR1 REG(0x52002004U)
#define FLASH_CR1 REG(0x5200200CU)
#define FLASH_SR1 REG(0x52002010U)
#define FLASH_CCR1 REG(0x52002014U)

#define CR_SER (1U << 2)
#define CR_PSIZE64 (3U << 4)
#define CR_START (1U << 7)
#define SR_QW (1U << 2)
#define SR_EOP (1U << 16)
#define SR_ERRORS 0x07EE0000U	/* WRPERR..DBECCERR (§4.9.5) */

#define TICK_CYCLES 64000U	/* 1 ms at the 64 MHz reset clock (HSI) */
#define TIMEOUT_MS 5000U

volatile uint32_t uw_tick, erase_ms, final_sr;

void systick_isr(void);
void prog_default_handler(void);
void _start(void);
extern uint32_t __stack_top[];

void systick_isr(void)
{
	uw_tick++;
}

__attribute__((aligned(128))) void (*const poll_vectors[16])(void) = {
	(void (*)(void))__stack_top, _start,
	prog_default_handler, prog_default_handler, prog_default_handler,
	prog_default_handler, prog_default_handler, 0, 0, 0, 0,
	prog_default_handler, prog_default_handler, 0,
	prog_default_handler, systick_isr,
};

__attribute__((noinline)) static uint32_t get_tick(void)
{
	return uw_tick;
}

int main(void)
{
	uint32_t start;

	SCB_VTOR = (uint32_t)poll_vectors;
	SYST_RVR = TICK_CYCLES - 1U;
	SYST_CVR = 0;
	SYST_CSR = 7U;		/* ENABLE, TICKINT, processor clock */
	FLASH_KEYR1 = 0x45670123U;
	FLASH_KEYR1 = 0xCDEF89ABU;
	if (FLASH_CR1 & 1U)
		return 1;
	FLASH_CR1 = CR_SER | CR_PSIZE64;
	FLASH_CR1 = CR_SER | CR_PSIZE64 | CR_START;
	start = get_tick();
	while (FLASH_SR1 & SR_QW)
		if (get_tick() - start > TIMEOUT_MS)
			return 2;
	erase_ms = get_tick() - start;
	final_sr = FLASH_SR1;
	SYST_CSR = 0;
	if ((final_sr & SR_ERRORS) || !(final_sr & SR_EOP))
		return 3;
	FLASH_CCR1 = SR_EOP;
	FLASH_CR1 = 1U;		/* LOCK */
	return 0;
}
