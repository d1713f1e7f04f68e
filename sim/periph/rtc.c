#include "periph/rtc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

/* Register offsets and bits, RM0433 §46.6. */
#define TR 0x00U
#define DR 0x04U
#define CR 0x08U
#define ISR 0x0CU
#define PRER 0x10U
#define WUTR 0x14U
#define ALRMAR 0x1CU
#define ALRMBR 0x20U
#define WPR 0x24U
#define SSR 0x28U
#define SHIFTR 0x2CU
#define CALR 0x3CU
#define TAMPCR 0x40U
#define ALRMASSR 0x44U
#define ALRMBSSR 0x48U
#define OR 0x4CU
#define BKP0R 0x50U
#define NBKP 32U

#define CR_ALRAE (1U << 8)
#define CR_ALRBE (1U << 9)
#define CR_WUTE (1U << 10)
#define CR_TSE (1U << 11)
#define CR_UNMODELLED (CR_ALRAE | CR_ALRBE | CR_WUTE | CR_TSE)
#define ISR_ALRAWF (1U << 0)
#define ISR_ALRBWF (1U << 1)
#define ISR_WUTWF (1U << 2)
#define ISR_INITS (1U << 4)
#define ISR_RSF (1U << 5)
#define ISR_INITF (1U << 6)
#define ISR_INIT (1U << 7)
/* rc_w0 flags: RSF and ALRAF..ITSF (bits 13:8). */
#define ISR_RCW0 (ISR_RSF | 0x3F00U)

#define NS_PER_S 1000000000ULL
/* §46.3.8 / §46.3.6: INITF and RSF follow a request after about two
 * RTCCLK periods (clock domain synchronisation). */
#define SYNC_RTCCLKS 2U

struct rtc {
	struct vclock *clk;
	const struct rcc *rcc;
	const struct pwr *pwr;
	/* model time in ns, accumulated from the virtual clock */
	uint64_t last_cycles, ns;
	uint32_t cr, prer, wutr, alrmar, alrmbr, calr, tampcr, alrmassr,
		alrmbssr, or_;
	uint32_t bkp[NBKP];
	unsigned wpr_state;	/* 0 locked, 1 after 0xCA, 2 unlocked */
	bool init;		/* ISR.INIT */
	uint32_t isr_flags;	/* ALRAF..ITSF, sticky */
	uint64_t init_ns;	/* when INIT was set */
	uint64_t rsf_ns;	/* when RSF was last cleared or INIT left */
	bool rsf_cleared;
	/* The calendar: seconds since 2000-01-01 00:00:00 and the weekday
	 * (1 Monday .. 7 Sunday) at `base_ns`, counted from there while not
	 * in initialisation mode. */
	uint64_t base_secs;
	unsigned base_wday;
	uint64_t base_ns;
	bool warned_unmodelled;
};

static void sync_time(struct rtc *r)
{
	uint64_t now = r->clk->cycles;

	uint64_t d = now - r->last_cycles, hz = r->clk->cpu_hz;

	/* Whole seconds first: cycles x 1e9 would overflow after about 46 s
	 * at 400 MHz between two accesses. */
	if (hz)
		r->ns += d / hz * NS_PER_S + d % hz * NS_PER_S / hz;
	r->last_cycles = now;
}

static uint32_t prediv_a(const struct rtc *r)
{
	return (r->prer >> 16) & 0x7FU;
}

static uint32_t prediv_s(const struct rtc *r)
{
	return r->prer & 0x7FFFU;
}

/* ck_apre periods since base_ns (0 in initialisation mode or with no
 * RTC clock). */
static uint64_t apre_ticks(const struct rtc *r)
{
	uint32_t hz = rcc_rtc_hz(r->rcc);

	uint64_t d;

	if (r->init || !hz || r->ns < r->base_ns)
		return 0;
	d = r->ns - r->base_ns;
	return (d / NS_PER_S * hz + d % NS_PER_S * hz / NS_PER_S) /
	       (prediv_a(r) + 1U);
}

static bool synced_after(const struct rtc *r, uint64_t since_ns)
{
	uint32_t hz = rcc_rtc_hz(r->rcc);

	return hz && r->ns - since_ns >= SYNC_RTCCLKS * NS_PER_S / hz;
}

