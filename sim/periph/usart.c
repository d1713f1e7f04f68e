#include "periph/usart.h"

#include <stdlib.h>
#include <string.h>

#include "util/log.h"

#define CR1 0x00U
#define CR2 0x04U
#define CR3 0x08U
#define BRR 0x0CU
#define GTPR 0x10U
#define RTOR 0x14U
#define RQR 0x18U
#define ISR 0x1CU
#define ICR 0x20U
#define RDR 0x24U
#define TDR 0x28U
#define PRESC 0x2CU

#define CR1_UE (1U << 0)
#define CR1_RE (1U << 2)
#define CR1_TE (1U << 3)
#define CR1_IDLEIE (1U << 4)
#define CR1_RXNEIE (1U << 5)
#define CR1_TCIE (1U << 6)
#define CR1_TXEIE (1U << 7)
#define CR1_PEIE (1U << 8)
#define CR1_M0 (1U << 12)
#define CR1_OVER8 (1U << 15)
#define CR1_M1 (1U << 28)
#define CR1_FIFOEN (1U << 29)
#define CR3_EIE (1U << 0)
#define CR3_OVRDIS (1U << 12)
/* Bits writable while UE is set (RM0433 §48.8.2, §48.8.3): CR2 LBDIE,
 * ABREN, RTOEN; ADD while RE is 0; CR3 EIE, DMAR, DMAT, CTSIE, WUFIE,
 * TXFTIE, TCBGTIE, RXFTIE. */
#define CR2_ANYTIME ((1U << 6) | (1U << 20) | (1U << 23))
#define CR2_ADD 0xFF000000U
#define CR3_ANYTIME ((1U << 0) | (1U << 6) | (1U << 7) | (1U << 10) | \
		     (1U << 22) | (1U << 23) | (1U << 24) | (1U << 28))

#define ISR_PE (1U << 0)
#define ISR_FE (1U << 1)
#define ISR_NE (1U << 2)
#define ISR_ORE (1U << 3)
#define ISR_IDLE (1U << 4)
#define ISR_RXNE (1U << 5)
#define ISR_TC (1U << 6)
#define ISR_TXE (1U << 7)
#define ISR_TEACK (1U << 21)
#define ISR_REACK (1U << 22)
#define ISR_TXFE (1U << 23)
/* Flags ICR clears, by the same bit positions (RM0433 §48.8.10). */
#define ICR_CLEARS 0x00121BDFU

#define RXQ_SIZE 4096U

struct usart {
	const char *name;
	struct vclock *clk;
	usart_kernel_hz_fn kernel_hz;
	void *kernel_ctx;
	uint32_t cr1, cr2, cr3, brr, gtpr, rtor, presc;
	uint32_t flags;		/* PE FE NE ORE IDLE RXNE TC, as in ISR */
	uint16_t tdr, shift, rdr;
	bool tdr_full, shifting;
	struct vclock_event tx_done, rx_next;
	uint8_t rxq[RXQ_SIZE];
	unsigned rxq_head, rxq_len;
	struct irq_line irq;
	struct usart_host host;
	bool warned_fifo, warned_baud;
};

static void tx_done(void *ctx);
static void rx_next(void *ctx);

struct usart *usart_new(const char *name, struct vclock *clk,
			usart_kernel_hz_fn kernel_hz, void *kernel_ctx)
{
	struct usart *u = calloc(1, sizeof(*u));

	if (!u)
		abort();
	u->name = name;
	u->clk = clk;
	u->kernel_hz = kernel_hz;
	u->kernel_ctx = kernel_ctx;
	vclock_event_init(&u->tx_done, tx_done, u);
	vclock_event_init(&u->rx_next, rx_next, u);
	usart_reset(u);
	return u;
}

void usart_free(struct usart *u)
{
	if (!u)
		return;
	vclock_cancel(u->clk, &u->tx_done);
	vclock_cancel(u->clk, &u->rx_next);
	free(u);
}

const char *usart_name(const struct usart *u)
{
	return u->name;
}

void usart_set_irq(struct usart *u, struct irq_line line)
{
	u->irq = line;
}

void usart_attach_host(struct usart *u, const struct usart_host *host)
{
	u->host = *host;
}

/* UE cleared or a reset: everything in flight is dropped, TXE and TC set
 * (RM0433 §48.8.1, UE). Bytes still queued on the host side stay queued. */
static void stop(struct usart *u)
{
	vclock_cancel(u->clk, &u->tx_done);
	vclock_cancel(u->clk, &u->rx_next);
	u->tdr_full = false;
	u->shifting = false;
	u->flags = ISR_TC;
}

static uint32_t isr(const struct usart *u)
{
	uint32_t v = u->flags;
	bool on = u->cr1 & CR1_UE;

	if (!u->tdr_full)
		v |= ISR_TXE;
	if (!u->tdr_full && !u->shifting)
		v |= ISR_TXFE;
	if (on && (u->cr1 & CR1_TE))
		v |= ISR_TEACK;
	if (on && (u->cr1 & CR1_RE))
		v |= ISR_REACK;
	return v;
}

