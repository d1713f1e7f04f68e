/* Runs on the simulated core: a console on USART3 (the REPL UART of
 * MicroPython's NUCLEO_H743ZI board) and a line on USART1, written from
 * RM0433 §48. At the reset clock (HSI 64 MHz, APB1 = APB2 = 64 MHz) BRR =
 * 64 MHz / 115200 = 556. The program prints a banner polling TXE, waits
 * for TC, then takes each received byte in the USART3 interrupt (RXNEIE,
 * NVIC position 39) and echoes it in upper case, until it receives 'q'.
 * It returns the number of bytes received. */
#include <stdint.h>

#include "common/dwt.h"

#define REG(a) (*(volatile uint32_t *)(a))

#define RCC_APB1LENR REG(0x580244E8U)
#define RCC_APB2ENR REG(0x580244F0U)
#define USART1 0x40011000U
#define USART3 0x40004800U
#define CR1(u) REG((u) + 0x00)
#define BRR(u) REG((u) + 0x0C)
#define ISR(u) REG((u) + 0x1C)
#define RDR(u) REG((u) + 0x24)
#define TDR(u) REG((u) + 0x28)
#define ICR(u) REG((u) + 0x20)

#define CR1_UE (1U << 0)
#define CR1_RE (1U << 2)
#define CR1_TE (1U << 3)
#define CR1_RXNEIE (1U << 5)
#define ISR_ORE (1U << 3)
#define ISR_RXNE (1U << 5)
#define ISR_TC (1U << 6)
#define ISR_TXE (1U << 7)
#define ISR_TEACK (1U << 21)
#define ISR_REACK (1U << 22)

#define SCB_VTOR REG(0xE000ED08U)
#define NVIC_ISER1 REG(0xE000E104U)

#define USART3_IRQN 39

extern void (*const prog_vectors[16])(void);

/* 16 system exceptions and 150 interrupts, aligned as VTOR requires
 * (ARMv7-M B3.2.5: to the next power of two of the table size). */
static void (*vectors[16 + 150])(void) __attribute__((aligned(1024)));

volatile uint32_t banner_cycles;	/* DWT cycles the banner took */
volatile uint8_t rx_ring[64];
volatile uint32_t rx_head, rx_tail, rx_count;

static const char banner[] = "psramsim USART3 console\r\n";

void usart3_irq(void);
void usart3_irq(void)
{
	/* RXNE is cleared by reading RDR; an overrun (ORE) keeps the line
	 * up until ICR.ORECF clears it (RM0433 §48.8.10). */
	if (ISR(USART3) & ISR_ORE)
		ICR(USART3) = ISR_ORE;
	while (ISR(USART3) & ISR_RXNE) {
		rx_ring[rx_head % sizeof(rx_ring)] = (uint8_t)RDR(USART3);
		rx_head++;
		rx_count++;
	}
}

static void put(uint32_t u, char c)
{
	while (!(ISR(u) & ISR_TXE))
		;
	TDR(u) = (uint8_t)c;
}

static void puts_wait(uint32_t u, const char *s)
{
	while (*s)
		put(u, *s++);
	while (!(ISR(u) & ISR_TC))
		;
}

static void open_usart(uint32_t u)
{
	BRR(u) = 556;
	CR1(u) = CR1_UE | CR1_TE | CR1_RE;
	while ((ISR(u) & (ISR_TEACK | ISR_REACK)) !=
	       (ISR_TEACK | ISR_REACK))
		;
}

int main(void)
{
	uint32_t t0;

	for (unsigned i = 0; i < 16; i++)
		vectors[i] = prog_vectors[i];
	vectors[16 + USART3_IRQN] = usart3_irq;
	SCB_VTOR = (uint32_t)vectors;

	dwt_cycle_counter_on();

	/* Clocks on, read back once before use (RM0433 §8.5.10). */
	RCC_APB1LENR |= 1U << 18;
	RCC_APB2ENR |= 1U << 4;
	(void)RCC_APB2ENR;
	open_usart(USART3);
	open_usart(USART1);

	/* Reception on before the banner: whoever reads the banner may
	 * answer at once, and a byte that finds RXNE still set is lost
	 * (ORE). */
	CR1(USART3) |= CR1_RXNEIE;
	NVIC_ISER1 = 1U << (USART3_IRQN - 32);
	puts_wait(USART1, "USART1 to a file\r\n");
	t0 = DWT_CYCCNT;
	puts_wait(USART3, banner);
	banner_cycles = DWT_CYCCNT - t0;
	for (;;) {
		char c;

		__asm__ volatile("cpsid i");
		if (rx_tail == rx_head) {
			/* Sleep with interrupts masked: a pending one still
			 * wakes the core (ARMv7-M B1.5.19). */
			__asm__ volatile("wfi");
			__asm__ volatile("cpsie i");
			continue;
		}
		__asm__ volatile("cpsie i");
		c = (char)rx_ring[rx_tail % sizeof(rx_ring)];
		rx_tail++;
		put(USART3, (c >= 'a' && c <= 'z') ? (char)(c - 32) : c);
		if (c == 'q')
			break;
	}
	puts_wait(USART3, "\r\nbye\r\n");
	return (int)rx_count;
}
