/* Exceptions on the simulated Cortex-M7: SysTick counting and its
 * interrupt, NVIC lines, pending/enable/priority, PRIMASK, preemption,
 * SVCall, PendSV, WFI sleep and the virtual-clock events that wake it.
 * The programs are hand-assembled Thumb (ARMv7-M ARM A7.7). */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core_rig.h"
#include "unit.h"

#define RAM 0x20000000U
#define MAIN (RAM + 0x400U)
#define HANDLER_A (RAM + 0x600U)
#define HANDLER_B (RAM + 0x700U)
#define SP_TOP (RAM + 0x8000U)
#define SYST_CSR 0xE000E010U
#define SYST_RVR 0xE000E014U
#define SYST_CVR 0xE000E018U
#define NVIC_ISER0 0xE000E100U
#define NVIC_ISPR0 0xE000E200U
#define NVIC_IABR0 0xE000E300U
#define NVIC_IPR0 0xE000E400U
#define SCB_ICSR 0xE000ED04U
#define SCB_SHPR2 0xE000ED1CU
#define SCB_SHPR3 0xE000ED20U
#define STIR 0xE000EF00U
#define DHCSR 0xE000EDF0U

/* Thumb encodings. */
#define B_SELF 0xE7FEU
#define WFI 0xBF30U
#define NOP 0xBF00U
#define BX_LR 0x4770U
#define ADDS_R7_1 0x3701U
#define ADDS_R6_1 0x3601U
#define ADDS_R5_1 0x3501U
#define SVC_0 0xDF00U
#define STR_R1_R0_ 0x6001U

/* A board with 64 KiB of RAM at 0x20000000 holding the vector table:
 * every exception goes to HANDLER_A except IRQ 1 (HANDLER_B). */
static void board(const uint16_t *main_code, unsigned n)
{
	static const uint16_t handler[] = {ADDS_R7_1, BX_LR};
	static const uint16_t handler_b[] = {ADDS_R6_1, BX_LR};

	core_rig_bus();
	bus_add_memory(&bus, "RAM", RAM, 0x10000,
		       REGION_READ | REGION_WRITE | REGION_EXEC);
	core_rig_core(RAM);
	core_map_bus(cpu);
	w32(RAM, SP_TOP);
	w32(RAM + 4, MAIN | 1U);
	for (unsigned v = 2; v < 16 + 32; v++)
		w32(RAM + 4 * v, HANDLER_A | 1U);
	w32(RAM + 4 * 17, HANDLER_B | 1U);
	put16(HANDLER_A, handler, 2);
	put16(HANDLER_B, handler_b, 2);
	put16(MAIN, main_code, n);
	core_reset(cpu, true);
}

static void systick_counts_down_and_sets_countflag(void)
{
	static const uint16_t prog[] = {B_SELF};
	uint32_t cvr;

	board(prog, 1);
	w32(SYST_RVR, 99);
	w32(SYST_CVR, 0);
	w32(SYST_CSR, 5); /* ENABLE, CLKSOURCE = processor clock */
	core_run(cpu, 50);
	cvr = r32(SYST_CVR);
	/* First tick loads 99, then it counts down. */
	CHECK(cvr > 40 && cvr < 60);
	CHECK_EQ(r32(SYST_CSR) >> 16 & 1U, 0);
	core_run(cpu, 100);
	CHECK_EQ(r32(SYST_CSR) >> 16 & 1U, 1);
	/* A software read cleared COUNTFLAG. */
	CHECK_EQ(r32(SYST_CSR) >> 16 & 1U, 0);
	CHECK_EQ(core_reg(cpu, 7), 0); /* TICKINT clear: no exception */
}

static void systick_interrupt_each_period(void)
{
	static const uint16_t prog[] = {B_SELF};

	board(prog, 1);
	w32(SYST_RVR, 999);
	w32(SYST_CVR, 0);
	w32(SYST_CSR, 7);
	core_run(cpu, 10500);
	/* Zero reached at 1000, 2000, ... 10000 cycles. */
	CHECK_EQ(core_reg(cpu, 7), 10);
	CHECK_EQ(core_reg(cpu, 16) & 0x1FFU, 0); /* back in Thread mode */
}

static void systick_divided_by_eight(void)
{
	static const uint16_t prog[] = {B_SELF};

	board(prog, 1);
	w32(SYST_RVR, 99);
	w32(SYST_CVR, 0);
	w32(SYST_CSR, 3); /* external reference: core clock / 8 */
	core_run(cpu, 8 * 100 * 3 + 50);
	CHECK_EQ(core_reg(cpu, 7), 3);
}

