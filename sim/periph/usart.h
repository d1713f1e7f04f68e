/* STM32H7 USART/UART (RM0433 §48) as firmware uses it for a console: the
 * registers and flags it polls (TXE, TC, RXNE, ORE, TEACK, REACK), BRR
 * and PRESC against the kernel clock, frame time on the virtual clock,
 * and the interrupt line. Not modelled: the FIFO mode's thresholds,
 * synchronous, smartcard, IrDA, LIN, RS-485 driver enable, auto baud
 * rate, wake-up from Stop; the model logs their use. */
#ifndef SIM_USART_H
#define SIM_USART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bus.h"
#include "cpu/irq.h"
#include "util/vclock.h"

#define USART_REG_SIZE 0x400U

struct usart;

/* Where transmitted bytes go and where received ones come from (the host
 * side, periph/uart_port.h). */
struct usart_host {
	void (*tx)(void *ctx, uint8_t byte);
	void *ctx;
};

typedef uint32_t (*usart_kernel_hz_fn)(void *ctx);

struct usart *usart_new(const char *name, struct vclock *clk,
			usart_kernel_hz_fn kernel_hz, void *kernel_ctx);
void usart_free(struct usart *u);
void usart_reset(struct usart *u);
const char *usart_name(const struct usart *u);

void usart_set_irq(struct usart *u, struct irq_line line);
void usart_attach_host(struct usart *u, const struct usart_host *host);

/* A byte arrives on RX from the host: it is received one frame time
 * after the previous one (bytes wait in a host-side queue meanwhile).
 * Returns false if that queue is full. */
bool usart_host_send(struct usart *u, uint8_t byte);

extern const struct mmio_ops usart_ops;

#endif
