/* Core clock against the LSI (docs/clocks.md §3).
 *
 * The LSI runs at 32 kHz, within 29.76-33.6 kHz over voltage and
 * temperature (DS12110/DS12556, LSI oscillator characteristics): ±7 %,
 * taken here as ±12 % with the measurement's own error. That is too loose
 * to calibrate anything and plenty to catch a crystal of another
 * frequency (8 MHz for 25 MHz is a factor of 3).
 *
 * TIM16 captures every LSI rising edge on channel 1 (TISEL = LSI,
 * IC1PSC = /1, RM0433 §41): a capture every 31.25 µs. The stub notes
 * CYCCNT when the first capture flag rises, takes each next one (reading
 * CCR1 clears CC1IF) and notes CYCCNT again at the 8th: 8 LSI periods,
 * 100 000 cycles at 400 MHz. A prescaler of /8 would give the same
 * window but start it only 8 edges after the capture is enabled; at /1
 * the first edge comes within one period. Each end is seen within one
 * poll of the flag, a TIM16 read across the APB (tens of cycles), so the
 * measurement's own error stays within a few tenths of a percent, far
 * below the tolerance; more periods would add nothing but run time. A
 * period is thousands of cycles at any clock the check can pass, so no
 * edge is missed; CC1OF (a capture while CC1IF was still set) would say
 * one was, and the check then fails rather than count it. The wait asks
 * its deadline only every few polls, so that a poll stays a few
 * instructions. */
#include "runtime/clock_ref.h"

#include "regs/mmio.h"
#include "regs/regs_rcc.h"
#include "regs/regs_tim.h"

#define LSI_HZ 32000U
#define CLOCK_REF_PERIODS 8U
#define POLLS_PER_CHECK 8U
#define CLOCK_REF_TOLERANCE_PCT 12U
/* tsu(LSI) is 80 µs typical, 120 µs at most (datasheet); a capture comes
 * every 31.25 µs. Both deadlines leave room for a core slower than
 * params.cpu_hz says (the deadlines count its cycles). */
#define LSI_READY_US 2000U
#define CAPTURE_US 2000U

#define RCC(off) (RCC_H7_BASE + (off))
#define TIM16(off) (TIM16_H7_BASE + (off))

/* Waits for the next capture; its CYCCNT in *at. */
static int next_capture(struct stub_ctx *ctx, uint32_t *at)
{
	struct deadline d;
	uint32_t polls = 0U;

	timer_deadline_start(&d, &ctx->timer, CAPTURE_US);
	while (!(mmio_read32(TIM16(TIM_SR)) & TIM_SR_CC1IF)) {
		if ((++polls & (POLLS_PER_CHECK - 1U)) == 0U &&
		    timer_deadline_passed(&d))
			return stub_fail(ctx, STUB_STATUS_CLOCK_CHECK,
					 STUB_DETAIL_LSI_NO_CAPTURE,
					 mmio_read32(TIM16(TIM_SR)), 0U);
	}
	*at = timer_now();
	(void)mmio_read32(TIM16(TIM_CCR1)); /* clears CC1IF */
	return STUB_STATUS_OK;
}

static int measure(struct stub_ctx *ctx, uint32_t *cycles)
{
	struct deadline d;
	uint32_t first = 0U, last = 0U;
	int st;

	timer_deadline_start(&d, &ctx->timer, LSI_READY_US);
	while (!(mmio_read32(RCC(RCC_H7_CSR)) & RCC_H7_CSR_LSIRDY))
		if (timer_deadline_passed(&d))
			return stub_fail(ctx, STUB_STATUS_CLOCK_CHECK,
					 STUB_DETAIL_LSI_NOT_READY,
					 mmio_read32(RCC(RCC_H7_CSR)), 0U);
	mmio_write32(TIM16(TIM_CR1), 0U);
	mmio_write32(TIM16(TIM_TISEL), TIM16_TISEL_TI1SEL_LSI);
	mmio_write32(TIM16(TIM_PSC), 0U);
	mmio_write32(TIM16(TIM_ARR), 0xFFFFU);
	mmio_write32(TIM16(TIM_CCMR1), TIM_CCMR1_CC1S_TI1); /* IC1PSC /1 */
	mmio_write32(TIM16(TIM_CCER), TIM_CCER_CC1E);
	mmio_write32(TIM16(TIM_EGR), TIM_EGR_UG);
	mmio_write32(TIM16(TIM_SR), 0U);
	mmio_write32(TIM16(TIM_CR1), TIM_CR1_CEN);
	st = next_capture(ctx, &first);
	for (uint32_t i = 0; st == STUB_STATUS_OK && i < CLOCK_REF_PERIODS;
	     i++)
		st = next_capture(ctx, &last);
	if (st == STUB_STATUS_OK && (mmio_read32(TIM16(TIM_SR)) & TIM_SR_CC1OF))
		st = stub_fail(ctx, STUB_STATUS_CLOCK_CHECK,
			       STUB_DETAIL_LSI_NO_CAPTURE,
			       mmio_read32(TIM16(TIM_SR)), 0U);
	mmio_write32(TIM16(TIM_CR1), 0U);
	mmio_write32(TIM16(TIM_CCER), 0U);
	*cycles = last - first;
	return st;
}

int clock_ref_check(struct stub_ctx *ctx)
{
	volatile struct stub_mailbox *mb = ctx->mb;
	uint32_t claimed = mb->params.cpu_hz, csr, enr, cycles = 0U;
	uint64_t measured, diff;
	int st;

	if (mb->params.family != STUB_FAMILY_STM32H7 || claimed == 0U)
		return STUB_STATUS_OK;
	csr = mmio_read32(RCC(RCC_H7_CSR));
	enr = mmio_read32(RCC(RCC_H7_APB2ENR));
	mmio_write32(RCC(RCC_H7_CSR), csr | RCC_H7_CSR_LSION);
	mmio_write32(RCC(RCC_H7_APB2ENR), enr | RCC_H7_APB2ENR_TIM16EN);
	(void)mmio_read32(RCC(RCC_H7_APB2ENR)); /* the enable takes effect */
	st = measure(ctx, &cycles);
	mmio_write32(RCC(RCC_H7_APB2ENR), enr);
	mmio_write32(RCC(RCC_H7_CSR), csr);
	if (st != STUB_STATUS_OK)
		return st;
	measured = (uint64_t)cycles * LSI_HZ / CLOCK_REF_PERIODS;
	mb->result.cpu_hz_measured =
		measured > 0xFFFFFFFFU ? 0xFFFFFFFFU : (uint32_t)measured;
	diff = measured > claimed ? measured - claimed : claimed - measured;
	if (diff * 100U > (uint64_t)claimed * CLOCK_REF_TOLERANCE_PCT)
		return stub_fail(ctx, STUB_STATUS_CLOCK_CHECK,
				 STUB_DETAIL_CPU_VS_LSI,
				 mb->result.cpu_hz_measured, claimed);
	return STUB_STATUS_OK;
}