static void irq_line_level_and_enable(void)
{
	static const uint16_t prog[] = {B_SELF};
	struct irq_line line;

	board(prog, 1);
	line = core_irq_line(cpu, 0);
	irq_raise(&line);
	core_run(cpu, 100);
	/* Disabled: pending, not taken. */
	CHECK_EQ(core_reg(cpu, 7), 0);
	CHECK_EQ(r32(NVIC_ISPR0) & 1U, 1);
	irq_lower(&line);
	CHECK_EQ(r32(NVIC_ISPR0) & 1U, 1); /* pending stays */
	w32(NVIC_ISER0, 1);
	core_run(cpu, 100);
	CHECK_EQ(core_reg(cpu, 7), 1);
	CHECK_EQ(r32(NVIC_ISPR0) & 1U, 0);
	/* A level held high re-pends at each return. */
	irq_raise(&line);
	core_run(cpu, 30);
	CHECK(core_reg(cpu, 7) > 3);
	irq_lower(&line);
	core_run(cpu, 30);
	{
		uint32_t n = core_reg(cpu, 7);

		core_run(cpu, 100);
		CHECK(core_reg(cpu, 7) <= n + 1);
	}
}

static void primask_holds_then_releases(void)
{
	static const uint16_t prog[] = {B_SELF};

	board(prog, 1);
	core_write_regsel(cpu, 0x14, 1); /* PRIMASK = 1 */
	w32(NVIC_ISER0, 2);
	w32(STIR, 1);
	core_run(cpu, 100);
	CHECK_EQ(core_reg(cpu, 6), 0);
	CHECK_EQ(r32(NVIC_ISPR0), 2);
	CHECK_EQ(r32(SCB_ICSR) >> 12 & 0x1FFU, 17); /* VECTPENDING */
	core_write_regsel(cpu, 0x14, 0);
	core_run(cpu, 100);
	CHECK_EQ(core_reg(cpu, 6), 1);
	CHECK_EQ(r32(NVIC_ISPR0), 0);
}

static void cpsie_in_program_releases_pending(void)
{
	/* cpsid i; (IRQ pended by the debugger meanwhile) ; nops; cpsie i */
	static const uint16_t prog[] = {0xB672U, NOP, NOP, NOP, NOP,
					0xB662U, NOP, ADDS_R5_1, B_SELF};

	board(prog, 9);
	w32(NVIC_ISER0, 2);
	core_run(cpu, 2);
	w32(NVIC_ISPR0, 2);
	core_run(cpu, 3);
	CHECK_EQ(core_reg(cpu, 6), 0);
	core_run(cpu, 20);
	CHECK_EQ(core_reg(cpu, 6), 1);
	CHECK_EQ(core_reg(cpu, 5), 1);
}

/* Handler A (IRQ 0) spins; IRQ 1 at a higher priority preempts it, a
 * lower one does not. */
static void preemption_by_group_priority(void)
{
	static const uint16_t prog[] = {B_SELF};
	static const uint16_t spin[] = {ADDS_R7_1, B_SELF};

	board(prog, 1);
	put16(HANDLER_A, spin, 2);
	w32(NVIC_IPR0, 0x0000C080U); /* IRQ0 0x80, IRQ1 0xC0 */
	w32(NVIC_ISER0, 3);
	w32(STIR, 0);
	core_run(cpu, 20);
	CHECK_EQ(core_reg(cpu, 16) & 0x1FFU, 16);
	w32(STIR, 1);
	core_run(cpu, 20);
	CHECK_EQ(core_reg(cpu, 6), 0); /* 0xC0 does not preempt 0x80 */
	CHECK_EQ(r32(NVIC_IABR0), 1);
	w32(NVIC_IPR0, 0x00004080U); /* IRQ1 now 0x40 */
	core_run(cpu, 20);
	CHECK_EQ(core_reg(cpu, 6), 1);
	CHECK_EQ(core_reg(cpu, 16) & 0x1FFU, 16); /* back in IRQ0 */
}

static void svc_and_pendsv(void)
{
	static const uint16_t prog[] = {SVC_0, ADDS_R5_1, B_SELF};

	board(prog, 3);
	core_run(cpu, 20);
	CHECK_EQ(core_reg(cpu, 7), 1);
	CHECK_EQ(core_reg(cpu, 5), 1); /* returned after the SVC */
	w32(SCB_ICSR, 1U << 28); /* PENDSVSET */
	core_run(cpu, 20);
	CHECK_EQ(core_reg(cpu, 7), 2);
	CHECK_EQ(r32(SCB_ICSR) >> 28 & 1U, 0);
}

