/* The host end of a simulated USART (`psramsim --uart N=tcp:PORT` or
 * `--uart N=file:PATH`): what the firmware transmits goes to a TCP client
 * or a file; what a TCP client sends arrives on the USART's RX line at
 * the configured baud rate. */
#ifndef SIM_UART_PORT_H
#define SIM_UART_PORT_H

#include <stddef.h>
#include <stdint.h>

#include "periph/usart.h"
#include "util/vclock.h"

enum uart_port_kind { UART_PORT_TCP, UART_PORT_FILE };

struct uart_port_spec {
	unsigned n;	/* 1-8: USART1, USART2, USART3, UART4, UART5, USART6,
			 * UART7, UART8 */
	enum uart_port_kind kind;
	uint16_t tcp_port;	/* 0: any free port */
	const char *path;
};

/* "N=tcp:PORT" or "N=file:PATH". On a bad spec returns -1 with a
 * one-line message in err. */
int uart_port_parse(const char *arg, struct uart_port_spec *spec, char *err,
		    size_t errlen);

struct uart_port;

/* Connects `u` to the host end `spec` names. NULL with a message in err
 * if the socket or file cannot be opened. */
struct uart_port *uart_port_open(const struct uart_port_spec *spec,
				 struct usart *u, struct vclock *clk,
				 char *err, size_t errlen);
void uart_port_close(struct uart_port *p);
/* The TCP port listened on (after a request for port 0). */
uint16_t uart_port_tcp_port(const struct uart_port *p);

#endif