static void update_irq(struct usart *u)
{
	uint32_t s = isr(u);
	bool level = ((s & ISR_TXE) && (u->cr1 & CR1_TXEIE)) ||
		     ((s & ISR_TC) && (u->cr1 & CR1_TCIE)) ||
		     ((s & (ISR_RXNE | ISR_ORE)) && (u->cr1 & CR1_RXNEIE)) ||
		     ((s & ISR_IDLE) && (u->cr1 & CR1_IDLEIE)) ||
		     ((s & ISR_PE) && (u->cr1 & CR1_PEIE)) ||
		     ((s & (ISR_ORE | ISR_NE | ISR_FE)) && (u->cr3 & CR3_EIE));

	irq_set(&u->irq, level);
}

void usart_reset(struct usart *u)
{
	stop(u);
	u->cr1 = u->cr2 = u->cr3 = u->brr = u->gtpr = u->rtor = 0;
	u->presc = 0;
	u->rdr = 0;
	u->rxq_len = 0;
	u->rxq_head = 0;
	update_irq(u);
}

/* The baud rate (RM0433 §48.5.7): the kernel clock through PRESC, over
 * BRR (OVER8 = 0) or 2 / USARTDIV (OVER8 = 1); 0 when nothing can be
 * sent (no kernel clock, BRR below its minimum). */
static double baud(struct usart *u)
{
	static const unsigned presc_div[12] = {1, 2, 4, 6, 8, 10,
					       12, 16, 32, 64, 128, 256};
	double ker = u->kernel_hz(u->kernel_ctx);
	uint32_t div;

	ker /= presc_div[u->presc < 12 ? u->presc : 11];
	if (u->cr1 & CR1_OVER8) {
		div = (u->brr & 0xFFF0U) | ((u->brr & 7U) << 1);
		if (div >= 16 && ker > 0)
			return 2.0 * ker / div;
	} else if (u->brr >= 16 && ker > 0) {
		return ker / u->brr;
	}
	if (!u->warned_baud) {
		u->warned_baud = true;
		sim_log(LOG_GUEST_ERROR,
			"%s: BRR 0x%04x with a %.0f Hz kernel clock gives no "
			"baud rate (BRR >= 16 needed, RM0433 §48.8.5): nothing "
			"is sent or received",
			u->name, u->brr, ker);
	}
	return 0;
}

/* One frame: start bit, 7/8/9 data bits (M1:M0, parity included), stop
 * bits of CR2.STOP (1, 0.5, 2, 1.5), in nanoseconds. */
static uint64_t frame_ns(struct usart *u)
{
	static const unsigned stop_half[4] = {2, 1, 4, 3};
	unsigned data = (u->cr1 & CR1_M1) ? 7 : (u->cr1 & CR1_M0) ? 9 : 8;
	unsigned half_bits = 2 * (1 + data) + stop_half[(u->cr2 >> 12) & 3U];
	double b = baud(u);

	if (b <= 0)
		return 0;
	return (uint64_t)(half_bits * 1e9 / (2.0 * b) + 0.5);
}

static void start_tx(struct usart *u)
{
	uint64_t ns;

	if (u->shifting || !u->tdr_full)
		return;
	ns = frame_ns(u);
	if (ns == 0)
		return; /* the byte stays in TDR: TXE stays 0 */
	u->shift = u->tdr;
	u->shifting = true;
	u->tdr_full = false;
	vclock_schedule_in_ns(u->clk, &u->tx_done, ns);
}

static void tx_done(void *ctx)
{
	struct usart *u = ctx;

	u->shifting = false;
	if (u->host.tx)
		u->host.tx(u->host.ctx, (uint8_t)u->shift);
	if (u->tdr_full)
		start_tx(u);
	else
		u->flags |= ISR_TC;
	update_irq(u);
}

static void schedule_rx(struct usart *u)
{
	uint64_t ns;

	if (!u->rxq_len || vclock_event_queued(&u->rx_next) ||
	    (u->cr1 & (CR1_UE | CR1_RE)) != (CR1_UE | CR1_RE))
		return;
	ns = frame_ns(u);
	if (ns)
		vclock_schedule_in_ns(u->clk, &u->rx_next, ns);
}

static void rx_next(void *ctx)
{
	struct usart *u = ctx;
	uint8_t byte;

	if (!u->rxq_len)
		return;
	byte = u->rxq[u->rxq_head];
	u->rxq_head = (u->rxq_head + 1) % RXQ_SIZE;
	u->rxq_len--;
	/* RM0433 §48.5.9: a byte received while RXNE is still set is lost
	 * and sets ORE, unless OVRDIS lets it overwrite RDR. */
	if ((u->flags & ISR_RXNE) && !(u->cr3 & CR3_OVRDIS)) {
		u->flags |= ISR_ORE;
	} else {
		u->rdr = byte;
		u->flags |= ISR_RXNE;
	}
	if (!u->rxq_len)
		u->flags |= ISR_IDLE;
	schedule_rx(u);
	update_irq(u);
}