static void svc_with_primask_escalates(void)
{
	static const uint16_t prog[] = {SVC_0, B_SELF};

	board(prog, 2);
	core_write_regsel(cpu, 0x14, 1);
	w32(0xE000ED24U, 0); /* faults disabled too */
	core_run(cpu, 5);
	/* HardFault (3) taken: HFSR.FORCED. */
	CHECK_EQ(r32(0xE000ED2CU), 0x40000000U);
}

static void wfi_sleeps_until_systick(void)
{
	static const uint16_t prog[] = {WFI, ADDS_R5_1, B_SELF};
	uint64_t t0;

	board(prog, 3);
	w32(SYST_RVR, 99999);
	w32(SYST_CVR, 0);
	w32(SYST_CSR, 7);
	core_run(cpu, 10);
	CHECK_EQ(r32(DHCSR) >> 18 & 1U, 1); /* S_SLEEP */
	t0 = clk.cycles;
	CHECK(t0 < 100);
	/* Sleeping, the budget is time: the clock jumps to the event. */
	core_run(cpu, 100000 - t0 - 1);
	CHECK_EQ(core_reg(cpu, 7), 0);
	CHECK_EQ(clk.cycles, 99999);
	core_run(cpu, 100);
	CHECK_EQ(core_reg(cpu, 7), 1);
	CHECK_EQ(core_reg(cpu, 5), 1);
	CHECK_EQ(r32(DHCSR) >> 18 & 1U, 0);
}

/* B1.5.18: the HAL's sleep entry `__SEV(); __WFE(); __WFE();`: the first
 * WFE clears the event SEV set and goes on, the second sleeps until an
 * interrupt, which is taken; the core then continues after it. */
static void sev_wfe_wfe_sleeps_until_interrupt(void)
{
	static const uint16_t prog[] = {0xBF40U, 0xBF20U, 0xBF20U, ADDS_R5_1,
					B_SELF};

	board(prog, 5);
	core_run(cpu, 10);
	CHECK_EQ(r32(DHCSR) >> 18 & 1U, 1);
	CHECK_EQ(core_reg(cpu, 15), MAIN + 6);
	w32(NVIC_ISER0, 1);
	core_set_irq(cpu, 0, true);
	core_set_irq(cpu, 0, false);
	core_run(cpu, 20);
	CHECK_EQ(core_reg(cpu, 7), 1);
	CHECK_EQ(core_reg(cpu, 5), 1);
}

/* B1.5.19: WFI with PRIMASK set wakes on an interrupt that would preempt
 * were PRIMASK clear, without taking it; one raised between two runs
 * wakes the core at once, not after the next run's time. */
static void wfi_with_primask_wakes_at_once(void)
{
	/* cpsid i; wfi; adds r5, #1; b . */
	static const uint16_t prog[] = {0xB672U, WFI, ADDS_R5_1, B_SELF};

	board(prog, 4);
	w32(NVIC_ISER0, 1);
	core_run(cpu, 10);
	CHECK_EQ(r32(DHCSR) >> 18 & 1U, 1);
	core_set_irq(cpu, 0, true);
	core_run(cpu, 10);
	CHECK_EQ(core_reg(cpu, 5), 1);
	CHECK_EQ(core_reg(cpu, 7), 0);	/* masked: not taken */
}

/* B1.5.18, B3.2.7: with SCR.SEVONPEND an interrupt that becomes pending
 * is a WFE wake-up event even when the NVIC has it disabled (it is not
 * taken); without SEVONPEND the core sleeps on. */
static void wfe_wakes_on_pending_with_sevonpend(void)
{
	static const uint16_t prog[] = {0xBF20U, ADDS_R5_1, B_SELF}; /* wfe */

	for (int sevonpend = 0; sevonpend < 2; sevonpend++) {
		board(prog, 3);
		w32(0xE000ED10U, sevonpend ? 0x10U : 0); /* SCR */
		core_run(cpu, 10);
		CHECK_EQ(r32(DHCSR) >> 18 & 1U, 1); /* asleep in WFE */
		core_set_irq(cpu, 0, true);	/* IRQ 0: disabled in the NVIC */
		core_run(cpu, 10);
		CHECK_EQ(r32(NVIC_ISPR0) & 1U, 1);
		CHECK_EQ(core_reg(cpu, 5), (unsigned)sevonpend);
		CHECK_EQ(core_reg(cpu, 7), 0); /* not taken */
	}
}

