/* RM0455 OCTOSPIM registers: CR (MUXEN, REQ2ACK_TIME) and one PnCR per
 * port with an enable and a source for CLK, DQS, NCS, IO[3:0] (IOL) and
 * IO[7:4] (IOH). Reset values as docs/hardware-stm32h7a3.md §7 gives
 * them: port 1 from OCTOSPI1, port 2 from OCTOSPI2. */
#include "periph/octospim.h"

#include <stdlib.h>

#include "periph/octospi.h"
#include "util/log.h"

#define CR_MASK 0x00FF0001U
#define PCR_MASK 0x07070333U
#define P1CR_RESET 0x03010111U
#define P2CR_RESET 0x07050333U

#define PCR_CLKEN (1U << 0)
#define PCR_CLKSRC (1U << 1)
#define PCR_NCSEN (1U << 8)
#define PCR_NCSSRC (1U << 9)
#define PCR_IOLEN (1U << 16)
#define PCR_IOLSRC_SHIFT 17U
#define CR_MUXEN (1U << 0)

struct octospim {
	uint32_t cr, pcr[2];
	struct octospi *ospi[2];
	bool warned_mux;
};

struct octospim *octospim_new(void)
{
	struct octospim *m = calloc(1, sizeof(*m));

	if (!m)
		abort();
	octospim_reset(m);
	return m;
}

void octospim_free(struct octospim *m)
{
	free(m);
}

static void routing_changed(struct octospim *m)
{
	for (unsigned i = 0; i < 2; i++)
		if (m->ospi[i])
			octospi_route_changed(m->ospi[i]);
}

void octospim_reset(struct octospim *m)
{
	m->cr = 0;
	m->pcr[0] = P1CR_RESET;
	m->pcr[1] = P2CR_RESET;
	routing_changed(m);
}

void octospim_attach(struct octospim *m, struct octospi *ospi1,
		     struct octospi *ospi2)
{
	m->ospi[0] = ospi1;
	m->ospi[1] = ospi2;
	routing_changed(m);
}

bool octospim_routes_port1(void *ctx, unsigned instance, unsigned io_group)
{
	const struct octospim *m = ctx;
	uint32_t p = m->pcr[0];
	uint32_t src = instance ? 1U : 0U;
	uint32_t iol = (p >> PCR_IOLSRC_SHIFT) & 3U;

	/* A disabled CLK, NCS or IO[3:0] group leaves the pin undriven. */
	if (!(p & PCR_CLKEN) || !(p & PCR_NCSEN) || !(p & PCR_IOLEN))
		return false;
	if (((p & PCR_NCSSRC) ? 1U : 0U) != src)
		return false;
	/* IOLSRC: 00 OCTOSPI1 IO[3:0], 01 OCTOSPI1 IO[7:4], 10 OCTOSPI2
	 * IO[3:0], 11 OCTOSPI2 IO[7:4]: the low bit picks the group (an
	 * OCTOSPI with CR.FSEL = 1 drives its memory on IO[7:4]). */
	if ((iol & 1U) != io_group)
		return false;
	/* OCTOSPIM_CR.MUXEN: the two OCTOSPIs take turns on the port's CLK
	 * and IOs, each with its own NCS; the port's NCS source says whose
	 * memory it is. Otherwise CLK and IOs come from their sources. */
	if (m->cr & CR_MUXEN)
		return true;
	return ((p & PCR_CLKSRC) ? 1U : 0U) == src && (iol >> 1) == src;
}

static bool mim_read(void *dev, uint32_t off, unsigned size, uint32_t *value,
		     enum bus_master master)
{
	struct octospim *m = dev;
	uint32_t v;

	(void)master;
	switch (off & ~3U) {
	case OCTOSPIM_CR:
		v = m->cr;
		break;
	case OCTOSPIM_P1CR:
		v = m->pcr[0];
		break;
	case OCTOSPIM_P2CR:
		v = m->pcr[1];
		break;
	default:
		v = 0;
		break;
	}
	v >>= 8 * (off & 3U);
	*value = size == 4 ? v : v & ((1U << (8 * size)) - 1);
	return true;
}

static bool mim_write(void *dev, uint32_t off, unsigned size, uint32_t value,
		      enum bus_master master)
{
	struct octospim *m = dev;
	uint32_t word = off & ~3U, old = 0, v, mask;

	mim_read(m, word, 4, &old, master);
	mask = (size == 4 ? 0xFFFFFFFFU : (1U << (8 * size)) - 1U)
	       << (8 * (off & 3U));
	v = (old & ~mask) | ((value << (8 * (off & 3U))) & mask);
	if (word > OCTOSPIM_P2CR) {
		sim_log(LOG_GUEST_ERROR,
			"OCTOSPIM: write to reserved offset 0x%02x",
			(unsigned)off);
		return true;
	}
	for (unsigned i = 0; i < 2; i++)
		if (m->ospi[i] && octospi_enabled(m->ospi[i]) && v != old)
			sim_log(LOG_GUEST_ERROR,
				"OCTOSPIM: +0x%02x changed while OCTOSPI%u is "
				"enabled (RM0455 OCTOSPIM: configure it with "
				"every OCTOSPI disabled)",
				(unsigned)word, i + 1);
	if (word == OCTOSPIM_CR) {
		m->cr = v & CR_MASK;
		if ((m->cr & 1U) && !m->warned_mux) {
			m->warned_mux = true;
			sim_log(LOG_UNIMP,
				"OCTOSPIM: multiplexed mode (CR.MUXEN): the "
				"port's NCS source picks the OCTOSPI; their "
				"arbitration (REQ2ACK_TIME, MAXTRAN) is not "
				"modelled");
		}
	} else {
		m->pcr[(word - OCTOSPIM_P1CR) / 4] = v & PCR_MASK;
	}
	routing_changed(m);
	return true;
}

const struct mmio_ops octospim_ops = {mim_read, mim_write};
