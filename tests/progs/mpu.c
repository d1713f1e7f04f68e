/* Runs on the simulated core: trips the MPU as the ARMv7-M ARM B3.5
 * describes. A store to a read-only region is a MemManage with DACCVIOL
 * and MMFAR; with MemManage disabled it escalates to HardFault (FORCED); a
 * call into an execute-never region is IACCVIOL; unprivileged code is
 * refused a privileged-only region and comes back through SVC; a load
 * from a peripheral in a no-access region is a MemManage too. The fault
 * handler records what it saw and resumes past the fault. main returns 0
 * when everything matched, else the failing step. */
#include <stdint.h>

#define REG(a) (*(volatile uint32_t *)(a))
#define SCB_VTOR REG(0xE000ED08U)
#define SCB_SHCSR REG(0xE000ED24U)
#define SCB_CFSR REG(0xE000ED28U)
#define SCB_HFSR REG(0xE000ED2CU)
#define SCB_MMFAR REG(0xE000ED34U)
#define MPU_CTRL REG(0xE000ED94U)
#define MPU_RBAR REG(0xE000ED9CU)
#define MPU_RASR REG(0xE000EDA0U)

#define MEMFAULTENA (1U << 16)
#define AP_FULL 3U
#define AP_PRIV_ONLY 1U
#define AP_READ_ONLY 6U
#define XN (1U << 28)

struct fault_seen {
	uint32_t exception, cfsr, hfsr, mmfar, stacked_pc;
};

volatile struct fault_seen seen[6];
volatile uint32_t nseen, step;
__attribute__((aligned(32))) volatile uint32_t guarded[8] = {0x600DF00DU};
__attribute__((aligned(32))) volatile uint32_t priv_only[8];

void mpu_fault_handler(void) __attribute__((naked));
void mpu_svc_handler(void) __attribute__((naked));
void mpu_fault_record(uint32_t *frame, uint32_t ipsr);
void mpu_svc(void);
void prog_default_handler(void);
void _start(void);
extern uint32_t __stack_top[];

/* A function alone in a 32-byte block (the smallest region, B3.5.9),
 * made execute-never below. */
uint32_t xn_function(void);
__asm__(".section .text.xn_block,\"ax\",%progbits\n"
	".balign 32\n"
	".global xn_function\n"
	".thumb_func\n"
	"xn_function:\n"
	"\tmovw r0, #0x1234\n"
	"\tbx lr\n"
	".balign 32\n"
	".text\n");

void mpu_fault_record(uint32_t *frame, uint32_t ipsr)
{
	uint32_t pc = frame[6];
	uint16_t insn = *(uint16_t *)pc;
	uint32_t cfsr = SCB_CFSR;

	if (nseen < 6) {
		seen[nseen].exception = ipsr;
		seen[nseen].cfsr = cfsr;
		seen[nseen].hfsr = SCB_HFSR;
		seen[nseen].mmfar = SCB_MMFAR;
		seen[nseen].stacked_pc = pc;
		nseen++;
	}
	SCB_CFSR = cfsr;
	SCB_HFSR = SCB_HFSR;
	if (cfsr & 1U) {
		/* IACCVIOL: the fetch of a called function; return to the
		 * caller (the stacked LR). */
		frame[6] = frame[5] & ~1U;
	} else {
		/* Resume after the faulting load or store. */
		frame[6] = pc + (((insn & 0xF800U) >= 0xE800U) ? 4 : 2);
	}
}

void mpu_fault_handler(void)
{
	__asm__ volatile("mrs r0, msp\n\t"
			 "tst lr, #4\n\t"
			 "it ne\n\t"
			 "mrsne r0, psp\n\t"
			 "mrs r1, ipsr\n\t"
			 "push {r4, lr}\n\t"
			 "bl mpu_fault_record\n\t"
			 "pop {r4, pc}");
}

/* SVC from unprivileged Thread mode: back to privileged (B1.4.4: only
 * privileged code can clear CONTROL.nPRIV, so software uses SVC). */
void mpu_svc_handler(void)
{
	__asm__ volatile("mrs r0, control\n\t"
			 "bic r0, r0, #1\n\t"
			 "msr control, r0\n\t"
			 "bx lr");
}