/* ldr r1, [r0]; cmp r1, #0; beq loop; adds r5, #1; b . */
static const uint16_t poll_prog[] = {0x6801U, 0x2900U, 0xD0FCU, ADDS_R5_1,
				     B_SELF};

static void idle_poll_loop_fast_forwards(void)
{
	uint64_t n, t0;

	board(poll_prog, 5);
	core_write_regsel(cpu, 0, RAM + 0x8000U);
	w32(RAM + 0x8000U, 0);
	t0 = clk.cycles;
	n = core_run(cpu, 10000000);
	/* The whole budget passes in time, nearly none of it executed. */
	CHECK_EQ(n, 10000000);
	CHECK_EQ(clk.cycles - t0, 10000000);
	CHECK(core_instructions(cpu) == n);
	CHECK(core_is_spinning(cpu));
	/* The debugger writes the flag: the loop ends at once. */
	bus_write(&bus, RAM + 0x8000U, 4, 1, BUS_MASTER_DEBUG);
	core_run(cpu, 20);
	CHECK_EQ(core_reg(cpu, 5), 1);
}

static void idle_loop_still_takes_systick(void)
{
	board(poll_prog, 5);
	core_write_regsel(cpu, 0, RAM + 0x8000U);
	w32(SYST_RVR, 99999);
	w32(SYST_CVR, 0);
	w32(SYST_CSR, 7);
	core_run(cpu, 1050000);
	CHECK_EQ(core_reg(cpu, 7), 10);
	CHECK(!core_is_spinning(cpu)); /* an event is queued */
}

static void counting_loop_is_not_idle(void)
{
	/* adds r1, #1; b loop: the state differs on each pass. */
	static const uint16_t prog[] = {0x3101U, 0xE7FDU};

	board(prog, 2);
	core_run(cpu, 1000);
	CHECK_EQ(core_reg(cpu, 1), 500);
}

static void storing_loop_is_not_idle(void)
{
	/* str r1, [r0]; b loop: same state each pass, but it stores. */
	static const uint16_t prog[] = {STR_R1_R0_, 0xE7FDU};

	board(prog, 2);
	core_write_regsel(cpu, 0, RAM + 0x8000U);
	core_run(cpu, 1000);
	CHECK(!core_is_spinning(cpu));
	CHECK_EQ(core_instructions(cpu), 1000);
}

/* FP context (B1.5.7): a thread that used the FPU has CONTROL.FPCA set;
 * an interrupt then pushes the extended frame (S0-S15, FPSCR) and
 * EXC_RETURN bit 4 is clear; a handler that changes S0 gets the thread's
 * S0 back on return. */
static void fp_context_saved_across_interrupt(void)
{
	/* vmov s0, r0 (EE00 0A10); b . */
	static const uint16_t prog[] = {0xEE00U, 0x0A10U, B_SELF};
	/* vmov s0, r1 (EE00 1A10); adds r7, #1; bx lr */
	static const uint16_t fp_handler[] = {0xEE00U, 0x1A10U, ADDS_R7_1,
					      BX_LR};
	uint32_t sp_before;

	board(prog, 3);
	put16(HANDLER_A, fp_handler, 4);
	w32(0xE000ED88U, 0x00F00000U); /* CPACR: CP10/CP11 full access */
	core_write_regsel(cpu, 0, 0x3F800000U);
	core_write_regsel(cpu, 1, 0x40000000U);
	core_run(cpu, 3);
	CHECK_EQ(core_reg(cpu, 0x14) >> 24 & 4U, 4); /* FPCA */
	sp_before = core_reg(cpu, 13);
	w32(NVIC_ISER0, 1);
	w32(STIR, 0);
	core_run(cpu, 1);
	/* In the handler: 0x68-byte frame, EXC_RETURN 0xFFFFFFE9. */
	CHECK_EQ(core_reg(cpu, 14), 0xFFFFFFE9U);
	CHECK_EQ(sp_before - core_reg(cpu, 13), 0x68);
	CHECK_EQ(r32(core_reg(cpu, 13) + 0x20), 0x3F800000U); /* stacked S0 */
	core_run(cpu, 10);
	CHECK_EQ(core_reg(cpu, 7), 1);
	CHECK_EQ(core_reg(cpu, 0x40), 0x3F800000U); /* S0 restored */
	CHECK_EQ(core_reg(cpu, 13), sp_before);
	CHECK_EQ(core_reg(cpu, 0x14) >> 24 & 4U, 4);
}