static bool leap(unsigned y)
{
	return y % 4U == 0; /* years 2000-2099, as the RTC counts them */
}

static unsigned month_days(unsigned y, unsigned m)
{
	static const unsigned char d[12] = {31, 28, 31, 30, 31, 30,
					    31, 31, 30, 31, 30, 31};

	return m == 2 && leap(y) ? 29U : d[m - 1];
}

static unsigned bcd(unsigned v)
{
	return (v / 10U) << 4 | (v % 10U);
}

static unsigned from_bcd(unsigned v)
{
	return (v >> 4) * 10U + (v & 0xFU);
}

/* Calendar now: seconds since 2000-01-01 and the weekday. */
static uint64_t now_secs(const struct rtc *r, unsigned *wday)
{
	uint64_t secs = r->base_secs + apre_ticks(r) / (prediv_s(r) + 1U);
	uint64_t days = secs / 86400U - r->base_secs / 86400U;

	if (wday)
		*wday = (unsigned)((r->base_wday - 1U + days) % 7U) + 1U;
	return secs;
}

static void split_date(uint64_t secs, unsigned *y, unsigned *m, unsigned *d)
{
	uint64_t days = secs / 86400U;

	*y = 0;
	while (days >= (leap(*y) ? 366U : 365U) && *y < 99U)
		days -= leap(*y) ? 366U : 365U, (*y)++;
	*m = 1;
	while (*m < 12U && days >= month_days(*y, *m))
		days -= month_days(*y, *m), (*m)++;
	*d = (unsigned)days + 1U;
}

static uint32_t read_tr(const struct rtc *r)
{
	uint64_t s = now_secs(r, NULL) % 86400U;
	unsigned h = (unsigned)(s / 3600U);

	if (r->cr & (1U << 6)) { /* FMT: AM/PM notation */
		unsigned h12 = h % 12U ? h % 12U : 12U;

		return (h >= 12U ? 1U << 22 : 0) | bcd(h12) << 16 |
		       bcd((unsigned)(s / 60U % 60U)) << 8 |
		       bcd((unsigned)(s % 60U));
	}
	return bcd(h) << 16 | bcd((unsigned)(s / 60U % 60U)) << 8 |
	       bcd((unsigned)(s % 60U));
}

static uint32_t read_dr(const struct rtc *r)
{
	unsigned wday, y, m, d;
	uint64_t s = now_secs(r, &wday);

	split_date(s, &y, &m, &d);
	return bcd(y) << 16 | wday << 13 | bcd(m) << 8 | bcd(d);
}

static uint64_t date_secs(unsigned y, unsigned m, unsigned d)
{
	uint64_t days = 0;

	for (unsigned i = 0; i < y; i++)
		days += leap(i) ? 366U : 365U;
	for (unsigned i = 1; i < m; i++)
		days += month_days(y, i);
	return (days + d - 1U) * 86400U;
}

/* Both setters write the calendar in initialisation mode, where it
 * stands still. */
static void write_tr(struct rtc *r, uint32_t v)
{
	unsigned h = from_bcd((v >> 16) & 0x3FU);
	unsigned min = from_bcd((v >> 8) & 0x7FU), s = from_bcd(v & 0x7FU);

	if ((r->cr & (1U << 6)) && (v & (1U << 22)))
		h = h % 12U + 12U;
	else if (r->cr & (1U << 6))
		h %= 12U;
	if (h > 23U || min > 59U || s > 59U) {
		sim_log(LOG_GUEST_ERROR,
			"RTC: TR 0x%08x is not a valid time (RM0433 §46.6.1)",
			v);
		return;
	}
	r->base_secs = r->base_secs / 86400U * 86400U + h * 3600U +
		       min * 60U + s;
}

static void write_dr(struct rtc *r, uint32_t v)
{
	unsigned y = from_bcd((v >> 16) & 0xFFU), m = from_bcd((v >> 8) & 0x1FU);
	unsigned d = from_bcd(v & 0x3FU), wday = (v >> 13) & 7U;

	if (m < 1 || m > 12 || d < 1 || y > 99 || d > month_days(y, m) ||
	    wday == 0) {
		sim_log(LOG_GUEST_ERROR,
			"RTC: DR 0x%08x is not a valid date (RM0433 §46.6.2)",
			v);
		return;
	}
	r->base_secs = date_secs(y, m, d) + r->base_secs % 86400U;
	r->base_wday = wday;
}