__attribute__((aligned(128))) void (*const mpu_vectors[16])(void) = {
	(void (*)(void))__stack_top, _start, prog_default_handler,
	mpu_fault_handler, mpu_fault_handler, mpu_fault_handler,
	mpu_fault_handler, 0, 0, 0, 0, mpu_svc_handler,
};

static void region(unsigned n, uint32_t base, unsigned size_field,
		   uint32_t ap, uint32_t extra)
{
	MPU_RBAR = base | 0x10U | n;
	MPU_RASR = ap << 24 | size_field << 1 | 1U | extra;
}

static inline void sync(void)
{
	__asm__ volatile("dsb\n\tisb" ::: "memory");
}

int main(void)
{
	volatile uint32_t sink;

	SCB_VTOR = (uint32_t)mpu_vectors;
	/* Region 0: the program's 64 KiB of DTCM, full access; 1: the
	 * guarded words read-only; 2: xn_function's block execute-never;
	 * 3: priv_only for privileged code only. The background map
	 * (PRIVDEFENA) covers the rest for privileged code. */
	region(0, 0x20000000U, 15, AP_FULL, 0);
	region(1, (uint32_t)guarded, 4, AP_READ_ONLY, 0);
	region(2, (uint32_t)xn_function & ~31U, 4, AP_FULL, XN);
	region(3, (uint32_t)priv_only, 4, AP_PRIV_ONLY, 0);
	SCB_SHCSR |= MEMFAULTENA;
	MPU_CTRL = 5; /* ENABLE | PRIVDEFENA */
	sync();

	/* 1: store to a read-only region: MemManage, DACCVIOL, MMFAR. */
	step = 1;
	guarded[2] = 0xBADU;
	if (nseen != 1 || seen[0].exception != 4 ||
	    (seen[0].cfsr & 0xFFU) != 0x82U ||
	    seen[0].mmfar != (uint32_t)&guarded[2] || guarded[2] != 0)
		return 1;

	/* 2: loads from it are allowed. */
	step = 2;
	if (guarded[0] != 0x600DF00DU || nseen != 1)
		return 2;

	/* 3: MemManage disabled: the same store escalates to HardFault. */
	step = 3;
	SCB_SHCSR &= ~MEMFAULTENA;
	guarded[3] = 0xBADU;
	SCB_SHCSR |= MEMFAULTENA;
	if (nseen != 2 || seen[1].exception != 3 ||
	    seen[1].hfsr != 0x40000000U || (seen[1].cfsr & 0xFFU) != 0x82U)
		return 3;

	/* 4: executing from the XN region: IACCVIOL, MMFAR not valid. */
	step = 4;
	sink = xn_function();
	if (nseen != 3 || seen[2].exception != 4 ||
	    (seen[2].cfsr & 0xFFU) != 0x01U ||
	    seen[2].stacked_pc != ((uint32_t)xn_function & ~1U))
		return 4;

	/* 5: unprivileged Thread mode may not touch priv_only. */
	step = 5;
	priv_only[0] = 1; /* privileged: fine */
	__asm__ volatile("mrs r0, control\n\t"
			 "orr r0, r0, #1\n\t"
			 "msr control, r0\n\t"
			 "isb" ::: "r0", "memory");
	sink = priv_only[0];
	__asm__ volatile("svc #0" ::: "memory");
	if (nseen != 4 || seen[3].exception != 4 ||
	    seen[3].mmfar != (uint32_t)&priv_only[0])
		return 5;

	/* 6: GPIOA (RM0433 Table 8: 0x58020000) in a 1 KiB no-access
	 * region, with nothing in memory refused: the load from GPIOA_IDR is
	 * a MemManage with DACCVIOL and MMFAR as well. */
	step = 6;
	MPU_RBAR = (uint32_t)guarded | 0x10U | 1U;
	MPU_RASR = 0;
	region(4, 0x58020000U, 9, 0, 0);
	sync();
	sink = REG(0x58020010U);
	MPU_RASR = 0;
	sync();
	if (nseen != 5 || seen[4].exception != 4 ||
	    (seen[4].cfsr & 0xFFU) != 0x82U || seen[4].mmfar != 0x58020010U)
		return 6;
	MPU_CTRL = 0;
	sync();
	(void)sink;
	return 0;
}