/* B1.5.7 (UpdateFPCCR), B3.2.23, B3.2.24: an exception taken from a
 * thread with FP context and FPCCR.LSPEN set (the reset value) leaves the
 * FP area of the frame to lazy preservation: FPCAR holds its address
 * (the frame + 0x20), FPCCR.LSPACT is set, THREAD says it came from
 * Thread mode; the handler's first FP instruction clears LSPACT. */
static void fp_lazy_state_in_handler(void)
{
	static const uint16_t prog[] = {0xEE00U, 0x0A10U, B_SELF};
	/* vmov s0, r1; adds r7, #1; bx lr */
	static const uint16_t fp_handler[] = {0xEE00U, 0x1A10U, ADDS_R7_1,
					      BX_LR};
	uint32_t fpccr;

	board(prog, 3);
	put16(HANDLER_A, fp_handler, 4);
	w32(0xE000ED88U, 0x00F00000U);
	core_run(cpu, 3);
	w32(NVIC_ISER0, 1);
	w32(STIR, 0);
	core_run(cpu, 0); /* entered: the handler's vmov is next */
	CHECK_EQ(core_reg(cpu, 15), HANDLER_A);
	fpccr = r32(0xE000EF34U);
	CHECK_EQ(fpccr & 1U, 1);		/* LSPACT */
	CHECK_EQ(fpccr >> 3 & 1U, 1);		/* THREAD */
	CHECK_EQ(fpccr >> 1 & 1U, 0);		/* USER: privileged */
	CHECK_EQ(fpccr >> 4 & 1U, 1);		/* HFRDY */
	CHECK_EQ(r32(0xE000EF38U), core_reg(cpu, 13) + 0x20);	/* FPCAR */
	core_run(cpu, 1);
	CHECK_EQ(r32(0xE000EF34U) & 1U, 0);
	core_run(cpu, 10);
	CHECK_EQ(core_reg(cpu, 7), 1);
	CHECK_EQ(r32(0xE000EF34U) & 1U, 0);
}

static int fired;
static void count_fire(void *ctx)
{
	(void)ctx;
	fired++;
}

static void vclock_events_in_order(void)
{
	struct vclock c = {0, 64000000U, NULL};
	struct vclock_event a, b;

	vclock_event_init(&a, count_fire, NULL);
	vclock_event_init(&b, count_fire, NULL);
	fired = 0;
	vclock_schedule_at(&c, &a, 100);
	vclock_schedule_at(&c, &b, 50);
	CHECK_EQ(vclock_next_event(&c), 50);
	vclock_schedule_at(&c, &b, 150);
	CHECK_EQ(vclock_next_event(&c), 100);
	vclock_advance_to(&c, 120);
	CHECK_EQ(fired, 1);
	CHECK_EQ(c.cycles, 120);
	vclock_cancel(&c, &b);
	CHECK_EQ(vclock_next_event(&c), VCLOCK_NEVER);
	vclock_schedule_in_ns(&c, &a, 1000); /* 64 cycles at 64 MHz */
	CHECK_EQ(vclock_next_event(&c), 184);
	vclock_cancel(&c, &a);
}

static void cleanup(void)
{
	core_destroy(cpu);
	bus_free(&bus);
	cpu = NULL;
}

static void last_cleans_up(void)
{
	cleanup();
}

UNIT_MAIN("sim_core_exc", UNIT_TEST(systick_counts_down_and_sets_countflag),
	  UNIT_TEST(systick_interrupt_each_period),
	  UNIT_TEST(systick_divided_by_eight),
	  UNIT_TEST(irq_line_level_and_enable),
	  UNIT_TEST(primask_holds_then_releases),
	  UNIT_TEST(cpsie_in_program_releases_pending),
	  UNIT_TEST(preemption_by_group_priority), UNIT_TEST(svc_and_pendsv),
	  UNIT_TEST(svc_with_primask_escalates),
	  UNIT_TEST(wfi_sleeps_until_systick),
	  UNIT_TEST(sev_wfe_wfe_sleeps_until_interrupt),
	  UNIT_TEST(wfe_wakes_on_pending_with_sevonpend),
	  UNIT_TEST(wfi_with_primask_wakes_at_once),
	  UNIT_TEST(idle_poll_loop_fast_forwards),
	  UNIT_TEST(idle_loop_still_takes_systick),
	  UNIT_TEST(counting_loop_is_not_idle),
	  UNIT_TEST(storing_loop_is_not_idle),
	  UNIT_TEST(fp_context_saved_across_interrupt),
	  UNIT_TEST(fp_lazy_state_in_handler),
	  UNIT_TEST(vclock_events_in_order),
	  UNIT_TEST(last_cleans_up))