bool usart_host_send(struct usart *u, uint8_t byte)
{
	if (u->rxq_len == RXQ_SIZE)
		return false;
	u->rxq[(u->rxq_head + u->rxq_len) % RXQ_SIZE] = byte;
	u->rxq_len++;
	schedule_rx(u);
	return true;
}

static bool usart_read(void *dev, uint32_t off, unsigned size,
		       uint32_t *value, enum bus_master master)
{
	struct usart *u = dev;
	uint32_t v;

	switch (off & ~3U) {
	case CR1:
		v = u->cr1;
		break;
	case CR2:
		v = u->cr2;
		break;
	case CR3:
		v = u->cr3;
		break;
	case BRR:
		v = u->brr;
		break;
	case GTPR:
		v = u->gtpr;
		break;
	case RTOR:
		v = u->rtor;
		break;
	case ISR:
		v = isr(u);
		break;
	case RDR:
		v = u->rdr;
		/* A CPU read takes the byte; a debugger's read does not. */
		if (master == BUS_MASTER_CPU && (u->flags & ISR_RXNE)) {
			u->flags &= ~ISR_RXNE;
			update_irq(u);
		}
		break;
	case TDR:
		v = u->tdr;
		break;
	case PRESC:
		v = u->presc;
		break;
	default:
		v = 0; /* RQR, ICR: write-only; the rest reserved */
		break;
	}
	v >>= 8 * (off & 3U);
	*value = size < 4 ? v & ((1U << (8 * size)) - 1U) : v;
	return true;
}

static void write_cr1(struct usart *u, uint32_t v)
{
	uint32_t old = u->cr1;

	if ((v & CR1_FIFOEN) && !u->warned_fifo) {
		u->warned_fifo = true;
		sim_log(LOG_UNIMP,
			"%s: FIFO mode (CR1.FIFOEN): one-byte TDR/RDR used",
			u->name);
	}
	u->cr1 = v;
	if ((old & CR1_UE) && !(v & CR1_UE))
		stop(u);
	if ((v & CR1_UE) && !(old & CR1_UE))
		u->warned_baud = false;
	schedule_rx(u);
	start_tx(u);
}

static bool usart_write(void *dev, uint32_t off, unsigned size,
			uint32_t value, enum bus_master master)
{
	struct usart *u = dev;
	uint32_t word = off & ~3U;

	(void)master;
	if (size != 4 && word != TDR) {
		/* Byte and half-word writes reach the low bits only. */
		value &= (1U << (8 * size)) - 1U;
	}
	switch (word) {
	case CR1:
		write_cr1(u, value);
		break;
	case CR2:
	case CR3:
	case BRR:
	case PRESC: {
		/* RM0433 §48.8.2-4, 48.8.5, 48.8.13: the frame format, the
		 * baud rate and the modes are written only while UE is 0;
		 * the interrupt and DMA enables, RTOEN and ABREN may change
		 * at any time (and ADD while RE is 0). */
		uint32_t *r = word == CR2 ? &u->cr2 : word == CR3 ? &u->cr3
			    : word == BRR ? &u->brr : &u->presc;
		uint32_t keep = word == BRR ? 0xFFFFU
			      : word == PRESC ? 0xFU : 0xFFFFFFFFU;
		uint32_t locked = 0;

		if (u->cr1 & CR1_UE) {
			if (word == CR2)
				locked = ~(CR2_ANYTIME |
					   ((u->cr1 & CR1_RE) ? 0 : CR2_ADD));
			else if (word == CR3)
				locked = ~CR3_ANYTIME;
			else
				locked = 0xFFFFFFFFU;
		}
		value &= keep;
		if ((value ^ *r) & locked)
			sim_log(LOG_GUEST_ERROR,
				"%s: bits 0x%08x of register +0x%02x written "
				"while CR1.UE is set: ignored (RM0433 §48.8)",
				u->name, (value ^ *r) & locked, word);
		*r = (value & ~locked) | (*r & locked);
		break;
	}
	case GTPR:
		u->gtpr = value & 0xFFFFU;
		break;
	case RTOR:
		u->rtor = value;
		break;
	case RQR:
		if (value & (1U << 3)) /* RXFRQ: drop the received byte */
			u->flags &= ~ISR_RXNE;
		break;
	case ICR:
		u->flags &= ~(value & ICR_CLEARS);
		break;
	case TDR:
		if ((u->cr1 & (CR1_UE | CR1_TE)) != (CR1_UE | CR1_TE)) {
			sim_log(LOG_GUEST_ERROR,
				"%s: TDR written with the transmitter off "
				"(CR1.UE/TE): the byte is not sent "
				"(RM0433 §48.5.5)",
				u->name);
			break;
		}
		if (u->tdr_full)
			sim_log(LOG_GUEST_ERROR,
				"%s: TDR written while TXE is 0: the waiting "
				"byte is overwritten (RM0433 §48.5.5)",
				u->name);
		u->tdr = (uint16_t)(value & 0x1FFU);
		u->tdr_full = true;
		u->flags &= ~ISR_TC;
		start_tx(u);
		break;
	default:
		break;
	}
	update_irq(u);
	return true;
}

const struct mmio_ops usart_ops = {usart_read, usart_write};