void rtc_backup_reset(void *ctx)
{
	struct rtc *r = ctx;
	uint64_t cycles = r->clk->cycles, ns = r->ns;

	memset(&r->cr, 0,
	       sizeof(*r) - ((char *)&r->cr - (char *)r));
	r->last_cycles = cycles;
	r->ns = ns;
	r->prer = 0x007F00FFU;	/* §46.6.5 reset value */
	r->wutr = 0xFFFFU;
	r->base_secs = 0;	/* DR reset value 0x2101: Monday 2000-01-01 */
	r->base_wday = 1;
	r->base_ns = ns;
}

struct rtc *rtc_new(struct vclock *clk, const struct rcc *rcc,
		    const struct pwr *pwr)
{
	struct rtc *r = calloc(1, sizeof(*r));

	if (!r)
		abort();
	r->clk = clk;
	r->rcc = rcc;
	r->pwr = pwr;
	r->last_cycles = clk->cycles;
	rtc_backup_reset(r);
	return r;
}

void rtc_free(struct rtc *r)
{
	free(r);
}

static uint32_t read_isr(const struct rtc *r)
{
	uint32_t v = r->isr_flags;

	if (!(r->cr & CR_ALRAE))
		v |= ISR_ALRAWF;
	if (!(r->cr & CR_ALRBE))
		v |= ISR_ALRBWF;
	if (!(r->cr & CR_WUTE))
		v |= ISR_WUTWF;
	if (r->base_secs >= 366U * 86400U) /* year field not 0 */
		v |= ISR_INITS;
	if (r->init) {
		v |= ISR_INIT;
		if (synced_after(r, r->init_ns))
			v |= ISR_INITF;
	} else if (!r->rsf_cleared || synced_after(r, r->rsf_ns)) {
		v |= ISR_RSF;
	}
	return v;
}

static bool rtc_read(void *dev, uint32_t off, unsigned size, uint32_t *value,
		     enum bus_master master)
{
	struct rtc *r = dev;
	uint32_t v = 0, word = off & ~3U;

	(void)master;
	sync_time(r);
	switch (word) {
	case TR: v = read_tr(r); break;
	case DR: v = read_dr(r); break;
	case CR: v = r->cr; break;
	case ISR: v = read_isr(r); break;
	case PRER: v = r->prer; break;
	case WUTR: v = r->wutr; break;
	case ALRMAR: v = r->alrmar; break;
	case ALRMBR: v = r->alrmbr; break;
	case SSR:
		v = prediv_s(r) -
		    (uint32_t)(apre_ticks(r) % (prediv_s(r) + 1U));
		break;
	case CALR: v = r->calr; break;
	case TAMPCR: v = r->tampcr; break;
	case ALRMASSR: v = r->alrmassr; break;
	case ALRMBSSR: v = r->alrmbssr; break;
	case OR: v = r->or_; break;
	default:
		if (word >= BKP0R && word < BKP0R + 4U * NBKP)
			v = r->bkp[(word - BKP0R) / 4U];
		break;
	}
	*value = (v >> (8U * (off & 3U))) &
		 (size == 4 ? 0xFFFFFFFFU : (1U << (8U * size)) - 1U);
	return true;
}

static void write_isr(struct rtc *r, uint32_t v, bool unlocked)
{
	uint32_t cur = read_isr(r);

	/* The rc_w0 flags are not write protected (§46.6.4). */
	if (!(v & ISR_RSF) && (cur & ISR_RSF)) {
		r->rsf_cleared = true;
		r->rsf_ns = r->ns;
	}
	r->isr_flags &= v | ~0x3F00U;
	if (!unlocked) {
		if ((v ^ cur) & ISR_INIT)
			sim_log(LOG_GUEST_ERROR,
				"RTC: ISR.INIT written while the registers "
				"are write protected: ignored (RM0433 "
				"§46.3.7, RTC_WPR)");
		return;
	}
	if ((v & ISR_INIT) && !r->init) {
		/* Entering initialisation mode stops the calendar where
		 * it stands. */
		r->base_secs = now_secs(r, &r->base_wday);
		r->init = true;
		r->init_ns = r->ns;
	} else if (!(v & ISR_INIT) && r->init) {
		/* §46.3.8: leaving it restarts the counters; the shadow
		 * registers are reloaded (RSF) after a synchronisation. */
		r->init = false;
		r->base_ns = r->ns;
		r->rsf_cleared = true;
		r->rsf_ns = r->ns;
	}
}

