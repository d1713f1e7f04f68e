/* USART (RM0433 §48): enable acknowledge, frame time on the virtual clock
 * from BRR and the kernel clock, TXE/TC, reception with RXNE and overrun,
 * ICR, the interrupt line, and the host end (--uart). */
#include "unit.h"

#include <stdlib.h>

#include "periph/uart_port.h"
#include "periph/usart.h"
#include "util/log.h"

static struct vclock clk;
static uint32_t ker_hz = 64000000U;
static uint8_t sent[64];
static unsigned nsent;
static bool irq_level;
static unsigned irq_changes;

static uint32_t kernel(void *ctx)
{
	(void)ctx;
	return ker_hz;
}

static void host_tx(void *ctx, uint8_t b)
{
	(void)ctx;
	if (nsent < sizeof(sent))
		sent[nsent++] = b;
}

static void nvic_set(void *nvic, unsigned irqn, bool level)
{
	(void)nvic;
	(void)irqn;
	if (level != irq_level)
		irq_changes++;
	irq_level = level;
}

static struct usart *fresh(void)
{
	struct usart *u;
	struct usart_host h = {host_tx, NULL};
	struct irq_line line = {nvic_set, NULL, 39};

	sim_log_quiet(1);
	memset(&clk, 0, sizeof(clk));
	clk.cpu_hz = 64000000U;
	nsent = 0;
	irq_level = false;
	irq_changes = 0;
	u = usart_new("USART3", &clk, kernel, NULL);
	usart_attach_host(u, &h);
	usart_set_irq(u, line);
	return u;
}

static uint32_t rd(struct usart *u, uint32_t off)
{
	uint32_t v = 0;

	usart_ops.read(u, off, 4, &v, BUS_MASTER_CPU);
	return v;
}

static void wr(struct usart *u, uint32_t off, uint32_t v)
{
	usart_ops.write(u, off, 4, v, BUS_MASTER_CPU);
}

static void run_until(uint64_t cycles)
{
	vclock_advance_to(&clk, cycles);
}

static void transmit_takes_frame_time(void)
{
	struct usart *u = fresh();

	CHECK_EQ(rd(u, 0x1C) & 0xC0U, 0xC0U); /* TXE, TC after reset */
	wr(u, 0x0C, 556);
	wr(u, 0x00, 0x0D); /* UE TE RE */
	CHECK_EQ(rd(u, 0x1C) & (3U << 21), 3U << 21); /* TEACK REACK */
	wr(u, 0x28, 'h');
	/* The shifter took it: TXE again, TC clear. */
	CHECK_EQ(rd(u, 0x1C) & 0xC0U, 0x80U);
	wr(u, 0x28, 'i');
	CHECK_EQ(rd(u, 0x1C) & 0xC0U, 0x00U);
	/* 10 bits at 64 MHz / 556: 86.875 us = 5560 cycles. */
	run_until(5559);
	CHECK_EQ(nsent, 0U);
	run_until(5560);
	CHECK_EQ(nsent, 1U);
	CHECK_EQ(sent[0], 'h');
	CHECK_EQ(rd(u, 0x1C) & 0xC0U, 0x80U);
	run_until(11120);
	CHECK_EQ(nsent, 2U);
	CHECK_EQ(rd(u, 0x1C) & 0xC0U, 0xC0U);
	/* TC is cleared through ICR.TCCF. */
	wr(u, 0x20, 1U << 6);
	CHECK_EQ(rd(u, 0x1C) & 0x40U, 0U);
	usart_free(u);
}

static void receive_and_overrun(void)
{
	struct usart *u = fresh();
	uint32_t v;

	wr(u, 0x0C, 556);
	wr(u, 0x00, 0x0D | (1U << 5)); /* RXNEIE */
	CHECK(usart_host_send(u, 'a'));
	CHECK(usart_host_send(u, 'b'));
	CHECK(usart_host_send(u, 'c'));
	run_until(5560);
	CHECK(rd(u, 0x1C) & (1U << 5));
	CHECK(irq_level);
	/* A debugger's read does not take the byte. */
	usart_ops.read(u, 0x24, 4, &v, BUS_MASTER_DEBUG);
	CHECK_EQ(v, 'a');
	CHECK(rd(u, 0x1C) & (1U << 5));
	CHECK_EQ(rd(u, 0x24), 'a');
	CHECK_EQ(rd(u, 0x1C) & (1U << 5), 0U);
	CHECK(!irq_level);
	run_until(11120);
	CHECK_EQ(rd(u, 0x24), 'b');
	/* 'c' comes while nobody reads: then a fourth overruns. */
	CHECK(usart_host_send(u, 'd'));
	run_until(22240);
	CHECK(rd(u, 0x1C) & (1U << 3)); /* ORE */
	CHECK_EQ(rd(u, 0x24), 'c');
	CHECK(irq_level); /* ORE with RXNEIE keeps the line up */
	wr(u, 0x20, 1U << 3);
	CHECK(!irq_level);
	usart_free(u);
}

static void no_baud_no_frame(void)
{
	struct usart *u = fresh();
	unsigned long errs = sim_log_count(LOG_GUEST_ERROR);

	wr(u, 0x0C, 8); /* below 16 */
	wr(u, 0x00, 0x09);
	wr(u, 0x28, 'x');
	run_until(1000000);
	CHECK_EQ(nsent, 0U);
	CHECK_EQ(rd(u, 0x1C) & 0x80U, 0U); /* stuck in TDR */
	CHECK(sim_log_count(LOG_GUEST_ERROR) > errs);
	/* BRR is locked while UE is set. */
	errs = sim_log_count(LOG_GUEST_ERROR);
	wr(u, 0x0C, 556);
	CHECK_EQ(rd(u, 0x0C), 8U);
	usart_free(u);
	CHECK(sim_log_count(LOG_GUEST_ERROR) > errs);
	/* Kernel clock halved: the frame takes twice as long. */
	u = fresh();
	ker_hz = 32000000U;
	wr(u, 0x0C, 556);
	wr(u, 0x00, 0x09);
	wr(u, 0x28, 'y');
	ker_hz = 64000000U;
	run_until(11119);
	CHECK_EQ(nsent, 0U);
	run_until(11121);
	CHECK_EQ(nsent, 1U);
	usart_free(u);
}

static void spec_parsing(void)
{
	struct uart_port_spec s;
	char err[200];

	CHECK_EQ(uart_port_parse("3=tcp:0", &s, err, sizeof(err)), 0);
	CHECK_EQ(s.n, 3U);
	CHECK_EQ(s.kind, UART_PORT_TCP);
	CHECK_EQ(uart_port_parse("1=file:/tmp/x", &s, err, sizeof(err)), 0);
	CHECK_EQ(s.kind, UART_PORT_FILE);
	CHECK_STR(s.path, "/tmp/x");
	CHECK_EQ(uart_port_parse("9=tcp:1", &s, err, sizeof(err)), -1);
	CHECK_EQ(uart_port_parse("3=tcp:70000", &s, err, sizeof(err)), -1);
	CHECK_EQ(uart_port_parse("3=file:", &s, err, sizeof(err)), -1);
	CHECK_EQ(uart_port_parse("3", &s, err, sizeof(err)), -1);
	CHECK(strstr(err, "--uart '3'") != NULL);
}

UNIT_MAIN("sim_usart", UNIT_TEST(transmit_takes_frame_time),
	  UNIT_TEST(receive_and_overrun), UNIT_TEST(no_baud_no_frame),
	  UNIT_TEST(spec_parsing))