static bool rtc_write(void *dev, uint32_t off, unsigned size, uint32_t value,
		      enum bus_master master)
{
	struct rtc *r = dev;
	uint32_t word = off & ~3U, shift = 8U * (off & 3U);
	uint32_t mask = (size == 4 ? 0xFFFFFFFFU : (1U << (8U * size)) - 1U)
			<< shift;
	uint32_t old = 0, v;
	bool unlocked = r->wpr_state == 2;
	bool initf;

	sync_time(r);
	rtc_read(dev, word, 4, &old, master);
	v = (old & ~mask) | ((value << shift) & mask);
	if (!pwr_backup_writable(r->pwr)) {
		/* RM0433 §6.4.4: the backup domain is written only with
		 * PWR_CR1.DBP set. */
		sim_log(LOG_GUEST_ERROR,
			"RTC: register +0x%02x written with PWR_CR1.DBP "
			"clear: ignored (RM0433 §6.4.4)",
			word);
		return true;
	}
	if (word == WPR) {
		/* §46.3.7: 0xCA then 0x53 unlocks; any other value locks. */
		v &= 0xFFU;
		r->wpr_state = v == 0xCAU ? 1U
			     : (v == 0x53U && r->wpr_state == 1U) ? 2U : 0U;
		return true;
	}
	if (word == ISR) {
		write_isr(r, v, unlocked);
		return true;
	}
	if (word == TAMPCR) {
		r->tampcr = v;
		return true;
	}
	if (word >= BKP0R && word < BKP0R + 4U * NBKP) {
		r->bkp[(word - BKP0R) / 4U] = v;
		return true;
	}
	if (!unlocked) {
		sim_log(LOG_GUEST_ERROR,
			"RTC: register +0x%02x written while write protected: "
			"ignored (RM0433 §46.3.7, RTC_WPR)",
			word);
		return true;
	}
	initf = r->init && synced_after(r, r->init_ns);
	switch (word) {
	case TR:
	case DR:
	case PRER:
		/* §46.3.8: calendar and prescalers only with INITF set. */
		if (!initf) {
			sim_log(LOG_GUEST_ERROR,
				"RTC: register +0x%02x written outside "
				"initialisation mode (ISR.INITF 0): ignored "
				"(RM0433 §46.3.8)",
				word);
			break;
		}
		if (word == TR)
			write_tr(r, v);
		else if (word == DR)
			write_dr(r, v);
		else
			r->prer = v & 0x007F7FFFU;
		break;
	case CR:
		r->cr = v & 0x01FFFF7FU;
		if ((r->cr & CR_UNMODELLED) && !r->warned_unmodelled) {
			r->warned_unmodelled = true;
			sim_log(LOG_UNIMP,
				"RTC: alarms, wake-up timer and time stamp "
				"(CR 0x%08x) are not modelled: they never "
				"fire",
				r->cr);
		}
		break;
	case WUTR: r->wutr = v & 0xFFFFU; break;
	case ALRMAR: r->alrmar = v; break;
	case ALRMBR: r->alrmbr = v; break;
	case CALR: r->calr = v & 0xE1FFU; break;
	case ALRMASSR: r->alrmassr = v & 0x0F007FFFU; break;
	case ALRMBSSR: r->alrmbssr = v & 0x0F007FFFU; break;
	case OR: r->or_ = v & 3U; break;
	case SHIFTR:
		sim_log(LOG_UNIMP, "RTC: SHIFTR is not modelled: ignored");
		break;
	default:
		break;
	}
	return true;
}

const struct mmio_ops rtc_ops = {
	.read = rtc_read,
	.write = rtc_write,
};
